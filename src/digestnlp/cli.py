"""Command line: ``digestnlp parse|tokenize|embed|check|train-nli``; ``--help`` on each."""

from __future__ import annotations

import functools
import json
import re
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer

from digestnlp.check.cards import ArticleCheck
from digestnlp.check.nli import DEFAULT_NLI_MODEL
from digestnlp.errors import DigestNLPError, InputError

app = typer.Typer(
    help="Audit Japanese digest articles: parse pages, tokenise, check source cards with NLI.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")

FileArg = Annotated[str, typer.Argument(help="A text or HTML file, or - for standard input.")]


class TokenFormat(StrEnum):
    tsv = "tsv"
    json = "json"


class Recipe(StrEnum):
    bundled = "bundled"
    refine = "refine"


class Weighting(StrEnum):
    cls = "class"
    kind = "kind"


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _fail(exc: DigestNLPError) -> NoReturn:
    typer.echo(f"error: {' '.join(str(exc).split())}", err=True)
    raise typer.Exit(2)


def command(name: str | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """``app.command`` whose every ``DigestNLPError`` (bad input, model not found, output locked…)
    is one line on stderr and exit code 2, never a traceback."""

    def register(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except DigestNLPError as exc:
                _fail(exc)

        app.command(name)(run)
        return run

    return register


@command()
def parse(path: FileArg) -> None:
    """Parse a digest page into JSON: title, learn bullets, chapters and source cards."""
    from digestnlp.article import parse_page
    from digestnlp.io import read_text

    article = parse_page(read_text(path))
    data = article.to_dict()
    _emit({k: data[k] for k in ("title", "learn_bullets", "chapters", "cards")} | {"warnings": article.warnings})


@command()
def tokenize(
    path: FileArg,
    fmt: Annotated[TokenFormat, typer.Option("--format", help="tsv (one morpheme a line) or json.")] = TokenFormat.tsv,
) -> None:
    """Split into sentences and morphemes (surface, lemma, POS, reading, span)."""
    from digestnlp.io import read_text
    from digestnlp.text import split_sentences
    from digestnlp.text import tokenize as morphemes

    text = read_text(path)
    sentences = []
    for sent in split_sentences(text):
        toks = morphemes(sent.text, offset=sent.start)
        sentences.append((sent, toks))
    if fmt is TokenFormat.json:
        _emit(
            [
                {
                    "text": s.text,
                    "start": s.start,
                    "end": s.end,
                    "tokens": [
                        {
                            "surface": t.surface,
                            "lemma": t.lemma,
                            "pos": t.pos,
                            "pos_detail": list(t.pos_detail),
                            "reading": t.reading,
                            "start": t.start,
                            "end": t.end,
                        }
                        for t in toks
                    ],
                }
                for s, toks in sentences
            ]
        )
        return
    out = sys.stdout
    out.write("sentence\tsurface\tlemma\tpos\tpos_detail\treading\tstart\tend\n")
    for k, (_, toks) in enumerate(sentences):
        for t in toks:
            out.write(
                f"{k}\t{t.surface}\t{t.lemma}\t{t.pos}\t{'-'.join(t.pos_detail)}\t{t.reading}\t{t.start}\t{t.end}\n"
            )


@command("train-nli")
def train_nli_cmd(
    out: Annotated[Path, typer.Option(help="Folder to write the model bundle to.")],
    pairs: Annotated[
        Path | None,
        typer.Option(help="JSONL of {premise, hypothesis, label} to train on instead of the bundled recipe."),
    ] = None,
    recipe: Annotated[
        Recipe,
        typer.Option(
            help="bundled: the bundled model's first stage (from e5-small); "
            "refine: its second stage (written cards again, with replay; pass --base FIRST_STAGE_DIR --lr 3e-5 --epochs 3)."
        ),
    ] = Recipe.bundled,
    base: Annotated[
        str, typer.Option(help="Start from: 'e5-small', a local encoder folder or a model bundle to continue.")
    ] = "e5-small",
    epochs: Annotated[float, typer.Option()] = 1.0,
    batch_size: Annotated[int, typer.Option()] = 32,
    lr: Annotated[float, typer.Option("--lr")] = 5e-5,
    max_length: Annotated[int, typer.Option()] = 160,
    max_steps: Annotated[int | None, typer.Option(help="Stop after this many steps (smoke tests).")] = None,
    limit: Annotated[int | None, typer.Option(help="Use only the first N pairs (smoke tests).")] = None,
    seed: Annotated[int, typer.Option()] = 13,
    bf16: Annotated[bool, typer.Option(help="bf16 autocast on CPUs that support it.")] = True,
    layers: Annotated[
        int | None, typer.Option(help="Keep this many of the base's layers (a smaller, faster student).")
    ] = None,
    teacher: Annotated[
        str | None,
        typer.Option(help="Distil from this NLI model: learn its probabilities as well as the labels."),
    ] = None,
) -> None:
    """Fine-tune an NLI cross-encoder (the bundled recipe, or your own labelled pairs)."""
    from dataclasses import asdict

    from digestnlp.modeling.bundle import BUNDLE_MARKER, E5_NAME, save_bundle
    from digestnlp.training.data import read_pairs_jsonl
    from digestnlp.training.recipe import bundled_training_pairs, describe, refine_pairs
    from digestnlp.training.train import TrainConfig, teacher_probabilities, train_nli

    if pairs:
        data = read_pairs_jsonl(pairs)
    else:
        data = refine_pairs(seed) if recipe is Recipe.refine else bundled_training_pairs(seed)
    data = data[:limit] if limit else data
    typer.echo(f"training on {len(data)} pairs: {describe(data)}", err=True)
    cfg = TrainConfig(
        base=base,
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=lr,
        max_length=max_length,
        max_steps=max_steps,
        seed=seed,
        bf16=bf16,
        layers=layers,
    )
    start = time.perf_counter()
    soft = teacher_probabilities(teacher, data, max_length) if teacher else None
    model, _ = train_nli(data, cfg, teacher_probs=soft)
    minutes = round((time.perf_counter() - start) / 60, 1)
    continued = (Path(base) / BUNDLE_MARKER).is_file()
    meta: dict[str, object] = {"train_config": asdict(cfg), "pairs": describe(data), "train_minutes": minutes}
    if teacher:
        meta["teacher"] = teacher
    if continued:
        meta["continued_from"] = json.loads((Path(base) / BUNDLE_MARKER).read_text(encoding="utf-8"))
    save_bundle(model, out, base=E5_NAME if continued else base, meta=meta)
    typer.echo(f"saved {out}", err=True)


@command("train-summarizer")
def train_summarizer_cmd(
    out: Annotated[Path, typer.Option(help="Folder to write the ranking head to.")],
    epochs: Annotated[int, typer.Option()] = 10,
    hidden: Annotated[int, typer.Option()] = 16,
    dropout: Annotated[float, typer.Option()] = 0.5,
    temperature: Annotated[float, typer.Option(help="ListNet target temperature.")] = 0.05,
    mmr_lambda: Annotated[float, typer.Option(help="Relevance vs redundancy in selection.")] = 0.7,
    max_chars: Annotated[int, typer.Option(help="Longest candidate bullet, in characters.")] = 80,
    view: Annotated[
        list[str] | None,
        typer.Option(help="Views of each article to learn from: page, plain (repeat the option; default both)."),
    ] = None,
    plain_titles: Annotated[float, typer.Option(help="Share of bare bodies given their headline as a title.")] = 0.0,
    limit: Annotated[
        int | None, typer.Option(help="Use only the first N articles of each split (smoke tests).")
    ] = None,
    seed: Annotated[int, typer.Option()] = 13,
) -> None:
    """Train the learned summarizer's ranking head on digest-cards-train (train split; the
    calibration split is scored and reported)."""
    from digestnlp.training.data import written_cards
    from digestnlp.training.summarizer import (
        VIEWS,
        SummarizerTrainConfig,
        build_examples,
        calibration_report,
        save_head,
    )

    try:
        cfg = SummarizerTrainConfig(
            hidden=hidden,
            epochs=epochs,
            dropout=dropout,
            temperature=temperature,
            mmr_lambda=mmr_lambda,
            max_chars=max_chars,
            seed=seed,
            views=tuple(view or VIEWS),
            plain_titles=plain_titles,
        )
    except ValueError as exc:
        raise typer.BadParameter(f"--view: {exc}") from exc
    start = time.perf_counter()
    splits = {k: written_cards(k)[:limit] if limit else written_cards(k) for k in ("train", "calibration")}
    typer.echo(f"embedding candidates of {sum(map(len, splits.values()))} articles", err=True)
    train, calibration = (build_examples(splits[k], cfg) for k in ("train", "calibration"))
    weights, metrics = calibration_report(train, calibration, cfg)
    meta = {
        "articles": {k: len(v) for k, v in splits.items()},
        "calibration_rouge_l_char": metrics,
        "train_minutes": round((time.perf_counter() - start) / 60, 1),
    }
    save_head(weights, out, cfg, meta)
    typer.echo(json.dumps(metrics), err=True)
    typer.echo(f"saved {out}", err=True)


ModelOpt = Annotated[str, typer.Option("--model", help="NLI model: a bundled name, a local folder or a hub id.")]


@command()
def check(
    path: FileArg,
    model: ModelOpt = DEFAULT_NLI_MODEL,
    batch_size: Annotated[int, typer.Option(help="Pairs per NLI forward pass.")] = 32,
    calibration: Annotated[Path | None, typer.Option(help="A calibration.json to use instead of the model's.")] = None,
    as_json: Annotated[
        bool | None, typer.Option("--json/--text", help="Default: a readable summary on a terminal, JSON when piped.")
    ] = None,
) -> None:
    """Check a page: does each card's ✅ bullets support its headline, and the page text each learn bullet?"""
    from digestnlp.article import parse_checked
    from digestnlp.check import ConsistencyChecker, check_article
    from digestnlp.io import read_text

    article = parse_checked(read_text(path))
    checker = ConsistencyChecker(model, calibration=calibration, batch_size=batch_size)
    result = check_article(article, checker=checker)
    if as_json if as_json is not None else not sys.stdout.isatty():
        _emit(result.to_dict())
    else:
        sys.stdout.write(render_check(result))


def _reason(explanation: str) -> str:
    """The explanation's first sentence after its verdict."""
    sentences = re.split(r"(?<=[.。])\s+", explanation.strip())
    return sentences[1] if len(sentences) > 1 else sentences[0]


def render_check(result: ArticleCheck) -> str:
    """A page's check for a person at a terminal: per card its verdict, score, headline and the
    first reason; per learn bullet its verdict and score."""
    lines = []
    for k, card in enumerate(result.cards, 1):
        lines.append(f"card {k}  {card.verdict:<12} {card.score:.2f}  {card.headline}")
        lines.append(f"        {_reason(card.explanation)}")
    if not result.cards:
        lines.append("no source cards found")
    for k, bullet in enumerate(result.learn_bullets, 1):
        lines.append(f"learn {k} {bullet.verdict:<12} {bullet.score:.2f}  {bullet.text}")
    lines.append("(--json for every field)")
    return "\n".join(lines) + "\n"


@command()
def calibrate(
    out: Annotated[Path, typer.Option(help="Where to write calibration.json.")],
    model: ModelOpt = DEFAULT_NLI_MODEL,
    false_alarms: Annotated[
        float, typer.Option(help="Share of faithful calibration cards the verdict may call inconsistent.")
    ] = 0.03,
    uncertain: Annotated[float, typer.Option(help="Share more it may call uncertain.")] = 0.05,
    weighting: Annotated[
        Weighting | None,
        typer.Option(
            help="class: balance consistent vs corrupted; kind: each corrupted kind equally. "
            "Default: the choice cross-validated by benchmarks/eval_cards.py."
        ),
    ] = None,
    l2: Annotated[
        float | None, typer.Option(help="L2 strength of the logistic fit. Default: the cross-validated choice.")
    ] = None,
    knots: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Quantile knots per continuous feature (0: linear). Default: the cross-validated choice.",
        ),
    ] = None,
) -> None:
    """Fit score calibration and verdict thresholds on the calibration articles (written cards and Wikinews checks)."""
    from digestnlp.check import ConsistencyChecker
    from digestnlp.check.consistency import BODY_CALIBRATION_FILE
    from digestnlp.training.recipe import CALIBRATION_CHOICE, calibrate_body, calibrate_checker

    default = CALIBRATION_CHOICE
    choice = default._replace(
        weighting=default.weighting if weighting is None else weighting.value,
        l2=default.l2 if l2 is None else l2,
        knots=default.knots if knots is None else knots,
    )
    checker = ConsistencyChecker(model)
    cal = calibrate_checker(checker, false_alarms=false_alarms, uncertain=uncertain, choice=choice)
    cal.to_json(out)
    body = calibrate_body(checker, false_alarms=false_alarms, uncertain=uncertain, choice=choice)
    body_out = out.parent / BODY_CALIBRATION_FILE
    body.to_json(body_out)
    typer.echo(
        f"wrote {out}: consistent at >= {cal.consistent_at:.3f}, inconsistent at <= {cal.inconsistent_at:.3f};"
        f" and {body_out} (learn bullets against their page text)",
        err=True,
    )


@command()
def summarize(
    path: FileArg,
    n: Annotated[int, typer.Option("--n", help="How many bullets.")] = 3,
    backend: Annotated[
        str,
        typer.Option(help="'learned' (trained ranking), 'heuristic' or a seq2seq model (local folder or hub id)."),
    ] = "learned",
    check_faithfulness: Annotated[
        bool, typer.Option("--check/--no-check", help="Drop bullets the page text does not support.")
    ] = True,
) -> None:
    """Write the page's 「この記事で分かる事」 bullets from its body (never from its own bullets)."""
    from digestnlp.article import parse_checked
    from digestnlp.io import read_text
    from digestnlp.summarize import Summarizer

    article = parse_checked(read_text(path))
    bullets = Summarizer(backend, check_faithfulness=check_faithfulness).summarize(article, n=n)
    _emit({"bullets": [b.text for b in bullets]})


@command()
def audit(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or JSONL/Parquet/CSV tables of pages.")],
    out: Annotated[Path, typer.Option(help="Output: results.jsonl, .parquet or .csv.")],
    model: ModelOpt = DEFAULT_NLI_MODEL,
    resume: Annotated[
        bool, typer.Option(help="Continue an interrupted run: keep its rows, skip its articles.")
    ] = False,
    summarize: Annotated[bool, typer.Option(help="Also generate learn bullets for each article.")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes (each loads the models once).")] = 1,
    group_size: Annotated[int, typer.Option(help="Pages per batched model call.")] = 16,
    text_field: Annotated[str, typer.Option(help="Text field/column of JSONL, Parquet and CSV inputs.")] = "text",
    id_field: Annotated[str | None, typer.Option(help="Id field/column (default: file:line).")] = None,
    html: Annotated[Path | None, typer.Option(help="Also write a self-contained HTML report.")] = None,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Default: on a terminal only.")
    ] = None,
) -> None:
    """Audit many pages: one row per card and per article; exit code 1 if any input failed."""
    from digestnlp.report.runner import run_audit

    if out.suffix.lower() not in (".jsonl", ".parquet", ".csv"):
        raise InputError(f"--out {out} must end in .jsonl, .parquet or .csv")
    summary = run_audit(
        paths,
        out,
        model=model,
        resume=resume,
        summarize=summarize,
        workers=workers,
        group_size=group_size,
        text_field=text_field,
        id_field=id_field,
        html=html,
        progress=progress,
    )
    typer.echo(
        f"{summary.articles} articles audited ({summary.skipped} already done), {summary.cards} card rows, "
        f"{summary.failed} failed inputs -> {summary.out}"
        + (f"; {summary.damaged} damaged lines of the output skipped" if summary.damaged else ""),
        err=True,
    )
    raise typer.Exit(1 if summary.failed else 0)


if __name__ == "__main__":
    app()
