"""Digest pages as typed structures: :func:`parse_page` for text or HTML."""

from __future__ import annotations

from digestnlp.article.html import html_to_text, looks_like_html
from digestnlp.article.model import Article, Chapter, SourceCard, TextSpan
from digestnlp.article.parser import parse_article
from digestnlp.errors import InputError
from digestnlp.io import japanese_ratio

# Below this share of kana and kanji in a page's text (HTML markup excluded) it is not Japanese.
MIN_JAPANESE_RATIO = 0.1


def parse_page(page: str) -> Article:
    """Parse a page given as text or HTML (detected); HTML spans index its text rendering."""
    if not isinstance(page, str):
        raise TypeError(f"parse_page needs str, not {type(page).__name__}; decode bytes first")
    if looks_like_html(page):
        rendered = html_to_text(page)
        return parse_article(rendered.text, headings=rendered.headings)
    return parse_article(page)


def parse_checked(page: str) -> Article:
    """``parse_page``, refusing a page the checker cannot read: its extracted text (not its HTML
    markup) must be Japanese. What ``check``, ``summarize`` and ``audit`` all accept."""
    article = parse_page(page)
    ratio = japanese_ratio(article.source)
    if ratio < MIN_JAPANESE_RATIO:
        raise InputError(
            f"not Japanese: kana and kanji are {ratio:.0%} of the page's text; digestnlp reads Japanese digest pages"
        )
    return article


__all__ = [
    "MIN_JAPANESE_RATIO",
    "Article",
    "Chapter",
    "SourceCard",
    "TextSpan",
    "html_to_text",
    "parse_article",
    "parse_checked",
    "parse_page",
]
