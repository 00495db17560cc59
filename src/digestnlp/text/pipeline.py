"""The whole text pipeline in one pass: normalise, split, analyse, find quantities."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from digestnlp.text.morph import Token, tokenize
from digestnlp.text.normalize import NormalizedText, normalize
from digestnlp.text.quantities import Quantity, extract_quantities
from digestnlp.text.sentences import Sentence, split_sentences


@dataclass(frozen=True)
class Analysis:
    """Everything the checker and summariser need from a text; every span indexes ``text``."""

    text: str
    normalized: NormalizedText
    sentences: list[Sentence]
    tokens: list[Token]
    quantities: list[Quantity]


def analyze(text: str) -> Analysis:
    tokens = tokenize(text)
    normalized = normalize(text)
    return Analysis(
        text=text,
        normalized=normalized,
        sentences=split_sentences(text),
        tokens=tokens,
        quantities=extract_quantities(text, tokens, normalized),
    )


def pipe(texts: Iterable[str]) -> Iterator[Analysis]:
    """Stream :func:`analyze` over many texts (one tagger per thread is reused)."""
    for text in texts:
        yield analyze(text)
