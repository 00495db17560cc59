"""The training code runs for a few steps on a tiny slice (CI never retrains the bundled model)."""

import json
from pathlib import Path

import numpy as np
import pytest

from digestnlp.check import recipe
from digestnlp.check.data import NLIPair
from digestnlp.check.news import load_wikinews, split_articles, strip_navigation
from digestnlp.check.nli import NLIModel
from digestnlp.check.recipe import caption_pairs
from digestnlp.check.train import TrainConfig, bucketed_batches, train_nli
from digestnlp.modeling.bundle import save_bundle


def test_bucketed_batches_cover_everything_once() -> None:
    import random

    lengths = [5, 50, 7, 48, 6, 49, 8, 47]
    batches = bucketed_batches(lengths, 2, random.Random(0), window=4)
    flat = sorted(i for b in batches for i in b)
    assert flat == list(range(len(lengths)))
    spreads = [max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches]
    assert max(spreads) <= 3, "batches hold similar lengths"


def test_training_sets_exclude_jnli_valid() -> None:
    assert not any(p.source == "jnli-valid" for p in caption_pairs())


def test_calibration_never_sees_a_test_article(monkeypatch: pytest.MonkeyPatch) -> None:
    """The calibration adds training articles to the calibration articles, never a test one."""
    monkeypatch.setattr(recipe, "e5_similarity", lambda heads, leads: np.zeros((len(heads), len(leads))))
    split = split_articles(strip_navigation(load_wikinews()))
    consistent = [p.hypothesis for p in recipe.calibration_pairs() if p.source == "news-entail"]
    allowed = {a.headline for a in split.calibration + split.train[: recipe.CALIBRATION_TRAIN_ARTICLES]}
    assert len(consistent) > len(split.calibration) + 900
    assert set(consistent) <= allowed
    assert not set(consistent) & {a.headline for a in split.test}


def test_unmined_cards_are_training_articles_outside_the_calibration(monkeypatch: pytest.MonkeyPatch) -> None:
    """``skip`` starts the part after the articles the calibration (and its rules) used."""
    monkeypatch.setattr(recipe, "e5_similarity", lambda heads, leads: np.zeros((len(heads), len(leads))))
    train = split_articles(strip_navigation(load_wikinews())).train
    skip = recipe.CALIBRATION_TRAIN_ARTICLES
    pairs = recipe.card_pairs("train", skip=skip, limit=5)
    consistent = [p.hypothesis for p in pairs if p.source == "news-entail"]
    assert consistent == [a.headline for a in train[skip : skip + 5]]


def test_train_few_steps_save_and_reload(tmp_path: Path) -> None:
    pairs = [
        NLIPair("犬が公園を走っている。", "動物が外にいる。", 0, "t"),
        NLIPair("犬が公園を走っている。", "猫が寝ている。", 1, "t"),
        NLIPair("犬が公園を走っている。", "犬は走っていない。", 2, "t"),
    ] * 4
    cfg = TrainConfig(batch_size=4, max_steps=3, max_length=32, log_every=1, learning_rate=1e-4)
    logs: list[str] = []
    model, _ = train_nli(pairs, cfg, log=logs.append)
    assert len(logs) == 3 and logs[-1].startswith("step 3/3")
    out = save_bundle(model, tmp_path / "bundle", meta={"test": True})
    size = sum(f.stat().st_size for f in out.iterdir())
    assert size < 50_000_000, "a bundle stores only what differs from the base"
    reloaded = NLIModel(str(out), precision="fp32")
    assert reloaded.engine == "native", "a digestnlp bundle runs without transformers by default"
    probs = reloaded.predict([(p.premise, p.hypothesis) for p in pairs[:3]])
    model.eval()
    import torch

    from digestnlp.modeling.cache import e5_tokenizer, ensure_e5_folder

    with torch.inference_mode():
        enc = e5_tokenizer(ensure_e5_folder())(
            [p.premise for p in pairs[:3]], [p.hypothesis for p in pairs[:3]], padding=True, return_tensors="pt"
        )
        direct = torch.softmax(model(**enc).logits.float(), -1).numpy()
    np.testing.assert_allclose(probs, direct, atol=2e-2)  # fp16 storage of the bundle
    hf = NLIModel(str(out), precision="fp32", engine="transformers")
    mixed = [(p.premise, p.hypothesis) for p in pairs[:3]] + [("前提。" * 40, "長い仮説" * 60), ("前提", "仮説")]
    np.testing.assert_allclose(reloaded.predict(mixed, batch_size=2), hf.predict(mixed, batch_size=2), atol=1e-4)
    for text in ("犬が公園を走っている。", "", "5.10%の上昇", "長い仮説" * 60):
        assert reloaded.token_length(text) == hf.token_length(text)


def test_calibration_choice_is_the_best_worst_kind_of_the_committed_cross_validation() -> None:
    results = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "cv_calibration.json"
    rows = json.loads(results.read_text(encoding="utf-8"))["rows"]
    best = max(rows, key=lambda r: r["worst"])
    assert (best["weighting"], best["l2"], best["knots"]) == recipe.CALIBRATION_CHOICE
