"""Polarity: a claim's word the evidence states the opposite of (可決/否決, 増加/減少, 最高/最も低い)."""

from __future__ import annotations

import re
from typing import ClassVar

from digestnlp.check.conflicts.base import SAYS_OTHERWISE, Conflict, ConflictFamily, Context, Status
from digestnlp.text.lexicon import DIRECTIONS, POLARITY_PAIRS


def _side(word: str) -> tuple[str, ...]:
    """The words of ``word``'s direction, or none for a word of the pairs only."""
    return next((side for side in DIRECTIONS if word in side), ())


# An opposite the evidence negates (「認めない」, 「始まらず」) agrees with the claim instead.
_NEGATED_AFTER = re.compile(r"[ぁ-ん]{0,3}(?:ない|ず|なかっ|ませ)")


def _affirmed(word: str, evidence: str) -> bool:
    """``word`` occurs in the evidence at least once without a negation right after it."""
    return any(not _NEGATED_AFTER.match(evidence, m.end()) for m in re.finditer(re.escape(word), evidence))


# What a polarity word is about: the end of the word run right before it (「環状運転」 of
# 「環状運転廃止」, 「新監督」 of 「原辰徳新監督退任」), past one particle.
_SUBJECT_RUN = re.compile(r"([一-龥々ァ-ヴーA-Za-z0-9]{2,})[をのがはにでも]?$")
_SUBJECT_CHARS = 3
_SUBJECT_GAP = 10


def _about(claim: str, pos: int) -> str | None:
    m = _SUBJECT_RUN.search(claim, 0, pos)
    return m.group(1)[-_SUBJECT_CHARS:] if m else None


def _said_of(word: str, subject: str, evidence: str) -> bool:
    """``word`` occurs in the evidence with ``subject`` shortly before it."""
    reach = _SUBJECT_GAP + len(subject)
    return any(
        subject in evidence[max(0, m.start() - reach) : m.start()] for m in re.finditer(re.escape(word), evidence)
    )


def _polarity_conflicts(claim: str, evidence: str) -> list[Conflict]:
    """A polarity word the evidence has only the opposite of, or has the opposite of for the same thing.

    A report often has both words about different things (「1972年に…廃止」 and 「環状運転を復活」;
    one manager's 退任 and another's 就任): then the claim is contradicted only when what it says
    it of stands right before the opposite and never right before the word itself.
    """
    out = []
    for said, opposite in POLARITY_PAIRS:
        pos = claim.find(said)
        if pos < 0 or not _affirmed(opposite, evidence):
            continue
        if any(word in claim for word in _side(opposite)):
            continue  # 「ウナギ減少、価格上昇」: the claim says both directions, of different things
        if said in evidence:
            subject = _about(claim, pos)
            if not subject or not _said_of(opposite, subject, evidence) or _said_of(said, subject, evidence):
                continue
        out.append(Conflict("polarity", "contradicted", said, pos, pos + len(said), opposite, SAYS_OTHERWISE))
    return out


class Polarity(ConflictFamily):
    statuses: ClassVar[tuple[tuple[str, Status], ...]] = (("polarity", "contradicted"),)

    def find(self, claim: str, evidence: str, context: Context) -> list[Conflict]:
        return _polarity_conflicts(claim, evidence)
