"""The lecture's real data sets, by name, and users' own tables, checked for a case study.

Each case study owns its data sets (:mod:`teachkit.cases.ozone.data`,
:mod:`teachkit.cases.grants.data`); this module lists them through the case-study registry
and keeps the loaders where notebooks import them:

* ``nwo`` (grants): NWO personal research grants 2010-2012 by discipline and gender, 18 rows.
* ``beijing`` (ozone): daily maxima at 12 Beijing monitoring stations, 2013-2017.

Sources and licences are in ``data/README.md``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from teachkit.cases.grants.data import GRANTS_COLUMNS, check_grants_frame, load_nwo_grants
from teachkit.cases.ozone.data import (
    BEIJING_NUMERIC,
    OZONE_COLUMNS,
    build_beijing_daily,
    check_ozone_frame,
    load_beijing_ozone,
)
from teachkit.errors import TeachkitError
from teachkit.files import write_csv
from teachkit.registry import all_cases, get_case

__all__ = [
    "BEIJING_NUMERIC",
    "GRANTS_COLUMNS",
    "OZONE_COLUMNS",
    "build_beijing_daily",
    "check_grants_frame",
    "check_ozone_frame",
    "dataset_case",
    "datasets",
    "load_beijing_ozone",
    "load_dataset",
    "load_nwo_grants",
    "read_case_csv",
    "write_csv",
]


def datasets() -> dict[str, str]:
    """Every shipped data set's name and one-line description, case by case.

    Examples
    --------
    >>> list(datasets())
    ['beijing', 'nwo', 'cafes']
    """
    return {d.name: d.description for case in all_cases() for d in case.datasets}


def dataset_case(name: str) -> str:
    """The case study a shipped data set belongs to.

    Examples
    --------
    >>> dataset_case("nwo")
    'grants'
    """
    for case in all_cases():
        if name in {d.name for d in case.datasets}:
            return case.name
    raise TeachkitError(
        f"unknown data set {name!r}; choose one of: {', '.join(datasets())}, or a .csv file"
    )


def load_dataset(name: str, *, case: str | None = None) -> pd.DataFrame:
    """Load a shipped data set by name, or a user's CSV file checked as a ``case`` table.

    Parameters
    ----------
    name : str
        A shipped data set (see :func:`datasets`) or the path of a ``.csv`` file.
    case : str, optional
        Required for a CSV file (which columns to check); for a shipped data set it must match.

    Examples
    --------
    >>> len(load_dataset("nwo", case="grants"))
    18
    """
    if case is None:
        if name.lower().endswith(".csv"):
            raise TeachkitError(f"{name}: say which case study it is for (--case)")
        case = dataset_case(name)
    study = get_case(case)
    if name in {d.name for d in study.datasets}:
        return study.dataset(name).load()  # as shipped, in its own columns
    return study.load(name)[0]


def read_case_csv(case: str, path: str | Path) -> pd.DataFrame:
    """Read a user's CSV for a case study (``,`` or ``;`` separated) and check its columns."""
    return get_case(case).load(str(path) if str(path).lower().endswith(".csv") else path)[0]
