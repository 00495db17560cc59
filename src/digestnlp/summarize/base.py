"""What every learn-bullet backend shares: the ``Bullet``, turning a sentence into bullet form,
and the two roles a summarizer is built from (a ``Backend`` that proposes bullets, a ``Checker``
that judges them against the page)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from digestnlp.article import Article, TextSpan
from digestnlp.article.parser import is_commentary
from digestnlp.summarize.plain import ensure_period, is_plain, strip_fillers, strip_quotes, to_plain

_PARENTHETICAL = re.compile(r"[（(][^（）()]{0,40}[）)]")
_CLAUSE_CUT = re.compile(r"(?:ました|でした|ます|です|した|ている|ていた|た|だ)が、|ものの、|けれども、|けど、")


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


class Judgement(Protocol):
    @property
    def score(self) -> float: ...

    @property
    def verdict(self) -> str: ...


class Checker(Protocol):
    """Judges claims against evidence (``digestnlp.check.ConsistencyChecker`` is one)."""

    def judge(self, items: Sequence[tuple[str, str]], *, evidence_name: str = ...) -> Sequence[Judgement]: ...


_REPORTING = re.compile(
    r"(?:ことで)?(?:と|ことを)(?:発表|明らかに|述べ|報じ|伝え|説明|強調|指摘)(?:しました|した|しています|している|ました|た)?(?=。?$)"
)


def clause_variants(text: str) -> list[tuple[str, bool]]:
    """The sentence, and for a contrast (…が、…) its tail and its head, each a complete sentence.

    The flag marks a head clause: in 「AがB」 the assertion is B, so a head is a weaker bullet.
    """
    out = [(text, False)]
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
    if is_commentary(text) or len(text) < 8:
        return []
    out: list[tuple[str, bool]] = []
    for variant, is_head in clause_variants(text.rstrip("。")):
        body = _REPORTING.sub("", variant) or variant
        rewrite = to_plain(ensure_period(body))
        bullet = ensure_period(strip_quotes(rewrite.text))
        if rewrite.plain and len(bullet) <= max_chars and is_plain(bullet) and all(bullet != b for b, _ in out):
            out.append((bullet, is_head))
    return out


def source_text(article: Article) -> str:
    """What bullets are drawn from and checked against: the body and every card's bullets.

    A bullet taken from a card must be supported by the page text it came from; whether the card
    itself is right is the card check's question, not the summarizer's.
    """
    bullets = [b.text for card in article.cards for b in card.bullets]
    return "\n".join([article.body_text, *bullets]).strip() or article.source
