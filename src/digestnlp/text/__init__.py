"""Japanese text pipeline: normalisation, sentences, morphemes, quantities, subwords."""

from __future__ import annotations

from digestnlp.text.morph import Token, content_words, proper_nouns, tokenize
from digestnlp.text.normalize import NormalizedText, normalize
from digestnlp.text.quantities import Quantity, extract_quantities, parse_number
from digestnlp.text.sentences import Sentence, split_sentences

__all__ = [
    "NormalizedText",
    "Quantity",
    "Sentence",
    "Token",
    "content_words",
    "extract_quantities",
    "normalize",
    "parse_number",
    "proper_nouns",
    "split_sentences",
    "tokenize",
]
