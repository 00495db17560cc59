"""Morphological analysis with fugashi + unidic-lite.

fugashi's ``Tagger`` wraps a C MeCab instance that cannot be pickled or shared between threads,
so each thread of each process lazily builds its own (worker processes simply build theirs on
first use).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

_local = threading.local()
_KATAKANA = re.compile(r"[\u30a0-\u30ffー]+")

CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞", "代名詞"})


@dataclass(frozen=True, slots=True)
class Token:
    """One morpheme with its character span ``[start, end)`` in the analysed text."""

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


def _field(feature: Any, name: str) -> str:
    value = getattr(feature, name, None)
    return "" if value in (None, "*") else str(value)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Analyse ``text``; spans are shifted by ``offset`` so callers can analyse a slice."""
    tokens: list[Token] = []
    cursor = 0
    for node in tagger()(text):
        surface = node.surface
        found = text.find(surface, cursor) if surface else -1
        start = found if found >= 0 else cursor
        end = start + len(surface)
        cursor = end
        f = node.feature
        base = _field(f, "orthBase") or surface
        lemma = _field(f, "lemma").split("-", 1)[0] or surface
        if _KATAKANA.fullmatch(lemma) and not _KATAKANA.search(surface):
            lemma = base  # unidic gives proper nouns a katakana lemma (東京 → トウキョウ); keep the written form
        detail = tuple(p for p in (_field(f, "pos2"), _field(f, "pos3"), _field(f, "pos4")) if p)
        tokens.append(
            Token(
                surface=surface,
                lemma=lemma,
                pos=_field(f, "pos1"),
                pos_detail=detail,
                reading=_field(f, "kana") or surface,
                start=start + offset,
                end=end + offset,
                conjugation_type=_field(f, "cType"),
                conjugation_form=_field(f, "cForm"),
                base_form=base,
            )
        )
    return tokens


def pipe(texts: Iterable[str]) -> Iterator[list[Token]]:
    """Stream analysis over many texts, reusing this thread's tagger."""
    for text in texts:
        yield tokenize(text)


def content_words(tokens: Iterable[Token]) -> list[Token]:
    return [t for t in tokens if t.is_content]


def proper_nouns(tokens: list[Token]) -> list[tuple[str, int, int]]:
    """Runs of adjacent proper nouns (and Latin-letter nouns glued to them) as ``(text, start, end)``."""
    spans: list[tuple[str, int, int]] = []
    run: list[Token] = []

    def flush() -> None:
        if run:
            spans.append(("".join(t.surface for t in run), run[0].start, run[-1].end))
            run.clear()

    for tok in tokens:
        glued = run and tok.start == run[-1].end and tok.pos == "名詞" and tok.surface.isascii() and tok.surface.isalpha()
        if tok.is_proper_noun or glued:
            if run and tok.start != run[-1].end:
                flush()
            run.append(tok)
        else:
            flush()
    flush()
    return spans
