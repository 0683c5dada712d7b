r"""What every grouped figure reads off the checked table: groups, columns, notes, own lines.

The figure modules (:mod:`~teachkit.cases.grouped.figures_data`,
:mod:`~teachkit.cases.grouped.figures_pooling`,
:mod:`~teachkit.cases.grouped.figures_sampling`) take the canonical table (``group``, ``x``,
``y``; attrs ``columns`` and ``x_center``, :mod:`teachkit.cases.grouped.table`) and show the
user's column names as given (:func:`~teachkit.cases.grouped.plots.column_label`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from teachkit.cases.grouped.plots import column_label
from teachkit.posterior import draws

if TYPE_CHECKING:
    import arviz as az

    from teachkit.cases.grouped.priors import LinePriors
    from teachkit.figure_entry import FigureData

__all__ = [
    "CASE",
    "MAX_ROWS",
    "NOTE_WIDTH",
    "at_text",
    "case_priors",
    "columns",
    "counts",
    "effect_labels",
    "effect_units",
    "group_index",
    "group_name",
    "names",
    "note_text",
    "own_lines",
    "posterior_means",
    "raw_columns",
    "shown_groups",
    "shown_note",
    "source",
    "x_center",
    "x_values",
]

CASE = "grouped"
#: At most this many groups get a row of their own on the 1-D figures (more would not read
#: at slide size): the groups at evenly spaced ranks of their rows, fewest first.
MAX_ROWS = 30
#: Characters of a note's line at most: the note's 12-point type at 1920 pixels fits about
#: 190; the margin keeps a long column name from pushing it off the slide's left edge.
NOTE_WIDTH = 150
_DEFAULT = {"y": "y", "x": "x", "group": "group"}


def names(data: pd.DataFrame) -> list[str]:
    """The groups' labels in the models' order (sorted)."""
    return [str(g) for g in np.unique(data["group"].to_numpy())]


def counts(data: pd.DataFrame) -> np.ndarray:
    """Rows per group in the models' order."""
    return data.groupby("group", sort=True).size().to_numpy()


def group_index(data: pd.DataFrame) -> np.ndarray:
    """Each row's group as its position in :func:`names`."""
    return np.searchsorted(np.unique(data["group"].to_numpy()), data["group"].to_numpy())


def raw_columns(data: pd.DataFrame) -> dict[str, str]:
    """The user's column names as given (the plots escape them)."""
    return dict(data.attrs.get("columns", _DEFAULT))


def columns(data: pd.DataFrame) -> dict[str, str]:
    """The user's column names (``y``, ``x``, ``group``), mathtext-safe."""
    return {role: column_label(name) for role, name in raw_columns(data).items()}


def group_name(data: pd.DataFrame, label: str) -> str:
    """A group as a reader names it: "cafe 16" for a number, the label itself for a word.

    Examples
    --------
    >>> frame = pd.DataFrame()
    >>> frame.attrs["columns"] = {"y": "wait", "x": "t", "group": "cafe"}
    >>> group_name(frame, "16"), group_name(frame, "county A")
    ('cafe 16', 'county A')
    """
    try:
        float(label)
    except ValueError:
        return column_label(label)
    return f"{columns(data)['group']} {column_label(label)}"


def x_center(data: pd.DataFrame) -> float:
    """Where x was centred (0 when it was not)."""
    return float(data.attrs.get("x_center", 0.0))


def x_values(data: pd.DataFrame) -> np.ndarray:
    """The x values on the user's scale (centring undone)."""
    return data["x"].to_numpy(dtype=float) + x_center(data)


def at_text(data: pd.DataFrame) -> str:
    """Where the intercepts are: at x = 0, or at the mean of x when x is centred."""
    c = columns(data)["x"]
    return f"at {c} = {x_center(data):.3g}" if "x_center" in data.attrs else f"at {c} = 0"


def effect_labels(data: pd.DataFrame, *, wrap: bool = False) -> tuple[str, str]:
    """Axis labels of a group's intercept and slope, in the user's columns.

    ``wrap`` puts the unit on a second line (for panels side by side, where long column
    names would run into the next panel's label).
    """
    intercept, slope = effect_units(data)
    gap = "\n" if wrap else (" " if slope.startswith("(") else ": ")
    return rf"intercept $\alpha_j${gap}{intercept}", rf"slope $\beta_j${gap}{slope}"


def effect_units(data: pd.DataFrame) -> tuple[str, str]:
    """The intercept's and slope's units, in parentheses unless y already ends in its own unit.

    Examples
    --------
    >>> frame = pd.DataFrame()
    >>> frame.attrs["columns"] = {"y": "Reaction (ms)", "x": "Days", "group": "Subject"}
    >>> effect_units(frame)[1]
    'Reaction (ms) per unit of Days'
    >>> frame.attrs["columns"]["y"] = "wait"
    >>> effect_units(frame)[1]
    '(wait per unit of Days)'
    """
    c = columns(data)
    units = (f"{c['y']} {at_text(data)}", f"{c['y']} per unit of {c['x']}")
    if c["y"].rstrip().endswith(")"):  # "Reaction (ms)": no second pair of parentheses
        return units
    return f"({units[0]})", f"({units[1]})"


def note_text(*parts: str, width: int = NOTE_WIDTH) -> str:
    """The note's parts joined by "; ", a new line started before a part that would overflow.

    Examples
    --------
    >>> print(note_text("a" * 8, "b" * 8, "c", width=12))
    aaaaaaaa
    bbbbbbbb; c
    """
    lines: list[str] = []
    for part in (p for p in parts if p):
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += f"; {part}"
        else:
            lines.append(part)
    return "\n".join(lines)


def source(ctx: FigureData, data: pd.DataFrame) -> str:
    """Which data: the table's size and groups, simulated or not."""
    what = "simulated on the table's design" if ctx.source == "simulated" else "the table"
    return f"{what}: {len(data)} rows in {data['group'].nunique()} groups"


def case_priors(ctx: FigureData) -> LinePriors:
    """The priors in use, scaled to the table when they are "auto"."""
    study = ctx.case(CASE).with_data(ctx.data(CASE))
    return study.priors()  # type: ignore[attr-defined]


def shown_groups(rows: np.ndarray, most: int = MAX_ROWS) -> np.ndarray:
    """Which groups get a row: all of them, or ``most`` at evenly spaced ranks of their rows.

    Examples
    --------
    >>> shown_groups(np.array([5, 1, 3]), 2).tolist()
    [1, 0]
    """
    order = np.argsort(rows, kind="stable")
    if len(order) <= most:
        return np.arange(len(rows))
    return order[np.unique(np.linspace(0, len(order) - 1, most).round().astype(int))]


def shown_note(rows: np.ndarray) -> str:
    """The note's last part when not every group gets a row ("" when all do)."""
    shown = len(shown_groups(rows))
    return "" if shown == len(rows) else f"{shown} of {len(rows)} groups shown, by rows"


def posterior_means(idata: az.InferenceData, name: str) -> np.ndarray:
    """A variable's posterior mean (one value per group for a group effect)."""
    return draws(idata, name).mean(axis=0)


def own_lines(data: pd.DataFrame, common_slope: float | None = None) -> np.ndarray:
    """Each group's own least-squares line (no pooling; Gelman & Hill 2007, sec. 12.2).

    As :func:`teachkit.cases.grouped.models.no_pooling_estimates` on the canonical table
    (``group``, ``x``, ``y``): (alpha_j, beta_j) in sorted group order; with
    ``common_slope``, each group's intercept given that slope; NaN for a group whose x does
    not vary.
    """
    rows = []
    for _, g in data.groupby("group", sort=True):
        x, y = g["x"].to_numpy(dtype=float), g["y"].to_numpy(dtype=float)
        if common_slope is not None:
            rows.append((float(np.mean(y - common_slope * x)), common_slope))
        elif len(x) > 1 and np.ptp(x) > 0:
            b, a = np.polyfit(x, y, 1)
            rows.append((a, b))
        else:
            rows.append((np.nan, np.nan))
    return np.array(rows, dtype=float)
