"""Learn bullets for a page: a backend proposes, the NLI checker keeps only what the page supports.

Each proposed bullet is checked against the page text it was drawn from (body and card bullets);
an unsupported one is skipped for the next proposal.
"""

from __future__ import annotations

from digestnlp.article import Article, parse_page
from digestnlp.summarize.base import Backend, Bullet, Checker, source_text
from digestnlp.summarize.extractive import HeuristicBackend
from digestnlp.summarize.learned import LearnedBackend


class Summarizer:
    """Learn bullets for a page. ``backend`` is ``"learned"`` (the bundled trained ranking),
    ``"heuristic"`` (hand-set weights), a seq2seq model spec or any ``Backend``; ``checker`` any
    ``Checker`` (the bundled NLI checker when not given)."""

    def __init__(
        self,
        backend: str | Backend = "learned",
        *,
        max_chars: int = 80,
        check_faithfulness: bool = True,
        checker: Checker | None = None,
        mmr_lambda: float | None = None,
        encoder_model: str = "e5-small",
    ) -> None:
        self.check_faithfulness = check_faithfulness
        self._checker = checker
        self.backend: Backend
        if backend == "learned":
            self.backend = LearnedBackend(max_chars=max_chars, mmr_lambda=mmr_lambda, encoder_model=encoder_model)
        elif backend == "heuristic":
            lam = 0.5 if mmr_lambda is None else mmr_lambda
            self.backend = HeuristicBackend(max_chars=max_chars, mmr_lambda=lam, encoder_model=encoder_model)
        elif isinstance(backend, str):
            from digestnlp.summarize.seq2seq import Seq2SeqBackend

            self.backend = Seq2SeqBackend(backend, max_chars=max_chars)
        else:
            self.backend = backend

    @property
    def checker(self) -> Checker:
        if self._checker is None:
            from digestnlp.check import default_checker

            self._checker = default_checker()
        return self._checker

    def summarize(self, article_or_text: Article | str, n: int = 3) -> list[Bullet]:
        article = parse_page(article_or_text) if isinstance(article_or_text, str) else article_or_text
        if n <= 0:
            return []
        return self._faithful(article, self.backend.candidates(article, n), n)

    def _faithful(self, article: Article, pool: list[Bullet], n: int) -> list[Bullet]:
        """Take bullets in pick order, skipping near-duplicates; with the check on, keep those the
        page text supports ("consistent"), filling up with "uncertain" ones only when the pool runs
        out, never an "inconsistent" one. Only as many as are still needed are judged at a time."""
        picked: list[Bullet] = []
        reserve: list[Bullet] = []
        body = source_text(article)
        texts: set[str] = set()
        sources: set[int] = set()
        start = 0
        while len(picked) < n and start < len(pool):
            window: list[Bullet] = []
            while start < len(pool) and len(window) < n - len(picked):
                b = pool[start]
                start += 1
                source = b.sources[0].start if b.sources else None
                if b.text not in texts and source not in sources:
                    window.append(b)
                    texts.add(b.text)
                    if source is not None:
                        sources.add(source)
            if self.check_faithfulness and window:
                verdicts = self.checker.judge([(body, b.text) for b in window], evidence_name="page text")
                for b, v in zip(window, verdicts, strict=True):
                    b.support, b.verdict = v.score, v.verdict
            picked += [b for b in window if not self.check_faithfulness or b.verdict == "consistent"]
            reserve += [b for b in window if self.check_faithfulness and b.verdict == "uncertain"]
        picked += reserve[: n - len(picked)]
        return sorted(picked, key=lambda b: b.sources[0].start if b.sources else 0)
