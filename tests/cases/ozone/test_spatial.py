"""Tests for teachkit.cases.ozone.spatial: the spatial-intercepts model.

The references are independent of the code under test: distances by the spherical law of
cosines (not the haversine formula of teachkit.kernels), the kernel and every prior written out
with scipy.stats, and the likelihood as a sum of scipy normal densities.
"""

from __future__ import annotations

import arviz as az
import numpy as np
import pandas as pd
import pymc as pm
import pytest
import xarray as xr
from scipy import stats

from teachkit.cases.ozone.spatial import build_spatial_model, station_coordinates
from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.datasets import load_beijing_ozone
from teachkit.errors import TeachkitError
from teachkit.registry import get_case
from teachkit.simulate import simulate_spatial_ozone

RADIUS_KM = 6371.0088
N_POINTS = 6
SIM = simulate_spatial_ozone(n_sites=5, n_days=40, rng=0).data


def law_of_cosines_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    c = np.sin(phi)[:, None] * np.sin(phi)[None, :] + np.cos(phi)[:, None] * np.cos(phi)[
        None, :
    ] * np.cos(lam[:, None] - lam[None, :])
    return RADIUS_KM * np.arccos(np.clip(c, -1.0, 1.0))


def reference_log_density(data: pd.DataFrame, lat, lon, p: dict[str, np.ndarray]) -> float:
    """The model of the docstring, on the constrained scale, with scipy only."""
    idx = data["station_id"].to_numpy()
    t, y = data["TEMP"].to_numpy(), data["log_ozone"].to_numpy()
    n_st = idx.max() + 1
    t_bar = t.mean()
    t_bar_j = np.bincount(idx, t) / np.bincount(idx)
    beta, mu_c, alpha_c = p["beta"], p["mu_alpha_c"], p["alpha_c"]
    sa, sg, ell, sigma = p["sigma_alpha"], p["sigma_gp"], p["ell"], p["sigma"]
    mu_alpha = mu_c - beta * t_bar
    alpha = alpha_c - beta * t_bar_j
    d = law_of_cosines_km(np.asarray(lat), np.asarray(lon))
    cov = sg**2 * np.exp(-(d**2) / (2 * ell**2)) + (sa**2 + 1e-6) * np.eye(n_st)
    return float(
        stats.norm(0, 0.1).logpdf(beta)
        + stats.norm(0, 2).logpdf(mu_alpha)
        + stats.halfcauchy(scale=1).logpdf(sa)
        + stats.halfnorm(scale=0.5).logpdf(sg)
        + stats.invgamma(3.5, scale=35).logpdf(ell)
        + stats.multivariate_normal(np.full(n_st, mu_alpha), cov).logpdf(alpha)
        + stats.halfcauchy(scale=1).logpdf(sigma)
        + stats.norm.logpdf(y, alpha[idx] + beta * t, sigma).sum()
    )


def random_constrained(n_st: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {
        "beta": rng.normal(0.05, 0.02),
        "mu_alpha_c": rng.normal(4.5, 0.3),
        "sigma_alpha": rng.uniform(0.01, 0.5),
        "sigma_gp": rng.uniform(0.01, 0.8),
        "ell": rng.uniform(3.0, 70.0),
        "alpha_c": rng.normal(4.5, 0.3, n_st),
        "sigma": rng.uniform(0.3, 1.5),
    }


def unconstrained(m: pm.Model, p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out = {}
    for rv in m.free_RVs:
        value = m.rvs_to_values[rv]
        if value.name.endswith("_log__"):
            out[value.name] = np.log(p[rv.name])
        else:
            out[value.name] = np.asarray(p[rv.name], dtype=float)
    return out


@pytest.mark.parametrize("likelihood", ["sufficient", "pointwise"])
def test_centred_log_density_matches_the_written_out_model(likelihood: str) -> None:
    """Priors, kernel, distances, the shift to each station's mean temperature and the
    likelihood together: any one wrong and the densities differ."""
    data = load_beijing_ozone().sample(n=1500, random_state=1)
    stations = load_beijing_stations()
    built = build_spatial_model(data, parameterization="centered", likelihood=likelihood)
    m = built.model
    logp = m.compile_logp(jacobian=False)
    rng = np.random.default_rng(7)
    for _ in range(N_POINTS):
        p = random_constrained(12, rng)
        expected = reference_log_density(data, stations["latitude"], stations["longitude"], p)
        assert logp(unconstrained(m, p)) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_noncentred_form_is_mean_plus_cholesky_of_kernel_times_z_plus_station_term() -> None:
    built = build_spatial_model(SIM, parameterization="noncentered")
    m = built.model
    sites = SIM.drop_duplicates("station_id")
    d = law_of_cosines_km(sites["latitude"].to_numpy(), sites["longitude"].to_numpy())
    rng = np.random.default_rng(3)
    p = random_constrained(5, rng)
    z_f, z_e = rng.normal(size=5), rng.normal(size=5)
    point = unconstrained(m, {**p, "z_f": z_f, "z_e": z_e})
    k = p["sigma_gp"] ** 2 * np.exp(-(d**2) / (2 * p["ell"] ** 2)) + 1e-6 * np.eye(5)
    mu_alpha = p["mu_alpha_c"] - p["beta"] * SIM["TEMP"].mean()
    alpha = mu_alpha + np.linalg.cholesky(k) @ z_f + p["sigma_alpha"] * z_e
    outs = m.replace_rvs_by_values([m["alpha"], m["f"]])
    got_alpha, got_f = m.compile_fn(outs, inputs=m.value_vars, on_unused_input="ignore")(point)
    np.testing.assert_allclose(got_alpha, alpha, rtol=1e-10)
    np.testing.assert_allclose(got_f, np.linalg.cholesky(k) @ z_f, rtol=1e-10)


@pytest.mark.parametrize("param", ["centered", "noncentered"])
def test_sufficient_and_pointwise_likelihoods_agree(param: str) -> None:
    fast = build_spatial_model(SIM, parameterization=param).model
    slow = build_spatial_model(SIM, parameterization=param, likelihood="pointwise").model
    logp_fast, logp_slow = fast.compile_logp(), slow.compile_logp()
    rng = np.random.default_rng(11)
    for _ in range(N_POINTS):
        point = {k: rng.normal(0, 1, np.shape(v)) for k, v in fast.initial_point().items()}
        assert logp_fast(point) == pytest.approx(logp_slow(point), rel=1e-10, abs=1e-8)


def test_centred_prior_draws_of_alpha_have_the_kernel_covariance() -> None:
    """The generative form PyMC draws from (calibration's prior): alpha given hyperparameters
    whitened by the reference covariance is N(0, I)."""
    m = build_spatial_model(SIM, likelihood="pointwise").model
    names = ["alpha", "mu_alpha", "sigma_alpha", "sigma_gp", "ell"]
    alpha, mu, sa, sg, ell = pm.draw([m[n] for n in names], draws=400, random_seed=2)
    sites = SIM.drop_duplicates("station_id")
    d = law_of_cosines_km(sites["latitude"].to_numpy(), sites["longitude"].to_numpy())
    z = []
    for a, mu_i, sa_i, sg_i, ell_i in zip(alpha, mu, sa, sg, ell, strict=True):
        cov = sg_i**2 * np.exp(-(d**2) / (2 * ell_i**2)) + (sa_i**2 + 1e-6) * np.eye(5)
        z.append(np.linalg.solve(np.linalg.cholesky(cov), a - mu_i))
    assert stats.kstest(np.ravel(z), stats.norm.cdf).pvalue > 1e-3
    assert stats.kstest(mu, stats.norm(0, 2).cdf).pvalue > 1e-3
    assert stats.kstest(ell, stats.invgamma(3.5, scale=35).cdf).pvalue > 1e-3


def test_beijing_table_gets_the_shipped_coordinates() -> None:
    data = load_beijing_ozone()
    built = build_spatial_model(data)
    stations = load_beijing_stations()
    d = built.model["distance_km"].get_value()
    np.testing.assert_allclose(
        d,
        law_of_cosines_km(stations["latitude"].to_numpy(), stations["longitude"].to_numpy()),
        atol=1e-6,
    )
    nonzero = d[~np.eye(12, dtype=bool)]
    assert nonzero.min() == pytest.approx(3.9, abs=0.1) and nonzero.max() == pytest.approx(
        60, abs=1
    )


def test_coordinates_in_the_table_win_and_must_be_consistent() -> None:
    lat, _ = station_coordinates(SIM, np.arange(5))
    first = SIM.drop_duplicates("station_id")
    np.testing.assert_array_equal(lat, first["latitude"])
    bad = SIM.copy()
    bad.loc[bad.index[1], "latitude"] += 0.01
    with pytest.raises(TeachkitError, match="same on every row"):
        build_spatial_model(bad)
    with pytest.raises(TeachkitError, match="no longitude"):
        build_spatial_model(SIM.drop(columns="longitude"))


def test_stations_without_coordinates_are_refused_in_one_line() -> None:
    data = SIM.drop(columns=["latitude", "longitude"])
    with pytest.raises(TeachkitError, match="no coordinates for station") as err:
        build_spatial_model(data)
    assert "\n" not in str(err.value)


def test_the_case_knows_the_model_and_its_coordinates_enter_the_fingerprint() -> None:
    case = get_case("ozone")
    assert "spatial_intercepts" in case.models
    assert case.resolve_options("spatial_intercepts") == {
        "parameterization": "marginal",
        "likelihood": "sufficient",
    }
    moved = SIM.assign(latitude=SIM["latitude"] + 0.01)
    assert case.fingerprint(moved) != case.fingerprint(SIM)
    plain = load_beijing_ozone()
    from teachkit.models.spec import data_fingerprint

    assert case.fingerprint(plain) == data_fingerprint(plain, case.model_columns)


def test_the_cases_pointwise_log_likelihood_covers_the_model() -> None:
    """The case's LOO log-likelihood on draws of this model equals PyMC's own."""
    built = build_spatial_model(SIM, likelihood="pointwise")
    prior = pm.sample_prior_predictive(draws=8, model=built.model, random_seed=4).prior
    idata = az.InferenceData(
        posterior=prior,
        observed_data=xr.Dataset({"log_ozone": ("obs", built.spec.observed["log_ozone"])}),
        constant_data=xr.Dataset({k: ("obs", v) for k, v in built.spec.constant.items()}),
    )
    ours = get_case("ozone").log_likelihood(idata)["log_ozone"].to_numpy()
    reference = pm.compute_log_likelihood(
        idata.copy(), model=built.model, extend_inferencedata=False, progressbar=False
    )["log_ozone"].to_numpy()
    np.testing.assert_allclose(ours, reference, rtol=1e-10)


def test_simulate_for_plants_a_spatial_truth_at_the_beijing_stations() -> None:
    case = get_case("ozone")
    sim = case.simulate_for("spatial_intercepts", rng=0, n_days=5)
    assert sim.data["station"].nunique() == 12 and "latitude" in sim.data
    truth = case.truth("spatial_intercepts", sim)
    assert {"sigma_gp", "ell", "beta", "alpha[11]"} <= set(truth)
    assert truth["beta"] == sim.truth["mu_beta"]


def conditional_intercepts(data: pd.DataFrame, lat, lon, p: dict) -> tuple[np.ndarray, np.ndarray]:
    """Mean and covariance of the shifted intercepts given everything else, from the joint by
    the precision form (prior precision plus the station means' precision n_j / sigma^2)."""
    idx = data["station_id"].to_numpy()
    t, y = data["TEMP"].to_numpy(), data["log_ozone"].to_numpy()
    n = np.bincount(idx).astype(float)
    t_bar, t_bar_j, y_bar = t.mean(), np.bincount(idx, t) / n, np.bincount(idx, y) / n
    d = law_of_cosines_km(np.asarray(lat), np.asarray(lon))
    prior = p["sigma_gp"] ** 2 * np.exp(-(d**2) / (2 * p["ell"] ** 2)) + (
        p["sigma_alpha"] ** 2 + 1e-6
    ) * np.eye(len(n))
    prior_mean = p["mu_alpha_c"] + p["beta"] * (t_bar_j - t_bar)
    precision = np.linalg.inv(prior) + np.diag(n / p["sigma"] ** 2)
    cov = np.linalg.inv(precision)
    mean = cov @ (np.linalg.solve(prior, prior_mean) + n * y_bar / p["sigma"] ** 2)
    return mean, cov


@pytest.mark.parametrize(("data", "n_sites"), [("beijing", 12), ("sim", 5)])
def test_marginal_form_is_the_joint_with_the_intercepts_drawn_from_their_conditional(
    data: str, n_sites: int
) -> None:
    """log p(hyperparameters, z) = log p_joint(hyperparameters, alpha_c) + log |L| at
    alpha_c = m + L z, m and L L^T the conditional normal computed from the joint: the same
    posterior as the centred form, with the intercepts integrated out of the gradient."""
    if data == "beijing":
        frame = load_beijing_ozone().sample(n=1500, random_state=1)
        st = load_beijing_stations()
        lat, lon = st["latitude"].to_numpy(), st["longitude"].to_numpy()
    else:
        frame = SIM
        sites = SIM.drop_duplicates("station_id")
        lat, lon = sites["latitude"].to_numpy(), sites["longitude"].to_numpy()
    m = build_spatial_model(frame, parameterization="marginal").model
    logp = m.compile_logp(jacobian=False)
    alpha_c = m.compile_fn(
        m.replace_rvs_by_values([m["alpha_c"]])[0], inputs=m.value_vars, on_unused_input="ignore"
    )
    rng = np.random.default_rng(5)
    for _ in range(N_POINTS):
        p = random_constrained(n_sites, rng)
        z = rng.normal(size=n_sites)
        point = unconstrained(m, {**p, "z_alpha": z})
        mean, cov = conditional_intercepts(frame, lat, lon, p)
        chol = np.linalg.cholesky(cov)
        expected_alpha_c = mean + chol @ z
        np.testing.assert_allclose(alpha_c(point), expected_alpha_c, rtol=1e-9, atol=1e-12)
        joint = reference_log_density(frame, lat, lon, {**p, "alpha_c": expected_alpha_c})
        expected = joint + np.log(np.diag(chol)).sum()
        assert logp(point) == pytest.approx(expected, rel=1e-9, abs=1e-6)


def test_marginal_form_with_the_pointwise_likelihood_is_the_centred_form() -> None:
    """PyMC draws the rows from the pointwise form (calibration's generative model), so
    there the marginal option builds the centred model."""
    a = build_spatial_model(SIM, parameterization="marginal", likelihood="pointwise").model
    b = build_spatial_model(SIM, parameterization="centered", likelihood="pointwise").model
    assert [v.name for v in a.free_RVs] == [v.name for v in b.free_RVs]
    point = a.initial_point()
    assert a.compile_logp()(point) == pytest.approx(b.compile_logp()(point), rel=1e-12)


def test_calibration_designs_give_the_spatial_models_coordinates() -> None:
    """SBC's designs carry random sites in the Beijing box (own random stream: the
    temperatures are those of the design without coordinates), so the spatial models build."""
    from teachkit.cases.ozone.simulate import BEIJING_BOX, simulate_ozone

    case = get_case("ozone")
    design = case.calibration_design(seed=4)
    plain = simulate_ozone(n_stations=8, n_days=30, rng=4).data
    np.testing.assert_array_equal(design["TEMP"], plain["TEMP"])
    per_station = design.groupby("station_id")[["latitude", "longitude"]].nunique()
    assert (per_station == 1).all().all()
    south, north, west, east = BEIJING_BOX
    assert design["latitude"].between(south, north).all()
    assert design["longitude"].between(west, east).all()
    built = case.generative_model(design, "spatial_intercepts")
    assert built.spec.hyperparameters == (
        "mu_alpha", "sigma_alpha", "sigma_gp", "ell", "beta", "sigma")  # fmt: skip
