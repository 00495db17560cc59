"""The recipe of the bundled NLI model: which pairs, how many, and which articles are held out."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from digestnlp.check.data import NLIPair, jamp, janli, jnli, jnli_neg, jsick, jsnli_dev
from digestnlp.check.news import e5_similarity, load_wikinews, news_pairs, split_articles

# Templated sets are large and easy; a sample teaches the same phenomena in less time.
SAMPLE_SIZES = {"janli-train": 6000, "jamp-train": 5000}
NEWS_LEAD_CHARS = 200


def caption_pairs(seed: int = 13, root: Path | None = None) -> list[NLIPair]:
    rng = random.Random(seed)
    sets = {
        "jsick-train": jsick("train", root),
        "jnli-test": jnli("test", root),
        "jnli-neg-train": jnli_neg("train", root),
        "janli-train": janli("train", root),
        "jamp-train": jamp("train", root),
        "jsnli-dev": jsnli_dev(root),
    }
    out: list[NLIPair] = []
    for name, pairs in sets.items():
        size = SAMPLE_SIZES.get(name)
        out += rng.sample(pairs, size) if size and size < len(pairs) else pairs
    return out


def news_split(train: bool, *, seed: int = 13, limit: int | None = None, hard_negatives: bool = True) -> list[NLIPair]:
    """News pairs from the training (80%) or held-out (20%) Wikinews articles."""
    arts_train, arts_test = split_articles(load_wikinews())
    arts = (arts_train if train else arts_test)[:limit]
    return news_pairs(arts, seed=seed, similarity=e5_similarity if hard_negatives else None, lead_chars=NEWS_LEAD_CHARS)


def bundled_training_pairs(seed: int = 13) -> list[NLIPair]:
    pairs = caption_pairs(seed) + news_split(True, seed=seed)
    random.Random(seed).shuffle(pairs)
    return pairs


def describe(pairs: list[NLIPair]) -> dict[str, int]:
    return dict(sorted(Counter(p.source for p in pairs).items()))
