"""Shared helpers for benchmark scripts: data paths, timing, peak RSS and result files."""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DIGESTNLP_SHARED", ROOT.parent / "shared"))
RESULTS = ROOT / "benchmarks" / "results"


def wikinews(limit: int | None = None) -> list[dict[str, str]]:
    path = SHARED / "data" / "jawikinews-headline" / "wikinews_ja_headline_detok.jsonl"
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return rows[:limit]


def best_of(fns: dict[str, Callable[[], Any]], repeats: int = 3) -> dict[str, float]:
    """Minimum wall time of each function over ``repeats`` rounds, run interleaved.

    Interleaving exposes every contender to the same background load, so their ratio is fair
    on a noisy shared machine; the minimum is the least disturbed run.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(ts) for name, ts in times.items()}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    return {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()}


def print_table(rows: list[dict[str, Any]]) -> None:
    cols = list(rows[0])
    widths = [max(len(str(c)), *(len(_fmt(r[c])) for r in rows)) for c in cols]
    print("  ".join(str(c).ljust(w) for c, w in zip(cols, widths, strict=True)))
    for r in rows:
        print("  ".join(_fmt(r[c]).ljust(w) for c, w in zip(cols, widths, strict=True)))


def _fmt(v: Any) -> str:
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
