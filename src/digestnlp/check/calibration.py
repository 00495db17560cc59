"""A calibrated probability of consistency and a three-way verdict from the checker's features.

A logistic model over a handful of features: NLI support, worst contradiction probability,
topical similarity, lexical overlap and the conflict families' counts. Each weight keeps the sign
its feature's meaning gives it (``FEATURE_SIGNS``), so the score is monotone in every feature; the
continuous ones may enter piecewise linearly (hinge terms at knots). The fit lives in
``digestnlp.training.calibration``; this module only applies a fitted ``Calibrator``
(``calibration.json`` beside the model).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from digestnlp.check.conflicts import feature_names

# The checker's own features; the conflict families add theirs (``conflicts.feature_names``).
CORE_FEATURES = ("support", "max_contradiction", "similarity", "overlap")
FEATURES = (*CORE_FEATURES, *feature_names())
# What a feature can do to the score, whatever a fit would prefer: support, topicality and overlap
# can only raise it; a contradiction probability and every conflict can only lower it. (Fitted
# freely, a pool where consistent cards carry more contradiction probability than unrelated ones
# gives that probability a positive weight, which no reader would accept as a reason.)
FEATURE_SIGNS = {name: -1 for name in FEATURES} | {"support": 1, "similarity": 1, "overlap": 1}
# The features a calibration may bend at knots; the others are counts.
CONTINUOUS = CORE_FEATURES


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

    def contributions(self, x: np.ndarray) -> dict[str, float]:
        """Each feature's share of one check's logit (its hinge terms included), against a check
        at the fitted means: negative ones pull the score down."""
        z = (design_matrix(np.atleast_2d(x), self.features, self.knots)[0] - np.asarray(self.mean)) / np.asarray(
            self.std
        )
        terms = z * np.asarray(self.weights)
        names = [*self.features, *(name for name, at in self.knots.items() for _ in at)]
        out: dict[str, float] = dict.fromkeys(self.features, 0.0)
        for name, term in zip(names, terms, strict=True):
            out[name] += float(term)
        return out

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
    "support": 4.0,
    "max_contradiction": -2.0,
    "number_contradicted": -2.0,
    "date_contradicted": -2.0,
    "name_contradicted": -2.0,
    "polarity_contradicted": -2.0,
    "negation_contradicted": -2.0,
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


def auroc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pos, neg = np.asarray(pos, dtype=float), np.sort(np.asarray(neg, dtype=float))
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    below = np.searchsorted(neg, pos, side="left")
    tied = np.searchsorted(neg, pos, side="right") - below
    return float((below + 0.5 * tied).sum() / (len(pos) * len(neg)))
