import io

import pytest

from digestnlp.errors import InputError
from digestnlp.io import MAX_INPUT_BYTES, read_bounded, read_bytes, read_text


class Endless(io.RawIOBase):
    """A stream that never ends, counting what was read from it."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        n = len(buffer)
        buffer[:n] = b"a" * n
        self.served += n
        return n


def test_an_endless_stream_is_read_no_further_than_the_limit() -> None:
    stream = Endless()
    with pytest.raises(InputError, match="over the 1,000-byte limit"):
        read_bounded(io.BufferedReader(stream), "standard input", max_bytes=1000)
    assert stream.served <= 1000 + 1 + io.DEFAULT_BUFFER_SIZE


def test_stdin_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Endless()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(stream)))
    with pytest.raises(InputError, match="standard input is over"):
        read_text("-")
    assert stream.served <= MAX_INPUT_BYTES + 1 + io.DEFAULT_BUFFER_SIZE


def test_files_are_read_to_the_limit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.txt"
    big.write_bytes("あ".encode() * 10)
    assert read_bytes(big, max_bytes=30) == "あ".encode() * 10
    with pytest.raises(InputError, match="over the 29-byte limit"):
        read_bytes(big, max_bytes=29)
    with pytest.raises(InputError, match="no such file"):
        read_bytes(tmp_path / "missing.txt")
