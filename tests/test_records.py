"""Tests for teachkit.records: the JSON records are plain, strict JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from teachkit.records import compare_record, write_json


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


def fit_record_of(options: dict, case: str = "ozone", model: str = "covarying") -> dict:
    import arviz as az

    from teachkit.fitmeta import FitMeta
    from teachkit.inference import Diagnostics
    from teachkit.records import fit_record

    idata = az.from_dict(posterior={"sigma": np.ones((2, 5))})
    FitMeta(
        case=case, model=model, options=options, n_obs=18, parameters=("sigma",),
        sampler="nutpie", seed=1, draws=5, tune=5, chains=2, target_accept=0.9,
        seconds={"wall": 1.23456, "compile": 1.0, "sampling": 0.23456},
    ).write(idata)  # fmt: skip
    table = pd.DataFrame({"mean": [1.0], "sd": [np.nan], "r_hat": [1.0]}, index=["sigma"])
    diagnostics = Diagnostics(0, 1.0, 500.0, 450.0, 1.1, ())
    return fit_record(idata, table, diagnostics, data="nwo")


def test_fit_record_flattens_the_models_options_after_the_model() -> None:
    record = fit_record_of({"parameterization": "centered", "likelihood": "sufficient"})
    assert list(record)[:5] == ["case", "model", "parameterization", "likelihood", "data"]
    assert (record["parameterization"], record["likelihood"]) == ("centered", "sufficient")
    assert record["seconds"] == {"wall": 1.235, "compile": 1.0, "sampling": 0.235}
    assert record["parameters"] == {"sigma": {"mean": 1.0, "sd": None, "r_hat": 1.0}}
    assert record["diagnostics"]["advice"] == [] and record["seed"] == 1


def test_fit_record_of_a_model_without_options_has_no_option_keys() -> None:
    record = fit_record_of({}, case="grants", model="gender")
    assert list(record)[:3] == ["case", "model", "data"]
    assert "parameterization" not in record and "likelihood" not in record


def test_recover_record_says_whether_every_hyperparameter_was_inside() -> None:
    from teachkit.records import recover_record

    table = pd.DataFrame(
        {"truth": [0.5, 1.0], "mean": [0.4, 3.0], "sd": [0.1, 0.2], "hdi_low": [0.3, 2.5],
         "hdi_high": [0.6, 3.5], "inside": [True, False]},
        index=pd.Index(["mu_alpha", "alpha[0]"], name="parameter"),
    )  # fmt: skip
    table.attrs.update(
        case="ozone", model="covarying", seed=1, hdi_prob=0.94, all_hyperparameters_inside=True
    )
    record = recover_record(table)
    assert record["all_hyperparameters_inside"] is True
    assert record["parameters"]["alpha[0]"]["inside"] is False
    assert json.loads(json.dumps(record)) == record
