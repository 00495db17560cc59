"""What every conflict family shares: the ``Conflict`` record, the context a family reads, and
the family's shape (its kinds, the statuses it can return, ``find`` and its features)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from digestnlp.text.morph import Token
from digestnlp.text.normalize import normalize

# ``impossible``: no calendar has the claim's date (「13月」), whatever the evidence says.
Status = Literal["contradicted", "unsupported", "impossible"]

# Message templates, filled when a conflict is explained: {claim} is what the claim says (with
# its slot), {evidence} what the evidence says instead, {the_evidence} and {says} name the evidence.
SAYS_OTHERWISE = "the claim says {claim} but {the_evidence} {says} {evidence}"
NOWHERE = "the claim's {claim} appears nowhere in {the_evidence}"


@dataclass(frozen=True, slots=True)
class Conflict:
    """One problem with the claim: what it says, what the evidence says (if anything), and why.

    ``template`` is the family's message (see ``describe``); ``slot`` the word after a name in
    both texts (沖 of 「サハリン沖」), shown with it; ``evidence_spans`` where the evidence says
    otherwise (the rival figures of a contradicted number)."""

    kind: str
    status: Status
    claim_text: str
    claim_start: int
    claim_end: int
    evidence_text: str | None
    template: str
    evidence_spans: tuple[tuple[int, int], ...] = ()
    slot: str = ""

    def describe(self, evidence_name: str = "evidence") -> str:
        """The message, naming the evidence as the reader knows it (「the bullets say」)."""
        return self.template.format(
            claim=self.claim_text + self.slot,
            evidence=self.evidence_text or "",
            the_evidence=f"the {evidence_name}",
            says="say" if evidence_name.endswith("s") else "says",
        )

    @property
    def message(self) -> str:
        return self.describe()


@dataclass(frozen=True, slots=True)
class Context:
    """What a family may read besides the two texts: their morphemes and the evidence's date
    (a card's 公開日)."""

    claim_tokens: list[Token]
    evidence_tokens: list[Token]
    published: dt.date | None = None


class ConflictFamily:
    """One kind of rule. ``statuses`` lists the (kind, status) pairs ``find`` can return; each
    becomes a calibration feature counting them, ``f"{kind}_{status}"``, unless ``features``
    says otherwise. ``shadows``: kinds whose unconfirmed conflicts inside this family's conflicts
    are dropped (the 10 of 「ダビング10」 is checked as part of the name, not as a count)."""

    statuses: ClassVar[tuple[tuple[str, Status], ...]] = ()
    shadows: ClassVar[frozenset[str]] = frozenset()

    def find(self, claim: str, evidence: str, context: Context) -> list[Conflict]:
        raise NotImplementedError

    def feature_names(self) -> tuple[str, ...]:
        return tuple(f"{kind}_{status}" for kind, status in self.statuses)

    def features(self, conflicts: Sequence[Conflict], claim: str, evidence: str, context: Context) -> dict[str, float]:
        """This family's features of a check, from every conflict found (families may share a kind)."""
        return {
            f"{kind}_{status}": float(sum(1 for c in conflicts if c.kind == kind and c.status == status))
            for kind, status in self.statuses
        }


def tokens_by_start(tokens: Sequence[Token]) -> dict[int, Token]:
    """Each morpheme by its start offset, to find the word right after a figure or a name."""
    return {t.start: t for t in tokens}


def mentioned(text: str, evidence: str) -> bool:
    """``text`` occurs in the evidence, a leading or trailing digit not inside a longer number:
    「4」 is not mentioned by 「24」 or 「0.4」, 「10月」 is by 「10月16日」. (「4」 is by 「4.5」.)"""
    norm = normalize(text).text
    before = r"(?<![\d.,])" if norm[:1].isdigit() else ""
    after = r"(?!\d)" if norm[-1:].isdigit() else ""  # 「10月」 is mentioned by 「10月16日」
    return re.search(before + re.escape(norm) + after, normalize(evidence).text) is not None
