"""What a slide figure is to teachkit: a :class:`FigureEntry`, and what its draw function gets.

A case study (or the core maths, :mod:`teachkit.core_figures`) lists its figures as entries;
the registry collects them and :mod:`teachkit.figures` draws and renders them. A draw
function receives a :class:`FigureData`: the data and stored fits its figure needs, asked for
by case and model name. The concrete one is :class:`teachkit.figures.FigureContext`; this
module only says what it offers, so the figures of a case depend on the contract, not on the
machinery that fits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    import arviz as az
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["FigureData", "FigureEntry", "FigureSource"]

#: Which data a figure context draws on: the case's real data set or its simulator's.
FigureSource = Literal["real", "simulated"]


class FigureData(Protocol):
    """What a figure's draw function may ask for (see :class:`teachkit.figures.FigureContext`).

    Attributes
    ----------
    source : {"real", "simulated"}
        Whether the figures draw the real data sets or simulations.
    seed : int
        Seed of the simulations and of every fit.
    """

    source: FigureSource
    seed: int

    def data(self, case: str) -> pd.DataFrame:
        """The table ``case``'s figures draw."""
        ...

    def fit(
        self, case: str, model: str, *, data: pd.DataFrame | None = None, **options: Any
    ) -> az.InferenceData:
        """A fit of ``model`` of ``case`` on ``data`` (default: :meth:`data`)."""
        ...

    def compare(self, case: str) -> pd.DataFrame:
        """The PSIS-LOO comparison of every model of ``case`` on :meth:`data`."""
        ...


@dataclass(frozen=True)
class FigureEntry:
    """One registered figure.

    Attributes
    ----------
    name : str
        Stable kebab-case name, e.g. ``"pooling-funnel"``.
    description : str
        What the figure shows, a few words.
    draw : callable
        Draws the figure from a :class:`FigureData`.
    needs_program : str, optional
        An external program the figure needs (e.g. Graphviz's ``dot``).
    point : str
        The figure's teaching point: one sentence a student should take from it, printed by
        ``teachkit figures --list``. Every built-in figure has one, and a test checks that the
        figure makes it on the data it draws.
    """

    name: str
    description: str
    draw: Callable[[FigureData], Figure]
    needs_program: str | None = None
    point: str = ""

    @property
    def summary(self) -> str:
        """The teaching point, or the description when the entry has none."""
        return self.point or self.description
