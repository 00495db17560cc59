"""Learn-bullet generation: page sentences ranked by a trained head (or hand-set weights) on the
bundled encoder, or any seq2seq checkpoint."""

from __future__ import annotations

from digestnlp.summarize.base import Backend, Bullet, Checker, PipeBackend
from digestnlp.summarize.plain import is_plain, to_plain
from digestnlp.summarize.summarizer import Summarizer

__all__ = ["Backend", "Bullet", "Checker", "PipeBackend", "Summarizer", "is_plain", "to_plain"]
