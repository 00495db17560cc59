import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digestnlp.article import Article, parse_article, parse_page
from digestnlp.article.model import TextSpan
from digestnlp.errors import InputError
from tests.article import pages


def all_spans(article: Article) -> list[TextSpan]:
    spans: list[TextSpan] = list(article.learn_bullets) + article.body + article.commentary
    spans += [s for s in (article.title_span, article.subtitle, article.next_page) if s is not None]
    for ch in article.chapters:
        spans += [s for s in (ch.heading, ch.question, ch.answer) if s is not None]
        spans += ch.paragraphs
    for card in article.cards:
        spans += [card.headline_span, *card.bullets]
    return spans


def assert_spans(article: Article) -> None:
    for span in all_spans(article):
        assert article.source[span.start : span.end] == span.text
    for card in article.cards:
        assert card.start <= card.headline_span.start or not card.headline
        assert card.headline in article.source[card.start : card.end] or not card.headline


def test_seed_exactly(seed_text: str) -> None:
    a = parse_article(seed_text)
    assert a.title.startswith("トランプとプーチンによる和平交渉")
    assert a.subtitle is not None and a.subtitle.text.startswith("トランプ前大統領、プーチン大統領と電話会談")
    assert len(a.learn_bullets) == 3
    assert (
        a.learn_bullets[0].text
        == "トランプ前大統領とプーチン大統領がウクライナ戦争の停戦交渉を開始することで合意した。"
    )
    assert len(a.chapters) == 2
    assert [c.answer.text if c.answer else None for c in a.chapters] == ["交渉開始で合意", "クルスク撤退と軍事監視"]
    assert len(a.cards) == 2
    assert [len(c.bullets) for c in a.cards] == [3, 3]
    assert [c.source_url for c in a.cards] == [
        "https://globe.asahi.com/article/15630313",
        "https://newsdig.tbs.co.jp/articles/-/1788901",
    ]
    assert a.cards[0].published == dt.date(2025, 2, 19)
    assert a.cards[1].published is None
    assert a.cards[0].publisher == "朝日新聞+"
    assert a.cards[0].headline == "ウクライナめぐり米ロが停戦交渉へ和平の功績急ぐトランプ氏、プーチン氏の思惑は"
    assert a.cards[1].headline.startswith("プーチン大統領、ロシアとウクライナの一時停戦案に")
    assert [len(c.cards) for c in a.chapters] == [1, 1]
    assert a.next_page is not None and a.next_page.text.startswith("ウクライナ戦争終結へ")
    assert not any("Logo" in p.text for p in a.body + a.commentary)
    assert any(p.text.endswith("やなぁ。") for p in a.commentary)
    assert len(a.body) == 12
    assert_spans(a)


def test_seed_with_crlf_and_noise(seed_text: str) -> None:
    noisy = seed_text.replace("\n", "\r\n").replace("✅ ", "\u3000✅ ").replace("\r\n\r\n", "\r\n\u3000\r\n \r\n")
    a = parse_article(noisy)
    assert len(a.learn_bullets) == 3 and len(a.cards) == 2 and len(a.chapters) == 2
    assert [len(c.bullets) for c in a.cards] == [3, 3]
    assert a.cards[0].published == dt.date(2025, 2, 19)
    assert_spans(a)


def test_seed_without_blank_lines(seed_text: str) -> None:
    a = parse_article("\n".join(ln for ln in seed_text.splitlines() if ln.strip()))
    assert (len(a.learn_bullets), len(a.chapters), len(a.cards)) == (3, 2, 2)


def test_card_without_date_and_two_bullets() -> None:
    a = parse_article(pages.CARD_NO_DATE)
    assert len(a.cards) == 1
    card = a.cards[0]
    assert card.published is None
    assert card.headline == "A社、新型スマホを発表 価格は5万円から"
    assert len(card.bullets) == 2
    assert card.source_url == "https://example.jp/news/1"
    assert a.chapters[0].question is not None
    assert_spans(a)


def test_six_bullets_no_url_publisher_suffix() -> None:
    a = parse_article(pages.SIX_BULLETS_NO_URL)
    card = a.cards[0]
    assert len(card.bullets) == 6
    assert card.source_url is None
    assert card.publisher == "日経新聞"
    assert card.headline == "市場の動き"
    assert card.published == dt.date(2024, 3, 1)
    assert_spans(a)


def test_page_without_learn_section() -> None:
    a = parse_article(pages.NO_LEARN)
    assert a.learn_bullets == []
    assert a.title == "学習セクションのないページ"
    assert len(a.cards) == 1 and a.cards[0].headline == "政府、予算を増額"
    assert a.cards[0].publisher == "読売新聞オンライン"
    assert a.cards[0].published == dt.date(2024, 5, 1)
    assert len(a.chapters) == 1
    assert_spans(a)


def test_plain_text_becomes_body() -> None:
    a = parse_article(pages.PLAIN)
    assert not a.is_digest
    assert a.cards == [] and a.chapters == [] and a.learn_bullets == []
    assert "\n".join(p.text for p in a.body) == pages.PLAIN
    assert_spans(a)


def test_html_page() -> None:
    a = parse_page(pages.HTML)
    assert a.title == "HTMLのダイジェスト"
    assert [b.text for b in a.learn_bullets] == ["HTMLでも読める。", "カードも読める。"]
    assert len(a.cards) == 1
    assert a.cards[0].source_url == "https://example.jp/html/3"
    assert a.cards[0].publisher == "テスト新聞"
    assert a.chapters[0].heading.text == "最初の章"
    assert "var x" not in a.source and "©" not in a.source
    assert_spans(a)


def test_html_lists_without_markers() -> None:
    """<li> items are bullets by their tag: learn bullets after the learn header, a card's bullets
    with a 出典 line after them, the article's own list otherwise."""
    html = (
        pages.HTML.replace("💡 ", "")
        .replace(
            "<p>✅ 一つ目の要点。</p><p>✅ 二つ目の要点。</p>",
            "<ul><li>一つ目の要点。</li><li>二つ目の要点。</li></ul>",
        )
        .replace(
            "<p>本文の段落です。</p>", "<p>本文の段落です。</p><ol><li>手順その一。</li><li>手順その二。</li></ol>"
        )
    )
    a = parse_page(html)
    assert [b.text for b in a.learn_bullets] == ["HTMLでも読める。", "カードも読める。"]
    (card,) = a.cards
    assert (card.headline, [b.text for b in card.bullets]) == ("HTML版の見出し", ["一つ目の要点。", "二つ目の要点。"])
    assert "手順その二。" in a.body_text
    assert_spans(a)


@pytest.mark.parametrize("bad", [b"bytes", 3, None, ["a"]])
def test_non_text_raises_type_error(bad: object) -> None:
    with pytest.raises(TypeError):
        parse_article(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["", " ", "\n\n", "\x00\x01", "✅", "💡", "公開日:", "📘 この記事で分かる事!", "?\n?\n?", "さらに読む ⇒"]
)
def test_degenerate_inputs(text: str) -> None:
    assert_spans(parse_article(text))


_LINES = st.sampled_from(
    [
        "📘 この記事で分かる事!",
        "💡 要点です。",
        "✅ 要約の文。",
        "公開日:2025/02/19",
        "公開日:不明",
        "見出し:新聞社",
        "何が起きた?",
        "短い答え",
        "本文の文です。",
        "いいですね。",
        "さらに読む ⇒出典/画像元: https://x.jp/1",
        "次のページを読む ⇒",
        "",
        "\u3000",
        "Logo Menu",
        "<p>",
        "http://",
        "✅",
        "💡",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_LINES, st.text(max_size=30)), max_size=30), st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_never_raises_and_spans_hold(lines: list[str], sep: str) -> None:
    assert_spans(parse_article(sep.join(lines)))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    assert_spans(parse_page(text))


_QUESTION_CARD = "元アナウンサー死亡、自殺か?"


@pytest.mark.parametrize(
    ("head", "headline"),
    [
        # the card's frame vouches for a question as its headline: repeated around the 公開日 ...
        ([_QUESTION_CARD, "公開日:2008/05/26", _QUESTION_CARD], _QUESTION_CARD),
        ([_QUESTION_CARD, _QUESTION_CARD], _QUESTION_CARD),
        # ... or a 公開日 between it and the bullets
        ([_QUESTION_CARD, "公開日:2008/05/26"], _QUESTION_CARD),
        ([_QUESTION_CARD.replace("?", "？"), "公開日:2008/05/26"], _QUESTION_CARD.replace("?", "？")),
        # a lone short question right above the bullets is the chapter's, not a headline
        (["何が起きたのですか?"], ""),
        # a headline without a question mark needs no frame
        (["元アナウンサーが死亡"], "元アナウンサーが死亡"),
    ],
)
def test_card_headline_ending_in_a_question_mark(head: list[str], headline: str) -> None:
    text = "\n\n".join(["まとめ", *head, "✅ 車内で見つかった。", "✅ 遺書があった。", "出典/画像元: https://x.jp/1"])
    (card,) = parse_article(text).cards
    assert card.headline == headline
    assert len(card.bullets) == 2


@pytest.mark.parametrize(
    ("source", "url", "publisher"),
    [
        (
            "さらに読む ⇒朝日新聞+:世界のいまを伝えるウェブメディア出典/画像元: https://a.jp/1",
            "https://a.jp/1",
            "朝日新聞+",
        ),
        ("出典/画像元: https://a.jp/1", "https://a.jp/1", None),
        ("引用：https://a.jp/1", "https://a.jp/1", None),
        ("ソース: https://a.jp/1", "https://a.jp/1", None),
        ("Source: https://a.jp/1", "https://a.jp/1", None),
        ("元記事を読む https://a.jp/1", "https://a.jp/1", None),
        ("(出典: https://a.jp/1)", "https://a.jp/1", None),
        ("朝日新聞デジタル https://a.jp/1", "https://a.jp/1", None),  # a URL with a short label
        ("出典：朝日新聞", None, "朝日新聞"),
    ],
)
def test_card_source_lines(source: str, url: str | None, publisher: str | None) -> None:
    text = f"ページの題\n\n見出しの記事\n\n公開日:2025/02/19\n\n✅ 一つ目。\n\n✅ 二つ目。\n\n{source}\n\n本文です。"
    article = parse_article(text)
    (card,) = article.cards
    assert (card.source_url, card.publisher) == (url, publisher)
    assert article.body_text == "本文です。", "the source line is the card's, not body text"


@pytest.mark.parametrize(
    ("card", "headline", "published", "bullets"),
    [
        (["見出しの記事", "公開日:2025/02/19", "✅ 一つ目。", "✅ 二つ目。"], "見出しの記事", "2025-02-19", 2),
        # a 公開日 under the bullets, above the source line
        (["見出しの記事", "✅ 一つ目。", "✅ 二つ目。", "公開日:2025/02/19"], "見出しの記事", "2025-02-19", 2),
        # a date printed after the headline
        (["見出しの記事（2025年2月19日）", "✅ 一つ目。", "✅ 二つ目。"], "見出しの記事", "2025-02-19", 2),
        (["見出しの記事 (2025/2/19)", "✅ 一つ目。", "✅ 二つ目。"], "見出しの記事", "2025-02-19", 2),
        # bullets on one line, the line breaks lost in scraping
        (["見出しの記事", "✅ 一つ目。✅ 二つ目。"], "見出しの記事", None, 2),
        (["見出しの記事", "✅ 一つ目。 ✅ 二つ目。"], "見出しの記事", None, 2),
        (["見出しの記事", "✅ 条件✔を満たした。"], "見出しの記事", None, 1),  # a mark inside a sentence stays
        # a tag in front of the headline is not what the card claims
        (["【速報】見出しの記事", "✅ 一つ目。"], "見出しの記事", None, 1),
        (["[独自] 見出しの記事", "✅ 一つ目。"], "見出しの記事", None, 1),
        (["【速報】【熊本地震】見出しの記事", "✅ 一つ目。"], "見出しの記事", None, 1),
        (["【動画】見出しの記事：朝日新聞", "✅ 一つ目。"], "見出しの記事", None, 1),
        (["【速報】地震", "✅ 一つ目。"], "【速報】地震", None, 1),  # too little would be left
    ],
)
def test_card_frames(card: list[str], headline: str, published: str | None, bullets: int) -> None:
    article = parse_article("\n\n".join(["ページの題", *card, "出典: https://a.jp/1", "本文です。"]))
    (got,) = article.cards
    assert (got.headline, str(got.published) if got.published else None) == (headline, published)
    assert len(got.bullets) == bullets and got.source_url == "https://a.jp/1"
    assert article.body_text == "本文です。"
    assert_spans(article)


def test_a_date_under_the_bullets_without_a_source_line_opens_the_next_card() -> None:
    lines = [
        "ページの題",
        "見出しの記事",
        "✅ 一つ目。",
        "公開日:2025/02/19",
        "次の見出し",
        "✅ 二つ目。",
        "出典: https://a.jp/2",
    ]
    first, second = parse_article("\n\n".join(lines)).cards
    assert (first.published, second.published) == (None, dt.date(2025, 2, 19))


def test_learn_bullets_on_one_line_are_split() -> None:
    article = parse_article(
        "ページの題\n\n📘 この記事で分かる事!\n\n💡 学べる一文だ。💡 二つ目の一文だ。\n\n本文です。"
    )
    assert [b.text for b in article.learn_bullets] == ["学べる一文だ。", "二つ目の一文だ。"]
    assert_spans(article)


def test_a_long_line_with_a_url_is_body_text() -> None:
    line = "詳しい経緯は政府の発表資料にまとめられており、こちらで読める https://a.jp/1"
    article = parse_article(f"ページの題\n\n見出しの記事\n\n✅ 一つ目。\n\n{line}")
    assert article.cards[0].source_url is None and line in article.body_text


@pytest.mark.parametrize(
    ("title", "heading", "question", "answer"),
    [
        ("ページの題", "事件の詳細", "何が起きたのですか?", "概要"),
        ("# ページの題", "## 事件の詳細", "Q. 何が起きたのですか?", "A. 概要"),
        ("ページの題", "### 事件の詳細", "Q：何が起きたのですか？", "A：概要"),
        ("ページの題", "事件の詳細", "質問: 何が起きたのですか?", "回答: 概要"),
        ("ページの題", "事件の詳細", "Ｑ．何が起きたのですか?", "Ａ．概要"),
    ],
)
def test_labels_before_title_heading_question_and_answer(title: str, heading: str, question: str, answer: str) -> None:
    text = "\n\n".join(
        [title, "📘 この記事で分かる事!", "💡 学べる一文だ。", heading, question, answer, "本文の一段落目。"]
    )
    article = parse_article(text)
    (chapter,) = article.chapters
    assert article.title == "ページの題"
    assert chapter.heading.text == "事件の詳細"
    assert chapter.question is not None and chapter.question.text.startswith("何が起きたのですか")
    assert chapter.answer is not None and chapter.answer.text == "概要"
    assert_spans(article)


@pytest.mark.parametrize(
    ("header", "is_learn"),
    [
        ("📘 この記事で分かる事!", True),
        ("この記事でわかること", True),
        ("この記事を読むと分かること", True),
        ("この記事から分かる事", True),
        ("この記事のポイント", True),
        ("この記事の要点", True),
        ("📝 この記事のまとめ", True),
        ("この記事で学べること", True),
        ("今日の天気", False),
    ],
)
def test_learn_section_headers(header: str, is_learn: bool) -> None:
    text = f"ページの題\n\n{header}\n\n💡 学べる一文だ。\n\n・もう一つの一文だ。\n\n本文の段落です。"
    bullets = [b.text for b in parse_article(text).learn_bullets]
    assert bullets == (["学べる一文だ。", "もう一つの一文だ。"] if is_learn else [])


@pytest.mark.parametrize(
    ("bullets", "source", "cards"),
    [
        (["✅ 車内で見つかった。", "✅ 遺書があった。"], "出典/画像元: https://x.jp/1", 1),
        (["✅ 車内で見つかった。", "✅ 遺書があった。"], "", 1),  # ✅ marks a card on its own
        (["- ✅ 車内で見つかった。", "- ✅ 遺書があった。"], "", 1),  # a Markdown item carrying the marker
        (["・車内で見つかった。", "・遺書があった。"], "出典: https://x.jp/1", 1),
        (["● 車内で見つかった。", "● 遺書があった。"], "さらに読む ⇒出典/画像元: https://x.jp/1", 1),
        (["- 車内で見つかった。", "- 遺書があった。"], "https://x.jp/1", 1),
        # without a source line, such a list is the article's own
        (["・車内で見つかった。", "・遺書があった。"], "", 0),
        (["- 車内で見つかった。", "- 遺書があった。"], "", 0),
    ],
)
def test_card_bullets_by_marker_and_frame(bullets: list[str], source: str, cards: int) -> None:
    lines = [
        "まとめ",
        "元アナウンサーが死亡",
        "公開日:2008/05/26",
        *bullets,
        *([source] if source else []),
        "続いて次の話題です。",
    ]
    article = parse_article("\n\n".join(lines))
    assert len(article.cards) == cards
    if cards:
        (card,) = article.cards
        assert [b.text for b in card.bullets] == ["車内で見つかった。", "遺書があった。"]
        assert card.headline == "元アナウンサーが死亡" and card.published == dt.date(2008, 5, 26)


def test_a_very_long_bullet_is_kept(seed_text: str) -> None:
    at = seed_text.index("✅")
    end = seed_text.index("\n", at)
    long = "ロシアは停戦案について条件を示した。" * 1500
    page = seed_text[:end] + long + seed_text[end:]
    first = parse_page(page).cards[0].bullets[0]
    assert first.text.endswith(long) and len(first.text) > 20_000


def test_an_html_page_is_judged_japanese_by_its_text_not_its_markup(seed_text: str) -> None:
    from digestnlp.article import MIN_JAPANESE_RATIO, parse_checked
    from digestnlp.io import japanese_ratio

    style = "<style>" + "body { margin: 0 auto; font-family: sans-serif; } " * 1000 + "</style>"
    body = "".join(f"<p>{line}</p>" for line in seed_text.splitlines() if line.strip())
    html = f"<html><head>{style}</head><body>{body}</body></html>"
    assert japanese_ratio(html) < MIN_JAPANESE_RATIO, "mostly markup"
    assert len(parse_checked(html).cards) == 2
    with pytest.raises(InputError, match="not Japanese"):
        parse_checked("<html><body><p>An English page with no Japanese at all.</p></body></html>")


@pytest.mark.parametrize(
    ("prompt", "is_chapter"),
    [
        ("何が起きたのですか?", True),
        ("何が起きたのですか？", True),
        ("詳しく教えてください。", True),
        ("背景を説明してください", True),
        ("仕組みを解説して下さい!", True),
        ("正確な気持ちを必ず誰かに伝えてください。", False),
        ("詳しく見ていきましょう。", False),
    ],
)
def test_a_chapter_opens_with_a_question_or_a_request_to_explain(prompt: str, is_chapter: bool) -> None:
    a = parse_article(
        f"ページの題\n\n📘 この記事で分かる事!\n\n💡 学べる一文だ。\n\n事件の詳細\n\n{prompt}\n\n概要\n\n本文の一段落目。\n"
    )
    assert (len(a.chapters) == 1) is is_chapter
    if is_chapter:
        chapter = a.chapters[0]
        assert chapter.heading.text == "事件の詳細" and chapter.question is not None
        assert chapter.question.text == prompt and chapter.answer is not None and chapter.answer.text == "概要"
        assert [p.text for p in a.body] == ["本文の一段落目。"]
    assert_spans(a)
