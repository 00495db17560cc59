"""Self-contained HTML view of audit rows: cards coloured by verdict, conflicting words marked.

No scripts, fonts or stylesheets are fetched: the report opens offline and in notebooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

COLOURS = {"consistent": "#1b7f3b", "inconsistent": "#b3261e", "uncertain": "#a66300"}
_CSS = """
.dn-report{font-family:system-ui,'Hiragino Sans','Noto Sans JP',sans-serif;max-width:960px}
.dn-article{border:1px solid #ddd;border-radius:6px;margin:12px 0;padding:8px 12px}
.dn-article h3{margin:4px 0 8px;font-size:1.05em}
.dn-card{border-left:6px solid #999;padding:4px 10px;margin:6px 0;background:#fafafa}
.dn-verdict{display:inline-block;color:#fff;border-radius:4px;padding:0 6px;font-size:.85em;margin-right:6px}
.dn-expl{color:#444;font-size:.9em;margin-top:2px}
.dn-error{color:#b3261e}
mark.dn-conflict{background:#ffd54f;padding:0 2px}
.dn-learn li{margin:2px 0}
"""


def highlight(text: str, conflicts: Sequence[dict[str, Any]]) -> str:
    """Escape ``text`` and wrap each conflict's span in ``<mark>`` (spans index the headline)."""
    spans = sorted(
        {
            (int(c["start"]), int(c["end"]))
            for c in conflicts
            if c.get("start") is not None and 0 <= c["start"] < c["end"] <= len(text)
        }
    )
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="dn-conflict">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _badge(verdict: str | None) -> str:
    v = verdict or "uncertain"
    return f'<span class="dn-verdict" style="background:{COLOURS.get(v, "#666")}">{escape(v)}</span>'


def render_articles(rows: Sequence[dict[str, Any]], *, standalone: bool = True) -> str:
    by_article: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_article.setdefault(str(row["article_id"]), []).append(row)
    parts = [f"<style>{_CSS}</style>", '<div class="dn-report">']
    for article_id, group in by_article.items():
        art = next((r for r in group if r["kind"] == "article"), {})
        title = art.get("title") or article_id
        parts.append(f'<section class="dn-article" data-article-id="{escape(article_id)}">')
        parts.append(f"<h3>{escape(str(title))}</h3>")
        if art.get("error"):
            parts.append(f'<p class="dn-error">error: {escape(str(art["error"]))}</p>')
        for card in (r for r in group if r["kind"] == "card"):
            colour = COLOURS.get(card.get("verdict") or "", "#999")
            score = card.get("score")
            score_html = f" <small>score {score:.2f}</small>" if isinstance(score, (int, float)) else ""
            headline = highlight(str(card.get("headline") or ""), card.get("conflicts") or [])
            parts.append(
                f'<div class="dn-card" style="border-left-color:{colour}" data-verdict="{escape(str(card.get("verdict")))}">'
                f"{_badge(card.get('verdict'))}<strong>{headline}</strong>{score_html}"
            )
            parts.append(f'<div class="dn-expl">{escape(str(card.get("explanation") or ""))}</div></div>')
        learn = art.get("learn_bullets") or []
        if learn:
            parts.append('<ul class="dn-learn">')
            parts += [f"<li>{_badge(b.get('verdict'))}{escape(str(b.get('text')))}</li>" for b in learn]
            parts.append("</ul>")
        generated = art.get("generated_bullets") or []
        if generated:
            parts.append(
                "<p>generated bullets:</p><ul>" + "".join(f"<li>{escape(b)}</li>" for b in generated) + "</ul>"
            )
        parts.append("</section>")
    parts.append("</div>")
    body = "\n".join(parts)
    if not standalone:
        return body
    return f'<!doctype html>\n<html lang="ja"><head><meta charset="utf-8"><title>digestnlp audit</title></head><body>\n{body}\n</body></html>\n'
