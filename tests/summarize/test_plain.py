import pytest

from digestnlp.summarize.plain import is_plain, reads_as_sentence, strip_fillers, strip_quotes, to_plain

CASES = [
    ("合意しました。", "合意した。"),
    ("行きました。", "行った。"),
    ("読みました。", "読んだ。"),
    ("話しました。", "話した。"),
    ("泳ぎました。", "泳いだ。"),
    ("待ちました。", "待った。"),
    ("死にました。", "死んだ。"),
    ("遊びました。", "遊んだ。"),
    ("買いました。", "買った。"),
    ("食べました。", "食べた。"),
    ("来ました。", "来た。"),
    ("発表されました。", "発表された。"),
    ("合意します。", "合意する。"),
    ("話していません。", "話していない。"),
    ("ありませんでした。", "なかった。"),
    ("なりません。", "ならない。"),
    ("行われています。", "行われている。"),
    ("考えております。", "考えている。"),
    ("求められています。", "求められている。"),
    ("難しいでしょう。", "難しいだろう。"),
    ("状況ですね。", "状況だ。"),
    ("学生でした。", "学生だった。"),
    ("高いです。", "高い。"),
    ("高かったです。", "高かった。"),
    ("減少したのです。", "減少したのだ。"),
    ("合意しましたが、課題があります。", "合意したが、課題がある。"),
    ("すでに合意した。", "すでに合意した。"),
]


@pytest.mark.parametrize(("polite", "plain"), CASES)
def test_to_plain(polite: str, plain: str) -> None:
    result = to_plain(polite)
    assert result.text == plain
    assert result.plain and is_plain(result.text)


def test_is_plain() -> None:
    assert not is_plain("合意しました。")
    assert is_plain("合意した。")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("それでは、本題に入る。", "本題に入る。"), ("さて、次の話。", "次の話。"), ("本題だ。", "本題だ。")],
)
def test_strip_fillers(text: str, expected: str) -> None:
    assert strip_fillers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("「全体が引用だ。」", "全体が引用だ。"),
        ("「直ちに始める」ことで合意した。", "「直ちに始める」ことで合意した。"),
        ("片方だけ」残った。", "片方だけ残った。"),
    ],
)
def test_strip_quotes(text: str, expected: str) -> None:
    assert strip_quotes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("東京都は新しい条例を制定した。", True),
        ("寒い。", True),
        ("静かだ。", True),
        ("東京都、新条例を制定。", True),  # a closing verbal noun
        ("ヴィッセルは現在最下位の勝ち点21。", True),  # a topic, the copula left out
        ("IDGジャパン、2007年12月14日。", False),  # a citation
        ("競走成績-第39回東京2歳優駿牝馬選定馬重賞。", False),  # a navigation line
        ("産地偽装:マルハ子会社、中国産ウナギを架空会社で「一色産」ラベル-毎日jp。", False),  # a link's text
        ("首相、辞任へ。", False),  # a headline
        ("", False),
    ],
)
def test_reads_as_sentence(text: str, expected: bool) -> None:
    assert reads_as_sentence(text) is expected
