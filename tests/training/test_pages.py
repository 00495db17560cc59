"""Written articles rendered as the digest pages the learn-bullet calibration is fitted on."""

import random

from digestnlp.article import parse_page
from digestnlp.text.normalize import char_bigrams
from digestnlp.training.data import written_cards
from digestnlp.training.pages import OTHER_STORY_OVERLAP, card_page, nearest_other_stories


def test_a_card_page_carries_the_body_and_a_faithful_a_wrong_and_another_storys_card() -> None:
    articles = written_cards("calibration")[:2]
    a, other = articles
    page = parse_page(card_page(a, other, random.Random(0)))
    assert [c.headline for c in page.cards] == [a.headline] * 3
    shown = {tuple(b.text for b in c.bullets) for c in page.cards}
    assert tuple(a.match.bullets) in shown and tuple(other.match.bullets) in shown
    assert shown & {tuple(c.bullets) for c in a.cards if c.kind != "match"}
    assert "".join(a.body.split()) in "".join(p.text for p in page.body).replace("\n", "")
    assert not page.learn_bullets


def test_the_other_story_is_never_the_article_and_shares_few_bigrams() -> None:
    articles = written_cards("calibration")[:40]
    grams = [char_bigrams("".join(a.match.bullets)) for a in articles]
    for i, j in enumerate(nearest_other_stories(articles)):
        assert j != i
        assert len(grams[i] & grams[j]) / len(grams[i] | grams[j]) <= OTHER_STORY_OVERLAP
