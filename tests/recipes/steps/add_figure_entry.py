# Recipe "add a figure": its entry, in the case's figures.py.
from toycase.plots import plot_sorted


def _sorted(ctx: FigureData):
    return plot_sorted(ctx.data("toy")["y"].to_numpy())


FIGURES = (
    *FIGURES,
    FigureEntry(
        "toy-sorted", "The data sorted", _sorted, point="Sorted data show their spread at a glance."
    ),
)
