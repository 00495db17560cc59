"""Accuracy of an NLI model on the shared evaluation splits and on held-out Wikinews pairs.

Splits: JNLI valid (never trained on), JSICK test, JNLI-Neg valid, JaNLI test (two-way: entailment
vs the rest), and the 20% of Wikinews articles held out by id. Writes benchmarks/results/eval_nli.json.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

from common import print_table, write_result
from digestnlp.check.nli import DEFAULT_NLI_MODEL, NLIModel
from digestnlp.training.data import evaluation_sets
from digestnlp.training.recipe import news_split


def accuracy(model: NLIModel, pairs: list, two_way: bool = False, batch_size: int = 64) -> tuple[float, np.ndarray]:
    probs = model.predict([(p.premise, p.hypothesis) for p in pairs], batch_size=batch_size, show_progress_bar=True)
    gold = np.array([p.label for p in pairs])
    pred = probs.argmax(axis=1)
    if two_way:
        pred = np.where(pred == 0, 0, 1)
        gold = np.where(gold == 0, 0, 1)
    return float((pred == gold).mean()), pred


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=DEFAULT_NLI_MODEL)
    ap.add_argument("--precision", default="auto", choices=["auto", "fp32", "bf16", "int8"])
    ap.add_argument("--limit", type=int, default=None, help="pairs per set (quick runs)")
    ap.add_argument("--out", default="eval_nli")
    args = ap.parse_args()
    model = NLIModel(args.model, precision=args.precision)
    rows = []
    start = time.time()
    for name, pairs in evaluation_sets().items():
        pairs = pairs[: args.limit]
        acc, _ = accuracy(model, pairs, two_way=name.startswith("janli"))
        rows.append({"split": name, "pairs": len(pairs), "accuracy": acc})
    news = news_split("test", limit=args.limit)
    acc, pred = accuracy(model, news)
    rows.append({"split": "wikinews-heldout (3-way)", "pairs": len(news), "accuracy": acc})
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for p, y in zip(news, pred, strict=True):
        by_kind[p.source].append(bool(y == p.label))
    for kind, hits in sorted(by_kind.items()):
        rows.append({"split": f"  {kind}", "pairs": len(hits), "accuracy": float(np.mean(hits))})
    print_table(rows)
    print(f"model={args.model} precision={model.precision} seconds={time.time() - start:.0f}")
    path = write_result(args.out, {"model": args.model, "precision": model.precision, "rows": rows})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
