import datetime as dt
import itertools
import shutil
from pathlib import Path

import numpy as np
import pytest

from digestnlp.check.calibration import FEATURES, Calibrator, auroc
from digestnlp.check.cards import check_consistency
from digestnlp.check.conflicts import find_conflicts
from digestnlp.check.consistency import (
    Chunk,
    ConsistencyChecker,
    ConsistencyResult,
    SentenceEvidence,
    chunk_premise,
    closest_sentence,
    culprit,
    explain,
    lexical_overlap,
    premise_units,
    top_units,
)
from digestnlp.errors import InputError, ModelFormatError


def char_tokens(text: str) -> int:
    return len(text)


def test_chunks_pack_whole_sentences() -> None:
    premise = "一文目です。二文目です。三文目です。"
    chunks = chunk_premise(premise, 12, char_tokens)
    assert [c.text for c in chunks] == ["一文目です。二文目です。", "三文目です。"]
    for c in chunks:
        assert premise[c.start : c.end] == c.text and not c.cut


def test_long_sentence_is_cut_not_truncated() -> None:
    premise = "あ" * 100 + "。"
    chunks = chunk_premise(premise, 30, char_tokens)
    assert all(c.cut and len(c.text) <= 30 for c in chunks)
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert covered == set(range(len(premise))), "every character is in some chunk"
    assert any(a.end > b.start for a, b in itertools.pairwise(chunks)), "windows overlap"


def test_premise_units_adds_sentences_and_clauses() -> None:
    premise = "米ロは停戦交渉で合意したが、成功は容易ではない。欧州は警戒している。"
    chunks, pieces = premise_units(premise, 200, char_tokens)
    assert [c.text for c in chunks] == [premise]
    assert [p.text for p in pieces] == [
        "米ロは停戦交渉で合意したが、成功は容易ではない。",
        "米ロは停戦交渉で合意した",
        "成功は容易ではない。",
        "欧州は警戒している。",
    ]
    assert all(premise[p.start : p.end] == p.text for p in pieces)
    assert len({(p.start, p.end) for p in chunks + pieces}) == len(chunks) + len(pieces), "no unit twice"


def _units(*texts: str) -> list[Chunk]:
    return [Chunk(t, 0, len(t)) for t in texts]


@pytest.mark.parametrize(
    ("claim", "max_chunks", "max_pieces", "expected"),
    [
        ("停戦交渉で合意", 1, 1, ["停戦交渉で合意した。株価は上昇。", "停戦交渉で合意した。"]),
        ("株価が上昇", 1, 2, ["停戦交渉で合意した。株価は上昇。", "停戦交渉で合意した。", "株価は上昇。"]),
        ("株価が上昇", 0, 1, ["株価は上昇。"]),
        ("何でも", 5, 5, ["停戦交渉で合意した。株価は上昇。", "天気は晴れ。", "停戦交渉で合意した。", "株価は上昇。"]),
    ],
)
def test_top_units_keeps_the_most_overlapping_in_order(
    claim: str, max_chunks: int, max_pieces: int, expected: list[str]
) -> None:
    chunks = _units("停戦交渉で合意した。株価は上昇。", "天気は晴れ。")
    pieces = _units("停戦交渉で合意した。", "株価は上昇。")
    chosen = top_units(claim, chunks, max_chunks) + top_units(claim, pieces, max_pieces)
    assert [c.text for c in chosen] == expected


def test_lexical_overlap() -> None:
    assert lexical_overlap("米ロが停戦交渉", "米ロ両国は停戦交渉の開始で合意した。") == 1.0
    assert lexical_overlap("プーチン大統領が条件", "3畳のアパートが人気。") < 0.3


def test_auroc_matches_pairwise_count() -> None:
    rng = np.random.default_rng(0)
    pos, neg = rng.normal(1, 1, 50), rng.normal(0, 1, 70)
    brute = np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg])
    assert auroc(pos, neg) == pytest.approx(brute)
    tied_pos, tied_neg = pos.round(), neg.round()  # many ties: each counts half
    brute = np.mean([(p > n) + 0.5 * (p == n) for p in tied_pos for n in tied_neg])
    assert auroc(tied_pos, tied_neg) == pytest.approx(brute)
    assert auroc(np.array([1.0, 1.0]), np.array([1.0])) == pytest.approx(0.5)
    assert np.isnan(auroc(np.array([]), np.array([1.0])))


def test_checker_with_tiny_model_flags_uncalibrated(tiny_nli_dir: Path) -> None:
    checker = ConsistencyChecker(str(tiny_nli_dir))
    assert not checker.calibrated
    premise = "。".join(["長い前提の文です"] * 60) + "。"
    (result,) = checker.consistency([(premise, "仮説。二つ目の仮説。")])
    assert len(result.sentences) == 2
    assert len(result.chunks) > 1, "a premise longer than the window is chunked"
    assert all(premise[c.start : c.end] == c.text for c in result.chunks)
    assert 0.0 <= result.score <= 1.0
    for sentence in result.sentences:
        assert sentence.best_chunk in result.chunks and sentence.contradicting_chunk in result.chunks
    distinct = "。".join(f"前提の文その{i}です" for i in range(60)) + "。"
    calls: list[int] = []
    predict = checker.nli.predict

    def counting(pairs: list[tuple[str, str]], **kw: object) -> np.ndarray:
        calls.append(len(pairs))
        return predict(pairs, **kw)  # type: ignore[arg-type]

    checker.nli.predict = counting  # type: ignore[method-assign]
    for refine_below, expected in ((1.5, [2 * 1, 2 * 2]), (0.5, [2 * 1, 0])):
        calls.clear()
        bounded = ConsistencyChecker(checker.nli, max_chunks=1, max_pieces=2, refine_below=refine_below)
        (bounded_result,) = bounded.consistency([(distinct, "仮説。二つ目の仮説。")])
        # Each sentence meets 1 chunk; its 2 best pieces only when no chunk supports it well enough
        # (this tiny model entails everything, so only an impossible bar makes it look further).
        assert calls == expected
        assert all(s.support > 0.9 for s in bounded_result.sentences)
    (verdict,) = checker.judge([("東京で会談した。", "東京で会談")])
    assert verdict.verdict in {"consistent", "inconsistent", "uncertain"}
    assert verdict.explanation.startswith(verdict.verdict)


@pytest.mark.parametrize("chunk_tokens", [24, 48])
def test_chunk_tokens_caps_the_premise_units(tiny_nli_dir: Path, chunk_tokens: int) -> None:
    checker = ConsistencyChecker(str(tiny_nli_dir), chunk_tokens=chunk_tokens)
    premise = "。".join(f"前提の文その{i}です" for i in range(60)) + "。"
    (result,) = checker.consistency([(premise, "仮説。")])
    (uncapped,) = ConsistencyChecker(checker.nli, chunk_tokens=None).consistency([(premise, "仮説。")])
    assert max(checker.nli.token_length(c.text) for c in result.chunks) <= chunk_tokens
    assert len(result.chunks) > len(uncapped.chunks), "a smaller cap makes more, shorter units"


def test_checker_reads_the_features_its_calibration_names(tiny_nli_dir: Path) -> None:
    """A calibration.json fitted before a feature was added keeps working: it names its own."""
    older = tuple(f for f in FEATURES if f != "name_contradicted")
    calibration = Calibrator(
        mean=[0.0] * len(older),
        std=[1.0] * len(older),
        weights=[1.0 if f == "support" else 0.0 for f in older],
        bias=0.0,
        consistent_at=0.7,
        inconsistent_at=0.3,
        features=older,
    )
    checker = ConsistencyChecker(str(tiny_nli_dir), calibration=calibration)
    (verdict,) = checker.judge([("東京で会談した。", "東京で会談")])
    assert verdict.score == pytest.approx(1 / (1 + np.exp(-verdict.features["support"])))
    assert "name_contradicted" in verdict.features


@pytest.mark.parametrize(
    ("verdict", "overlap", "says_overlap"),
    [("inconsistent", 0.29, True), ("consistent", 0.29, False), ("inconsistent", 0.8, False)],
)
def test_explain_says_why_an_entailed_claim_is_flagged(verdict: str, overlap: float, says_overlap: bool) -> None:
    chunk = Chunk("停戦交渉の成功は容易ではありません。", 0, 18)
    sentence = SentenceEvidence("停戦交渉は容易ではない。", 0.64, 0.81, 0.17, chunk, chunk, 0.17)
    result = ConsistencyResult(score=0.82, support=0.64, sentences=[sentence], chunks=[chunk])
    text = explain(verdict, 0.53, result, 0.87, [], "body", overlap=overlap)
    assert text.startswith(f"{verdict} (score 0.53).")
    assert "entails" in text
    assert ("29% of the claim's words" in text) is says_overlap


_FIRE = "市内の住宅で火災があり、死者は2人となった。近くの店でも4人が軽いけがをした。"


def test_explain_quotes_the_sentence_that_contradicts_a_figure() -> None:
    chunk = Chunk(_FIRE, 0, len(_FIRE))
    sentence = SentenceEvidence("火災で死者3人", 0.2, 0.3, 0.5, chunk, chunk, 0.5)
    result = ConsistencyResult(score=0.3, support=-0.3, sentences=[sentence], chunks=[chunk])
    conflicts = find_conflicts("火災で死者3人", _FIRE)
    text = explain("inconsistent", 0.1, result, 0.9, conflicts, "bullets", overlap=1.0, evidence=_FIRE)
    assert (
        "The claim says 3人 but the bullets say 2人、4人 (in 「市内の住宅で火災があり、死者は2人となった。」)." in text
    )
    unsourced = explain("inconsistent", 0.1, result, 0.9, conflicts, "bullets", overlap=1.0)
    assert "The claim says 3人 but the bullets say 2人、4人." in unsourced
    body = "JR東日本はE954系の試験電車を公開した。"
    named = explain("inconsistent", 0.1, result, 0.9, find_conflicts("E955系が走行", body), "body", overlap=1.0)
    assert "The claim says E955 but the body says E954." in named


def _record_hypotheses(checker: ConsistencyChecker) -> list[str]:
    """Route the checker's NLI calls through a recorder; the list fills with every hypothesis scored."""
    seen: list[str] = []
    predict = checker.nli.predict

    def recording(pairs: list[tuple[str, str]], **kw: object) -> np.ndarray:
        seen.extend(h for _, h in pairs)
        return predict(pairs, **kw)  # type: ignore[arg-type]

    checker.nli.predict = recording  # type: ignore[method-assign]
    return seen


def test_judge_scores_only_the_claims(tiny_nli_dir: Path) -> None:
    """One model call per claim and premise unit: no rewritten claims (an antonym-swapped version of
    each claim was once scored too; on the calibration cards it did not pay for its pairs)."""
    checker = ConsistencyChecker(str(tiny_nli_dir))
    seen = _record_hypotheses(checker)
    verdicts = checker.judge([("北斗星が最終運行を終えた。", "北斗星運行終了"), ("東京で会談した。", "東京で会談")])
    assert sorted(set(seen)) == sorted(["北斗星運行終了", "東京で会談"])
    assert [v.features["support"] for v in verdicts] == [v.consistency.support for v in verdicts if v.consistency]


def test_judge_checks_a_claims_year_against_the_premises_date(tiny_nli_dir: Path) -> None:
    checker = ConsistencyChecker(str(tiny_nli_dir))
    items = [("大会の組み合わせ抽選の方式を決定した。", "2006夏の甲子園の組み合わせ決定")] * 3
    dated, same_year, undated = checker.judge(items, published=[dt.date(2008, 4, 15), dt.date(2006, 4, 15), None])
    assert dated.features["date_unsupported"] == 1.0
    assert [(c.kind, c.status, c.claim_text) for c in dated.conflicts] == [("date", "unsupported", "2006")]
    assert "2006" in dated.explanation and "2008-04-15" in dated.explanation
    assert same_year.features["date_unsupported"] == undated.features["date_unsupported"] == 0.0
    assert checker.judge(items[:1])[0].features == pytest.approx(undated.features, abs=1e-4), (
        "no dates given: none known"
    )
    with pytest.raises(ValueError, match="one per item"):
        checker.judge(items, published=[None])


def test_judge_reads_a_claim_without_the_year_its_date_bears_out(tiny_nli_dir: Path) -> None:
    """The NLI sees 「夏の甲子園…」 when the 公開日 accounts for 「2008」; the conflicts see the claim."""
    checker = ConsistencyChecker(str(tiny_nli_dir))
    seen = _record_hypotheses(checker)
    premise = "大会の組み合わせ抽選の方式を決定した。"
    items = [(premise, "2008夏の甲子園の組み合わせ決定"), (premise, "2006夏の甲子園の抽選"), (premise, "2008年")]
    cut, other_year, bare = checker.judge(items, published=[dt.date(2008, 4, 15)] * 3)
    assert set(seen) == {"夏の甲子園の組み合わせ決定", "2006夏の甲子園の抽選", "2008年"}
    assert cut.claim == "2008夏の甲子園の組み合わせ決定" and cut.conflicts == []
    assert "without its year 2008, which the 公開日 2008-04-15 bears out" in cut.explanation
    assert "without" not in other_year.explanation
    assert [c.claim_text for c in other_year.conflicts] == ["2006"]
    assert bare.consistency.sentences[0].sentence == "2008年", "nothing left to read: the claim as written"


def test_judge_counts_an_impossible_date_apart_from_a_contradicted_one(tiny_nli_dir: Path) -> None:
    checker = ConsistencyChecker(str(tiny_nli_dir))
    impossible, contradicted = checker.judge(
        [("二人は12月に結婚すると発表した。", "17月に結婚へ"), ("二人は12月に結婚すると発表した。", "11月に結婚へ")]
    )
    assert (impossible.features["date_impossible"], impossible.features["date_contradicted"]) == (1.0, 0.0)
    assert (contradicted.features["date_impossible"], contradicted.features["date_contradicted"]) == (0.0, 1.0)
    assert "The claim's 17月 is not a month of the year." in impossible.explanation


_CARD = "川田さんが車内で見つかった。\n川田さんは一命を取り留めた。\n遺書があった。"
_PIECE = Chunk("川田さんは一命を取り留めた。", 15, 29)


@pytest.mark.parametrize(
    ("claim", "piece_contradiction", "verdict", "expected"),
    [
        # the sentence or clause the model reads as most contradicting: its bullet
        ("川田さん死亡", 0.9, "inconsistent", "川田さんは一命を取り留めた。"),
        ("川田さん死亡", 0.9, "uncertain", "川田さんは一命を取り留めた。"),
        # too weak a contradiction to blame a bullet, or a verdict that blames none
        ("川田さん死亡", 0.3, "inconsistent", None),
        ("川田さん死亡", 0.9, "consistent", None),
    ],
)
def test_explain_quotes_the_bullet_that_carries_the_error(
    claim: str, piece_contradiction: float, verdict: str, expected: str | None
) -> None:
    assert _CARD[_PIECE.start : _PIECE.end] == _PIECE.text
    whole = Chunk(_CARD, 0, len(_CARD))
    sentence = SentenceEvidence(claim, -0.5, 0.1, 0.6, whole, _PIECE, 0.6, _PIECE, piece_contradiction)
    result = ConsistencyResult(score=0.25, support=-0.5, sentences=[sentence], chunks=[whole, _PIECE])
    text = explain(verdict, 0.1, result, 0.9, [], "bullets", overlap=1.0, evidence=_CARD)
    quoted = f"The bullet at odds with the claim: 「{expected}」."
    assert (quoted in text) if expected else ("at odds with the claim" not in text)


def test_culprit_prefers_the_bullet_where_a_contradicted_figure_stands() -> None:
    card = "市内の住宅で火災があった。\n死者は2人となった。"
    conflicts = find_conflicts("火災で死者3人", card)
    assert culprit(card, conflicts, None) == "死者は2人となった。"
    # one line of text: the sentence is the unit
    assert culprit(_FIRE, find_conflicts("火災で死者3人", _FIRE), None) == "市内の住宅で火災があり、死者は2人となった。"
    assert culprit(card, [], None) is None


def _constant(bias: float) -> Calibrator:
    n = len(FEATURES)
    return Calibrator([0.0] * n, [1.0] * n, [0.0] * n, bias, 0.7, 0.3)


def test_text_evidence_is_scored_with_the_body_calibration(tiny_nli_dir: Path, tmp_path: Path) -> None:
    """Given, or read from beside the model: ``judge(evidence="text")`` uses the body calibration,
    cards (the default) the card one, whatever the explanations call the evidence; without a body
    file, text uses the card one."""
    item = [("東京で会談した。", "東京で会談")]
    given = ConsistencyChecker(str(tiny_nli_dir), calibration=_constant(-3.0), body_calibration=_constant(3.0))
    tiny_nli_dir = Path(shutil.copytree(tiny_nli_dir, tmp_path / "model"))
    assert given.judge(item, evidence="text")[0].score == pytest.approx(1 / (1 + np.exp(-3.0)))
    assert given.judge(item, evidence="card")[0].score == pytest.approx(1 / (1 + np.exp(3.0)))
    assert given.judge(item, evidence_name="body")[0].score == pytest.approx(1 / (1 + np.exp(3.0)))
    assert given.judge(item, evidence="text", evidence_name="記事")[0].score == pytest.approx(1 / (1 + np.exp(-3.0)))
    _constant(-2.0).to_json(tiny_nli_dir / "calibration.json")
    card_only = ConsistencyChecker(str(tiny_nli_dir))
    assert card_only.body_calibrator is card_only.calibrator
    _constant(2.0).to_json(tiny_nli_dir / "calibration-body.json")
    both = ConsistencyChecker(str(tiny_nli_dir))
    assert both.judge(item, evidence="text")[0].score == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert both.judge(item)[0].score == pytest.approx(1 / (1 + np.exp(2.0)))


def test_judge_names_the_kinds_of_evidence_it_knows(tiny_nli_dir: Path) -> None:
    with pytest.raises(ValueError, match="'card' or 'text'"):
        ConsistencyChecker(str(tiny_nli_dir)).judge([("東京で会談した。", "東京で会談")], evidence="body")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("premise", "claim", "error"),
    [
        (None, "東京で会談", TypeError),
        (1, 2, TypeError),
        (b"\xe6\x9d\xb1", "東京", TypeError),
        ("", "東京で会談", InputError),
        ("東京で会談した。", "  ", InputError),
    ],
)
def test_check_consistency_says_what_to_pass(premise: object, claim: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=r"str|empty"):
        check_consistency(premise, claim)  # type: ignore[arg-type]


def test_judge_validates_every_item(tiny_nli_dir: Path) -> None:
    checker = ConsistencyChecker(str(tiny_nli_dir))
    with pytest.raises(TypeError, match="pairs"):
        checker.judge("東京")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="item 1"):
        checker.judge([("東京で会談した。", "東京で会談"), ("東京",)])  # type: ignore[list-item]
    with pytest.raises(InputError, match="item 0 has an empty premise"):
        checker.judge([("", "東京で会談")])


# a misspelt family; the antonym contrast the checker no longer computes
@pytest.mark.parametrize("feature", ["polarity", "contrastive_support"])
def test_a_calibration_naming_unknown_features_is_refused(tiny_nli_dir: Path, tmp_path: Path, feature: str) -> None:
    path = tmp_path / "calibration.json"
    Calibrator([0.0], [1.0], [1.0], 0.0, 0.7, 0.3, features=(feature,)).to_json(path)
    with pytest.raises(ModelFormatError, match=rf"{feature}.*digestnlp calibrate"):
        ConsistencyChecker(str(tiny_nli_dir), calibration=path)


@pytest.mark.parametrize("verdict", ["consistent", "uncertain", "inconsistent"])
@pytest.mark.parametrize("entailment", [0.2, 0.9])
def test_explanation_wording_follows_its_verdict(verdict: str, entailment: float) -> None:
    chunk = Chunk("米ロ両国は停戦交渉の開始で合意した。", 0, 18)
    sentence = SentenceEvidence("米ロが停戦交渉", entailment - 0.1, entailment, 0.1, chunk, chunk, 0.1)
    result = ConsistencyResult(score=0.6, support=entailment - 0.1, sentences=[sentence], chunks=[chunk])
    text = explain(verdict, 0.6, result, 0.9, [], "bullets", overlap=0.9)
    if verdict == "consistent":
        assert "No part of the bullets clearly entails" not in text
        assert ("rests on topic" in text) is (entailment < 0.5)
    else:
        assert ("Yet " in text) is (entailment >= 0.5), text


def test_an_entailed_but_flagged_claim_names_what_pulls_it_down() -> None:
    chunk = Chunk("米ロ両国は停戦交渉の開始で合意した。", 0, 18)
    sentence = SentenceEvidence("米ロが交渉へ", 0.8, 0.9, 0.1, chunk, chunk, 0.1)
    result = ConsistencyResult(score=0.9, support=0.8, sentences=[sentence], chunks=[chunk])
    text = explain("inconsistent", 0.2, result, 0.9, [], "body", overlap=0.56, against=("overlap", 0.56))
    assert "Yet the share of the claim's words in the body (56%) weighs against it" in text
    text = explain("inconsistent", 0.2, result, 0.9, [], "body", overlap=0.9, against=("name_unsupported", 0.5))
    assert "Yet the name conflicts below weigh against it" in text


@pytest.mark.parametrize(
    ("chunk", "claim", "quoted"),
    [
        (
            "停戦交渉の成功は容易ではない。トランプ氏とプーチン氏が交渉開始で合意した。",
            "両首脳が交渉開始で合意した。",
            "トランプ氏とプーチン氏が交渉開始で合意した。",
        ),
        (
            "停戦交渉の成功は容易ではない。トランプ氏とプーチン氏が交渉開始で合意した。",
            "停戦交渉は容易ではない。",
            "停戦交渉の成功は容易ではない。",
        ),
        ("一文しかない。", "まったく別の話。", "一文しかない。"),
    ],
)
def test_an_explanation_quotes_the_chunks_sentence_closest_to_the_claim(chunk: str, claim: str, quoted: str) -> None:
    assert closest_sentence(Chunk(chunk, 0, len(chunk)), claim) == quoted
    unit = Chunk(chunk, 0, len(chunk))
    sentence = SentenceEvidence(claim, 0.8, 0.9, 0.1, unit, unit, 0.1)
    result = ConsistencyResult(score=0.9, support=0.8, sentences=[sentence], chunks=[unit])
    assert f"「{quoted}」 in the body entails" in explain("consistent", 0.9, result, 0.9, [], "body", overlap=1.0)
