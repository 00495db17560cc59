"""The card check on written cards: where the calibration and the rules are chosen, and what they give.

Two parts, never mixed:

- **Choice** (calibration articles, ``recipe.calibration_pairs``: written cards and Wikinews card
  checks): every calibration variant (weighting, L2, knots) and every conflict family switched off
  (its features zeroed), cross-validated by article (``--folds`` × ``--repeats`` assignments). The
  variant with the best worst written-card kind is the bundled choice (``recipe.CALIBRATION_CHOICE``);
  a family that does not raise AUROC or adds false alarms is a candidate to fix or remove.
- **Report** (``../shared/data/digest-cards``, the 260 dev pages: evaluation only): each page parsed
  as a user would, its cards and learn bullets checked; AUROC per error kind, false alarms and
  uncertain calls on faithful cards at the default verdict, learn-bullet AUROC; and the same with
  each family off (calibration refitted on the calibration articles without it). Nothing here is
  chosen on these numbers.

``--write-calibration PATH`` also writes the chosen variant fitted on all calibration checks (what
``digestnlp calibrate`` writes), and reports the dev pages with it.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from common import SHARED, print_table, write_result
from digestnlp.article import parse_page
from digestnlp.check import ConsistencyChecker
from digestnlp.check.calibration import FEATURES, Calibrator, auroc
from digestnlp.check.cards import card_premise
from digestnlp.check.conflicts import FAMILIES as REGISTERED
from digestnlp.check.consistency import BODY_CALIBRATION_FILE
from digestnlp.check.nli import DEFAULT_NLI_MODEL
from digestnlp.training.data import written_cards
from digestnlp.training.recipe import (
    CALIBRATION_CHOICE,
    THRESHOLD_FOLDS,
    article_groups,
    body_groups,
    calibration_pairs,
    fit_card_calibration,
    held_out_scores,
    learn_checks,
)

DEV = SHARED / "data" / "digest-cards"


def conflict_families() -> dict[str, tuple[str, ...]]:
    """Each conflict kind of the registered families and the features it feeds (a family's own
    features go with its first kind). A family is switched off by zeroing its features."""
    out: dict[str, list[str]] = {}
    for family in REGISTERED:
        kinds = list(dict.fromkeys(kind for kind, _ in family.statuses))
        for name in family.feature_names():
            out.setdefault(next((k for k in kinds if name.startswith(k + "_")), kinds[0]), []).append(name)
    return {kind: tuple(dict.fromkeys(names)) for kind, names in out.items()}


FAMILIES = conflict_families()


def family_off(x: np.ndarray, family: str | None) -> np.ndarray:
    """``x`` (columns ``FEATURES``) as the checker would have it without ``family``."""
    out = x.copy()
    for name in FAMILIES.get(family or "", ()):
        out[:, FEATURES.index(name)] = 0.0
    return out


def features(checker: ConsistencyChecker, items: Sequence[tuple[str, str]], published: Sequence[Any]) -> np.ndarray:
    verdicts = checker.judge(list(items), published=list(published), show_progress_bar=True)
    return np.array([[v.features[c] for c in FEATURES] for v in verdicts], dtype=np.float64)


def kind_report(scores: np.ndarray, kinds: Sequence[str], positive: str) -> dict[str, float]:
    """AUROC of ``positive`` against each other kind, and against all of them."""
    labels = np.asarray(kinds)
    pos = scores[labels == positive]
    out = {kind: auroc(pos, scores[labels == kind]) for kind in sorted(set(kinds) - {positive})}
    out["all wrong"] = auroc(pos, scores[labels != positive])
    return out


def calls(cal: Calibrator, p: np.ndarray) -> dict[str, float]:
    """Shares of cards called inconsistent and uncertain at ``cal``'s thresholds."""
    verdicts = [cal.verdict(float(v)) for v in p]
    n = max(len(verdicts), 1)
    return {
        "inconsistent": sum(v == "inconsistent" for v in verdicts) / n,
        "uncertain": sum(v == "uncertain" for v in verdicts) / n,
    }


# --- choice: cross-validation on the calibration articles ------------------------------------


def out_of_fold(
    x: np.ndarray,
    kinds: list[str],
    *,
    weighting: Literal["class", "kind"],
    l2: float,
    knots: int,
    folds: int,
    seed: int,
) -> tuple[np.ndarray, list[str]]:
    """Out-of-fold scores, and each check's verdict at its fold's thresholds."""
    groups = article_groups(kinds)
    fold_of = np.random.default_rng(seed).permutation(groups.max() + 1) % folds
    scores = np.zeros(len(kinds))
    verdicts = [""] * len(kinds)
    for k in range(folds):
        test = fold_of[groups] == k
        train_kinds = [kind for kind, t in zip(kinds, test, strict=True) if not t]
        cal = fit_card_calibration(x[~test], train_kinds, weighting=weighting, l2=l2, knots=knots)
        scores[test] = cal.probability(x[test])
        for i in np.flatnonzero(test):
            verdicts[i] = cal.verdict(float(scores[i]))
    return scores, verdicts


def cross_validate(
    x: np.ndarray,
    kinds: list[str],
    *,
    weighting: Literal["class", "kind"],
    l2: float,
    knots: int,
    folds: int,
    repeats: int,
) -> dict[str, float]:
    """Mean over fold assignments: AUROC per written kind (and over Wikinews kinds), worst written
    kind, and the share of faithful written cards called inconsistent."""
    written = [i for i, kind in enumerate(kinds) if kind.startswith("written-")]
    news = [i for i, kind in enumerate(kinds) if kind.startswith("news-")]
    total: dict[str, float] = {}
    for seed in range(repeats):
        scores, verdicts = out_of_fold(x, kinds, weighting=weighting, l2=l2, knots=knots, folds=folds, seed=seed)
        row = {
            k.removeprefix("written-"): v
            for k, v in kind_report(scores[written], [kinds[i] for i in written], "written-match").items()
        }
        row["worst"] = min(v for k, v in row.items() if k != "all wrong")
        row["wikinews all"] = kind_report(scores[news], [kinds[i] for i in news], "news-entail")["all wrong"]
        faithful = [i for i in written if kinds[i] == "written-match"]
        row["false alarms"] = sum(verdicts[i] == "inconsistent" for i in faithful) / len(faithful)
        for k, v in row.items():
            total[k] = total.get(k, 0.0) + v / repeats
    return total


# --- report: the dev pages -----------------------------------------------------------------------


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dev_checks(limit: int | None) -> tuple[list[tuple[str, str, Any]], list[str], list[tuple[str, str]], list[bool]]:
    """Cards and learn bullets of the dev pages as parsed: (premise, headline, 公開日) and kind per
    card; (page text, bullet) and supported per learn bullet. Fails loudly if a page parses to other
    counts than its labels."""
    card_labels: dict[str, dict[int, str]] = {}
    for r in _jsonl(DEV / "labels.jsonl"):
        card_labels.setdefault(r["file"], {})[int(r["card"])] = str(r["kind"])
    learn_labels: dict[str, dict[int, bool]] = {}
    for r in _jsonl(DEV / "learn_labels.jsonl"):
        learn_labels.setdefault(r["file"], {})[int(r["learn"])] = bool(r["supported"])
    cards, kinds, learn, supported = [], [], [], []
    for name in sorted(card_labels)[:limit]:
        article = parse_page((DEV / "pages" / name).read_text(encoding="utf-8"))
        if len(article.cards) != len(card_labels[name]) or len(article.learn_bullets) != len(learn_labels[name]):
            raise SystemExit(
                f"{name}: parsed {len(article.cards)} cards and {len(article.learn_bullets)} learn bullets,"
                f" labels give {len(card_labels[name])} and {len(learn_labels[name])}"
            )
        for k, card in enumerate(article.cards, 1):
            cards.append((card_premise(card), card.headline, card.published))
            kinds.append(card_labels[name][k])
        for k, bullet in enumerate(article.learn_bullets, 1):
            learn.append((article.page_text, bullet.text))
            supported.append(learn_labels[name][k])
    return cards, kinds, learn, supported


def dev_report(
    card_cal: Calibrator,
    card_x: np.ndarray,
    kinds: list[str],
    body_cal: Calibrator,
    learn_x: np.ndarray,
    supported: list[bool],
) -> dict[str, float]:
    p = card_cal.probability(card_x)
    row = kind_report(p, kinds, "match")
    labels = np.asarray(kinds)
    errors = [k for k in set(kinds) if k not in ("match", "other-article")]
    row["worst error kind"] = min(row[k] for k in errors)
    faithful = calls(card_cal, p[labels == "match"])
    row["false alarms"], row["uncertain"] = faithful["inconsistent"], faithful["uncertain"]
    row["wrong flagged"] = calls(card_cal, p[labels != "match"])["inconsistent"]
    q = body_cal.probability(learn_x)
    ok = np.asarray(supported)
    row["learn"] = auroc(q[ok], q[~ok])
    return row


def body_fit(
    x: np.ndarray, ok: np.ndarray, choice: dict[str, Any], *, folds: int, groups: np.ndarray
) -> tuple[Calibrator, float]:
    """A calibration for learn bullets against their page text, and its AUROC out of fold (by article)."""
    kinds = ["written-match" if good else "written-unsupported" for good in ok]
    scores = held_out_scores(x, kinds, groups, folds, **choice)
    return fit_card_calibration(x, kinds, groups=groups, **choice), auroc(scores[ok], scores[~ok])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=DEFAULT_NLI_MODEL)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3, help="fold assignments to average over")
    ap.add_argument("--limit", type=int, help="only the first N dev pages (smoke runs)")
    ap.add_argument(
        "--write-calibration",
        type=Path,
        help="also fit the chosen variant and write it here (and the body calibration beside it, if it pays)",
    )
    ap.add_argument(
        "--features",
        type=Path,
        help="an .npz of the checker's features: read if it exists (same model and data), else written",
    )
    ap.add_argument(
        "--max-chunks", type=int, help="premise chunks each claim sentence is scored against (the checker's default)"
    )
    ap.add_argument(
        "--max-pieces", type=int, help="sentences and clauses an unsupported claim sentence is also scored against"
    )
    ap.add_argument(
        "--chunk-tokens", type=int, help="premise chunks of at most this many tokens (the checker's default)"
    )
    args = ap.parse_args()

    units = {
        k: v
        for k, v in (
            ("max_chunks", args.max_chunks),
            ("max_pieces", args.max_pieces),
            ("chunk_tokens", args.chunk_tokens),
        )
        if v is not None
    }
    checker = ConsistencyChecker(args.model, **units)
    card_cal, body_cal = checker.calibrator, checker.body_calibrator
    cards, dev_kinds, learn, supported = dev_checks(args.limit)
    pool = calibration_pairs()
    pool_kinds = [p.source for p in pool]
    learn_pool = learn_checks(written_cards("calibration"))
    if args.features is not None and args.features.is_file():
        cached = np.load(args.features)
        card_x, learn_x, pool_x, learn_pool_x = (cached[k] for k in ("card", "learn", "pool", "learn_pool"))
    else:
        card_x = features(checker, [(p, h) for p, h, _ in cards], [d for _, _, d in cards])
        learn_x = features(checker, learn, [None] * len(learn))
        pool_x = features(checker, [(p.premise, p.hypothesis) for p in pool], [p.published for p in pool])
        learn_pool_x = features(checker, [(p.premise, p.hypothesis) for p in learn_pool], [None] * len(learn_pool))
        if args.features is not None:
            np.savez(args.features, card=card_x, learn=learn_x, pool=pool_x, learn_pool=learn_pool_x)
    learn_ok = np.array([p.source == "written-learn" for p in learn_pool])
    learn_groups = body_groups(learn_pool)

    weightings: tuple[Literal["class", "kind"], ...] = ("class", "kind")
    variants = []
    for knots, weighting, l2 in itertools.product((0, 3), weightings, (0.1, 1.0, 10.0)):
        cv = cross_validate(
            family_off(pool_x, None),
            pool_kinds,
            weighting=weighting,
            l2=l2,
            knots=knots,
            folds=args.folds,
            repeats=args.repeats,
        )
        variants.append({"weighting": weighting, "l2": l2, "knots": knots, **cv})
    print("cross-validated on the calibration articles (written cards; Wikinews all wrong kinds):")
    print_table(variants)
    best = max(variants, key=lambda r: (r["worst"], r["all wrong"]))
    choice = {"weighting": best["weighting"], "l2": best["l2"], "knots": best["knots"]}
    if tuple(choice.values()) != tuple(CALIBRATION_CHOICE):
        print(f"note: the best variant {choice} is not recipe.CALIBRATION_CHOICE {CALIBRATION_CHOICE}")

    # Learn bullets (a page's support for one sentence): the card calibration, or one of their own
    # (cross-validated on the calibration articles' learn bullets)?
    card_fit = fit_card_calibration(family_off(pool_x, None), pool_kinds, **choice)
    own, own_cv = body_fit(family_off(learn_pool_x, None), learn_ok, choice, folds=args.folds, groups=learn_groups)
    q = card_fit.probability(family_off(learn_pool_x, None))
    learn_choice = {"card calibration": auroc(q[learn_ok], q[~learn_ok]), "own calibration (cv)": own_cv}
    use_own = own_cv > learn_choice["card calibration"]
    print(f"\nlearn bullets on the calibration articles (AUROC): {learn_choice}")
    if args.write_calibration:
        signs = (
            f"{choice['weighting']} weighting, L2 {choice['l2']}, {choice['knots']} knots per continuous feature,"
            f" signs fixed, thresholds from {THRESHOLD_FOLDS}-fold out-of-article scores"
        )
        card_fit.fitted_on = (
            f"written cards and Wikinews card checks of the calibration articles ({len(pool)} checks, seed 29, {signs})"
        )
        card_fit.to_json(args.write_calibration)
        card_cal = body_cal = card_fit
        body_path = args.write_calibration.parent / BODY_CALIBRATION_FILE
        if use_own:
            own.fitted_on = (
                f"learn bullets of the calibration articles against their page text ({len(learn_pool)} checks, {signs})"
            )
            own.to_json(body_path)
            body_cal = own
        else:
            body_path.unlink(missing_ok=True)
        print(f"wrote {args.write_calibration}" + (f" and {body_path}" if use_own else ""))

    ablation_cv, ablation_dev = [], []
    for family in [None, *FAMILIES]:
        x = family_off(pool_x, family)
        cv = cross_validate(x, pool_kinds, **choice, folds=args.folds, repeats=args.repeats)
        ablation_cv.append({"off": family or "-", **cv})
        cal = fit_card_calibration(x, pool_kinds, **choice)
        body = body_fit(family_off(learn_pool_x, family), learn_ok, choice, folds=2, groups=learn_groups)[0]
        dev = dev_report(
            cal, family_off(card_x, family), dev_kinds, body if use_own else cal, family_off(learn_x, family), supported
        )
        ablation_dev.append({"off": family or "-", **dev})
    print("\nconflict families off, cross-validated on the calibration articles:")
    print_table(ablation_cv)
    print("\nconflict families off, dev cards (calibration refitted without the family; reported, never chosen on):")
    print_table(ablation_dev)

    nli_only = Calibrator([0.0] * len(FEATURES), [1.0] * len(FEATURES), [0.0] * len(FEATURES), 0.0, 1.0, 0.0)
    nli_only.weights[FEATURES.index("support")] = 1.0
    dev_x, dev_learn_x = family_off(card_x, None), family_off(learn_x, None)
    report = {
        "default": dev_report(card_cal, dev_x, dev_kinds, body_cal, dev_learn_x, supported),
        "nli support only": dev_report(nli_only, dev_x, dev_kinds, nli_only, dev_learn_x, supported),
    }
    print("\ndev cards and learn bullets (260 pages; evaluation only):")
    print_table([{"score": name, **row} for name, row in report.items()])
    path = write_result(
        "eval_cards",
        {
            "model": args.model,
            "dev": {"pages": len({body for body, _ in learn}), "cards": len(cards), "learn_bullets": len(learn)},
            "dev_report": report,
            "calibration_pool": {
                "checks": len(pool),
                "kinds": {k: pool_kinds.count(k) for k in sorted(set(pool_kinds))},
            },
            "folds": args.folds,
            "repeats": args.repeats,
            "variants": variants,
            "best": choice,
            "learn_calibration": {**learn_choice, "own calibration used": use_own},
            "ablation_cv": ablation_cv,
            "ablation_dev": ablation_dev,
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
