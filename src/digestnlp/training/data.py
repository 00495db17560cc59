"""Readers for the Japanese NLI sets in ``shared/data`` (each folder's README gives its format).

Labels are mapped to the library's order ``entailment, neutral, contradiction``; JaNLI's two-way
``non-entailment`` becomes ``neutral`` (it is never a contradiction there).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digestnlp.check.nli import LABEL_ID, LABELS
from digestnlp.errors import InputError

_SEGMENT_SPACE = re.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])")

csv.field_size_limit(1 << 24)


@dataclass(frozen=True, slots=True)
class NLIPair:
    """One labelled pair. ``altered`` is, for a claim made by altering a true one, the text that
    was replaced, so an evaluation can tell whether the premise states what was changed.
    ``published`` is the date a card made of the pair would show (its 公開日), when known."""

    premise: str
    hypothesis: str
    label: int
    source: str
    altered: str = ""
    published: dt.date | None = None


def shared_data_dir() -> Path:
    """``$DIGESTNLP_DATA`` or the ``shared/data`` folder beside the checkout."""
    env = os.environ.get("DIGESTNLP_DATA")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    candidates += [parent / "shared" / "data" for parent in here.parents] + [Path.cwd().parent / "shared" / "data"]
    for cand in candidates:
        if cand.is_dir():
            return cand
    raise InputError("the shared data folder was not found: set DIGESTNLP_DATA to the path of shared/data")


def desegment(text: str) -> str:
    """Remove word-segmentation spaces, keeping those between two Latin/digit tokens."""
    return _SEGMENT_SPACE.sub("", text.strip().replace("\u3000", " "))


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def _pair(premise: str, hypothesis: str, label: str, source: str) -> NLIPair:
    return NLIPair(premise.strip(), hypothesis.strip(), LABEL_ID[label.strip()], source)


def jnli(split: str, root: Path | None = None) -> list[NLIPair]:
    """JGLUE JNLI ``valid`` or ``test``."""
    path = (root or shared_data_dir()) / "jglue-jnli" / f"{split}-v1.3.json"
    return [_pair(str(r["sentence1"]), str(r["sentence2"]), str(r["label"]), f"jnli-{split}") for r in _jsonl(path)]


def jsick(split: str, root: Path | None = None) -> list[NLIPair]:
    """JSICK ``train`` or ``test``."""
    path = (root or shared_data_dir()) / "jsick" / "jsick" / f"{split}.tsv"
    return [
        _pair(r["sentence_A_Ja"], r["sentence_B_Ja"], r["entailment_label_Ja"], f"jsick-{split}")
        for r in _tsv(path)
        if r.get("entailment_label_Ja") in LABEL_ID
    ]


def jnli_neg(split: str, root: Path | None = None) -> list[NLIPair]:
    """JNLI-Neg ``train`` or ``valid``."""
    path = (root or shared_data_dir()) / "jnli-neg" / f"jnli-neg-{split}-v1.1.jsonl"
    out = []
    for r in _jsonl(path):
        s1, s2 = r["sentence1"], r["sentence2"]
        assert isinstance(s1, dict) and isinstance(s2, dict)
        out.append(_pair(str(s1["sentence"]), str(s2["sentence"]), str(r["gold_label"]), f"jnli-neg-{split}"))
    return out


def janli(split: str, root: Path | None = None) -> list[NLIPair]:
    """JaNLI ``train`` or ``test``; non-entailment is mapped to neutral."""
    path = (root or shared_data_dir()) / "janli" / "janli.tsv"
    out = []
    for r in _tsv(path):
        if r["split"] != split:
            continue
        label = "entailment" if r["entailment_label_Ja"] == "entailment" else "neutral"
        out.append(_pair(r["sentence_A_Ja"], r["sentence_B_Ja"], label, f"janli-{split}"))
    return out


def jamp(split: str, root: Path | None = None) -> list[NLIPair]:
    """Jamp ``train`` (train_all) or ``test`` (test_2)."""
    name = {"train": "train_all.tsv", "test": "test_2.tsv"}[split]
    path = (root or shared_data_dir()) / "jamp" / name
    return [_pair(r["premise"], r["hypothesis"], r["gold_label"], f"jamp-{split}") for r in _tsv(path)]


def jsnli_dev(root: Path | None = None) -> list[NLIPair]:
    path = (root or shared_data_dir()) / "jsnli-dev" / "dev.tsv"
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[0] in LABEL_ID:
                out.append(_pair(desegment(parts[1]), desegment(parts[2]), parts[0], "jsnli-dev"))
    return out


def evaluation_sets(root: Path | None = None) -> dict[str, list[NLIPair]]:
    return {
        "jnli-valid": jnli("valid", root),
        "jsick-test": jsick("test", root),
        "jnli-neg-valid": jnli_neg("valid", root),
        "janli-test": janli("test", root),
    }


def read_pairs_jsonl(path: Path) -> list[NLIPair]:
    """User-labelled pairs: one ``{"premise", "hypothesis", "label"}`` object a line."""
    out = []
    for k, row in enumerate(_jsonl(path), 1):
        try:
            label = str(row["label"]).strip().lower()
            out.append(NLIPair(str(row["premise"]), str(row["hypothesis"]), LABEL_ID[label], path.name))
        except KeyError as exc:
            raise InputError(
                f"{path}:{k}: needs premise, hypothesis and label (one of {', '.join(LABELS)}); missing {exc}"
            ) from exc
    if not out:
        raise InputError(f"{path} holds no pairs")
    return out


@dataclass(frozen=True, slots=True)
class WrittenCard:
    """One written source card: ``kind`` is ``match`` (faithful) or its error's kind; ``error_bullet``
    is the index of the bullet that carries the error (``None`` on a faithful card)."""

    kind: str
    bullets: tuple[str, ...]
    error_bullet: int | None = None


@dataclass(frozen=True, slots=True)
class WrittenArticle:
    """An article of ``digest-cards-train``: its headline, body, written cards and learn bullets.

    ``learn_bad`` pairs each unsupported learn bullet with how it fails (``contradicts`` or ``adds``).
    """

    id: int
    split: str
    headline: str
    published: dt.date | None
    body: str
    style: str
    learn: tuple[str, ...]
    learn_bad: tuple[tuple[str, str], ...]
    cards: tuple[WrittenCard, ...]

    @property
    def match(self) -> WrittenCard:
        return next(c for c in self.cards if c.kind == "match")


def written_cards(split: str | None = None, root: Path | None = None) -> list[WrittenArticle]:
    """The written cards of ``digest-cards-train``: ``split`` ``train`` or ``calibration`` (or both)."""
    path = (root or shared_data_dir()) / "digest-cards-train" / "cards.jsonl"
    out = []
    for row in _jsonl(path):
        r: dict[str, Any] = row
        if split is not None and r["split"] != split:
            continue
        published = r.get("published")
        out.append(
            WrittenArticle(
                id=int(str(r["id"])),
                split=str(r["split"]),
                headline=str(r["headline"]).strip(),
                published=dt.date.fromisoformat(str(published)) if published else None,
                body=str(r["body"]).strip(),
                style=str(r["style"]),
                learn=tuple(str(t) for t in r["learn"]),
                learn_bad=tuple((str(b["text"]), str(b["how"])) for b in r["learn_bad"]),
                cards=tuple(
                    WrittenCard(
                        str(c["kind"]),
                        tuple(str(t) for t in c["bullets"]),
                        None if c.get("error_bullet") is None else int(c["error_bullet"]),
                    )
                    for c in r["cards"]
                ),
            )
        )
    return out
