"""Fine-tune an NLI cross-encoder from the offline e5 encoder, on two CPU cores.

What makes this fit a session: the 96M-parameter word embedding is frozen (it halves step time
and memory), batches are bucketed by length (caption pairs are short, news pairs long), and bf16
autocast is used where the CPU supports it. Everything is seeded.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from digestnlp.check.nli import LABELS
from digestnlp.training.data import NLIPair


def stderr_log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@dataclass
class TrainConfig:
    base: str = "e5-small"
    epochs: float = 1.0
    batch_size: int = 32
    learning_rate: float = 5e-5
    warmup_ratio: float = 0.06
    weight_decay: float = 0.01
    max_length: int = 192
    freeze_word_embeddings: bool = True
    bf16: bool = True
    seed: int = 13
    max_steps: int | None = None
    log_every: int = 20
    threads: int | None = None
    # A student: keep this many of the base's layers, evenly spaced and ending with its top one.
    layers: int | None = None
    # With a teacher's probabilities, the loss is this share soft (cross-entropy against the
    # teacher) and the rest hard (against the gold labels).
    soft_weight: float = 0.5


def bucketed_batches(lengths: Sequence[int], batch_size: int, rng: random.Random, window: int = 50) -> list[list[int]]:
    """Shuffle, sort within windows of ``window`` batches by length, then shuffle the batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    span = batch_size * window
    batches: list[list[int]] = []
    for start in range(0, len(order), span):
        chunk = sorted(order[start : start + span], key=lambda i: lengths[i])
        batches += [chunk[k : k + batch_size] for k in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def new_classifier(base: str = "e5-small") -> tuple[Any, Any]:
    """A 3-way sequence classifier on top of ``base`` with the library's label order; a bundle
    folder (a classifier already) continues from its weights."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from digestnlp.modeling.bundle import BUNDLE_MARKER, E5_NAME, load_bundle
    from digestnlp.modeling.cache import ensure_e5_folder

    if (Path(base) / BUNDLE_MARKER).is_file():
        return load_bundle(Path(base), None)
    folder = ensure_e5_folder() if base == E5_NAME else Path(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        folder,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)},
        use_safetensors=True,
    )
    tokenizer = AutoTokenizer.from_pretrained(folder)
    return model, tokenizer


def keep_layers(model: Any, n: int) -> None:
    """Cut ``model``'s encoder to ``n`` of its layers: every k-th one, ending with the top (as
    DistilBERT takes every other layer), so the head still reads the representation it was
    trained on."""
    import torch

    layers = model.base_model.encoder.layer
    if not 0 < n <= len(layers):
        raise ValueError(f"layers must be between 1 and the base's {len(layers)}; got {n}")
    keep = [round((k + 1) * len(layers) / n) - 1 for k in range(n)]
    model.base_model.encoder.layer = torch.nn.ModuleList(layers[i] for i in keep)
    model.config.num_hidden_layers = n


def teacher_probabilities(teacher: str, pairs: Sequence[NLIPair], max_length: int) -> np.ndarray:
    """The teacher's P(entailment, neutral, contradiction) for each pair, in the library's order."""
    from digestnlp.check.nli import NLIModel

    model = NLIModel(teacher, max_length=max_length)
    return model.predict([(p.premise, p.hypothesis) for p in pairs], batch_size=64, show_progress_bar=True)


def train_nli(
    pairs: Sequence[NLIPair],
    config: TrainConfig | None = None,
    *,
    log: Callable[[str], None] | None = None,
    teacher_probs: np.ndarray | None = None,
) -> tuple[Any, Any]:
    """Train and return ``(model, tokenizer)``; see :func:`save_bundle` to ship the result.

    With ``teacher_probs`` (one row per pair, from :func:`teacher_probabilities`) the model is
    distilled: it learns the teacher's whole distribution, which says more per pair than a label.
    """
    import torch
    from transformers import get_linear_schedule_with_warmup

    cfg = config or TrainConfig()
    say = log or stderr_log
    random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    model, tokenizer = new_classifier(cfg.base)
    if cfg.layers is not None:
        keep_layers(model, cfg.layers)
    if teacher_probs is not None and len(teacher_probs) != len(pairs):
        raise ValueError(f"teacher_probs has {len(teacher_probs)} rows for {len(pairs)} pairs")
    soft = None if teacher_probs is None else torch.as_tensor(np.asarray(teacher_probs, dtype=np.float32))
    if cfg.freeze_word_embeddings:
        model.base_model.embeddings.word_embeddings.weight.requires_grad_(False)
    enc = tokenizer(
        [p.premise for p in pairs],
        [p.hypothesis for p in pairs],
        truncation="only_first",
        max_length=cfg.max_length,
    )
    input_ids: list[list[int]] = enc["input_ids"]
    labels = [p.label for p in pairs]
    rng = random.Random(cfg.seed)
    epochs = max(1, math.ceil(cfg.epochs))
    plan: list[list[int]] = []
    for _ in range(epochs):
        plan += bucketed_batches([len(x) for x in input_ids], cfg.batch_size, rng)
    total = len(plan) if cfg.epochs >= epochs else int(len(plan) * cfg.epochs / epochs)
    if cfg.max_steps is not None:
        total = min(total, cfg.max_steps)
    plan = plan[:total]
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.ndim > 1]
    no_decay = [p for p in params if p.ndim <= 1]
    optim = torch.optim.AdamW(
        [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=cfg.learning_rate,
    )
    sched = get_linear_schedule_with_warmup(optim, int(cfg.warmup_ratio * total), max(total, 1))
    pad = tokenizer.pad_token_id
    model.train()
    start = time.time()
    running = 0.0
    for step, idx in enumerate(plan, 1):
        width = max(len(input_ids[i]) for i in idx)
        ids = torch.full((len(idx), width), pad, dtype=torch.long)
        mask = torch.zeros((len(idx), width), dtype=torch.long)
        for row, i in enumerate(idx):
            ids[row, : len(input_ids[i])] = torch.tensor(input_ids[i])
            mask[row, : len(input_ids[i])] = 1
        target = torch.tensor([labels[i] for i in idx])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cfg.bf16):
            logits = model(input_ids=ids, attention_mask=mask).logits
        loss = torch.nn.functional.cross_entropy(logits.float(), target)
        if soft is not None:
            soft_loss = torch.nn.functional.cross_entropy(logits.float(), soft[idx])
            loss = cfg.soft_weight * soft_loss + (1 - cfg.soft_weight) * loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optim.step()
        sched.step()
        optim.zero_grad(set_to_none=True)
        running += loss.item()
        if step % cfg.log_every == 0 or step == total:
            elapsed = time.time() - start
            say(
                f"step {step}/{total} loss {running / min(step, cfg.log_every) if step % cfg.log_every else running / cfg.log_every:.4f} "
                f"elapsed {elapsed / 60:.1f} min eta {elapsed / step * (total - step) / 60:.1f} min"
            )
            running = 0.0
    model.eval()
    return model, tokenizer
