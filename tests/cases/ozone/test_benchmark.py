"""Tests for teachkit.cases.ozone.benchmark's bookkeeping (the timed run: tests/test_cli.py)."""

from __future__ import annotations

import pytest

from teachkit.cases.ozone.benchmark import BenchRow, speedups
from teachkit.errors import TeachkitError


def row(form: str, sampler: str, start: str, wall: float) -> BenchRow:
    return BenchRow(form, sampler, start, wall, compile=0.0, sampling=wall, min_ess_bulk=400.0,
                    divergences=0, runs=(wall,))  # fmt: skip


ROWS = [
    row("slides", "pymc", "cold", 160.0), row("slides", "pymc", "warm", 150.0),
    row("slides", "nutpie", "cold", 40.0), row("slides", "nutpie", "warm", 30.0),
    row("teachkit", "nutpie", "cold", 10.0), row("teachkit", "nutpie", "warm", 0.75),
]  # fmt: skip


def test_speedups_compare_rows_started_the_same_way() -> None:
    assert speedups(ROWS, ROWS[5]) == {"slides_pymc": 200.0, "slides_nutpie": 40.0}
    assert speedups(ROWS, ROWS[4]) == {"slides_pymc": 16.0, "slides_nutpie": 4.0}
    assert speedups(ROWS, ROWS[0]) == {"slides_pymc": 1.0, "slides_nutpie": 0.25}
    assert speedups(ROWS[4:], ROWS[5]) == {}  # no anchors run


def test_row_labels_and_json_values() -> None:
    record = ROWS[5].as_dict()
    assert record["label"] == "teachkit (default), nutpie"
    assert ROWS[0].label == "slides' form, PyMC NUTS"
    assert record["ess_per_second"] == pytest.approx(400.0 / 0.75)
    assert record["runs"] == [0.75]


def test_repeats_are_checked() -> None:
    from teachkit.cases.ozone.benchmark import benchmark_covarying

    with pytest.raises(TeachkitError, match="repeats"):
        benchmark_covarying(None, repeats=0)  # type: ignore[arg-type]
