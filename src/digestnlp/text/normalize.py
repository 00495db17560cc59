"""Normalisation for matching that keeps a map back to the original characters.

Matching (quantities, names, overlap) wants NFKC, one kind of space and no decorative emoji,
but every explanation must point at the page as written. ``NormalizedText.offsets[i]`` is the
index in the original text of the character that produced normalised character ``i``.
"""

from __future__ import annotations

import re
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
    cp = ord(ch)
    if cp >= 0x2000 and unicodedata.category(ch) == "So":
        return True
    return 0xFE00 <= cp <= 0xFE0F or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F


# Characters NFKC leaves unchanged that are never spaces or decorations: ASCII graphics, common
# Japanese punctuation, hiragana, full-width katakana, CJK unified ideographs. Runs of them are
# copied whole, which keeps normalisation cheap next to the morphological analysis.
_SAFE_RUN = re.compile(
    r"[!-~\u3001\u3002\u300c-\u300f\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe\u4e00-\u9fff]+"
)


def normalize(text: str, *, strip_decorations: bool = True, lowercase: bool = False) -> NormalizedText:
    """NFKC (full/half width folded), whitespace collapsed to one space, decorations removed."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        safe = _SAFE_RUN.match(text, i)
        if safe:
            j = safe.end()
            if j < n and (text[j] in _VOICED_MARKS or unicodedata.combining(text[j])):
                j -= 1  # the last character composes with the mark that follows
            if j > i:
                run = text[i:j]
                out.append(run.lower() if lowercase else run)
                starts.extend(range(i, j))
                ends.extend(range(i + 1, j + 1))
                i = j
                continue
        j = i + 1
        while j < n and (text[j] in _VOICED_MARKS or unicodedata.combining(text[j])):
            j += 1
        folded = unicodedata.normalize("NFKC", text[i:j])
        if lowercase:
            folded = folded.lower()
        for ch in folded:
            if ch.isspace():
                if starts and not _ends_with_space(out):
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
    joined = "".join(out)
    trimmed = joined.rstrip(" ")
    cut = len(joined) - len(trimmed)
    if cut:
        del starts[-cut:]
        del ends[-cut:]
    return NormalizedText(trimmed, tuple(starts), tuple(ends), text)


def _ends_with_space(parts: list[str]) -> bool:
    return bool(parts) and parts[-1].endswith(" ")


def char_bigrams(text: str) -> set[str]:
    """The character bigrams of ``text``: how much two Japanese texts share without segmenting them."""
    return {text[i : i + 2] for i in range(len(text) - 1)}
