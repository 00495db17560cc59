"""ROUGE of the learn-bullet summarizer against LEAD-3 and LexRank, in one run.

Sets: the seed page (reference: its own 💡 bullets, which the summarizer never reads) and digest
pages built from held-out Wikinews test articles (reference: the headline, one line — a proxy for
learn bullets, not the real thing). The Wikinews pages have no title, so the reference never leaks
into the input. ROUGE F1 on fugashi morphemes and on characters. Writes eval_summarize.json.
"""

from __future__ import annotations

import argparse
import math
from collections import Counter

import numpy as np

from common import SHARED, print_table, write_result
from digestnlp.article import Article, parse_article
from digestnlp.summarize import Summarizer, is_plain
from digestnlp.summarize.rouge import rouge
from digestnlp.text.sentences import split_sentences
from digestnlp.training.news import load_wikinews, split_articles


def body_sentences(article: Article) -> list[str]:
    return [s.text for p in article.body for s in split_sentences(p.text)]


def lead(article: Article, n: int) -> list[str]:
    return body_sentences(article)[:n]


def lexrank(article: Article, n: int, threshold: float = 0.1) -> list[str]:
    """LexRank over TF-IDF character-bigram vectors (Erkan & Radev 2004), picks kept in document order."""
    sents = body_sentences(article)
    if len(sents) <= n:
        return sents
    grams = [Counter(s[i : i + 2] for i in range(len(s) - 1)) for s in sents]
    df = Counter(g for c in grams for g in c)
    vocab = {g: i for i, g in enumerate(df)}
    m = np.zeros((len(sents), len(vocab)))
    for r, c in enumerate(grams):
        for g, tf in c.items():
            m[r, vocab[g]] = tf * math.log(len(sents) / df[g] + 1)
    m /= np.linalg.norm(m, axis=1, keepdims=True) + 1e-12
    adj = (m @ m.T > threshold).astype(float)
    np.fill_diagonal(adj, 1.0)
    adj /= adj.sum(axis=1, keepdims=True)
    p = np.full(len(sents), 1 / len(sents))
    for _ in range(100):
        p = 0.15 / len(sents) + 0.85 * adj.T @ p
    top = sorted(np.argsort(-p)[:n])
    return [sents[i] for i in top]


def wikinews_pages(limit: int) -> list[tuple[str, str]]:
    """(page text, headline) for held-out articles: paragraphs of three sentences, no title line."""
    out = []
    for art in split_articles(load_wikinews()).test[:limit]:
        sents = [s.text for s in split_sentences(art.article)]
        paras = ["".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
        out.append(("\n\n".join(paras), art.headline))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=150)
    ap.add_argument("--n", type=int, default=3)
    ap.add_argument("--no-check", action="store_true", help="skip the NLI faithfulness filter")
    args = ap.parse_args()
    seed = (SHARED / "seeds" / "digest_ukraine_ceasefire.txt").read_text(encoding="utf-8")
    seed_article = parse_article(seed)
    sets = {
        "seed (ref: its 💡 bullets)": [(seed_article, "\n".join(b.text for b in seed_article.learn_bullets))],
        "wikinews test (ref: headline, proxy)": [(parse_article(t), h) for t, h in wikinews_pages(args.articles)],
    }
    summarizer = Summarizer(check_faithfulness=not args.no_check)
    systems = {
        "digestnlp": lambda a: [b.text for b in summarizer.summarize(a, n=args.n)],
        f"LEAD-{args.n}": lambda a: lead(a, args.n),
        f"LexRank-{args.n}": lambda a: lexrank(a, args.n),
    }
    rows = []
    plain = []
    seed_bullets: list[str] = []
    for set_name, items in sets.items():
        for sys_name, fn in systems.items():
            scores: dict[str, list[float]] = {}
            for article, ref in items:
                summary = fn(article)
                if sys_name == "digestnlp":
                    plain += [is_plain(b) for b in summary]
                    if set_name.startswith("seed"):
                        seed_bullets = summary
                for unit in ("morpheme", "char"):
                    for metric, s in rouge("\n".join(summary), ref, unit).items():  # type: ignore[arg-type]
                        scores.setdefault(f"{metric}/{unit[:4]}", []).append(s.f1)
            rows.append({"set": set_name, "system": sys_name, **{k: float(np.mean(v)) for k, v in scores.items()}})
    print_table(rows)
    print(f"plain-form bullets: {sum(plain)}/{len(plain)}")
    print("seed bullets:", *seed_bullets, sep="\n  ")
    path = write_result(
        "eval_summarize",
        {
            "n": args.n,
            "articles": args.articles,
            "faithfulness_check": not args.no_check,
            "rows": rows,
            "plain_form_rate": sum(plain) / max(1, len(plain)),
            "seed_bullets": seed_bullets,
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
