"""Learn-bullet generation: extractive on the bundled encoder, or any seq2seq checkpoint."""

from __future__ import annotations

from digestnlp.summarize.extractive import Bullet, Summarizer
from digestnlp.summarize.plain import is_plain, to_plain

__all__ = ["Bullet", "Summarizer", "is_plain", "to_plain"]
