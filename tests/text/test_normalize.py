import pytest
from hypothesis import given
from hypothesis import strategies as st

from digestnlp.text.normalize import normalize

CASES = [
    ("ＡＢＣ１２３", "ABC123"),
    ("ｶﾞｷﾞ", "ガギ"),
    ("a\u3000\u3000b  c", "a b c"),
    ("💡 合意した。", "合意した。"),
    ("✅停戦", "停戦"),
    ("  前後の空白  ", "前後の空白"),
    ("㍻", "平成"),
    ("ゼロ\u200b幅", "ゼロ幅"),
    ("１２．５％", "12.5%"),
    ("👍🏽いいね", "いいね"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_span_maps_back_through_width_and_emoji() -> None:
    text = "💡 利回りは５．１０％に上昇"
    n = normalize(text)
    start = n.text.index("5.10%")
    o_start, o_end = n.span_to_original(start, start + len("5.10%"))
    assert text[o_start:o_end] == "５．１０％"


def test_span_maps_back_through_composition() -> None:
    text = "ｶﾞｽ代"
    n = normalize(text)
    assert n.text == "ガス代"
    assert n.span_to_original(0, 1) == (0, 2)


def test_decorations_can_be_kept() -> None:
    assert normalize("💡 a", strip_decorations=False).text == "💡 a"


@given(st.text(max_size=60))
def test_offsets_are_monotonic_and_in_range(text: str) -> None:
    n = normalize(text)
    assert len(n.starts) == len(n.text) == len(n.ends)
    assert list(n.starts) == sorted(n.starts)
    assert all(0 <= s < e <= len(text) for s, e in zip(n.starts, n.ends, strict=True))
