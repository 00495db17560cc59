"""The benchmark helpers whose numbers the README quotes: a wrong measuring stick is a wrong claim."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

COMMON = Path(__file__).resolve().parents[1] / "benchmarks" / "common.py"


def _common() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_common", COMMON)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads /proc")
def test_child_peak_reads_the_largest_child_not_this_process() -> None:
    common = _common()
    ballast = bytearray(300 * 2**20)  # this process is large; a child must not inherit that figure
    ballast[::4096] = b"x" * len(ballast[::4096])
    grow = "b = bytearray({mb} * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(1.0)"
    with common.ChildPeak(interval=0.05) as peak:
        small = subprocess.Popen([sys.executable, "-c", grow.format(mb=20)])
        large = subprocess.Popen([sys.executable, "-c", grow.format(mb=120)])
        small.wait()
        large.wait()
    assert peak.peak_mb is not None
    assert 120 <= peak.peak_mb < 250
    del ballast


def test_child_peak_without_children_is_none() -> None:
    common = _common()
    with common.ChildPeak(interval=0.01) as peak:
        pass
    assert peak.peak_mb is None


def _eval_parse() -> ModuleType:
    """``benchmarks/eval_parse.py``, which imports ``common`` from its own folder."""
    sys.path.insert(0, str(COMMON.parent))
    try:
        spec = importlib.util.spec_from_file_location("eval_parse", COMMON.parent / "eval_parse.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(COMMON.parent))
    return module


EVAL_PARSE = _eval_parse()


@pytest.mark.parametrize("name", [n for n in EVAL_PARSE.REWRITES if n != "as printed"])
def test_each_rewriting_prints_the_seed_otherwise_and_the_parser_reads_it_the_same(name: str, seed_text: str) -> None:
    from digestnlp.article import parse_page

    original = parse_page(seed_text)
    rewritten = EVAL_PARSE.REWRITES[name](seed_text, original)
    assert rewritten != seed_text, "a rewriting that changes nothing measures nothing"
    assert EVAL_PARSE.structure(parse_page(rewritten)) == EVAL_PARSE.structure(original)
