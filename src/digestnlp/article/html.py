"""HTML pages to the line-per-block text the parser reads, with BeautifulSoup (html.parser).

Scripts, styles and navigation chrome are dropped; each block element becomes its own line, so
spans of the parsed :class:`Article` index the returned text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digestnlp.text.sentences import marker_length

_BLOCKS = (
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "figcaption",
    "figure",
    "dt",
    "dd",
    "tr",
    "table",
    "header",
    "aside",
    "pre",
    "time",
)
_DROP = ("head", "script", "style", "noscript", "template", "svg", "nav", "footer", "iframe", "form", "button")
_HEADINGS = ("h2", "h3", "h4")
_LOOKS_HTML = re.compile(r"<(?:!doctype|html|body|head|div|p|h[1-6]|section|article|span|br|li|a)\b", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlText:
    text: str
    headings: tuple[str, ...]


def looks_like_html(text: str) -> bool:
    head = text[:5000]
    return len(_LOOKS_HTML.findall(head)) >= 2


def html_to_text(html: str) -> HtmlText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(list(_DROP)):
        tag.decompose()
    headings = tuple(h.get_text(" ", strip=True) for h in soup.find_all(list(_HEADINGS)))
    # A list item is a bullet whether or not its text carries a marker: give it one, so the parser
    # reads a marker-less <li> list as learn bullets, or as a card's bullets when a 出典 line follows.
    for li in soup.find_all("li"):
        if not marker_length(li.get_text(" ", strip=True)):
            li.insert(0, "・")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(list(_BLOCKS)):
        block.insert_before("\n")
        block.insert_after("\n")
    for a in soup.find_all("a", href=True):
        href = str(a["href"])
        if href.startswith("http") and href not in a.get_text():
            a.append(f" {href}")
    raw = soup.get_text()
    lines = [re.sub(r"[ \t\r\f\v]+", " ", ln).strip() for ln in raw.split("\n")]
    return HtmlText("\n".join(ln for ln in lines if ln), tuple(h for h in headings if h))
