import numpy as np

from digestnlp.check.nli import NLIModel
from digestnlp.modeling.bert import WORD_EMBEDDING, base_state
from digestnlp.modeling.cache import ensure_e5_folder
from digestnlp.modeling.embed import Encoder, get_encoder


def test_the_encoder_and_the_nli_model_share_one_word_embedding() -> None:
    """96M frozen parameters: one copy per process, however many models sit on the e5 base."""
    encoder = get_encoder().loaded.model
    nli = NLIModel().loaded.model
    assert nli.bert.word.weight.data_ptr() == encoder.word.weight.data_ptr()
    assert encoder.layers[0].query.weight.data_ptr() != nli.bert.layers[0].query.weight.data_ptr()
    fp32 = NLIModel(precision="fp32").loaded.model.bert.word.weight
    again = base_state(ensure_e5_folder())[WORD_EMBEDDING]
    assert again.data_ptr() == fp32.data_ptr(), "fp32 models share the table as stored"


def test_bf16_models_share_one_bf16_word_embedding() -> None:
    """bf16 models swap the fp32 table (read page by page from the file) for one bf16 copy."""
    import torch

    a = NLIModel(precision="bf16").loaded.model.bert.word.weight
    b = Encoder(precision="bf16").loaded.model.word.weight
    assert a.dtype == b.dtype == torch.bfloat16 and a.data_ptr() == b.data_ptr()
    assert not a.requires_grad
    fp32 = base_state(ensure_e5_folder())[WORD_EMBEDDING]
    assert torch.equal(a, fp32.to(torch.bfloat16))


def test_bf16_layers_agree_with_fp32() -> None:
    """bf16 casts the layers and the shared embedding and changes probabilities only slightly."""
    import torch

    pairs = [
        ("東京で大雨が降り、電車が止まった。", "東京で電車が止まった。"),
        ("東京で大雨が降り、電車が止まった。", "大阪で電車が止まった。"),
        ("首相は辞任を表明した。", "首相は続投を表明した。"),
        ("会社は新製品を来月発売すると発表した。", "新製品は来月発売される。"),
    ]
    bf16, fp32 = NLIModel(precision="bf16"), NLIModel(precision="fp32")
    assert bf16.loaded.model.bert.layers[0].query.weight.dtype == torch.bfloat16
    assert bf16.loaded.model.bert.word.weight.dtype == torch.bfloat16
    assert fp32.loaded.model.bert.word.weight.dtype == torch.float32
    a, b = bf16.predict(pairs), fp32.predict(pairs)
    assert np.abs(a - b).max() < 0.05
    assert (a.argmax(1) == b.argmax(1)).all()
