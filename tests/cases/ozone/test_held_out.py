"""Tests for teachkit.cases.ozone.held_out: a new station's line under each model."""

from __future__ import annotations

import arviz as az
import numpy as np
import pandas as pd
import pytest

from teachkit.cases.ozone.held_out import HELD_OUT_MODELS, held_out_log_density, new_station_line
from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.errors import TeachkitError
from teachkit.group_predictive import group_log_predictive
from teachkit.kernels import exp_quad, gp_conditional, great_circle_between, great_circle_km

DRAWS = 5
#: Agreement with kernels.gp_conditional (both exact; rounding only).
RTOL = 1e-9


def beijing_rows(station_ids, days: int = 3) -> pd.DataFrame:
    stations = load_beijing_stations()
    rng = np.random.default_rng(0)
    rows = [
        {"station_id": j, "station": stations["station"][j], "TEMP": t,
         "log_ozone": 3.5 + 0.05 * t + rng.normal(0, 0.3)}
        for j in station_ids for t in rng.uniform(-10, 35, days)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def posterior(params: dict[str, np.ndarray], stations=None) -> az.InferenceData:
    coords = {"station": stations} if stations is not None else None
    dims = {"alpha": ["station"]} if stations is not None else None
    return az.from_dict(
        posterior={k: v.reshape(1, DRAWS, *v.shape[1:]) for k, v in params.items()},
        coords=coords,
        dims=dims,
    )


def hyper(rng) -> dict[str, np.ndarray]:
    return {
        "mu_alpha": rng.normal(3.5, 0.1, DRAWS),
        "mu_beta": rng.normal(0.05, 0.005, DRAWS),
        "beta": rng.normal(0.05, 0.005, DRAWS),
        "sigma_alpha": rng.uniform(0.05, 0.2, DRAWS),
        "sigma_beta": rng.uniform(0.001, 0.01, DRAWS),
        "rho": rng.uniform(-0.9, 0.9, DRAWS),
        "sigma": rng.uniform(0.3, 0.5, DRAWS),
        "sigma_gp": rng.uniform(0.05, 0.3, DRAWS),
        "ell": rng.uniform(5, 40, DRAWS),
    }


def test_the_covarying_population_is_the_new_stations_prior() -> None:
    params = hyper(np.random.default_rng(1))
    mean, cov, sigma = new_station_line(posterior(params), "covarying", None, None)
    i = 2
    sa, sb, rho = params["sigma_alpha"][i], params["sigma_beta"][i], params["rho"][i]
    np.testing.assert_allclose(mean[i], [params["mu_alpha"][i], params["mu_beta"][i]])
    np.testing.assert_allclose(cov[i], [[sa**2, rho * sa * sb], [rho * sa * sb, sb**2]])
    np.testing.assert_allclose(sigma, params["sigma"])


def test_varying_intercepts_share_the_common_slope_exactly() -> None:
    params = hyper(np.random.default_rng(2))
    mean, cov, _ = new_station_line(posterior(params), "varying_intercepts", None, None)
    np.testing.assert_allclose(mean[:, 1], params["beta"])
    assert np.all(cov[:, 1, :] == 0) and np.all(cov[:, :, 1] == 0)


def test_the_spatial_prediction_is_kriging_from_the_other_stations() -> None:
    """Against kernels.gp_conditional: f_new given alpha - mu = f + e (noise sigma_alpha^2),
    plus the new station's own e."""
    rng = np.random.default_rng(3)
    train_ids, new_id = [0, 1, 2, 4, 7, 9], 3
    params = hyper(rng)
    params["alpha"] = rng.normal(3.5, 0.2, (DRAWS, len(train_ids)))
    idata = posterior(params, stations=np.array(train_ids))
    train, held = beijing_rows(train_ids), beijing_rows([new_id])
    mean, cov, _ = new_station_line(idata, "spatial_intercepts", train, held)
    stations = load_beijing_stations()
    lat, lon = stations["latitude"].to_numpy(), stations["longitude"].to_numpy()
    d = great_circle_km(lat[train_ids], lon[train_ids])
    d_new = great_circle_between(lat[train_ids], lon[train_ids], lat[[new_id]], lon[[new_id]])
    for i in range(DRAWS):
        sg, ell, sa = params["sigma_gp"][i], params["ell"][i], params["sigma_alpha"][i]
        mu = params["mu_alpha"][i]
        m, v = gp_conditional(
            exp_quad(d, sg, ell), exp_quad(d_new, sg, ell), [[sg**2]],
            params["alpha"][i] - mu, noise=sa**2,
        )  # fmt: skip
        assert mean[i, 0] == pytest.approx(mu + m[0], rel=RTOL)
        assert cov[i, 0, 0] == pytest.approx(v[0, 0] + sa**2, rel=RTOL)


def test_a_far_or_short_range_gp_predicts_like_the_population() -> None:
    """With ell -> 0 the neighbours say nothing: the new station is mu_alpha with the total
    variance sigma_gp^2 + sigma_alpha^2."""
    rng = np.random.default_rng(4)
    train_ids = [0, 1, 2, 4]
    params = hyper(rng)
    params["ell"] = np.full(DRAWS, 1e-3)
    params["alpha"] = rng.normal(3.5, 0.2, (DRAWS, len(train_ids)))
    idata = posterior(params, stations=np.array(train_ids))
    mean, cov, _ = new_station_line(idata, "spatial_intercepts", beijing_rows(train_ids),
                                    beijing_rows([5]))  # fmt: skip
    np.testing.assert_allclose(mean[:, 0], params["mu_alpha"])
    np.testing.assert_allclose(cov[:, 0, 0], params["sigma_gp"] ** 2 + params["sigma_alpha"] ** 2)


def test_the_score_is_the_group_predictive_of_the_stations_rows() -> None:
    params = hyper(np.random.default_rng(5))
    idata = posterior(params)
    held = beijing_rows([6], days=20)
    mean, cov, sigma = new_station_line(idata, "varying_slopes", None, held)
    x = np.column_stack([np.ones(20), held["TEMP"]])
    want = group_log_predictive(x, held["log_ozone"], mean, cov, sigma)
    assert held_out_log_density(idata, "varying_slopes", None, held) == want


def test_every_listed_model_is_known_and_others_are_refused() -> None:
    params = hyper(np.random.default_rng(6))
    params["alpha"] = params["mu_alpha"]
    idata = posterior(params)
    for model in ("pooled", "varying_intercepts", "varying_slopes", "covarying"):
        assert model in HELD_OUT_MODELS
        new_station_line(idata, model, None, None)
    with pytest.raises(TeachkitError, match="cannot predict a new station; choose one of"):
        new_station_line(idata, "spatial_covarying", None, None)
