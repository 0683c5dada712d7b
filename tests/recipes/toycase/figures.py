"""The toy's registered figures."""

from __future__ import annotations

from teachkit.figure_entry import FigureData, FigureEntry
from toycase.plots import plot_histogram


def _histogram(ctx: FigureData):
    y = ctx.data("toy")["y"].to_numpy()
    return plot_histogram(y, float(ctx.fit("toy", "mean").posterior["mu"].mean()))


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "toy-histogram",
        "The data and the posterior mean",
        _histogram,
        point="The posterior mean sits in the middle of the data.",
    ),
)
