"""Reading user inputs safely: a clear error instead of a crash for binary, empty or huge input."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from digestnlp.errors import InputError

MAX_INPUT_BYTES = 5_000_000


def decode_input(data: bytes, name: str = "input", max_bytes: int = MAX_INPUT_BYTES) -> str:
    """UTF-8 (with or without BOM) text, or :class:`InputError` saying why not."""
    if len(data) > max_bytes:
        raise InputError(f"{name} is {len(data):,} bytes, over the {max_bytes:,}-byte limit; split it into pages")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} looks binary (NUL bytes); pass a UTF-8 text or HTML page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not UTF-8 text ({exc.reason} at byte {exc.start}); re-encode it as UTF-8") from exc
    if not text.strip():
        raise InputError(f"{name} is empty")
    return text


def read_bounded(stream: BinaryIO, name: str, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """At most ``max_bytes`` + 1 bytes of ``stream``: enough to tell an input over the limit without
    reading (or holding) the rest of it."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"{name} is over the {max_bytes:,}-byte limit; split it into pages")
    return data


def read_bytes(path: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """A file's bytes, read no further than the limit (a file may grow, or be a device)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    with p.open("rb") as fh:
        return read_bounded(fh, str(path), max_bytes)


def read_text(path: str) -> str:
    """Read a file path, or standard input for ``-``; never more than the size limit."""
    if path == "-":
        return decode_input(read_bounded(sys.stdin.buffer, "standard input"), "standard input")
    return decode_input(read_bytes(path), path)


def japanese_ratio(text: str) -> float:
    """Share of non-space characters that are kana or kanji."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    ja = sum(1 for c in chars if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" or "\uff66" <= c <= "\uff9f")
    return ja / len(chars)
