"""Names: a claim's proper noun the evidence never mentions (in any of its spellings, short or
long forms), or where the evidence puts another name in the same slot (「ウガンダ沖」 against
「サハリン沖」)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from digestnlp.check.conflicts.base import SAYS_OTHERWISE, Conflict, ConflictFamily, Context, Status, tokens_by_start
from digestnlp.text.lexicon import ERAS
from digestnlp.text.morph import Token, proper_nouns
from digestnlp.text.normalize import normalize
from digestnlp.text.places import region_mentioned

NEVER_MENTIONED = "the name {claim} in the claim is never mentioned in {the_evidence}"

# Foreign names have more than one katakana spelling (テイラー/テーラー, ヴァイオリン/バイオリン);
# names are compared in one of them.
_V_SYLLABLES = {"ヴァ": "バ", "ヴィ": "ビ", "ヴェ": "ベ", "ヴォ": "ボ", "ヴ": "ブ"}
_V_PATTERN = re.compile("ヴ[ァィェォ]?")
_E_ROW_I = re.compile(r"([エケセテネヘメレゲゼデベペ])イ")


def _name_form(text: str) -> str:
    """Normalised text with katakana spelling variants folded, for comparing names."""
    folded = _V_PATTERN.sub(lambda m: _V_SYLLABLES[m.group()], normalize(text).text)
    return _E_ROW_I.sub(r"\1ー", folded)


_READING = re.compile(r"[ぁ-ゖァ-ヺー・=]+")
_BRACKETED_READING = re.compile(r"\([ぁ-ゖー・=]+\)")


def _after_reading(by_start: dict[int, Token], end: int) -> Token | None:
    """The word after a name, past a reading in brackets: 氏 of 「近藤崇晴(こんどう・たかはる)氏」."""
    nxt = by_start.get(end)
    if nxt is None or nxt.surface not in ("(", "（"):
        return nxt
    inner: list[str] = []
    tok = by_start.get(nxt.end)
    while tok is not None and tok.surface not in (")", "）") and len(inner) < 12:
        inner.append(tok.surface)
        tok = by_start.get(tok.end)
    if tok is None or not _READING.fullmatch("".join(inner)):
        return nxt
    return by_start.get(tok.end)


def _slotted_names(tokens: list[Token]) -> list[tuple[str, str, int, int]]:
    """Names with the word right after them, their slot: 「サハリン沖」 → (サハリン, 沖), 「林氏」 → (林, 氏)."""
    by_start = tokens_by_start(tokens)
    out = []
    for name, start, end in proper_nouns(tokens):
        nxt = _after_reading(by_start, end)
        slot = (
            nxt.surface if nxt and nxt.pos in ("名詞", "接尾辞") and not (nxt.is_number or nxt.is_proper_noun) else ""
        )
        out.append((name, slot, start, end))
    return out


def _head(tokens: list[Token], start: int, end: int) -> str | None:
    """The last proper noun of a name glued to other words (織田 in 「フィギュアスケート織田」)."""
    heads = [
        t.surface for t in tokens if start <= t.start and t.end <= end and t.is_proper_noun and len(t.surface) >= 2
    ]
    return _name_form(heads[-1]) if heads else None


def _parts_stated(tokens: list[Token], start: int, end: int, evidence_norm: str) -> bool:
    """A headline glues words the report writes apart (「ロンドンオリンピック」 for 「オリンピック
    ロンドン大会」, 「ジャイアンツ山口俊」 for 「読売ジャイアンツの山口俊投手」): a name is mentioned
    when its morphemes, in order, make up words the evidence writes, each of two or more characters."""
    parts = [_name_form(t.surface) for t in tokens if start <= t.start and t.end <= end and t.surface != "・"]
    # stated[j]: the first j morphemes make up such words.
    stated = [True] + [False] * len(parts)
    for j in range(1, len(parts) + 1):
        stated[j] = any(stated[i] and len(word := "".join(parts[i:j])) >= 2 and word in evidence_norm for i in range(j))
    return len(parts) >= 2 and stated[-1]


_KANJI_RUN = re.compile(r"[一-龥々]{3,}")


def _abbreviated(key: str, evidence_norm: str) -> bool:
    """A two-kanji name shortens a longer one the evidence writes: 「東電」 is 「東京電力」, 「国連」
    「国際連合」, 「陸連」 「日本陸上競技連盟」 (its two kanji in order, in one run of at most six)."""
    if not re.fullmatch(r"[一-龥]{2}", key):
        return False
    gap = re.compile(f"{key[0]}[一-龥々]{{1,4}}{key[1]}")
    return any(gap.search(run) for run in _KANJI_RUN.findall(evidence_norm))


def _name_conflicts(claim: str, evidence: str, c_tokens: list[Token], e_tokens: list[Token]) -> list[Conflict]:
    """A claim name the evidence never mentions; contradicted when the evidence puts another name in
    its slot (「ウガンダ沖」 against 「サハリン沖」, 「富良野市」 against 「佐久市」)."""
    # A reading in brackets inside a name (「佐村河内(さむらごうち)守」) is not part of it.
    evidence_norm = _BRACKETED_READING.sub("", _name_form(evidence))
    rivals: dict[str, list[str]] = {}
    for name, slot, _, _ in _slotted_names(e_tokens):
        if slot:
            rivals.setdefault(slot, []).append(_name_form(name))
    claimed = _slotted_names(c_tokens)
    named = {_name_form(name) for name, _, _, _ in claimed}
    out = []
    seen: set[str] = set()
    for name, slot, start, end in claimed:
        key = _name_form(name)
        if key in seen or len(key) < 2 or name in ERAS:  # 平成 of 「平成26年」 is part of a date
            continue
        seen.add(key)
        # The last part names the person or place (プーチン in ウラジーミル・プーチン, 豊島区 in
        # 東京・豊島区): it must be there; a shared first part (スティーブ・オバマ) is not enough.
        last = key.replace("=", "・").split("・")[-1]
        if (
            key in evidence_norm
            or (len(last) >= 2 and last in evidence_norm)
            or _parts_stated(c_tokens, start, end, evidence_norm)
            or _abbreviated(key, evidence_norm)
            or region_mentioned(key + ("地方" if slot == "地方" else ""), evidence_norm)
        ):
            continue
        # A rival that is part of the name, or the name part of it, is the same one written longer
        # or shorter (マイクロソフトフランス法人 and フランス法人); nor is there a rival when the
        # name's own last proper noun is in the evidence (織田 of 「フィギュアスケート織田選手」), and
        # a name the claim itself gives (「荒川区と足立区」) is no rival of the other.
        head = _head(c_tokens, start, end)
        candidates = [] if head is not None and head in evidence_norm else rivals.get(slot, [])
        other = next((r for r in candidates if r not in key and key not in r and r not in named), None)
        said = claim[start:end]
        if other is None:
            out.append(Conflict("name", "unsupported", said, start, end, None, NEVER_MENTIONED))
        else:
            out.append(Conflict("name", "contradicted", said, start, end, other + slot, SAYS_OTHERWISE, slot=slot))
    return out


class Names(ConflictFamily):
    """``name_unsupported`` is the share of the claim's names the evidence lacks (a headline may
    carry one name or five), ``name_contradicted`` a count."""

    statuses: ClassVar[tuple[tuple[str, Status], ...]] = (("name", "unsupported"), ("name", "contradicted"))

    def find(self, claim: str, evidence: str, context: Context) -> list[Conflict]:
        return _name_conflicts(claim, evidence, context.claim_tokens, context.evidence_tokens)

    def features(self, conflicts: Sequence[Conflict], claim: str, evidence: str, context: Context) -> dict[str, float]:
        names = [c for c in conflicts if c.kind == "name"]
        present = sum(1 for name, _, _ in proper_nouns(context.claim_tokens) if name in evidence)
        return super().features(conflicts, claim, evidence, context) | {
            "name_unsupported": len(names) / max(1, len(names) + present)
        }
