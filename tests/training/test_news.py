import datetime as dt
import random
from collections.abc import Callable

import pytest

from digestnlp.training.data import LABEL_ID
from digestnlp.training.news import (
    NewsArticle,
    alter_number,
    alter_polarity,
    flip_ending,
    lead_of,
    news_pairs,
    publication_date,
    sentence_pairs,
    split_articles,
    strip_navigation,
)


@pytest.mark.parametrize(
    ("sentence", "flipped"),
    [
        ("政府は法案を提出した。", "政府は法案を提出しなかった。"),
        ("政府は法案を提出しなかった。", "政府は法案を提出した。"),
        ("容疑者は逮捕された。", "容疑者は逮捕されなかった。"),
        ("交渉の成功は容易ではない。", "交渉の成功は容易である。"),
        ("両国は協議を続けている。", "両国は協議を続けていない。"),
        ("会場には多くの人がいる。", "会場には多くの人がいない。"),
        ("選手は代表に選ばれ", None),
        ("台風の被害", None),
    ],
)
def test_flip_ending(sentence: str, flipped: str | None) -> None:
    alt = flip_ending(sentence)
    assert (alt.text if alt else None) == flipped
    if alt is not None:
        assert alt.kind == "negation"


@pytest.mark.parametrize(
    ("text", "original"),
    [
        ("地震で5人が死亡", "5"),
        ("2008年の北京五輪", "2008"),
        ("金利を0.25%引き上げ", "0.25"),
        ("三人が重傷", "三"),
    ],
)
def test_alter_number_changes_the_number_only(text: str, original: str) -> None:
    for seed in range(5):
        alt = alter_number(text, random.Random(seed))
        assert alt is not None and alt.original == original and alt.replacement != original
        assert alt.text == text.replace(original, alt.replacement, 1)


# A hedged figure leaves the range it allows: up past a lower bound, down past an upper bound,
# a quarter or more away from an approximate one.
@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("死者1,000人以上", lambda v: v >= 1500),
        ("死者3,000人超す", lambda v: v >= 4500),
        ("少なくとも90人が死亡", lambda v: v >= 135),
        ("100人未満が参加", lambda v: v <= 67),
        ("約1400人が乗船", lambda v: abs(v - 1400) >= 350),
        ("死者20人近くに", lambda v: abs(v - 20) >= 5),
        ("およそ86億円の報酬", lambda v: abs(v - 86) >= 21.5),
    ],
)
def test_alter_number_moves_a_hedged_figure_out_of_its_range(text: str, allowed: Callable[[int], bool]) -> None:
    for seed in range(20):
        alt = alter_number(text, random.Random(seed))
        assert alt is not None and allowed(int(alt.replacement)), (seed, alt)


@pytest.mark.parametrize("text", ["震度5弱の地震", "震度5の余震"])
def test_alter_number_keeps_an_exact_figure_close(text: str) -> None:
    """震度「5弱」 is a step of a scale and 余震 a word, not hedges: small changes stay possible."""
    alterations = [alter_number(text, random.Random(seed)) for seed in range(30)]
    assert {"6", "7"} & {alt.replacement for alt in alterations if alt is not None}


def test_alter_number_without_numbers() -> None:
    assert alter_number("首相が辞任を表明", random.Random(0)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("売上が増加", "売上が減少"),
        ("法案を否決", "法案を可決"),
        ("法案を提出", "法案を提出せず"),
    ],
)
def test_alter_polarity(text: str, expected: str) -> None:
    alt = alter_polarity(text, random.Random(0))
    assert alt is not None and alt.text == expected


def test_split_is_by_article_and_stable() -> None:
    arts = [NewsArticle(str(i), f"見出し{i}", "本文。") for i in range(400)]
    split = split_articles(arts)
    again = split_articles(list(reversed(arts)))
    ids = [{a.id for a in part} for part in (split.train, split.calibration, split.test)]
    assert ids == [{a.id for a in part} for part in (again.train, again.calibration, again.test)]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    assert sum(map(len, ids)) == 400
    assert 40 < len(ids[2]) < 120 and 15 < len(ids[1]) < 70


ARTICLE = NewsArticle(
    "1",
    "市が新庁舎の建設を開始",
    "市は1日、新庁舎の建設を開始した。総事業費は約120億円で、2026年の完成を予定している。"
    "新庁舎は地上8階建てで、防災センターや市民ホールを備え、災害時には避難所としても使われる。"
    "設計は公募で選ばれた地元の事務所が担当し、工事は市内の建設会社3社の共同企業体が請け負う。"
    "市長は記者会見で「市民の安全が第一だ」と述べ、工期の遵守を求めた。"
    "旧庁舎は耐震基準を満たしておらず、移転は避けられなかった。"
    "ただし、駐車場の拡張は予算の都合で実施しない。",
)


def test_sentence_pairs_labels() -> None:
    pairs = sentence_pairs([ARTICLE] * 30, seed=3)
    kinds = {p.source for p in pairs}
    assert {"news-sentence", "news-entail-negated-aside"} <= kinds
    assert kinds & {"news-sentence-number", "news-sentence-polarity", "news-sentence-negation"}
    for p in pairs:
        if p.source == "news-sentence":
            assert p.label == LABEL_ID["entailment"] and p.hypothesis in p.premise
        elif p.source == "news-entail-negated-aside":
            assert p.label == LABEL_ID["entailment"] and p.hypothesis == ARTICLE.headline
            assert any(neg in p.premise for neg in ("ず", "なかった", "しない"))
        else:
            assert p.label == LABEL_ID["contradiction"] and p.hypothesis not in p.premise


# Other pages of the series the page under test belongs to.
_SERIES = ["JR中央線の敷地で不審火が相次ぐ", "リニアが世界最高速度を更新"]


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        # A series page: the listed headlines, its own among them, are cut; the report stays.
        (
            "鉄道2015年鉄道関連ニュースJR中央線の敷地で不審火が相次ぐ北陸新幹線長野-金沢間が延伸開業"
            "JR東日本は14日、北陸新幹線が開業したと発表した。",
            "鉄道2015年鉄道関連ニュースJR東日本は14日、北陸新幹線が開業したと発表した。",
        ),
        # Only its own headline: nothing is listed, the text is left as it is.
        ("北陸新幹線長野-金沢間が延伸開業JR東日本が発表した。", "北陸新幹線長野-金沢間が延伸開業JR東日本が発表した。"),
        # A headline quoted in the report is reporting, not a list.
        (
            "当初は「JR中央線の敷地で不審火が相次ぐ」で報じたように、原因は不明だった。",
            "当初は「JR中央線の敷地で不審火が相次ぐ」で報じたように、原因は不明だった。",
        ),
    ],
)
def test_strip_navigation(article: str, expected: str) -> None:
    others = [NewsArticle(str(k), h, "本文。") for k, h in enumerate(_SERIES)]
    page = NewsArticle("page", "北陸新幹線長野-金沢間が延伸開業", article)
    cleaned = strip_navigation([page, *others])
    assert cleaned[0].article == expected
    assert cleaned[0].headline == page.headline and cleaned[1:] == others


def test_strip_navigation_only_looks_at_the_opening() -> None:
    late = "本文。" * 300 + "JR中央線の敷地で不審火が相次ぐ"
    arts = [NewsArticle("a", "北陸新幹線長野-金沢間が延伸開業", late), NewsArticle("b", _SERIES[0], "本文。")]
    assert strip_navigation(arts)[0].article == late


def test_news_pairs_label_each_kind_and_record_the_alteration() -> None:
    arts = [
        NewsArticle("1", "東京で地震、5人が負傷", "東京で地震があり、5人が負傷した。気象庁が発表した。"),
        NewsArticle("2", "大阪の人口が増加", "大阪府の人口が増加した。府が発表した。"),
        NewsArticle("3", "札幌で雪まつり開幕", "札幌市で雪まつりが開幕した。"),
    ]
    pairs = news_pairs(arts, seed=1)
    by_headline = {a.headline: a for a in arts}
    for p in pairs:
        if p.source == "news-entail":
            assert p.label == LABEL_ID["entailment"] and p.premise == lead_of(by_headline[p.hypothesis].article)
        elif p.source == "news-random":
            assert p.label == LABEL_ID["neutral"] and p.premise != lead_of(by_headline[p.hypothesis].article)
        else:
            assert p.label == LABEL_ID["contradiction"]
            (art,) = [a for a in arts if lead_of(a.article) == p.premise]
            assert p.altered and p.altered in art.headline and p.hypothesis != art.headline
    kinds = {p.source for p in pairs}
    assert {"news-entail", "news-random", "news-number", "news-polarity"} <= kinds
    assert "news-similar" not in kinds, "no similarity function, no most-similar negative"


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        # the latest of the dated sources it cites, whatever the report's own text dates
        (
            "2007年に始まった。読売新聞、2011年4月8日。気象庁、2011年4月7日23時46分(UTC+9)。",
            dt.date(2011, 4, 8),
        ),
        ("朝日新聞、2006年12月1日。毎日新聞、2007年1月5日。", dt.date(2007, 1, 5)),
        ("読売新聞、2011年13月8日。朝日新聞、2010年2月1日。", dt.date(2010, 2, 1)),  # no 13th month
        ("2008年8月2日、大会が開幕した。", None),  # a date in the report is no source's
        ("出典のない記事。", None),
    ],
)
def test_publication_date(article: str, expected: dt.date | None) -> None:
    assert publication_date(article) == expected


def test_news_pairs_carry_the_headline_articles_date() -> None:
    arts = [
        NewsArticle("1", "2008夏の甲子園が開幕", "全国高校野球選手権大会が開幕した。朝日新聞、2008年8月2日。"),
        NewsArticle("2", "大阪の人口が増加", "大阪府の人口が増加した。府が発表した。"),
    ]
    pairs = news_pairs(arts, seed=1)
    own = {a.headline: publication_date(a.article) for a in arts}
    assert {p.published for p in pairs} == {dt.date(2008, 8, 2), None}
    for p in pairs:
        original = p.hypothesis if p.source in ("news-entail", "news-random") else None
        if original is not None:
            assert p.published == own[original]
    # an altered headline keeps its article's date: the date is the card's, not the claim's
    altered = [p for p in pairs if p.altered and "甲子園" in p.hypothesis]
    assert altered and all(p.published == dt.date(2008, 8, 2) for p in altered)
