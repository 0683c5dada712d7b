"""The per-group data behind tab 4 (partial pooling), prepared at build time.

Each group keeps at most ``max_days`` rows, in a fixed random order (seeded), so the slider
"rows per group = n" means "the first n rows of that order": a random subsample that grows
as the slider moves, the same in every build with the same seed. The lecture's page has the
Beijing (or simulated) stations and their days (:func:`pooling_data`); a user's table, checked
by the grouped case, has its own groups, x and y (:func:`grouped_pooling_data`). What the
page calls them travels with the data (:class:`~teachkit.explorer.labels.Labels`), and so do
where the sliders start (:class:`~teachkit.explorer.pooling_settings.PoolingSettings`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from teachkit.errors import TeachkitError
from teachkit.explorer.labels import OZONE_LABELS, Labels, grouped_labels
from teachkit.explorer.pooling_settings import LECTURE_POOLING, PoolingSettings, pooling_settings

__all__ = ["DATA_CHOICES", "MAX_DAYS", "PoolingData", "grouped_pooling_data", "pooling_data"]

DataChoice = Literal["beijing", "simulated"]
DATA_CHOICES: tuple[str, ...] = ("beijing", "simulated")
#: Most rows (days) kept per group (the slider's end).
MAX_DAYS = 400
#: Seed of the row order and of the simulated data.
DEFAULT_SEED = 1
_COLUMNS = ("station", "station_id", "TEMP", "log_ozone")


@dataclass(frozen=True, eq=False)
class PoolingData:
    """Rows of every group, groups in order, each group's rows in its fixed random order.

    Attributes
    ----------
    group_names : tuple of str
        The groups' labels, as the page shows them.
    group : ndarray of int32, shape (n_rows,)
        Position of each row's group in ``group_names``; rows are sorted by it.
    x, y : ndarray of float64, shape (n_rows,)
        The predictor and the outcome (the lecture: daily maximum temperature in deg C and
        the log of daily maximum ozone), x in the table's own units.
    source : str
        What the data are, for the page ("Beijing", "simulated", a file's name).
    labels : Labels
        What the page calls the axes, the groups and their rows.
    x_center : float
        Intercepts are at x = x_center (0 unless x was centred for the fit).
    settings : PoolingSettings
        Where the sliders start and how far they reach.
    """

    group_names: tuple[str, ...]
    group: NDArray[np.int32]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    source: str
    labels: Labels = OZONE_LABELS
    x_center: float = 0.0
    settings: PoolingSettings = field(default=LECTURE_POOLING)

    def rows_per_group(self) -> NDArray[np.int64]:
        """Number of rows kept for each group."""
        return np.bincount(self.group, minlength=len(self.group_names))


def pooling_data(
    data: DataChoice | pd.DataFrame = "beijing",
    *,
    max_days: int = MAX_DAYS,
    seed: int = DEFAULT_SEED,
) -> PoolingData:
    """Load and subsample the ozone table for tab 4 (the lecture's page).

    Parameters
    ----------
    data : {"beijing", "simulated"} or DataFrame
        ``"beijing"``: :func:`teachkit.datasets.load_beijing_ozone`; ``"simulated"``:
        :func:`teachkit.simulate.simulate_ozone` with ``rng=seed`` (the lecture's defaults);
        or any table with columns ``station``, ``station_id``, ``TEMP``, ``log_ozone``
        (rows with a missing value are dropped).
    max_days : int
        Days kept per station, >= 1.
    seed : int
        Seed of the random order of the days (and of the simulation).

    Returns
    -------
    PoolingData

    Examples
    --------
    >>> from teachkit.simulate import simulate_ozone
    >>> d = pooling_data(simulate_ozone(n_stations=3, n_days=50, rng=0).data, max_days=20)
    >>> d.group_names, d.rows_per_group().tolist()
    (('station_00', 'station_01', 'station_02'), [20, 20, 20])
    """
    if isinstance(data, str):
        if data not in DATA_CHOICES:
            raise TeachkitError(f"data must be 'beijing' or 'simulated', got {data!r}")
        frame, source = _load(data, seed), ("Beijing" if data == "beijing" else "simulated")
    elif isinstance(data, pd.DataFrame):
        frame, source = data, "user data"
    else:
        raise TeachkitError(f"data must be 'beijing', 'simulated' or a DataFrame, got {data!r}")
    _check_max_days(max_days)
    missing = [c for c in _COLUMNS if c not in frame.columns]
    if missing:
        raise TeachkitError(f"data lacks column(s) {', '.join(missing)}; needs {_COLUMNS}")
    frame = frame.dropna(subset=["TEMP", "log_ozone"])
    if frame.empty:
        raise TeachkitError("data has no day with both TEMP and log_ozone")
    ids = sorted(int(i) for i in frame["station_id"].unique())
    groups = [
        (str(rows["station"].iloc[0]), rows["TEMP"], rows["log_ozone"])
        for rows in (frame[frame["station_id"] == sid] for sid in ids)
    ]
    names, group, x, y = _subsample(groups, max_days, seed)
    return PoolingData(group_names=names, group=group, x=x, y=y, source=source)


def grouped_table_names(
    table: pd.DataFrame, columns: Mapping[str, str] | None = None
) -> tuple[Mapping[str, str], float | None]:
    """A grouped case's checked table's column names and x centre (None: x not centred).

    ``columns`` overrides the names the table carries in ``attrs``; a table without the
    canonical ``group``, ``x``, ``y`` columns or without names is refused in one line.
    """
    lacking = [c for c in ("group", "x", "y") if c not in table.columns]
    if lacking:
        raise TeachkitError(
            f"table lacks column(s) {', '.join(lacking)}; pass the grouped case's checked table"
        )
    named = columns if columns is not None else table.attrs.get("columns")
    if named is None:
        raise TeachkitError("the table does not say its columns' names; pass columns=")
    center = table.attrs.get("x_center")
    return named, None if center is None else float(center)


def grouped_pooling_data(
    table: pd.DataFrame,
    *,
    source: str,
    columns: Mapping[str, str] | None = None,
    max_days: int = MAX_DAYS,
    seed: int = DEFAULT_SEED,
) -> PoolingData:
    """Tab 4's data from a grouped case's checked table (columns ``group``, ``x``, ``y``).

    Parameters
    ----------
    table : DataFrame
        As :meth:`teachkit.cases.grouped.GroupedCase.check` returns it: the user's group
        labels, x (centred when ``attrs["x_center"]`` is set) and y; ``attrs["columns"]``
        names the user's columns.
    source : str
        What to call the data on the page (e.g. the file's name).
    columns : mapping, optional
        The user's names of y, x and group (default ``table.attrs["columns"]``).
    max_days, seed
        Rows kept per group, and the seed of their order.

    Returns
    -------
    PoolingData
        Groups in sorted order of their labels (the models' order), x in the user's units.

    Examples
    --------
    >>> from teachkit.cases.grouped.table import Columns, tidy_grouped_table
    >>> raw = pd.DataFrame({"log.radon": [1.0, 2.0, 1.5, 0.5, 0.7],
    ...                     "floor level": [0, 1, 0, 1, 1], "county": list("BBAAA")})
    >>> d = grouped_pooling_data(
    ...     tidy_grouped_table(raw, Columns("log.radon", "floor level", "county")), source="t")
    >>> d.group_names, d.rows_per_group().tolist(), d.labels.x, d.settings.max_rows
    (('A', 'B'), [3, 2], 'floor level', 3)
    """
    _check_max_days(max_days)
    named, center = grouped_table_names(table, columns)
    shift = 0.0 if center is None else center
    groups = [
        (str(label), rows["x"] + shift, rows["y"])
        for label, rows in ((g, table[table["group"] == g]) for g in np.unique(table["group"]))
    ]
    names, group, x, y = _subsample(groups, max_days, seed)
    max_rows = int(np.bincount(group).max())
    return PoolingData(
        group_names=names,
        group=group,
        x=x,
        y=y,
        source=source,
        labels=grouped_labels(named, x_center=center),
        x_center=shift,
        settings=pooling_settings(group, x, y, x_center=shift, max_rows=max_rows),
    )


def _subsample(
    groups: list[tuple[str, pd.Series, pd.Series]], max_days: int, seed: int
) -> tuple[tuple[str, ...], NDArray[np.int32], NDArray[np.float64], NDArray[np.float64]]:
    """Each group's rows in a seeded random order, at most ``max_days``; stacked by group."""
    rng = np.random.default_rng(seed)
    names, group, x, y = [], [], [], []
    for position, (name, xs, ys) in enumerate(groups):
        order = rng.permutation(len(xs))[:max_days]
        names.append(name)
        group.append(np.full(order.size, position, dtype=np.int32))
        x.append(xs.to_numpy(dtype=float)[order])
        y.append(ys.to_numpy(dtype=float)[order])
    return tuple(names), np.concatenate(group), np.concatenate(x), np.concatenate(y)


def _check_max_days(max_days: object) -> None:
    if isinstance(max_days, bool) or not isinstance(max_days, int) or max_days < 1:
        raise TeachkitError(f"max_days must be a whole number >= 1, got {max_days!r}")


def _load(choice: str, seed: int) -> pd.DataFrame:
    """The shipped Beijing table or a simulation with the lecture's defaults."""
    if choice == "beijing":
        from teachkit.datasets import load_beijing_ozone

        return load_beijing_ozone()
    from teachkit.simulate import simulate_ozone

    return simulate_ozone(rng=seed).data
