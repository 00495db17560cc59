"""Scale-out on Ray Data: ``map_batches`` with an actor that loads the models once per worker.

Needs the ``ray`` extra (``pip install 'digestnlp[ray]'``). Rows are carried as JSON text in a
``row`` column so that cards and articles, with their nested fields, share one schema; the rows
equal those of the local :class:`~digestnlp.report.audit.Auditor` for the same pages.
"""

from __future__ import annotations

import json
from typing import Any

from digestnlp.check.nli import DEFAULT_NLI_MODEL
from digestnlp.report.audit import Auditor
from digestnlp.report.inputs import row_item


class AuditActor:
    """Ray actor: one :class:`Auditor` (models loaded once) per worker process."""

    def __init__(self, model: str, summarize: bool, n_bullets: int, text_column: str, id_column: str) -> None:
        self.auditor = Auditor(model, summarize=summarize, n_bullets=n_bullets)
        self.text_column = text_column
        self.id_column = id_column

    def __call__(self, batch: Any) -> Any:
        import pandas as pd

        items = [
            row_item(rec, str(rec.get(self.id_column)), self.text_column, self.id_column)
            for rec in batch.to_dict(orient="records")
        ]
        rows = [row for block in self.auditor.audit_group(items) for row in block]
        return pd.DataFrame(
            {
                "article_id": [r["article_id"] for r in rows],
                "kind": [r["kind"] for r in rows],
                "row": [json.dumps(r, ensure_ascii=False) for r in rows],
            }
        )


def audit_dataset(
    ds: Any,
    *,
    model: str = DEFAULT_NLI_MODEL,
    text_column: str = "text",
    id_column: str = "id",
    summarize: bool = False,
    n_bullets: int = 3,
    batch_size: int = 16,
    concurrency: int = 1,
    num_cpus: float = 1.0,
) -> Any:
    """A Ray ``Dataset`` of audit rows (columns ``article_id``, ``kind``, ``row``) for ``ds``'s pages."""
    return ds.map_batches(
        AuditActor,
        fn_constructor_kwargs={
            "model": model,
            "summarize": summarize,
            "n_bullets": n_bullets,
            "text_column": text_column,
            "id_column": id_column,
        },
        batch_size=batch_size,
        batch_format="pandas",
        concurrency=concurrency,
        num_cpus=num_cpus,
    )


def dataset_rows(ds: Any) -> list[dict[str, Any]]:
    """Materialise the audit rows of :func:`audit_dataset` as dictionaries."""
    return [json.loads(r["row"]) for r in ds.take_all()]
