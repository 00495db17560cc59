"""The summarizer's training code on a tiny slice, and that what it saves is what the backend reads."""

import json
from pathlib import Path

import numpy as np
import pytest

from digestnlp.errors import ModelFormatError, ModelNotFoundError
from digestnlp.summarize.learned import SCALAR_FEATURES, LearnedBackend, RankingHead
from digestnlp.training.data import written_cards
from digestnlp.training.summarizer import (
    PageExample,
    SummarizerTrainConfig,
    build_examples,
    candidate_targets,
    lead_scores,
    page_texts,
    save_head,
    select,
    train_head,
)


@pytest.mark.parametrize(
    ("candidate", "references", "expected"),
    [
        ("東京で雪が降った。", ["東京で雪が降った。"], 1.0),
        ("東京で雪が降った。", ["大阪は晴れ。", "東京で雪が降った。"], 1.0),
        ("abcd", ["abxy"], 0.5),
        ("東京", ["大阪"], 0.0),
    ],
)
def test_target_is_rouge_l_against_the_closest_reference(
    candidate: str, references: list[str], expected: float
) -> None:
    assert candidate_targets([candidate], references)[0] == pytest.approx(expected)


def test_each_article_is_a_page_and_a_bare_body() -> None:
    import random

    a, other = written_cards("train")[:2]
    page, plain = page_texts(a, other, random.Random(0))
    assert a.headline in page and "✅" in page
    assert a.headline not in plain and "✅" not in plain
    assert plain.replace("\n", "") == a.body.replace("\n", "")


def _synthetic(rng: np.random.Generator, n_pages: int, dim: int) -> list[PageExample]:
    """Pages whose target is one feature column: a head that learns must rank by it."""
    from digestnlp.article import Article

    out = []
    for _ in range(n_pages):
        x = rng.normal(size=(12, dim)).astype(np.float32)
        y = (1 / (1 + np.exp(-2 * x[:, 3]))).astype(np.float32)
        out.append(PageExample(Article(source=""), (), x, y, [""] * 12, list(range(12)), [-1] * 12, [set()] * 12))
    return out


def test_listnet_head_learns_the_ranking() -> None:
    rng = np.random.default_rng(0)
    train, test = _synthetic(rng, 100, 20), _synthetic(rng, 20, 20)
    cfg = SummarizerTrainConfig(epochs=15, hidden=16, dropout=0.0)
    head = RankingHead(**train_head(train, cfg), config={})
    from scipy.stats import spearmanr

    rho = np.mean([spearmanr(head(ex.x), ex.y).statistic for ex in test])
    assert rho > 0.8


@pytest.mark.slow
def test_train_save_load_and_summarize(tmp_path: Path, seed_text: str) -> None:
    cfg = SummarizerTrainConfig(epochs=2, hidden=8, max_chars=70)
    examples = build_examples(written_cards("train")[:3], cfg)
    assert {ex.kind for ex in examples} == {"page", "plain"}
    assert all(ex.x.shape == (len(ex.texts), 384 + len(SCALAR_FEATURES)) for ex in examples)
    ex = examples[0]
    assert len(select(ex, lead_scores(ex), 3, 0.7)) == 3
    folder = save_head(train_head(examples, cfg), tmp_path / "head", cfg, {"articles": 3})
    assert json.loads((folder / "config.json").read_text())["scalar_features"] == list(SCALAR_FEATURES)
    from digestnlp.article import parse_page

    backend = LearnedBackend(folder)
    assert backend.max_chars == 70, "candidates as long as those the head was trained on"
    assert LearnedBackend(folder, max_chars=50).max_chars == 50
    bullets = backend.candidates(parse_page(seed_text), 3)
    assert len(bullets) >= 3 and all(b.text.endswith("。") and len(b.text) <= 70 for b in bullets)


@pytest.mark.slow
def test_a_plain_text_head_learns_from_bare_bodies_and_ranks_plain_text(tmp_path: Path, seed_text: str) -> None:
    from digestnlp.article import parse_page

    articles = written_cards("train")[:2]
    cfg = SummarizerTrainConfig(epochs=1, hidden=4, max_chars=110, views=("plain",), plain_titles=1.0)
    examples = build_examples(articles, cfg)
    assert [ex.kind for ex in examples] == ["plain", "plain"]
    assert [ex.article.title for ex in examples] == [a.headline for a in articles]
    assert not any(ex.article.chapters or ex.article.cards for ex in examples)
    plain = save_head(train_head(examples, cfg), tmp_path / "plain", cfg, {})
    page_cfg = SummarizerTrainConfig(epochs=1, hidden=4, max_chars=70, mmr_lambda=0.6)
    page = save_head(train_head(examples, page_cfg), tmp_path / "page", page_cfg, {})

    backend = LearnedBackend(page, plain_model=plain)
    body = parse_page(articles[0].body)
    assert backend.settings(body) == (110, cfg.mmr_lambda)
    assert backend.settings(parse_page(seed_text)) == (70, 0.6)
    assert LearnedBackend(page).settings(body) == (70, 0.6), "a head given alone ranks every input"
    assert LearnedBackend(page, plain_model=plain, max_chars=50).settings(body)[0] == 50


def test_a_head_for_other_features_is_refused(tmp_path: Path) -> None:
    cfg = SummarizerTrainConfig()
    weights = {k: np.zeros((1, 1), dtype=np.float32) for k in ("mean", "scale", "w1", "b1", "w2", "b2")}
    folder = save_head(weights, tmp_path / "head", cfg, {})
    config = json.loads((folder / "config.json").read_text())
    config["scalar_features"] = ["something", "else"]
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelFormatError, match="retrain"):
        RankingHead.from_disk(folder)
    with pytest.raises(ModelNotFoundError, match="train-summarizer"):
        RankingHead.from_disk(tmp_path / "nowhere")


@pytest.mark.parametrize("views", [("plian",), ("page", "body")])
def test_an_unknown_view_is_refused_before_training(views: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="views are page or plain"):
        SummarizerTrainConfig(views=views)
