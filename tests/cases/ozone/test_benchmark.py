"""Tests for teachkit.cases.ozone.benchmark's bookkeeping (the timed run: tests/test_cli.py)."""

from __future__ import annotations

import pytest

from teachkit.cases.ozone.benchmark import BenchRow, speedups
from teachkit.errors import TeachkitError
from teachkit.samplers import TARGET_ACCEPT


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


def test_the_bambi_row_is_skipped_in_one_line_without_bambi(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from teachkit.cases.ozone.benchmark import benchmark_bambi

    monkeypatch.setitem(sys.modules, "bambi", None)  # import bambi raises ImportError
    rows, skipped = benchmark_bambi(None)  # type: ignore[arg-type]
    assert rows == []
    assert skipped is not None and skipped.startswith("bambi row skipped: bambi is not installed")
    assert "\n" not in skipped
    assert "teachkit[bench]" in skipped


def test_the_bambi_row_from_a_stub_bambi_returning_real_draws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The real row-building code, with bambi replaced by a stub whose fit returns draws."""
    import sys
    import types

    import arviz as az
    import numpy as np
    import pandas as pd

    from teachkit.cases.ozone.benchmark import (
        BAMBI_FORMULA,
        BAMBI_HYPERPARAMETERS,
        benchmark_bambi,
    )

    calls = []

    class Model:
        def __init__(self, formula: str, data: pd.DataFrame) -> None:
            calls.append(("model", formula, len(data)))

        def fit(self, **kwargs: object) -> az.InferenceData:
            calls.append(("fit", kwargs))
            rng = np.random.default_rng(len(calls))
            posterior = {name: rng.normal(size=(2, 50)) for name in BAMBI_HYPERPARAMETERS}
            posterior["TEMP|station"] = rng.normal(size=(2, 50, 3))
            idata = az.from_dict(
                posterior=posterior,
                sample_stats={"diverging": np.zeros((2, 50), dtype=bool)},
            )
            idata.posterior.attrs["sampling_time"] = 0.0
            return idata

    monkeypatch.setitem(sys.modules, "bambi", types.SimpleNamespace(Model=Model))
    data = pd.DataFrame({"log_ozone": [1.0, 2.0], "TEMP": [3.0, 4.0], "station": ["a", "b"]})
    lines: list[str] = []
    rows, skipped = benchmark_bambi(data, draws=50, tune=20, chains=2, seed=7,
                                    status=lines.append)  # fmt: skip
    assert skipped is None
    assert [r.start for r in rows] == ["cold", "warm"]
    assert all(r.form == "bambi" and r.sampler == "nutpie" for r in rows)
    assert rows[0].label == "bambi, uncorrelated, nutpie"
    assert calls[0] == ("model", BAMBI_FORMULA, 2)
    assert calls[1][1] == {"draws": 50, "tune": 20, "chains": 2, "random_seed": 7,
                           "target_accept": TARGET_ACCEPT, "inference_method": "nutpie",
                           "progressbar": False}  # fmt: skip
    assert len(lines) == 2 and "bambi" in lines[0]
    for r in rows:
        assert r.divergences == 0
        assert 0 < r.min_ess_bulk <= 100
        assert r.ess_per_second == pytest.approx(r.min_ess_bulk / r.wall)
    record = rows[0].as_dict()
    assert record["label"] == "bambi, uncorrelated, nutpie"
