"""Audit inputs: files, folders, globs, JSONL with a text field, Parquet or CSV with a text column.

Every input becomes an :class:`InputItem` with a stable id; a file that cannot be read becomes an
item carrying the error, so a batch never stops on one bad input and no row is silently lost.
"""

from __future__ import annotations

import glob
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from digestnlp.errors import InputError
from digestnlp.io import MAX_INPUT_BYTES, decode_input, read_bytes

TEXT_SUFFIXES = {".txt", ".html", ".htm", ".md", ""}
TABLE_SUFFIXES = {".jsonl", ".ndjson", ".parquet", ".csv"}


@dataclass(frozen=True)
class InputItem:
    id: str
    text: str | None
    error: str | None = None


def _expand(spec: str) -> list[Path]:
    p = Path(spec)
    if p.is_dir():
        return sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
    if any(ch in spec for ch in "*?["):
        return sorted(Path(m) for m in glob.glob(spec, recursive=True) if Path(m).is_file())
    return [p]


def _check_text(text: object, where: str) -> InputItem | str:
    if not isinstance(text, str):
        return InputItem(where, None, f"the text field is {type(text).__name__}, not a string")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_INPUT_BYTES:
        return InputItem(where, None, f"text over the {MAX_INPUT_BYTES:,}-byte limit")
    if not text.strip():
        return InputItem(where, None, "empty text")
    return text


def _rows(path: Path, text_field: str, id_field: str | None) -> Iterator[InputItem]:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8", errors="replace") as fh:
            for k, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{k}"
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield InputItem(where, None, f"invalid JSON ({exc.msg})")
                    continue
                if not isinstance(row, dict) or text_field not in row:
                    yield InputItem(where, None, f"no {text_field!r} field; choose one with --text-field")
                    continue
                yield row_item(row, where, text_field, id_field)
        return
    import pandas as pd

    frame = pd.read_parquet(path) if suffix == ".parquet" else pd.read_csv(path, dtype=str, keep_default_na=False)
    if text_field not in frame.columns:
        yield InputItem(str(path), None, f"no {text_field!r} column (columns: {', '.join(map(str, frame.columns))})")
        return
    for k, row in enumerate(frame.to_dict(orient="records"), 1):
        yield row_item(row, f"{path}:{k}", text_field, id_field)


def row_item(row: dict[str, object], where: str, text_field: str, id_field: str | None) -> InputItem:
    ident = str(row[id_field]) if id_field and row.get(id_field) not in (None, "") else where
    checked = _check_text(row.get(text_field), ident)
    return checked if isinstance(checked, InputItem) else InputItem(ident, checked)


def iter_inputs(specs: Iterable[str], *, text_field: str = "text", id_field: str | None = None) -> Iterator[InputItem]:
    """Every page named by ``specs``, in order, each once."""
    seen: set[str] = set()
    for spec in specs:
        paths = _expand(spec)
        if not paths:
            yield InputItem(spec, None, "no file matches")
            continue
        for path in paths:
            if str(path) in seen:
                continue
            seen.add(str(path))
            if not path.is_file():
                yield InputItem(str(path), None, "no such file")
            elif path.suffix.lower() in TABLE_SUFFIXES:
                try:
                    yield from _rows(path, text_field, id_field)
                except (OSError, ValueError, ImportError) as exc:
                    yield InputItem(str(path), None, f"cannot read table: {exc}")
            else:
                try:
                    yield InputItem(str(path), decode_input(read_bytes(path), str(path)))
                except InputError as exc:
                    yield InputItem(str(path), None, str(exc))
                except OSError as exc:
                    yield InputItem(str(path), None, f"cannot read: {exc.strerror}")
