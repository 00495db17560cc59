"""Write digest pages in the scraped-text format the parser reads (for test corpora and demos)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class CardSpec:
    headline: str
    bullets: Sequence[str]
    source_url: str | None = None
    published: dt.date | None = None
    publisher: str | None = None


@dataclass
class ChapterSpec:
    heading: str
    question: str
    answer: str
    paragraphs: Sequence[str] = ()
    cards: Sequence[CardSpec] = ()
    comment: str | None = None


@dataclass
class PageSpec:
    title: str
    learn_bullets: Sequence[str] = ()
    chapters: Sequence[ChapterSpec] = field(default_factory=list)


def render_page(page: PageSpec) -> str:
    """Blank-line separated blocks, like the seed page: title, 📘 learn section, chapters with cards."""
    blocks = ["Digest Logo Menu opener", page.title, page.title]
    if page.learn_bullets:
        blocks.append("📘 この記事で分かる事!")
        blocks += [f"💡 {b}" for b in page.learn_bullets]
    for ch in page.chapters:
        blocks += [ch.heading, ch.question, ch.answer]
        for card in ch.cards:
            headline = f"{card.headline}:{card.publisher}" if card.publisher else card.headline
            blocks.append(headline)
            if card.published:
                blocks.append(f"公開日:{card.published:%Y/%m/%d}")
            blocks.append(headline)
            blocks += [f"✅ {b}" for b in card.bullets]
            if card.source_url:
                blocks.append(f"さらに読む ⇒出典/画像元: {card.source_url}")
            if ch.comment:
                blocks.append(ch.comment)
        blocks += list(ch.paragraphs)
    return "\n\n".join(blocks) + "\n"
