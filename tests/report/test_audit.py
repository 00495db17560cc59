import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digestnlp.article.writer import CardSpec, ChapterSpec, PageSpec, render_page
from digestnlp.report import InputItem, audit
from digestnlp.report.runner import recover_journal


def make_pages(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        card = CardSpec(
            f"市の予算が{k + 1}億円に増加",
            [f"市は予算を{k + 1}億円に増やした。", "議会で可決された。"],
            f"https://e.x/{k}",
        )
        chapter = ChapterSpec("予算の話", "何が決まった?", "予算の増額", ["市は予算の増額を決めました。"], [card])
        path = folder / f"page{k:03d}.txt"
        path.write_text(render_page(PageSpec(f"ページ{k}", ["予算が増えた。"], [chapter])), encoding="utf-8")
        paths.append(path)
    return paths


def test_rows_per_card_and_article(tiny_nli_dir: Path, seed_text: str) -> None:
    report = audit(
        [seed_text, InputItem("bad", None, "looks binary"), "This is English only, no Japanese at all."],
        model=str(tiny_nli_dir),
    )
    kinds = [(r["article_id"], r["kind"]) for r in report.rows]
    assert kinds == [
        ("article-0", "card"),
        ("article-0", "card"),
        ("article-0", "article"),
        ("bad", "article"),
        ("article-2", "article"),
    ]
    assert report.rows[0]["card_index"] == 0 and report.rows[1]["headline"].startswith("プーチン大統領")
    assert report.rows[2]["n_cards"] == 2 and len(report.rows[2]["learn_bullets"]) == 3
    assert [r["article_id"] for r in report.failed] == ["bad", "article-2"]
    assert "not Japanese" in report.failed[1]["error"]
    frame = report.to_pandas()
    assert len(frame) == 5 and set(frame["kind"]) == {"card", "article"}
    assert len(report.to_jsonl().splitlines()) == 5


def test_html_report_has_every_card_with_its_verdict(tiny_nli_dir: Path, seed_text: str) -> None:
    from bs4 import BeautifulSoup

    report = audit([seed_text, seed_text.replace("プーチン", "メドベージェフ")], model=str(tiny_nli_dir))
    html = report.to_html()
    assert "http" not in html.split("<body>")[0], "no external assets"
    soup = BeautifulSoup(html, "html.parser")
    cards = soup.select(".dn-card")
    assert len(cards) == len(report.cards) == 4
    for tag, row in zip(cards, report.cards, strict=True):
        assert tag["data-verdict"] == row["verdict"]
        assert row["headline"] == tag.strong.get_text()
    assert "dn-report" in report._repr_html_()


def test_conflicts_are_highlighted() -> None:
    from digestnlp.report.html import highlight

    assert (
        highlight("利回り5.10%に上昇", [{"start": 3, "end": 8}]) == '利回り<mark class="dn-conflict">5.10%</mark>に上昇'
    )
    assert highlight("<b>", []) == "&lt;b&gt;"


def test_recover_cuts_a_torn_tail(tmp_path: Path) -> None:
    journal = tmp_path / "out.jsonl"
    good = (
        json.dumps({"kind": "card", "article_id": "a"})
        + "\n"
        + json.dumps({"kind": "article", "article_id": "a"})
        + "\n"
    )
    journal.write_text(
        good + json.dumps({"kind": "card", "article_id": "b"}) + "\n" + '{"kind": "art', encoding="utf-8"
    )
    assert recover_journal(journal) == ({"a"}, 0)
    assert journal.read_text(encoding="utf-8") == good


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digestnlp.cli", *args], capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_resume_after_kill_equals_uninterrupted_run(tmp_path: Path, tiny_nli_dir: Path) -> None:
    make_pages(tmp_path / "pages", 24)
    (tmp_path / "pages" / "broken.txt").write_bytes(b"\x00\x00binary")
    common = [str(tmp_path / "pages"), "--model", str(tiny_nli_dir), "--group-size", "2", "--no-progress"]
    full = tmp_path / "full.jsonl"
    assert run_cli("audit", *common, "--out", str(full)).returncode == 1  # the broken input fails

    part = tmp_path / "part.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "digestnlp.cli", "audit", *common, "--out", str(part)])
    deadline = time.time() + 600
    while time.time() < deadline:
        if part.exists() and part.read_text(encoding="utf-8").count('"kind": "article"') >= 4:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    interrupted = part.read_text(encoding="utf-8").count('"kind": "article"')
    assert 4 <= interrupted < 25, "killed mid-run"
    resumed = run_cli("audit", *common, "--out", str(part), "--resume")
    assert resumed.returncode == 1
    assert "already done" in resumed.stderr
    assert part.read_text(encoding="utf-8").splitlines() == full.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_tabular_outputs(tmp_path: Path, tiny_nli_dir: Path, suffix: str) -> None:
    pd = pytest.importorskip("pandas")
    make_pages(tmp_path / "pages", 3)
    out = tmp_path / f"out{suffix}"
    html = tmp_path / "report.html"
    proc = run_cli(
        "audit", str(tmp_path / "pages"), "--model", str(tiny_nli_dir), "--out", str(out), "--html", str(html)
    )
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out)
    assert list(frame["kind"]) == ["card", "article"] * 3
    assert not out.with_name(out.name + ".journal.jsonl").exists()
    assert html.read_text(encoding="utf-8").count('class="dn-card"') == 3


def test_ray_path_equals_local_path(tiny_nli_dir: Path, seed_text: str) -> None:
    if os.environ.get("CI"):
        import ray
    else:
        ray = pytest.importorskip("ray")
    from digestnlp.report.audit import Auditor
    from digestnlp.report.ray_audit import audit_dataset, dataset_rows

    pages = [{"id": "seed", "text": seed_text}, {"id": "empty", "text": ""}, {"id": "other", "text": seed_text[:2000]}]
    local = [
        r
        for block in Auditor(str(tiny_nli_dir)).audit_group(
            [InputItem(p["id"], p["text"] or None, None if p["text"] else "empty text") for p in pages]
        )
        for r in block
    ]
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    try:
        ds = ray.data.from_items(pages)
        remote = dataset_rows(audit_dataset(ds, model=str(tiny_nli_dir), batch_size=2, concurrency=1))
    finally:
        ray.shutdown()
    key = lambda r: (r["article_id"], r["kind"], r["card_index"] if r["card_index"] is not None else -1)  # noqa: E731
    assert sorted(remote, key=key) == sorted(local, key=key)


def test_audit_api_takes_pages_not_one_page(tiny_nli_dir: Path, seed_text: str) -> None:
    with pytest.raises(TypeError, match=r"pass \[page\]"):
        audit("東京")
    report = audit([b"\xe6\x9d\xb1", 123, seed_text], model=str(tiny_nli_dir))
    errors = {r["article_id"]: r["error"] for r in report.failed}
    assert "bytes" in errors["article-0"] and "decode" in errors["article-0"]
    assert "int" in errors["article-1"]
    assert len(report.cards) == 2


def test_an_empty_body_leaves_learn_bullets_uncertain_as_check_article_does(tiny_nli_dir: Path) -> None:
    from digestnlp.article import parse_page
    from digestnlp.check import ConsistencyChecker, check_article

    page = "見出しのページ\n📘 この記事で分かる事!\n💡 停戦交渉が始まった。\n💡 合意は難しい。\n"
    report = audit([page], model=str(tiny_nli_dir))
    learn = report.articles[0]["learn_bullets"]
    direct = check_article(parse_page(page), checker=ConsistencyChecker(str(tiny_nli_dir))).to_dict()["learn_bullets"]
    assert learn == direct and [b["verdict"] for b in learn] == ["uncertain", "uncertain"]
