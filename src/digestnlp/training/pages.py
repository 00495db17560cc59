"""Written articles of ``digest-cards-train`` rendered as digest pages, so that what a model or a
calibration is fitted on reaches it through the same parser and page text as a real page."""

from __future__ import annotations

import random
from collections.abc import Sequence

from digestnlp.article.writer import CardSpec, ChapterSpec, PageSpec, render_page
from digestnlp.text.normalize import char_bigrams
from digestnlp.text.sentences import split_sentences
from digestnlp.training.data import WrittenArticle

# A chapter opens with a heading, a question and a short answer, as on the dev pages.
CHAPTER_QUESTIONS = ("何が起きたのですか?", "どんな出来事ですか?", "何が分かっているのですか?")
CHAPTER_HEADINGS = ("{}の詳細", "{}の背景", "{}のその後")
# Another article's card on a page is about a different story: its bullets share at most this
# share of character bigrams with the article's own card (the dev pages are built the same way).
OTHER_STORY_OVERLAP = 0.12


def paragraphs(text: str, rng: random.Random) -> list[str]:
    """``text`` in paragraphs of one to three sentences, as digest pages break an article."""
    sents = [s.text for s in split_sentences(text)]
    paras: list[str] = []
    while sents:
        k = rng.randint(1, 3)
        paras.append("".join(sents[:k]))
        sents = sents[k:]
    return paras


def nearest_other_stories(articles: Sequence[WrittenArticle]) -> list[int]:
    """For each article, the one whose faithful card is closest to its own while still telling
    another story (bigram overlap at most ``OTHER_STORY_OVERLAP``); the least similar when none is."""
    grams = [char_bigrams("".join(a.match.bullets)) for a in articles]
    out = []
    for i, g in enumerate(grams):
        overlap = [len(g & h) / max(1, len(g | h)) if j != i else 2.0 for j, h in enumerate(grams)]
        allowed = [j for j, v in enumerate(overlap) if v <= OTHER_STORY_OVERLAP]
        out.append(
            max(allowed, key=lambda j: overlap[j]) if allowed else min(range(len(grams)), key=overlap.__getitem__)
        )
    return out


def card_page(a: WrittenArticle, other: WrittenArticle, rng: random.Random) -> str:
    """``a`` as a digest page like the dev pages: its paragraphs in three chapters (``CHAPTER_HEADINGS``),
    each opened by one card under ``a``'s headline — the faithful card, one of its error cards and ``other``'s
    faithful bullets, in random order — because real pages carry wrong and off-topic cards beside
    the text their learn bullets summarise."""
    errors = [c for c in a.cards if c.kind != "match"]
    picks = [a.match.bullets, other.match.bullets] + ([rng.choice(errors).bullets] if errors else [])
    rng.shuffle(picks)
    paras = paragraphs(a.body, rng)
    step = -(-len(paras) // len(picks))
    url = f"https://ja.wikinews.org/?curid={a.id}"
    chapters = [
        ChapterSpec(
            heading.format(a.headline),
            rng.choice(CHAPTER_QUESTIONS),
            "概要",
            paras[k * step : (k + 1) * step],
            (CardSpec(a.headline, bullets, url, a.published),),
        )
        for k, (heading, bullets) in enumerate(zip(CHAPTER_HEADINGS, picks, strict=False))
    ]
    return render_page(PageSpec(a.headline, chapters=chapters))
