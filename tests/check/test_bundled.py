"""Acceptance on the bundled NLI model (offline, from the repository's models/ folder)."""

import json

import pytest
from typer.testing import CliRunner

from digestnlp import check_article, check_card, check_consistency, load_model, parse_article
from digestnlp.check import default_checker
from digestnlp.cli import app
from digestnlp.modeling.loading import bundled_names
from tests.conftest import SEED

pytestmark = pytest.mark.slow


def test_bundled_model_is_found_by_name() -> None:
    assert "nli-e5-small-ja" in bundled_names()
    loaded = load_model("nli-e5-small-ja", task="sequence-classification")
    assert loaded.model.config.id2label[0] == "entailment"


def test_seed_card_verdicts(seed_text: str) -> None:
    article = parse_article(seed_text)
    first, second = (check_card(c) for c in article.cards)
    assert first.verdict == "consistent", first.explanation
    assert second.verdict == "inconsistent", second.explanation
    assert first.score > second.score
    assert "プーチン" in second.explanation or "similarity" in second.explanation
    assert default_checker().calibrated


def test_number_conflict_is_explained() -> None:
    article = parse_article(
        "見出し\n\n📘 この記事で分かる事!\n\n💡 金利が上がった。\n\n"
        "長期金利、5.10%に上昇\n\n✅ 長期金利は3.58%に上昇した。\n\n✅ 市場は警戒している。\n\nさらに読む ⇒出典/画像元: https://x.jp/1\n"
    )
    verdict = check_card(article.cards[0])
    assert any(c.kind == "number" and c.claim_text == "5.10%" and c.evidence_text == "3.58%" for c in verdict.conflicts)
    assert "5.10%" in verdict.explanation and "3.58%" in verdict.explanation
    assert verdict.verdict != "consistent"


def test_check_consistency_scores() -> None:
    good = check_consistency("米ロ両国は停戦交渉の開始で合意した。価格は上がった。", "米ロが停戦交渉の開始で合意")
    bad = check_consistency("3畳のワンルームマンションが人気を集めている。", "米ロが停戦交渉の開始で合意")
    assert 0 <= bad.score < good.score <= 1
    assert good.score > 0.8
    assert good.sentences[0].best_chunk.text.startswith("米ロ両国は")


def test_check_article_and_cli(seed_text: str) -> None:
    result = check_article(parse_article(seed_text))
    assert [c.verdict for c in result.cards] == ["consistent", "inconsistent"]
    assert len(result.learn_bullets) == 3
    out = CliRunner().invoke(app, ["check", str(SEED)])
    assert out.exit_code == 0
    data = json.loads(out.output)
    assert [c["verdict"] for c in data["cards"]] == ["consistent", "inconsistent"]
    assert set(data["cards"][0]) == {"headline", "score", "verdict", "explanation", "conflicts"}
    assert set(data["learn_bullets"][0]) >= {"text", "score", "verdict"}
