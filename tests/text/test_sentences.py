import pytest
from hypothesis import given
from hypothesis import strategies as st

from digestnlp.text.sentences import split_sentences

CASES = [
    ("", []),
    ("東京は晴れ。大阪は雨。", ["東京は晴れ。", "大阪は雨。"]),
    ("本当ですか？はい！", ["本当ですか？", "はい！"]),
    ("Really? Yes!", ["Really?", "Yes!"]),
    ("え!?本当に?", ["え!?", "本当に?"]),
    ("えっ！？そうなの", ["えっ！？", "そうなの"]),
    ("彼は「行く。」と言った。次へ。", ["彼は「行く。」と言った。", "次へ。"]),
    ("「こんにちは。」「さようなら。」", ["「こんにちは。」", "「さようなら。」"]),
    ("「はい。」って答えた。", ["「はい。」って答えた。"]),
    ("『本当か？』という声。", ["『本当か？』という声。"]),
    ("（注：詳しくは後述。）本文です。", ["（注：詳しくは後述。）", "本文です。"]),
    ("(例:これは。)続き。", ["(例:これは。)", "続き。"]),
    ("彼は「A。B。C。」と三回言った。", ["彼は「A。B。C。」と三回言った。"]),
    ("マグニチュードは7.4だった。", ["マグニチュードは7.4だった。"]),
    ("成長率は0.5%だ。次は1.25倍。", ["成長率は0.5%だ。", "次は1.25倍。"]),
    ("2025/02/19に発表。", ["2025/02/19に発表。"]),
    ("2025.02.19に公開された。", ["2025.02.19に公開された。"]),
    ("価格は３．５ドル。", ["価格は３．５ドル。"]),
    ("詳細は https://ex.com/a?b=1!c を参照。続き。", ["詳細は https://ex.com/a?b=1!c を参照。", "続き。"]),
    ("出典: https://news.example.jp/x?id=3。", ["出典: https://news.example.jp/x?id=3。"]),
    ("まさか…。そうか。", ["まさか…。", "そうか。"]),
    ("そうか・・・わかった。", ["そうか・・・わかった。"]),
    ("うーん……どうかな。", ["うーん……どうかな。"]),
    ("Wait... what.", ["Wait... what."]),
    ("一行目\n二行目", ["一行目", "二行目"]),
    ("一行目\r\n二行目。", ["一行目", "二行目。"]),
    ("見出し\n\n本文です。", ["見出し", "本文です。"]),
    ("💡 合意した。", ["合意した。"]),
    ("✅ 米ロは合意。ロシアは反発。", ["米ロは合意。", "ロシアは反発。"]),
    ("・箇条書きの項目", ["箇条書きの項目"]),
    ("- ✅ 米ロは合意。", ["米ロは合意。"]),  # a Markdown item carrying the marker
    ("+ 項目", ["項目"]),
    ("+5%の成長", ["+5%の成長"]),  # a sign, not a marker
    ("- 3月に合意。", ["3月に合意。"]),
    ("● 丸印の項目。", ["丸印の項目。"]),
    ("1. 番号付きの項目。", ["番号付きの項目。"]),
    ("①最初の項目", ["最初の項目"]),
    ("Mr. Smith came. He left.", ["Mr. Smith came.", "He left."]),
    ("U.S. forces left.", ["U.S. forces left."]),
    ("　全角スペースで始まる。", ["全角スペースで始まる。"]),
    ("彼は言った。「行こう。」", ["彼は言った。", "「行こう。」"]),
    ("「行こう。」彼は言った。", ["「行こう。」", "彼は言った。"]),
    ("本当？！すごい。", ["本当？！", "すごい。"]),
    ("文末に括弧（笑）。次。", ["文末に括弧（笑）。", "次。"]),
    ("閉じない「括弧のまま。次の文。", ["閉じない「括弧のまま。次の文。"]),
    ("終わり。」余計な閉じ括弧。", ["終わり。」", "余計な閉じ括弧。"]),
    ("句点なしの文", ["句点なしの文"]),
    ("ABC株式会社は5.10%上昇した。", ["ABC株式会社は5.10%上昇した。"]),
    ("結果は3-2だった!次戦へ!", ["結果は3-2だった!", "次戦へ!"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_spans_slice_back(text: str, expected: list[str]) -> None:
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text


def test_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


_PIECES = [*"あい。！？!?「」（）()\n .7…💡✅・", "https://a.b/c?d", "\r\n", "\u3000"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_never_raises_and_spans_hold(text: str) -> None:
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
        assert s.text.strip()


CLAUSES = [
    (
        "米ロ両国は停戦交渉の開始で合意しましたが、成功は容易ではありません。",
        ["米ロ両国は停戦交渉の開始で合意しました", "成功は容易ではありません。"],
    ),
    (
        "ロシア側は有利な状況を維持したいと考えており、第三者による調停は難しい。",
        ["ロシア側は有利な状況を維持したいと考えており", "第三者による調停は難しい。"],
    ),
    ("ロシアはそれを許容せず、占領地の扱いも拒否する。", ["ロシアはそれを許容せず", "占領地の扱いも拒否する。"]),
    ("大雨が一晩中降り続いたものの、試合は予定通り行われた。", ["大雨が一晩中降り続いた", "試合は予定通り行われた。"]),
    ("短いが、文。", ["短いが、文。"]),
    ("区切りのない普通の文です。", ["区切りのない普通の文です。"]),
    ("ませず、の形は対象外ですので注意してください。", ["ませず、の形は対象外ですので注意してください。"]),
]


@pytest.mark.parametrize(("text", "expected"), CLAUSES)
def test_split_clauses(text: str, expected: list[str]) -> None:
    from digestnlp.text.sentences import Sentence, split_clauses

    parts = split_clauses(Sentence(text, 5, 5 + len(text)))
    assert [p.text for p in parts] == expected
    padded = "xxxxx" + text
    assert all(padded[p.start : p.end] == p.text for p in parts)
