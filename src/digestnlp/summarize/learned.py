"""The learned extractive backend: a small head trained on written learn bullets ranks candidates.

Written learn bullets restate the sentences a reader needs; the head learned which candidates a
writer's bullets draw on (target: a candidate's character ROUGE-L against the closest written
bullet), from the candidate's e5 embedding and where it sits in the page. Two heads: one for
digest pages (trained on pages and on bare bodies, so a strong lead is used when a page has
nothing else to go on) and one for plain news text (trained on bare bodies alone, with candidates
long enough to take a news lead). Training: ``digestnlp.training.summarizer``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digestnlp.article import Article
from digestnlp.errors import ModelFormatError, ModelNotFoundError
from digestnlp.summarize.base import DEFAULT_MAX_CHARS
from digestnlp.summarize.extractive import Candidate, RankedBackend, Signals, zscore

DEFAULT_SUMMARIZER_MODEL = "summarizer-e5-small-ja"
PLAIN_SUMMARIZER_MODEL = "summarizer-plain-e5-small-ja"
# Scalar features after the embedding, in the order the head reads them.
SCALAR_FEATURES = (
    "centrality",
    "centrality_z",
    "title",
    "title_z",
    "has_title",
    "focus",
    "in_chapter",
    "first_in_section",
    "position",
    "from_end",
    "document_position",
    "length",
    "from_card",
    "head_clause",
    "sentences",
    "has_number",
)


def features(cands: Sequence[Candidate], sig: Signals) -> np.ndarray:
    """One row per candidate: its embedding, then ``SCALAR_FEATURES``."""
    n = len(cands)
    scalars = np.column_stack(
        [
            sig.centrality,
            zscore(sig.centrality),
            sig.title,
            zscore(sig.title) if sig.has_title else np.zeros(n),
            np.full(n, float(sig.has_title)),
            sig.focus,
            sig.in_chapter.astype(float),
            [float(c.position == 0) for c in cands],
            [1.0 / (1.0 + c.position) for c in cands],
            [1.0 / (1.0 + c.from_end) for c in cands],
            [c.order / max(1, n - 1) for c in cands],
            [len(c.text) / 100 for c in cands],
            [float(c.from_card) for c in cands],
            [float(c.head_clause) for c in cands],
            np.full(n, np.log1p(len({c.source.start for c in cands}))),
            [float(any(ch.isdigit() for ch in c.text)) for c in cands],
        ]
    )
    return np.hstack([sig.vecs, scalars]).astype(np.float32)


@dataclass(frozen=True)
class RankingHead:
    """A one-hidden-layer MLP over ``features`` rows (weights from safetensors, run in numpy)."""

    mean: np.ndarray
    scale: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    config: dict[str, object]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        h = ((x - self.mean) / self.scale) @ self.w1.T + self.b1
        h = 0.5 * h * (1.0 + np.tanh(0.7978845608 * (h + 0.044715 * h**3)))  # GELU (tanh form)
        out: np.ndarray = (h @ self.w2.T + self.b2)[:, 0]
        return out

    @classmethod
    def from_disk(cls, folder: str | Path) -> RankingHead:
        from safetensors.numpy import load_file

        path = Path(folder)
        if not (path / "model.safetensors").is_file() or not (path / "config.json").is_file():
            raise ModelNotFoundError(
                f"{path} is not a summarizer head (needs model.safetensors and config.json); "
                "train one with `digestnlp train-summarizer --out DIR`"
            )
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        t = load_file(str(path / "model.safetensors"))
        want = ("mean", "scale", "w1", "b1", "w2", "b2")
        if any(k not in t for k in want) or tuple(config.get("scalar_features", ())) != SCALAR_FEATURES:
            raise ModelFormatError(
                f"{path}: the head was saved for other features than this version computes; retrain it"
            )
        return cls(**{k: t[k].astype(np.float32) for k in want}, config=config)


def bundled_head_folder(name: str = DEFAULT_SUMMARIZER_MODEL) -> Path:
    from digestnlp.modeling.loading import bundled_models_dir

    return bundled_models_dir() / name


def is_plain_text(article: Article) -> bool:
    """Plain news text: no chapters and no source cards (a body from stdin, a news page's HTML)."""
    return not article.chapters and not article.cards


@dataclass(frozen=True)
class _Ranking:
    """A head with the candidate length and MMR weight it is used with."""

    head: RankingHead
    max_chars: int
    mmr_lambda: float

    @classmethod
    def load(cls, folder: Path, max_chars: int | None, mmr_lambda: float | None) -> _Ranking:
        head = RankingHead.from_disk(folder)
        trained = head.config.get("train_config")
        length = trained.get("max_chars") if isinstance(trained, dict) else None
        chosen = head.config.get("mmr_lambda")
        return cls(
            head,
            max_chars if max_chars is not None else length if isinstance(length, int) else DEFAULT_MAX_CHARS,
            mmr_lambda if mmr_lambda is not None else float(chosen) if isinstance(chosen, int | float) else 0.5,
        )


class LearnedBackend(RankedBackend):
    """Candidates ranked by a trained head: ``model`` for digest pages, ``plain_model`` for plain
    news text (``is_plain_text``). By default the two bundled heads; a ``model`` given without a
    ``plain_model`` ranks every input.

    News text is not a digest page: its lead carries the story in long sentences that a page's
    80-character candidates cannot take, so the plain-text head was trained on bare bodies with
    longer candidates. ``max_chars`` and ``mmr_lambda`` default to what each head was trained and
    chosen with; given, they apply to both.
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        plain_model: str | Path | None = None,
        max_chars: int | None = None,
        mmr_lambda: float | None = None,
        encoder_model: str = "e5-small",
    ) -> None:
        page = _Ranking.load(Path(model) if model is not None else bundled_head_folder(), max_chars, mmr_lambda)
        if plain_model is None and model is None:
            plain_model = bundled_head_folder(PLAIN_SUMMARIZER_MODEL)
        self.page = page
        self.plain = page if plain_model is None else _Ranking.load(Path(plain_model), max_chars, mmr_lambda)
        super().__init__(max_chars=page.max_chars, mmr_lambda=page.mmr_lambda, encoder_model=encoder_model)

    def _ranking(self, article: Article) -> _Ranking:
        return self.plain if is_plain_text(article) else self.page

    def settings(self, article: Article) -> tuple[int, float]:
        ranking = self._ranking(article)
        return ranking.max_chars, ranking.mmr_lambda

    def relevance(self, article: Article, cands: Sequence[Candidate], sig: Signals) -> np.ndarray:
        return self._ranking(article).head(features(cands, sig))
