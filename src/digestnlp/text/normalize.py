"""Normalisation for matching that keeps a map back to the original characters.

Matching (quantities, names, overlap) wants NFKC, one kind of space and no decorative emoji,
but every explanation must point at the page as written. ``NormalizedText.offsets[i]`` is the
index in the original text of the character that produced normalised character ``i``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_VOICED_MARKS = "\uff9e\uff9f\u3099\u309a"
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


@dataclass(frozen=True)
class NormalizedText:
    """``starts[i]``/``ends[i]``: the original span of the characters that produced character ``i``."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original: str

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the normalised text back to the original text."""
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def is_decoration(ch: str) -> bool:
    """Emoji, pictographs and variation selectors that carry no words."""
    if ch in _INVISIBLE:
        return True
    cat = unicodedata.category(ch)
    if cat == "So":
        return True
    cp = ord(ch)
    return 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F


def normalize(text: str, *, strip_decorations: bool = True, lowercase: bool = False) -> NormalizedText:
    """NFKC (full/half width folded), whitespace collapsed to one space, decorations removed."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        j = i + 1
        while j < n and (text[j] in _VOICED_MARKS or unicodedata.combining(text[j])):
            j += 1
        folded = unicodedata.normalize("NFKC", text[i:j])
        if lowercase:
            folded = folded.lower()
        for ch in folded:
            if ch.isspace():
                if out and out[-1] != " ":
                    out.append(" ")
                    starts.append(i)
                    ends.append(j)
                continue
            if strip_decorations and is_decoration(ch):
                continue
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    while out and out[-1] == " ":
        out.pop()
        starts.pop()
        ends.pop()
    return NormalizedText("".join(out), tuple(starts), tuple(ends), text)
