from pathlib import Path

import numpy as np
import pytest

from digestnlp.check.nli import NLIModel, label_mapping
from digestnlp.errors import ModelNotFoundError, UnsafeWeightsError


@pytest.mark.parametrize(
    ("id2label", "expected"),
    [
        ({0: "entailment", 1: "neutral", 2: "contradiction"}, [0, 1, 2]),
        ({0: "contradiction", 1: "entailment", 2: "neutral"}, [2, 0, 1]),
        ({0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"}, [0, 1, 2]),
        ({0: "entailment", 1: "not_entailment"}, [0, 1]),
        ({0: "non-entailment", 1: "entailment"}, [1, 0]),
    ],
)
def test_label_mapping(id2label: dict[int, str], expected: list[int]) -> None:
    assert label_mapping(id2label) == expected


def test_generic_labels_are_refused() -> None:
    with pytest.raises(ModelNotFoundError, match="id2label"):
        label_mapping({0: "LABEL_0", 1: "LABEL_1"})


def test_label_order_read_from_checkpoint(tiny_nli_dir: Path) -> None:
    model = NLIModel(str(tiny_nli_dir), precision="fp32")
    probs = model.predict([("前提です。", "仮説です。"), ("犬が走る", "動物が動く")], batch_size=1)
    assert probs.shape == (2, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert (probs[:, 0] > 0.99).all(), "the checkpoint's 'entailment' (index 1) must land in column 0"


def test_predict_empty_and_order(tiny_nli_dir: Path) -> None:
    model = NLIModel(str(tiny_nli_dir), precision="fp32")
    assert model.predict([]).shape == (0, 3)
    pairs = [("短い", "文"), ("これはずっと長い前提の文でバッチの並べ替えを起こす", "仮説"), ("中くらい", "仮説")]
    together = model.predict(pairs, batch_size=2)
    alone = np.vstack([model.predict([p]) for p in pairs])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_hypothesis_longer_than_the_window_is_cut_not_fatal(tiny_nli_dir: Path) -> None:
    model = NLIModel(str(tiny_nli_dir), precision="fp32")
    probs = model.predict([("前提です。", "とても長い仮説" * 100), ("前提です。", "仮説です。")])
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_native_engine_is_for_bundles_only(tiny_nli_dir: Path) -> None:
    assert NLIModel(str(tiny_nli_dir)).engine == "transformers"
    with pytest.raises(ModelNotFoundError, match="bundles only"):
        NLIModel(str(tiny_nli_dir), engine="native")


def test_pickle_only_checkpoint_is_refused(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    (tmp_path / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(UnsafeWeightsError, match="safetensors"):
        NLIModel(str(tmp_path))


def test_cuda_requested_without_cuda(tiny_nli_dir: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ModelNotFoundError, match="CUDA"):
        NLIModel(str(tiny_nli_dir), device="cuda")


def test_predict_says_what_to_pass(tiny_nli_dir: Path) -> None:
    model = NLIModel(str(tiny_nli_dir))
    with pytest.raises(TypeError, match="not one string"):
        model.predict("東京")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="pair 0"):
        model.predict([("東京", 1)])  # type: ignore[list-item]
