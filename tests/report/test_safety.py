"""Output safety of ``run_audit``: never destroy an input, never two writers, never lose a row.

The runner is exercised with a stand-in auditor (its rows depend only on the page), so these
tests cover the journal, the lock and resume, not the model.
"""

import json
import random
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestnlp.errors import InputError
from digestnlp.report import runner
from digestnlp.report.audit import empty_row, error_row
from digestnlp.report.inputs import InputItem


class StandInAuditor:
    """Rows from the page text alone: one card row per line with 「カード」, then the article row."""

    def __init__(self, model: str, *, summarize: bool = False, n_bullets: int = 3) -> None:
        self.model = model

    def audit_group(self, items: list[InputItem]) -> list[list[dict[str, Any]]]:
        out = []
        for item in items:
            if item.text is None:
                out.append([error_row(item.id, item.error or "no text")])
                continue
            cards = [line for line in item.text.splitlines() if "カード" in line]
            rows = []
            for k, line in enumerate(cards):
                row = empty_row("card", item.id)
                row.update(card_index=k, headline=line, score=0.5, verdict="uncertain")
                rows.append(row)
            article = empty_row("article", item.id)
            article.update(title=item.text.splitlines()[0], n_cards=len(cards), n_inconsistent=0)
            out.append([*rows, article])
        return out


@pytest.fixture(autouse=True)
def stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "Auditor", StandInAuditor)


def write_pages(folder: Path, n: int, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for k in range(n):
        path = folder / f"p{k:03d}.txt"
        lines = [f"見出し{k}"] + [f"カード{k}-{j}の見出し" for j in range(rng.randint(0, 3))] + ["本文です。"]
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "pages.jsonl"
    table.write_text(json.dumps({"text": "見出し\nカード\n本文。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    before = table.read_bytes()
    with pytest.raises(InputError, match="overwrite the input"):
        runner.run_audit([str(table)], table)
    csv = tmp_path / "pages.csv"
    csv.write_text("text\n見出し\n", encoding="utf-8")
    with pytest.raises(InputError, match="overwrite the input"):
        runner.run_audit([str(csv)], csv)
    assert table.read_bytes() == before and csv.read_text(encoding="utf-8") == "text\n見出し\n"


def test_an_output_inside_an_input_folder_is_refused(tmp_path: Path) -> None:
    write_pages(tmp_path / "pages", 2)
    with pytest.raises(InputError, match="inside the input folder"):
        runner.run_audit([str(tmp_path / "pages")], tmp_path / "pages" / "out.jsonl")
    with pytest.raises(InputError, match="inside the input folder"):
        runner.run_audit([str(tmp_path / "pages")], tmp_path / "pages" / "sub" / "out.parquet")


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    write_pages(tmp_path / "pages", 2)
    out = tmp_path / "out.jsonl"
    with runner.output_lock(out), pytest.raises(InputError, match="another digestnlp audit is writing"):
        runner.run_audit([str(tmp_path / "pages")], out)
    summary = runner.run_audit([str(tmp_path / "pages")], out)  # the lock is released
    assert summary.articles == 2


@pytest.mark.parametrize("damage", [b"123\n", b"\xff\xfe not utf-8\n", b'{"kind": "article"}\n', b"[1, 2]\n"])
def test_resume_skips_and_counts_damaged_lines(tmp_path: Path, damage: bytes) -> None:
    write_pages(tmp_path / "pages", 4)
    out = tmp_path / "out.jsonl"
    runner.run_audit([str(tmp_path / "pages")], out)
    clean = out.read_bytes()
    first_article_end = clean.index(b'"kind": "article"')
    first_article_end = clean.index(b"\n", first_article_end) + 1
    out.write_bytes(clean[:first_article_end] + damage + clean[first_article_end:])
    summary = runner.run_audit([str(tmp_path / "pages")], out, resume=True)
    assert summary.damaged == 1 and summary.skipped == 4 and summary.articles == 0
    rows = runner.read_rows(out)
    assert [json.dumps(r, ensure_ascii=False) for r in rows] == [
        json.dumps(json.loads(line), ensure_ascii=False) for line in clean.decode("utf-8").splitlines()
    ]


def test_counts_stay_integers_in_parquet_and_csv(tmp_path: Path) -> None:
    write_pages(tmp_path / "pages", 3, seed=2)
    for suffix in (".parquet", ".csv"):
        out = tmp_path / f"out{suffix}"
        runner.run_audit([str(tmp_path / "pages")], out)
        frame = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out, dtype=str, keep_default_na=False)
        if suffix == ".parquet":
            assert all(str(frame[c].dtype) == "Int64" for c in runner.INTEGER_COLUMNS)
        else:
            written = {v for c in runner.INTEGER_COLUMNS for v in frame[c] if v}
            assert written and all(v.isdigit() for v in written), written


def _clean_rows(pages: Path, tmp: Path) -> list[dict[str, Any]]:
    out = tmp / "clean.jsonl"
    runner.run_audit([str(pages)], out)
    return runner.read_rows(out)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    n_pages=st.integers(1, 8),
    n_bad=st.integers(0, 3),
    cuts=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=4),
    damage=st.lists(st.sampled_from([b"123\n", b"\xff\n", b'{"kind": "card"}\n', b"{}\n"]), max_size=3),
    seed=st.integers(0, 1000),
)
def test_kills_damage_and_resumes_end_with_the_rows_of_one_clean_run(
    tmp_path_factory: pytest.TempPathFactory,
    n_pages: int,
    n_bad: int,
    cuts: list[float],
    damage: list[bytes],
    seed: int,
) -> None:
    """Each "kill" cuts the output at a random byte (a torn tail), a damaged line may be appended
    before the next resume; however often, the resumed run ends with exactly one clean run's rows."""
    tmp = tmp_path_factory.mktemp("run")
    pages = tmp / "pages"
    write_pages(pages, n_pages, seed)
    for k in range(n_bad):
        (pages / f"bad{k}.txt").write_bytes(b"\x00\x01binary" if k % 2 else b"")
    want = _clean_rows(pages, tmp)
    out = tmp / "out.jsonl"
    runner.run_audit([str(pages)], out)
    rng = random.Random(seed)
    for cut in cuts:
        data = out.read_bytes()
        out.write_bytes(data[: int(cut * len(data))] + (rng.choice(damage) if damage else b""))
        runner.run_audit([str(pages)], out, resume=True)
    got = runner.read_rows(out)
    assert sorted(map(json.dumps, got)) == sorted(map(json.dumps, want))
    assert len(got) == len(want)
