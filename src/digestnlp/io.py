"""Reading user inputs safely: a clear error instead of a crash for binary, empty or huge input."""

from __future__ import annotations

import sys
from pathlib import Path

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


def read_text(path: str) -> str:
    """Read a file path, or standard input for ``-``."""
    if path == "-":
        return decode_input(sys.stdin.buffer.read(), "standard input")
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    if p.stat().st_size > MAX_INPUT_BYTES:
        raise InputError(f"{path} is {p.stat().st_size:,} bytes, over the {MAX_INPUT_BYTES:,}-byte limit")
    return decode_input(p.read_bytes(), path)


def japanese_ratio(text: str) -> float:
    """Share of non-space characters that are kana or kanji."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    ja = sum(1 for c in chars if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" or "\uff66" <= c <= "\uff9f")
    return ja / len(chars)
