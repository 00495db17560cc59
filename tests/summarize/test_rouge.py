import pytest

from digestnlp.summarize.rouge import lcs_length, rouge, units


def test_identical_is_one() -> None:
    for unit in ("morpheme", "char"):
        scores = rouge("米ロが停戦交渉で合意した。", "米ロが停戦交渉で合意した。", unit)  # type: ignore[arg-type]
        assert all(s.f1 == pytest.approx(1.0) for s in scores.values())


def test_disjoint_is_zero() -> None:
    assert rouge("猫が寝る", "株価が急落", "char")["rouge2"].f1 == 0.0


def test_japanese_is_not_dropped() -> None:
    assert units("東京は晴れ。", "morpheme") == ["東京", "は", "晴れ"]
    assert units("東京は晴れ。", "char") == ["東", "京", "は", "晴", "れ"]


def test_known_values() -> None:
    s = rouge("東京は晴れ", "東京は雨", "morpheme")
    assert s["rouge1"].precision == pytest.approx(2 / 3) and s["rouge1"].recall == pytest.approx(2 / 3)
    assert s["rouge2"].f1 == pytest.approx(0.5)
    assert lcs_length(list("ABCBDAB"), list("BDCABA")) == 4
