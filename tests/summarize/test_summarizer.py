from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from digestnlp.article import Article, TextSpan, parse_article, parse_page
from digestnlp.summarize import Bullet, Summarizer, is_plain
from digestnlp.summarize.base import clause_variants, compress
from digestnlp.summarize.extractive import Candidate, RankedBackend, Signals, candidates
from digestnlp.summarize.learned import LearnedBackend, is_plain_text


@dataclass
class FakeVerdict:
    score: float
    verdict: str


class RejectingChecker:
    """Stands in for the NLI checker: calls bullets mentioning ``word`` unsupported."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.calls = 0
        self.claims: list[str] = []

    def judge(self, items: list[tuple[str, str]], evidence: str = "card", evidence_name: str = "") -> list[FakeVerdict]:
        assert evidence == "text", "a bullet is checked against its page's text, with the body calibration"
        self.calls += 1
        self.claims += [claim for _, claim in items]
        return [
            FakeVerdict(0.0, "inconsistent") if self.word in claim else FakeVerdict(0.9, "consistent")
            for _, claim in items
        ]


@pytest.mark.parametrize("backend", ["learned", "heuristic"])
@pytest.mark.parametrize("check", [True, False])
def test_seed_covers_agreement_demands_and_difficulty(seed_text: str, check: bool, backend: str) -> None:
    summarizer = Summarizer(backend, check_faithfulness=check)
    bullets = summarizer.summarize(parse_article(seed_text), n=3)
    texts = [b.text for b in bullets]
    assert len(texts) == 3
    assert any("合意" in t for t in texts), texts
    # Russia's conditions: what Russia demands or seeks (「条件」「要求」「…を求めて」).
    assert any(w in t for t in texts for w in ("条件", "要求", "求め")), texts
    assert any(w in t for t in texts for w in ("容易ではない", "隔たり", "難し")), texts
    longest = summarizer.backend.max_chars
    assert all(is_plain(t) and t.endswith("。") and len(t) <= longest for t in texts)
    for b in bullets:
        assert b.sources and all(seed_text[s.start : s.end] == s.text for s in b.sources)
        assert b.verdict == ("consistent" if check else None), "checked bullets are supported by the body"


def test_page_learn_bullets_are_never_read(seed_text: str) -> None:
    article = parse_article(seed_text)
    altered = parse_article(seed_text.replace("💡 ", "💡 無関係な文を挿入した。"))
    assert [b.text for b in Summarizer(check_faithfulness=False).summarize(article)] == [
        b.text for b in Summarizer(check_faithfulness=False).summarize(altered)
    ]
    assert not any("無関係" in c.text for c in candidates(altered, 80))


def test_unsupported_bullets_are_replaced(seed_text: str) -> None:
    checker = RejectingChecker("合意")
    bullets = Summarizer(checker=checker).summarize(parse_article(seed_text), n=3)
    assert checker.calls >= 1
    assert len(bullets) == 3
    assert not any("合意" in b.text for b in bullets)
    assert all(b.verdict == "consistent" for b in bullets)


def test_commentary_is_never_a_bullet(seed_text: str) -> None:
    texts = [c.text for c in candidates(parse_article(seed_text), 80)]
    assert not any(w in t for t in texts for w in ("やなぁ", "ですね", "見ていきましょう", "最初の章"))


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("東京都は新しい条例を制定した。条例は来年四月に施行される。", True),
        ("<html><head><title>条例制定</title></head><body><p>東京都は条例を制定した。</p></body></html>", True),
        ("# 条例制定\n\n東京都は新しい条例を制定した。", True),
        (
            "東京都が条例\n\n東京都は新しい条例を制定した。\n\n東京都、新条例を制定\n公開日：2025年1月1日\n"
            "✅ 東京都は条例を制定した。\n✅ 来年四月に施行される。\n出典/画像元: https://example.com/a",
            False,
        ),
    ],
)
def test_plain_news_text_goes_to_the_plain_head(text: str, plain: bool) -> None:
    assert is_plain_text(parse_page(text)) is plain


def test_pages_go_to_the_page_head(seed_text: str) -> None:
    assert not is_plain_text(parse_article(seed_text))


class LongestFirst(RankedBackend):
    """Prefers long candidates, with a longer limit for plain text (as the learned backend's heads)."""

    def relevance(self, article: Article, cands: Sequence[Candidate], sig: Signals) -> np.ndarray:
        return np.array([len(c.text) for c in cands], dtype=float)

    def settings(self, article: Article) -> tuple[int, float]:
        return (110 if is_plain_text(article) else 70), 1.0


def test_each_page_gets_candidates_at_its_own_length() -> None:
    lead = "東京都は来年四月から都内すべての公立小中学校で給食費を無償化する方針を固め、関連する予算案と条例の改正案を来年二月に開かれる都議会の定例会に提出する準備を進めている。"
    assert 70 < len(lead) <= 110
    plain = parse_page(lead + "知事が記者会見で明らかにした。")
    page = parse_page(
        "給食費の無償化\n\n"
        + lead
        + "\n\n東京都、給食費を無償化へ\n✅ 東京都は給食費を無償化する。\n出典/画像元: https://example.com/a"
    )
    backend = LongestFirst()
    assert backend.candidates(plain, 1)[0].text == lead
    assert all(len(b.text) <= 70 for b in backend.candidates(page, 3))


class FirstFirst(RankedBackend):
    def relevance(self, article: Article, cands: Sequence[Candidate], sig: Signals) -> np.ndarray:
        return -np.array([c.order for c in cands], dtype=float)


def test_a_heading_or_citation_line_is_never_a_bullet() -> None:
    text = "競走成績-第39回東京2歳優駿牝馬選定馬重賞。\n\nモダンウーマンが東京2歳優駿牝馬を制した。\n\nIDGジャパン、2007年12月14日。"
    article = parse_page(text)
    assert len(candidates(article, 80)) == 3, "still candidates: the ranking sees them"
    assert [b.text for b in FirstFirst().candidates(article, 3)] == ["モダンウーマンが東京2歳優駿牝馬を制した。"]


def test_the_bundled_heads_rank_pages_and_plain_text_at_their_own_lengths(seed_text: str) -> None:
    backend = LearnedBackend()
    page_len, _ = backend.settings(parse_article(seed_text))
    plain_len, _ = backend.settings(parse_article("東京都は新しい条例を制定した。条例は来年四月に施行される。"))
    assert (page_len, plain_len) == (80, 120)


def test_plain_text_input() -> None:
    text = "東京都は新しい条例を制定しました。条例は来年四月に施行されます。違反者には罰金が科されます。"
    bullets = Summarizer(check_faithfulness=False).summarize(text, n=2)
    assert len(bullets) == 2 and all(is_plain(b.text) for b in bullets)


def test_contrast_variants() -> None:
    variants = clause_variants("両国の首脳は電話会談で合意しましたが、課題は多く残されたままです")
    assert ("課題は多く残されたままです", False) in variants and (
        "両国の首脳は電話会談で合意しました",
        True,
    ) in variants
    assert (
        compress("両国の首脳は電話会談で合意しましたが、課題は多く残されたままです。", 80)[0][0]
        == "両国の首脳は電話会談で合意したが、課題は多く残されたままだ。"
    )


def test_n_zero_and_empty() -> None:
    s = Summarizer(check_faithfulness=False)
    assert s.summarize("東京は晴れ。", n=0) == []
    assert s.summarize("これは。", n=3) == []


@pytest.fixture(scope="module")
def tiny_t5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import torch
    from transformers import AutoTokenizer, T5Config, T5ForConditionalGeneration

    from digestnlp.modeling.cache import ensure_e5_folder

    folder = tmp_path_factory.mktemp("tiny-t5")
    tok = AutoTokenizer.from_pretrained(ensure_e5_folder())
    config = T5Config(
        vocab_size=len(tok),
        d_model=16,
        d_kv=4,
        d_ff=32,
        num_layers=1,
        num_heads=2,
        decoder_start_token_id=tok.pad_token_id,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
    )
    torch.manual_seed(0)
    T5ForConditionalGeneration(config).save_pretrained(folder, safe_serialization=True)
    tok.save_pretrained(folder)
    return folder


def test_seq2seq_backend_with_tiny_local_model(tiny_t5: Path, seed_text: str) -> None:
    from digestnlp.summarize.seq2seq import Seq2SeqBackend

    summarizer = Summarizer(str(tiny_t5), check_faithfulness=False)
    backend = summarizer.backend
    assert isinstance(backend, Seq2SeqBackend)
    backend.max_input_tokens = 64  # force chunking of the long body
    article = parse_article(seed_text)
    chunks = backend.chunks(backend.sources(article))
    assert len(chunks) > 1
    assert "".join(chunks) == "".join(s.text for s in backend.sources(article)), "chunks keep every sentence"
    bullets = summarizer.summarize(article, n=3)
    assert len(bullets) <= 3
    for b in bullets:
        assert is_plain(b.text)


def test_bullets_are_checked_against_the_text_they_come_from(seed_text: str) -> None:
    from digestnlp.summarize.base import source_text

    article = parse_article(seed_text)
    text = source_text(article)
    assert text == article.page_text, "bullets are checked against what the audit checks learn bullets against"
    assert all(p.text in text for p in article.body + article.commentary)
    assert all(b.text in text for card in article.cards for b in card.bullets)
    assert not any(b.text in text for b in article.learn_bullets), "the page's own learn bullets are never evidence"
    assert source_text(parse_article("見出しのない短い文章です。")).strip()


class _ListBackend:
    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def candidates(self, article: Article, n: int) -> list[Bullet]:
        return [Bullet(t, [TextSpan(t, 10 * k, 10 * k + len(t))]) for k, t in enumerate(self.texts)]


def test_any_backend_and_checker_fit_the_summarizer() -> None:
    texts = ["一つ目の文だ。", "嘘の文だ。", "三つ目の文だ。", "四つ目の文だ。"]
    checker = RejectingChecker("嘘")
    bullets = Summarizer(_ListBackend(texts), checker=checker).summarize(parse_article("本文です。"), n=2)
    assert [b.text for b in bullets] == ["一つ目の文だ。", "三つ目の文だ。"]
    assert [b.verdict for b in bullets] == ["consistent", "consistent"]
    assert checker.claims == texts[:3], "only as many bullets as still needed are judged"


class _FixedChecker:
    def __init__(self, verdicts: dict[str, str]) -> None:
        self.verdicts = verdicts

    def judge(self, items: list[tuple[str, str]], evidence: str = "card", evidence_name: str = "") -> list[FakeVerdict]:
        return [FakeVerdict(0.5, self.verdicts[claim]) for _, claim in items]


def test_uncertain_bullets_only_fill_up_and_inconsistent_never() -> None:
    texts = ["一つ目の文だ。", "二つ目の文だ。", "三つ目の文だ。", "四つ目の文だ。"]
    verdicts = dict(zip(texts, ["uncertain", "consistent", "inconsistent", "consistent"], strict=True))
    s = Summarizer(_ListBackend(texts), checker=_FixedChecker(verdicts))
    assert [b.text for b in s.summarize(parse_article("本文です。"), n=2)] == ["二つ目の文だ。", "四つ目の文だ。"]
    assert [b.text for b in s.summarize(parse_article("本文です。"), n=3)] == texts[:2] + texts[3:]


def test_pipe_equals_summarize_with_one_check_per_round() -> None:
    pages = {
        "a": ["一つ目の文だ。", "嘘の文だ。", "三つ目の文だ。", "四つ目の文だ。"],
        "b": ["甲の文だ。", "乙の文だ。", "丙の文だ。"],
        "c": ["嘘だ。"],
    }

    class _PerPage:
        def candidates(self, article: Article, n: int) -> list[Bullet]:
            return _ListBackend(pages[article.source.strip()]).candidates(article, n)

    one_by_one = [
        Summarizer(_PerPage(), checker=RejectingChecker("嘘")).summarize(parse_article(k), n=2) for k in pages
    ]
    checker = RejectingChecker("嘘")
    piped = Summarizer(_PerPage(), checker=checker).pipe([parse_article(k) for k in pages], n=2)
    assert [[b.text for b in bs] for bs in piped] == [[b.text for b in bs] for bs in one_by_one]
    assert [[b.text for b in bs] for bs in piped] == [
        ["一つ目の文だ。", "三つ目の文だ。"],
        ["甲の文だ。", "乙の文だ。"],
        [],
    ]
    assert checker.calls == 2, "round 1 judges every page's first window together; round 2 only page a's"
    assert Summarizer(_PerPage(), checker=checker).pipe([parse_article("a")], n=0) == [[]]


@pytest.mark.parametrize("backend", ["learned", "heuristic"])
def test_backend_pipe_equals_one_page_at_a_time(seed_text: str, backend: str) -> None:
    """Pages embedded together rank their candidates as each page alone does (an empty one too)."""
    ranked = Summarizer(backend).backend
    pages = [
        parse_article(seed_text),
        parse_article("ああ"),
        parse_article("東京で大雨が降り、電車が止まった。気象庁は警報を出した。住民は避難した。"),
    ]
    alone = [ranked.candidates(a, 3) for a in pages]
    together = ranked.pipe(pages, 3)  # type: ignore[attr-defined]
    assert [[b.text for b in bs] for bs in together] == [[b.text for b in bs] for bs in alone]
    assert [len(bs) > 0 for bs in together] == [True, False, True]
