"""Command line: ``digestnlp parse|tokenize|embed|check|train-nli``; ``--help`` on each."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from digestnlp.errors import DigestNLPError

app = typer.Typer(
    help="Audit Japanese digest articles: parse pages, tokenise, check source cards with NLI.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

FileArg = Annotated[str, typer.Argument(help="A text or HTML file, or - for standard input.")]


class TokenFormat(StrEnum):
    tsv = "tsv"
    json = "json"


def _emit(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _fail(exc: DigestNLPError) -> None:
    typer.echo(f"error: {exc}", err=True)
    raise typer.Exit(2)


@app.command()
def parse(path: FileArg) -> None:
    """Parse a digest page into JSON: title, learn bullets, chapters and source cards."""
    from digestnlp.article import parse_page
    from digestnlp.io import read_text

    try:
        article = parse_page(read_text(path))
    except DigestNLPError as exc:
        _fail(exc)
    data = article.to_dict()
    _emit({k: data[k] for k in ("title", "learn_bullets", "chapters", "cards")} | {"warnings": article.warnings})


@app.command()
def tokenize(
    path: FileArg,
    fmt: Annotated[TokenFormat, typer.Option("--format", help="tsv (one morpheme a line) or json.")] = TokenFormat.tsv,
) -> None:
    """Split into sentences and morphemes (surface, lemma, POS, reading, span)."""
    from digestnlp.io import read_text
    from digestnlp.text import split_sentences
    from digestnlp.text import tokenize as morphemes

    try:
        text = read_text(path)
    except DigestNLPError as exc:
        _fail(exc)
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


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
