"""The lecture's two real data sets, and the builder of the Beijing daily table.

* ``nwo``: NWO personal research grants 2010-2012 by discipline and gender (van der Lee and
  Ellemers 2015, PNAS 112(40), table S1), 18 rows.
* ``beijing``: daily maxima at 12 Beijing monitoring stations, 2013-03-01 to 2017-02-28, built
  by :func:`build_beijing_daily` from the UCI "Beijing Multi-Site Air-Quality" hourly files
  (Zhang et al. 2017, Proc. R. Soc. A 473:20170457; CC BY 4.0).

The files live in the repository's ``data/`` folder and are copied into the wheel as
``teachkit/data``, so both a source checkout and ``pip install .`` find them.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from teachkit.errors import TeachkitError

__all__ = [
    "BEIJING_NUMERIC",
    "DATASETS",
    "DATASET_CASE",
    "GRANTS_COLUMNS",
    "OZONE_COLUMNS",
    "build_beijing_daily",
    "check_grants_frame",
    "check_ozone_frame",
    "data_dir",
    "load_beijing_ozone",
    "load_dataset",
    "load_nwo_grants",
    "read_case_csv",
    "write_csv",
]

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

#: Columns every ozone table has, real or simulated; the models need station_id, TEMP and
#: log_ozone. The real table adds the daily maxima of the other pollutants and weather.
OZONE_COLUMNS: tuple[str, ...] = ("station", "station_id", "date", "TEMP", "O3", "log_ozone")
#: Columns of every grants table, real or simulated.
GRANTS_COLUMNS: tuple[str, ...] = ("discipline", "gender", "applications", "awards")

Case = Literal["ozone", "grants"]

#: Data set name -> one-line description, for ``teachkit data list``.
DATASETS: dict[str, str] = {
    "nwo": "NWO grant applications and awards by discipline and gender, 2010-2012 (18 rows)",
    "beijing": "Beijing daily maximum ozone and temperature at 12 stations, 2013-2017",
}

#: Which case study each shipped data set belongs to.
DATASET_CASE: dict[str, Case] = {"nwo": "grants", "beijing": "ozone"}

BEIJING_FILE = "beijing_ozone_daily.csv"
NWO_FILE = "nwo_grants.csv"

Missing = Literal["lecture", "outcome"]


def data_dir() -> Path:
    """Folder holding the shipped CSV files: inside the installed package, else the checkout."""
    packaged = Path(str(resources.files("teachkit"))) / "data"
    if (packaged / NWO_FILE).is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


def load_nwo_grants() -> pd.DataFrame:
    """The NWO grants table.

    Returns
    -------
    DataFrame with 18 rows
        ``discipline`` (categorical, in the file's order), ``gender`` (categorical f, m),
        ``applications`` and ``awards`` (int64).

    Examples
    --------
    >>> df = load_nwo_grants()
    >>> df.shape, int(df.applications.sum()), int(df.awards.sum())
    ((18, 4), 2823, 467)
    """
    raw = pd.read_csv(data_dir() / NWO_FILE, sep=";")
    return check_grants_frame(raw, source=NWO_FILE)


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
    daily = pd.read_csv(data_dir() / BEIJING_FILE, parse_dates=["date"])
    subset = None if missing == "lecture" else ["O3", "TEMP"]
    daily = daily.dropna(subset=subset).reset_index(drop=True)
    daily["log_ozone"] = np.log(daily["O3"])
    others = [c for c in BEIJING_NUMERIC if c not in ("O3", "TEMP")]
    return daily[[*OZONE_COLUMNS, *others]]


def load_dataset(name: str, *, case: Case | None = None) -> pd.DataFrame:
    """Load a shipped data set by name, or a user's CSV file checked as a ``case`` table.

    Parameters
    ----------
    name : str
        ``"nwo"``, ``"beijing"`` (see :data:`DATASETS`) or the path of a ``.csv`` file.
    case : {"ozone", "grants"}, optional
        Required for a CSV file (which columns to check); for a shipped data set it must match.

    Examples
    --------
    >>> len(load_dataset("nwo", case="grants"))
    18
    """
    if name in DATASETS:
        if case is not None and case != DATASET_CASE[name]:
            raise TeachkitError(
                f"{name} is a {DATASET_CASE[name]} data set, not {case}; for {case} use "
                f"{' or '.join(n for n, c in DATASET_CASE.items() if c == case)} or a CSV file"
            )
        return load_nwo_grants() if name == "nwo" else load_beijing_ozone()
    if name.lower().endswith(".csv"):
        if case is None:
            raise TeachkitError(f"{name}: say which case it is for, ozone or grants (--case)")
        return read_case_csv(case, name)
    raise TeachkitError(
        f"unknown data set {name!r}; choose one of: {', '.join(DATASETS)}, or a .csv file"
    )


def build_beijing_daily(raw_dir: str | Path) -> pd.DataFrame:
    """Build the daily table from the raw hourly files.

    Reads every ``PRSA_Data_<station>_*.csv`` (gzipped or plain) in ``raw_dir`` and takes, for
    each station and calendar day, the maximum of every numeric column over the day's hours
    (missing hours are skipped; a day with no reading of a column gets NaN there). Stations are
    numbered in alphabetical order of their names. Writing the result with :func:`write_csv`
    gives the shipped ``beijing_ozone_daily.csv`` byte for byte.

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


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as CSV the one way teachkit does: no index, Unix line ends, ISO dates.

    Deterministic: the same frame always gives the same bytes.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False, lineterminator="\n", date_format="%Y-%m-%d")
    return out


def check_ozone_frame(frame: pd.DataFrame, *, source: str = "data") -> pd.DataFrame:
    """Check an ozone table has :data:`OZONE_COLUMNS` with usable values; return it tidied.

    ``station_id`` must be integers 0..k-1; ``TEMP`` and ``log_ozone`` must be numbers.

    Raises
    ------
    TeachkitError
        One line naming the missing columns or the bad values, and what is needed.
    """
    _require_columns(frame, OZONE_COLUMNS, source, "an ozone table")
    out = frame.copy()
    for col in ("TEMP", "O3", "log_ozone"):
        if not pd.api.types.is_numeric_dtype(out[col]):
            raise TeachkitError(f"{source}: column {col} must hold numbers")
    ids = out["station_id"]
    if not pd.api.types.is_integer_dtype(ids) or ids.min() < 0:
        raise TeachkitError(f"{source}: station_id must hold integers 0, 1, ... (one per station)")
    out["date"] = pd.to_datetime(out["date"])
    return out


def check_grants_frame(frame: pd.DataFrame, *, source: str = "data") -> pd.DataFrame:
    """Check a grants table and return it with categorical discipline and gender.

    ``gender`` must be ``f`` or ``m``; ``applications`` and ``awards`` non-negative integers
    with ``awards <= applications``. Disciplines keep their order of first appearance.

    Raises
    ------
    TeachkitError
        One line naming the problem and what is allowed.
    """
    _require_columns(frame, GRANTS_COLUMNS, source, "a grants table")
    out = frame[list(GRANTS_COLUMNS)].copy()
    genders = set(out["gender"].astype(str).unique())
    if not genders <= {"f", "m"}:
        bad = ", ".join(sorted(genders - {"f", "m"}))
        raise TeachkitError(f"{source}: gender must be 'f' or 'm', found {bad}")
    for col in ("applications", "awards"):
        values = pd.to_numeric(out[col], errors="coerce")
        if values.isna().any() or (values < 0).any() or (values != np.round(values)).any():
            raise TeachkitError(f"{source}: {col} must be non-negative whole numbers")
        out[col] = values.astype("int64")
    over = out["awards"] > out["applications"]
    if over.any():
        row = out[over].iloc[0]
        raise TeachkitError(
            f"{source}: awards exceed applications for {row['discipline']}/{row['gender']} "
            f"({row['awards']} > {row['applications']})"
        )
    out["discipline"] = pd.Categorical(
        out["discipline"], categories=list(dict.fromkeys(out["discipline"]))
    )
    out["gender"] = pd.Categorical(out["gender"].astype(str), categories=["f", "m"])
    return out.reset_index(drop=True)


def read_case_csv(case: Case, path: str | Path) -> pd.DataFrame:
    """Read a user's CSV for a case study (``,`` or ``;`` separated) and check its columns."""
    p = Path(path)
    if not p.is_file():
        raise TeachkitError(f"no such file: {p}")
    frame = pd.read_csv(p, sep=None, engine="python")
    if case == "ozone":
        return check_ozone_frame(frame, source=p.name)
    if case == "grants":
        return check_grants_frame(frame, source=p.name)
    raise TeachkitError(f"unknown case {case!r}; choose ozone or grants")


def _require_columns(frame: pd.DataFrame, needed: tuple[str, ...], source: str, what: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise TeachkitError(
            f"{source} lacks column(s) {', '.join(missing)}; {what} needs {', '.join(needed)}"
        )
