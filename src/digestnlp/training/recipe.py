"""The recipe of the bundled NLI model: which pairs, how many, and which articles are held out."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np

from digestnlp.article import parse_page
from digestnlp.check.calibration import FEATURES, Calibrator
from digestnlp.check.consistency import ConsistencyChecker
from digestnlp.check.nli import LABEL_ID
from digestnlp.text.normalize import char_bigrams
from digestnlp.text.sentences import split_sentences
from digestnlp.training.calibration import fit_calibrator, sample_weights
from digestnlp.training.data import (
    NLIPair,
    WrittenArticle,
    jamp,
    janli,
    jnli,
    jnli_neg,
    jsick,
    jsnli_dev,
    written_cards,
)
from digestnlp.training.news import (
    SimilarFn,
    e5_similarity,
    load_wikinews,
    news_pairs,
    sentence_pairs,
    sentence_window,
    split_articles,
    strip_navigation,
)
from digestnlp.training.pages import card_page, nearest_other_stories

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


def news_split(part: str, *, seed: int = 13, limit: int | None = None, hard_negatives: bool = True) -> list[NLIPair]:
    """News pairs from the ``train`` (70%), ``calibration`` (10%) or ``test`` (20%) Wikinews articles."""
    arts = getattr(split_articles(load_wikinews()), part)[:limit]
    return news_pairs(arts, seed=seed, similarity=e5_similarity if hard_negatives else None, lead_chars=NEWS_LEAD_CHARS)


# A faithful bullet restates its headline (entailment) when it holds most of the headline's
# character bigrams; otherwise it tells part of the story (neutral). Never a contradiction.
RESTATES_HEADLINE = 0.6
LEARN_WINDOW_CHARS = 240


def learn_premise(body: str, bullet: str, window_chars: int = LEARN_WINDOW_CHARS) -> str:
    """The passage of ``body`` a learn bullet is checked against: the sentence that shares most
    character bigrams with it, widened with its neighbours (the checker scores a body's chunks
    that overlap a claim most)."""
    sents = [s.text for s in split_sentences(body)]
    if not sents:
        return body
    want = char_bigrams(bullet)
    best = max(range(len(sents)), key=lambda i: (len(want & char_bigrams(sents[i])), -i))
    return sentence_window(sents, best, window_chars)


def written_pairs(
    articles: list[WrittenArticle], *, seed: int = 31, similarity: SimilarFn | None = None
) -> list[NLIPair]:
    """NLI pairs in the form the checker meets on real pages (``digest-cards-train``).

    Per article: the faithful card's bullets ⇒ headline (entailment, also with the bullets in another
    order, so a faithful card weighs as much as its two wrong twins); each error card ⇒ headline
    (contradiction); each bullet on its own ⇒ headline: a faithful one entailment or neutral
    (``RESTATES_HEADLINE``), the wrong one contradiction — so the model learns what in a bullet
    contradicts a headline, not that a card or a lone bullet does; another article's faithful card
    ⇒ headline (neutral: a random one and the most similar); the body passage ⇒ each learn bullet
    (entailment), ⇒ the contradicting one (contradiction) and ⇒ the one that adds a fact (neutral).
    """
    rng = random.Random(seed)
    entail, neutral, contradict = LABEL_ID["entailment"], LABEL_ID["neutral"], LABEL_ID["contradiction"]
    premises = ["\n".join(a.match.bullets) for a in articles]
    sims = similarity([a.headline for a in articles], premises) if similarity and len(articles) > 1 else None
    out: list[NLIPair] = []
    for i, art in enumerate(articles):
        head, date = art.headline, art.published
        match = art.match.bullets
        out.append(NLIPair(premises[i], head, entail, "written-match", published=date))
        shuffled = list(match)
        rng.shuffle(shuffled)
        if shuffled == list(match):
            shuffled = shuffled[1:] + shuffled[:1]
        out.append(NLIPair("\n".join(shuffled), head, entail, "written-match-shuffled", published=date))
        want = char_bigrams(head)
        for bullet in match:
            restates = bool(want) and len(want & char_bigrams(bullet)) / len(want) >= RESTATES_HEADLINE
            out.append(NLIPair(bullet, head, entail if restates else neutral, "written-match-bullet", published=date))
        for card in art.cards:
            if card.kind == "match" or card.error_bullet is None:
                continue
            out.append(NLIPair("\n".join(card.bullets), head, contradict, f"written-{card.kind}", published=date))
            wrong = card.bullets[card.error_bullet]
            out.append(NLIPair(wrong, head, contradict, f"written-{card.kind}-bullet", published=date))
        if len(articles) > 1:
            j = rng.randrange(len(articles) - 1)
            j = j + 1 if j >= i else j
            out.append(NLIPair(premises[j], head, neutral, "written-other-random", published=date))
        if sims is not None:
            row = sims[i].copy()
            row[i] = -np.inf
            out.append(NLIPair(premises[int(row.argmax())], head, neutral, "written-other-similar", published=date))
        for bullet in art.learn:
            out.append(NLIPair(learn_premise(art.body, bullet), bullet, entail, "written-learn"))
        for bullet, how in art.learn_bad:
            label = contradict if how == "contradicts" else neutral
            out.append(NLIPair(learn_premise(art.body, bullet), bullet, label, f"written-learn-{how}"))
    return out


def bundled_training_pairs(seed: int = 13) -> list[NLIPair]:
    train_articles = split_articles(load_wikinews()).train
    pairs = caption_pairs(seed) + news_split("train", seed=seed) + sentence_pairs(train_articles, seed=seed + 4)
    pairs += written_pairs(written_cards("train"), seed=seed + 18, similarity=e5_similarity)
    random.Random(seed).shuffle(pairs)
    return pairs


# The bundled model's second stage (three epochs at 3e-5 from the first stage's weights): the written
# cards once more, with a sample of the NLI and Wikinews pairs replayed so the first stage's skills
# stay (one epoch on the written pairs alone forgets them).
REFINE_REPLAY = 8000


def refine_pairs(seed: int = 13) -> list[NLIPair]:
    """The second stage's pairs: ``written_pairs`` of the training articles (other negatives than
    the first stage's) and ``REFINE_REPLAY`` pairs of the first stage's other sets."""
    rng = random.Random(seed - 6)
    pairs = written_pairs(written_cards("train"), seed=seed + 32, similarity=e5_similarity)
    pairs += rng.sample(caption_pairs(seed) + news_split("train", seed=seed), REFINE_REPLAY)
    rng.shuffle(pairs)
    return pairs


def describe(pairs: list[NLIPair]) -> dict[str, int]:
    return dict(sorted(Counter(p.source for p in pairs).items()))


CARD_LEAD_CHARS = 320


def card_pairs(part: str, *, seed: int = 29, limit: int | None = None, skip: int = 0) -> list[NLIPair]:
    """Card-like checks from Wikinews: premise = the lead (like a card's bullets), claim = headline.

    Label 0 (entailment) marks a consistent card; every other kind is a corrupted card. A different
    seed from training gives other random negatives and other alterations. Navigation lists of
    headlines are stripped first: bullets never list other articles' headlines. ``skip`` leaves out
    the part's first articles (``limit`` counts from there).
    """
    arts = getattr(split_articles(strip_navigation(load_wikinews())), part)[skip:][:limit]
    return news_pairs(arts, seed=seed, similarity=e5_similarity, lead_chars=CARD_LEAD_CHARS)


# The kinds of card check a calibration counts as consistent.
CONSISTENT_KINDS = frozenset({"news-entail", "written-match"})
# The card-level checks of ``written_pairs``: what a page shows (bullet-level and learn pairs are
# training material only, and the reordered faithful card would count it twice).
WRITTEN_CARD_CHECKS = re.compile(r"written-(match|number|entity|outcome|role|time-place|other-random|other-similar)")


def written_card_checks(articles: list[WrittenArticle], *, seed: int = 29) -> list[NLIPair]:
    """Per written article: its faithful card, its error cards and two other articles' faithful cards
    (a random and the most similar one) against its headline."""
    pairs = written_pairs(articles, seed=seed, similarity=e5_similarity)
    return [p for p in pairs if WRITTEN_CARD_CHECKS.fullmatch(p.source)]


def calibration_pairs(seed: int = 29) -> list[NLIPair]:
    """The card checks the score calibration is fitted (and cross-validated) on: the written cards
    of the calibration articles (real card bullets) and the Wikinews card checks of the same split
    (leads against altered headlines), both kept out of NLI training."""
    return written_card_checks(written_cards("calibration"), seed=seed) + card_pairs("calibration", seed=seed)


def body_groups(pairs: Sequence[NLIPair]) -> np.ndarray:
    """The article of each learn-bullet check (``learn_checks``): its page text."""
    pages: dict[str, int] = {}
    return np.array([pages.setdefault(p.premise, len(pages)) for p in pairs])


def learn_checks(articles: list[WrittenArticle], *, seed: int = 29) -> list[NLIPair]:
    """Each learn bullet against its article's page text, as a page's 💡 bullets are checked
    (``card_page``: the body with a faithful, a wrong and another story's card, parsed):
    ``written-learn`` (supported), ``written-learn-contradicts`` and ``written-learn-adds``."""
    rng = random.Random(seed)
    entail, neutral, contradict = LABEL_ID["entailment"], LABEL_ID["neutral"], LABEL_ID["contradiction"]
    others = nearest_other_stories(articles)
    out = []
    for a, other in zip(articles, others, strict=True):
        page = parse_page(card_page(a, articles[other], rng)).page_text
        out += [NLIPair(page, bullet, entail, "written-learn") for bullet in a.learn]
        out += [
            NLIPair(page, bullet, contradict if how == "contradicts" else neutral, f"written-learn-{how}")
            for bullet, how in a.learn_bad
        ]
    return out


def feature_matrix(checker: ConsistencyChecker, pairs: list[NLIPair]) -> np.ndarray:
    verdicts = checker.judge(
        [(p.premise, p.hypothesis) for p in pairs], published=[p.published for p in pairs], show_progress_bar=True
    )
    return np.array([[v.features[f] for f in FEATURES] for v in verdicts], dtype=np.float64)


class CalibrationChoice(NamedTuple):
    """How the bundled calibration is fitted: the variant of ``benchmarks/eval_cards.py`` with the
    best worst-kind AUROC on the written calibration cards (cross-validated by article on
    ``calibration_pairs``; never on the dev or test articles)."""

    weighting: Literal["class", "kind"]
    l2: float
    knots: int  # quantile knots per continuous feature; 0 is a plain linear fit


CALIBRATION_CHOICE = CalibrationChoice("kind", 10.0, 3)
# The verdicts' operating point, set on the faithful written cards of the calibration articles: at
# most this share of them called inconsistent, and this share more uncertain. A reader acts on a
# flag, so a flag must be rare on a faithful card; wrong cards fall where their scores put them.
FALSE_ALARMS = 0.03
UNCERTAIN = 0.05


# Verdict thresholds are quantiles of the faithful checks' scores out of fold: in-sample scores
# of the checks a calibration was fitted on sit higher than a new card's, so thresholds set on
# them call more faithful cards inconsistent or uncertain than they promise.
THRESHOLD_FOLDS = 5


def article_groups(kinds: Sequence[str]) -> np.ndarray:
    """The article of each card check: ``news_pairs`` and ``written_pairs`` emit an article's checks
    together, its consistent card first."""
    return np.cumsum([kind in CONSISTENT_KINDS for kind in kinds]) - 1


def fit_card_calibration(
    x: np.ndarray,
    kinds: list[str],
    *,
    false_alarms: float = FALSE_ALARMS,
    uncertain: float = UNCERTAIN,
    weighting: Literal["class", "kind"] = CALIBRATION_CHOICE.weighting,
    l2: float = CALIBRATION_CHOICE.l2,
    knots: int = CALIBRATION_CHOICE.knots,
    threshold_folds: int = THRESHOLD_FOLDS,
    groups: np.ndarray | None = None,
    fitted_on: str = "",
) -> Calibrator:
    """The calibration of card checks ``x`` (columns ``FEATURES``) of the given kinds.

    ``weighting`` "class" balances consistent against wrong cards; "kind" gives each wrong kind an
    equal share; ``knots`` bends each continuous feature at that many quantiles. The thresholds
    call ``false_alarms`` of the faithful written checks (``written-match``) inconsistent and
    ``uncertain`` more uncertain, as scored by fits without their article (``threshold_folds``
    folds of ``groups``, by default ``article_groups``; 1 scores them in-sample); without any
    faithful written check, each side is set for 90% precision.
    """
    labels = ["consistent" if kind in CONSISTENT_KINDS else kind for kind in kinds]
    y = np.array([1 if label == "consistent" else 0 for label in labels])
    cal = fit_calibrator(
        x,
        y,
        fitted_on=fitted_on,
        sample_weight=sample_weights(labels, "consistent", weighting),
        l2=l2,
        knots=knots,
    )
    faithful = np.array([kind == "written-match" for kind in kinds])
    if faithful.any():
        p = cal.probability(x)
        if threshold_folds > 1:
            held_out = held_out_scores(
                x,
                kinds,
                article_groups(kinds) if groups is None else groups,
                threshold_folds,
                weighting=weighting,
                l2=l2,
                knots=knots,
            )
            p = np.where(np.isnan(held_out), p, held_out)
        cal.inconsistent_at = float(np.quantile(p[faithful], false_alarms))
        cal.consistent_at = float(np.quantile(p[faithful], false_alarms + uncertain))
    return cal


def held_out_scores(
    x: np.ndarray,
    kinds: list[str],
    groups: np.ndarray,
    folds: int,
    *,
    weighting: Literal["class", "kind"] = CALIBRATION_CHOICE.weighting,
    l2: float = CALIBRATION_CHOICE.l2,
    knots: int = CALIBRATION_CHOICE.knots,
) -> np.ndarray:
    """Each check's probability from a ``fit_card_calibration`` without its fold (``groups`` mod
    ``folds``: keep an article's checks in one group); NaN where a fold holds every check."""
    fold = np.asarray(groups) % folds
    scores = np.full(len(kinds), np.nan)
    for k in range(folds):
        test = fold == k
        if test.any() and not test.all():
            train_kinds = [kind for kind, t in zip(kinds, test, strict=True) if not t]
            cal = fit_card_calibration(
                x[~test], train_kinds, weighting=weighting, l2=l2, knots=knots, threshold_folds=1
            )
            scores[test] = cal.probability(x[test])
    return scores


def _calibrate(
    checker: ConsistencyChecker,
    pairs: list[NLIPair],
    kinds: list[str],
    what: str,
    *,
    false_alarms: float,
    uncertain: float,
    choice: CalibrationChoice,
    groups: np.ndarray | None = None,
) -> Calibrator:
    """``fit_card_calibration`` on the checker's features of ``pairs``, described as ``what`` fitted how."""
    shares = "each wrong kind weighted equally" if choice.weighting == "kind" else "classes balanced"
    return fit_card_calibration(
        feature_matrix(checker, pairs),
        kinds,
        false_alarms=false_alarms,
        uncertain=uncertain,
        weighting=choice.weighting,
        l2=choice.l2,
        knots=choice.knots,
        groups=groups,
        fitted_on=f"{what}, {shares}, L2 {choice.l2}, {choice.knots} knots per continuous feature, signs fixed, "
        f"thresholds from {THRESHOLD_FOLDS}-fold out-of-article scores)",
    )


def calibrate_checker(
    checker: ConsistencyChecker,
    *,
    seed: int = 29,
    false_alarms: float = FALSE_ALARMS,
    uncertain: float = UNCERTAIN,
    choice: CalibrationChoice = CALIBRATION_CHOICE,
) -> Calibrator:
    """Fit the score calibration and verdict thresholds on ``calibration_pairs`` (calibration-split
    articles only: never a training, dev or test article)."""
    pairs = calibration_pairs(seed)
    return _calibrate(
        checker,
        pairs,
        [p.source for p in pairs],
        f"written cards and Wikinews card checks of the calibration articles ({len(pairs)} checks, seed {seed}",
        false_alarms=false_alarms,
        uncertain=uncertain,
        choice=choice,
    )


def calibrate_body(
    checker: ConsistencyChecker,
    *,
    false_alarms: float = FALSE_ALARMS,
    uncertain: float = UNCERTAIN,
    choice: CalibrationChoice = CALIBRATION_CHOICE,
) -> Calibrator:
    """Fit the body calibration on the calibration articles' learn bullets against their page text
    (supported against contradicting and adding ones; the supported ones set the thresholds)."""
    pairs = learn_checks(written_cards("calibration"))
    return _calibrate(
        checker,
        pairs,
        ["written-match" if p.source == "written-learn" else "written-unsupported" for p in pairs],
        f"learn bullets of the calibration articles against their page text ({len(pairs)} checks",
        groups=body_groups(pairs),
        false_alarms=false_alarms,
        uncertain=uncertain,
        choice=choice,
    )
