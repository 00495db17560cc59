"""NLIModel.predict against a plain transformers text-classification pipeline, same model and pairs.

Throughput (pairs/second) for both in one run, and JNLI-valid accuracy of each, so the speed-up
can be weighed against any accuracy loss (goal: >= 3x, <= 0.5 points). Peak RSS is reported.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from common import peak_rss_mb, print_table, write_result
from digestnlp.check.nli import DEFAULT_NLI_MODEL, NLIModel
from digestnlp.training.data import LABELS, jnli


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=DEFAULT_NLI_MODEL)
    ap.add_argument("--pairs", type=int, default=2434, help="JNLI valid pairs (2,434 = all)")
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    import torch
    from transformers import pipeline

    data = jnli("valid")[: args.pairs]
    pairs = [(p.premise, p.hypothesis) for p in data]
    gold = np.array([p.label for p in data])

    ours = NLIModel(args.model)
    fp32 = NLIModel(args.model, precision="fp32")
    hf = NLIModel(args.model, precision="fp32", engine="transformers")
    pipe = pipeline("text-classification", model=hf.loaded.model, tokenizer=hf.loaded.tokenizer, device=-1, top_k=None)
    name_to_ours = {name: LABELS.index(name.lower()) for name in hf.loaded.model.config.id2label.values()}

    def run_pipeline() -> np.ndarray:
        outs = pipe([{"text": p, "text_pair": h} for p, h in pairs], truncation=True)
        probs = np.zeros((len(pairs), 3))
        for i, out in enumerate(outs):
            for item in out:
                probs[i, name_to_ours[item["label"]]] = item["score"]
        return probs

    rows = []
    results = {}
    for name, fn in (
        ("transformers pipeline (fp32, batch 1)", run_pipeline),
        (
            f"NLIModel.predict ({ours.engine}, {ours.precision}, batch {args.batch_size})",
            lambda: ours.predict(pairs, batch_size=args.batch_size),
        ),
        (
            f"NLIModel.predict ({fp32.engine}, fp32, batch {args.batch_size})",
            lambda: fp32.predict(pairs, batch_size=args.batch_size),
        ),
        (
            f"NLIModel.predict (transformers, fp32, batch {args.batch_size})",
            lambda: hf.predict(pairs, batch_size=args.batch_size),
        ),
    ):
        with torch.inference_mode():
            start = time.perf_counter()
            probs = fn()
            seconds = time.perf_counter() - start
        acc = float((probs.argmax(axis=1) == gold).mean())
        results[name] = seconds
        rows.append({"engine": name, "seconds": seconds, "pairs_per_s": len(pairs) / seconds, "jnli_valid_acc": acc})
    base = rows[0]
    for r in rows:
        r["speedup"] = base["seconds"] / r["seconds"]
        r["acc_delta_points"] = 100 * (r["jnli_valid_acc"] - base["jnli_valid_acc"])
    print_table(rows)
    print(f"pairs={len(pairs)} peak RSS {peak_rss_mb():.0f} MB")
    path = write_result(
        "bench_nli",
        {
            "model": args.model,
            "pairs": len(pairs),
            "rows": rows,
            "peak_rss_mb": peak_rss_mb(),
            "goals": {"speedup": ">= 3", "acc_delta_points": ">= -0.5"},
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
