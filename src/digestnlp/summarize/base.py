"""What every learn-bullet backend shares: the ``Bullet``, turning a sentence into bullet form,
and the two roles a summarizer is built from (a ``Backend`` that proposes bullets, a ``Checker``
that judges them against the page)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from digestnlp.article import Article, TextSpan
from digestnlp.article.parser import is_commentary
from digestnlp.summarize.plain import ensure_period, is_plain, strip_fillers, strip_quotes, to_plain

_PARENTHETICAL = re.compile(r"[（(][^（）()]{0,40}[）)]")
_CLAUSE_CUT = re.compile(r"(?:ました|でした|ます|です|した|ている|ていた|た|だ)が、|ものの、|けれども、|けど、")
# Lines that teach nothing: a writer's transition, a writer's opinion or wish, a source citation.
_TRANSITION = re.compile(r"^(?:続いて|次に|ここで|ここからは|最後に|まずは|以上|というわけで|さらに詳しく)")
_OPINION = re.compile(
    r"(?:機会だ|機会です|べきだ|べきである|べきです|だろう|でしょう|ではないか|ないだろうか|と思う|と思います|"
    r"と言える|といえる|と言えます|(?:し|み|考え|期待し|注目し|願い)たい|(?:し|み|考え|期待し|注目し)たいです|願う|祈る|気がする)[。!！]?$"
)
_CITATION = re.compile(r"『[^』]{2,}』[。.]?$|\d{4}年\d{1,2}月\d{1,2}日付|https?://|\w\.(?:com|jp|net|org)\b")


def teaches_nothing(sentence: str) -> bool:
    """A transition (「続いて、…」), an opinion or wish (「…を見直す良い機会だ。」) or a source
    citation line: true of the page, but not something a reader learns from the article."""
    text = sentence.strip()
    return bool(_TRANSITION.search(text) or _OPINION.search(text) or _CITATION.search(text))


# Longest bullet, in characters, unless a backend says otherwise.
DEFAULT_MAX_CHARS = 80


@dataclass
class Bullet:
    """A learn bullet: its text, the source sentences it came from, and its faithfulness check."""

    text: str
    sources: list[TextSpan]
    score: float = 0.0
    support: float | None = None
    verdict: str | None = None


class Backend(Protocol):
    """Proposes bullets for a page, best first; the summarizer keeps the first ``n`` the checker
    does not reject, so a backend should offer more than ``n`` when it can."""

    def candidates(self, article: Article, n: int) -> list[Bullet]: ...


@runtime_checkable
class PipeBackend(Backend, Protocol):
    """A backend that proposes for many pages at once (sharing model batches across them)."""

    def pipe(self, articles: Sequence[Article], n: int) -> list[list[Bullet]]: ...


class Judgement(Protocol):
    @property
    def score(self) -> float: ...

    @property
    def verdict(self) -> str: ...


class Checker(Protocol):
    """Judges claims against evidence (``digestnlp.check.ConsistencyChecker`` is one)."""

    def judge(
        self, items: Sequence[tuple[str, str]], *, evidence: Literal["card", "text"] = ..., evidence_name: str = ...
    ) -> Sequence[Judgement]: ...


_REPORTING = re.compile(
    r"(?:ことで)?(?:と|ことを)(?:発表|明らかに|述べ|報じ|伝え|説明|強調|指摘)(?:しました|した|しています|している|ました|た)?(?=。?$)"
)


# A news sentence's opening attribution (「…によると、」) and time (「同日未明、」「20日午後、」): a
# written bullet states the fact and usually drops both.
_ATTRIBUTION = re.compile(r"^[^、。「」]{1,40}?(?:によると|によれば|の発表では|の調べでは|の報道では)、")
_DIGITS = "[0-9０-９]{1,4}"
_OPENING_TIME = re.compile(
    rf"^(?=[^、。]{{1,20}}、)(?:同日|同月|前日|翌日|当日|{_DIGITS}年)?(?:{_DIGITS}月)?(?:{_DIGITS}日)?"
    rf"(?:午前|午後|未明|早朝|夜|朝|夕方)?(?:{_DIGITS}時(?:{_DIGITS}分)?)?(?:ごろ|頃)?(?:に)?、"
)


def opening_trims(text: str) -> list[str]:
    """The sentence, then without its opening attribution, then without its opening time too."""
    out = [text]
    for pattern in (_ATTRIBUTION, _OPENING_TIME):
        m = pattern.match(out[-1])
        if m and m.end() > 1 and len(out[-1]) - m.end() >= 12:
            out.append(out[-1][m.end() :])
    return out


# A clause chain's first link (「…を申請し、…」) ends in a continuative form; its finite form makes
# the first event a sentence of its own.
_CHAIN = re.compile(r"(?<=[\u4e00-\u9fff])し、|され、|ており、|であり、|となり、")
_FINITE = {"し、": "した", "され、": "された", "ており、": "ている", "であり、": "である", "となり、": "となった"}


def clause_variants(text: str) -> list[tuple[str, bool]]:
    """The sentence, and for a contrast (…が、…) its tail and its head, and for a clause chain
    (…し、…) its first link, each a complete sentence.

    The flag marks a head clause: in 「AがB」 the assertion is B, and a chain's first link leaves
    the rest out, so a head is a weaker bullet (used when the whole does not fit).
    """
    out = [(text, False)]
    chain = _CHAIN.search(text)
    if chain and chain.start() >= 12:
        out.append((text[: chain.start()] + _FINITE[chain.group()], True))
    for m in _CLAUSE_CUT.finditer(text):
        head = text[: m.end() - 2] if m.group().endswith("が、") else text[: m.start()]
        tail = text[m.end() :]
        if len(tail) >= 12:
            out.append((tail, False))
        if len(head) >= 12 and not head.endswith(("ものの", "けれども", "けど")):
            out.append((head, True))
    return out


def compress(sentence: str, max_chars: int) -> list[tuple[str, bool]]:
    """Bullet-style versions of ``sentence`` within ``max_chars`` (possibly none), flagged as in
    :func:`clause_variants`."""
    text = strip_quotes(strip_fillers(_PARENTHETICAL.sub("", sentence)))
    if is_commentary(text) or teaches_nothing(text) or len(text) < 8:
        return []
    out: list[tuple[str, bool]] = []
    variants = [v for trimmed in opening_trims(text.rstrip("。")) for v in clause_variants(trimmed)]
    for variant, is_head in variants:
        body = _REPORTING.sub("", variant) or variant
        rewrite = to_plain(ensure_period(body))
        bullet = ensure_period(strip_quotes(rewrite.text))
        if rewrite.plain and len(bullet) <= max_chars and is_plain(bullet) and all(bullet != b for b, _ in out):
            out.append((bullet, is_head))
    return out


def source_text(article: Article) -> str:
    """What bullets are checked against: the page text (``Article.page_text``), as the audit
    checks a page's own learn bullets.

    A bullet taken from a card must be supported by the page text it came from; whether the card
    itself is right is the card check's question, not the summarizer's.
    """
    return article.page_text.strip() or article.source
