"""One loading path for every model digestnlp uses: bundled names, local folders and hub ids."""

from __future__ import annotations

import ctypes
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from digestnlp.errors import ModelNotFoundError, UnsafeWeightsError
from digestnlp.modeling.bundle import BUNDLE_MARKER, E5_NAME, load_bundle
from digestnlp.modeling.cache import e5_tokenizer, ensure_e5_folder

Task = Literal["encoder", "sequence-classification", "seq2seq"]


@dataclass
class LoadedModel:
    """A model, its tokenizer and where it came from."""

    model: Any
    tokenizer: Any
    source: str
    device: str


def bundled_models_dir() -> Path:
    """Bundled weights: inside the installed wheel, else the source checkout's ``models/``."""
    packaged = Path(__file__).resolve().parent.parent / "bundled_models"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "models"


def bundled_names() -> list[str]:
    root = bundled_models_dir()
    names = [E5_NAME]
    if root.is_dir():
        names += sorted(p.name for p in root.iterdir() if (p / BUNDLE_MARKER).is_file())
    return names


Precision = Literal["auto", "fp32", "bf16", "int8"]


def bf16_supported() -> bool:
    """Native bf16 matrix units (AVX512-BF16/AMX): autocast is then faster at near-fp32 accuracy."""
    import torch

    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def resolve_precision(precision: Precision, device: str) -> Precision:
    """``auto`` → bf16 on CPUs with native bf16, fp32 elsewhere (and on CUDA)."""
    if precision != "auto":
        return precision
    return "bf16" if device == "cpu" and bf16_supported() else "fp32"


def apply_precision(model: Any, precision: Precision) -> Any:
    """The model as it should run: ``int8`` quantises the linear layers dynamically (CPU only);
    ``bf16`` casts a plain-torch model's layers (``to_bf16``); anything else, or a ``transformers``
    model, is returned as it is (bf16 then runs under autocast: ``autocast_needed``)."""
    bound_kernel_cache()
    if precision == "int8":
        import torch

        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    if precision == "bf16" and native_model(model):
        return model.to_bf16()
    return model


# oneDNN keeps a compiled kernel per input shape (1,024 by default). Batches of texts come in
# every length, so that cache grew an audit of 80 dev pages by ~0.3 GB without making it faster: a
# small one runs as fast (``benchmarks/bench_audit.py`` reports peak worker RSS).
KERNEL_CACHE = "8"


def bound_kernel_cache() -> None:
    """Cap oneDNN's kernel cache before the first forward pass reads the setting, unless the user
    chose a size (``ONEDNN_PRIMITIVE_CACHE_CAPACITY``)."""
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", KERNEL_CACHE)


def release_free_memory() -> None:
    """Return the heap's free pages to the OS (glibc only; elsewhere nothing to do).

    A batch of long pairs leaves hundreds of MB of freed activations that glibc keeps for reuse;
    a worker that audits group after group would otherwise carry that as resident memory.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl and other C libraries have no malloc_trim
        return
    trim(0)


def native_model(model: Any) -> bool:
    from digestnlp.modeling.bert import NativeBert, NativeBertClassifier

    return isinstance(model, NativeBert | NativeBertClassifier)


def autocast_needed(model: Any, precision: Precision) -> bool:
    """bf16 precision for a model whose weights are still fp32."""
    return precision == "bf16" and not native_model(model)


def bundle_folder(spec: str) -> Path | None:
    """The folder of a digestnlp bundle: a bundled model's name, or a path to a bundle folder."""
    if "/" not in spec and (bundled_models_dir() / spec / BUNDLE_MARKER).is_file():
        return bundled_models_dir() / spec
    if spec and (Path(spec) / BUNDLE_MARKER).is_file():
        return Path(spec)
    return None


def resolve_device(device: str | None) -> str:
    import torch

    if device in (None, "cpu"):
        return "cpu"
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ModelNotFoundError(f"device {device!r} was requested but CUDA is not available; use device='cpu'")
        return device
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    raise ValueError(f"unknown device {device!r}: use 'cpu', 'cuda', 'cuda:N' or 'auto'")


def _auto_class(task: Task) -> Any:
    import transformers

    return {
        "encoder": transformers.AutoModel,
        "sequence-classification": transformers.AutoModelForSequenceClassification,
        "seq2seq": transformers.AutoModelForSeq2SeqLM,
    }[task]


def _check_safetensors(folder: Path) -> None:
    if not any(folder.glob("*.safetensors")) and any(folder.glob("*.bin")) | any(folder.glob("*.pt*")):
        raise UnsafeWeightsError(
            f"{folder} has only pickle-based weights; digestnlp loads safetensors only. "
            "Convert them once with transformers' save_pretrained(safe_serialization=True)."
        )


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """Silence transformers' load reports and progress bars (missing pooler etc.) for library use."""
    from transformers.utils import logging as hf_logging

    level = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)
        if bars:
            hf_logging.enable_progress_bar()


def load_model(
    spec: str | os.PathLike[str] = E5_NAME,
    *,
    task: Task = "encoder",
    device: str | None = None,
    dtype: Any = None,
    trust_remote_code: bool = False,
    revision: str | None = None,
) -> LoadedModel:
    """Load a bundled model by name, a local Hugging Face folder, or a hub id.

    Weights are read from safetensors only. Remote code runs only when ``trust_remote_code`` is
    set. Offline, a hub id fails fast with the list of bundled alternatives.
    """
    dev = resolve_device(device)
    text = os.fspath(spec)
    kwargs: dict[str, Any] = {"trust_remote_code": trust_remote_code, "use_safetensors": True}
    if dtype is not None:
        kwargs["dtype"] = dtype
    with quiet_transformers():
        model, tokenizer = _load(text, task, kwargs, dtype, revision, trust_remote_code)
    model.eval()
    return LoadedModel(model=model.to(dev), tokenizer=tokenizer, source=text, device=dev)


def _load(
    text: str, task: Task, kwargs: dict[str, Any], dtype: Any, revision: str | None, trust_remote_code: bool
) -> tuple[Any, Any]:
    from transformers import AutoTokenizer

    bundle = bundle_folder(text)
    if text == E5_NAME:
        folder = ensure_e5_folder()
        model = _auto_class(task).from_pretrained(folder, **kwargs)
        tokenizer = e5_tokenizer(folder)
    elif bundle is not None:
        model, tokenizer = load_bundle(bundle, dtype)
    elif Path(text).is_dir():
        folder = Path(text)
        if not (folder / "config.json").is_file():
            raise ModelNotFoundError(
                f"{text} is not a model folder: it has no config.json (a bundled name: {', '.join(bundled_names())})"
            )
        _check_safetensors(folder)
        try:
            model = _auto_class(task).from_pretrained(text, **kwargs)
            tokenizer = AutoTokenizer.from_pretrained(text, trust_remote_code=trust_remote_code)
        except (OSError, ValueError, KeyError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelNotFoundError(f"{text} does not load as a {task} model: {first}") from exc
    elif Path(text).exists():
        raise ModelNotFoundError(f"{text} is a file; pass the folder that holds config.json and the weights")
    else:
        model, tokenizer = _load_hub(text, task, kwargs, revision)
    return model, tokenizer


def hub_reachable(timeout: float = 3.0) -> bool:
    """One TCP connection to the hub endpoint, so offline machines fail in seconds, not after retries."""
    if os.environ.get("HF_HUB_OFFLINE") in ("1", "true", "True"):
        return False
    from huggingface_hub import constants

    host = urlparse(constants.ENDPOINT).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
    except OSError:
        return False
    return True


def _load_hub(repo_id: str, task: Task, kwargs: dict[str, Any], revision: str | None) -> tuple[Any, Any]:
    from transformers import AutoTokenizer

    if not hub_reachable():
        kwargs = {**kwargs, "local_files_only": True}
    try:
        model = _auto_class(task).from_pretrained(repo_id, revision=revision, **kwargs)
        tokenizer = AutoTokenizer.from_pretrained(
            repo_id,
            revision=revision,
            trust_remote_code=kwargs["trust_remote_code"],
            local_files_only=kwargs.get("local_files_only", False),
        )
    except OSError as exc:
        raise ModelNotFoundError(
            f"could not load {repo_id!r} from the Hugging Face hub or its local cache ({exc.__class__.__name__}). "
            f"Offline, use a bundled model ({', '.join(bundled_names())}) or a local folder."
        ) from exc
    return model, tokenizer
