"""Batch auditing: one row per card and one per article, with NLI batched across pages.

Pages are processed in groups so that the cards and learn bullets of many pages share each model
call. Any failure of one page (binary, empty, not Japanese, a parser or model error) becomes that
page's error row; it never stops the batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from digestnlp.article import Article, parse_checked
from digestnlp.check.cards import check_articles
from digestnlp.check.consistency import ConsistencyChecker
from digestnlp.check.nli import DEFAULT_NLI_MODEL
from digestnlp.errors import InputError
from digestnlp.modeling.loading import release_free_memory
from digestnlp.report.inputs import InputItem
from digestnlp.summarize import Bullet, Summarizer

ROW_KEYS = (
    "kind",
    "article_id",
    "card_index",
    "headline",
    "score",
    "verdict",
    "explanation",
    "conflicts",
    "source_url",
    "published",
    "title",
    "n_cards",
    "n_inconsistent",
    "learn_bullets",
    "generated_bullets",
    "error",
)


def empty_row(kind: str, article_id: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(ROW_KEYS)
    row.update(kind=kind, article_id=article_id)
    return row


def error_row(article_id: str, reason: str) -> dict[str, Any]:
    row = empty_row("article", article_id)
    row["error"] = reason
    return row


class Auditor:
    """Checks pages in groups; create once per process (it holds the models)."""

    def __init__(
        self,
        model: str | ConsistencyChecker = DEFAULT_NLI_MODEL,
        *,
        summarize: bool = False,
        n_bullets: int = 3,
        batch_size: int = 32,
    ) -> None:
        self.checker = (
            model if isinstance(model, ConsistencyChecker) else ConsistencyChecker(model, batch_size=batch_size)
        )
        self.summarize = summarize
        self.n_bullets = n_bullets
        self._summarizer: Summarizer | None = None

    @property
    def summarizer(self) -> Summarizer:
        if self._summarizer is None:
            self._summarizer = Summarizer(checker=self.checker)
        return self._summarizer

    def _parse(self, item: InputItem) -> Article | str:
        if item.error is not None or item.text is None:
            return item.error or "no text"
        try:
            return parse_checked(item.text)
        except InputError as exc:
            return str(exc)
        except Exception as exc:  # a parser bug must cost one row, not the batch
            return f"parse failed: {exc.__class__.__name__}: {exc}"

    def audit_group(self, items: Sequence[InputItem]) -> list[list[dict[str, Any]]]:
        """Rows per item (cards first, the article row last), in input order."""
        parsed = [self._parse(item) for item in items]
        ok = [(i, a) for i, a in enumerate(parsed) if isinstance(a, Article)]
        out: list[list[dict[str, Any]]] = [
            [error_row(item.id, str(p))] if not isinstance(p, Article) else []
            for item, p in zip(items, parsed, strict=True)
        ]
        try:
            self._fill(items, ok, out)
        except Exception as exc:  # a model failure on the group: fall back page by page
            if len(ok) > 1:
                for i, art in ok:
                    out[i] = []
                    try:
                        self._fill(items, [(i, art)], out)
                    except Exception as inner:
                        out[i] = [error_row(items[i].id, f"check failed: {inner.__class__.__name__}: {inner}")]
            else:
                for i, _ in ok:
                    out[i] = [error_row(items[i].id, f"check failed: {exc.__class__.__name__}: {exc}")]
        release_free_memory()
        return out

    def _fill(self, items: Sequence[InputItem], ok: list[tuple[int, Article]], out: list[list[dict[str, Any]]]) -> None:
        checks = check_articles([a for _, a in ok], checker=self.checker)
        generated: list[list[Bullet] | None] = [None] * len(ok)
        if self.summarize:
            generated = list(self.summarizer.pipe([a for _, a in ok], n=self.n_bullets))
        for (i, art), check, bullets in zip(ok, checks, generated, strict=True):
            for k, (card, v) in enumerate(zip(art.cards, check.cards, strict=True)):
                row = empty_row("card", items[i].id)
                row.update(
                    v.to_dict(),
                    card_index=k,
                    source_url=card.source_url,
                    published=card.published.isoformat() if card.published else None,
                )
                out[i].append(row)
            row = empty_row("article", items[i].id)
            row.update(
                title=art.title,
                n_cards=len(art.cards),
                n_inconsistent=sum(1 for v in check.cards if v.verdict == "inconsistent"),
                learn_bullets=[b.to_dict() for b in check.learn_bullets],
            )
            if bullets is not None:
                row["generated_bullets"] = [b.text for b in bullets]
            out[i].append(row)


@dataclass
class AuditReport:
    """Audit rows with pandas, JSONL, notebook and plotting views."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["kind"] == "card"]

    @property
    def articles(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["kind"] == "article"]

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.articles if r.get("error")]

    def to_pandas(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.rows, columns=list(ROW_KEYS))

    def to_jsonl(self, path: str | None = None) -> str:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.rows)
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        return text

    def _repr_html_(self) -> str:
        from digestnlp.report.html import render_articles

        return render_articles(self.rows, standalone=False)

    def to_html(self, path: str | None = None) -> str:
        from digestnlp.report.html import render_articles

        html = render_articles(self.rows, standalone=True)
        if path is not None:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(html)
        return html

    def plot_scores(self, ax: Any = None, bins: int = 20) -> Any:
        """Histogram of card scores by verdict (matplotlib)."""
        from digestnlp.report.plot import plot_score_distribution

        return plot_score_distribution(self.cards, ax=ax, bins=bins)


def audit(
    pages: Iterable[Article | str | InputItem],
    *,
    model: str | ConsistencyChecker = DEFAULT_NLI_MODEL,
    summarize: bool = False,
    n_bullets: int = 3,
    group_size: int = 16,
) -> AuditReport:
    """Audit pages (Articles, page texts or :class:`InputItem`) in memory and return the report.

    A page of another type (bytes, a number) becomes its error row, like an unreadable file."""
    if isinstance(pages, str | bytes | Article | InputItem):
        raise TypeError(f"audit takes an iterable of pages, not one {type(pages).__name__}; pass [page]")
    auditor = Auditor(model, summarize=summarize, n_bullets=n_bullets)
    items: list[InputItem] = []
    for k, page in enumerate(pages):
        if isinstance(page, InputItem):
            items.append(page)
        elif isinstance(page, Article):
            items.append(InputItem(f"article-{k}", page.source))
        elif isinstance(page, str):
            items.append(InputItem(f"article-{k}", page))
        else:
            what = "bytes: decode them to str first" if isinstance(page, bytes) else "not a page (str or Article)"
            items.append(InputItem(f"article-{k}", None, f"page {k} is {type(page).__name__}, {what}"))
    rows: list[dict[str, Any]] = []
    for start in range(0, len(items), group_size):
        for block in auditor.audit_group(items[start : start + group_size]):
            rows += block
    return AuditReport(rows)
