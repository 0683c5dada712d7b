"""Tests for teachkit.fitmeta: a fit's metadata survives netCDF attributes and a file."""

from __future__ import annotations

from pathlib import Path

import arviz as az
import numpy as np
import pytest

from teachkit.errors import TeachkitError
from teachkit.fitmeta import FitMeta

META = FitMeta(
    case="ozone", model="covarying",
    options={"parameterization": "centered", "likelihood": "sufficient"}, n_obs=240,
    parameters=("mu_alpha", "sigma", "alpha"), hyperparameters=("mu_alpha", "sigma"),
    data_hash="abc", sampler="nutpie", seed=3, draws=100, tune=50, chains=2,
    target_accept=0.9, seconds={"wall": 2.0, "compile": 1.5, "sampling": 0.5},
)  # fmt: skip


def test_attributes_are_strings_and_numbers_with_one_prefix() -> None:
    attrs = META.to_attrs()
    assert all(isinstance(v, str | int | float) for v in attrs.values())
    # other attributes of the posterior (ArviZ's, PyMC's) are left alone and ignored
    assert FitMeta.from_attrs({**attrs, "created_at": "today", "sampling_time": 1.0}) == META


def test_round_trip_through_attributes_keeps_everything() -> None:
    back = FitMeta.from_attrs(META.to_attrs())
    assert back == META
    assert list(back.options) == ["parameterization", "likelihood"]  # the model's order


def test_no_seed_and_no_options_round_trip() -> None:
    meta = FitMeta(case="grants", model="gender")
    assert FitMeta.from_attrs(meta.to_attrs()) == meta


def test_written_metadata_survives_a_netcdf_file(tmp_path: Path) -> None:
    idata = META.write(az.from_dict(posterior={"sigma": np.ones((2, 5))}))
    path = tmp_path / "fit.nc"
    idata.to_netcdf(str(path))
    assert FitMeta.of(az.from_netcdf(path)) == META


def test_with_run_fills_in_the_samplers_part() -> None:
    model_part = FitMeta(case="grants", model="gender", parameters=("alpha",))
    run = model_part.with_run(sampler="pymc", draws=10, chains=1, seed=None)
    assert (run.sampler, run.draws, run.chains, run.parameters) == ("pymc", 10, 1, ("alpha",))


def test_a_fit_made_elsewhere_is_refused() -> None:
    idata = az.from_dict(posterior={"sigma": np.ones((2, 5))})
    with pytest.raises(TeachkitError, match=r"not made by teachkit\.inference\.fit"):
        FitMeta.of(idata)
