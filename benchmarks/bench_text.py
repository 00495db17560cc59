"""Throughput of the full text pipeline against a bare fugashi parse of the same Wikinews articles.

Both sides run in this process, interleaved, best of N; the ratio is the claim (goal: ≤ 1.3×).
"""

from __future__ import annotations

import argparse
import time

from common import best_of, peak_rss_mb, print_table, wikinews, write_result
from digestnlp.text.morph import tagger
from digestnlp.text.pipeline import analyze


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    texts = [r["article"] for r in wikinews(args.articles)]
    chars = sum(len(t) for t in texts)
    tag = tagger()

    def bare() -> None:
        for t in texts:
            for node in tag(t):
                node.surface, node.feature  # noqa: B018 - touch what a caller would read

    def pipeline() -> None:
        for t in texts:
            analyze(t)

    start = time.perf_counter()
    pipeline()  # first pass: the feature cache is cold
    t_cold = time.perf_counter() - start
    bare()
    best = best_of({"bare": bare, "pipeline": pipeline}, args.repeats)
    t_bare, t_pipe = best["bare"], best["pipeline"]
    rows = [
        {"stage": "bare fugashi parse", "seconds": t_bare, "chars_per_s": chars / t_bare},
        {"stage": "digestnlp pipeline", "seconds": t_pipe, "chars_per_s": chars / t_pipe},
        {"stage": "digestnlp pipeline, first pass (cold cache)", "seconds": t_cold, "chars_per_s": chars / t_cold},
    ]
    ratio = t_pipe / t_bare
    print_table(rows)
    print(
        f"pipeline / bare = {ratio:.2f}x  (goal <= 1.3x; cold first pass {t_cold / t_bare:.2f}x)  articles={len(texts)}"
    )
    path = write_result(
        "bench_text",
        {
            "articles": len(texts),
            "chars": chars,
            "rows": rows,
            "ratio": ratio,
            "ratio_cold_first_pass": t_cold / t_bare,
            "goal": 1.3,
            "peak_rss_mb": peak_rss_mb(),
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
