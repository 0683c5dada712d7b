"""teachkit.cases.grouped.table: a user's table checked once, renamed once, every error one line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from teachkit.cases.grouped.table import MAX_GROUPS, Columns, tidy_grouped_table
from teachkit.errors import TeachkitError

COLUMNS = Columns(y="log.radon", x="floor", group="county")


def raw(**changes: list) -> pd.DataFrame:
    """A small radon-like table (6 rows, 3 counties) with an extra column, changed as given."""
    table = {
        "log.radon": [1.0, 2.0, 1.5, 0.5, 0.7, 1.1],
        "floor": [0, 1, 0, 1, 0, 1],
        "county": ["B", "B", "A", "A", "C", "C"],
        "note": ["x"] * 6,
    }
    table.update(changes)
    return pd.DataFrame(table)


def tidy(frame: pd.DataFrame, **kwargs) -> pd.DataFrame:
    return tidy_grouped_table(frame, COLUMNS, source="radon.csv", **kwargs)


def refused(frame: pd.DataFrame, **kwargs) -> str:
    """The message of the TeachkitError ``tidy`` raises (which must be one line)."""
    with pytest.raises(TeachkitError) as err:
        tidy(frame, **kwargs)
    message = str(err.value)
    assert "\n" not in message
    return message


def test_canonical_columns_in_the_files_row_order() -> None:
    table = tidy(raw())
    assert table.columns.tolist() == ["group", "x", "y"]
    assert table["group"].tolist() == ["B", "B", "A", "A", "C", "C"]  # labels as given
    assert table["x"].dtype == table["y"].dtype == np.float64
    assert table["y"].tolist() == raw()["log.radon"].tolist()
    assert table.attrs == {"columns": COLUMNS.as_dict(), "dropped": 0, "source": "radon.csv"}


def test_numbers_written_as_text_are_read() -> None:
    table = tidy(raw(floor=["0", "1", "0", "1.5", "0", "1"]))
    assert table["x"].tolist() == [0.0, 1.0, 0.0, 1.5, 0.0, 1.0]


def test_integer_group_labels_are_kept() -> None:
    table = tidy(raw(county=[308, 308, 12, 12, 5, 5]))
    assert table["group"].tolist() == [308, 308, 12, 12, 5, 5]


def test_missing_columns_are_named_with_the_columns_there_are() -> None:
    message = refused(raw().drop(columns=["floor", "county"]))
    assert message == (
        "radon.csv has no column --x 'floor', --group 'county'; its columns: 'log.radon', 'note'"
    )


def test_no_rows() -> None:
    assert refused(raw().iloc[:0]) == "radon.csv has no rows"


def test_missing_values_are_counted_by_column_unless_dropped() -> None:
    frame = raw(
        **{"log.radon": [1.0, np.nan, 1.5, 0.5, np.nan, 1.1]},
        county=["B", "B", None, "A", "C", "C"],
    )
    assert refused(frame) == (
        "radon.csv has 3 rows with missing values (by column: county (1), log.radon (2)); "
        "pass --dropna to drop them"
    )
    table = tidy(frame, dropna=True)
    assert table.attrs["dropped"] == 3
    assert table["y"].tolist() == [1.0, 0.5, 1.1]
    assert table.index.tolist() == [0, 1, 2]


def test_no_complete_rows() -> None:
    frame = raw(floor=[np.nan] * 6)
    assert refused(frame, dropna=True) == "radon.csv has no complete rows"


def test_non_numeric_values_name_the_first_bad_row() -> None:
    message = refused(raw(floor=[0, 1, "basement", 1, "attic", 1]))
    assert message == "radon.csv: column 'floor' must hold numbers; row 3 has 'basement'"
    message = refused(raw(**{"log.radon": [1.0, 2.0, 1.5, 0.5, 0.7, "high"]}))
    assert message == "radon.csv: column 'log.radon' must hold numbers; row 6 has 'high'"


def test_infinite_values() -> None:
    message = refused(raw(floor=[0, np.inf, 0, -np.inf, 0, 1]))
    assert message == "radon.csv: column 'floor' has 2 infinite values; every value must be finite"


def test_one_group() -> None:
    message = refused(raw(county=["A"] * 6))
    assert message == "radon.csv: column 'county' has 1 group; the models need at least 2"


def test_too_many_groups() -> None:
    assert MAX_GROUPS == 1000
    message = refused(raw(), max_groups=2)
    assert message == "radon.csv: column 'county' has 3 groups; at most 2 are allowed"


def test_x_that_does_not_vary() -> None:
    message = refused(raw(floor=[1] * 6))
    assert message == (
        "radon.csv: column 'floor' is 1 on every row; every model has a slope, so x must vary"
    )


def test_the_same_column_twice() -> None:
    with pytest.raises(TeachkitError) as err:
        Columns(y="floor", x="floor", group="county")
    assert str(err.value) == (
        "--y, --x and --group must name three different columns, got floor, floor, county"
    )


def test_whole_number_groups_stay_whole_numbers_when_missing_ones_are_dropped() -> None:
    """A missing group turns pandas' ints into floats; the labels must still read 308, not
    308.0 (a model's entries are alpha[308])."""
    table = tidy(raw(county=[308, 308, np.nan, 12, 5, 5]), dropna=True)
    assert table["group"].tolist() == [308, 308, 12, 5, 5]
    assert table["group"].dtype == np.int64
    # labels that are not whole numbers are kept as they are
    table = tidy(raw(county=[1.5, 1.5, np.nan, 2.5, 2.5, 3.0]), dropna=True)
    assert table["group"].tolist() == [1.5, 1.5, 2.5, 2.5, 3.0]


def test_mixed_label_types_become_text_labels() -> None:
    """A DataFrame whose group column mixes numbers and text sorts its labels as text."""
    raw = pd.DataFrame(
        {"y": [1.0, 2.0, 1.5, 0.5], "x": [0.0, 1.0, 0.0, 1.0], "g": [3, 3, "3b", "3b"]}
    )
    table = tidy_grouped_table(raw, Columns("y", "x", "g"))
    assert table["group"].tolist() == ["3", "3", "3b", "3b"]
