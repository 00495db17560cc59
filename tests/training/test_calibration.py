import json
from pathlib import Path

import numpy as np
import pytest

from digestnlp.check.calibration import CONTINUOUS, FEATURE_SIGNS, FEATURES, UNCALIBRATED, Calibrator, auroc
from digestnlp.training.calibration import choose_thresholds, fit_calibrator, kind_weights


def test_calibrator_separates_and_orders_thresholds() -> None:
    rng = np.random.default_rng(1)
    n = 400
    y = (rng.random(n) < 0.3).astype(int)
    x = rng.normal(0, 1, (n, len(FEATURES)))
    x[:, 0] += 3 * y
    cal = fit_calibrator(x, y)
    p = cal.probability(x)
    assert auroc(p[y == 1], p[y == 0]) > 0.95
    assert 0.0 <= cal.inconsistent_at <= cal.consistent_at <= 1.0
    assert cal.verdict(0.999) == "consistent" and cal.verdict(0.001) == "inconsistent"


def test_kind_weights_share_equally() -> None:
    kinds = ["ok"] * 6 + ["random"] * 8 + ["number"] * 2
    w = kind_weights(kinds, "ok")
    share = {k: w[[i for i, x in enumerate(kinds) if x == k]].sum() / w.sum() for k in set(kinds)}
    assert share == pytest.approx({"ok": 0.5, "random": 0.25, "number": 0.25})
    assert w.sum() == pytest.approx(len(kinds))


def test_kind_weights_move_the_fit_toward_a_rare_kind() -> None:
    """A feature only the rare negative kind shows gets more weight when kinds count equally."""
    rng = np.random.default_rng(3)
    kinds = ["ok"] * 300 + ["common"] * 270 + ["rare"] * 30
    y = np.array([1 if k == "ok" else 0 for k in kinds])
    x = rng.normal(0, 1, (len(kinds), len(FEATURES)))
    support, contradiction = FEATURES.index("support"), FEATURES.index("max_contradiction")
    x[:, support] += np.where(np.array(kinds) == "common", -2.0, 0.0)
    x[:, contradiction] += np.where(np.array(kinds) == "rare", 2.0, 0.0)
    by_class = fit_calibrator(x, y)
    by_kind = fit_calibrator(x, y, sample_weight=kind_weights(kinds, "ok"))
    assert by_kind.weights[contradiction] < by_class.weights[contradiction] < 0


@pytest.mark.parametrize("knots", [0, 3])
def test_every_weight_keeps_the_sign_of_its_feature(knots: int) -> None:
    """Consistent cards that carry more contradiction and conflicts than wrong ones (as unrelated
    cards can) still cannot make contradiction raise the score: the weight stops at zero."""
    rng = np.random.default_rng(7)
    y = np.repeat([1, 0], 300)
    x = rng.normal(0, 1, (len(y), len(FEATURES)))
    x[:, FEATURES.index("support")] += 2.0 * y
    for name in ("max_contradiction", "number_contradicted", "negation_contradicted"):
        x[:, FEATURES.index(name)] += 1.5 * y  # "more contradiction, more consistent" in this pool
    x[:, FEATURES.index("similarity")] -= 1.5 * y  # and less topical
    cal = fit_calibrator(x, y, knots=knots)
    hinges = [name for name, at in cal.knots.items() for _ in at]
    for name, w in zip([*FEATURES, *hinges], cal.weights, strict=True):
        assert w * FEATURE_SIGNS[name] >= -1e-9, name
    assert cal.weights[FEATURES.index("support")] > 0.5
    p = cal.probability(x)
    assert auroc(p[y == 1], p[y == 0]) > 0.9


def test_thresholds_reach_precision() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.9])
    y = np.array([0, 0, 1, 0, 1, 1])
    hi, lo = choose_thresholds(p, y, precision=0.9)
    assert hi == pytest.approx(0.7) and lo == pytest.approx(0.2)


def _bent_cards(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Unrelated cards told apart by similarity; contradicted ones by a contradiction probability
    that only says something above 0.8 (consistent cards range up to there)."""
    rng = np.random.default_rng(seed)
    y = np.repeat([1, 0, 0], 200)
    x = rng.normal(0, 0.05, (len(y), len(FEATURES)))
    x[:, FEATURES.index("similarity")] = np.concatenate(
        [rng.normal(1, 0.3, 200), rng.normal(0, 0.3, 200), rng.normal(1, 0.3, 200)]
    )
    x[:, FEATURES.index("max_contradiction")] = np.concatenate(
        [rng.uniform(0.0, 0.8, 200), rng.uniform(0.0, 0.8, 200), rng.uniform(0.85, 1.0, 200)]
    )
    return x, y


def test_knots_bend_a_feature_no_single_weight_fits() -> None:
    x, y = _bent_cards(4)
    test_x, test_y = _bent_cards(5)
    linear, bent = fit_calibrator(x, y, knots=0), fit_calibrator(x, y, knots=3)
    assert linear.knots == {}
    assert set(bent.knots) == set(CONTINUOUS) and all(len(k) == 3 for k in bent.knots.values())
    assert bent.knots["max_contradiction"] == pytest.approx(
        np.quantile(x[:, FEATURES.index("max_contradiction")], [0.25, 0.5, 0.75])
    )
    assert len(bent.weights) == len(FEATURES) + 3 * len(CONTINUOUS) == len(bent.mean)

    def test_auroc(cal: Calibrator) -> float:
        p = cal.probability(test_x)
        return auroc(p[test_y == 1], p[test_y == 0])

    assert test_auroc(linear) < 0.95 < 0.975 < test_auroc(bent)


@pytest.mark.parametrize("knots", [0, 3])
def test_calibration_round_trip(tmp_path: Path, knots: int) -> None:
    path = tmp_path / "calibration.json"
    x, y = _bent_cards(6)
    cal = fit_calibrator(x, y, knots=knots)
    cal.to_json(path)
    again = Calibrator.from_json(path)
    assert again == cal
    np.testing.assert_allclose(again.probability(x), cal.probability(x))


def test_calibration_without_knots_reads_as_linear(tmp_path: Path) -> None:
    """A calibration.json written before knots existed (no "knots" key) is the same linear fit."""
    path = tmp_path / "calibration.json"
    UNCALIBRATED.to_json(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["knots"]
    path.write_text(json.dumps(data), encoding="utf-8")
    again = Calibrator.from_json(path)
    x = np.ones((1, len(FEATURES)))
    assert again.knots == {} and again.probability(x) == pytest.approx(UNCALIBRATED.probability(x))


@pytest.mark.parametrize("knots", [0, 3])
def test_contributions_add_up_to_the_logit(knots: int) -> None:
    x, y = _bent_cards(8)
    cal = fit_calibrator(x, y, knots=knots)
    for row in x[:5]:
        p = float(cal.probability(row)[0])
        parts = cal.contributions(row)
        assert set(parts) == set(FEATURES)
        assert sum(parts.values()) + cal.bias == pytest.approx(np.log(p / (1 - p)))
