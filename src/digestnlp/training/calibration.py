"""Fitting the checker's calibration: a sign-constrained logistic regression over its features.

Each weight keeps the sign its feature's meaning gives it (``FEATURE_SIGNS``), so the score is
monotone in every feature; the four continuous features may enter piecewise linearly (hinges at
quantile knots, each hinge with its feature's sign). scikit-learn's ``LogisticRegression`` has no
bounds on coefficients, so the fit is scipy's L-BFGS-B on the weighted log loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from digestnlp.check.calibration import CONTINUOUS, FEATURE_SIGNS, FEATURES, Calibrator, design_matrix


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
    signs = [FEATURE_SIGNS.get(f, -1) for f in features]
    signs += [FEATURE_SIGNS.get(name, -1) for name, at in knots.items() for _ in at]
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
