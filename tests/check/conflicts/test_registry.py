from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from digestnlp.check import conflicts
from digestnlp.check.calibration import Calibrator
from digestnlp.check.conflicts import (
    FAMILIES,
    Conflict,
    ConflictFamily,
    Context,
    Status,
    feature_names,
    find_conflicts,
)
from digestnlp.check.consistency import ConsistencyChecker


class Weekdays(ConflictFamily):
    """A toy family: a weekday in the claim that the evidence names differently."""

    statuses: ClassVar[tuple[tuple[str, Status], ...]] = (("weekday", "contradicted"),)
    DAYS = "月火水木金土日"

    def find(self, claim: str, evidence: str, context: Context) -> list[Conflict]:
        out = []
        for i, ch in enumerate(claim[:-2]):
            if ch in self.DAYS and claim[i + 1 : i + 3] == "曜日" and ch + "曜日" not in evidence:
                other = next((d + "曜日" for d in self.DAYS if d + "曜日" in evidence), None)
                if other:
                    template = "the claim's {claim} is {evidence} in {the_evidence}"
                    out.append(Conflict("weekday", "contradicted", ch + "曜日", i, i + 3, other, template))
        return out


@pytest.fixture
def with_weekdays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conflicts, "FAMILIES", [*FAMILIES, Weekdays()])


def test_every_registered_status_is_a_feature() -> None:
    names = feature_names()
    for family in FAMILIES:
        for kind, status in family.statuses:
            assert f"{kind}_{status}" in names
    assert len(names) == len(set(names))


@pytest.mark.usefixtures("with_weekdays")
def test_a_new_family_is_one_module_and_one_registry_line(tiny_nli_dir: Path) -> None:
    claim, evidence = "会談は火曜日に", "両首脳は水曜日に会談した。"
    found = find_conflicts(claim, evidence)
    assert [(c.kind, c.status, c.claim_text, c.evidence_text) for c in found] == [
        ("weekday", "contradicted", "火曜日", "水曜日")
    ]
    assert "weekday_contradicted" in conflicts.feature_names()
    names = ("support", "weekday_contradicted")
    calibration = Calibrator([0.0, 0.0], [1.0, 1.0], [1.0, -3.0], 0.0, 0.7, 0.3, features=names)
    checker = ConsistencyChecker(str(tiny_nli_dir), calibration=calibration)
    (verdict,) = checker.judge([(evidence, claim)])
    assert verdict.features["weekday_contradicted"] == 1.0
    want = 1 / (1 + np.exp(-(verdict.features["support"] - 3.0)))
    assert verdict.score == pytest.approx(want)
    assert "The claim's 火曜日 is 水曜日 in the evidence." in verdict.explanation


def test_describe_names_the_evidence() -> None:
    (c,) = find_conflicts("利回り5.10%に上昇", "利回りは3.58%に上昇した。")
    assert c.message == "the claim says 5.10% but the evidence says 3.58%"
    assert c.describe("bullets") == "the claim says 5.10% but the bullets say 3.58%"
    assert c.describe("body") == "the claim says 5.10% but the body says 3.58%"


def test_an_identifier_shadows_the_figure_inside_it() -> None:
    found = find_conflicts("ダビング10を導入", "新しい録画ルールが始まった。")
    assert [(c.kind, c.status, c.claim_text) for c in found] == [("number", "unsupported", "ダビング10")]
