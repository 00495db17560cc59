"""Typed structure of a digest page. Every element keeps its ``[start, end)`` span in the parsed text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A piece of page text: ``source[start:end]`` contains ``text`` (markers and spacing trimmed)."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class SourceCard:
    """An embedded news card: headline, 公開日, ✅ bullets and the 出典 URL."""

    headline: str
    start: int
    end: int
    headline_span: TextSpan
    published: dt.date | None = None
    bullets: list[TextSpan] = field(default_factory=list)
    source_url: str | None = None
    publisher: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "published": self.published.isoformat() if self.published else None,
            "bullets": [b.text for b in self.bullets],
            "source_url": self.source_url,
            "publisher": self.publisher,
        }


@dataclass(slots=True)
class Chapter:
    heading: TextSpan
    question: TextSpan | None = None
    answer: TextSpan | None = None
    paragraphs: list[TextSpan] = field(default_factory=list)
    commentary: list[TextSpan] = field(default_factory=list)
    cards: list[SourceCard] = field(default_factory=list)
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading.text,
            "question": self.question.text if self.question else None,
            "answer": self.answer.text if self.answer else None,
            "paragraphs": [p.text for p in self.paragraphs],
            "cards": [c.to_dict() for c in self.cards],
        }


@dataclass(slots=True)
class Article:
    """A parsed page. ``source`` is the text the spans index (the HTML's text rendering for HTML input)."""

    source: str
    title: str = ""
    title_span: TextSpan | None = None
    subtitle: TextSpan | None = None
    learn_bullets: list[TextSpan] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    cards: list[SourceCard] = field(default_factory=list)
    body: list[TextSpan] = field(default_factory=list)
    commentary: list[TextSpan] = field(default_factory=list)
    next_page: TextSpan | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def is_digest(self) -> bool:
        """True when digest structure (learn section, cards or chapters) was found."""
        return bool(self.learn_bullets or self.cards or self.chapters)

    @property
    def body_text(self) -> str:
        return "\n".join(p.text for p in self.body)

    @property
    def page_text(self) -> str:
        """What the page states, in reading order: body, commentary and the cards' bullets — the
        text its learn bullets summarise. Titles, headings, chapter questions and answers and card
        headlines (fragments, often with a publisher's name) are left out."""
        spans = [*self.body, *self.commentary, *(b for card in self.cards for b in card.bullets)]
        return "\n".join(s.text for s in sorted(spans, key=lambda s: s.start))

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subtitle": self.subtitle.text if self.subtitle else None,
            "learn_bullets": [b.text for b in self.learn_bullets],
            "chapters": [c.to_dict() for c in self.chapters],
            "cards": [c.to_dict() for c in self.cards],
            "body": [p.text for p in self.body],
            "commentary": [p.text for p in self.commentary],
            "next_page": self.next_page.text if self.next_page else None,
        }
