"""The training code runs for a few steps on a tiny slice (CI never retrains the bundled model)."""

import json
from pathlib import Path

import numpy as np
import pytest

from digestnlp.check.nli import NLIModel
from digestnlp.modeling.bundle import save_bundle
from digestnlp.training import recipe
from digestnlp.training.data import LABEL_ID, NLIPair, written_cards
from digestnlp.training.news import load_wikinews, split_articles, strip_navigation
from digestnlp.training.recipe import caption_pairs
from digestnlp.training.train import TrainConfig, bucketed_batches, keep_layers, train_nli


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


def test_calibration_never_sees_a_training_dev_or_test_article(monkeypatch: pytest.MonkeyPatch) -> None:
    """The calibration is fitted on calibration-split articles only: written cards and Wikinews checks."""
    monkeypatch.setattr(recipe, "e5_similarity", lambda heads, leads: np.zeros((len(heads), len(leads))))
    split = split_articles(strip_navigation(load_wikinews()))
    pairs = recipe.calibration_pairs()
    consistent = {p.hypothesis for p in pairs if p.source in recipe.CONSISTENT_KINDS}
    written = {a.headline for a in written_cards("calibration")}
    assert written and written <= consistent
    assert consistent <= {a.headline for a in split.calibration} | written
    assert not consistent & {a.headline for a in split.test + split.train}
    assert {a.headline for a in written_cards("train")}.isdisjoint(consistent)
    kinds = {p.source for p in pairs}
    assert {"written-match", "written-other-random", "written-other-similar", "news-entail"} <= kinds
    assert not any(k.endswith("-bullet") or k.startswith("written-learn") for k in kinds)


def test_written_pairs_label_each_form_the_checker_meets() -> None:
    """Card-level and bullet-level pairs, other articles' cards and learn bullets, each with its label."""
    articles = written_cards("train")[:40]
    pairs = recipe.written_pairs(articles, seed=3)
    by_source: dict[str, set[int]] = {}
    for p in pairs:
        by_source.setdefault(p.source, set()).add(p.label)
    entail, neutral, contradict = (LABEL_ID[k] for k in ("entailment", "neutral", "contradiction"))
    assert by_source.pop("written-match") == by_source.pop("written-match-shuffled") == {entail}
    assert by_source.pop("written-learn") == {entail}
    assert by_source.pop("written-learn-contradicts") == {contradict}
    assert by_source.pop("written-learn-adds") == by_source.pop("written-other-random") == {neutral}
    assert by_source.pop("written-match-bullet") == {entail, neutral}  # restating the headline or not
    assert by_source and all(labels == {contradict} for labels in by_source.values()), by_source
    first = articles[0]
    wrong = next(c for c in first.cards if c.error_bullet is not None)
    assert any(p.premise == wrong.bullets[wrong.error_bullet] and p.hypothesis == first.headline for p in pairs)
    # a learn bullet is paired with the passage of the body that overlaps it most
    learn = [p for p in pairs if p.source == "written-learn" and p.hypothesis == first.learn[0]]
    assert learn and learn[0].premise in first.body and len(learn[0].premise) <= recipe.LEARN_WINDOW_CHARS


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
    # a second stage continues from the bundle's weights, not from the base
    again, _ = train_nli(pairs, TrainConfig(base=str(out), batch_size=4, max_steps=1, max_length=32, learning_rate=0.0))
    with torch.inference_mode():
        continued = torch.softmax(again(**enc).logits.float(), -1).numpy()
    np.testing.assert_allclose(continued, probs, atol=2e-2)


def test_a_distilled_student_keeps_the_top_layers_and_learns_the_teachers_probabilities(tmp_path: Path) -> None:
    import torch

    pairs = [
        NLIPair("犬が公園を走っている。", "動物が外にいる。", 0, "t"),
        NLIPair("犬が公園を走っている。", "猫が寝ている。", 1, "t"),
    ] * 4
    # the teacher says the opposite of the labels: a student trained on its probabilities alone
    # moves towards the teacher, not the labels
    teacher = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]] * 4, dtype=np.float32)
    cfg = TrainConfig(batch_size=8, max_steps=12, max_length=32, learning_rate=1e-3, layers=3, soft_weight=1.0)
    student, _ = train_nli(pairs, cfg, teacher_probs=teacher, log=lambda _: None)
    assert len(student.base_model.encoder.layer) == student.config.num_hidden_layers == 3
    out = save_bundle(student, tmp_path / "student")
    probs = NLIModel(str(out), precision="fp32").predict([(p.premise, p.hypothesis) for p in pairs[:2]])
    assert probs[0, 1] > probs[0, 0] and probs[1, 0] > probs[1, 1]
    with pytest.raises(ValueError, match="rows"):
        train_nli(pairs, TrainConfig(max_steps=1, max_length=32), teacher_probs=teacher[:3])
    layers = torch.nn.ModuleList(torch.nn.Linear(1, 1) for _ in range(12))
    model = type("M", (), {})()
    model.base_model = type("B", (), {"encoder": type("E", (), {"layer": layers})()})()
    model.config = type("C", (), {"num_hidden_layers": 12})()
    keep_layers(model, 6)
    assert [id(x) for x in model.base_model.encoder.layer] == [id(layers[i]) for i in (1, 3, 5, 7, 9, 11)]


def test_calibration_choice_is_the_best_worst_kind_of_the_committed_cross_validation() -> None:
    results = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "eval_cards.json"
    rows = json.loads(results.read_text(encoding="utf-8"))["variants"]
    best = max(rows, key=lambda r: (r["worst"], r["all wrong"]))
    assert (best["weighting"], best["l2"], best["knots"]) == recipe.CALIBRATION_CHOICE


def test_refine_pairs_are_the_written_cards_with_a_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recipe, "e5_similarity", lambda heads, leads: np.zeros((len(heads), len(leads))))
    pairs = recipe.refine_pairs()
    written = [p for p in pairs if p.source.startswith("written-")]
    assert len(pairs) - len(written) == recipe.REFINE_REPLAY
    assert {p.hypothesis for p in written if p.source == "written-match"} == {
        a.headline for a in written_cards("train")
    }
    assert not any(p.source == "jnli-valid" for p in pairs)


def _checks(rng: np.random.Generator, articles: int) -> tuple[np.ndarray, list[str]]:
    """Card checks an article at a time (faithful first, then two wrong ones); only support and
    contradiction carry signal, the other columns are noise a fit can overfit to."""
    from digestnlp.check.calibration import FEATURES

    kinds = [kind for _ in range(articles) for kind in ("written-match", "written-entity", "written-role")]
    x = rng.normal(0, 1, (len(kinds), len(FEATURES)))
    wrong = np.array([kind != "written-match" for kind in kinds])
    x[:, FEATURES.index("support")] -= 1.5 * wrong
    x[:, FEATURES.index("max_contradiction")] += 1.0 * wrong
    return x, kinds


def test_article_groups_follow_the_consistent_check_that_opens_each_article() -> None:
    kinds = ["written-match", "written-role", "news-entail", "news-number", "news-date", "written-match"]
    assert recipe.article_groups(kinds).tolist() == [0, 0, 1, 1, 1, 2]


def test_out_of_fold_thresholds_keep_their_promise_on_new_cards() -> None:
    """Thresholds set on in-sample scores flag more new faithful cards than ``false_alarms`` says;
    out-of-article scores set them lower and nearer their promise."""
    rng = np.random.default_rng(7)
    x, kinds = _checks(rng, 60)
    new_x, new_kinds = _checks(rng, 4000)
    faithful = np.array([kind == "written-match" for kind in new_kinds])
    flagged = {}
    for folds in (1, 5):
        cal = recipe.fit_card_calibration(x, kinds, l2=0.01, knots=0, threshold_folds=folds)
        p = cal.probability(new_x[faithful])
        flagged[folds] = float(np.mean(p < cal.inconsistent_at)), float(np.mean(p < cal.consistent_at))
    assert flagged[5][0] < flagged[1][0] and flagged[5][1] < flagged[1][1]
    assert abs(flagged[5][1] - (recipe.FALSE_ALARMS + recipe.UNCERTAIN)) < abs(
        flagged[1][1] - (recipe.FALSE_ALARMS + recipe.UNCERTAIN)
    )


def test_body_groups_are_the_articles_of_learn_checks() -> None:
    pairs = recipe.learn_checks(written_cards("calibration")[:3])
    groups = recipe.body_groups(pairs)
    assert len(set(groups.tolist())) == 3
    assert all(
        groups[i] == groups[j]
        for i in range(len(pairs))
        for j in range(len(pairs))
        if pairs[i].premise == pairs[j].premise
    )
