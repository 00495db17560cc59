"""Whole-audit throughput (parse + check, and with summaries) on generated digest pages.

Pages come from held-out Wikinews articles (see common.wikinews_digest_pages). Each setting runs
the real CLI path (run_audit) in this process tree; 1 vs 2 workers; pages/second and peak RSS of
the children included. Goal: >= 5 pages/s on 2 cores without summaries.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from common import print_table, wikinews_digest_pages, write_result
from digestnlp.report.runner import run_audit


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--summary-pages", type=int, default=40)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "pages")
        folder.mkdir()
        for k, (text, _) in enumerate(wikinews_digest_pages(args.pages, seed=5)):
            (folder / f"p{k:04d}.txt").write_text(text, encoding="utf-8")
        settings = [
            ("check", 1, False, args.pages),
            ("check", 2, False, args.pages),
            ("check + summarize", 1, True, args.summary_pages),
        ]
        for name, workers, summarize, n in settings:
            specs = [str(p) for p in sorted(folder.iterdir())[:n]]
            start = time.perf_counter()
            summary = run_audit(
                specs,
                Path(tmp, f"out-{workers}-{summarize}.jsonl"),
                workers=workers,
                summarize=summarize,
                progress=False,
            )
            seconds = time.perf_counter() - start
            rows.append(
                {
                    "setting": name,
                    "workers": workers,
                    "pages": summary.articles,
                    "seconds": seconds,
                    "pages_per_s": summary.articles / seconds,
                    "cards": summary.cards,
                }
            )
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print_table(rows)
    print(f"peak RSS: this process {self_rss:.0f} MB, largest worker {child_rss:.0f} MB (model loading included)")
    path = write_result(
        "bench_audit", {"rows": rows, "peak_rss_mb": self_rss, "peak_worker_rss_mb": child_rss, "goal_pages_per_s": 5}
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
