"""The per-station data behind tab 4 (partial pooling), prepared at build time.

Each station keeps at most ``max_days`` days, in a fixed random order (seeded), so the slider
"days per station = n" means "the first n days of that order": a random subsample that grows
as the slider moves, the same in every build with the same seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from teachkit.errors import TeachkitError

__all__ = ["DATA_CHOICES", "MAX_DAYS", "PoolingData", "pooling_data"]

DataChoice = Literal["beijing", "simulated"]
DATA_CHOICES: tuple[str, ...] = ("beijing", "simulated")
#: Most days kept per station (the slider's end).
MAX_DAYS = 400
#: Seed of the day order and of the simulated data.
DEFAULT_SEED = 1
_COLUMNS = ("station", "station_id", "TEMP", "log_ozone")


@dataclass(frozen=True, eq=False)
class PoolingData:
    """Days of every station, stations in ``station_id`` order, each in its fixed random order.

    Attributes
    ----------
    station_names : tuple of str
    station : ndarray of int32, shape (n_rows,)
        Position of each row's station in ``station_names``; rows are sorted by it.
    temp, log_ozone : ndarray of float64, shape (n_rows,)
        Daily maximum temperature (deg C) and log of daily maximum ozone.
    source : str
        What the data are, for the page ("Beijing" or "simulated").
    """

    station_names: tuple[str, ...]
    station: NDArray[np.int32]
    temp: NDArray[np.float64]
    log_ozone: NDArray[np.float64]
    source: str

    def days_per_station(self) -> NDArray[np.int64]:
        """Number of days kept for each station."""
        return np.bincount(self.station, minlength=len(self.station_names))


def pooling_data(
    data: DataChoice | pd.DataFrame = "beijing",
    *,
    max_days: int = MAX_DAYS,
    seed: int = DEFAULT_SEED,
) -> PoolingData:
    """Load and subsample the ozone table for tab 4.

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
    >>> d.station_names, d.days_per_station().tolist()
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
    if isinstance(max_days, bool) or not isinstance(max_days, int) or max_days < 1:
        raise TeachkitError(f"max_days must be a whole number >= 1, got {max_days!r}")
    missing = [c for c in _COLUMNS if c not in frame.columns]
    if missing:
        raise TeachkitError(f"data lacks column(s) {', '.join(missing)}; needs {_COLUMNS}")
    frame = frame.dropna(subset=["TEMP", "log_ozone"])
    if frame.empty:
        raise TeachkitError("data has no day with both TEMP and log_ozone")

    rng = np.random.default_rng(seed)
    ids = sorted(int(i) for i in frame["station_id"].unique())
    names, station, temp, log_ozone = [], [], [], []
    for position, sid in enumerate(ids):
        rows = frame[frame["station_id"] == sid]
        names.append(str(rows["station"].iloc[0]))
        order = rng.permutation(len(rows))[:max_days]
        station.append(np.full(order.size, position, dtype=np.int32))
        temp.append(rows["TEMP"].to_numpy(dtype=float)[order])
        log_ozone.append(rows["log_ozone"].to_numpy(dtype=float)[order])
    return PoolingData(
        station_names=tuple(names),
        station=np.concatenate(station),
        temp=np.concatenate(temp),
        log_ozone=np.concatenate(log_ozone),
        source=source,
    )


def _load(choice: str, seed: int) -> pd.DataFrame:
    """The shipped Beijing table or a simulation with the lecture's defaults."""
    if choice == "beijing":
        from teachkit.datasets import load_beijing_ozone

        return load_beijing_ozone()
    from teachkit.simulate import simulate_ozone

    return simulate_ozone(rng=seed).data
