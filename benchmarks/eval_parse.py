"""How well the parser holds when digest pages are printed another way.

Each page is rewritten as other digest sites print the same content (other bullet markers,
Markdown, labels before questions and answers, a tag before headlines, other source-line
wording, the 公開日 under the bullets, bullets run together on one line, HTML lists, line-break
changes) and parsed again. Reported per rewriting: the share of pages whose structure — title,
learn bullets, each chapter's heading / question / answer, each card's headline, 公開日, bullets
and source URL — is exactly the structure of the page as printed, and the share of cards kept.

Pages: the dev pages of ``digest-cards`` (reported) and the calibration articles rendered as
digest pages (``training.pages.card_page``), where a parser change is judged. Parsing only: no
model is loaded.
"""

from __future__ import annotations

import argparse
import html
import random
import re
from collections.abc import Callable
from typing import Any

from common import SHARED, print_table, write_result
from digestnlp.article import Article, parse_page
from digestnlp.training.data import written_cards
from digestnlp.training.pages import card_page, nearest_other_stories

Rewrite = Callable[[str, Article], str]


def structure(a: Article) -> tuple[Any, ...]:
    """What a rewriting must leave unchanged (publisher names may go with the source line's wording)."""
    return (
        a.title,
        [b.text for b in a.learn_bullets],
        [
            (c.heading.text, c.question.text if c.question else None, c.answer.text if c.answer else None)
            for c in a.chapters
        ],
        [(c.headline, c.published, [b.text for b in c.bullets], c.source_url) for c in a.cards],
    )


def _lines(text: str, a: Article, edit: Callable[[str, str], str]) -> str:
    """Each line passed through ``edit(line, role)``; the role is read from the parse of the page as printed."""
    roles: dict[str, str] = {}
    for ch in a.chapters:
        roles[ch.heading.text] = "heading"
        if ch.question:
            roles[ch.question.text] = "question"
        if ch.answer:
            roles[ch.answer.text] = "answer"
    for card in a.cards:
        roles[card.headline_span.text] = "headline"
    out = []
    titled = False  # the title's line is the first with its text: a card may repeat it as its headline
    for line in text.split("\n"):
        body = line.strip()
        if body == a.title and not titled:
            titled = True
            out.append(edit(line, "title"))
            continue
        role = (
            "card bullet"
            if body.startswith("✅")
            else "learn bullet"
            if body.startswith("💡")
            else "published"
            if body.startswith("公開日")
            else "source"
            if "出典" in body or "画像元" in body
            else roles.get(body, "")
        )
        out.append(edit(line, role))
    return "\n".join(out)


def _marker(new: str) -> Rewrite:
    return lambda text, a: _lines(
        text, a, lambda ln, role: new + ln.strip()[1:].lstrip() if role == "card bullet" else ln
    )


def _markdown(text: str, a: Article) -> str:
    prefix = {"title": "# ", "heading": "## ", "card bullet": "- ", "learn bullet": "- "}
    return _lines(text, a, lambda ln, role: prefix.get(role, "") + ln)


def _labels(text: str, a: Article) -> str:
    return _lines(text, a, lambda ln, role: {"question": "Q. ", "answer": "A. "}.get(role, "") + ln)


def _tags(text: str, a: Article) -> str:
    return _lines(text, a, lambda ln, role: "【速報】" + ln if role == "headline" else ln)


def _source_words(text: str, a: Article) -> str:
    def edit(ln: str, role: str) -> str:
        url = re.search(r"https?://\S+", ln)
        return f"引用: {url.group(0)}" if role == "source" and url else ln

    return _lines(text, a, edit)


def _blocks(text: str) -> list[str]:
    return [b for b in text.split("\n\n") if b.strip()]


def _date_under(text: str, a: Article) -> str:
    """The 公開日 block moved from above a card's bullets to just under them."""
    blocks, out, held = _blocks(text), [], None
    for k, block in enumerate(blocks):
        if block.startswith("公開日"):
            held = block
            continue
        out.append(block)
        last_bullet = block.startswith("✅") and not (k + 1 < len(blocks) and blocks[k + 1].startswith("✅"))
        if held and last_bullet:
            out.append(held)
            held = None
    return "\n\n".join(out + ([held] if held else []))


def _run_together(text: str, a: Article) -> str:
    """A card's bullets on one line, as when scraping loses the breaks between them."""
    out: list[str] = []
    for block in _blocks(text):
        if block.startswith("✅") and out and out[-1].startswith("✅"):
            out[-1] += block
        else:
            out.append(block)
    return "\n\n".join(out)


def _html(text: str, a: Article) -> str:
    """One element a block: <h1> title, <h2> headings, card bullets as <li> without their ✅."""
    parts, items = [], []
    tag = {"title": "h1", "heading": "h2"}
    for ln in _lines(text, a, lambda ln, role: f"{role}\t{ln}").split("\n"):
        role, _, body = ln.partition("\t")
        if not body.strip():
            continue
        if role == "card bullet":
            items.append(f"<li>{html.escape(body.strip()[1:].strip())}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        name = tag.get(role, "p")
        parts.append(f"<{name}>{html.escape(body.strip())}</{name}>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "<!doctype html><html><body>" + "\n".join(parts) + "</body></html>"


REWRITES: dict[str, Rewrite] = {
    "as printed": lambda text, a: text,
    "CRLF line breaks": lambda text, a: text.replace("\n", "\r\n"),
    "no blank lines": lambda text, a: re.sub(r"\n\s*\n", "\n", text),
    "・ card bullets": _marker("・"),
    "● card bullets": _marker("● "),
    "Markdown (#, ##, - ✅, - 💡)": _markdown,
    "Q. / A. labels": _labels,
    "【速報】 before headlines": _tags,
    "引用: source lines": _source_words,
    "公開日 under the bullets": _date_under,
    "bullets on one line": _run_together,
    "HTML, card bullets as <li>": _html,
}


def measure(pages: list[str]) -> list[dict[str, Any]]:
    parsed = [parse_page(p) for p in pages]
    rows = []
    for name, rewrite in REWRITES.items():
        same = cards = kept = 0
        for text, original in zip(pages, parsed, strict=True):
            got = parse_page(rewrite(text, original))
            same += structure(got) == structure(original)
            want = structure(original)[3]
            cards += len(want)
            kept += sum(card in want for card in structure(got)[3])
        rows.append(
            {"rewriting": name, "pages": len(pages), "same structure": same / len(pages), "cards kept": kept / cards}
        )
    return rows


def calibration_pages(seed: int = 29) -> list[str]:
    articles = written_cards("calibration")
    rng = random.Random(seed)
    return [card_page(a, articles[o], rng) for a, o in zip(articles, nearest_other_stories(articles), strict=True)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, help="only the first N pages of each set (smoke runs)")
    args = ap.parse_args()
    dev = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data" / "digest-cards" / "pages").glob("*.txt"))]
    sets = {"calibration pages (card_page)": calibration_pages()[: args.limit], "dev pages": dev[: args.limit]}
    result: dict[str, Any] = {}
    for name, pages in sets.items():
        rows = measure(pages)
        print(f"\n{name}:")
        print_table(rows)
        result[name] = rows
    path = write_result("eval_parse", result)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
