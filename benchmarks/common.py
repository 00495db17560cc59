"""Shared helpers for benchmark scripts: data paths, timing, peak RSS and result files."""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import threading
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


def _children_peak_kb(parent: int) -> list[int]:
    """VmHWM (peak resident set, kB) of each live child of ``parent``, read from /proc."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name may hold spaces and parentheses; the fields after its last ")" do not.
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == parent:
                status = (entry / "status").read_text()
                out += [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")]
        except (OSError, IndexError, ValueError):
            continue  # the process ended while being read
    return out


class ChildPeak:
    """The largest peak RSS among this process's children (e.g. audit workers), polled while they run.

    ``RUSAGE_CHILDREN`` cannot give a worker's peak: it also counts a spawned child between fork
    and exec, when it still maps the parent's pages. Each child's own high-water mark (VmHWM, reset
    by exec) can; a child's growth in its last ``interval`` seconds may be missed. ``peak_mb`` is
    None where /proc is not available.
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_mb: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            peaks = _children_peak_kb(os.getpid())
            if peaks:
                self.peak_mb = max(self.peak_mb or 0.0, max(peaks) / 1024)

    def __enter__(self) -> ChildPeak:
        if Path("/proc/self/status").is_file():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def machine() -> dict[str, Any]:
    return {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()}


def print_table(rows: list[dict[str, Any]]) -> None:
    cols = list(rows[0])
    widths = [max(len(str(c)), *(len(_fmt(r[c])) for r in rows)) for c in cols]
    print("  ".join(str(c).ljust(w) for c, w in zip(cols, widths, strict=True)))
    for r in rows:
        print("  ".join(_fmt(r[c]).ljust(w) for c, w in zip(cols, widths, strict=True)))


def _fmt(v: Any) -> str:
    if isinstance(v, tuple):
        return "–".join(_fmt(x) for x in v)
    return f"{v:.3f}" if isinstance(v, float) else "-" if v is None else str(v)


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def wikinews_digest_pages(n: int, seed: int = 7, corrupt: float = 0.3) -> list[tuple[str, list[bool]]]:
    """``n`` digest pages from held-out Wikinews articles, with each card's truth.

    A page has two chapters, each with one card: headline = the article's headline, bullets = its
    lead sentences. With probability ``corrupt`` a card's bullets come from another article
    (like the seed's apartment card); its truth is then False.
    """
    import datetime as dt
    import random

    from digestnlp.article.writer import CardSpec, ChapterSpec, PageSpec, render_page
    from digestnlp.text.sentences import split_sentences
    from digestnlp.training.news import load_wikinews, split_articles

    rng = random.Random(seed)
    arts = split_articles(load_wikinews()).test
    pages = []
    for k in range(n):
        pair = rng.sample(arts, 2)
        chapters, truth = [], []
        for art in pair:
            sents = [s.text for s in split_sentences(art.article)]
            ok = rng.random() >= corrupt
            source = art if ok else rng.choice([a for a in arts if a.id != art.id])
            bullets = [s.text for s in split_sentences(source.article)][:3]
            card = CardSpec(
                art.headline, bullets, f"https://ja.wikinews.org/?curid={source.id}", dt.date(2024, 1, 1 + k % 28)
            )
            chapters.append(
                ChapterSpec(
                    art.headline[:20], "何が起きた?", art.headline[:15], sents[:4], [card], "大きなニュースですね。"
                )
            )
            truth.append(ok)
        pages.append((render_page(PageSpec(f"ニュースまとめ {k}", [], chapters)), truth))
    return pages
