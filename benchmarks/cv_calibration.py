"""Cross-validated choice of the checker's calibration, on the cards it is fitted on.

The logistic calibration is fitted on ``recipe.calibration_pairs`` (the calibration articles and
1,000 training articles); choosing how to fit it (class or per-kind sample weights, the L2
strength, linear or with quantile knots on the continuous features) on the same fit would reward
overfitting, and the test articles are for reporting.
So: K folds by article, each variant fitted on K-1 folds and scored on the held-out fold,
out-of-fold AUROC per corrupted kind, averaged over several random fold assignments (the
smallest kinds have ~60 cards per 350 articles, so one assignment moves a kind by a point). The
variant with the best worst kind is what ``recipe.calibrate_checker`` uses. The training
articles' NLI support is optimistic (the model read their leads), so these figures run higher
than on unseen articles; they rank variants, they do not report accuracy.
"""

from __future__ import annotations

import argparse
import itertools
from typing import Literal

import numpy as np

from common import article_groups, print_table, write_result
from digestnlp.check import ConsistencyChecker
from digestnlp.check.calibration import auroc, fit_calibrator, sample_weights
from digestnlp.check.recipe import calibration_pairs, feature_matrix

POSITIVE = "news-entail"


def out_of_fold(
    x: np.ndarray,
    kinds: list[str],
    *,
    weighting: Literal["class", "kind"],
    l2: float,
    knots: int,
    folds: int,
    seed: int,
) -> np.ndarray:
    y = np.array([kind == POSITIVE for kind in kinds], dtype=float)
    groups = article_groups(kinds, POSITIVE)
    fold_of = np.random.default_rng(seed).permutation(groups.max() + 1) % folds
    scores = np.zeros(len(y))
    for k in range(folds):
        test = fold_of[groups] == k
        train_kinds = [kind for kind, t in zip(kinds, test, strict=True) if not t]
        weights = sample_weights(train_kinds, POSITIVE, weighting)
        cal = fit_calibrator(x[~test], y[~test], sample_weight=weights, l2=l2, knots=knots)
        scores[test] = cal.probability(x[test])
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default="nli-e5-small-ja")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=5, help="fold assignments to average over")
    args = ap.parse_args()
    pairs = calibration_pairs()
    x = feature_matrix(ConsistencyChecker(args.model), pairs)
    kinds = [p.source for p in pairs]
    names = sorted(set(kinds) - {POSITIVE})
    rows = []
    labels = np.array(kinds)
    weightings: tuple[Literal["class", "kind"], ...] = ("class", "kind")
    for knots, weighting, l2 in itertools.product((0, 3), weightings, (0.1, 1.0, 10.0)):
        per_kind = {name: 0.0 for name in [*names, "all"]}
        for seed in range(args.repeats):
            scores = out_of_fold(x, kinds, weighting=weighting, l2=l2, knots=knots, folds=args.folds, seed=seed)
            pos = scores[labels == POSITIVE]
            for name in names:
                per_kind[name] += auroc(pos, scores[labels == name]) / args.repeats
            per_kind["all"] += auroc(pos, scores[labels != POSITIVE]) / args.repeats
        rows.append(
            {
                "weighting": weighting,
                "l2": l2,
                "knots": knots,
                **{name.removeprefix("news-"): per_kind[name] for name in names},
                "worst": min(per_kind[name] for name in names),
                "all": per_kind["all"],
            }
        )
    print_table(rows)
    path = write_result(
        "cv_calibration",
        {"model": args.model, "folds": args.folds, "repeats": args.repeats, "n": len(pairs), "rows": rows},
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
