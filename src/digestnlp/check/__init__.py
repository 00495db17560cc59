"""Consistency checking with NLI: models, conflicts, calibration, card and article checks."""

from __future__ import annotations

from digestnlp.check.calibration import Calibrator
from digestnlp.check.cards import (
    ArticleCheck,
    BulletVerdict,
    CardVerdict,
    check_article,
    check_articles,
    check_card,
    check_cards,
    check_consistency,
    default_checker,
)
from digestnlp.check.conflicts import Conflict, find_conflicts
from digestnlp.check.consistency import ConsistencyChecker, ConsistencyResult, SentenceEvidence, Verdict
from digestnlp.check.nli import DEFAULT_NLI_MODEL, NLIModel

__all__ = [
    "DEFAULT_NLI_MODEL",
    "ArticleCheck",
    "BulletVerdict",
    "Calibrator",
    "CardVerdict",
    "Conflict",
    "ConsistencyChecker",
    "ConsistencyResult",
    "NLIModel",
    "SentenceEvidence",
    "Verdict",
    "check_article",
    "check_articles",
    "check_card",
    "check_cards",
    "check_consistency",
    "default_checker",
    "find_conflicts",
]
