"""ROUGE-1/2/L for Japanese, on fugashi morphemes or on characters.

The usual ``rouge_score`` tokenizer keeps only [a-z0-9] and so scores every Japanese summary 0;
here the units are morpheme surfaces (``unit="morpheme"``) or characters (``unit="char"``),
whitespace and punctuation dropped. Multi-sentence texts are compared as one sequence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

from digestnlp.text.morph import tokenize
from digestnlp.text.normalize import normalize

Unit = Literal["morpheme", "char"]
_PUNCT = set("、。！？!?「」『』（）()・…,.:：;；\"'")


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def units(text: str, unit: Unit) -> list[str]:
    norm = normalize(text).text
    if unit == "char":
        return [c for c in norm if not c.isspace() and c not in _PUNCT]
    return [t.surface for t in tokenize(norm) if t.pos not in ("補助記号", "空白") and t.surface.strip()]


def _prf(overlap: float, n_cand: int, n_ref: int) -> Score:
    p = overlap / n_cand if n_cand else 0.0
    r = overlap / n_ref if n_ref else 0.0
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def rouge_n(cand: list[str], ref: list[str], n: int) -> Score:
    c = Counter(tuple(cand[i : i + n]) for i in range(len(cand) - n + 1))
    r = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    return _prf(sum((c & r).values()), sum(c.values()), sum(r.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(cand: list[str], ref: list[str]) -> Score:
    return _prf(lcs_length(cand, ref), len(cand), len(ref))


def rouge(candidate: str, reference: str, unit: Unit = "morpheme") -> dict[str, Score]:
    c, r = units(candidate, unit), units(reference, unit)
    return {"rouge1": rouge_n(c, r, 1), "rouge2": rouge_n(c, r, 2), "rougeL": rouge_l(c, r)}
