"""Where the 12 Beijing monitoring stations are: latitude and longitude, station by station.

Shipped as ``data/beijing_stations.csv`` (WGS84 degrees, 3 decimals): the station list of the
KDD Cup 2018 air-quality forecasting challenge, since the UCI release of the ozone data gives no
coordinates (provenance in ``data/README.md``). The Gaussian-process lecture turns them into
great-circle distances with :func:`teachkit.kernels.great_circle_km`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from teachkit.checks import check_table
from teachkit.errors import TeachkitError
from teachkit.files import shipped_data

__all__ = ["N_STATIONS", "STATIONS_COLUMNS", "STATIONS_FILE", "load_beijing_stations"]

STATIONS_FILE = "beijing_stations.csv"
#: Columns of the loaded table.
STATIONS_COLUMNS: tuple[str, ...] = ("station", "station_id", "latitude", "longitude")
#: Stations of the Beijing ozone table.
N_STATIONS = 12


def load_beijing_stations() -> pd.DataFrame:
    """The coordinates of the 12 Beijing stations, one row per station.

    Returns
    -------
    DataFrame of 12 rows
        ``station`` (name), ``station_id`` (0-11 in alphabetical order of the names, as in
        :func:`teachkit.datasets.load_beijing_ozone`), ``latitude`` and ``longitude`` (WGS84
        degrees), sorted by ``station_id``.

    Raises
    ------
    TeachkitError
        If the shipped file is not 12 stations with finite latitudes in [-90, 90] and
        longitudes in [-180, 180] (a damaged installation).

    Examples
    --------
    >>> load_beijing_stations().head(4)
            station  station_id  latitude  longitude
    0  Aotizhongxin           0    39.982    116.397
    1     Changping           1    40.217    116.230
    2      Dingling           2    40.292    116.220
    3        Dongsi           3    39.929    116.417
    """
    raw = pd.read_csv(shipped_data(STATIONS_FILE))
    check_table(
        raw, ("station", "latitude", "longitude"), source=STATIONS_FILE, what="the station table"
    )
    if len(raw) != N_STATIONS or raw["station"].nunique() != N_STATIONS:
        raise TeachkitError(
            f"{STATIONS_FILE} must list {N_STATIONS} distinct stations, got {len(raw)} rows"
        )
    for col, bound in (("latitude", 90.0), ("longitude", 180.0)):
        values = pd.to_numeric(raw[col], errors="coerce").to_numpy(dtype=float)
        if not (np.all(np.isfinite(values)) and np.all(np.abs(values) <= bound)):
            raise TeachkitError(
                f"{STATIONS_FILE}: column {col} must hold finite degrees in [-{bound:g}, {bound:g}]"
            )
        raw[col] = values
    names = sorted(str(s) for s in raw["station"])
    out = raw.assign(station=raw["station"].astype(str))
    out["station_id"] = out["station"].map({s: i for i, s in enumerate(names)}).astype(int)
    out = out.sort_values("station_id").reset_index(drop=True)
    return out[list(STATIONS_COLUMNS)]
