"""Train the learned summarizer's ranking head on the written learn bullets of ``digest-cards-train``.

Each article is shown twice: as a digest page (title, a chapter with its question, a source card
that may be wrong or about another story, sometimes a second chapter about another story, the
body in paragraphs) and as the bare body, so the head sees both what a page offers and what plain
news text offers; a head for plain text alone learns from the bare bodies only (``views``). A
candidate's target is its character ROUGE-L F1 against the closest written bullet; the loss is
ListNet (a softmax over a page's candidates against the softmax of the targets), so the head
learns which candidate of a page to prefer, not absolute scores.
Model choice uses the calibration articles, never the test-split digest pages.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from digestnlp.article import Article, parse_page
from digestnlp.article.writer import CardSpec, ChapterSpec, PageSpec, render_page
from digestnlp.summarize.base import DEFAULT_MAX_CHARS
from digestnlp.summarize.extractive import candidates, content_lemmas, pick_order, rank_scores, signals
from digestnlp.summarize.learned import SCALAR_FEATURES, RankingHead, features
from digestnlp.summarize.rouge import lcs_length, rouge, units
from digestnlp.training.data import WrittenArticle
from digestnlp.training.pages import paragraphs
from digestnlp.training.train import stderr_log

# The two views of an article a head can learn from: a digest page, and its bare body (plain news text).
VIEWS = ("page", "plain")
_QUESTIONS = ("何が起きたのですか?", "どんな出来事ですか?", "詳しく教えてください。", "何が分かっているのですか?")


@dataclass
class SummarizerTrainConfig:
    hidden: int = 16
    epochs: int = 10
    learning_rate: float = 1e-3
    weight_decay: float = 1e-2
    dropout: float = 0.5
    temperature: float = 0.05
    mmr_lambda: float = 0.7
    max_chars: int = DEFAULT_MAX_CHARS
    encoder_model: str = "e5-small"
    seed: int = 13
    # Which views of each article the head learns from: a head for digest pages sees both, a head
    # for plain news text only bare bodies.
    views: tuple[str, ...] = VIEWS
    # Share of bare bodies given their headline as a title (plain text often has one: HTML, Markdown).
    plain_titles: float = 0.0

    def __post_init__(self) -> None:
        # An unknown view would leave no examples to train on and fail far from its cause.
        if unknown := set(self.views) - set(VIEWS):
            raise ValueError(f"views are page or plain, not {', '.join(sorted(unknown))}")


@dataclass
class PageExample:
    """One page's candidates: their features, targets, texts and what selection needs."""

    article: Article
    references: tuple[str, ...]
    x: np.ndarray
    y: np.ndarray
    texts: list[str]
    sources: list[int]
    chapters: list[int]
    words: list[set[str]]
    kind: str = "page"

    @property
    def vecs(self) -> np.ndarray:
        """The candidates' embeddings: the first columns of ``x``."""
        return self.x[:, : self.x.shape[1] - len(SCALAR_FEATURES)]


def page_texts(a: WrittenArticle, other: WrittenArticle, rng: random.Random) -> list[str]:
    """The article as a digest page and as its bare body (paragraphs of one to three sentences).

    Real pages carry wrong cards and cards and chapters about something else, so the page's card
    is the faithful one, an error card or ``other``'s card, and some pages have a second chapter
    about ``other``: a sentence must not look good just for being on a card or in the page.
    """
    paras = paragraphs(a.body, rng)
    draw = rng.random()
    errors = [c for c in a.cards if c.kind != "match"]
    if draw < 0.5 or not errors:
        headline, card_pick = a.headline, a.match
    elif draw < 0.75:
        headline, card_pick = a.headline, rng.choice(errors)
    else:
        headline, card_pick = other.headline, other.match
    card = CardSpec(headline, card_pick.bullets, f"https://ja.wikinews.org/?curid={a.id}", a.published)
    chapters = [ChapterSpec(a.headline, rng.choice(_QUESTIONS), "概要", paras, (card,))]
    if rng.random() < 0.3:
        aside = CardSpec(other.headline, other.match.bullets, f"https://ja.wikinews.org/?curid={other.id}")
        chapters.append(
            ChapterSpec(other.headline, rng.choice(_QUESTIONS), "関連", paragraphs(other.body, rng)[:2], (aside,))
        )
    return [render_page(PageSpec(a.headline, chapters=chapters)), "\n\n".join(paras)]


def candidate_targets(texts: Sequence[str], references: Sequence[str]) -> np.ndarray:
    """Each candidate's character ROUGE-L F1 against its closest reference bullet."""
    refs = [units(r, "char") for r in references]
    out = np.zeros(len(texts), dtype=np.float32)
    for i, t in enumerate(texts):
        c = units(t, "char")
        for r in refs:
            lcs = lcs_length(c, r)
            if lcs:
                p, q = lcs / len(c), lcs / len(r)
                out[i] = max(out[i], 2 * p * q / (p + q))
    return out


def build_examples(
    articles: Sequence[WrittenArticle], cfg: SummarizerTrainConfig, progress: Callable[[int], None] | None = None
) -> list[PageExample]:
    rng = random.Random(cfg.seed)
    out = []
    for k, a in enumerate(articles):
        other = articles[(k + 1 + rng.randrange(max(1, len(articles) - 1))) % len(articles)]
        for kind, text in zip(VIEWS, page_texts(a, other, rng), strict=True):
            if kind not in cfg.views:
                continue
            if kind == "plain" and cfg.plain_titles and rng.random() < cfg.plain_titles:
                text = f"{a.headline}\n\n{text}"
            article = parse_page(text)
            cands = candidates(article, cfg.max_chars)
            if len(cands) < 2:
                continue
            (sig,) = signals([(article, cands)], cfg.encoder_model)
            out.append(
                PageExample(
                    article,
                    a.learn,
                    features(cands, sig),
                    candidate_targets([c.text for c in cands], a.learn),
                    [c.text for c in cands],
                    [c.source.start for c in cands],
                    [c.chapter for c in cands],
                    [content_lemmas(c.text) for c in cands],
                    kind,
                )
            )
        if progress:
            progress(k + 1)
    return out


def select(ex: PageExample, score: np.ndarray, n: int, mmr_lambda: float) -> list[str]:
    """The first ``n`` picks as the backend orders them, in document order (no NLI check)."""
    order = pick_order(
        ex.chapters, ex.sources, ex.vecs, rank_scores(score), len(ex.article.chapters), ex.words, mmr_lambda
    )
    return [ex.texts[i] for i in sorted(order[:n], key=lambda i: ex.sources[i])]


def rouge_l_char(examples: Sequence[PageExample], scores: Sequence[np.ndarray], mmr_lambda: float, n: int = 3) -> float:
    vals = [
        rouge("\n".join(select(ex, s, n, mmr_lambda)), "\n".join(ex.references), "char")["rougeL"].f1
        for ex, s in zip(examples, scores, strict=True)
    ]
    return float(np.mean(vals)) if vals else 0.0


def train_head(
    train: Sequence[PageExample], cfg: SummarizerTrainConfig, log: Callable[[str], None] | None = None
) -> dict[str, np.ndarray]:
    """Fit the head with ListNet; returns the weights ``RankingHead`` reads."""
    import torch

    torch.manual_seed(cfg.seed)
    allx = np.concatenate([ex.x for ex in train])
    mean = allx.mean(axis=0)
    scale = allx.std(axis=0) + 1e-6
    xs = [torch.from_numpy((ex.x - mean) / scale) for ex in train]
    ys = [torch.softmax(torch.from_numpy(ex.y) / cfg.temperature, 0) for ex in train]
    hidden, output = torch.nn.Linear(allx.shape[1], cfg.hidden), torch.nn.Linear(cfg.hidden, 1)
    net = torch.nn.Sequential(
        torch.nn.Dropout(cfg.dropout),
        hidden,
        torch.nn.GELU(approximate="tanh"),
        torch.nn.Dropout(cfg.dropout),
        output,
    )
    opt = torch.optim.AdamW(net.parameters(), lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    order = list(range(len(train)))
    rng = random.Random(cfg.seed)
    for epoch in range(cfg.epochs):
        rng.shuffle(order)
        net.train()
        total = 0.0
        for i in order:
            logp = torch.log_softmax(net(xs[i])[:, 0], 0)
            loss = -(ys[i] * logp).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach())
        if log:
            log(f"epoch {epoch + 1}/{cfg.epochs} loss {total / max(1, len(order)):.4f}")
    net.eval()
    return {
        "mean": mean.astype(np.float32),
        "scale": scale.astype(np.float32),
        "w1": hidden.weight.detach().numpy().copy(),
        "b1": hidden.bias.detach().numpy().copy(),
        "w2": output.weight.detach().numpy().copy(),
        "b2": output.bias.detach().numpy().copy(),
    }


def save_head(
    weights: dict[str, np.ndarray], out_dir: str | Path, cfg: SummarizerTrainConfig, meta: dict[str, object]
) -> Path:
    from safetensors.numpy import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    save_file(weights, str(out / "model.safetensors"), metadata={"format": "np"})
    config = {
        "kind": "summarizer-head",
        "encoder": cfg.encoder_model,
        "scalar_features": list(SCALAR_FEATURES),
        "mmr_lambda": cfg.mmr_lambda,
        "train_config": asdict(cfg),
        **meta,
    }
    (out / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def lead_scores(ex: PageExample) -> np.ndarray:
    """Scores that make selection pick the first body sentences (LEAD), for comparison."""
    from_card = ex.x[:, -len(SCALAR_FEATURES) + SCALAR_FEATURES.index("from_card")] > 0
    return np.where(from_card, -1e9, -np.array(ex.sources, dtype=np.float64))


def calibration_report(
    train: Sequence[PageExample], calibration: Sequence[PageExample], cfg: SummarizerTrainConfig
) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Train on ``train``; character ROUGE-L of three picked candidates (no NLI check) on the
    calibration pages and bare bodies, for the head and for the lead."""
    weights = train_head(train, cfg, stderr_log)
    head = RankingHead(**weights, config={})
    metrics: dict[str, float] = {}
    for kind in cfg.views:
        subset = [ex for ex in calibration if ex.kind == kind]
        metrics[f"learned/{kind}"] = rouge_l_char(subset, [head(ex.x) for ex in subset], cfg.mmr_lambda)
        metrics[f"lead/{kind}"] = rouge_l_char(subset, [lead_scores(ex) for ex in subset], cfg.mmr_lambda)
    return weights, metrics
