"""Extractive learn bullets: taken from a page's body, chapters and card bullets.

Candidate sentences are rewritten into short plain-form bullets, described with the e5 encoder
(centrality in the page, closeness to their chapter's question and answer and to the title),
ranked (by hand-set weights in ``HeuristicBackend``, by a trained head in
``summarize.learned.LearnedBackend``) and ordered with MMR so bullets do not repeat each other (one
per chapter first). The page's own learn bullets are never read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digestnlp.article import Article, TextSpan
from digestnlp.summarize.base import DEFAULT_MAX_CHARS, Bullet, compress
from digestnlp.summarize.plain import reads_as_sentence
from digestnlp.text.morph import content_words, tokenize
from digestnlp.text.sentences import split_sentences


@dataclass
class Candidate:
    source: TextSpan
    text: str
    chapter: int
    position: int
    from_card: bool
    from_end: int = 0
    head_clause: bool = False
    order: int = 0


def candidates(article: Article, max_chars: int) -> list[Candidate]:
    """Body, chapter and card-bullet sentences (never learn bullets, titles or commentary); a head
    clause only when its whole sentence does not fit."""
    out: list[Candidate] = []
    chapter_of: dict[int, int] = {}
    for k, ch in enumerate(article.chapters):
        for p in ch.paragraphs:
            chapter_of[p.start] = k
    sections: list[tuple[int, list[TextSpan], bool]] = [
        (-1, [p for p in article.body if p.start not in chapter_of], False)
    ]
    sections += [(k, ch.paragraphs, False) for k, ch in enumerate(article.chapters)]
    for k, ch in enumerate(article.chapters):
        sections += [(k, card.bullets, True) for card in ch.cards]
    chaptered_cards = {id(c) for ch in article.chapters for c in ch.cards}
    sections += [(-1, c.bullets, True) for c in article.cards if id(c) not in chaptered_cards]
    for chapter, spans, from_card in sections:
        sents = [(span, sent) for span in spans for sent in split_sentences(span.text)]
        for position, (span, sent) in enumerate(sents):
            src = TextSpan(sent.text, span.start + sent.start, span.start + sent.end)
            variants = compress(sent.text, max_chars)
            if any(not is_head for _, is_head in variants):
                variants = [v for v in variants if not v[1]]  # the assertion of 「AがB」 is B
            for text, is_head in variants:
                out.append(Candidate(src, text, chapter, position, from_card, len(sents) - 1 - position, is_head))
    for i, c in enumerate(sorted(out, key=lambda c: c.source.start)):
        c.order = i
    return out


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@dataclass
class Signals:
    """What the e5 encoder says about each candidate, shared by every ranking.

    ``centrality``: cosine to the mean of all candidates; ``title``: to the page title (a query);
    ``focus``: to its chapter's heading, question and answer; ``has_title`` / ``in_chapter`` say
    whether the last two exist (plain text has neither).
    """

    vecs: np.ndarray
    centrality: np.ndarray
    title: np.ndarray
    focus: np.ndarray
    has_title: bool
    in_chapter: np.ndarray


def signals(pages: Sequence[tuple[Article, Sequence[Candidate]]], encoder_model: str) -> list[Signals]:
    """Each page's signals; all pages' texts go to the encoder together, so its batches fill up."""
    from digestnlp.modeling.embed import embed

    queries = [
        [" ".join(x.text for x in (ch.heading, ch.question, ch.answer) if x) for ch in article.chapters]
        + ([article.title] if article.title else [])
        for article, _ in pages
    ]
    vecs_all = embed([c.text for _, cands in pages for c in cands], kind="passage", model=encoder_model)
    qvecs_all = embed([q for qs in queries for q in qs], kind="query", model=encoder_model)
    out = []
    at = qat = 0
    for (article, cands), qs in zip(pages, queries, strict=True):
        vecs, qvecs = vecs_all[at : at + len(cands)], qvecs_all[qat : qat + len(qs)]
        at, qat = at + len(cands), qat + len(qs)
        centroid = vecs.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        n_ch = len(article.chapters)
        in_chapter = np.array([0 <= c.chapter < n_ch for c in cands])
        focus = np.array([float(qvecs[c.chapter] @ vecs[i]) if in_chapter[i] else 0.0 for i, c in enumerate(cands)])
        title = vecs @ qvecs[n_ch] if article.title else np.zeros(len(cands))
        out.append(Signals(vecs, vecs @ centroid, title, focus, bool(article.title), in_chapter))
    return out


def zscore(x: np.ndarray) -> np.ndarray:
    std = float(x.std())
    return (x - x.mean()) / std if std > 1e-9 else np.zeros_like(x)


def content_lemmas(text: str) -> set[str]:
    return {t.lemma for t in content_words(tokenize(text))}


def rank_scores(score: np.ndarray) -> np.ndarray:
    """Scores as ranks in (0, 1]: MMR weighs relevance against redundancy on a fixed scale."""
    return (score.argsort().argsort() + 1) / len(score)


def pick_order(
    chapter_of: Sequence[int],
    sources: Sequence[int],
    vecs: np.ndarray,
    score: np.ndarray,
    chapters: int,
    words: Sequence[set[str]],
    mmr_lambda: float,
) -> list[int]:
    """Candidates in pick order, each source sentence once (its first, best-placed variant): the
    best of each chapter first (best first), then MMR (``words``: each candidate's content lemmas,
    for lexical redundancy)."""
    bests = [
        max(members, key=lambda i: score[i])
        for k in range(chapters)
        if (members := [i for i, c in enumerate(chapter_of) if c == k])
    ]
    chosen = sorted(bests, key=lambda i: -score[i])
    sims = vecs @ vecs.T
    floor = float(sims.min())
    rest = [i for i in range(len(chapter_of)) if i not in chosen]
    while rest:
        if chosen:
            # Embeddings say "same topic", shared content words say "same fact"; both count.
            topical = (sims[np.ix_(rest, chosen)].max(axis=1) - floor) / max(1e-6, 1 - floor)
            lexical = np.array([max(_overlap(words[i], words[j]) for j in chosen) for i in rest])
            redundancy = 0.5 * topical + 0.5 * lexical
        else:
            redundancy = np.zeros(len(rest))
        mmr = mmr_lambda * score[rest] - (1 - mmr_lambda) * redundancy
        best = rest[int(mmr.argmax())]
        chosen.append(best)
        rest.remove(best)
    seen: set[int] = set()
    out = []
    for i in chosen:
        if sources[i] not in seen:
            seen.add(sources[i])
            out.append(i)
    return out


class RankedBackend:
    """Page sentences as bullets in MMR order (each source sentence once); a subclass says how
    relevant each candidate is."""

    def __init__(
        self, *, max_chars: int = DEFAULT_MAX_CHARS, mmr_lambda: float = 0.5, encoder_model: str = "e5-small"
    ) -> None:
        self.max_chars = max_chars
        self.mmr_lambda = mmr_lambda
        self.encoder_model = encoder_model

    def relevance(self, article: Article, cands: Sequence[Candidate], sig: Signals) -> np.ndarray:
        raise NotImplementedError

    def settings(self, article: Article) -> tuple[int, float]:
        """The longest candidate and the MMR weight for this page."""
        return self.max_chars, self.mmr_lambda

    def candidates(self, article: Article, n: int) -> list[Bullet]:
        return self.pipe([article], n)[0]

    def pipe(self, articles: Sequence[Article], n: int) -> list[list[Bullet]]:
        """Candidates for many pages, their texts embedded in shared encoder batches."""
        settings = [self.settings(a) for a in articles]
        pages = [(a, candidates(a, longest)) for a, (longest, _) in zip(articles, settings, strict=True)]
        found = [(a, cands) for a, cands in pages if cands]
        sigs = iter(signals(found, self.encoder_model))
        out: list[list[Bullet]] = []
        for (article, cands), (_, mmr_lambda) in zip(pages, settings, strict=True):
            if not cands:
                out.append([])
                continue
            sig = next(sigs)
            relevance = rank_scores(self.relevance(article, cands, sig))
            order = pick_order(
                [c.chapter for c in cands],
                [c.source.start for c in cands],
                sig.vecs,
                relevance,
                len(article.chapters),
                [content_lemmas(c.text) for c in cands],
                mmr_lambda,
            )
            # Skipped only now: dropping them from the candidates would move the others' features.
            order = [i for i in order if reads_as_sentence(cands[i].text)]
            out.append([Bullet(cands[i].text, [cands[i].source], float(relevance[i])) for i in order])
        return out


class HeuristicBackend(RankedBackend):
    """Hand-weighted ranking: centrality, closeness to the chapter question and the title,
    position, brevity."""

    def relevance(self, article: Article, cands: Sequence[Candidate], sig: Signals) -> np.ndarray:
        focus = sig.focus if sig.in_chapter.any() else sig.centrality
        title = sig.title if sig.has_title else sig.centrality
        # Digest sections open with the news and close with its upshot: both ends carry weight.
        position = np.array([max(1.0 / (1.0 + c.position), 0.7 / (1.0 + c.from_end)) for c in cands])
        brevity = -np.array([len(c.text) for c in cands], dtype=float)
        card = np.array([1.0 if c.from_card else 0.0 for c in cands])
        head = np.array([1.0 if c.head_clause else 0.0 for c in cands])
        # e5 cosines crowd into a narrow band; standardising lets each signal count as weighted.
        return (
            0.3 * zscore(sig.centrality)
            + 0.25 * zscore(focus)
            + 0.15 * zscore(title)
            + 0.15 * zscore(position)
            + 0.15 * zscore(brevity)
            - 0.1 * card
            - 0.3 * head
        )
