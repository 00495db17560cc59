"""Sentence embeddings from the e5 encoder: mean pooling, L2 normalisation, e5 prefixes."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any, Literal

import numpy as np

from digestnlp.modeling.bundle import E5_NAME
from digestnlp.modeling.cache import PAD_MULTIPLE
from digestnlp.modeling.loading import (
    LoadedModel,
    Precision,
    apply_precision,
    autocast_needed,
    load_model,
    resolve_precision,
)

Kind = Literal["passage", "query"]
_PREFIX = {"passage": "passage: ", "query": "query: "}


def length_buckets(lengths: Sequence[int], batch_size: int, max_ratio: float = 1.3) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length, so padding stays small.

    A batch also ends where the next item is ``max_ratio`` times longer than its first: a call
    checks a few dozen pairs of very different lengths, and one batch of all of them spent 40% of
    its tokens on padding. On CPU a smaller batch costs almost nothing per token.
    """
    batch: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        if batch and (len(batch) >= batch_size or lengths[i] > max_ratio * max(1, lengths[batch[0]])):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


class Encoder:
    """An e5-style sentence encoder. Create once and reuse: loading is the expensive part."""

    def __init__(
        self, model: str = E5_NAME, *, device: str | None = None, max_length: int = 512, precision: Precision = "auto"
    ) -> None:
        self.max_length = max_length
        self.native = model == E5_NAME and device in (None, "cpu")
        if self.native:
            # The bundled encoder skips transformers entirely: its import alone costs 2–3 s.
            self.loaded = _native_e5(max_length)
        else:
            self.loaded = load_model(model, task="encoder", device=device)
        self.precision = resolve_precision(precision, self.loaded.device)
        self.loaded.model = apply_precision(self.loaded.model, self.precision)
        self.autocast = autocast_needed(self.loaded.model, self.precision)
        self.hidden_size = (
            int(self.loaded.model.config.hidden_size) if not self.native else self.loaded.model.word.embedding_dim
        )

    def _encode(self, texts: list[str]) -> dict[str, Any]:
        if not self.native:
            enc = self.loaded.tokenizer(
                texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
            ).to(self.loaded.device)
            return dict(enc)
        tensors: dict[str, Any] = self.loaded.tokenizer.tensors(
            texts, max_length=self.max_length, pad_to_multiple_of=PAD_MULTIPLE
        )
        return tensors

    def _states(self, enc: dict[str, Any]) -> Any:
        if self.native:
            return self.loaded.model(enc["input_ids"], enc["attention_mask"])
        return self.loaded.model(**enc).last_hidden_state

    def embed(
        self,
        texts: Sequence[str],
        *,
        kind: Kind = "passage",
        batch_size: int = 32,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        if kind not in _PREFIX:
            raise ValueError(f"kind must be 'passage' or 'query', not {kind!r}")
        # A text given twice (a page's repeated sentence) is encoded once.
        prefixed = [_PREFIX[kind] + t for t in texts]
        unique = list(dict.fromkeys(prefixed))
        if not unique:
            return np.zeros((0, self.hidden_size), dtype=np.float32)
        vecs = self._encode_pooled(unique, batch_size, show_progress_bar)
        if len(unique) == len(prefixed):
            return vecs
        row = {t: k for k, t in enumerate(unique)}
        return vecs[[row[t] for t in prefixed]]

    def _encode_pooled(self, prefixed: list[str], batch_size: int, show_progress_bar: bool) -> np.ndarray:
        import torch

        out = np.zeros((len(prefixed), self.hidden_size), dtype=np.float32)
        lengths = [len(t) for t in prefixed]
        bar = progress(len(prefixed), show_progress_bar, "embed")
        with torch.inference_mode():
            for idx in length_buckets(lengths, batch_size):
                enc = self._encode([prefixed[i] for i in idx])
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.autocast):
                    states = self._states(enc).float()
                mask = enc["attention_mask"].unsqueeze(-1).to(states.dtype)
                pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                pooled = torch.nn.functional.normalize(pooled, dim=-1)
                out[idx] = pooled.cpu().numpy()
                bar.update(len(idx))
        bar.close()
        return out


def _native_e5(max_length: int) -> LoadedModel:
    from digestnlp.modeling.bert import NativeBert
    from digestnlp.modeling.cache import E5PieceTokenizer, ensure_e5_folder

    folder = ensure_e5_folder()
    return LoadedModel(
        model=NativeBert.from_folder(folder), tokenizer=E5PieceTokenizer(folder), source=E5_NAME, device="cpu"
    )


def progress(total: int, enabled: bool, desc: str) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not enabled, desc=desc, unit="text")


_shared: dict[str, Encoder] = {}
_shared_lock = threading.Lock()


def get_encoder(model: str = E5_NAME) -> Encoder:
    """The process-wide encoder for ``model``, created on first use."""
    with _shared_lock:
        if model not in _shared:
            _shared[model] = Encoder(model)
        return _shared[model]


def embed(
    texts: str | Sequence[str],
    *,
    kind: Kind = "passage",
    batch_size: int = 32,
    show_progress_bar: bool = False,
    model: str = E5_NAME,
) -> np.ndarray:
    """Embed one text (returns shape ``(dim,)``) or many (``(n, dim)``), L2-normalised."""
    single = isinstance(texts, str)
    items = [texts] if isinstance(texts, str) else list(texts)
    bad = next((k for k, t in enumerate(items) if not isinstance(t, str)), None)
    if bad is not None:
        raise TypeError(f"embed takes str or a list of str; item {bad} is {type(items[bad]).__name__}")
    vectors = get_encoder(model).embed(items, kind=kind, batch_size=batch_size, show_progress_bar=show_progress_bar)
    return vectors[0] if single else vectors
