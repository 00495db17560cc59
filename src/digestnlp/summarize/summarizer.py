"""Learn bullets for a page: a backend proposes, the NLI checker keeps only what the page supports.

Each proposed bullet is checked against the page text it was drawn from (body and card bullets);
an unsupported one is skipped for the next proposal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from digestnlp.article import Article, parse_page
from digestnlp.summarize.base import DEFAULT_MAX_CHARS, Backend, Bullet, Checker, PipeBackend, source_text
from digestnlp.summarize.extractive import HeuristicBackend
from digestnlp.summarize.learned import LearnedBackend


class Summarizer:
    """Learn bullets for a page. ``backend`` is ``"learned"`` (the bundled trained ranking),
    ``"heuristic"`` (hand-set weights), a seq2seq model spec or any ``Backend``; ``checker`` any
    ``Checker`` (the bundled NLI checker when not given). ``max_chars`` (longest bullet) and
    ``mmr_lambda`` default to the backend's own: for the learned one, what each of its heads (digest
    pages, plain news text) was trained with."""

    def __init__(
        self,
        backend: str | Backend = "learned",
        *,
        max_chars: int | None = None,
        check_faithfulness: bool = True,
        checker: Checker | None = None,
        mmr_lambda: float | None = None,
        encoder_model: str = "e5-small",
    ) -> None:
        self.check_faithfulness = check_faithfulness
        self._checker = checker
        self.backend: Backend
        # Only the learned backend has a length of its own (its head's); the others use the default.
        longest = DEFAULT_MAX_CHARS if max_chars is None else max_chars
        if backend == "learned":
            self.backend = LearnedBackend(max_chars=max_chars, mmr_lambda=mmr_lambda, encoder_model=encoder_model)
        elif backend == "heuristic":
            lam = 0.5 if mmr_lambda is None else mmr_lambda
            self.backend = HeuristicBackend(max_chars=longest, mmr_lambda=lam, encoder_model=encoder_model)
        elif isinstance(backend, str):
            from digestnlp.summarize.seq2seq import Seq2SeqBackend

            self.backend = Seq2SeqBackend(backend, max_chars=longest)
        else:
            self.backend = backend

    @property
    def checker(self) -> Checker:
        if self._checker is None:
            from digestnlp.check import default_checker

            self._checker = default_checker()
        return self._checker

    def summarize(self, article_or_text: Article | str, n: int = 3) -> list[Bullet]:
        return self.pipe([article_or_text], n)[0]

    def pipe(self, articles: Iterable[Article | str], n: int = 3) -> list[list[Bullet]]:
        """Bullets for many pages; their checks share one NLI call per round, so model batches fill
        up across pages (an audit group summarises this way)."""
        pages = [parse_page(a) if isinstance(a, str) else a for a in articles]
        if n <= 0:
            return [[] for _ in pages]
        backend = self.backend
        proposed = (
            backend.pipe(pages, n) if isinstance(backend, PipeBackend) else [backend.candidates(a, n) for a in pages]
        )
        picks = [_Selection(bullets, n, source_text(a)) for a, bullets in zip(pages, proposed, strict=True)]
        while active := [p for p in picks if not p.done]:
            windows = [p.next_window() for p in active]
            if self.check_faithfulness and any(windows):
                claims = [(p.evidence, b.text) for p, w in zip(active, windows, strict=True) for b in w]
                verdicts = iter(self.checker.judge(claims, evidence="text", evidence_name="page text"))
                for b in (b for w in windows for b in w):
                    v = next(verdicts)
                    b.support, b.verdict = v.score, v.verdict
            for p, w in zip(active, windows, strict=True):
                p.take(w, checked=self.check_faithfulness)
        return [p.result() for p in picks]


@dataclass
class _Selection:
    """One page's bullets being picked in order, skipping near-duplicates; with the check on, those
    the page text supports ("consistent") are kept, "uncertain" ones only fill up when the pool runs
    out, an "inconsistent" one never. Only as many as are still needed are judged per round."""

    pool: list[Bullet]
    n: int
    evidence: str
    picked: list[Bullet] = field(default_factory=list)
    reserve: list[Bullet] = field(default_factory=list)
    texts: set[str] = field(default_factory=set)
    sources: set[int] = field(default_factory=set)
    start: int = 0

    @property
    def done(self) -> bool:
        return len(self.picked) >= self.n or self.start >= len(self.pool)

    def next_window(self) -> list[Bullet]:
        window: list[Bullet] = []
        while self.start < len(self.pool) and len(window) < self.n - len(self.picked):
            b = self.pool[self.start]
            self.start += 1
            source = b.sources[0].start if b.sources else None
            if b.text not in self.texts and source not in self.sources:
                window.append(b)
                self.texts.add(b.text)
                if source is not None:
                    self.sources.add(source)
        return window

    def take(self, window: list[Bullet], *, checked: bool) -> None:
        self.picked += [b for b in window if not checked or b.verdict == "consistent"]
        self.reserve += [b for b in window if checked and b.verdict == "uncertain"]

    def result(self) -> list[Bullet]:
        out = self.picked + self.reserve[: self.n - len(self.picked)]
        return sorted(out, key=lambda b: b.sources[0].start if b.sources else 0)
