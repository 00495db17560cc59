import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from digestnlp.cli import app
from tests.conftest import SEED

runner = CliRunner()


def test_help_everywhere() -> None:
    for cmd in ([], ["parse"], ["tokenize"], ["check"], ["summarize"], ["audit"], ["train-nli"], ["calibrate"]):
        result = runner.invoke(app, [*cmd, "--help"])
        assert result.exit_code == 0, cmd
        assert "Usage" in result.output


def test_parse_seed_json() -> None:
    result = runner.invoke(app, ["parse", str(SEED)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) >= {"title", "learn_bullets", "chapters", "cards"}
    assert len(data["learn_bullets"]) == 3 and len(data["cards"]) == 2
    assert data["cards"][0] == {
        "headline": "ウクライナめぐり米ロが停戦交渉へ和平の功績急ぐトランプ氏、プーチン氏の思惑は",
        "published": "2025-02-19",
        "bullets": data["cards"][0]["bullets"],
        "source_url": "https://globe.asahi.com/article/15630313",
        "publisher": "朝日新聞+",
    }
    assert [c["question"] for c in data["chapters"]][1] == "プーチンはウクライナ停戦に何を求めている?"
    assert all(len(c["cards"]) == 1 for c in data["chapters"])


def test_parse_stdin_and_errors(tmp_path: Path) -> None:
    assert runner.invoke(app, ["parse", "-"], input="見出し\n\n本文です。").exit_code == 0
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x00\x01")
    result = runner.invoke(app, ["parse", str(binary)])
    assert result.exit_code == 2 and "binary" in result.output
    assert runner.invoke(app, ["parse", str(tmp_path / "missing.txt")]).exit_code == 2


def test_tokenize_tsv_and_json() -> None:
    tsv = runner.invoke(app, ["tokenize", "-"], input="東京は晴れ。大阪は雨。")
    lines = tsv.output.strip().splitlines()
    assert lines[0].startswith("sentence\tsurface\tlemma")
    assert lines[1].split("\t")[:4] == ["0", "東京", "東京", "名詞"]
    js = json.loads(runner.invoke(app, ["tokenize", "-", "--format", "json"], input="東京は晴れ。大阪は雨。").output)
    assert [s["text"] for s in js] == ["東京は晴れ。", "大阪は雨。"]
    assert js[1]["tokens"][0]["start"] == 6


def test_module_entry_point() -> None:
    out = subprocess.run([sys.executable, "-m", "digestnlp", "--help"], capture_output=True, text=True, check=True)
    assert "audit" in out.stdout


@pytest.mark.slow
def test_audit_exit_code_on_failed_input(tmp_path: Path, tiny_nli_dir: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00binary")
    result = runner.invoke(
        app, ["audit", str(tmp_path / "bad.txt"), "--out", str(tmp_path / "o.jsonl"), "--model", str(tiny_nli_dir)]
    )
    assert result.exit_code == 1
    rows = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["kind"] == "article" and "binary" in rows[0]["error"]


class _Calibration:
    consistent_at = inconsistent_at = 0.5

    def to_json(self, out: Path) -> None:
        out.write_text("{}", encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "weighting", "l2", "knots"),
    [
        ([], None, None, None),
        (["--weighting", "class"], "class", None, None),
        (["--weighting", "kind"], "kind", None, None),
        (["--l2", "3"], None, 3.0, None),
        (["--weighting", "class", "--l2", "1"], "class", 1.0, None),
        (["--knots", "0"], None, None, 0),
        (["--knots", "5", "--l2", "0.1"], None, 0.1, 5),
    ],
)
def test_calibrate_defaults_to_the_cross_validated_choice(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: list[str],
    weighting: str | None,
    l2: float | None,
    knots: int | None,
) -> None:
    import digestnlp.check as check
    import digestnlp.training.recipe as recipe

    choice = recipe.CALIBRATION_CHOICE
    expected = (
        weighting or choice.weighting,
        l2 if l2 is not None else choice.l2,
        knots if knots is not None else choice.knots,
    )
    calls: list[dict[str, object]] = []
    monkeypatch.setattr(check, "ConsistencyChecker", lambda model: model)
    monkeypatch.setattr(recipe, "calibrate_checker", lambda checker, **kw: calls.append(kw) or _Calibration())
    monkeypatch.setattr(recipe, "calibrate_body", lambda checker, **kw: calls.append(kw) or _Calibration())
    result = runner.invoke(app, ["calibrate", "--out", str(tmp_path / "calibration.json"), *args])
    assert result.exit_code == 0, result.output
    card, body = calls
    assert tuple(card["choice"]) == expected  # type: ignore[arg-type]
    assert tuple(body["choice"]) == expected  # type: ignore[arg-type]
    assert {p.name for p in tmp_path.iterdir()} == {"calibration.json", "calibration-body.json"}


def _one_line_error(result: Result) -> str:
    """The command failed as a user error: exit 2, one line on stderr, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    return str(lines[0])


@pytest.mark.parametrize(
    ("folder_files", "expected"),
    [
        ({}, "no config.json"),
        ({"config.json": '{"model_type": "nonsense"}'}, "does not load"),
        ({"config.json": '{"model_type": "bert"}', "pytorch_model.bin": "not read"}, "safetensors only"),
    ],
)
def test_a_folder_that_is_not_a_model_is_one_line(tmp_path: Path, folder_files: dict[str, str], expected: str) -> None:
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    for name, text in folder_files.items():
        (folder / name).write_text(text, encoding="utf-8")
    for cmd in (["check", str(SEED)], ["audit", str(SEED), "--out", str(tmp_path / "o.jsonl")]):
        result = CliRunner().invoke(app, [*cmd, "--model", str(folder)])
        assert expected in _one_line_error(result)


def test_audit_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    table = tmp_path / "pages.jsonl"
    table.write_text(json.dumps({"text": SEED.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n", "utf-8")
    before = table.read_bytes()
    result = CliRunner().invoke(app, ["audit", str(table), "--out", str(table)])
    assert "overwrite the input" in _one_line_error(result)
    assert table.read_bytes() == before
    assert "must end in" in _one_line_error(CliRunner().invoke(app, ["audit", str(SEED), "--out", "x.txt"]))


def test_check_refuses_a_page_that_is_not_japanese_like_audit(tmp_path: Path) -> None:
    page = tmp_path / "en.txt"
    page.write_text("An English page.\n\nIt has no Japanese text at all.", encoding="utf-8")
    assert "not Japanese" in _one_line_error(CliRunner().invoke(app, ["check", str(page)]))


@pytest.mark.slow
def test_check_is_readable_on_a_terminal_and_json_when_piped(tiny_nli_dir: Path) -> None:
    text = CliRunner().invoke(app, ["check", str(SEED), "--model", str(tiny_nli_dir), "--text"])
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert lines[0].startswith("card 1  ") and "プーチン" in text.stdout
    assert sum(line.startswith("learn ") for line in lines) == 3 and not text.stdout.lstrip().startswith("{")
    piped = CliRunner().invoke(app, ["check", str(SEED), "--model", str(tiny_nli_dir)])
    data = json.loads(piped.stdout)
    assert len(data["cards"]) == 2 and len(data["learn_bullets"]) == 3
    assert json.loads(CliRunner().invoke(app, ["check", str(SEED), "--model", str(tiny_nli_dir), "--json"]).stdout)


def test_train_summarizer_refuses_an_unknown_view(tmp_path: Path) -> None:
    result = runner.invoke(app, ["train-summarizer", "--out", str(tmp_path / "head"), "--view", "plian"])
    assert result.exit_code == 2
    assert "page or plain" in result.output
    assert not (tmp_path / "head").exists()
