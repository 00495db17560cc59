"""Learn bullets for a page: a backend proposes, the NLI checker keeps only what the page supports.

Each proposed bullet is checked against the page text it was drawn from (body and card bullets);
an unsupported one is skipped for the next proposal.
"""

from __future__ import annotations

from digestnlp.article import Article, parse_page
from digestnlp.summarize.base import Backend, Bullet, Checker, source_text
from digestnlp.summarize.extractive import ExtractiveBackend


class Summarizer:
    """Learn bullets for a page. ``backend`` is ``"extractive"``, a seq2seq model spec or any
    ``Backend``; ``checker`` any ``Checker`` (the bundled NLI checker when not given)."""

    def __init__(
        self,
        backend: str | Backend = "extractive",
        *,
        max_chars: int = 80,
        check_faithfulness: bool = True,
        checker: Checker | None = None,
        mmr_lambda: float = 0.5,
        encoder_model: str = "e5-small",
    ) -> None:
        self.check_faithfulness = check_faithfulness
        self._checker = checker
        self.backend: Backend
        if backend == "extractive":
            self.backend = ExtractiveBackend(max_chars=max_chars, mmr_lambda=mmr_lambda, encoder_model=encoder_model)
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
