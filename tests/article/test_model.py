"""``Article.page_text``: what a page states, in reading order."""

from digestnlp.article import parse_article, parse_page
from digestnlp.article.writer import CardSpec, ChapterSpec, PageSpec, render_page
from tests.article import pages

PAGE = render_page(
    PageSpec(
        "ページの題",
        learn_bullets=("学べる一文だ。",),
        chapters=[
            ChapterSpec(
                "一章の見出し",
                "何が起きたのですか?",
                "概要",
                ("本文の一段落目。", "本文の二段落目。"),
                (CardSpec("カードの見出し", ("カードの箇条書き。",), "https://x.jp/1"),),
                comment="大変な状況ですね。",
            )
        ],
    )
)


def test_page_text_is_body_commentary_and_card_bullets_in_reading_order() -> None:
    a = parse_page(PAGE)
    assert a.page_text.split("\n") == [
        "カードの箇条書き。",
        "大変な状況ですね。",
        "本文の一段落目。",
        "本文の二段落目。",
    ]


def test_page_text_leaves_out_what_the_page_does_not_state() -> None:
    text = parse_page(PAGE).page_text
    for absent in (
        "ページの題",
        "学べる一文だ。",
        "一章の見出し",
        "何が起きたのですか?",
        "概要",
        "カードの見出し",
        "https",
    ):
        assert absent not in text


def test_plain_text_page_text_is_its_body() -> None:
    a = parse_article(pages.PLAIN)
    assert a.page_text == a.body_text == pages.PLAIN
