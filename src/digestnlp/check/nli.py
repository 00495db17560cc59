"""NLI cross-encoder with a sentence-transformers-like ``predict``.

Probabilities always come back in the library's order (entailment, neutral, contradiction),
whatever order the checkpoint's ``id2label`` uses; two-way checkpoints put their
non-entailment mass on neutral.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from digestnlp.check.data import LABELS
from digestnlp.errors import ModelNotFoundError
from digestnlp.modeling.embed import _progress, length_buckets
from digestnlp.modeling.loading import LoadedModel, Precision, load_model, quantize_if_int8, resolve_precision

DEFAULT_NLI_MODEL = "nli-e5-small-ja"


def label_mapping(id2label: dict[int, str]) -> list[int]:
    """For each model output index, the index in (entailment, neutral, contradiction)."""
    out = []
    for idx in sorted(id2label):
        name = str(id2label[idx]).lower().replace("-", "_")
        if name.startswith(("not_entail", "non_entail", "nonentail")):
            out.append(1)
        elif name.startswith("entail"):
            out.append(0)
        elif name.startswith("neutral"):
            out.append(1)
        elif name.startswith("contradict"):
            out.append(2)
        else:
            raise ModelNotFoundError(
                f"cannot tell what label {id2label[idx]!r} means; the checkpoint's config.id2label must name "
                "entailment / neutral / contradiction (or not_entailment)"
            )
    if 0 not in out:
        raise ModelNotFoundError(f"the checkpoint has no entailment label ({id2label}); it is not an NLI model")
    return out


class NLIModel:
    """Natural-language inference over ``(premise, hypothesis)`` pairs.

    ``precision="auto"`` runs bf16 autocast on CPUs with native bf16 and fp32 elsewhere;
    ``"int8"`` applies dynamic int8 quantisation to the linear layers (CPU only).
    """

    def __init__(
        self,
        model: str = DEFAULT_NLI_MODEL,
        *,
        device: str | None = None,
        max_length: int = 256,
        precision: Precision = "auto",
        trust_remote_code: bool = False,
    ) -> None:

        self.loaded: LoadedModel = load_model(
            model, task="sequence-classification", device=device, trust_remote_code=trust_remote_code
        )
        config = self.loaded.model.config
        self.order = label_mapping({int(k): v for k, v in config.id2label.items()})
        self.max_length = min(max_length, int(getattr(config, "max_position_embeddings", max_length)))
        precision = resolve_precision(precision, self.loaded.device)
        self.loaded.model = quantize_if_int8(self.loaded.model, precision)
        self.precision: str = precision

    @property
    def tokenizer(self) -> Any:
        return self.loaded.tokenizer

    def predict(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        batch_size: int = 32,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """Array of shape ``(len(pairs), 3)``: P(entailment), P(neutral), P(contradiction)."""
        import torch

        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        if not pairs:
            return out
        tok = self.loaded.tokenizer
        lengths = [len(p) + len(h) for p, h in pairs]
        bar = _progress(len(pairs), show_progress_bar, "nli")
        autocast = self.precision == "bf16"
        with torch.inference_mode():
            for idx in length_buckets(lengths, batch_size):
                enc = tok(
                    [pairs[i][0] for i in idx],
                    [pairs[i][1] for i in idx],
                    padding=True,
                    truncation="only_first",
                    max_length=self.max_length,
                    return_tensors="pt",
                ).to(self.loaded.device)
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
                    logits = self.loaded.model(**enc).logits
                probs = torch.softmax(logits.float(), dim=-1).cpu().numpy()
                mapped = np.zeros((len(idx), len(LABELS)), dtype=np.float32)
                for j, target in enumerate(self.order):
                    mapped[:, target] += probs[:, j]
                out[idx] = mapped
                bar.update(len(idx))
        bar.close()
        return out

    def token_length(self, text: str) -> int:
        return len(self.loaded.tokenizer(text, add_special_tokens=False)["input_ids"])
