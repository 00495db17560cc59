"""The ``digestnlp audit`` run: inputs → groups → rows appended per article, resumable.

Rows of one article are appended in a single write and fsynced, the article row last. A killed
run therefore leaves whole articles plus at most one torn tail; ``--resume`` cuts the tail,
skips every article that has its article row, and continues, so no row is lost or duplicated.
Parquet and CSV outputs are written from that journal when the run completes.
"""

from __future__ import annotations

import fcntl
import glob
import json
import multiprocessing as mp
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digestnlp.check.nli import DEFAULT_NLI_MODEL
from digestnlp.errors import DigestNLPError, InputError
from digestnlp.report.audit import ROW_KEYS, Auditor, AuditReport
from digestnlp.report.inputs import InputItem, iter_inputs


@dataclass
class RunSummary:
    articles: int
    skipped: int
    failed: int
    cards: int
    out: Path
    damaged: int = 0  # lines of the output a resume could not read (skipped, left in place)


def journal_path(out: Path) -> Path:
    return out if out.suffix.lower() == ".jsonl" else out.with_name(out.name + ".journal.jsonl")


def _row(raw: bytes) -> dict[str, Any] | None:
    """A journal line as a row, or None when it is not one (damaged, hand-edited, another file's)."""
    try:
        row = json.loads(raw)
    except ValueError:  # invalid JSON or not UTF-8
        return None
    if not isinstance(row, dict) or row.get("kind") not in ("card", "article") or row.get("article_id") is None:
        return None
    return row


def recover_journal(path: Path) -> tuple[set[str], int]:
    """Ids of complete articles and the number of damaged lines; a torn or partial trailing
    block (the rows after the last article row) is cut off the file. Damaged lines elsewhere are
    left in place and skipped."""
    done: set[str] = set()
    damaged = 0
    if not path.exists():
        return done, damaged
    good_end = 0
    pos = 0
    with path.open("rb") as fh:
        for raw in fh:
            pos += len(raw)
            if not raw.endswith(b"\n"):
                break
            row = _row(raw)
            if row is None:
                damaged += raw.strip() != b""
            elif row["kind"] == "article":
                done.add(str(row["article_id"]))
                good_end = pos
    with path.open("r+b") as fh:
        fh.truncate(good_end)
    return done, damaged


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The journal's rows, damaged lines skipped (``recover_journal`` counts them)."""
    with path.open("rb") as fh:
        return [row for raw in fh if (row := _row(raw)) is not None]


def _inputs_of(specs: Sequence[str]) -> list[Path]:
    paths = []
    for spec in specs:
        p = Path(spec)
        if p.exists():
            paths.append(p.resolve())
        elif any(ch in spec for ch in "*?["):
            paths += [Path(m).resolve() for m in glob.glob(spec, recursive=True)]
    return paths


def check_output(specs: Sequence[str], out: Path) -> None:
    """Refuse an output that would overwrite an input or be read back as one on ``--resume``."""
    written = {out.resolve(), journal_path(out).resolve()}
    for path in _inputs_of(specs):
        for target in written:
            if target == path or (path.is_dir() and target.is_relative_to(path)):
                raise InputError(
                    f"--out {out} would {'overwrite the input' if target == path else 'be written inside the input folder'}"
                    f" {path}; choose an output path outside the inputs"
                )


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """One run per output at a time: an exclusive lock on ``out``'s lock file, refused (not
    waited for) when another run holds it."""
    lock = out.with_name(f".{out.name}.lock")
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f"another digestnlp audit is writing {out}; wait for it to finish or choose another --out"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _tabular(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nested fields as JSON text, so every column has one type in Parquet and CSV."""
    flat = []
    for r in rows:
        flat.append({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in r.items()})
    return flat


# Columns that hold counts or positions.
INTEGER_COLUMNS = ("card_index", "n_cards", "n_inconsistent")


def write_final(out: Path, rows: list[dict[str, Any]]) -> None:
    import pandas as pd

    frame = pd.DataFrame(_tabular(rows), columns=list(ROW_KEYS))
    # Counts stay integers where a row has none (a card row has no n_cards): nullable Int64.
    frame = frame.astype(dict.fromkeys(INTEGER_COLUMNS, "Int64"))
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    if out.suffix.lower() == ".parquet":
        frame.to_parquet(tmp, index=False)
    else:
        frame.to_csv(tmp, index=False)
    os.replace(tmp, out)


_worker_auditor: Auditor | None = None
_worker_error: DigestNLPError | None = None


def _init_worker(model: str, summarize: bool, n_bullets: int, threads: int) -> None:
    """Load the models once per worker. A model that does not load is reported by the first group
    (an initializer that raised would make the pool respawn workers forever)."""
    global _worker_auditor, _worker_error
    import torch

    torch.set_num_threads(threads)
    try:
        _worker_auditor = Auditor(model, summarize=summarize, n_bullets=n_bullets)
    except DigestNLPError as exc:
        _worker_error = exc


def _work(group: list[InputItem]) -> list[list[dict[str, Any]]]:
    if _worker_error is not None:
        raise _worker_error
    assert _worker_auditor is not None
    return _worker_auditor.audit_group(group)


def _groups(items: Sequence[InputItem], size: int, workers: int = 1) -> Iterator[list[InputItem]]:
    """Groups of at most ``size`` items, as many as a multiple of ``workers`` and of even size, so
    no worker is left with a last group while the others wait (40 pages, 16, 2 workers: 4 × 10,
    not 16 + 16 + 8)."""
    if not items:
        return
    count = -(-len(items) // size)
    count += -count % workers
    even = -(-len(items) // count)
    for start in range(0, len(items), even):
        yield list(items[start : start + even])


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
    check_output(specs, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        journal = journal_path(out)
        done, damaged = recover_journal(journal) if resume else (set(), 0)
        if not resume:
            journal.write_bytes(b"")
        items_all = list(iter_inputs(specs, text_field=text_field, id_field=id_field))
        items = [it for it in items_all if it.id not in done]
        show = sys.stderr.isatty() if progress is None else progress
        from tqdm.auto import tqdm

        bar = tqdm(total=len(items), disable=not show, unit="page", desc="audit", dynamic_ncols=True)
        groups = list(_groups(items, group_size, workers))
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
                with ctx.Pool(
                    workers, initializer=_init_worker, initargs=(model, summarize, n_bullets, threads)
                ) as pool:
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
        return RunSummary(len(items), len(items_all) - len(items), len(report.failed), len(report.cards), out, damaged)
