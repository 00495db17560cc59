import pytest

from digestnlp.text.quantities import Quantity, extract_quantities, parse_number, rounding_place

# (text, [(matched text, value, high, unit, kind)]) — dates use value 0 and carry iso instead.
CASES: list[tuple[str, list[tuple[str, float, float | None, str, str]]]] = [
    ("利回りは5.10%に上昇", [("5.10%", 5.10, None, "%", "number")]),
    ("利回りは５．１０％に上昇", [("５．１０％", 5.10, None, "%", "number")]),
    ("3.58パーセント", [("3.58パーセント", 3.58, None, "%", "number")]),
    # 割 counts tenths: 「4割」 is 40%, 「6割強」 a little over 60%
    ("全体の4割を購入", [("4割", 40, None, "%", "number")]),
    ("6割強の得票", [("6割強", 60, None, "%", "number")]),
    ("打率3割5分", [("3割5分", 35, None, "%", "number")]),
    ("打率3割2分5厘", [("3割2分5厘", 32.5, None, "%", "number")]),
    # a race time
    ("100mを9秒74で走った", [("100m", 100, None, "m", "number"), ("9秒74", 9.74, None, "秒", "number")]),
    ("30秒10回の運動", [("30秒", 30, None, "秒", "number"), ("10回", 10, None, "回", "number")]),
    ("9万7千人が参加", [("9万7千人", 97000, None, "人", "number")]),
    ("97,000人が参加", [("97,000人", 97000, None, "人", "number")]),
    ("21万トンを輸入", [("21万トン", 210000, None, "トン", "number")]),
    ("0～0.1%の範囲", [("0～0.1%", 0, 0.1, "%", "range")]),
    ("5〜10人", [("5〜10人", 5, 10, "人", "range")]),
    ("3から5件", [("3から5件", 3, 5, "件", "range")]),
    ("17年ぶりの優勝", [("17年ぶり", 17, None, "年", "since")]),
    ("十七年ぶり", [("十七年ぶり", 17, None, "年", "since")]),
    ("80余人が負傷", [("80余人", 80, None, "人", "number")]),
    ("余震が3回", [("3回", 3, None, "回", "number")]),
    ("史上2番目の高値", [("2番目", 2, None, "位", "ordinal")]),
    ("71回目の大会", [("71回目", 71, None, "回", "ordinal")]),
    ("五輪15日目", [("15日目", 15, None, "日", "ordinal")]),
    # A seismic intensity is a step of its scale: 5強 is above 5弱, not an approximate 5.
    ("震度5強を観測", [("5強", 5.5, None, "震度", "number")]),
    ("三菱UFJ銀行", []),
    ("一方で", []),
    ("千葉県の一部", []),
    ("G7サミット", []),
    ("COVID-19の流行", []),
    ("iPhone15を発売", []),
    ("三人が死亡", [("三人", 3, None, "人", "number")]),
    ("2006年日米親善試合", [("2006年", 0, None, "date", "date")]),
    ("金塊2億円分を奪う", [("2億円", 200_000_000, None, "円", "number")]),
    ("3円~5円", [("3円~5円", 3, 5, "円", "range")]),
    ("二十五歳の男性", [("二十五歳", 25, None, "歳", "number")]),
    ("百二十三", [("百二十三", 123, None, "", "number")]),
    ("一千万円", [("一千万円", 10_000_000, None, "円", "number")]),
    ("二〇二五年", [("二〇二五年", 0, None, "date", "date")]),
    ("創業50年", [("50年", 50, None, "年", "number")]),
    ("3か月ぶり", [("3か月ぶり", 3, None, "か月", "since")]),
    # A fraction is one figure, not minutes and a bare number; a time's minutes stay minutes.
    ("議会の3分の2議席を占める", [("3分の2", 2 / 3, None, "分の", "number")]),
    ("三分の一以上の賛成", [("三分の一以上", 1 / 3, None, "分の", "number")]),
    ("6時35分の列車", [("6時", 6, None, "時", "number"), ("35分", 35, None, "分", "number")]),
    ("47才の男", [("47才", 47, None, "歳", "number")]),
    ("13月", [("13月", 13, None, "月", "number")]),
    ("1億2000万円", [("1億2000万円", 120_000_000, None, "円", "number")]),
    ("3.5兆円", [("3.5兆円", 3.5e12, None, "円", "number")]),
    ("約3,000円", [("約3,000円", 3000, None, "円", "number")]),
    ("10万人以上", [("10万人以上", 100_000, None, "人", "number")]),
    ("$100の寄付", [("$100", 100, None, "ドル", "number")]),
    ("100ドル", [("100ドル", 100, None, "ドル", "number")]),
    ("マグニチュード7.4の地震", [("マグニチュード7.4", 7.4, None, "M", "number")]),
    ("M7.1の地震", [("M7.1", 7.1, None, "M", "number")]),
    ("前年比1.5倍", [("前年比1.5倍", 1.5, None, "倍", "number")]),
    ("3畳のワンルーム", [("3畳", 3, None, "畳", "number")]),
    ("入居率99.9%", [("99.9%", 99.9, None, "%", "number")]),
    ("3-2で勝利", []),
    ("気温は35℃", [("35℃", 35, None, "度", "number")]),
    ("12カ国が参加", [("12カ国", 12, None, "か国", "number")]),
    ("12か国が参加", [("12か国", 12, None, "か国", "number")]),
    ("第3四半期", [("第3", 3, None, "", "ordinal")]),
    ("5人と3件", [("5人", 5, None, "人", "number"), ("3件", 3, None, "件", "number")]),
    ("午後11時32分", [("11時", 11, None, "時", "number"), ("32分", 32, None, "分", "number")]),
    ("42.195km", [("42.195km", 42.195, None, "km", "number")]),
    # A range whose low end is a date keeps its high end.
    ("5月26日から1年間の出場停止", [("5月26日", 0, None, "date", "date"), ("1年間", 1, None, "年", "number")]),
    # A count of days after a date is no second date of its month.
    ("4月26日、3日後に再開", [("4月26日", 0, None, "date", "date"), ("3日", 3, None, "日", "number")]),
    ("8月12日から13日連続で", [("8月12日", 0, None, "date", "date"), ("13日", 13, None, "日", "number")]),
    # A speed in キロ is in kilometres; a bare キロ stays unread (kilograms or kilometres).
    ("時速約100キロで走行", [("約100キロ", 100, None, "km", "number")]),
    ("重さ5キロ", [("5キロ", 5, None, "キロ", "number")]),
    ("２０人", [("２０人", 20, None, "人", "number")]),
    # A duration in two units is one figure in the larger.
    ("約2年8ヵ月間", [("約2年8ヵ月", 2 + 8 / 12, None, "年", "number")]),
    ("1年6か月ぶり", [("1年6か月ぶり", 1.5, None, "年", "since")]),
    ("5時間30分", [("5時間30分", 5.5, None, "時間", "number")]),
    ("2年以上8か月", [("2年以上", 2, None, "年", "number"), ("8か月", 8, None, "か月", "number")]),
    # A bracketed age after a name or title; a list marker after punctuation is none.
    ("市川大輔さん(16)が", [("16", 16, None, "歳", "number")]),
    ("金川容疑者(24)を逮捕", [("24", 24, None, "歳", "number")]),
    ("弘輝君(6つ)が", [("6つ", 6, None, "歳", "number")]),
    ("女性(65歳)", [("65歳", 65, None, "歳", "number")]),
    ("次の通り。(1)開会", [("1", 1, None, "", "number")]),
    # School years are positions: 「高1」 is 「高校1年」, and 「高校2年生」 is not a duration.
    ("高校2年生の男子", [("高校2年生", 2, None, "高校年", "ordinal")]),
    ("高1男子", [("高1", 1, None, "高校年", "ordinal")]),
    ("小学校3年の児童", [("小学校3年", 3, None, "小学年", "ordinal")]),
    ("中学1年生", [("中学1年生", 1, None, "中学年", "ordinal")]),
    ("中4日で先発", [("4日", 4, None, "日", "number")]),
    # 「を超え」 and 「突破」 bound a figure; 「2025~30年」 abbreviates 2030.
    ("305万人を超える", [("305万人を超え", 3_050_000, None, "人", "number")]),
    ("100万台突破", [("100万台突破", 1_000_000, None, "台", "number")]),
    ("2025~30年に", [("2025~30年", 2025, 2030, "年", "range")]),
]

DATES = [
    ("2025/02/19", "2025-02-19"),
    ("公開日:2025/02/19", "2025-02-19"),
    ("2025-2-9に", "2025-02-09"),
    ("2025.02.19", "2025-02-19"),
    ("2025年2月19日", "2025-02-19"),
    ("２０２５年２月１９日", "2025-02-19"),
    # Era years are calendar years, not durations of 26 years.
    ("平成26年4月の補選", "2014-04-"),
    ("令和元年5月1日に改元", "2019-05-01"),
    ("昭和64年", "1989--"),
    ("2月19日に", "-02-19"),
    ("2011年4月", "2011-04-"),
    ("2007年に", "2007--"),
    ("2013衆院選", "2013--"),
    ("10月に創刊", "-10-"),
    ("3月末から", "-03-"),
    ("今年7月5日より", "-07-05"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_quantities(text: str, expected: list[tuple[str, float, float | None, str, str]]) -> None:
    got = [(q.text, q.value, q.high, q.unit, q.kind) for q in extract_quantities(text)]
    assert len(got) == len(expected), got
    for (g_text, g_val, g_high, g_unit, g_kind), (e_text, e_val, e_high, e_unit, e_kind) in zip(
        got, expected, strict=True
    ):
        assert (g_text, g_unit, g_kind) == (e_text, e_unit, e_kind)
        assert g_val == pytest.approx(e_val)
        assert (g_high is None) == (e_high is None)
        if e_high is not None:
            assert g_high == pytest.approx(e_high)


@pytest.mark.parametrize(("text", "iso"), DATES)
def test_dates(text: str, iso: str) -> None:
    qs = [q for q in extract_quantities(text) if q.kind == "date"]
    assert [q.iso for q in qs] == [iso]


@pytest.mark.parametrize(("text", "_"), CASES)
def test_spans_index_original(text: str, _: object) -> None:
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.text


def test_at_least_forty_cases() -> None:
    assert len(CASES) + len(DATES) >= 40


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("9万7千", 97000),
        ("二〇二五", 2025),
        ("十", 10),
        ("三十", 30),
        ("百", 100),
        ("1,234", 1234),
        ("2.5万", 25000),
        ("一億", 1e8),
    ],
)
def test_parse_number(numeral: str, value: float) -> None:
    assert parse_number(numeral) == pytest.approx(value)


def test_parse_number_rejects_text() -> None:
    with pytest.raises(ValueError, match="not a numeral"):
        parse_number("三菱")


def _q(text: str) -> Quantity:
    return extract_quantities(text)[0]


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("5.10%", "5.1%", True),
        ("5.10%", "3.58%", False),
        ("9万7千人", "97,000人", True),
        ("0～0.1%", "0.05%", True),
        ("0～0.1%", "0.5%", False),
        ("約3,000円", "2,900円", True),
        ("2025/02/19", "2025年2月19日", True),
        ("2025/02/19", "2月20日", False),
        ("2月19日", "2025/02/19", True),
        # (claim, evidence): approximations within half the coarser rounding, bounds within 10%
        ("5万2500人", "約5万5,000人", False),
        ("約5万人", "5万2千人", True),
        ("1万人超", "約1万1,000人", True),
        ("3万人超", "約1万1,000人", False),
        ("1,000人以上", "1,050人", True),
        # A claim's bound points one way and reaches to its figure's next step.
        ("210人を突破", "200人", False),
        ("3,000人超", "3,700人", True),
        ("3,000人超", "4,500人", False),
        ("300人近く", "269人", True),
        ("300人近く", "310人", False),
        ("10000点近く", "5,000点", False),
        # A one-digit approximation is within a fifth of itself, not half its place.
        ("約500枚", "約1,000枚", False),
        ("約1,000枚", "約900枚", True),
        ("高1", "高校1年生", True),
        ("高1", "高校2年生", False),
        # 「度目」 counts occurrences like 「回目」
        ("6度目", "6回目", True),
        ("9度目", "6回目", False),
        # 「N回目」 is 「第N回」
        ("第66回", "66回目", True),
        ("第71回", "66回目", False),
        # 「4割」 rounds to tenths: 38% bears it out, 89% does not; 「6割強」 points up
        ("4割", "38%", True),
        ("4割", "44.6%", True),
        ("9割", "38%", False),
        ("6割強", "61.5%", True),
        ("6割強", "58%", False),
        ("3割5分", "35.2%", True),
        ("3割5分", "38%", False),
    ],
)
def test_agreement(a: str, b: str, agree: bool) -> None:
    qa, qb = _q(a), _q(b)
    assert qa.same_measure(qb)
    assert qa.agrees_with(qb) is agree


@pytest.mark.parametrize(
    ("value", "place"),
    [(560_000_000, 10_000_000), (2900, 100), (1523, 1), (5.1, 0.1), (0.25, 0.01), (0, 1)],
)
def test_rounding_place(value: float, place: float) -> None:
    assert rounding_place(value) == pytest.approx(place)


def test_day_range_keeps_the_month() -> None:
    """「8月12日から13日」: the second day is a date of the same month, not a lone number."""
    qs = extract_quantities("完了が当初の8月12日から13日の昼頃にずれる。")
    assert [(q.text, q.iso) for q in qs] == [("8月12日", "-08-12"), ("13日", "-08-13")]
