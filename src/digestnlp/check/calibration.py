"""Turn checker features into a calibrated probability of consistency and a three-way verdict.

A small logistic regression (L2, fitted by scipy's L-BFGS-B) over a handful of features: NLI
support (less whatever more the evidence gives the claim's antonym version), worst contradiction
probability, topical similarity, lexical overlap, counts of explicit conflicts and how much the
sentence contradicting a figure is about the claim (``rival_overlap``). Each weight keeps the sign
its feature's meaning gives it (``FEATURE_SIGNS``), so the score is monotone in every feature. The
four continuous ones may enter piecewise linearly (hinges at quantile knots, each hinge with its
feature's sign): the contradiction probability barely matters below ~0.8 and decides above it.
Fitted with balanced class weights, so the score is a probability under a 50/50 prior. Verdict
thresholds: by default each side is set for a target precision on the same data, everything between
them "uncertain"; the card check sets them by rates on faithful cards (``recipe.fit_card_calibration``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

FEATURES = (
    "contrastive_support",
    "max_contradiction",
    "similarity",
    "overlap",
    "number_contradicted",
    "date_contradicted",
    "date_unsupported",
    "number_unsupported",
    "name_unsupported",
    "name_contradicted",
    "polarity",
    "negation",
    "rival_overlap",
    "date_impossible",
)
# What a feature can do to the score, whatever a fit would prefer: support, topicality and overlap
# can only raise it; a contradiction probability and every conflict can only lower it. (Fitted
# freely, a pool where consistent cards carry more contradiction probability than unrelated ones
# gives that probability a positive weight, which no reader would accept as a reason.)
FEATURE_SIGNS = {name: -1 for name in FEATURES} | {"contrastive_support": 1, "similarity": 1, "overlap": 1}
# The features a calibration may bend at knots; the others are counts.
CONTINUOUS = ("contrastive_support", "max_contradiction", "similarity", "overlap")


@dataclass
class Calibrator:
    mean: list[float]
    std: list[float]
    weights: list[float]
    bias: float
    consistent_at: float
    inconsistent_at: float
    features: tuple[str, ...] = FEATURES
    fitted_on: str = ""
    # Per feature, the knots of its hinge terms max(0, x - knot), weighted after the features.
    knots: dict[str, list[float]] = field(default_factory=dict)

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = (design_matrix(np.atleast_2d(x), self.features, self.knots) - np.asarray(self.mean)) / np.asarray(self.std)
        return np.asarray(1.0 / (1.0 + np.exp(-(z @ np.asarray(self.weights) + self.bias))))

    def verdict(self, p: float) -> str:
        if p >= self.consistent_at:
            return "consistent"
        if p <= self.inconsistent_at:
            return "inconsistent"
        return "uncertain"

    def to_json(self, path: Path) -> None:
        data = asdict(self)
        data["features"] = list(self.features)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    @classmethod
    def from_json(cls, path: Path) -> Calibrator:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["features"] = tuple(data["features"])
        return cls(**data)


# Support raises the score, every contradiction lowers it; unsupported names and numbers and the
# topical features wait for a calibration to say what they are worth.
_UNCALIBRATED_WEIGHTS = {
    "contrastive_support": 4.0,
    "max_contradiction": -2.0,
    "number_contradicted": -2.0,
    "date_contradicted": -2.0,
    "name_contradicted": -2.0,
    "polarity": -2.0,
    "negation": -2.0,
}
UNCALIBRATED = Calibrator(
    mean=[0.0] * len(FEATURES),
    std=[1.0] * len(FEATURES),
    weights=[_UNCALIBRATED_WEIGHTS.get(f, 0.0) for f in FEATURES],
    bias=0.0,
    consistent_at=0.7,
    inconsistent_at=0.3,
    fitted_on="none: a fixed mapping used for checkpoints without calibration.json",
)


def design_matrix(x: np.ndarray, features: Sequence[str], knots: dict[str, list[float]]) -> np.ndarray:
    """The features followed by each knotted feature's hinge terms."""
    hinges = [np.maximum(0.0, x[:, [list(features).index(name)]] - np.asarray(at)) for name, at in knots.items()]
    return np.hstack([x, *hinges])


def quantile_knots(x: np.ndarray, n: int) -> dict[str, list[float]]:
    """``n`` knots per continuous feature of ``x`` (columns ``FEATURES``) at its evenly spaced
    quantiles (3: the quartiles)."""
    if n <= 0:
        return {}
    qs = np.arange(1, n + 1) / (n + 1)
    return {name: [float(k) for k in np.unique(np.quantile(x[:, FEATURES.index(name)], qs))] for name in CONTINUOUS}


def kind_weights(kinds: Sequence[str], positive: str) -> np.ndarray:
    """Sample weights giving the ``positive`` kind half the total and each other kind an equal share.

    Random and most-similar negatives are over half of the corrupted cards and are told apart by
    similarity alone; weighted by count, they would decide how much a conflicting number costs.
    """
    names = np.asarray(kinds)
    negatives = sorted(set(kinds) - {positive})
    w = np.zeros(len(names))
    for kind in [positive, *negatives]:
        share = 0.5 if kind == positive else 0.5 / len(negatives)
        w[names == kind] = share / (names == kind).sum()
    return w * len(names)


def sample_weights(kinds: Sequence[str], positive: str, weighting: Literal["class", "kind"]) -> np.ndarray | None:
    """The weights of a calibration fit: None (classes balanced by ``fit_logistic``) or ``kind_weights``."""
    return kind_weights(kinds, positive) if weighting == "kind" else None


def bounds(features: Sequence[str], knots: dict[str, list[float]]) -> list[tuple[float | None, float | None]]:
    """Each design column's sign bound (a hinge term takes its feature's), then the free bias."""
    signs = [FEATURE_SIGNS.get(f, 0) for f in features]
    signs += [FEATURE_SIGNS.get(name, 0) for name, at in knots.items() for _ in at]
    side: dict[int, tuple[float | None, float | None]] = {1: (0.0, None), -1: (None, 0.0), 0: (None, None)}
    return [side[s] for s in signs] + [(None, None)]


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    l2: float = 1.0,
    sample_weight: np.ndarray | None = None,
    sign_bounds: Sequence[tuple[float | None, float | None]] | None = None,
) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """L2 logistic regression by L-BFGS-B, classes balanced unless ``sample_weight`` is given, each
    weight kept to its side of zero by ``sign_bounds``; returns weights, bias and the standardisation."""
    from scipy.optimize import minimize

    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std < 1e-6] = 1.0
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    pos = y.mean()
    sample_w = (
        sample_weight if sample_weight is not None else np.where(y == 1, 0.5 / max(pos, 1e-9), 0.5 / max(1 - pos, 1e-9))
    )
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        m = z @ w
        # log(1 + e^m) - y m, written to stay finite for large |m|
        value = float((sample_w * (np.logaddexp(0.0, m) - y * m)).sum() + 0.5 * (reg * w * w).sum())
        p = 1.0 / (1.0 + np.exp(-m))
        return value, z.T @ (sample_w * (p - y)) + reg * w

    fit = minimize(
        loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B", bounds=sign_bounds, options={"maxiter": 1000}
    )
    w = fit.x
    return w[:-1], float(w[-1]), mean, std


def choose_thresholds(p: np.ndarray, y: np.ndarray, precision: float = 0.9) -> tuple[float, float]:
    """Lowest score whose 'consistent' calls, and highest whose 'inconsistent' calls, reach ``precision``.

    Precision is computed with balanced class weights, matching the 50/50 prior of the score.
    """
    pos_w = 0.5 / max(y.mean(), 1e-9)
    neg_w = 0.5 / max(1 - y.mean(), 1e-9)
    grid = np.unique(np.round(p, 4))
    consistent_at, inconsistent_at = 1.0, 0.0
    for t in grid:
        sel = p >= t
        tp, fp = pos_w * (y[sel] == 1).sum(), neg_w * (y[sel] == 0).sum()
        if sel.any() and tp / (tp + fp) >= precision:
            consistent_at = float(t)
            break
    for t in grid[::-1]:
        sel = p <= t
        tn, fn = neg_w * (y[sel] == 0).sum(), pos_w * (y[sel] == 1).sum()
        if sel.any() and tn / (tn + fn) >= precision:
            inconsistent_at = float(t)
            break
    if inconsistent_at >= consistent_at:
        mid = (inconsistent_at + consistent_at) / 2
        inconsistent_at = consistent_at = mid
    return consistent_at, inconsistent_at


def fit_calibrator(
    x: np.ndarray,
    y: np.ndarray,
    *,
    precision: float = 0.9,
    fitted_on: str = "",
    sample_weight: np.ndarray | None = None,
    l2: float = 1.0,
    knots: int = 0,
) -> Calibrator:
    """Fit on ``x`` (columns ``FEATURES``), with ``knots`` quantile knots per continuous feature."""
    at = quantile_knots(x, knots)
    w, b, mean, std = fit_logistic(
        design_matrix(x, FEATURES, at), y, l2=l2, sample_weight=sample_weight, sign_bounds=bounds(FEATURES, at)
    )
    cal = Calibrator(mean.tolist(), std.tolist(), w.tolist(), b, 1.0, 0.0, FEATURES, fitted_on, at)
    cal.consistent_at, cal.inconsistent_at = choose_thresholds(cal.probability(x), y, precision)
    return cal


def auroc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pos, neg = np.asarray(pos, dtype=float), np.sort(np.asarray(neg, dtype=float))
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    below = np.searchsorted(neg, pos, side="left")
    tied = np.searchsorted(neg, pos, side="right") - below
    return float((below + 0.5 * tied).sum() / (len(pos) * len(neg)))
