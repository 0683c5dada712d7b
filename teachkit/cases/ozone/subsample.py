"""Ozone tables with few days per station: the data of the funnel and shrinkage figures.

On 1,400 days per station the data pin every station's line down: the centred posterior shows
no funnel and partial pooling hardly moves any station. Partial pooling matters, and the
funnel appears, when stations have few observations, as in the eight-schools example. These
functions keep a random subset of each station's days, so the same Beijing stations (or
simulated ones) can show both; the lecture notebook can call them too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from teachkit._random import RNGLike, as_generator
from teachkit.cases.ozone.data import station_names
from teachkit.checks import check_count
from teachkit.errors import TeachkitError

__all__ = [
    "FUNNEL_DAYS",
    "FUNNEL_SEED",
    "SHRINKAGE_DAYS",
    "SHRINKAGE_SEED",
    "days_label",
    "funnel_data",
    "graded_days",
    "shrinkage_data",
    "subsample_days",
]

#: Days kept per station for the funnel figure: a handful, as in eight schools.
FUNNEL_DAYS = 5
#: Fewest and most days kept per station for the shrinkage figures.
SHRINKAGE_DAYS: tuple[int, int] = (5, 300)
#: Seeds of the days the figures keep: fixed, so a figure shows the same days whatever the
#: sampler's seed. With the shrinkage seed the stations with few days have own estimates about
#: as far from the population mean as their sampling error predicts (with some seeds, by
#: chance, they all sit on the mean and have nowhere to shrink to).
FUNNEL_SEED = 2024
SHRINKAGE_SEED = 2033


def graded_days(n_stations: int, fewest: int, most: int, *, rng: RNGLike = None) -> np.ndarray:
    """Days per station spaced evenly on a log scale from ``fewest`` to ``most``, shuffled.

    Returns
    -------
    ndarray of int, shape (n_stations,)
        Entry j is the number of days station j keeps; the counts are assigned to stations in
        random order, so the size of a station does not follow its name.

    Examples
    --------
    >>> sorted(graded_days(5, 3, 300, rng=0).tolist())
    [3, 9, 30, 95, 300]
    """
    n = check_count(n_stations, "n_stations")
    if not 1 <= fewest <= most:
        raise TeachkitError(f"need 1 <= fewest <= most, got fewest={fewest}, most={most}")
    days = np.unique(np.round(np.geomspace(fewest, most, n)).astype(int))
    if len(days) < n:  # rounding merged counts: fall back to evenly spaced ones
        days = np.round(np.linspace(fewest, most, n)).astype(int)
    return as_generator(rng).permutation(days)


def subsample_days(
    data: pd.DataFrame, days_per_station: int | Sequence[int], *, rng: RNGLike = None
) -> pd.DataFrame:
    """Keep a random subset of each station's rows (days), without replacement.

    Parameters
    ----------
    data : DataFrame
        An ozone table (``station_id`` and one row per station-day).
    days_per_station : int or sequence of int
        Days to keep at every station, or one count per station in ``station_id`` order. A
        station with fewer days keeps them all.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    DataFrame
        The kept rows in their original order, index reset; every station keeps its
        ``station_id`` and name.

    Examples
    --------
    >>> from teachkit.cases.ozone.simulate import simulate_ozone
    >>> data = simulate_ozone(n_stations=3, n_days=50, rng=0).data
    >>> subsample_days(data, [2, 5, 50], rng=1).groupby("station_id").size().tolist()
    [2, 5, 50]
    """
    ids = np.sort(data["station_id"].unique())
    asked = np.asarray(days_per_station, dtype=int)
    if asked.ndim and len(asked) != len(ids):
        raise TeachkitError(f"days_per_station has {len(asked)} counts for {len(ids)} stations")
    counts = np.broadcast_to(asked, ids.shape)
    if np.any(counts < 1):
        raise TeachkitError("days_per_station must be counts >= 1")
    gen = as_generator(rng)
    keep: list[np.ndarray] = []
    for sid, n in zip(ids, counts, strict=True):
        rows = np.flatnonzero(data["station_id"].to_numpy() == sid)
        keep.append(gen.choice(rows, size=min(int(n), len(rows)), replace=False))
    return data.iloc[np.sort(np.concatenate(keep))].reset_index(drop=True)


def funnel_data(data: pd.DataFrame) -> pd.DataFrame:
    """The funnel figure's table: :data:`FUNNEL_DAYS` random days at every station."""
    return subsample_days(data, FUNNEL_DAYS, rng=FUNNEL_SEED)


def shrinkage_data(data: pd.DataFrame) -> pd.DataFrame:
    """The shrinkage figures' table: from a few to a few hundred days per station.

    Counts from :func:`graded_days` between the two ends of :data:`SHRINKAGE_DAYS`.
    """
    n = data["station_id"].nunique()
    days = graded_days(n, *SHRINKAGE_DAYS, rng=SHRINKAGE_SEED)
    return subsample_days(data, days, rng=SHRINKAGE_SEED + 1)


def days_label(data: pd.DataFrame) -> str:
    """What a subsampled table holds, e.g. ``"12 stations, 3-300 days each"``."""
    sizes = data.groupby("station_id").size()
    low, high = int(sizes.min()), int(sizes.max())
    each = f"{low} days each" if low == high else f"{low}-{high} days each"
    return f"{len(station_names(data))} stations, {each}"
