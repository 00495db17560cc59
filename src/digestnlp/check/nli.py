"""NLI cross-encoder with a sentence-transformers-like ``predict``.

Probabilities always come back in the library's order (entailment, neutral, contradiction),
whatever order the checkpoint's ``id2label`` uses; two-way checkpoints put their
non-entailment mass on neutral.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from digestnlp.errors import ModelNotFoundError
from digestnlp.modeling.bundle import load_native_classifier
from digestnlp.modeling.cache import PAD_MULTIPLE, E5PieceTokenizer, ensure_e5_folder
from digestnlp.modeling.embed import length_buckets, progress
from digestnlp.modeling.loading import (
    LoadedModel,
    Precision,
    apply_precision,
    autocast_needed,
    bundle_folder,
    load_model,
    resolve_precision,
)

DEFAULT_NLI_MODEL = "nli-e5-small-ja"
# The order every probability row comes back in, whatever the checkpoint's own ``id2label``.
LABELS = ("entailment", "neutral", "contradiction")
LABEL_ID = {name: i for i, name in enumerate(LABELS)}


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


Engine = Literal["auto", "native", "transformers"]


class NLIModel:
    """Natural-language inference over ``(premise, hypothesis)`` pairs.

    ``precision="auto"`` runs bf16 on CPUs with native bf16 (a bundle's layers cast to bf16, other
    models under autocast) and fp32 elsewhere;
    ``"int8"`` applies dynamic int8 quantisation to the linear layers (CPU only).
    ``engine="auto"`` runs digestnlp bundles on CPU with the plain-torch classifier (no
    ``transformers`` import, so a worker process starts seconds sooner) and everything else with
    ``transformers``; both give the same probabilities.
    """

    def __init__(
        self,
        model: str = DEFAULT_NLI_MODEL,
        *,
        device: str | None = None,
        max_length: int = 256,
        precision: Precision = "auto",
        trust_remote_code: bool = False,
        engine: Engine = "auto",
    ) -> None:
        bundle = bundle_folder(model)
        native = engine == "native" or (engine == "auto" and bundle is not None and device in (None, "cpu"))
        if native and bundle is None:
            raise ModelNotFoundError(f"engine='native' runs digestnlp bundles only; {model!r} is not one")
        if native and bundle is not None:
            net, config = load_native_classifier(bundle)
            id2label, positions = config["id2label"], config.get("max_position_embeddings", max_length)
            tokenizer = E5PieceTokenizer(ensure_e5_folder())
            self.loaded = LoadedModel(model=net, tokenizer=tokenizer, source=model, device="cpu")
        else:
            self.loaded = load_model(
                model, task="sequence-classification", device=device, trust_remote_code=trust_remote_code
            )
            config = self.loaded.model.config
            id2label, positions = config.id2label, getattr(config, "max_position_embeddings", max_length)
        self.engine: Engine = "native" if native else "transformers"
        self.order = label_mapping({int(k): v for k, v in id2label.items()})
        self.max_length = min(max_length, int(positions))
        precision = resolve_precision(precision, self.loaded.device)
        self.loaded.model = apply_precision(self.loaded.model, precision)
        self.autocast = autocast_needed(self.loaded.model, precision)
        self.precision: str = precision

    def _logits(self, premises: list[str], hypotheses: list[str]) -> Any:
        encode = self._encode_native if self.engine == "native" else self._encode
        try:
            enc = encode(premises, hypotheses, "only_first")
        except Exception:  # tokenizers raises a bare Exception when the hypothesis alone is too long
            enc = encode(premises, hypotheses, "longest_first")
        if self.engine == "native":
            return self.loaded.model(enc["input_ids"], enc["attention_mask"])
        return self.loaded.model(**enc.to(self.loaded.device)).logits

    def _encode_native(self, premises: list[str], hypotheses: list[str], truncation: str) -> Any:
        """Pairs through the SentencePiece e5 tokenizer; ``truncation`` as in ``transformers``: ``"only_first"``
        cuts the premise, ``"longest_first"`` whichever side is longer."""
        pairs = list(zip(premises, hypotheses, strict=True))
        return self.loaded.tokenizer.tensors(
            pairs, max_length=self.max_length, strategy=truncation, pad_to_multiple_of=PAD_MULTIPLE
        )

    def _encode(self, premises: list[str], hypotheses: list[str], truncation: str) -> Any:
        return self.loaded.tokenizer(
            premises, hypotheses, padding=True, truncation=truncation, max_length=self.max_length, return_tensors="pt"
        )

    def predict(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        batch_size: int = 32,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """Array of shape ``(len(pairs), 3)``: P(entailment), P(neutral), P(contradiction)."""
        import torch

        if isinstance(pairs, str | bytes):
            raise TypeError("predict takes a list of (premise, hypothesis) pairs, not one string")
        for k, pair in enumerate(pairs):
            if not (isinstance(pair, tuple | list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
                raise TypeError(
                    f"pair {k} is {type(pair).__name__} {str(pair)[:40]!r}; pass (premise, hypothesis) str pairs"
                )
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        if not pairs:
            return out
        lengths = [len(p) + len(h) for p, h in pairs]
        bar = progress(len(pairs), show_progress_bar, "nli")
        with torch.inference_mode():
            for idx in length_buckets(lengths, batch_size):
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.autocast):
                    logits = self._logits([pairs[i][0] for i in idx], [pairs[i][1] for i in idx])
                probs = torch.softmax(logits.float(), dim=-1).cpu().numpy()
                mapped = np.zeros((len(idx), len(LABELS)), dtype=np.float32)
                for j, target in enumerate(self.order):
                    mapped[:, target] += probs[:, j]
                out[idx] = mapped
                bar.update(len(idx))
        bar.close()
        return out

    def token_length(self, text: str) -> int:
        if self.engine == "native":
            return int(self.loaded.tokenizer.count(text))
        return len(self.loaded.tokenizer(text, add_special_tokens=False)["input_ids"])
