"""Model bundles: fine-tuned weights stored as the difference from the e5 base.

The frozen 96M-parameter word embedding is what makes the e5 model large; a bundle keeps every
other weight (fp16) plus the config, and takes the embedding from the materialised base, so a
fine-tuned model ships in about 45 MB instead of 470 MB.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from digestnlp.errors import ModelNotFoundError
from digestnlp.modeling.cache import e5_tokenizer, ensure_e5_folder

BUNDLE_MARKER = "digestnlp-bundle.json"
E5_NAME = "e5-small"


def save_bundle(
    model: Any,
    out_dir: str | Path,
    *,
    base: str = "e5-small",
    card: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Path:
    """Save every weight but the frozen word embedding (which the base provides), as fp16.

    The pooler is saved too: e5 has none, so a classifier's pooler is trained from scratch.
    """
    import torch
    from safetensors.torch import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    state = {
        k: v.detach().to(torch.float16).contiguous()
        for k, v in model.state_dict().items()
        if "word_embeddings" not in k
    }
    save_file(state, str(out / "model.safetensors"), metadata={"format": "pt", "base": base})
    model.config.save_pretrained(out)
    (out / BUNDLE_MARKER).write_text(
        json.dumps({"base": base, **(meta or {})}, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    if card is not None:
        (out / "README.md").write_text(card, encoding="utf-8")
    return out


def load_bundle(folder: Path, dtype: Any) -> tuple[Any, Any]:
    """A bundle stores only what differs from the e5 base; the rest comes from the base folder."""
    import torch
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModelForSequenceClassification

    info = json.loads((folder / BUNDLE_MARKER).read_text(encoding="utf-8"))
    if info.get("base") != E5_NAME:
        raise ModelNotFoundError(f"bundle {folder} is based on {info.get('base')!r}, which this version cannot load")
    base = ensure_e5_folder()
    config = AutoConfig.from_pretrained(folder)
    model = AutoModelForSequenceClassification.from_config(config)
    base_state = load_file(str(base / "model.safetensors"))
    prefix = model.base_model_prefix
    state = {f"{prefix}.{k}": v for k, v in base_state.items()}
    delta = load_file(str(folder / "model.safetensors"))
    state.update({k: v.float() for k, v in delta.items()})
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ModelNotFoundError(
            f"bundle {folder} does not match its base: missing {missing[:3]}, unexpected {unexpected[:3]}"
        )
    if dtype is not None:
        model = model.to(getattr(torch, dtype) if isinstance(dtype, str) else dtype)
    tokenizer = e5_tokenizer(base)
    return model, tokenizer


def load_native_classifier(folder: Path) -> tuple[Any, dict[str, Any]]:
    """A bundle as a plain-torch classifier (see :mod:`digestnlp.modeling.bert`) and its config.

    Same weights as :func:`load_bundle`, without importing ``transformers``.
    """
    from safetensors.torch import load_file

    from digestnlp.modeling.bert import NativeBertClassifier, base_state, word_embedding_source

    info = json.loads((folder / BUNDLE_MARKER).read_text(encoding="utf-8"))
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if info.get("base") != E5_NAME or config.get("model_type") != "bert":
        raise ModelNotFoundError(f"bundle {folder} is not a BERT classifier on {E5_NAME}; load it with transformers")
    base = ensure_e5_folder()
    state = {f"bert.{k}": v for k, v in base_state(base).items()}
    state.update(load_file(str(folder / "model.safetensors")))
    try:
        model = NativeBertClassifier.from_state(config, state, word_source=word_embedding_source(base))
    except KeyError as exc:
        raise ModelNotFoundError(f"bundle {folder} does not match its base: {exc} is missing") from exc
    return model, config
