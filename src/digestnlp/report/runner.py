"""The ``digestnlp audit`` run: inputs → groups → rows appended per article, resumable.

Rows of one article are appended in a single write and fsynced, the article row last. A killed
run therefore leaves whole articles plus at most one torn tail; ``--resume`` cuts the tail,
skips every article that has its article row, and continues, so no row is lost or duplicated.
Parquet and CSV outputs are written from that journal when the run completes.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digestnlp.check.nli import DEFAULT_NLI_MODEL
from digestnlp.report.audit import ROW_KEYS, Auditor, AuditReport
from digestnlp.report.inputs import InputItem, iter_inputs


@dataclass
class RunSummary:
    articles: int
    skipped: int
    failed: int
    cards: int
    out: Path


def journal_path(out: Path) -> Path:
    return out if out.suffix.lower() == ".jsonl" else out.with_name(out.name + ".journal.jsonl")


def recover_journal(path: Path) -> set[str]:
    """Ids of complete articles; a torn or partial trailing block is cut off the file."""
    done: set[str] = set()
    if not path.exists():
        return done
    good_end = 0
    pos = 0
    with path.open("rb") as fh:
        for raw in fh:
            pos += len(raw)
            if not raw.endswith(b"\n"):
                break
            try:
                row = json.loads(raw)
            except json.JSONDecodeError:
                break
            if row.get("kind") == "article":
                done.add(str(row["article_id"]))
                good_end = pos
    with path.open("r+b") as fh:
        fh.truncate(good_end)
    return done


def read_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _tabular(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nested fields as JSON text, so every column has one type in Parquet and CSV."""
    flat = []
    for r in rows:
        flat.append({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in r.items()})
    return flat


def write_final(out: Path, rows: list[dict[str, Any]]) -> None:
    import pandas as pd

    frame = pd.DataFrame(_tabular(rows), columns=list(ROW_KEYS))
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    if out.suffix.lower() == ".parquet":
        frame.to_parquet(tmp, index=False)
    else:
        frame.to_csv(tmp, index=False)
    os.replace(tmp, out)


_worker_auditor: Auditor | None = None


def _init_worker(model: str, summarize: bool, n_bullets: int, threads: int) -> None:
    global _worker_auditor
    import torch

    torch.set_num_threads(threads)
    _worker_auditor = Auditor(model, summarize=summarize, n_bullets=n_bullets)


def _work(group: list[InputItem]) -> list[list[dict[str, Any]]]:
    assert _worker_auditor is not None
    return _worker_auditor.audit_group(group)


def _groups(items: Sequence[InputItem], size: int) -> Iterator[list[InputItem]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def run_audit(
    specs: Sequence[str],
    out: Path,
    *,
    model: str = DEFAULT_NLI_MODEL,
    resume: bool = False,
    summarize: bool = False,
    n_bullets: int = 3,
    workers: int = 1,
    group_size: int = 16,
    text_field: str = "text",
    id_field: str | None = None,
    html: Path | None = None,
    progress: bool | None = None,
) -> RunSummary:
    journal = journal_path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    done = recover_journal(journal) if resume else set()
    if not resume:
        journal.write_bytes(b"")
    items_all = list(iter_inputs(specs, text_field=text_field, id_field=id_field))
    items = [it for it in items_all if it.id not in done]
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm.auto import tqdm

    bar = tqdm(total=len(items), disable=not show, unit="page", desc="audit", dynamic_ncols=True)
    groups = list(_groups(items, group_size))
    with journal.open("ab") as fh:

        def write(blocks: list[list[dict[str, Any]]]) -> None:
            for block in blocks:
                fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in block).encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
                bar.update(1)

        if workers > 1 and len(groups) > 1:
            threads = max(1, (os.cpu_count() or 1) // workers)
            ctx = mp.get_context("spawn")
            with ctx.Pool(workers, initializer=_init_worker, initargs=(model, summarize, n_bullets, threads)) as pool:
                for blocks in pool.imap(_work, groups):
                    write(blocks)
        elif groups:
            auditor = Auditor(model, summarize=summarize, n_bullets=n_bullets)
            for group in groups:
                write(auditor.audit_group(group))
    bar.close()
    rows = read_rows(journal)
    if journal != out:
        write_final(out, rows)
        journal.unlink()
    report = AuditReport(rows)
    if html is not None:
        report.to_html(str(html))
    return RunSummary(len(items), len(items_all) - len(items), len(report.failed), len(report.cards), out)
