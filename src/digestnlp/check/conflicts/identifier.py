"""Identifiers with digits (H5N1, E955系, ダビング10): checked as written, not as figures."""

from __future__ import annotations

import re
from typing import ClassVar

from digestnlp.check.conflicts.base import NOWHERE, SAYS_OTHERWISE, Conflict, ConflictFamily, Context, Status
from digestnlp.text.normalize import normalize

_DIGITS = re.compile(r"\d+")
# Model names, strains and codes with digits: H5N1, K-1, Xbox360, J2, F-35, 3DS. A digit-first
# code needs a capital letter, so a measurement (「100m9秒76」) is not one.
# A katakana name with a number glued on is one too (「ダビング10」, 「ニュース23」, 「サイクロン03B」),
# unless a counter follows: 「サッカー4チーム」 counts teams, 「カード10種類」 cards.
_IDENTIFIER = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Za-z][A-Za-z\-]*\d+[A-Za-z0-9\-]*|\d+[A-Z][A-Za-z0-9\-]*)"
    r"|(?<![ァ-ヴー])[ァ-ヴ][ァ-ヴー]+\d+(?:[A-Za-z][A-Za-z0-9]*)?(?![\dA-Za-z.,%ァ-ヴー一-龥々])"
)


def _written(ident: str, evidence: str) -> bool:
    """``ident`` stands in the evidence as a whole code, spaced or hyphenated or not (「Windows 7」)."""
    chars = [re.escape(c) for c in ident if c != "-"]
    before = r"(?<![A-Za-z0-9])" if ident[0].isascii() else r"(?<![ァ-ヴー])"
    pattern = before + r"[\s\-]?".join(chars) + r"(?![A-Za-z0-9])"
    return re.search(pattern, evidence) is not None


_DECIMAL_AFTER = re.compile(r"\.\d")
_YEAR_FIRST = re.compile(r"((?:19|20)\d\d)([A-Za-z].*)")
# A year after Latin letters is not read as a year (「NASA2020年」), so that code stays an identifier.
_YEAR_LAST = re.compile(r"(.*[ァ-ヴー])((?:19|20)\d\d)")


def _glued_year(ident: str, evidence: str) -> bool:
    """A year glued to a name the evidence writes (「2008M-1グランプリ」, 「横浜トリエンナーレ2005」):
    unless the evidence glues another year to it (「…トリエンナーレ2008」), the name is mentioned and
    the year is checked as the claim's year (the report may leave it to its 公開日)."""
    first, last = _YEAR_FIRST.fullmatch(ident), _YEAR_LAST.fullmatch(ident)
    name = first.group(2) if first is not None else last.group(1) if last is not None else ""
    return bool(name) and name in evidence


def _identifier_conflicts(claim: str, evidence: str) -> list[Conflict]:
    """An identifier with digits is checked as written: 「H5N4」 against 「H5N1」 is a different strain."""
    claim_norm, evidence_norm = normalize(claim), normalize(evidence).text
    if len(claim_norm.text) != len(claim):  # offsets would not map back; identifiers are ASCII anyway
        return []
    matches = list(_IDENTIFIER.finditer(evidence_norm))
    found = dict.fromkeys(m.group() for m in matches)  # in evidence order
    aligned = len(evidence_norm) == len(evidence)  # whether evidence offsets map back
    out = []
    for m in _IDENTIFIER.finditer(claim_norm.text):
        ident = m.group()
        if _written(ident, evidence_norm) or _DIGITS.fullmatch(ident):
            continue
        if _DECIMAL_AFTER.match(claim_norm.text, m.end()):
            continue  # 「M7.8」 is a magnitude, checked as a figure against 「マグニチュード7.8」
        shape = _DIGITS.sub("#", ident)
        similar = [e for e in found if _DIGITS.sub("#", e) == shape]
        if not similar and _glued_year(ident, evidence_norm):
            continue
        shown = "、".join(similar[:3]) if similar else None
        status: Status = "contradicted" if shown else "unsupported"
        spans = tuple((e.start(), e.end()) for e in matches if aligned and e.group() in similar)
        template = SAYS_OTHERWISE if shown else NOWHERE
        out.append(Conflict("number", status, claim[m.start() : m.end()], m.start(), m.end(), shown, template, spans))
    return out


class Identifiers(ConflictFamily):
    """A code the evidence writes otherwise (same shape, other digits) contradicts the claim's;
    one it never writes is unsupported. Counted as numbers."""

    statuses: ClassVar[tuple[tuple[str, Status], ...]] = (("number", "contradicted"), ("number", "unsupported"))
    shadows: ClassVar[frozenset[str]] = frozenset({"number", "date"})

    def find(self, claim: str, evidence: str, context: Context) -> list[Conflict]:
        return _identifier_conflicts(claim, evidence)
