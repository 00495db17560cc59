import pytest

from digestnlp.summarize.base import clause_variants, compress, opening_trims, teaches_nothing

# (sentence, teaches nothing): transitions, opinions and citations out; reported content in,
# including a reported wish (the ending belongs to the report, not to the writer).
CASES = [
    ("続いて、東京の状況だ。", True),
    ("次に、市場の反応を見る。", True),
    ("ここからは今後の見通しについてだ。", True),
    ("制度を見直す良い機会だ。", True),
    ("政府はもっと説明するべきだ。", True),
    ("今後の動きに注目したい。", True),
    ("和服店、破産手続きを申し立てる(2006年3月17日付)asahi.com『社長が自殺か』。", True),
    ("読売新聞『首相が辞任へ』。", True),
    ("詳細は https://example.com を参照。", True),
    ("首相は3日、辞任する考えを示した。", False),
    ("政府は増税を検討している。", False),
    ("同社は来年も値上げしたいと述べた。", False),
    ("山田氏は「改革を進めたい」と語った。", False),
    ("次期大統領選は11月に行われる。", False),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_teaches_nothing(sentence: str, expected: bool) -> None:
    assert teaches_nothing(sentence) is expected


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_such_lines_are_never_bullets(sentence: str, expected: bool) -> None:
    assert (compress(sentence, 80) == []) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "3月20日の読売新聞によると、同日未明、京都府舞鶴市のホテルで男性が倒れているのが見つかった",
            [
                "同日未明、京都府舞鶴市のホテルで男性が倒れているのが見つかった",
                "京都府舞鶴市のホテルで男性が倒れているのが見つかった",
            ],
        ),
        ("20日午後、東京都内で大規模な停電が発生した", ["東京都内で大規模な停電が発生した"]),
        ("2006年3月16日、大阪市の和服販売会社が自己破産を申請した", ["大阪市の和服販売会社が自己破産を申請した"]),
        ("首相は3日、辞任を表明した", []),  # the time is not the opening
        ("AP通信によると、米国で地震があった", []),  # what would be left is too short to stand alone
    ],
)
def test_opening_attribution_and_time_can_be_dropped(sentence: str, expected: list[str]) -> None:
    assert opening_trims(sentence) == [sentence, *expected]


@pytest.mark.parametrize(
    ("sentence", "first_link"),
    [
        ("政府は新たな経済対策を閣議決定し、来年度予算に盛り込む方針を示した", "政府は新たな経済対策を閣議決定した"),
        (
            "植田氏は3月18日からこのホテルの8階に1人で泊まっており、非常階段の鍵も開いていた",
            "植田氏は3月18日からこのホテルの8階に1人で泊まっている",
        ),
        (
            "新しい制度は地方自治体の裁量に委ねられており、運用は各地で異なる",
            "新しい制度は地方自治体の裁量に委ねられている",
        ),
        ("彼は少し、考え込んだ様子だった", None),  # 「少し、」 is no verb
    ],
)
def test_a_clause_chain_offers_its_first_link(sentence: str, first_link: str | None) -> None:
    heads = [v for v, is_head in clause_variants(sentence) if is_head]
    assert heads == ([first_link] if first_link else [])
