"""A minimal BERT encoder and sequence classifier in plain torch for inference.

Importing ``transformers`` costs 2–3 s, more than loading the weights; ``embed`` and the bundled
NLI model only need a forward pass, so they run this module (loaded from safetensors with
``transformers``' parameter names) and the SentencePiece e5 tokenizer. Outputs equal
``BertModel``'s and ``BertForSequenceClassification``'s.
"""

from __future__ import annotations

import functools
import json
import struct
from pathlib import Path
from typing import Any

import torch
from torch import nn

from digestnlp.errors import ModelFormatError


class _Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, ffn: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))
        self.attn_out = nn.Linear(hidden, hidden)
        self.attn_norm = nn.LayerNorm(hidden, eps=eps)
        self.ffn_in = nn.Linear(hidden, ffn)
        self.ffn_out = nn.Linear(ffn, hidden)
        self.out_norm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.heads, h // self.heads).transpose(1, 2)  # noqa: E731
        # In bf16 (``to_bf16`` or autocast) attention runs in bf16 too: with torch 2.13 the CPU
        # kernel is 1.7–2× faster than fp32 for these shapes (head size 32, 128–256 tokens), where
        # attention, not the projections, takes most of a layer's time.
        q, k, v = (split(proj(x)) for proj in (self.query, self.key, self.value))
        attn = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask.to(q.dtype))
        x = self.attn_norm(x + self.attn_out(attn.transpose(1, 2).reshape(b, t, h)))
        out: torch.Tensor = self.out_norm(x + self.ffn_out(nn.functional.gelu(self.ffn_in(x))))
        return out


class NativeBert(nn.Module):
    """``last_hidden_state`` of a BERT encoder from a Hugging Face folder (no pooler)."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        h, eps = config["hidden_size"], config["layer_norm_eps"]
        # Given storage, Embedding skips its random init, which costs ~0.5 s even on the meta
        # device; the weights are replaced on load anyway.
        self.word, self.position, self.token_type = (
            nn.Embedding(n, h, _weight=torch.empty(n, h))
            for n in (config["vocab_size"], config["max_position_embeddings"], config["type_vocab_size"])
        )
        self.norm = nn.LayerNorm(h, eps=eps)
        self.layers = nn.ModuleList(
            _Layer(h, config["num_attention_heads"], config["intermediate_size"], eps)
            for _ in range(config["num_hidden_layers"])
        )
        # The file the word embedding was read from, when it is the shared e5 table.
        self.word_source: tuple[str, int] | None = None

    def to_bf16(self) -> NativeBert:
        """The layers in bf16 (a bf16 forward pass runs at twice autocast's speed on CPU, which
        re-casts every weight and activation on each call), and the shared word embedding swapped
        for its one bf16 copy per process: 192 MB resident instead of the fp32 table's pages,
        which grow towards 384 MB as a worker meets more of the vocabulary."""
        self.norm.to(torch.bfloat16)
        self.layers.to(torch.bfloat16)
        if self.word_source is not None:
            self.word.weight = nn.Parameter(_word_embedding(*self.word_source, bf16=True), requires_grad=False)
        return self

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        embedded = self.word(input_ids) + self.position(positions)[None] + self.token_type.weight[0]
        x: torch.Tensor = self.norm(embedded.to(self.norm.weight.dtype))
        mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, mask)
        return x

    @classmethod
    def from_folder(cls, folder: Path) -> NativeBert:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        return cls.from_state(config, base_state(folder), word_source=word_embedding_source(folder))

    @classmethod
    def from_state(
        cls,
        config: dict[str, Any],
        state: dict[str, torch.Tensor],
        prefix: str = "",
        *,
        word_source: tuple[str, int] | None = None,
    ) -> NativeBert:
        """Build from a ``BertModel`` state dict whose keys start with ``prefix`` (e.g. ``"bert."``);
        ``word_source`` names the base file when the word embedding is its shared table."""
        with torch.device("meta"):
            model = cls(config)
        model.word_source = word_source
        names = {
            "word.weight": "embeddings.word_embeddings.weight",
            "position.weight": "embeddings.position_embeddings.weight",
            "token_type.weight": "embeddings.token_type_embeddings.weight",
            "norm.weight": "embeddings.LayerNorm.weight",
            "norm.bias": "embeddings.LayerNorm.bias",
        }
        parts = {
            "query": "attention.self.query",
            "key": "attention.self.key",
            "value": "attention.self.value",
            "attn_out": "attention.output.dense",
            "attn_norm": "attention.output.LayerNorm",
            "ffn_in": "intermediate.dense",
            "ffn_out": "output.dense",
            "out_norm": "output.LayerNorm",
        }
        for i in range(config["num_hidden_layers"]):
            for ours, theirs in parts.items():
                for p in ("weight", "bias"):
                    names[f"layers.{i}.{ours}.{p}"] = f"encoder.layer.{i}.{theirs}.{p}"
        model.load_state_dict({k: state[prefix + v].float() for k, v in names.items()}, assign=True)
        return model.eval()


class NativeBertClassifier(nn.Module):
    """``BertForSequenceClassification`` logits: tanh pooler on the first token, then a linear layer."""

    def __init__(self, bert: NativeBert, pooler: nn.Linear, classifier: nn.Linear) -> None:
        super().__init__()
        self.bert, self.pooler, self.classifier = bert, pooler, classifier

    def to_bf16(self) -> NativeBertClassifier:
        """The encoder's layers in bf16 (``NativeBert.to_bf16``); the small head stays in fp32."""
        self.bert.to_bf16()
        return self

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        first = self.bert(input_ids, attention_mask)[:, 0].float()
        logits: torch.Tensor = self.classifier(torch.tanh(self.pooler(first)))
        return logits

    @classmethod
    def from_state(
        cls, config: dict[str, Any], state: dict[str, torch.Tensor], *, word_source: tuple[str, int] | None = None
    ) -> NativeBertClassifier:
        def linear(name: str) -> nn.Linear:
            weight = state[f"{name}.weight"].float()
            layer = nn.Linear(weight.shape[1], weight.shape[0])
            layer.load_state_dict({"weight": weight, "bias": state[f"{name}.bias"].float()})
            return layer

        bert = NativeBert.from_state(config, state, "bert.", word_source=word_source)
        model = cls(bert, linear("bert.pooler.dense"), linear("classifier"))
        return model.eval()


WORD_EMBEDDING = "embeddings.word_embeddings.weight"


def word_embedding_source(folder: Path) -> tuple[str, int]:
    """The base file's resolved path and modification time: the key of its shared word embedding."""
    path = folder / "model.safetensors"
    return str(path.resolve()), path.stat().st_mtime_ns


def base_state(folder: Path) -> dict[str, torch.Tensor]:
    """The weights of the base encoder in ``folder``, its word embedding shared process-wide.

    The frozen word embedding is 96M of the e5 encoder's 118M parameters; the encoder and every
    NLI bundle on the same base use it unchanged, so one copy serves them all.
    """
    from safetensors import safe_open

    path = folder / "model.safetensors"
    # Copies, not views of the file's pages: a model converts these to bf16, and a view would keep
    # the whole mapping (every page the conversion read, ~80 MB) resident for the process's life.
    with safe_open(str(path), framework="pt") as fh:
        state = {k: fh.get_tensor(k).clone() for k in fh.keys() if k != WORD_EMBEDDING}  # noqa: SIM118
    state[WORD_EMBEDDING] = _word_embedding(*word_embedding_source(folder))
    return state


@functools.lru_cache(maxsize=4)
def _word_embedding(path: str, mtime_ns: int, *, bf16: bool = False) -> torch.Tensor:
    """The table as stored (fp32, read from the file's pages as rows are used), or a bf16 copy."""
    if bf16:
        return _bf16_table(Path(path))
    from safetensors import safe_open

    with safe_open(path, framework="pt") as fh:
        weight: torch.Tensor = fh.get_tensor(WORD_EMBEDDING)
    return weight.float()


def _bf16_table(path: Path, rows_per_read: int = 16384) -> torch.Tensor:
    """The fp32 word embedding of a safetensors file converted to bf16 a slice at a time, read with
    plain file reads: mapping the file would leave all 384 MB of its pages resident beside the
    192 MB copy."""
    import numpy as np

    with path.open("rb") as fh:
        (header_len,) = struct.unpack("<Q", fh.read(8))
        entry = json.loads(fh.read(header_len))[WORD_EMBEDDING]
        if entry["dtype"] != "F32" or len(entry["shape"]) != 2:
            raise ModelFormatError(
                f"{path}: {WORD_EMBEDDING} is {entry['dtype']} {entry['shape']}, not a 2-D F32 table"
            )
        n, dim = entry["shape"]
        out = torch.empty((n, dim), dtype=torch.bfloat16)
        fh.seek(8 + header_len + entry["data_offsets"][0])
        for start in range(0, n, rows_per_read):
            count = min(rows_per_read, n - start)
            chunk = np.fromfile(fh, dtype="<f4", count=count * dim)
            if chunk.size != count * dim:
                raise ModelFormatError(f"{path} ends inside {WORD_EMBEDDING}: rebuild the e5 folder")
            out[start : start + count] = torch.from_numpy(chunk.reshape(count, dim))
    return out
