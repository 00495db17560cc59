"""digestnlp: audit Japanese digest articles.

The public API is re-exported here; heavy dependencies (torch, transformers) load on first use.
"""

from __future__ import annotations

from digestnlp.article import Article, Chapter, SourceCard, TextSpan, parse_article, parse_page
from digestnlp.errors import (
    DigestNLPError,
    InputError,
    ModelChecksumError,
    ModelFormatError,
    ModelNotFoundError,
    UnsafeWeightsError,
)
from digestnlp.modeling.embed import Encoder, embed
from digestnlp.modeling.loading import LoadedModel, load_model
from digestnlp.text import Quantity, Sentence, Token, extract_quantities, normalize, split_sentences, tokenize

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Chapter",
    "DigestNLPError",
    "Encoder",
    "InputError",
    "LoadedModel",
    "ModelChecksumError",
    "ModelFormatError",
    "ModelNotFoundError",
    "Quantity",
    "Sentence",
    "SourceCard",
    "TextSpan",
    "Token",
    "UnsafeWeightsError",
    "__version__",
    "embed",
    "extract_quantities",
    "load_model",
    "normalize",
    "parse_article",
    "parse_page",
    "split_sentences",
    "tokenize",
]
