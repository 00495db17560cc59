"""Digest pages as typed structures: :func:`parse_page` for text or HTML."""

from __future__ import annotations

from digestnlp.article.html import html_to_text, looks_like_html
from digestnlp.article.model import Article, Chapter, SourceCard, TextSpan
from digestnlp.article.parser import parse_article


def parse_page(page: str) -> Article:
    """Parse a page given as text or HTML (detected); HTML spans index its text rendering."""
    if not isinstance(page, str):
        raise TypeError(f"parse_page needs str, not {type(page).__name__}; decode bytes first")
    if looks_like_html(page):
        rendered = html_to_text(page)
        return parse_article(rendered.text, headings=rendered.headings)
    return parse_article(page)


__all__ = ["Article", "Chapter", "SourceCard", "TextSpan", "html_to_text", "parse_article", "parse_page"]
