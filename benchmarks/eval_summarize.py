"""ROUGE of the learn-bullet summarizer against LEAD-3, LexRank and the heuristic backend, in one run.

Sets (evaluation only, never trained or tuned on):
- dev summ pages: ``digest-cards/summ`` (260 test-split articles as body-only digest pages with one
  source card); reference: the three written learn bullets of ``summ_refs.jsonl``.
- the same articles as plain text: their ``body`` from ``digest-cards/cards.jsonl``, no title, no
  chapters, no card (what a user pipes in from stdin); same references.
- the seed page; reference: its own 💡 bullets (which the summarizer never reads).
ROUGE F1 on characters and on fugashi morphemes; plain-form rate and the checker's verdicts on the
default summarizer's bullets. Writes eval_summarize.json.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from common import SHARED, print_table, write_result
from digestnlp.article import Article, parse_page
from digestnlp.summarize import Bullet, Summarizer, is_plain
from digestnlp.summarize.rouge import rouge
from digestnlp.text.sentences import split_sentences

DEV = SHARED / "data" / "digest-cards"


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


def dev_sets(limit: int) -> dict[str, list[tuple[str, Article, str]]]:
    refs = [json.loads(line) for line in (DEV / "summ_refs.jsonl").read_text(encoding="utf-8").splitlines()][:limit]
    bodies = {
        int(r["id"]): str(r["body"])
        for r in map(json.loads, (DEV / "cards.jsonl").read_text(encoding="utf-8").splitlines())
    }
    pages, plain = [], []
    for r in refs:
        name = str(r["file"])
        ref = "\n".join(r["learn"])
        pages.append((name, parse_page((DEV / "summ" / name).read_text(encoding="utf-8")), ref))
        plain.append((name, parse_page(bodies[int(Path(name).stem[1:])]), ref))
    return {"dev summ pages": pages, "dev bodies as plain text": plain}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=260, help="dev articles to use")
    ap.add_argument("--n", type=int, default=3)
    ap.add_argument("--no-check", action="store_true", help="skip the NLI faithfulness filter")
    args = ap.parse_args()
    seed = parse_page((SHARED / "seeds" / "digest_ukraine_ceasefire.txt").read_text(encoding="utf-8"))
    sets = dev_sets(args.limit)
    sets["seed (ref: its 💡 bullets)"] = [("seed", seed, "\n".join(b.text for b in seed.learn_bullets))]
    learned = Summarizer(check_faithfulness=not args.no_check)
    heuristic = Summarizer(
        "heuristic", checker=learned.checker if not args.no_check else None, check_faithfulness=not args.no_check
    )
    bullets: dict[tuple[str, str], list[Bullet]] = {}

    def run(s: Summarizer, key: str) -> Callable[[str, Article], list[str]]:
        def fn(name: str, a: Article) -> list[str]:
            bullets[key, name] = s.summarize(a, n=args.n)
            return [b.text for b in bullets[key, name]]

        return fn

    systems: dict[str, Callable[[str, Article], list[str]]] = {
        "digestnlp (learned, default)": run(learned, "learned"),
        "digestnlp heuristic": run(heuristic, "heuristic"),
        f"LEAD-{args.n}": lambda _, a: lead(a, args.n),
        f"LexRank-{args.n}": lambda _, a: lexrank(a, args.n),
    }
    rows = []
    for set_name, items in sets.items():
        for sys_name, fn in systems.items():
            scores: dict[str, list[float]] = {}
            start = time.perf_counter()
            for name, article, ref in items:
                summary = fn(f"{set_name}/{name}", article)
                for unit in ("char", "morpheme"):
                    for metric, s in rouge("\n".join(summary), ref, unit).items():  # type: ignore[arg-type]
                        scores.setdefault(f"{metric}/{unit[:4]}", []).append(s.f1)
            row = {"set": set_name, "system": sys_name, "articles": len(items)}
            row |= {k: float(np.mean(v)) for k, v in scores.items()}
            row["seconds"] = time.perf_counter() - start
            rows.append(row)
            print_table(rows[-1:])
    print_table(rows)
    default = [b for (key, _), bs in bullets.items() if key == "learned" for b in bs]
    verdicts = Counter(b.verdict for b in default)
    seed_bullets = [b.text for b in bullets["learned", "seed (ref: its 💡 bullets)/seed"]]
    print(f"plain-form bullets: {sum(is_plain(b.text) for b in default)}/{len(default)}; verdicts {dict(verdicts)}")
    print("seed bullets:", *seed_bullets, sep="\n  ")
    path = write_result(
        "eval_summarize",
        {
            "n": args.n,
            "articles": args.limit,
            "faithfulness_check": not args.no_check,
            "rows": rows,
            "default_bullets": len(default),
            "plain_form_rate": sum(is_plain(b.text) for b in default) / max(1, len(default)),
            "verdicts": dict(verdicts),
            "empty_summaries": sum(1 for (key, _), bs in bullets.items() if key == "learned" and not bs),
            "seed_bullets": seed_bullets,
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
