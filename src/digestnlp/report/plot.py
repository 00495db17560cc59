"""Score distributions for notebooks (matplotlib, imported only when plotting)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from digestnlp.report.html import COLOURS


def plot_score_distribution(cards: Sequence[dict[str, Any]], ax: Any = None, bins: int = 20) -> Any:
    """Stacked histogram of card scores, one colour per verdict; returns the Axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    verdicts = [v for v in COLOURS if any(c.get("verdict") == v for c in cards)]
    data = [[float(c["score"]) for c in cards if c.get("verdict") == v] for v in verdicts]
    if data:
        ax.hist(data, bins=bins, range=(0, 1), stacked=True, color=[COLOURS[v] for v in verdicts], label=verdicts)
        ax.legend()
    ax.set_xlabel("card score (1 = bullets support the headline)")
    ax.set_ylabel("cards")
    ax.set_xlim(0, 1)
    return ax
