"""Tests for teachkit.report: the JSON records are plain, strict JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from teachkit.report import compare_record, write_json


def test_write_json_turns_numpy_and_non_finite_numbers_into_plain_json(tmp_path: Path) -> None:
    record = {"a": np.float64(1.5), "b": np.int64(3), "c": float("nan"), "d": [np.bool_(True)],
              "e": {"f": math.inf, "g": "text", "h": None}}  # fmt: skip
    path = write_json(record, tmp_path / "r.json")
    expected = {"a": 1.5, "b": 3, "c": None, "d": [True],
                "e": {"f": None, "g": "text", "h": None}}  # fmt: skip
    assert json.loads(path.read_text()) == expected


def test_compare_record_follows_the_design_format() -> None:
    table = pd.DataFrame(
        {"rank": [0, 1], "elpd_loo": [-10.0, -20.0], "p_loo": [3.0, 2.0], "d_loo": [0.0, 10.0],
         "weight": [0.9, 0.1], "se": [1.0, 1.5], "dse": [0.0, 2.0], "warning": [False, True],
         "pareto_k_max": [0.3, 0.8]},
        index=["covarying", "pooled"],
    )  # fmt: skip
    record = compare_record(table, case="ozone", data="beijing", n_obs=16966)
    assert list(record) == ["case", "data", "n_obs", "models"]
    assert [m["model"] for m in record["models"]] == ["covarying", "pooled"]
    assert record["models"][1] == {
        "model": "pooled", "rank": 1, "elpd_loo": -20.0, "p_loo": 2.0, "d_loo": 10.0,
        "weight": 0.1, "se": 1.5, "dse": 2.0, "warning": True, "pareto_k_max": 0.8,
    }  # fmt: skip
