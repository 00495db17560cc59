"""Explicit conflicts between a claim (a headline) and its evidence (card bullets or a body).

NLI alone misses a changed number or a flipped polarity it never saw in training, and it cannot
point at the word that is wrong. Each family of rules is one module with one ``ConflictFamily``;
``FAMILIES`` is the registry ``find_conflicts`` runs and the calibration features come from.
Adding a family: write its module, add one line here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from digestnlp.check.conflicts.base import Conflict, ConflictFamily, Context, Status, mentioned
from digestnlp.check.conflicts.identifier import Identifiers
from digestnlp.check.conflicts.name import Names
from digestnlp.check.conflicts.negation import Negation
from digestnlp.check.conflicts.polarity import Polarity
from digestnlp.check.conflicts.quantity import Quantities, dateline_years
from digestnlp.text.morph import Token, tokenize

FAMILIES: list[ConflictFamily] = [Quantities(), Identifiers(), Names(), Polarity(), Negation()]


def feature_names(families: Sequence[ConflictFamily] | None = None) -> tuple[str, ...]:
    """The calibration features of the registered families, in registry order, each once."""
    return tuple(dict.fromkeys(name for family in families or FAMILIES for name in family.feature_names()))


def conflict_features(conflicts: Sequence[Conflict], claim: str, evidence: str, context: Context) -> dict[str, float]:
    """Every registered family's features of one check."""
    out: dict[str, float] = {}
    for family in FAMILIES:
        out.update(family.features(conflicts, claim, evidence, context))
    return out


def _shadowed(c: Conflict, by: ConflictFamily, found: Sequence[Conflict]) -> bool:
    return (
        c.status != "contradicted"
        and c.kind in by.shadows
        and any(o.claim_start <= c.claim_start and c.claim_end <= o.claim_end for o in found)
    )


def find_conflicts(
    claim: str,
    evidence: str,
    claim_tokens: list[Token] | None = None,
    evidence_tokens: list[Token] | None = None,
    *,
    published: dt.date | None = None,
) -> list[Conflict]:
    """What in ``claim`` (numbers, dates, identifiers, names, polarity, negation) ``evidence``
    contradicts or lacks, family by family in registry order.

    Pass the morphemes when the caller already has them (a body checked against many bullets).
    ``published`` is the evidence's date (a card's 公開日): a claim's year the evidence never
    gives is unsupported unless it is that date's year.
    """
    context = Context(
        claim_tokens if claim_tokens is not None else tokenize(claim),
        evidence_tokens if evidence_tokens is not None else tokenize(evidence),
        published,
    )
    found = [(family, family.find(claim, evidence, context)) for family in FAMILIES]
    return [
        c
        for family, conflicts in found
        for c in conflicts
        if not any(other is not family and _shadowed(c, other, theirs) for other, theirs in found)
    ]


__all__ = [
    "FAMILIES",
    "Conflict",
    "ConflictFamily",
    "Context",
    "Status",
    "conflict_features",
    "dateline_years",
    "feature_names",
    "find_conflicts",
    "mentioned",
]
