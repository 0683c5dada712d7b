"""The NWO grants table: its loader and its checks.

NWO personal research grants 2010-2012 by discipline and gender (van der Lee and Ellemers 2015,
PNAS 112(40), table S1), 18 rows, shipped as ``data/nwo_grants.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from teachkit.checks import check_table
from teachkit.errors import TeachkitError
from teachkit.files import shipped_data

__all__ = ["GRANTS_COLUMNS", "MODEL_COLUMNS", "NWO_FILE", "check_grants_frame", "load_nwo_grants"]

NWO_FILE = "nwo_grants.csv"
#: Largest count of applications or awards in a row (beyond it the binomial is not the point).
MAX_COUNT = 10**9

#: Columns of every grants table, real or simulated (the models read all of them).
GRANTS_COLUMNS: tuple[str, ...] = ("discipline", "gender", "applications", "awards")
MODEL_COLUMNS = GRANTS_COLUMNS


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
    raw = pd.read_csv(shipped_data(NWO_FILE), sep=";")
    return check_grants_frame(raw, source=NWO_FILE)


def check_grants_frame(frame: pd.DataFrame, *, source: str = "data") -> pd.DataFrame:
    """Check a grants table and return it with categorical discipline and gender.

    ``gender`` must be ``f`` or ``m``; ``applications`` and ``awards`` non-negative integers
    with ``awards <= applications``. Disciplines keep their order of first appearance.

    Raises
    ------
    TeachkitError
        One line naming the problem and what is allowed.
    """
    check_table(frame, GRANTS_COLUMNS, source=source, what="a grants table")
    out = frame[list(GRANTS_COLUMNS)].copy()
    genders = set(out["gender"].astype(str).unique())
    if not genders <= {"f", "m"}:
        bad = ", ".join(sorted(genders - {"f", "m"}))
        raise TeachkitError(f"{source}: gender must be 'f' or 'm', found {bad}")
    for col in ("applications", "awards"):
        values = pd.to_numeric(out[col], errors="coerce")
        whole = np.isfinite(values) & (values >= 0) & (values == np.round(values))
        if not whole.all() or (values > MAX_COUNT).any():
            raise TeachkitError(f"{source}: {col} must be whole numbers from 0 to {MAX_COUNT:,}")
        out[col] = values.astype("int64")
    over = out["awards"] > out["applications"]
    if over.any():
        row = out[over].iloc[0]
        raise TeachkitError(
            f"{source}: awards exceed applications for {row['discipline']}/{row['gender']} "
            f"({row['awards']} > {row['applications']})"
        )
    out["discipline"] = pd.Categorical(
        out["discipline"].astype(str), categories=list(dict.fromkeys(out["discipline"].astype(str)))
    )
    out["gender"] = pd.Categorical(out["gender"].astype(str), categories=["f", "m"])
    return out.reset_index(drop=True)
