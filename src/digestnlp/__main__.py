"""``python -m digestnlp``: the command line."""

from digestnlp.cli import app

app()
