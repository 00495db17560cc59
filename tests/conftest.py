from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check behaviour, not speed: a busy CI machine must not fail them on a deadline.
settings.register_profile("digestnlp", deadline=None)
settings.load_profile("digestnlp")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "digest_ukraine_ceasefire.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_nli_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny randomly initialised BERT classifier whose labels are ordered differently from ours.

    The classifier bias makes output index 1 ("entailment" in this checkpoint) win by far, so a
    correct label mapping must put that mass in our entailment column.
    """
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from digestnlp.modeling.cache import ensure_e5_folder

    folder = tmp_path_factory.mktemp("tiny-nli")
    e5 = ensure_e5_folder()
    config = BertConfig(
        vocab_size=250037,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=128,
        pad_token_id=1,
        id2label={0: "contradiction", 1: "entailment", 2: "neutral"},
        label2id={"contradiction": 0, "entailment": 1, "neutral": 2},
    )
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0.0, 8.0, 1.0]))
    model.save_pretrained(folder, safe_serialization=True)
    AutoTokenizer.from_pretrained(e5).save_pretrained(folder)
    return folder
