"""A user's grouped table: which columns are y, x and the group, checked once, renamed once.

The user names the columns as they are in the file (``--y log.radon --x floor --group
county``); :func:`tidy_grouped_table` checks them and returns the canonical table every
model, figure and simulator of the grouped case reads: ``group`` (the user's labels, as given),
``x`` and ``y``. Every problem is one line that says what is wrong and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from teachkit.errors import TeachkitError

__all__ = ["MAX_GROUPS", "TABLE_COLUMNS", "Columns", "tidy_grouped_table"]

#: The canonical columns of a grouped table, in the order the models read them.
TABLE_COLUMNS: tuple[str, ...] = ("group", "x", "y")
#: At most this many groups: each group adds two parameters, and the figures label groups.
MAX_GROUPS = 1000


@dataclass(frozen=True)
class Columns:
    """The names of the outcome, the predictor and the group column in the user's table."""

    y: str
    x: str
    group: str

    def __post_init__(self) -> None:
        names = (self.y, self.x, self.group)
        if len(set(names)) < 3:
            raise TeachkitError(
                f"--y, --x and --group must name three different columns, got {', '.join(names)}"
            )

    def as_dict(self) -> dict[str, str]:
        """``{"y": ..., "x": ..., "group": ...}``."""
        return {"y": self.y, "x": self.x, "group": self.group}


def tidy_grouped_table(
    frame: pd.DataFrame,
    columns: Columns,
    *,
    source: str = "data",
    dropna: bool = False,
    max_groups: int = MAX_GROUPS,
) -> pd.DataFrame:
    """Check a user's table and return its canonical form (``group``, ``x``, ``y``).

    Parameters
    ----------
    frame : DataFrame
        The table as read (any other columns are ignored).
    columns : Columns
        Which of its columns are y, x and the group.
    source : str
        What to call the table in messages (the file's name).
    dropna : bool
        Drop rows with a missing y, x or group (their count is in ``attrs["dropped"]``);
        without it such rows are refused, so no row disappears unsaid.
    max_groups : int
        Refuse tables with more groups.

    Returns
    -------
    DataFrame
        ``group`` (labels as in the file), ``x``, ``y`` (floats), in the file's row order;
        ``attrs`` holds ``columns`` (the mapping), ``dropped`` (rows dropped) and ``source``.

    Raises
    ------
    TeachkitError
        One line for: a missing or misspelt column (naming the columns that exist); no rows;
        missing values without ``dropna``; non-numeric or infinite y or x; one group only;
        x the same on every row; more than ``max_groups`` groups.

    Examples
    --------
    >>> raw = pd.DataFrame({"log.radon": [1.0, 2.0, 1.5, 0.5], "floor": [0, 1, 0, 1],
    ...                     "county": ["A", "A", "B", "B"]})
    >>> tidy_grouped_table(raw, Columns("log.radon", "floor", "county")).columns.tolist()
    ['group', 'x', 'y']
    """
    wanted = {"y": columns.y, "x": columns.x, "group": columns.group}
    missing = [f"--{role} {name!r}" for role, name in wanted.items() if name not in frame.columns]
    if missing:
        have = ", ".join(repr(str(c)) for c in frame.columns)
        raise TeachkitError(f"{source} has no column {', '.join(missing)}; its columns: {have}")
    table = pd.DataFrame(
        {"group": frame[columns.group], "x": frame[columns.x], "y": frame[columns.y]}
    )
    if table.empty:
        raise TeachkitError(f"{source} has no rows")
    incomplete = table.isna().any(axis=1)
    dropped = int(incomplete.sum())
    if dropped and not dropna:
        counts = {c: int(table[c].isna().sum()) for c in TABLE_COLUMNS}
        roles = [f"{wanted[c]} ({n})" for c, n in counts.items() if n]  # only where they are
        raise TeachkitError(
            f"{source} has {dropped} rows with missing values (by column: {', '.join(roles)}); "
            "pass --dropna to drop them"
        )
    group_missing = bool(table["group"].isna().any())
    table = table[~incomplete].reset_index(drop=True)
    if table.empty:
        raise TeachkitError(f"{source} has no complete rows")
    if group_missing:
        table["group"] = _whole_number_labels(table["group"])
    if table["group"].map(type).nunique() > 1:  # e.g. 3 and "3b" in one column: sort as text
        table["group"] = table["group"].astype(str)
    for role in ("x", "y"):
        table[role] = _numbers(table[role], wanted[role], source)
    n_groups = table["group"].nunique()
    if n_groups < 2:
        raise TeachkitError(
            f"{source}: column {columns.group!r} has {n_groups} group; the models need at least 2"
        )
    if n_groups > max_groups:
        raise TeachkitError(
            f"{source}: column {columns.group!r} has {n_groups} groups; at most {max_groups} "
            "are allowed"
        )
    if np.ptp(table["x"].to_numpy()) == 0:
        raise TeachkitError(
            f"{source}: column {columns.x!r} is {table['x'].iloc[0]:g} on every row; every model "
            "has a slope, so x must vary"
        )
    table.attrs.update(columns=columns.as_dict(), dropped=dropped, source=source)
    return table


def _whole_number_labels(labels: pd.Series) -> pd.Series:
    """Whole-number ids back as integers once the missing ones are dropped.

    A missing value turns pandas' integer column into floats; without this, a model's entries
    would read ``alpha[308.0]`` for the file's group 308.
    """
    if pd.api.types.is_float_dtype(labels) and np.all(labels == np.round(labels)):
        return labels.astype(np.int64)
    return labels


def _numbers(values: pd.Series, name: str, source: str) -> pd.Series:
    """``values`` as finite floats, or a one-line error naming the first bad row."""
    numeric = pd.to_numeric(values, errors="coerce")
    bad = numeric.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise TeachkitError(
            f"{source}: column {name!r} must hold numbers; row {row + 1} has {values.iloc[row]!r}"
        )
    finite = np.isfinite(numeric.to_numpy(dtype=float))
    if not finite.all():
        raise TeachkitError(
            f"{source}: column {name!r} has {int((~finite).sum())} infinite values; every value "
            "must be finite"
        )
    return numeric.astype(float)
