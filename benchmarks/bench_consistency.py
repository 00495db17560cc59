"""``check_consistency`` on long articles: a summary of several sentences against a whole body.

Pairs: the bodies of the dev articles (``digest-cards/cards.jsonl``) of at least ``--min-chars``
characters, each against its written learn bullets and its two unsupported ones joined as one
five-sentence summary (what a researcher scoring summaries passes). One warm-up call, then each
pair timed alone; median, 90th percentile and max seconds per summary. Goal: median <= 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from common import SHARED, peak_rss_mb, print_table, write_result
from digestnlp.check import ConsistencyChecker, check_consistency


def long_pairs(min_chars: int, limit: int) -> list[tuple[str, str]]:
    path = SHARED / "data" / "digest-cards" / "cards.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [(r["body"], "".join([*r["learn"], *r["learn_bad"]])) for r in rows if len(r["body"]) >= min_chars]
    return pairs[:limit]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--min-chars", type=int, default=1000)
    ap.add_argument("--pairs", type=int, default=40)
    args = ap.parse_args()
    pairs = long_pairs(args.min_chars, args.pairs)
    checker = ConsistencyChecker()
    check_consistency(*pairs[0], checker=checker)
    seconds = []
    for premise, summary in pairs:
        start = time.perf_counter()
        check_consistency(premise, summary, checker=checker)
        seconds.append(time.perf_counter() - start)
    seconds.sort()
    row = {
        "pairs": len(pairs),
        "body chars (median)": statistics.median(len(p) for p, _ in pairs),
        "summary chars (median)": statistics.median(len(s) for _, s in pairs),
        "median s": statistics.median(seconds),
        "p90 s": seconds[int(0.9 * (len(seconds) - 1))],
        "max s": seconds[-1],
    }
    print_table([row])
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    path = write_result("bench_consistency", {"row": row, "goal_median_s": 0.2, "peak_rss_mb": peak_rss_mb()})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
