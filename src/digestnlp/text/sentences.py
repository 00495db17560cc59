"""Japanese sentence splitting with character spans.

Rules: 。！？!?． end a sentence (runs like 「!?」 stay together, a following closing bracket
stays with its sentence); nothing splits inside 「」『』（）() or a URL; a half-width period
ends a sentence only after a letter and before a space, so 7.4, 2025.02.19 and ellipses stay
whole; every line break is a boundary; bullet markers at line starts are left out of the span.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

TERMINATORS = frozenset("。！？!?．")
OPENING = "「『（(【〔［[｛{〈《"
CLOSING = "」』）)】〕］]｝}〉》"
_CLOSE_TO_OPEN = dict(zip(CLOSING, OPENING, strict=True))
_TRAILING = frozenset(CLOSING) | frozenset("\"'”’")
QUOTATIVE = ("と", "って", "という", "といった", "とし", "とい")
# One marker or a Markdown item's marker before it (「- ✅ 」).
_MARKER = re.compile(
    r"^[\s\u3000]*(?:(?:[💡✅☑✔✓●○◎◆◇■□▶▷►・※\-–—*＊•]+|\+(?=\s)|\d{1,2}[.)．）](?=\s)|[①-⑳])[\s\u3000]*){1,2}"
)
_URL = re.compile(r"https?://[^\s\u3000「」『』（）()<>、。]+")
_MAX_BRACKET_SPAN = 300
_INTERESTING = re.compile("[" + re.escape("".join(sorted(TERMINATORS)) + OPENING + CLOSING + ".") + "]")
_ABBREVIATIONS = frozenset(
    {"Mr", "Mrs", "Ms", "Dr", "Prof", "St", "No", "vs", "etc", "Jr", "Sr", "Inc", "Co", "Ltd", "Corp"}
)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int


def marker_length(line: str) -> int:
    """Length of a leading bullet marker (💡, ✅, ・, ●, 1. …) including its spacing."""
    m = _MARKER.match(line)
    return m.end() if m else 0


def _url_end(line: str, i: int, urls: list[tuple[int, int]]) -> int:
    """End of the URL covering ``i``, or -1."""
    for s, e in urls:
        if s <= i < e:
            return e
    return -1


def _is_period(line: str, i: int) -> bool:
    """A half-width period ends a sentence only after a letter and before space or line end."""
    before = line[i - 1] if i else ""
    after = line[i + 1] if i + 1 < len(line) else ""
    if not before.isalpha() or not (after == "" or after.isspace()):
        return False
    word = re.findall(r"[A-Za-z]+$", line[:i])
    return not word or (word[0] not in _ABBREVIATIONS and len(word[0]) > 1)


def _split_line(line: str, base: int) -> list[Sentence]:
    out: list[Sentence] = []
    start = marker_length(line)
    urls = [m.span() for m in _URL.finditer(line)] if "://" in line else []
    stack: list[tuple[str, int]] = []
    i = start
    n = len(line)

    def emit(end: int) -> None:
        nonlocal start
        seg = line[start:end]
        lead = len(seg) - len(seg.lstrip(" \t\u3000"))
        text = seg.strip(" \t\u3000")
        if text:
            out.append(Sentence(text, base + start + lead, base + start + lead + len(text)))
        start = end

    while True:
        m = _INTERESTING.search(line, i)
        if m is None:
            break
        i = m.start()
        url_end = _url_end(line, i, urls) if urls else -1
        if url_end >= 0:
            i = url_end
            continue
        ch = line[i]
        if stack and i - stack[-1][1] > _MAX_BRACKET_SPAN:
            stack.clear()
        if ch in OPENING:
            stack.append((ch, i))
        elif ch in _CLOSE_TO_OPEN:
            if stack and stack[-1][0] == _CLOSE_TO_OPEN[ch]:
                stack.pop()
                if not stack and i > 0 and line[i - 1] in TERMINATORS:
                    rest = line[i + 1 :]
                    if not rest.startswith(QUOTATIVE) and (not rest or rest[0] not in _TRAILING):
                        emit(i + 1)
        elif (ch in TERMINATORS or (ch == "." and _is_period(line, i))) and not stack:
            if ch == "．" and i and line[i - 1].isdigit() and i + 1 < n and line[i + 1].isdigit():
                i += 1
                continue
            j = i + 1
            while j < n and (line[j] in TERMINATORS or line[j] in _TRAILING):
                j += 1
            if line[j : j + 1] and line[j:].startswith(QUOTATIVE) and line[j - 1] in _TRAILING:
                i = j
                continue
            emit(j)
            i = j
            continue
        i += 1
    emit(n)
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences; ``text[s.start:s.end] == s.text`` for every sentence."""
    out: list[Sentence] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        out.extend(_split_line(body, pos))
        pos += len(line)
    return out


# A clause ends at the comma after a finite predicate + が, ものの, けれど(も), or a continuative
# ておる/である/せず; the connective is left out of the clause's text.
_CLAUSE_BOUNDARY = re.compile(
    r"(?<=[たすいだるんう])(?P<conn>が)、|(?P<conn2>ものの|けれども|けれど)、|(?<=ており)、|(?<=であり)、|(?<=[^ま]せず)、"
)


def split_clauses(sentence: Sentence, min_chars: int = 8) -> list[Sentence]:
    """Clauses of a sentence at contrast and continuation boundaries (…たが、 …ており、 …ものの、).

    NLI models judge a long sentence by its most salient clause (a 「…ではない」 tail can make a
    whole sentence read as a contradiction); checking clauses separately keeps each claim visible.
    Returns ``[sentence]`` when there is no boundary; every clause keeps its span.
    """
    out: list[Sentence] = []
    start = 0
    text = sentence.text
    for m in _CLAUSE_BOUNDARY.finditer(text):
        end = m.start("conn") if m.group("conn") else m.start("conn2") if m.group("conn2") else m.start()
        if end - start >= min_chars and len(text) - m.end() >= min_chars:
            out.append(Sentence(text[start:end], sentence.start + start, sentence.start + end))
            start = m.end()
    if not out:
        return [sentence]
    out.append(Sentence(text[start:], sentence.start + start, sentence.end))
    return out


def pack(lengths: Sequence[int], budget: int) -> list[range]:
    """Consecutive runs of items (sentences) whose lengths add up to at most ``budget``, in order;
    an item longer than the budget is a run of its own (the caller cuts it or lets it through).

    Both the NLI premise chunks and a seq2seq model's input windows are whole sentences packed
    this way, so a sentence is never split between two windows.
    """
    runs: list[range] = []
    start, used = 0, 0
    for i, n in enumerate(lengths):
        if i > start and (used + n > budget or n > budget):
            runs.append(range(start, i))
            start, used = i, 0
        used += n
    if start < len(lengths):
        runs.append(range(start, len(lengths)))
    return runs
