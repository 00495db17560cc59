"""Parse digest pages into :class:`Article`.

Digest pages are scraped text with one block per line. The parser works on lines, not on
positions in a template: a learn section is a 「この記事で分かる事」 line followed by bullet
lines; a card is a run of ✅ lines with its headline (and optional 公開日) just above and its
出典 line just below (a run of other list markers, ・ ● - …, is a card only with that 出典 line, since
an article's own lists look the same); a chapter is a heading followed by a question and a short answer.
Anything it does not recognise becomes body text or commentary, so no input makes it raise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from digestnlp.article.model import Article, Chapter, SourceCard, TextSpan
from digestnlp.text.quantities import extract_quantities
from digestnlp.text.sentences import marker_length

_SPACE = " \t\u3000\u00a0\ufeff\u200b"
_LEARN = re.compile(
    r"この記事(?:で|を読むと|から)(?:分|わ)か(?:る|ること|る事)|この記事(?:の|で)(?:ポイント|要点|まとめ)|この記事で学べる"
)
_LEARN_BULLET = re.compile(r"^[💡✔✓☑●・■◆▶\-*•]")
# A Markdown list item may carry the marker (「- ✅ …」).
_CARD_BULLET = re.compile(r"^(?:[-*+]\s*)?[✅☑✔✓]")
_LIST_BULLET = re.compile(r"^(?:[・●■◆▶•]|[-*+](?=\s))")
_PUBLISHED = re.compile(r"^(?:公開日|掲載日|配信日|更新日|投稿日)\s*[:：]?\s*(.*)$")
_SOURCE_LINE = re.compile(
    r"さらに読む|続きを読む|記事を読む|出典|画像元|^https?://|^(?:引用|参照|ソース|元記事)|^(?:source|via)\b",
    re.IGNORECASE,
)
# A URL with a short label (「朝日新聞デジタル https://…」) is a card's source line too.
_SOURCE_LABEL_CHARS = 30
_URL = re.compile(r"https?://[^\s\u3000<>\"'「」（）()]+")
_CHROME = re.compile(
    r"(?:\bLogo\b|\bMenu\b|opener|メニュー|ナビゲーション|Skip to content|コンテンツへスキップ|^ホーム$|^検索$|^トップ$)",
    re.IGNORECASE,
)
_NEXT_PAGE = re.compile(r"^次のページ(?:を読む|へ)?\s*[⇒→>»]*\s*(.*)$")
_QUESTION_END = re.compile(r"[?？]$")
# A chapter's prompt is a question or a request to explain (「詳しく教えてください。」).
_PROMPT_END = re.compile(r"(?:[?？]|(?:教えて|説明して|解説して)(?:ください|下さい)[。．.!！]?)$")
_SENTENCE_END = re.compile(r"[。．.!！]$")
_PUBLISHER_SUFFIX = re.compile(r"\s*(?:[:：｜|]|\s[-–—]\s)\s*([^:：｜|]{1,30})$")
_COMMENTARY_END = re.compile(
    r"(?:ね|よね|ねぇ|ねえ|なぁ|なあ|やなぁ|やな|わ|すわ|ますわ|よな|かな|でしょうか|ましょう|ましょうか|みましょう|じゃん|だよ)[。!！?？…〜~ー]*$"
)
_COMMENTARY_START = re.compile(
    r"^(?:うーん|ホンマ|いやー|いや、|えっ|おっ|なるほど|それでは|では、|さて|ほんま|マジで|正直)"
)
# A label a heading, question or answer may carry in front of its text: a Markdown heading's #s,
# 「Q.」 / 「A：」, 「質問:」 / 「回答:」.
_LABEL = re.compile(r"^(?:#{1,6}\s+|[QＱAＡ]\s*[.．:：)）]\s*|(?:質問|回答|答え)\s*[:：]\s*)")
MAX_ANSWER_CHARS = 40
MAX_QUESTION_CHARS = 100


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    start: int
    end: int

    def span(self, skip_marker: bool = False, skip_label: bool = False) -> TextSpan:
        label = _LABEL.match(self.text) if skip_label else None
        cut = marker_length(self.text) if skip_marker else label.end() if label else 0
        body = self.text[cut:].strip(_SPACE)
        offset = self.text.index(body, cut) if body else cut
        return TextSpan(body, self.start + offset, self.start + offset + len(body))


def iter_lines(text: str) -> Iterator[Line]:
    """Non-blank lines with spans; CRLF, full-width spaces and zero-width noise are tolerated."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        stripped = body.strip(_SPACE)
        if stripped:
            lead = len(body) - len(body.lstrip(_SPACE))
            yield Line(stripped, pos + lead, pos + lead + len(stripped))
        pos += len(raw)


def _key(text: str) -> str:
    """What two lines must share to be the same line (a headline printed twice): text without spaces or label."""
    return re.sub(r"[\s\u3000]+", "", _LABEL.sub("", text, count=1))


def parse_date(text: str) -> dt.date | None:
    for q in extract_quantities(text):
        if q.kind == "date" and len(q.iso) == 10 and not q.iso.startswith("-"):
            try:
                return dt.date.fromisoformat(q.iso)
            except ValueError:
                return None
    return None


# Markers inside a line, where scraping lost the line breaks between bullets (「✅ 一つ目。✅ 二つ目。」).
_INLINE_MARKER = re.compile(r"(?<=[。．.!！?？」』)）\s])[\s\u3000]*[✅☑✔✓💡][\s\u3000]*")
# Tags in front of a headline (【速報】, [独自], 〔動画〕): not part of what the card claims; on the
# calibration cards a 【速報】 in front lowers faithful cards' scores by 0.05 on average.
_HEADLINE_TAG = re.compile(r"^(?:[【\[［〔][^】\]］〕]{1,12}[】\]］〕][\s\u3000]*)+")
# A date printed after a headline: 「…（2025年2月19日）」.
_HEADLINE_DATE = re.compile(r"[\s\u3000]*[(（]\s*(\d{4}[年/.\-]\d{1,2}[月/.\-]\d{1,2}日?)\s*[)）]$")


def split_inline(span: TextSpan) -> list[TextSpan]:
    """``span`` cut at the bullet markers inside it; empty pieces left out."""
    out = []
    pos = 0
    for m in [*_INLINE_MARKER.finditer(span.text), None]:
        end = m.start() if m else len(span.text)
        piece = span.text[pos:end].strip(_SPACE)
        if piece:
            at = span.text.index(piece, pos)
            out.append(TextSpan(piece, span.start + at, span.start + at + len(piece)))
        pos = m.end() if m else end
    return out


def strip_tag(headline: str) -> str:
    """``【速報】…`` → ``…``; a headline that would be left too short keeps its tag."""
    m = _HEADLINE_TAG.match(headline)
    return headline[m.end() :] if m and len(headline) - m.end() >= 4 else headline


def split_date(headline: str) -> tuple[str, dt.date | None]:
    """``…（2025年2月19日）`` → (``…``, 2025-02-19); a headline without such a date is unchanged."""
    m = _HEADLINE_DATE.search(headline)
    date = parse_date(m.group(1)) if m else None
    return (headline[: m.start()], date) if m and date and m.start() >= 4 else (headline, None)


def split_publisher(headline: str) -> tuple[str, str | None]:
    """``…思惑は:朝日新聞+`` → (``…思惑は``, ``朝日新聞+``); headlines without a suffix are unchanged."""
    m = _PUBLISHER_SUFFIX.search(headline)
    if m and len(headline) - len(m.group(0)) >= 4 and not _QUESTION_END.search(m.group(1)):
        return headline[: m.start()].rstrip(_SPACE), m.group(1).strip(_SPACE)
    return headline, None


_NAMED_SOURCE = re.compile(r"^(?:出典|引用元?|ソース|source)\s*[:：]\s*([^\s:：｜|()（）]{1,30})$", re.IGNORECASE)


def _publisher_from_source_line(text: str) -> str | None:
    """「さらに読む ⇒朝日新聞+:…」 or 「出典：朝日新聞」 → 朝日新聞…; a line that only gives a URL names none."""
    named = _NAMED_SOURCE.match(text)
    if named:
        return named.group(1)
    m = re.search(r"さらに読む\s*[⇒→>»]?\s*(.*?)(?:出典|画像元|https?://|$)", text)
    if not m:
        return None
    name = re.split(r"[:：｜|]", m.group(1), maxsplit=1)[0].strip(_SPACE)
    return name or None


def is_source_line(text: str) -> bool:
    """A card's 出典 line: a source word (出典, 画像元, さらに読む, 引用, Source, …) or a URL with a short label."""
    if _SOURCE_LINE.search(text):
        return True
    found = _URL.search(text)
    return found is not None and len(text) - len(found.group(0)) <= _SOURCE_LABEL_CHARS


def is_commentary(text: str) -> bool:
    """Persona voice (…ですね, …やなぁ, それでは…) rather than reported content."""
    return bool(_COMMENTARY_END.search(text) or _COMMENTARY_START.search(text))


class _Parser:
    def __init__(self, text: str, headings: Iterable[str] = ()) -> None:
        self.text = text
        self.lines = list(iter_lines(text))
        self.heading_hints = {_key(h) for h in headings if h.strip()}
        self.article = Article(source=text)
        self.used: set[int] = set()

    def parse(self) -> Article:
        self._chrome()
        self._title()
        self._learn()
        cards = self._cards()
        self._next_page()
        chapters = self._chapters()
        self._assign(chapters, cards)
        return self.article

    def _chrome(self) -> None:
        for i, ln in enumerate(self.lines[:3]):
            if _CHROME.search(ln.text) and len(ln.text) < 60:
                self.used.add(i)

    def _title(self) -> None:
        learn_at = next((i for i, ln in enumerate(self.lines) if _LEARN.search(ln.text)), None)
        first_card = next((i for i, ln in enumerate(self.lines) if _CARD_BULLET.match(ln.text)), len(self.lines))
        head_end = learn_at if learn_at is not None else min(first_card, 4)
        candidates = [i for i in range(min(head_end, len(self.lines))) if i not in self.used]
        if not candidates or (
            learn_at is None and first_card == len(self.lines) and len(candidates) <= 1 and len(self.lines) <= 1
        ):
            return
        if learn_at is None and not self._looks_like_title(self.lines[candidates[0]].text):
            return
        first = candidates[0]
        self.article.title_span = self.lines[first].span(skip_label=True)
        self.article.title = self.article.title_span.text
        self.used.add(first)
        title_key = _key(self.article.title)
        for i in candidates[1:]:
            if _key(self.lines[i].text) == title_key:
                self.used.add(i)
            elif self.article.subtitle is None and learn_at is not None:
                self.article.subtitle = self.lines[i].span(skip_label=True)
                self.used.add(i)

    @staticmethod
    def _looks_like_title(text: str) -> bool:
        return len(text) <= 120 and not _SENTENCE_END.search(text)

    def _learn(self) -> None:
        for i, ln in enumerate(self.lines):
            if i in self.used or not _LEARN.search(ln.text) or len(ln.text) > 40:
                continue
            self.used.add(i)
            j = i + 1
            while (
                j < len(self.lines)
                and _LEARN_BULLET.match(self.lines[j].text)
                and not _CARD_BULLET.match(self.lines[j].text)
            ):
                self.article.learn_bullets += split_inline(self.lines[j].span(skip_marker=True))
                self.used.add(j)
                j += 1
            return

    def _cards(self) -> list[tuple[int, int, SourceCard]]:
        """Cards as ``(first line, last line, card)``."""
        out: list[tuple[int, int, SourceCard]] = []
        i = 0
        while i < len(self.lines):
            end = self._bullet_run(i)
            if end == i:
                i += 1
                continue
            first_bullet = i
            bullets = [piece for ln in self.lines[i:end] for piece in split_inline(ln.span(skip_marker=True))]
            i = end
            last = i - 1
            url = publisher = below = None
            while i < len(self.lines):
                src = self.lines[i].text
                # A 公開日 under the bullets is the card's when its source line follows: else it may
                # open the next card (「公開日 / headline / bullets」).
                pub = _PUBLISHED.match(src)
                if pub and i + 1 < len(self.lines) and is_source_line(self.lines[i + 1].text):
                    below = below or parse_date(pub.group(1))
                elif is_source_line(src):
                    found = _URL.search(src)
                    url = url or (found.group(0) if found else None)
                    publisher = publisher or _publisher_from_source_line(src)
                else:
                    break
                last = i
                i += 1
            start_line, headline_line, published = self._card_head(first_bullet, out[-1][1] if out else -1)
            if headline_line is None:
                headline, hp, head_span = (
                    "",
                    None,
                    TextSpan("", self.lines[first_bullet].start, self.lines[first_bullet].start),
                )
            else:
                head_span = self.lines[headline_line].span(skip_label=True)
                headline, dated = split_date(strip_tag(head_span.text))
                headline, hp = split_publisher(headline)
                published = published or dated
            card = SourceCard(
                headline=headline,
                start=self.lines[start_line].start,
                end=self.lines[last].end,
                headline_span=head_span,
                published=published or below,
                bullets=bullets,
                source_url=url,
                publisher=hp or publisher,
            )
            self.used.update(range(start_line, last + 1))
            out.append((start_line, last, card))
        return out

    def _bullet_run(self, i: int) -> int:
        """End of the card bullets that start at line ``i`` (``i`` itself when none do): a run of ✅
        lines, or of another list marker with a source line right after it."""
        if i in self.used:
            return i
        for marker in (_CARD_BULLET, _LIST_BULLET):
            if not marker.match(self.lines[i].text):
                continue
            end = i
            while end < len(self.lines) and end not in self.used and marker.match(self.lines[end].text):
                end += 1
            framed = end < len(self.lines) and is_source_line(self.lines[end].text)
            return end if marker is _CARD_BULLET or framed else i
        return i

    def _card_head(self, first_bullet: int, floor: int) -> tuple[int, int | None, dt.date | None]:
        """Walk up from the bullets over 公開日 and repeated headline lines."""
        published = None
        headline_line: int | None = None
        start = first_bullet
        j = first_bullet - 1
        while j > floor and j >= first_bullet - 4 and j not in self.used:
            text = self.lines[j].text
            pub = _PUBLISHED.match(text)
            if pub:
                published = published or parse_date(pub.group(1))
                start = j
            elif headline_line is None:
                # A short question above the bullets is usually the chapter's question, unless the
                # card's frame vouches for it as a headline (「…自殺か?」): a 公開日 below it, or the
                # same line repeated above it, as cards print their headline.
                question = _QUESTION_END.search(text) and len(text) < 25
                if is_commentary(text) or (question and published is None and not self._repeated_above(j, floor)):
                    break
                headline_line = j
                start = j
            elif _key(text) == _key(self.lines[headline_line].text):
                headline_line = j
                start = j
            else:
                break
            j -= 1
        return start, headline_line, published

    def _repeated_above(self, j: int, floor: int) -> bool:
        """Line ``j`` stands again just above it, with or without a 公開日 line between."""
        above = j - 1
        if above > floor and _PUBLISHED.match(self.lines[above].text):
            above -= 1
        return above > floor and above not in self.used and _key(self.lines[above].text) == _key(self.lines[j].text)

    def _next_page(self) -> None:
        for i, ln in enumerate(self.lines):
            m = _NEXT_PAGE.match(ln.text)
            if i in self.used or not m:
                continue
            self.used.add(i)
            if m.group(1).strip(_SPACE):
                rest = ln.span()
                cut = rest.text.index(m.group(1))
                self.article.next_page = TextSpan(m.group(1), rest.start + cut, rest.end)
            elif i + 1 < len(self.lines) and i + 1 not in self.used:
                self.article.next_page = self.lines[i + 1].span()
                self.used.add(i + 1)
            return

    def _chapters(self) -> list[tuple[int, Chapter]]:
        out: list[tuple[int, Chapter]] = []
        n = len(self.lines)
        for i in range(n):
            if i in self.used:
                continue
            ln = self.lines[i]
            hinted = _key(ln.text) in self.heading_hints and not _SENTENCE_END.search(ln.text)
            q = i + 1 if i + 1 < n and i + 1 not in self.used else None
            is_q = (
                q is not None
                and _PROMPT_END.search(self.lines[q].text) is not None
                and len(self.lines[q].text) <= MAX_QUESTION_CHARS
            )
            if not hinted and (
                not is_q
                or _SENTENCE_END.search(ln.text)
                or _QUESTION_END.search(ln.text)
                or len(ln.text) > 80
                or is_commentary(ln.text)
            ):
                continue
            chapter = Chapter(heading=ln.span(skip_label=True), start=ln.start, end=ln.end)
            self.used.add(i)
            if is_q and q is not None:
                chapter.question = self.lines[q].span(skip_label=True)
                self.used.add(q)
                a = q + 1
                if a < n and a not in self.used:
                    cand = self.lines[a].text
                    if (
                        len(cand) <= MAX_ANSWER_CHARS
                        and not _SENTENCE_END.search(cand)
                        and not _QUESTION_END.search(cand)
                    ):
                        chapter.answer = self.lines[a].span(skip_label=True)
                        self.used.add(a)
            out.append((i, chapter))
        return out

    def _assign(self, chapters: list[tuple[int, Chapter]], cards: list[tuple[int, int, SourceCard]]) -> None:
        art = self.article
        starts = [i for i, _ in chapters]

        def owner(line: int) -> Chapter | None:
            idx = -1
            for k, s in enumerate(starts):
                if s <= line:
                    idx = k
            return chapters[idx][1] if idx >= 0 else None

        for first, _, card in cards:
            art.cards.append(card)
            ch = owner(first)
            if ch is not None:
                ch.cards.append(card)
        art.chapters = [c for _, c in chapters]
        for i, ln in enumerate(self.lines):
            if i in self.used:
                continue
            span = ln.span(skip_marker=True)
            if not span.text:
                continue
            ch = owner(i)
            if is_commentary(span.text):
                art.commentary.append(span)
                if ch is not None:
                    ch.commentary.append(span)
            else:
                art.body.append(span)
                if ch is not None:
                    ch.paragraphs.append(span)
        for k, (i, ch) in enumerate(chapters):
            last_line = (starts[k + 1] - 1) if k + 1 < len(starts) else len(self.lines) - 1
            ch.end = max(ch.end, self.lines[last_line].end if last_line >= i else ch.end)
        if not art.is_digest and art.title:
            art.warnings.append("no learn section, cards or chapters found: parsed as plain text")


def parse_article(text: str, *, headings: Iterable[str] = ()) -> Article:
    """Parse a digest page given as text (one block per line).

    ``headings`` are texts known to be chapter headings (the HTML path passes its h2/h3 texts).
    Raises ``TypeError`` only for a non-``str`` input.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_article needs str, not {type(text).__name__}; decode bytes first (or use parse_page)")
    return _Parser(text, headings).parse()
