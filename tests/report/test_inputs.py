import json
from pathlib import Path

import pytest

from digestnlp.report.inputs import iter_inputs


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text("東京は晴れ。", encoding="utf-8")
    (tmp_path / "pages" / "b.html").write_text(
        "<html><body><p>大阪は雨。</p><p>次。</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "big.txt").write_bytes(b"a" * 5_000_001)
    rows = [{"id": "r1", "text": "名古屋は曇り。"}, {"id": "r2", "body": "no text field"}, {"id": "r3", "text": ""}]
    (tmp_path / "t.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n", encoding="utf-8"
    )
    return tmp_path


def test_folders_globs_and_errors(corpus: Path) -> None:
    items = list(iter_inputs([str(corpus / "pages"), str(corpus / "*.txt"), str(corpus / "missing.txt")]))
    by_name = {Path(i.id).name: i for i in items}
    assert by_name["a.txt"].text == "東京は晴れ。"
    assert by_name["b.html"].text is not None and "<p>" in by_name["b.html"].text
    assert "binary" in (by_name["bin.txt"].error or "")
    assert "empty" in (by_name["empty.txt"].error or "")
    assert "UTF-8" in (by_name["latin1.txt"].error or "")
    assert "limit" in (by_name["big.txt"].error or "")
    assert by_name["missing.txt"].error == "no such file"
    assert len(items) == len({i.id for i in items}), "each input once"


def test_jsonl_rows(corpus: Path) -> None:
    items = list(iter_inputs([str(corpus / "t.jsonl")], id_field="id"))
    assert [i.id for i in items][:3] == ["r1", f"{corpus / 't.jsonl'}:2", "r3"]
    assert items[0].text == "名古屋は曇り。"
    assert "no 'text' field" in (items[1].error or "")
    assert items[2].error == "empty text"
    assert "invalid JSON" in (items[3].error or "")


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_tables(tmp_path: Path, suffix: str) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"doc": ["x1", "x2"], "page": ["東京は晴れ。", "大阪は雨。"]})
    path = tmp_path / f"t{suffix}"
    frame.to_parquet(path) if suffix == ".parquet" else frame.to_csv(path, index=False)
    items = list(iter_inputs([str(path)], text_field="page", id_field="doc"))
    assert [(i.id, i.text) for i in items] == [("x1", "東京は晴れ。"), ("x2", "大阪は雨。")]
    missing = list(iter_inputs([str(path)], text_field="text"))
    assert len(missing) == 1 and "no 'text' column" in (missing[0].error or "")
