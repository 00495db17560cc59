"""Explicit conflicts between a claim (a headline) and its evidence (card bullets or a body).

NLI alone misses a changed number or a flipped polarity it never saw in training, and it cannot
point at the word that is wrong. These checks use the text pipeline to find numbers, dates,
names and polarity words in the claim and look for them, or their contradiction, in the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from digestnlp.text.morph import Token, proper_nouns, tokenize
from digestnlp.text.normalize import normalize
from digestnlp.text.quantities import Quantity, extract_quantities

ConflictKind = Literal["number", "date", "name", "polarity", "negation"]
Status = Literal["contradicted", "unsupported"]

# Word pairs whose members contradict each other in news text.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("増加", "減少"),
    ("増え", "減っ"),
    ("増え", "減り"),
    ("上昇", "下落"),
    ("上昇", "低下"),
    ("最多", "最少"),
    ("最高", "最低"),
    ("最大", "最小"),
    ("勝利", "敗北"),
    ("勝っ", "負け"),
    ("可決", "否決"),
    ("成功", "失敗"),
    ("開始", "終了"),
    ("承認", "拒否"),
    ("賛成", "反対"),
    ("上回", "下回"),
    ("黒字", "赤字"),
    ("合意", "決裂"),
    ("再開", "停止"),
    ("逮捕", "釈放"),
    ("当選", "落選"),
    ("値上げ", "値下げ"),
    ("拡大", "縮小"),
    ("増税", "減税"),
    ("好調", "不調"),
    ("有罪", "無罪"),
    ("就任", "退任"),
    ("解禁", "禁止"),
    ("容認", "拒否"),
    ("支持", "反対"),
    ("高騰", "暴落"),
    ("急増", "急減"),
    ("増額", "減額"),
    ("入国", "出国"),
    ("流入", "流出"),
    ("輸入", "輸出"),
    ("安全", "危険"),
    ("復活", "廃止"),
)
_NEGATION_LEMMAS = frozenset({"ない", "ぬ", "ず", "無い"})


@dataclass(frozen=True, slots=True)
class Conflict:
    """One problem with the claim: what it says, what the evidence says (if anything), and why."""

    kind: ConflictKind
    status: Status
    claim_text: str
    claim_start: int
    claim_end: int
    evidence_text: str | None
    message: str


def _measure(q: Quantity, text: str) -> str:
    """What a quantity counts: its unit, or for a bare number or ordinal the character after it
    (「4児」, 「第30惑星」), so 「4児」 is compared with 「2児」 and not with 「4時」."""
    if q.unit:
        return q.unit
    nxt = text[q.end : q.end + 1]
    return nxt if nxt and not nxt.isascii() and not nxt.isspace() and nxt not in "、。・「」()【】" else ""


def _quantity_conflicts(claim: str, evidence: str, c_tokens: list[Token], e_tokens: list[Token]) -> list[Conflict]:
    out: list[Conflict] = []
    e_qs = [(e, _measure(e, evidence)) for e in extract_quantities(evidence, e_tokens)]
    for q in extract_quantities(claim, c_tokens):
        if not q.unit and not any(ch.isdigit() and ch.isascii() for ch in normalize(q.text).text):
            continue  # a bare kanji numeral is a word's part more often than a count: 世界一, 一部
        measure = _measure(q, claim)
        kind: ConflictKind = "date" if q.kind == "date" else "number"
        # A number with nothing to say what it counts cannot conflict, but one the evidence never
        # writes is unsupported.
        comparable = [e for e, m in e_qs if m == measure and q.same_measure(e)] if measure else []
        if any(q.agrees_with(e) for e in comparable):
            continue
        if comparable:
            shown = "、".join(dict.fromkeys(e.text for e in comparable[:3]))
            message = f"the claim says {q.text} but the evidence says {shown}"
            out.append(Conflict(kind, "contradicted", q.text, q.start, q.end, shown, message))
        elif kind == "number" and not _mentioned(q.text, evidence):
            message = f"the claim's {q.text} appears nowhere in the evidence"
            out.append(Conflict(kind, "unsupported", q.text, q.start, q.end, None, message))
    return out


def _mentioned(text: str, evidence: str) -> bool:
    """``text`` occurs in the evidence as a whole number (「4」 is not mentioned by 「24」 or 「4.5」)."""
    norm = normalize(text).text
    before = r"(?<![\d.,])" if norm[:1].isdigit() else ""
    after = r"(?!\d)" if norm[-1:].isdigit() else ""  # 「10月」 is mentioned by 「10月16日」
    return re.search(before + re.escape(norm) + after, normalize(evidence).text) is not None


_DIGITS = re.compile(r"\d+")
# Model names, strains and codes with digits: H5N1, K-1, Xbox360, J2, F-35, 3DS. A digit-first
# code needs a capital letter, so a measurement (「100m9秒76」) is not one.
_IDENTIFIER = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z][A-Za-z\-]*\d+[A-Za-z0-9\-]*|\d+[A-Z][A-Za-z0-9\-]*)")


def _written(ident: str, evidence: str) -> bool:
    """``ident`` stands in the evidence as a whole code, spaced or hyphenated or not (「Windows 7」)."""
    chars = [re.escape(c) for c in ident if c != "-"]
    pattern = r"(?<![A-Za-z0-9])" + r"[\s\-]?".join(chars) + r"(?![A-Za-z0-9])"
    return re.search(pattern, evidence) is not None


_GLUED_YEAR = re.compile(r"((?:19|20)\d\d)([A-Za-z].*)")


def _glued_year_mentioned(ident: str, evidence: str) -> bool:
    """Headlines glue a year to a name (「2008M-1グランプリ」); the evidence may write both apart."""
    m = _GLUED_YEAR.fullmatch(ident)
    return m is not None and m.group(1) in evidence and m.group(2) in evidence


def _identifier_conflicts(claim: str, evidence: str) -> list[Conflict]:
    """An identifier with digits is checked as written: 「H5N4」 against 「H5N1」 is a different strain."""
    claim_norm, evidence_norm = normalize(claim), normalize(evidence).text
    if len(claim_norm.text) != len(claim):  # offsets would not map back; identifiers are ASCII anyway
        return []
    found = dict.fromkeys(m.group() for m in _IDENTIFIER.finditer(evidence_norm))  # in evidence order
    out = []
    for m in _IDENTIFIER.finditer(claim_norm.text):
        ident = m.group()
        if _written(ident, evidence_norm) or _DIGITS.fullmatch(ident) or _glued_year_mentioned(ident, evidence_norm):
            continue
        shape = _DIGITS.sub("#", ident)
        similar = [e for e in found if _DIGITS.sub("#", e) == shape]
        shown = "、".join(similar[:3]) if similar else None
        status: Status = "contradicted" if shown else "unsupported"
        message = (
            f"the claim says {ident} but the evidence says {shown}"
            if shown
            else f"the claim's {ident} appears nowhere in the evidence"
        )
        out.append(Conflict("number", status, claim[m.start() : m.end()], m.start(), m.end(), shown, message))
    return out


def _name_conflicts(claim: str, evidence: str, c_tokens: list[Token]) -> list[Conflict]:
    evidence_norm = normalize(evidence).text
    out = []
    seen: set[str] = set()
    for name, start, end in proper_nouns(c_tokens):
        key = normalize(name).text
        if key in seen or len(key) < 2:
            continue
        seen.add(key)
        # The last part names the person or place (プーチン in ウラジーミル・プーチン, 豊島区 in
        # 東京・豊島区): it must be there; a shared first part (スティーブ・オバマ) is not enough.
        last = key.replace("=", "・").split("・")[-1]
        if key in evidence_norm or (len(last) >= 2 and last in evidence_norm):
            continue
        out.append(
            Conflict(
                "name",
                "unsupported",
                claim[start:end],
                start,
                end,
                None,
                f"the name {claim[start:end]} in the claim is never mentioned in the evidence",
            )
        )
    return out


def _polarity_conflicts(claim: str, evidence: str) -> list[Conflict]:
    out = []
    for a, b in ANTONYMS:
        for said, opposite in ((a, b), (b, a)):
            pos = claim.find(said)
            if pos >= 0 and opposite in evidence and said not in evidence:
                out.append(
                    Conflict(
                        "polarity",
                        "contradicted",
                        said,
                        pos,
                        pos + len(said),
                        opposite,
                        f"the claim says {said} but the evidence says {opposite}",
                    )
                )
    return out


def _negated_predicates(tokens: Sequence[Token]) -> set[str]:
    """Lemmas of verbs/サ変 nouns directly negated (…しない, …せず, …なかった)."""
    out = set()
    for i, tok in enumerate(tokens):
        if tok.lemma in _NEGATION_LEMMAS and tok.pos == "助動詞":
            for j in range(i - 1, max(-1, i - 3), -1):
                prev = tokens[j]
                if prev.pos == "名詞" or (prev.pos == "動詞" and prev.lemma not in ("為る", "する")):
                    out.add(prev.lemma)
                    break
    return out


def _negation_conflicts(claim: str, evidence: str, c_tokens: list[Token], e_tokens: list[Token]) -> list[Conflict]:
    c_neg, e_neg = _negated_predicates(c_tokens), _negated_predicates(e_tokens)
    e_lemmas = {t.lemma for t in e_tokens}
    c_lemmas = {t.lemma: t for t in c_tokens}
    cases = [
        (lemma, lemma, "the claim negates {} but the evidence states it")
        for lemma in c_neg - e_neg
        if lemma in e_lemmas
    ]
    cases += [
        (lemma, f"{lemma} (negated)", "the claim states {} but the evidence negates it")
        for lemma in e_neg - c_neg
        if lemma in c_lemmas
    ]
    out = []
    for lemma, evidence_text, message in cases:
        tok = c_lemmas[lemma]
        out.append(
            Conflict(
                "negation", "contradicted", tok.surface, tok.start, tok.end, evidence_text, message.format(tok.surface)
            )
        )
    return out


def find_conflicts(
    claim: str,
    evidence: str,
    claim_tokens: list[Token] | None = None,
    evidence_tokens: list[Token] | None = None,
) -> list[Conflict]:
    """Numbers, dates, names, polarity and negation in ``claim`` that ``evidence`` contradicts or lacks.

    Pass the morphemes when the caller already has them (a body checked against many bullets).
    """
    c_tokens = claim_tokens if claim_tokens is not None else tokenize(claim)
    e_tokens = evidence_tokens if evidence_tokens is not None else tokenize(evidence)
    return [
        *_quantity_conflicts(claim, evidence, c_tokens, e_tokens),
        *_identifier_conflicts(claim, evidence),
        *_name_conflicts(claim, evidence, c_tokens),
        *_polarity_conflicts(claim, evidence),
        *_negation_conflicts(claim, evidence, c_tokens, e_tokens),
    ]
