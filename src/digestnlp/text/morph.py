"""Morphological analysis with fugashi + unidic-lite.

fugashi's ``Tagger`` wraps a C MeCab instance that cannot be pickled or shared between threads,
so each thread of each process lazily builds its own (worker processes simply build theirs on
first use).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

_local = threading.local()
_KATAKANA = re.compile(r"[\u30a0-\u30ffー]+")

CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞", "代名詞"})


class Token(NamedTuple):
    """One morpheme with its character span ``[start, end)`` in the analysed text.

    A NamedTuple rather than a dataclass: the pipeline builds one per morpheme, and tuple
    construction is several times cheaper than a frozen dataclass's ``__init__``.
    """

    surface: str
    lemma: str
    pos: str
    pos_detail: tuple[str, ...]
    reading: str
    start: int
    end: int
    conjugation_type: str = ""
    conjugation_form: str = ""
    base_form: str = ""

    @property
    def is_content(self) -> bool:
        return self.pos in CONTENT_POS and self.pos_detail[:1] not in (("非自立可能",), ("数詞",))

    @property
    def is_proper_noun(self) -> bool:
        return self.pos == "名詞" and self.pos_detail[:1] == ("固有名詞",)

    @property
    def is_number(self) -> bool:
        return self.pos == "名詞" and self.pos_detail[:1] == ("数詞",)


def tagger() -> Any:
    """This thread's fugashi Tagger, created on first use."""
    tag = getattr(_local, "tagger", None)
    if tag is None:
        import fugashi

        tag = fugashi.Tagger()
        _local.tagger = tag
    return tag


# (surface, unidic feature string) → (lemma, pos, detail, reading, conjugation type/form, base).
# Running text repeats a small vocabulary, so parsing each distinct feature string once keeps the
# analysis close to the cost of the bare MeCab parse.
_FEATURE_CACHE: dict[tuple[str, str], tuple[str, str, tuple[str, ...], str, str, str, str]] = {}
_FEATURE_CACHE_MAX = 500_000


def _parse_features(surface: str, raw: str, node: Any) -> tuple[str, str, tuple[str, ...], str, str, str, str]:
    """Parse a feature string ``tokenize`` found no cache entry for, and cache it."""
    fields = raw.split(",", 18)
    if any('"' in x for x in fields[:18]):
        fields = [("" if v is None else str(v)) for v in node.feature]
    fields = [("" if x == "*" else x) for x in fields[:18]] + [""] * max(0, 18 - len(fields))
    base = fields[10] or surface
    lemma = fields[7].split("-", 1)[0] or surface
    if _KATAKANA.fullmatch(lemma) and not _KATAKANA.search(surface):
        lemma = base  # unidic gives proper nouns a katakana lemma (東京 → トウキョウ); keep the written form
    parsed = (lemma, fields[0], tuple(p for p in fields[1:4] if p), fields[17] or surface, fields[4], fields[5], base)
    if len(_FEATURE_CACHE) >= _FEATURE_CACHE_MAX:
        _FEATURE_CACHE.clear()
    _FEATURE_CACHE[surface, raw] = parsed
    return parsed


# ``Token(...)`` goes through NamedTuple's keyword-handling ``__new__``; the plain tuple constructor
# and the cache looked up in the loop take 9% off ``tokenize`` on Wikinews articles.
_new_token: Callable[[type[Token], tuple[Any, ...]], Token] = tuple.__new__


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Analyse ``text``; spans are shifted by ``offset`` so callers can analyse a slice."""
    tokens: list[Token] = []
    append = tokens.append
    cursor = 0
    find = text.find
    cache_get = _FEATURE_CACHE.get
    for node in tagger()(text):
        surface = node.surface
        found = find(surface, cursor) if surface else -1
        start = found if found >= 0 else cursor
        cursor = start + len(surface)
        raw = node.feature_raw
        f = cache_get((surface, raw)) or _parse_features(surface, raw, node)
        append(_new_token(Token, (surface, f[0], f[1], f[2], f[3], start + offset, cursor + offset, f[4], f[5], f[6])))
    return tokens


def pipe(texts: Iterable[str]) -> Iterator[list[Token]]:
    """Stream analysis over many texts, reusing this thread's tagger."""
    for text in texts:
        yield tokenize(text)


def content_words(tokens: Iterable[Token]) -> list[Token]:
    return [t for t in tokens if t.is_content]


TITLE_SUFFIXES = frozenset(
    [
        "氏",
        "さん",
        "様",
        "大統領",
        "首相",
        "長官",
        "議員",
        "選手",
        "監督",
        "容疑者",
        "被告",
        "知事",
        "市長",
        "社長",
        "会長",
        "外相",
        "総裁",
        "代表",
        "教授",
        "博士",
        "書記長",
        "国王",
        "大使",
        "議長",
        "党首",
        "元首相",
        "前大統領",
    ]
)
_NAME_JOINERS = frozenset("・=＝")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,}")


def _name_candidate(tok: Token) -> bool:
    return tok.is_proper_noun or (
        tok.pos == "名詞" and bool(_KATAKANA.fullmatch(tok.surface)) and len(tok.surface) >= 2
    )


def proper_nouns(tokens: list[Token]) -> list[tuple[str, int, int]]:
    """Names as ``(text, start, end)``: proper-noun runs, katakana names before a title (トランプ氏), acronyms.

    unidic tags many foreign names as common nouns (ゼレンスキー, トランプ), so a katakana noun
    run counts as a name when it contains a proper noun or is followed by a title such as 氏 or 大統領.
    """
    spans: list[tuple[str, int, int]] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.pos == "名詞" and _ACRONYM.fullmatch(tok.surface):
            spans.append((tok.surface, tok.start, tok.end))
            i += 1
            continue
        if not _name_candidate(tok):
            i += 1
            continue
        j = i + 1
        while j < n:
            if _name_candidate(tokens[j]) and tokens[j].start == tokens[j - 1].end:
                j += 1
            elif (
                tokens[j].surface in _NAME_JOINERS
                and j + 1 < n
                and _name_candidate(tokens[j + 1])
                and tokens[j + 1].start == tokens[j].end
            ):
                j += 2
            else:
                break
        run = tokens[i:j]
        titled = j < n and tokens[j].surface in TITLE_SUFFIXES
        if titled or any(t.is_proper_noun for t in run):
            spans.append((text_of(run), run[0].start, run[-1].end))
        i = j
    return spans


def text_of(run: list[Token]) -> str:
    return "".join(t.surface for t in run)
