"""News-domain NLI pairs from Wikinews headline/article pairs.

Caption NLI sets teach nothing about telegraphic headlines (体言止め), so the bundled model also
trains on: article lead ⇒ headline (entailment); another article's lead, random or the most
similar one, ⇒ headline (neutral); and the headline with a number, a name or its polarity
altered (contradiction). Articles are split by id, so evaluation never sees a training article.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digestnlp.check.nli import LABEL_ID
from digestnlp.text.lexicon import ANTONYMS_BOTH_WAYS, APPROXIMATIONS, BOUNDS, LOWER_BOUNDS
from digestnlp.text.morph import tokenize
from digestnlp.text.quantities import extract_quantities
from digestnlp.text.sentences import split_sentences
from digestnlp.training.data import NLIPair, shared_data_dir

_DIGITS = re.compile(r"(?<![\d.])\d+(?:,\d{3})*(?:\.\d+)?(?![\d.])")
_KANJI_NUM = re.compile(r"[一二三四五六七八九十百千]+(?=[人件回日年月か国名社歳位点円万億])")
_KANJI_VALUES = "一二三四五六七八九"
_NEGATED = re.compile(r"(?:ない|なかった|なく|ません|せず|ず[、。にと])")
# Sentence endings and their opposite; negated endings first so 「していない」 is not read as 「いる」.
_FLIPPED_ENDINGS: tuple[tuple[str, str], ...] = (
    ("しなかった", "した"),
    ("されなかった", "された"),
    ("とはならなかった", "となった"),
    ("していない", "している"),
    ("ではない", "である"),
    ("できない", "できる"),
    ("した", "しなかった"),
    ("された", "されなかった"),
    ("となった", "とはならなかった"),
    ("している", "していない"),
    ("である", "ではない"),
    ("できる", "できない"),
    ("いる", "いない"),
    ("ある", "ない"),
)


@dataclass(frozen=True, slots=True)
class NewsArticle:
    id: str
    headline: str
    article: str


@dataclass(frozen=True, slots=True)
class Alteration:
    kind: str
    text: str
    original: str
    replacement: str


def lead_of(article: str, max_chars: int = 320) -> str:
    """The first sentences of an article, up to ``max_chars`` characters (at least one sentence)."""
    out = ""
    for sent in split_sentences(article):
        if out and len(out) + len(sent.text) > max_chars:
            break
        out += sent.text
    return out[: max_chars * 2]


# A Wikinews report ends with its sources, each dated: 「読売新聞、2011年4月8日。」,
# 「気象庁、2011年4月7日23時46分(UTC+9)。」.
_SOURCE_DATE = re.compile(r"、((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日[^。、]{0,20}。")


def publication_date(article: str) -> dt.date | None:
    """The report's date as a card would show it (its 公開日): the latest date among the sources
    it cites, which a report follows within days. None when it cites no dated source."""
    dates = []
    for m in _SOURCE_DATE.finditer(article):
        try:
            dates.append(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
    return max(dates, default=None)


def load_wikinews(path: Path | None = None) -> list[NewsArticle]:
    path = path or shared_data_dir() / "jawikinews-headline" / "wikinews_ja_headline_detok.jsonl"
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [
        NewsArticle(str(r["id"]), r["headline"].strip(), r["article"].strip()) for r in rows if r["headline"].strip()
    ]


_NAV_MIN_CHARS = 10
_NAV_KEY = 6


def strip_navigation(articles: Sequence[NewsArticle], scan_chars: int = 700) -> list[NewsArticle]:
    """Drop the lists of other articles' headlines some Wikinews pages open with.

    Pages in a series (「鉄道2015年鉄道関連ニュース…」, 「特集:…すべての記事」) start with the
    headlines of the series, the page's own among them, glued together before the report. As a
    card's bullets that would state the headline word for word, so a card built from another page
    of the series is not inconsistent at all. When the opening (``scan_chars``, longer than any
    lead) lists another page's headline, every listed headline is cut from it; a headline quoted
    in 「」 is reporting, not a list, and stays.
    """
    heads = {a.headline for a in articles if len(a.headline) >= _NAV_MIN_CHARS}
    by_key: dict[str, list[str]] = {}
    for h in sorted(heads, key=len, reverse=True):
        by_key.setdefault(h[:_NAV_KEY], []).append(h)
    out = []
    for art in articles:
        opening = art.article[:scan_chars]
        spans: list[tuple[int, int, str]] = []
        i = 0
        while i <= len(opening) - _NAV_MIN_CHARS:
            quoted = opening[i - 1 : i] in ("「", "『")
            hit = next((h for h in by_key.get(opening[i : i + _NAV_KEY], ()) if opening.startswith(h, i)), None)
            if hit is None or quoted or opening[i + len(hit) : i + len(hit) + 1] in ("」", "』"):
                i += 1
                continue
            spans.append((i, i + len(hit), hit))
            i += len(hit)
        if any(h != art.headline for _, _, h in spans):
            kept, pos = [], 0
            for start, end, _ in spans:
                kept.append(opening[pos:start])
                pos = end
            art = NewsArticle(art.id, art.headline, "".join(kept) + art.article[pos:])
        out.append(art)
    return out


def article_bucket(article_id: str) -> float:
    """A stable number in [0, 1) per article id (a hash, so the split never depends on file order)."""
    digest = hashlib.sha256(f"digestnlp-split:{article_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


@dataclass(frozen=True)
class ArticleSplit:
    """Training articles for the NLI model, held-out calibration articles, and test articles."""

    train: list[NewsArticle]
    calibration: list[NewsArticle]
    test: list[NewsArticle]


def split_articles(
    articles: Sequence[NewsArticle], test_fraction: float = 0.2, calibration_fraction: float = 0.1
) -> ArticleSplit:
    """Test: the first ``test_fraction`` of the hash range; calibration: the next slice; train: the rest.

    Calibration articles belong to the training part of the data but are never shown to the NLI
    model, so the score calibration sees honest (not memorised) NLI outputs.
    """
    split = ArticleSplit([], [], [])
    for art in articles:
        u = article_bucket(art.id)
        if u < test_fraction:
            split.test.append(art)
        elif u < test_fraction + calibration_fraction:
            split.calibration.append(art)
        else:
            split.train.append(art)
    return split


def _outside_hedge(text: str, m: re.Match[str], value: int, new: int) -> int | None:
    """``new`` moved out of the range a hedged figure allows (or None when the figure is exact):
    「1,000人以上」 is not contradicted by 「1002人」, nor 「約1400人」 by 「1410人」. The hedge is the
    qualifier ``extract_quantities`` reads (a step of a scale such as 震度「5弱」 is none).

    Only the candidate is adjusted, never drawn again, so the other alterations of a seeded run
    stay as they were.
    """
    q = next((q for q in extract_quantities(text) if q.start <= m.start() < q.end), None)
    if q is None or q.qualifier not in BOUNDS | APPROXIMATIONS:
        return None
    if q.qualifier in LOWER_BOUNDS:
        return new if new >= 1.5 * value else value * 2
    if q.qualifier in BOUNDS:
        return new if new <= value / 1.5 else value // 2
    if abs(new - value) >= 0.25 * value:
        return new
    return value // 2 if new < value and value >= 2 else value * 2


def alter_number(text: str, rng: random.Random) -> Alteration | None:
    """The headline with one figure changed so that the lead no longer supports it.

    A hedged figure (「約1400人」, 「1,000人以上」) is moved out of its range: a change it allows is
    no contradiction and would teach, and test, a wrong label.
    """
    matches = list(_DIGITS.finditer(text)) or list(_KANJI_NUM.finditer(text))
    if not matches:
        return None
    m = rng.choice(matches)
    old = m.group()
    if old[0].isdigit():
        digits = old.replace(",", "")
        if "." in digits:
            value = float(digits)
            new_value = round(
                value * rng.choice([0.5, 0.7, 1.3, 1.8, 2.5]) + rng.choice([0.1, 0.3, 1.1]), len(digits.split(".")[1])
            )
            new = f"{new_value:.{len(digits.split('.')[1])}f}"
        else:
            value = int(digits)
            candidates = [value + d for d in (1, 2, 3, 5, 10) if value + d != value]
            candidates += [v for v in (value - 1, value - 2, value * 2, value * 3, value // 2) if v > 0 and v != value]
            drawn = rng.choice(candidates)
            if len(digits) == 4 and 1900 <= value <= 2100:
                new = str(value + rng.choice([-3, -2, -1, 1, 2]))
            else:
                moved = _outside_hedge(text, m, value, drawn)
                new = str(drawn if moved is None else moved)
    else:
        choices = [c for c in _KANJI_VALUES if c not in old]
        new = old[:-1] + rng.choice(choices) if len(old) > 1 else rng.choice(choices)
    if new == old:
        return None
    return Alteration("number", text[: m.start()] + new + text[m.end() :], old, new)


def _name_tokens(text: str) -> list[tuple[str, str, int, int]]:
    """Proper nouns as ``(subtype, surface, start, end)``; subtype is 人名, 地名, 組織名 or 一般."""
    return [
        (t.pos_detail[1] if len(t.pos_detail) > 1 else "一般", t.surface, t.start, t.end)
        for t in tokenize(text)
        if t.is_proper_noun and len(t.surface) >= 2
    ]


def alter_name(text: str, name_pool: dict[str, list[str]], rng: random.Random) -> Alteration | None:
    """Swap one proper noun for another of the same kind (a person for a person, a place for a place)."""
    names = [n for n in _name_tokens(text) if name_pool.get(n[0])]
    if not names:
        return None
    kind, old, start, end = rng.choice(names)
    for _ in range(10):
        new = rng.choice(name_pool[kind])
        if new != old and new not in text and old not in new and new not in old:
            return Alteration("name", text[:start] + new + text[end:], old, new)
    return None


def alter_polarity(text: str, rng: random.Random) -> Alteration | None:
    options = [(a, b) for a, b in ANTONYMS_BOTH_WAYS if a in text]
    if options:
        old, new = rng.choice(options)
        return Alteration("polarity", text.replace(old, new, 1), old, new)
    tokens = tokenize(text)
    if tokens and tokens[-1].pos == "名詞" and "サ変可能" in tokens[-1].pos_detail:
        last = tokens[-1]
        return Alteration("negation", text[: last.end] + "せず" + text[last.end :], last.surface, last.surface + "せず")
    if tokens and tokens[-1].pos == "動詞" and tokens[-1].conjugation_form.startswith("終止形"):
        last = tokens[-1]
        return Alteration(
            "negation",
            text[: last.start] + last.surface + "ことはない" + text[last.end :],
            last.surface,
            last.surface + "ことはない",
        )
    return None


def flip_ending(sentence: str) -> Alteration | None:
    """Negate an affirmative sentence ending, or affirm a negated one (「した。」↔「しなかった。」)."""
    body = sentence.rstrip("。")
    for old, new in _FLIPPED_ENDINGS:
        if body.endswith(old):
            return Alteration("negation", body[: -len(old)] + new + sentence[len(body) :], old, new)
    return None


def build_name_pool(articles: Sequence[NewsArticle]) -> dict[str, list[str]]:
    pool: dict[str, set[str]] = {}
    for art in articles:
        for kind, surface, _, _ in _name_tokens(art.headline):
            pool.setdefault(kind, set()).add(surface)
    return {kind: sorted(names) for kind, names in pool.items()}


SimilarFn = Callable[[Sequence[str], Sequence[str]], np.ndarray]


def news_pairs(
    articles: Sequence[NewsArticle],
    *,
    seed: int = 13,
    similarity: SimilarFn | None = None,
    lead_chars: int = 320,
) -> list[NLIPair]:
    """Entailment, two kinds of neutral and up to three kinds of contradiction per article.

    ``similarity(headlines, leads)`` returns a score matrix used to pick the most similar other
    lead as a hard negative; without it only the random negative is built.
    """
    rng = random.Random(seed)
    leads = [lead_of(a.article, lead_chars) for a in articles]
    pool = build_name_pool(articles)
    sims = similarity([a.headline for a in articles], leads) if similarity and len(articles) > 1 else None
    out: list[NLIPair] = []
    for i, art in enumerate(articles):
        if not leads[i]:
            continue
        # Every card made from this headline carries its report's date, as a card shows its 公開日.
        published = publication_date(art.article)
        out.append(NLIPair(leads[i], art.headline, LABEL_ID["entailment"], "news-entail", published=published))
        if len(articles) > 1:
            j = rng.randrange(len(articles) - 1)
            j = j + 1 if j >= i else j
            out.append(NLIPair(leads[j], art.headline, LABEL_ID["neutral"], "news-random", published=published))
        if sims is not None:
            row = sims[i].copy()
            row[i] = -np.inf
            out.append(
                NLIPair(
                    leads[int(row.argmax())], art.headline, LABEL_ID["neutral"], "news-similar", published=published
                )
            )
        for alt in (
            alter_number(art.headline, rng),
            alter_name(art.headline, pool, rng),
            alter_polarity(art.headline, rng),
        ):
            if alt is not None:
                label = LABEL_ID["contradiction"]
                out.append(NLIPair(leads[i], alt.text, label, f"news-{alt.kind}", alt.original, published=published))
    return out


def e5_similarity(headlines: Sequence[str], leads: Sequence[str]) -> np.ndarray:
    from digestnlp.modeling.embed import embed

    q = embed(list(headlines), kind="query", batch_size=64)
    p = embed(list(leads), kind="passage", batch_size=64)
    return np.asarray(q @ p.T)


def sentence_window(sentences: Sequence[str], i: int, max_chars: int) -> str:
    """Sentence ``i`` with its neighbours, alternately after and before, up to ``max_chars``."""
    lo, hi = i, i + 1
    while True:
        grown = False
        for lo2, hi2 in ((lo, hi + 1), (lo - 1, hi)):
            if lo2 >= 0 and hi2 <= len(sentences) and sum(len(s) for s in sentences[lo2:hi2]) <= max_chars:
                lo, hi, grown = lo2, hi2, True
        if not grown:
            return "".join(sentences[lo:hi])


def sentence_pairs(articles: Sequence[NewsArticle], *, seed: int = 17, window_chars: int = 240) -> list[NLIPair]:
    """Sentence-level pairs that keep the model from reading any negation as a contradiction.

    Headline alterations teach "せず in the claim ⇒ contradiction"; on its own that becomes a
    bias (a passage or bullet that merely contains 「…ではない」 is judged contradicted). So, per
    article: a sentence (preferably a negated one) copied from its passage is entailment, the same
    sentence with a number, an antonym or its ending negated (or un-negated) is a contradiction, and the lead with
    an unrelated negated sentence of the article added still entails the headline.
    """
    rng = random.Random(seed)
    out: list[NLIPair] = []
    for art in articles:
        # The first sentences: the tail of a Wikinews article is sources and dates, not reporting.
        sents = [s.text for s in split_sentences(art.article)[:10] if 12 <= len(s.text) <= 160]
        if len(sents) < 2:
            continue
        negated = [i for i, s in enumerate(sents) if _NEGATED.search(s)]
        i = rng.choice(negated) if negated and rng.random() < 0.6 else rng.randrange(len(sents))
        passage, claim = sentence_window(sents, i, window_chars), sents[i]
        out.append(NLIPair(passage, claim, LABEL_ID["entailment"], "news-sentence"))
        alterations = [alter_number(claim, rng), alter_polarity(claim, rng), flip_ending(claim)]
        alt = rng.choice([a for a in alterations if a is not None] or [None])
        if alt is not None:
            out.append(NLIPair(passage, alt.text, LABEL_ID["contradiction"], f"news-sentence-{alt.kind}"))
        lead = lead_of(art.article, 200)
        extra = [j for j in negated if sents[j] not in lead]
        if extra:
            aside = sents[rng.choice(extra)]
            premise = aside + lead if rng.random() < 0.5 else lead + aside
            out.append(NLIPair(premise, art.headline, LABEL_ID["entailment"], "news-entail-negated-aside"))
    return out
