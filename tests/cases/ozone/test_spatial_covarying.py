"""Tests for teachkit.cases.ozone.spatial_covarying: the Kronecker density and both forms.

References: scipy's multivariate normal with the dense 24 x 24 Kronecker covariance, and the
model's lines computed in numpy.
"""

from __future__ import annotations

import numpy as np
import pymc as pm
import pytensor.tensor as pt
import pytest
from scipy import stats

from teachkit.cases.ozone.spatial_covarying import (
    NUGGET,
    build_spatial_covarying,
    kronecker_mvn_logp,
)
from teachkit.kernels import great_circle_km
from teachkit.registry import get_case
from teachkit.simulate import simulate_spatial_ozone

SIM = simulate_spatial_ozone(n_sites=5, n_days=30, rng=2).data
N_POINTS = 4


def correlation(ell: float) -> np.ndarray:
    sites = SIM.drop_duplicates("station_id").sort_values("station_id")
    d = great_circle_km(sites["latitude"], sites["longitude"])
    return (1 - NUGGET) * np.exp(-(d**2) / (2 * ell**2)) + NUGGET * np.eye(len(d))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_kronecker_density_is_the_dense_mvn(seed: int) -> None:
    """vec stacks the columns: alpha for every station, then beta: cov = Sigma (x) C."""
    rng = np.random.default_rng(seed)
    c = correlation(rng.uniform(5, 40))
    a = rng.normal(size=(2, 2))
    sigma = a @ a.T + 0.1 * np.eye(2)
    e = rng.normal(size=(5, 2))
    got = kronecker_mvn_logp(
        pt.as_tensor(e), pt.as_tensor(np.linalg.cholesky(c)),
        pt.as_tensor(np.linalg.cholesky(sigma)), pt=pt,
    ).eval()  # fmt: skip
    dense = stats.multivariate_normal(np.zeros(10), np.kron(sigma, c))
    assert got == pytest.approx(dense.logpdf(e.T.ravel()), rel=1e-10)


def point_for(m: pm.Model, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {k: rng.normal(0, 0.5, np.shape(v)) for k, v in m.initial_point().items()}


def test_the_centred_form_is_the_dense_generative_form_sheared() -> None:
    """The sampled form (lines at each station's mean temperature, the matrix-normal density
    through its Kronecker factors) against the pointwise form PyMC draws from (MvNormal on
    vec(alpha, beta) with the dense covariance): the same density at the same lines."""
    fast = build_spatial_covarying(SIM).model
    dense = build_spatial_covarying(SIM, likelihood="pointwise").model
    temp_j = SIM.groupby("station_id")["TEMP"].mean().to_numpy()
    logp_fast, logp_dense = fast.compile_logp(), dense.compile_logp()
    rng = np.random.default_rng(4)
    for _ in range(N_POINTS):
        point = point_for(fast, rng)
        point["alpha_c"] = rng.normal(3.5, 0.3, 5)
        point["beta_j"] = rng.normal(0.05, 0.01, 5)
        alpha = point["alpha_c"] - point["beta_j"] * temp_j
        other = {k: v for k, v in point.items() if k not in ("alpha_c", "beta_j")}
        other["alpha_beta_vec"] = np.concatenate([alpha, point["beta_j"]])
        assert logp_fast(point) == pytest.approx(logp_dense(other), rel=1e-9)


def test_the_noncentred_lines_are_mean_plus_lc_z_ls() -> None:
    m = build_spatial_covarying(SIM, parameterization="noncentered").model
    rng = np.random.default_rng(5)
    point = point_for(m, rng)
    outs = m.replace_rvs_by_values([m["alpha"], m["beta"], m["ell"], m["mu_alpha"], m["mu_beta"],
                                    m["sigma_alpha"], m["sigma_beta"], m["rho"]])  # fmt: skip
    alpha, beta, ell, mu_a, mu_b, sa, sb, rho = m.compile_fn(
        outs, inputs=m.value_vars, on_unused_input="ignore"
    )(point)
    sigma = np.array([[sa**2, rho * sa * sb], [rho * sa * sb, sb**2]])
    lines = np.array([mu_a, mu_b]) + (
        np.linalg.cholesky(correlation(ell)) @ point["z"] @ np.linalg.cholesky(sigma).T
    )
    np.testing.assert_allclose(np.column_stack([alpha, beta]), lines, rtol=1e-9)


def test_the_case_knows_the_model_and_its_canonical_names() -> None:
    case = get_case("ozone")
    entry = case.model_entry("spatial_covarying")
    assert entry.hyperparameters == (
        "mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "ell", "sigma")  # fmt: skip
    assert case.resolve_options("spatial_covarying") == {
        "parameterization": "centered", "likelihood": "sufficient"}  # fmt: skip


def test_simulate_for_plants_lines_correlated_by_distance() -> None:
    case = get_case("ozone")
    sim = case.simulate_for("spatial_covarying", rng=3, n_days=5)
    truth = case.truth("spatial_covarying", sim)
    assert set(truth) >= {"mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "ell"}
    assert truth["ell"] == 20.0 and truth["rho"] == -0.9
    assert {"latitude", "longitude"} <= set(sim.data.columns)
    assert sim.data["station"].nunique() == 12  # the Beijing stations


def test_the_simulators_nugget_is_the_models() -> None:
    import inspect

    from teachkit.cases.ozone.simulate import simulate_spatial_lines

    assert inspect.signature(simulate_spatial_lines).parameters["nugget"].default == NUGGET


def test_simulated_lines_have_the_kronecker_covariance() -> None:
    """Over many simulations at 4 sites, the sample covariance of vec(A) is Sigma (x) C."""
    from teachkit.cases.ozone.simulate import simulate_spatial_lines

    reps, sites = 3000, 4
    rng = np.random.default_rng(9)
    draws = []
    for _ in range(reps):
        sim = simulate_spatial_lines(n_sites=sites, n_days=1, ell=15.0, rng=rng,
                                     box=(39.9, 40.0, 116.3, 116.4))  # fmt: skip
        t = sim.truth
        draws.append(
            [t[f"alpha[{j}]"] for j in range(sites)] + [t[f"beta[{j}]"] for j in range(sites)]
        )
    sample = np.cov(np.array(draws).T)
    # the sites differ between simulations (random in the box), so compare the parts that do
    # not depend on where they are: the diagonal (Sigma's variances) and alpha-beta at one site
    var_a, var_b, cov_ab = 0.2**2, 0.006**2, -0.9 * 0.2 * 0.006
    # Monte-Carlo tolerance: a sample variance from n normal draws has relative sd sqrt(2/n)
    tolerance = 4 * np.sqrt(2 / reps)
    np.testing.assert_allclose(np.diag(sample)[:sites], var_a, rtol=tolerance)
    np.testing.assert_allclose(np.diag(sample)[sites:], var_b, rtol=tolerance)
    cross = np.diag(sample[:sites, sites:])
    np.testing.assert_allclose(cross, cov_ab, rtol=tolerance * 2)
