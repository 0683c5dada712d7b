"""What a slide figure is to teachkit: a :class:`FigureEntry`, and what its draw function gets.

A case study (or the core maths, :mod:`teachkit.core_figures`) lists its figures as entries;
the registry collects them and :mod:`teachkit.figures` draws and renders them. A draw
function receives a :class:`FigureData`: the data and stored fits its figure needs, asked for
by case and model name. The concrete one is :class:`teachkit.figures.FigureContext`; this
module only says what it offers, so the figures of a case depend on the contract, not on the
machinery that fits.

A figure's title makes a claim about the data it draws, and every number in it is computed.
The function that draws it says which, with :func:`attach_claim`: a :class:`Claim` holds the
title's sentence, the numbers in it and the arrays they were computed from, and rides on the
returned figure, where :func:`claim_of` reads it back (tests recompute the claim from the
drawn artists and compare).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np

if TYPE_CHECKING:
    import arviz as az
    import pandas as pd
    from arviz.stats.stats_utils import ELPDData
    from matplotlib.figure import Figure

__all__ = [
    "Claim",
    "FigureData",
    "FigureEntry",
    "FigureSource",
    "attach_claim",
    "buildup_step",
    "claim_of",
    "figure_title",
]

#: The attribute of a matplotlib ``Figure`` that holds its :class:`Claim`.
CLAIM_ATTRIBUTE = "teachkit_claim"

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

    def case(self, name: str) -> Any:
        """The case study called ``name``, configured with a user's settings if given.

        A :class:`~teachkit.cases.base.CaseStudy` (typed loosely: this contract module and
        the case studies' base import each other otherwise).
        """
        ...

    def data(self, case: str) -> pd.DataFrame:
        """The table ``case``'s figures draw."""
        ...

    def fit(
        self,
        case: str,
        model: str,
        *,
        data: pd.DataFrame | None = None,
        target_accept: float | None = None,
        **options: Any,
    ) -> az.InferenceData:
        """A fit of ``model`` of ``case`` on ``data`` (default: :meth:`data`).

        ``target_accept`` overrides the sampler's default; ``options`` are the model's.
        """
        ...

    def compare(self, case: str) -> pd.DataFrame:
        """The PSIS-LOO comparison of every model of ``case`` on :meth:`data`."""
        ...

    def elpd(self, case: str, model: str) -> ELPDData:
        """The pointwise PSIS-LOO data of ``model``'s fit on :meth:`data` (to compare a subset)."""
        ...

    def held_out(self, case: str, data: pd.DataFrame | None = None) -> pd.DataFrame:
        """Leave-one-group-out scores of the case's ``held_out_models`` on ``data``.

        One row per left-out group: ``rows``, one elpd column per model, ``difference`` (the
        last model's minus the first's) and ``per_row``.
        """
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
    row : int, optional
        The lecture moment it serves (the storyboard's row): ``teachkit figures --list`` and
        :func:`teachkit.figures.registered_figures` list figures by row, those without one last.
        A build-up's steps (names ending ``-1``, ``-2``, ...; :attr:`step`) share their row.
    """

    name: str
    description: str
    draw: Callable[[FigureData], Figure]
    needs_program: str | None = None
    point: str = ""
    row: int | None = None

    @property
    def step(self) -> tuple[str, int] | None:
        """``(build-up, step)`` when the figure is one step of a build-up, else None."""
        return buildup_step(self.name)

    @property
    def summary(self) -> str:
        """The teaching point, or the description when the entry has none."""
        return self.point or self.description


@dataclass(frozen=True)
class Claim:
    r"""What a figure's title states, with the numbers in it and the data they come from.

    Attributes
    ----------
    text : str
        The title's sentence, exactly as drawn (mathtext included).
    numbers : mapping of str to float
        Every number the title states, by name, computed from ``data``.
    data : mapping of str to ndarray
        The arrays the numbers were computed from, as drawn (read-only copies).

    Examples
    --------
    >>> claim = Claim("r = 0.50", {"r": 0.5}, {"x": [1.0, 2.0]})
    >>> claim.numbers["r"], claim.data["x"].tolist()
    (0.5, [1.0, 2.0])
    """

    text: str
    numbers: Mapping[str, float] = field(default_factory=dict)
    data: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        numbers = {str(k): float(v) for k, v in self.numbers.items()}
        arrays = {}
        for k, v in self.data.items():
            a = np.array(v, dtype=float)
            a.flags.writeable = False
            arrays[str(k)] = a
        object.__setattr__(self, "numbers", MappingProxyType(numbers))
        object.__setattr__(self, "data", MappingProxyType(arrays))


def attach_claim(fig: Figure, claim: Claim) -> Figure:
    """Attach ``claim`` to ``fig`` (read back by :func:`claim_of`) and return ``fig``."""
    setattr(fig, CLAIM_ATTRIBUTE, claim)
    return fig


def claim_of(fig: Figure) -> Claim | None:
    """The :class:`Claim` a draw function attached to ``fig``, or None."""
    claim = getattr(fig, CLAIM_ATTRIBUTE, None)
    return claim if isinstance(claim, Claim) else None


def figure_title(fig: Figure) -> str:
    """The title a viewer reads first: the figure's suptitle, else its first axes title."""
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        return suptitle.get_text()
    for ax in fig.axes:
        if ax.get_title():
            return ax.get_title()
    return ""


def buildup_step(name: str) -> tuple[str, int] | None:
    """``(base, step)`` for a build-up step's name (``"ozone-loo-2"`` -> ``("ozone-loo", 2)``).

    Examples
    --------
    >>> buildup_step("covariance-mvn-3"), buildup_step("covariance-lkj")
    (('covariance-mvn', 3), None)
    """
    match = re.fullmatch(r"(.+)-(\d)", name)
    return (match.group(1), int(match.group(2))) if match else None
