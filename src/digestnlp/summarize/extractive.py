"""The 「この記事で分かる事」 bullets from a page's body, chapters and card bullets.

Extractive by default: candidate sentences are ranked with the e5 encoder (centrality in the
page, closeness to their chapter's question and answer, position), picked with MMR so bullets do
not repeat each other (one per chapter first), then rewritten into short plain-form bullets.
Each bullet is checked with the NLI checker against the page text it was drawn from (body and card
bullets); unsupported ones are replaced.
The page's own learn bullets are never read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from digestnlp.article import Article, TextSpan, parse_page
from digestnlp.article.parser import is_commentary
from digestnlp.summarize.plain import ensure_period, is_plain, strip_fillers, strip_quotes, to_plain
from digestnlp.text.morph import content_words, tokenize
from digestnlp.text.sentences import split_sentences

_PARENTHETICAL = re.compile(r"[（(][^（）()]{0,40}[）)]")
_CLAUSE_CUT = re.compile(r"(?:ました|でした|ます|です|した|ている|ていた|た|だ)が、|ものの、|けれども、|けど、")


@dataclass
class Bullet:
    """A learn bullet: its text, the source sentences it came from, and its faithfulness check."""

    text: str
    sources: list[TextSpan]
    score: float = 0.0
    support: float | None = None
    verdict: str | None = None


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


_REPORTING = re.compile(
    r"(?:ことで)?(?:と|ことを)(?:発表|明らかに|述べ|報じ|伝え|説明|強調|指摘)(?:しました|した|しています|している|ました|た)?(?=。?$)"
)


def clause_variants(text: str) -> list[tuple[str, bool]]:
    """The sentence, and for a contrast (…が、…) its tail and its head, each a complete sentence.

    The flag marks a head clause: in 「AがB」 the assertion is B, so a head is a weaker bullet.
    """
    out = [(text, False)]
    for m in _CLAUSE_CUT.finditer(text):
        head = text[: m.end() - 2] if m.group().endswith("が、") else text[: m.start()]
        tail = text[m.end() :]
        if len(tail) >= 12:
            out.append((tail, False))
        if len(head) >= 12 and not head.endswith(("ものの", "けれども", "けど")):
            out.append((head, True))
    return out


def compress(sentence: str, max_chars: int) -> list[tuple[str, bool]]:
    """Bullet-style versions of ``sentence`` within ``max_chars`` (possibly none), flagged as in
    :func:`clause_variants`."""
    text = strip_quotes(strip_fillers(_PARENTHETICAL.sub("", sentence)))
    if is_commentary(text) or len(text) < 8:
        return []
    out: list[tuple[str, bool]] = []
    for variant, is_head in clause_variants(text.rstrip("。")):
        body = _REPORTING.sub("", variant) or variant
        rewrite = to_plain(ensure_period(body))
        bullet = ensure_period(strip_quotes(rewrite.text))
        if rewrite.plain and len(bullet) <= max_chars and is_plain(bullet) and all(bullet != b for b, _ in out):
            out.append((bullet, is_head))
    return out


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


def source_text(article: Article) -> str:
    """What bullets are drawn from and checked against: the body and every card's bullets.

    A bullet taken from a card must be supported by the page text it came from; whether the card
    itself is right is the card check's question, not the summarizer's.
    """
    bullets = [b.text for card in article.cards for b in card.bullets]
    return "\n".join([article.body_text, *bullets]).strip() or article.source


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _z(x: np.ndarray) -> np.ndarray:
    std = float(x.std())
    return (x - x.mean()) / std if std > 1e-9 else np.zeros_like(x)


class Summarizer:
    """Learn bullets for a page. ``backend`` is ``"extractive"`` or a seq2seq model spec."""

    def __init__(
        self,
        backend: str = "extractive",
        *,
        max_chars: int = 80,
        check_faithfulness: bool = True,
        checker: Any = None,
        mmr_lambda: float = 0.5,
        encoder_model: str = "e5-small",
    ) -> None:
        self.backend = backend
        self.max_chars = max_chars
        self.check_faithfulness = check_faithfulness
        self._checker = checker
        self.mmr_lambda = mmr_lambda
        self.encoder_model = encoder_model
        self._seq2seq: Any = None
        if backend != "extractive":
            from digestnlp.summarize.seq2seq import Seq2SeqBackend

            self._seq2seq = Seq2SeqBackend(backend, max_chars=max_chars)

    @property
    def checker(self) -> Any:
        if self._checker is None:
            from digestnlp.check import default_checker

            self._checker = default_checker()
        return self._checker

    def summarize(self, article_or_text: Article | str, n: int = 3) -> list[Bullet]:
        article = parse_page(article_or_text) if isinstance(article_or_text, str) else article_or_text
        if n <= 0:
            return []
        if self._seq2seq is not None:
            pool = self._seq2seq.candidates(article, n)
            return self._faithful(article, [b for b in pool], n)
        ranked = self._ranked(article)
        if ranked is None:
            return []
        cands, vecs, relevance = ranked
        picks = self._select(article, cands, vecs, relevance, n)
        out = [Bullet(cands[i].text, [cands[i].source], float(relevance[i])) for i in picks]
        for i, b in zip(picks, out, strict=True):
            verdict = self._verdicts.get(i)
            if verdict is not None:
                b.support, b.verdict = verdict
        return sorted(out, key=lambda b: b.sources[0].start)

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

    def _select(
        self, article: Article, cands: list[Candidate], vecs: np.ndarray, relevance: np.ndarray, n: int
    ) -> list[int]:
        """The first ``n`` MMR picks with distinct sources that the page text supports.

        A rejected bullet is removed and MMR is rerun, so its replacement is chosen for diversity
        against the bullets actually kept, not against the rejected one.
        """
        self._verdicts: dict[int, tuple[float, str]] = {}
        excluded: set[int] = set()
        body = source_text(article)
        words = [{t.lemma for t in content_words(tokenize(c.text))} for c in cands]
        while True:
            order = self._mmr(cands, vecs, relevance, len(article.chapters), words, excluded)
            picks: list[int] = []
            sources: set[int] = set()
            for i in order:
                if cands[i].source.start not in sources:
                    picks.append(i)
                    sources.add(cands[i].source.start)
                if len(picks) == n:
                    break
            if not self.check_faithfulness:
                return picks
            todo = [i for i in order if i not in self._verdicts][: max(2 * n, 6)]
            todo = [i for i in picks if i not in self._verdicts] + [i for i in todo if i not in picks]
            if todo:
                verdicts = self.checker.judge([(body, cands[i].text) for i in todo], evidence_name="page text")
                self._verdicts.update({i: (v.score, v.verdict) for i, v in zip(todo, verdicts, strict=True)})
            rejected = {i for i in picks if self._verdicts[i][1] == "inconsistent"}
            if not rejected:
                return picks
            excluded |= rejected

    def _mmr(
        self,
        cands: list[Candidate],
        vecs: np.ndarray,
        score: np.ndarray,
        chapters: int,
        words: list[set[str]],
        excluded: set[int],
    ) -> list[int]:
        """Candidates in pick order: the best of each chapter first, then MMR."""
        chosen: list[int] = []
        for k in range(chapters):
            members = [i for i, c in enumerate(cands) if c.chapter == k and i not in excluded]
            if members:
                chosen.append(max(members, key=lambda i: score[i]))
        sims = vecs @ vecs.T
        floor = float(sims.min())
        rest = [i for i in range(len(cands)) if i not in chosen and i not in excluded]
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

    def _faithful(self, article: Article, pool: list[Bullet], n: int) -> list[Bullet]:
        """Take bullets in pick order, skipping near-duplicates and any the page text does not support."""
        picked: list[Bullet] = []
        body = source_text(article)
        seen: set[str] = set()
        used_sources: set[int] = set()
        batch = max(2 * n, 6)
        start = 0
        while len(picked) < n and start < len(pool):
            window = [
                b
                for b in pool[start : start + batch]
                if b.text not in seen and not (b.sources and b.sources[0].start in used_sources)
            ]
            start += batch
            if self.check_faithfulness and window:
                verdicts = self.checker.judge([(body, b.text) for b in window], evidence_name="page text")
                for b, v in zip(window, verdicts, strict=True):
                    b.support, b.verdict = v.score, v.verdict
            for b in window:
                if len(picked) >= n:
                    break
                if b.verdict == "inconsistent" or (b.sources and b.sources[0].start in used_sources):
                    continue
                picked.append(b)
                seen.add(b.text)
                used_sources.update(s.start for s in b.sources[:1])
        return sorted(picked, key=lambda b: b.sources[0].start if b.sources else 0)
