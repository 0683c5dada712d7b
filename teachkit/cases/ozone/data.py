"""The Beijing ozone table: its loader, its builder from the raw hourly files, its checks.

Daily maxima at 12 Beijing monitoring stations, 2013-03-01 to 2017-02-28, built by
:func:`build_beijing_daily` from the UCI "Beijing Multi-Site Air-Quality" hourly files (Zhang
et al. 2017, Proc. R. Soc. A 473:20170457; CC BY 4.0) and shipped as
``data/beijing_ozone_daily.csv``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from teachkit.checks import check_table
from teachkit.errors import TeachkitError
from teachkit.files import shipped_data

__all__ = [
    "BEIJING_FILE",
    "BEIJING_NUMERIC",
    "MODEL_COLUMNS",
    "OZONE_COLUMNS",
    "build_beijing_daily",
    "check_ozone_frame",
    "load_beijing_ozone",
    "station_names",
]

BEIJING_FILE = "beijing_ozone_daily.csv"

#: The numeric columns of the raw hourly files whose daily maximum the daily table keeps.
BEIJING_NUMERIC: tuple[str, ...] = (
    "PM2.5",
    "PM10",
    "SO2",
    "NO2",
    "CO",
    "O3",
    "TEMP",
    "PRES",
    "DEWP",
    "RAIN",
    "WSPM",
)
_RAW_REQUIRED = ("year", "month", "day", "station", *BEIJING_NUMERIC)

#: Columns every ozone table has, real or simulated; the real table adds the daily maxima of
#: the other pollutants and weather.
OZONE_COLUMNS: tuple[str, ...] = ("station", "station_id", "date", "TEMP", "O3", "log_ozone")
#: The columns the ozone models read.
MODEL_COLUMNS: tuple[str, ...] = ("station_id", "TEMP", "log_ozone")

Missing = Literal["lecture", "outcome"]


def load_beijing_ozone(missing: Missing = "lecture") -> pd.DataFrame:
    """The Beijing daily table: one row per station-day.

    Parameters
    ----------
    missing : {"lecture", "outcome"}
        ``"lecture"`` drops every station-day with any missing daily value, as the lecture does
        (16,966 rows); ``"outcome"`` drops only the days without O3 or TEMP (17,411 rows).

    Returns
    -------
    DataFrame
        ``station`` (name), ``station_id`` (0-11 in alphabetical order of the names), ``date``
        (datetime64), ``TEMP`` (daily max, deg C), ``O3`` (daily max, ug/m3),
        ``log_ozone`` = log(O3), then the daily maxima of the other numeric columns.

    Examples
    --------
    >>> len(load_beijing_ozone()), len(load_beijing_ozone(missing="outcome"))
    (16966, 17411)
    """
    if missing not in ("lecture", "outcome"):
        raise TeachkitError(f"missing must be 'lecture' or 'outcome', got {missing!r}")
    daily = pd.read_csv(shipped_data(BEIJING_FILE), parse_dates=["date"])
    subset = None if missing == "lecture" else ["O3", "TEMP"]
    daily = daily.dropna(subset=subset).reset_index(drop=True)
    daily["log_ozone"] = np.log(daily["O3"])
    others = [c for c in BEIJING_NUMERIC if c not in ("O3", "TEMP")]
    return daily[[*OZONE_COLUMNS, *others]]


def build_beijing_daily(raw_dir: str | Path) -> pd.DataFrame:
    """Build the daily table from the raw hourly files.

    Reads every ``PRSA_Data_<station>_*.csv`` (gzipped or plain) in ``raw_dir`` and takes, for
    each station and calendar day, the maximum of every numeric column over the day's hours
    (missing hours are skipped; a day with no reading of a column gets NaN there). Stations are
    numbered in alphabetical order of their names. Writing the result with
    :func:`teachkit.files.write_csv` gives the shipped ``beijing_ozone_daily.csv`` byte for
    byte.

    Parameters
    ----------
    raw_dir : path
        Folder with the hourly files.

    Returns
    -------
    DataFrame
        ``station``, ``station_id``, ``date`` (ISO string), then :data:`BEIJING_NUMERIC`;
        sorted by station and date, every station-day of the files present.

    Raises
    ------
    TeachkitError
        If the folder holds no such file or a file lacks a required column.
    """
    folder = Path(raw_dir)
    files = sorted(
        p for p in folder.glob("PRSA_Data_*.csv*") if re.search(r"\.csv(\.gz)?$", p.name)
    )
    if not files:
        raise TeachkitError(
            f"no raw files in {folder}: expected PRSA_Data_<station>_<dates>.csv or .csv.gz"
        )
    frames = []
    for path in files:
        hourly = pd.read_csv(path, na_values=["NA"])
        missing_cols = [c for c in _RAW_REQUIRED if c not in hourly.columns]
        if missing_cols:
            raise TeachkitError(f"{path.name} lacks column(s) {', '.join(missing_cols)}")
        hourly["date"] = pd.to_datetime(hourly[["year", "month", "day"]]).dt.strftime("%Y-%m-%d")
        frames.append(hourly[["station", "date", *BEIJING_NUMERIC]])
    hourly = pd.concat(frames, ignore_index=True)
    daily = hourly.groupby(["station", "date"], sort=True)[list(BEIJING_NUMERIC)].max()
    daily = daily.reset_index()
    names = sorted(daily["station"].unique())
    daily.insert(1, "station_id", daily["station"].map({s: i for i, s in enumerate(names)}))
    return daily


def check_ozone_frame(frame: pd.DataFrame, *, source: str = "data") -> pd.DataFrame:
    """Check an ozone table has :data:`OZONE_COLUMNS` with usable values; return it tidied.

    ``station_id`` must be integers >= 0; ``TEMP``, ``O3`` and ``log_ozone`` must be numbers.

    Raises
    ------
    TeachkitError
        One line naming the missing columns or the bad values, and what is needed.
    """
    check_table(frame, OZONE_COLUMNS, source=source, what="an ozone table")
    out = frame.copy()
    for col in ("TEMP", "O3", "log_ozone"):
        if not pd.api.types.is_numeric_dtype(out[col]):
            raise TeachkitError(f"{source}: column {col} must hold numbers")
    ids = out["station_id"]
    if not pd.api.types.is_integer_dtype(ids) or ids.min() < 0:
        raise TeachkitError(f"{source}: station_id must hold integers 0, 1, ... (one per station)")
    try:
        out["date"] = pd.to_datetime(out["date"])
    except (ValueError, TypeError):
        raise TeachkitError(f"{source}: column date must hold dates such as 2013-03-01") from None
    return out


def station_names(data: pd.DataFrame) -> list[str]:
    """Station names in the order of their ``station_id`` (the models' ``station`` order).

    Examples
    --------
    >>> station_names(load_beijing_ozone())[:3]
    ['Aotizhongxin', 'Changping', 'Dingling']
    """
    pairs = data[["station_id", "station"]].drop_duplicates("station_id")
    return [str(s) for s in pairs.sort_values("station_id")["station"]]
