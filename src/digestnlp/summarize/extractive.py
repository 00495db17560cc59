"""The extractive backend: learn bullets taken from a page's body, chapters and card bullets.

Candidate sentences are rewritten into short plain-form bullets, ranked with the e5 encoder
(centrality in the page, closeness to their chapter's question and answer, position) and ordered
with MMR so bullets do not repeat each other (one per chapter first). The page's own learn
bullets are never read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from digestnlp.article import Article, TextSpan
from digestnlp.summarize.base import Bullet, compress
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
    features: dict[str, float] = field(default_factory=dict)


def candidates(article: Article, max_chars: int) -> list[Candidate]:
    """Body, chapter and card-bullet sentences (never learn bullets, titles or commentary)."""
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


def _z(x: np.ndarray) -> np.ndarray:
    std = float(x.std())
    return (x - x.mean()) / std if std > 1e-9 else np.zeros_like(x)


class ExtractiveBackend:
    """Page sentences as bullets, in MMR order (each source sentence once)."""

    def __init__(self, *, max_chars: int = 80, mmr_lambda: float = 0.5, encoder_model: str = "e5-small") -> None:
        self.max_chars = max_chars
        self.mmr_lambda = mmr_lambda
        self.encoder_model = encoder_model

    def candidates(self, article: Article, n: int) -> list[Bullet]:
        ranked = self._ranked(article)
        if ranked is None:
            return []
        cands, vecs, relevance = ranked
        words = [{t.lemma for t in content_words(tokenize(c.text))} for c in cands]
        out: list[Bullet] = []
        sources: set[int] = set()
        for i in self._mmr(cands, vecs, relevance, len(article.chapters), words):
            if cands[i].source.start not in sources:
                sources.add(cands[i].source.start)
                out.append(Bullet(cands[i].text, [cands[i].source], float(relevance[i])))
        return out

    def _embed(self, texts: Sequence[str], kind: str) -> np.ndarray:
        from digestnlp.modeling.embed import embed

        return embed(list(texts), kind=kind, model=self.encoder_model)  # type: ignore[arg-type]

    def _ranked(self, article: Article) -> tuple[list[Candidate], np.ndarray, np.ndarray] | None:
        """Candidates, their embeddings and their relevance (rank-normalised score)."""
        cands = candidates(article, self.max_chars)
        if not cands:
            return None
        vecs = self._embed([c.text for c in cands], "passage")
        centroid = vecs.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        centrality = vecs @ centroid
        queries = [" ".join(x.text for x in (ch.heading, ch.question, ch.answer) if x) for ch in article.chapters]
        qvecs = self._embed(queries, "query") if queries else np.zeros((0, vecs.shape[1]))
        focus = np.array(
            [float(qvecs[c.chapter] @ vecs[i]) if 0 <= c.chapter < len(qvecs) else 0.0 for i, c in enumerate(cands)]
        )
        if not len(qvecs):
            focus = centrality.copy()
        title = self._embed([article.title], "query")[0] @ vecs.T if article.title else centrality.copy()
        # Digest sections open with the news and close with its upshot: both ends carry weight.
        position = np.array([max(1.0 / (1.0 + c.position), 0.7 / (1.0 + c.from_end)) for c in cands])
        brevity = -np.array([len(c.text) for c in cands], dtype=float)
        card = np.array([1.0 if c.from_card else 0.0 for c in cands])
        head = np.array([1.0 if c.head_clause else 0.0 for c in cands])
        # e5 cosines crowd into a narrow band; standardising lets each signal count as weighted.
        score = (
            0.3 * _z(centrality)
            + 0.25 * _z(focus)
            + 0.15 * _z(title)
            + 0.15 * _z(position)
            + 0.15 * _z(brevity)
            - 0.1 * card
            - 0.3 * head
        )
        relevance = (score.argsort().argsort() + 1) / len(score)
        return cands, vecs, relevance

    def _mmr(
        self,
        cands: list[Candidate],
        vecs: np.ndarray,
        score: np.ndarray,
        chapters: int,
        words: list[set[str]],
    ) -> list[int]:
        """Candidates in pick order: the best of each chapter first, then MMR."""
        chosen: list[int] = []
        for k in range(chapters):
            members = [i for i, c in enumerate(cands) if c.chapter == k]
            if members:
                chosen.append(max(members, key=lambda i: score[i]))
        sims = vecs @ vecs.T
        floor = float(sims.min())
        rest = [i for i in range(len(cands)) if i not in chosen]
        while rest:
            if chosen:
                # Embeddings say "same topic", shared content words say "same fact"; both count.
                topical = (sims[np.ix_(rest, chosen)].max(axis=1) - floor) / max(1e-6, 1 - floor)
                lexical = np.array([max(_overlap(words[i], words[j]) for j in chosen) for i in rest])
                redundancy = 0.5 * topical + 0.5 * lexical
            else:
                redundancy = np.zeros(len(rest))
            mmr = self.mmr_lambda * score[rest] - (1 - self.mmr_lambda) * redundancy
            best = rest[int(mmr.argmax())]
            chosen.append(best)
            rest.remove(best)
        return chosen
