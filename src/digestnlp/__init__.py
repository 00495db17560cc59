"""digestnlp: audit Japanese digest articles.

The public API is re-exported here; heavy dependencies (torch, transformers) load on first use.
"""

from __future__ import annotations

from digestnlp.article import Article, Chapter, SourceCard, TextSpan, parse_article, parse_page
from digestnlp.check import (
    CardVerdict,
    ConsistencyChecker,
    ConsistencyResult,
    NLIModel,
    check_article,
    check_card,
    check_consistency,
)
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
from digestnlp.report import AuditReport, audit
from digestnlp.summarize import Bullet, Summarizer
from digestnlp.text import Quantity, Sentence, Token, extract_quantities, normalize, split_sentences, tokenize

__version__ = "0.1.0"

__all__ = [
    "Article",
    "AuditReport",
    "Bullet",
    "CardVerdict",
    "Chapter",
    "ConsistencyChecker",
    "ConsistencyResult",
    "DigestNLPError",
    "Encoder",
    "InputError",
    "LoadedModel",
    "ModelChecksumError",
    "ModelFormatError",
    "ModelNotFoundError",
    "NLIModel",
    "Quantity",
    "Sentence",
    "SourceCard",
    "Summarizer",
    "TextSpan",
    "Token",
    "UnsafeWeightsError",
    "__version__",
    "audit",
    "check_article",
    "check_card",
    "check_consistency",
    "embed",
    "extract_quantities",
    "load_model",
    "normalize",
    "parse_article",
    "parse_page",
    "split_sentences",
    "tokenize",
]
