"""Whole-audit throughput (parse + check, and with summaries) on real and generated digest pages.

Real pages: the dev pages of ``digest-cards/pages`` (real-length articles, three cards and four
learn bullets each). Generated pages: held-out Wikinews articles with two short cards
(common.wikinews_digest_pages). Each setting runs the real CLI path (run_audit) in this process
tree; 1 vs 2 workers; pages/second, and peak RSS: of this process (a 1-worker audit runs in it)
and of the largest worker process (each worker's own high-water mark). Goals: dev pages >= 4
pages/s with 1 worker and >= 7 with 2; generated pages with summaries >= 2 pages/s on 2 cores.
``--profile N`` also profiles an in-process audit of N dev pages and prints where the time goes
(cumulative seconds per function).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from common import SHARED, ChildPeak, print_table, wikinews_digest_pages, write_result
from digestnlp.report.runner import run_audit

DEV_PAGES = SHARED / "data" / "digest-cards" / "pages"


def profile(n: int, top: int = 15) -> list[dict[str, object]]:
    """The functions an audit of ``n`` dev pages spends most time in (cumulative), model load excluded."""
    import cProfile
    import pstats

    from digestnlp.report.audit import Auditor
    from digestnlp.report.inputs import iter_inputs

    items = list(iter_inputs([str(p) for p in sorted(DEV_PAGES.glob("*.txt"))[:n]]))
    auditor = Auditor()
    auditor.audit_group(items[:1])  # loads the models and warms up
    prof = cProfile.Profile()
    prof.enable()
    for start in range(0, len(items), 16):
        auditor.audit_group(items[start : start + 16])
    prof.disable()
    stats = pstats.Stats(prof)
    rows = []
    for (file, line, func), (_, calls, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "digestnlp" in file or func in ("forward", "_call_impl"):
            rows.append(
                {"function": f"{file.rsplit('/', 2)[-1]}:{line} {func}", "calls": calls, "cumulative s": cumulative}
            )
    rows.sort(key=lambda r: -float(r["cumulative s"]))  # type: ignore[arg-type]
    return rows[:top]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--summary-pages", type=int, default=40)
    ap.add_argument("--dev-pages", type=int, default=260, help="dev pages to audit (0: skip)")
    ap.add_argument("--profile", type=int, default=0, help="also profile an audit of this many dev pages")
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
            ("check + summarize", 2, True, args.summary_pages),
        ]
        dev = [str(p) for p in sorted(DEV_PAGES.glob("*.txt"))[: args.dev_pages]]
        runs = [
            (name, workers, summarize, [str(p) for p in sorted(folder.iterdir())[:n]])
            for name, workers, summarize, n in settings
        ]
        if dev:
            runs = [("dev pages: check", 1, False, dev), ("dev pages: check", 2, False, dev), *runs]
        for name, workers, summarize, specs in runs:
            start = time.perf_counter()
            with ChildPeak() as children:
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
                    "worker_peak_rss_mb": children.peak_mb if workers > 1 else None,
                }
            )
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peaks = [float(r["worker_peak_rss_mb"]) for r in rows if r["worker_peak_rss_mb"] is not None]
    worker_rss = max(worker_peaks) if worker_peaks else None
    print_table(rows)
    print(
        f"peak RSS (model loading included): this process {self_rss:.0f} MB (1-worker audits run in it), "
        + (f"largest worker {worker_rss:.0f} MB" if worker_rss is not None else "no worker measured")
    )
    hot = profile(args.profile) if args.profile else []
    if hot:
        print(f"\nwhere an audit of {args.profile} dev pages spends its time (cumulative):")
        print_table(hot)
    path = write_result(
        "bench_audit",
        {
            "rows": rows,
            "peak_rss_mb": self_rss,
            "peak_worker_rss_mb": worker_rss,
            "goals_pages_per_s": {
                "dev pages, 1 worker": 4,
                "dev pages, 2 workers": 7,
                "check + summarize, 2 workers": 2,
            },
            "profile": hot,
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
