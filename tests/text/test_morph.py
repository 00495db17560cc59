import threading

import pytest

from digestnlp.text.morph import content_words, proper_nouns, tokenize

CASES = [
    (
        "東京は日本の首都です。",
        [
            ("東京", "東京", "名詞"),
            ("は", "は", "助詞"),
            ("日本", "日本", "名詞"),
            ("の", "の", "助詞"),
            ("首都", "首都", "名詞"),
            ("です", "です", "助動詞"),
            ("。", "。", "補助記号"),
        ],
    ),
    ("集まらなかった", [("集まら", "集まる", "動詞"), ("なかっ", "ない", "助動詞"), ("た", "た", "助動詞")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_tokens(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(t.surface, t.lemma, t.pos) for t in tokenize(text)] == expected


def test_spans_and_offset() -> None:
    text = "  トランプ氏は\n合意した。"
    for t in tokenize(text, offset=10):
        assert text[t.start - 10 : t.end - 10] == t.surface


def test_reading_and_detail() -> None:
    tok = tokenize("銀行")[0]
    assert tok.reading == "ギンコウ"
    assert tok.pos_detail[0] == "普通名詞"


def test_content_words_skip_particles() -> None:
    assert [t.surface for t in content_words(tokenize("米ロが停戦交渉で合意した"))] == ["米ロ", "停戦", "交渉", "合意"]


def test_proper_nouns() -> None:
    names = [n[0] for n in proper_nouns(tokenize("プーチン大統領とゼレンスキー大統領が東京で会った"))]
    assert "東京" in names
    assert any("ゼレンスキー" in n for n in names)


def test_one_tagger_per_thread() -> None:
    results: list[int] = []

    def work() -> None:
        results.append(len(tokenize("東京は日本の首都です。")))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == [7, 7, 7, 7]
