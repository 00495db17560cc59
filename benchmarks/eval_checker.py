"""Card-check quality on held-out Wikinews articles, per kind of corrupted card.

A consistent card is (lead ⇒ headline) of a test article; corrupted cards pair the headline with
another article's lead (random, or the most similar one) or alter the headline's number, name or
polarity. Reported: AUROC of the calibrated score (consistent vs each kind), of the NLI support
alone and of similarity alone, plus the verdict mix and how many consistent cards carry a
contradicted (so false) conflict. Test articles never trained or calibrated on.

An altered headline can only be caught from the lead if the lead states what was altered (the
year a headline adds, a count the lead leaves out): ``auroc_stated`` repeats the AUROC over the
altered cards whose lead states the replaced text, to show how much of a kind's gap is that.

``auroc_ci`` is a 95% interval from resampling the test articles (all of an article's cards go
together): a kind with a hundred cards cannot tell 0.945 from 0.955.

This is the Wikinews proxy (a lead standing in for card bullets); ``eval_cards.py`` measures
written cards.
"""

from __future__ import annotations

import argparse
from collections import Counter

import numpy as np

from common import print_table, write_result
from digestnlp.check import ConsistencyChecker
from digestnlp.check.calibration import auroc
from digestnlp.check.conflicts import mentioned
from digestnlp.check.nli import DEFAULT_NLI_MODEL
from digestnlp.training.recipe import article_groups, card_pairs


def bootstrap_interval(
    score: np.ndarray, pos: np.ndarray, neg: np.ndarray, groups: np.ndarray, *, reps: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """2.5th and 97.5th percentiles of the AUROC over ``reps`` resamples of whole articles."""
    rng = np.random.default_rng(seed)
    members = [np.flatnonzero(groups == g) for g in range(groups.max() + 1)]
    values = []
    for _ in range(reps):
        idx = np.concatenate([members[g] for g in rng.integers(0, len(members), len(members))])
        values.append(auroc(score[idx][pos[idx]], score[idx][neg[idx]]))
    lo, hi = np.nanpercentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=DEFAULT_NLI_MODEL)
    ap.add_argument("--limit", type=int, default=None, help="articles (quick runs)")
    args = ap.parse_args()
    checker = ConsistencyChecker(args.model)
    pairs = card_pairs("test", limit=args.limit)
    verdicts = checker.judge(
        [(p.premise, p.hypothesis) for p in pairs],
        published=[p.published for p in pairs],
        evidence_name="bullets",
        show_progress_bar=True,
    )
    kinds = np.array([p.source for p in pairs])
    score = np.array([v.score for v in verdicts])
    support = np.array([v.features["support"] for v in verdicts])
    sim = np.array([v.similarity for v in verdicts])
    pos = kinds == "news-entail"
    groups = article_groups(list(kinds))
    visible = np.array([bool(p.altered) and mentioned(p.altered, p.premise) for p in pairs])
    rows = []
    for kind in [*sorted(set(kinds) - {"news-entail"}), "all corrupted"]:
        neg = ~pos if kind == "all corrupted" else kinds == kind
        mix = Counter(v.verdict for v, n in zip(verdicts, neg, strict=True) if n)
        altered = kind != "all corrupted" and any(p.altered for p, n in zip(pairs, neg, strict=True) if n)
        rows.append(
            {
                "negative kind": kind,
                "n": int(neg.sum()),
                "auroc": auroc(score[pos], score[neg]),
                "auroc_ci": bootstrap_interval(score, pos, neg, groups),
                "n_stated": int((neg & visible).sum()) if altered else None,
                "auroc_stated": auroc(score[pos], score[neg & visible]) if altered else None,
                "auroc_nli_only": auroc(support[pos], support[neg]),
                "auroc_similarity_only": auroc(sim[pos], sim[neg]),
                "flagged_inconsistent": mix["inconsistent"] / max(1, int(neg.sum())),
            }
        )
    pos_mix = Counter(v.verdict for v, p in zip(verdicts, pos, strict=True) if p)
    # Kinds of contradicted conflict per consistent card: each is a false conflict.
    false_kinds = [
        {c.kind for c in v.conflicts if c.status == "contradicted"} for v, p in zip(verdicts, pos, strict=True) if p
    ]
    false_conflicts = {
        "cards": sum(1 for kinds_ in false_kinds if kinds_),
        "by_kind": dict(sorted(Counter(k for kinds_ in false_kinds for k in kinds_).items())),
    }
    print_table(rows)
    print(f"consistent cards: n={int(pos.sum())} verdicts={dict(pos_mix)}")
    print(f"consistent cards with a contradicted conflict (false conflicts): {false_conflicts}")
    path = write_result(
        "eval_checker",
        {
            "model": args.model,
            "articles": "test",
            "calibrated": checker.calibrated,
            "rows": rows,
            "consistent_verdicts": dict(pos_mix),
            "consistent_with_false_conflict": false_conflicts,
            "thresholds": {
                "consistent_at": checker.calibrator.consistent_at,
                "inconsistent_at": checker.calibrator.inconsistent_at,
            },
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
