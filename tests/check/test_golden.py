"""Golden card verdicts: the seed page and every page of ``../shared/data/digest-cards/pages``.

A refactor must leave every card's verdict, score (to 1e-6) and conflicts as they are; a change
that alters them on purpose (a new model, a new rule) re-records the file in the same commit and
says why: ``DIGESTNLP_RECORD_GOLDEN=1 pytest tests/check/test_golden.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from digestnlp.article import parse_page
from digestnlp.check import check_cards, default_checker
from tests.conftest import SEED, SHARED

GOLDEN = Path(__file__).parent / "golden" / "card_verdicts.json"
PAGES = SHARED / "data" / "digest-cards" / "pages"
SCORE_TOLERANCE = 1e-6


def _pages() -> dict[str, Path]:
    return {"seed": SEED} | {p.stem: p for p in sorted(PAGES.glob("*.txt"))}


def _record() -> dict[str, list[dict[str, Any]]]:
    names, cards = [], []
    for name, path in _pages().items():
        for card in parse_page(path.read_text(encoding="utf-8")).cards:
            names.append(name)
            cards.append(card)
    out: dict[str, list[dict[str, Any]]] = {}
    for name, verdict in zip(names, check_cards(cards, checker=default_checker()), strict=True):
        out.setdefault(name, []).append(
            {
                "headline": verdict.headline,
                "verdict": verdict.verdict,
                "score": verdict.score,
                "conflicts": [[c.kind, c.status, c.claim_text, c.evidence_text] for c in verdict.conflicts],
            }
        )
    return out


def test_card_verdicts_match_the_golden_file() -> None:
    assert len(_pages()) > 200, f"expected the dev pages under {PAGES}"
    now = _record()
    if os.environ.get("DIGESTNLP_RECORD_GOLDEN"):
        GOLDEN.write_text(json.dumps(now, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.skip(f"recorded {GOLDEN}")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert now.keys() == want.keys()
    for name, cards in want.items():
        got = now[name]
        assert [c["headline"] for c in got] == [c["headline"] for c in cards], name
        for g, w in zip(got, cards, strict=True):
            assert g["verdict"] == w["verdict"], (name, w["headline"])
            assert g["score"] == pytest.approx(w["score"], abs=SCORE_TOLERANCE), (name, w["headline"])
            assert g["conflicts"] == w["conflicts"], (name, w["headline"])
