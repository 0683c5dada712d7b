"""Tests for teachkit.kernels against independent references.

* Great-circle distances: Vincenty's formula and the spherical law of cosines (written here),
  closed-form distances on the sphere, a published worked example.
* Kernels: PyMC's own ``pm.gp.cov`` kernels evaluated on coordinates (the stations projected to
  a plane) whose Euclidean distances are the distances given to teachkit.
* The GP conditional: the conditional normal of the joint covariance, with numpy's solve and inv.
* Draws: their sample covariance against K within the Monte-Carlo standard error.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teachkit.errors import TeachkitError
from teachkit.kernels import (
    EARTH_RADIUS_KM,
    KERNELS,
    correlation_matrix,
    draw_gp,
    ell_from_rho_sq,
    exp_quad,
    exponential,
    gp_conditional,
    gp_conditional_var,
    great_circle_between,
    great_circle_km,
    kernel_matrix,
    matern32,
    rho_sq_from_ell,
)

ROOT = Path(__file__).resolve().parent.parent
STATIONS = pd.read_csv(ROOT / "data" / "beijing_stations.csv")
LAT = STATIONS["latitude"].to_numpy()
LON = STATIONS["longitude"].to_numpy()

#: Agreement with an independent formula that is well conditioned (Vincenty, PyMC's kernels).
RTOL = 1e-10
SIGMA, ELL = 0.7, 15.0  # amplitude (log-ozone units) and length-scale (km) of the examples


def test_core_maths_module_does_not_import_pymc() -> None:
    code = (
        "import sys, teachkit.kernels; "
        "print(sorted({'pymc', 'pytensor', 'arviz', 'nutpie'} & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------------------------
# Great-circle distances
# ---------------------------------------------------------------------------------------------


def vincenty_sphere_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Central angle by Vincenty's formula on a sphere (atan2 form; accurate at every distance)."""
    p1, l1, p2, l2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1, lon1, lat2, lon2))
    p1, l1 = p1[:, None], l1[:, None]
    dl = l2 - l1
    num = np.hypot(
        np.cos(p2) * np.sin(dl), np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    )
    den = np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(dl)
    return EARTH_RADIUS_KM * np.arctan2(num, den)


def law_of_cosines_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Central angle by the spherical law of cosines (arccos: ~1e-8 rad rounding near 0)."""
    p1, l1, p2, l2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1, lon1, lat2, lon2))
    p1, l1 = p1[:, None], l1[:, None]
    c = np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(l2 - l1)
    return EARTH_RADIUS_KM * np.arccos(np.clip(c, -1.0, 1.0))


def test_stations_distances_match_vincenty_and_the_law_of_cosines() -> None:
    d = great_circle_km(LAT, LON)
    off = ~np.eye(len(LAT), dtype=bool)
    np.testing.assert_allclose(d[off], vincenty_sphere_km(LAT, LON, LAT, LON)[off], rtol=RTOL)
    # arccos near 1 loses half the digits: sqrt(2 * 1e-16) rad ~ 0.1 m, so compare to 1 m
    np.testing.assert_allclose(d, law_of_cosines_km(LAT, LON, LAT, LON), atol=1e-3)


@given(
    st.lists(st.floats(-90, 90), min_size=1, max_size=5),
    st.lists(st.floats(-180, 180), min_size=5, max_size=5),
    st.lists(st.floats(-90, 90), min_size=1, max_size=4),
    st.lists(st.floats(-180, 180), min_size=4, max_size=4),
)
@settings(derandomize=True, max_examples=200, deadline=None)
def test_rectangular_distances_match_vincenty_anywhere(lat1, lon1, lat2, lon2) -> None:
    lon1, lon2 = lon1[: len(lat1)], lon2[: len(lat2)]
    d = great_circle_between(lat1, lon1, lat2, lon2)
    assert d.shape == (len(lat1), len(lat2))
    # both are exact formulas; haversine's arcsin loses digits only near antipodes (~1e-8 rad)
    np.testing.assert_allclose(d, vincenty_sphere_km(lat1, lon1, lat2, lon2), atol=1e-3)
    assert np.all((d >= 0) & (d <= np.pi * EARTH_RADIUS_KM + 1e-9))


def test_closed_form_distances_on_the_sphere() -> None:
    quarter = np.pi * EARTH_RADIUS_KM / 2
    pole_equator_antipode = great_circle_between([0.0], [0.0], [90.0, 0.0, 0.0], [0.0, 90.0, 180.0])
    np.testing.assert_allclose(pole_equator_antipode, [[quarter, quarter, 2 * quarter]], rtol=RTOL)
    # one degree along a meridian, and one degree of longitude at latitude 60 (< 0.5 * 111 km)
    one_degree = np.pi * EARTH_RADIUS_KM / 180
    np.testing.assert_allclose(great_circle_km([40.0, 41.0], [116.0, 116.0])[0, 1], one_degree)
    along_60 = great_circle_between([60.0], [10.0], [60.0], [11.0])[0, 0]
    assert along_60 < one_degree / 2  # a parallel is not a great circle: the chord is shorter
    central = 2 * np.arcsin(np.cos(np.radians(60.0)) * np.sin(np.radians(0.5)))
    np.testing.assert_allclose(along_60, EARTH_RADIUS_KM * central, rtol=RTOL)


def test_a_published_worked_example() -> None:
    # Rosetta Code's "Haversine formula" task: Nashville BNA (36.12, -86.67) to Los Angeles LAX
    # (33.94, -118.40) is 2887.2599506071106 km on a sphere of radius 6372.8 km.
    d = great_circle_between([36.12], [-86.67], [33.94], [-118.40], radius_km=6372.8)
    np.testing.assert_allclose(d[0, 0], 2887.2599506071106, rtol=1e-12)


def test_station_distance_matrix_is_symmetric_with_zero_diagonal_and_the_stated_range() -> None:
    d = great_circle_km(LAT, LON)
    assert d.shape == (12, 12)
    np.testing.assert_array_equal(d, d.T)
    np.testing.assert_array_equal(np.diag(d), 0.0)
    upper = d[np.triu_indices(12, k=1)]
    assert np.all(upper > 0)
    names = STATIONS["station"].to_numpy()
    i, j = np.unravel_index(np.argmin(d + np.diag(np.full(12, np.inf))), d.shape)
    assert {names[i], names[j]} == {"Dongsi", "Nongzhanguan"}
    assert round(d[i, j], 1) == 3.9
    i, j = np.unravel_index(np.argmax(d), d.shape)
    assert {names[i], names[j]} == {"Gucheng", "Huairou"}
    assert 59.0 < d[i, j] < 60.5


def test_bad_coordinates_are_reported() -> None:
    with pytest.raises(TeachkitError, match=r"lat1 must hold finite degrees in \[-90, 90\]"):
        great_circle_between([91.0], [0.0], [0.0], [0.0])
    with pytest.raises(TeachkitError, match="lon must hold finite degrees"):
        great_circle_km([0.0], [np.nan])
    with pytest.raises(TeachkitError, match="same length"):
        great_circle_km([0.0, 1.0], [0.0])
    with pytest.raises(TeachkitError, match="radius_km must be a number > 0"):
        great_circle_km([0.0], [0.0], radius_km=0.0)


# ---------------------------------------------------------------------------------------------
# Kernels against PyMC
# ---------------------------------------------------------------------------------------------


def projected_stations_km() -> np.ndarray:
    """The stations on a local plane (equirectangular about their mean latitude), in km.

    Only the Euclidean distances of these points matter: they are what both teachkit (as a
    matrix) and PyMC (computing them itself from the coordinates) turn into a kernel.
    """
    lat0 = np.radians(LAT.mean())
    x = EARTH_RADIUS_KM * np.radians(LON - LON.mean()) * np.cos(lat0)
    y = EARTH_RADIUS_KM * np.radians(LAT - LAT.mean())
    return np.column_stack([x, y])


def euclidean(points: np.ndarray) -> np.ndarray:
    return np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=-1))


#: teachkit kernel -> (PyMC class name, PyMC length-scale for teachkit's ell), from the
#: definitions in pymc/gp/cov.py (PyMC 5.28):
#:   ExpQuad:     exp(-r^2 / (2 ls^2))                  -> ls = ell
#:   Matern32:    (1 + sqrt(3) r / ls) exp(-sqrt(3) r / ls) -> ls = ell
#:   Exponential: exp(-r / (2 ls))   (note the 2)       -> ls = ell / 2
PYMC_KERNELS = {
    "exp_quad": ("ExpQuad", lambda ell: ell),
    "matern32": ("Matern32", lambda ell: ell),
    "exponential": ("Exponential", lambda ell: ell / 2),
}


def pymc_kernel(family: str, points: np.ndarray, sigma: float, ell: float) -> np.ndarray:
    import pymc as pm

    name, to_ls = PYMC_KERNELS[family]
    cov = sigma**2 * getattr(pm.gp.cov, name)(points.shape[1], ls=to_ls(ell))
    return cov(points).eval()


@pytest.mark.parametrize("family", sorted(PYMC_KERNELS))
@pytest.mark.parametrize("ell", [5.0, ELL, 60.0])
def test_kernels_match_pymc_on_coordinates_with_the_same_distances(family, ell) -> None:
    points = projected_stations_km()
    d = euclidean(points)
    ours = KERNELS[family](d, SIGMA, ell)
    theirs = pymc_kernel(family, points, SIGMA, ell)
    off = ~np.eye(12, dtype=bool)
    np.testing.assert_allclose(ours[off], theirs[off], rtol=RTOL, atol=0)
    # PyMC takes r = sqrt(r^2 + 1e-12) in length-scale units, so r = 1e-6 on the diagonal: its
    # exponential kernel has exp(-0.5e-6) = 1 - 5e-7 there, the other two 1 - O(1e-12).
    np.testing.assert_allclose(np.diag(ours), SIGMA**2, rtol=0)
    np.testing.assert_allclose(np.diag(theirs), SIGMA**2, rtol=1e-6)


def test_distances_are_not_coordinates_the_pymc_pitfall() -> None:
    """Giving PyMC the distance matrix as inputs makes each station's row of distances a point.

    The result is a kernel of the distance between rows (how differently two stations see the
    others), not of the distance between the stations, so it is a different matrix. That is why
    teachkit builds kernels from a distance matrix, and PyMC needs coordinates.
    """
    import pymc as pm

    d = great_circle_km(LAT, LON)
    ours = exp_quad(d, 1.0, ELL)
    rows = pm.gp.cov.ExpQuad(12, ls=ELL)(d).eval()
    row_distances = euclidean(d)
    np.testing.assert_allclose(rows, exp_quad(row_distances, 1.0, ELL), rtol=1e-8)
    assert np.abs(rows - ours).max() > 0.2
    dongsi, nongzhanguan = 3, 7  # 3.9 km apart
    assert ours[dongsi, nongzhanguan] > 0.95 and rows[dongsi, nongzhanguan] < 0.9


def test_kernels_by_closed_form_values() -> None:
    e = np.e
    np.testing.assert_allclose(exp_quad([0.0, ELL], 2.0, ELL), [4.0, 4.0 * e**-0.5])
    np.testing.assert_allclose(exponential([0.0, ELL], 2.0, ELL), [4.0, 4.0 / e])
    s3 = np.sqrt(3.0)
    np.testing.assert_allclose(matern32([0.0, ELL], 2.0, ELL), [4.0, 4.0 * (1 + s3) * e**-s3])
    d = np.arange(24.0).reshape(2, 3, 4)  # any shape in, same shape out
    for kernel in KERNELS.values():
        assert kernel(d, 1.0, ELL).shape == d.shape
        assert np.all(np.diff(kernel(np.linspace(0, 100, 50), 1.0, ELL)) < 0)  # decreasing
    assert set(KERNELS) == {"exp_quad", "exponential", "matern32"}


def test_rethinking_parameterisation_is_the_same_kernel() -> None:
    d = great_circle_km(LAT, LON)
    eta, rho_sq = 0.7, 0.002  # the book's eta^2 exp(-rho^2 d^2)
    book = eta**2 * np.exp(-rho_sq * d**2)
    np.testing.assert_allclose(exp_quad(d, eta, ell_from_rho_sq(rho_sq)), book, rtol=1e-12)
    assert rho_sq_from_ell(ell_from_rho_sq(rho_sq)) == pytest.approx(rho_sq, rel=1e-14)


def test_kernel_and_correlation_matrices() -> None:
    d = great_circle_km(LAT, LON)
    for family, kernel in KERNELS.items():
        k = kernel_matrix(d, family, SIGMA, ELL, nugget=0.05)
        np.testing.assert_allclose(k, kernel(d, SIGMA, ELL) + 0.05 * np.eye(12), rtol=1e-14)
        r = correlation_matrix(d, family, ELL, nugget=0.05 / SIGMA**2)
        sd = np.sqrt(np.diag(k))
        np.testing.assert_allclose(r, k / np.outer(sd, sd), rtol=1e-12)
        np.testing.assert_array_equal(np.diag(r), 1.0)
        assert np.linalg.eigvalsh(r)[0] > 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: exp_quad([1.0], -1.0, 1.0), r"sigma must be a number >= 0, got -1.0"),
        (lambda: matern32([1.0], 1.0, 0.0), r"ell must be a number > 0, got 0.0"),
        (lambda: exponential([-1.0], 1.0, 1.0), r"d must hold distances: finite numbers >= 0"),
        (lambda: kernel_matrix(np.zeros((2, 2)), "gauss", 1.0, 1.0), "unknown kernel 'gauss'"),
        (lambda: kernel_matrix(np.zeros((2, 3)), "exp_quad", 1.0, 1.0), "square n x n"),
        (lambda: kernel_matrix([[0.0, 1.0], [2.0, 0.0]], "exp_quad", 1.0, 1.0), "symmetric"),
        (lambda: kernel_matrix(np.ones((2, 2)), "exp_quad", 1.0, 1.0), "zero diagonal"),
        (lambda: kernel_matrix(np.zeros((2, 2)), "exp_quad", 1.0, 1.0, -0.1), "nugget must be"),
        (lambda: correlation_matrix(np.zeros((2, 2)), "exp_quad", 1.0, np.nan), "nugget must"),
        (lambda: ell_from_rho_sq(0.0), "rho_sq must be a number > 0"),
    ],
)
def test_bad_kernel_arguments_are_one_line_errors(call, message) -> None:
    with pytest.raises(TeachkitError, match=message) as err:
        call()
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------------------------------------
# The GP conditional
# ---------------------------------------------------------------------------------------------


def conditional_from_joint(joint: np.ndarray, n: int, y: np.ndarray, mean: float):
    """The conditional normal of the last block given the first, by solve and inv (no Cholesky).

    For (a, b) ~ N(m, [[A, C], [C^T, B]]): b | a ~ N(m + C^T A^{-1} (a - m), B - C^T A^{-1} C).
    """
    a, c, b = joint[:n, :n], joint[:n, n:], joint[n:, n:]
    mu = mean + c.T @ np.linalg.solve(a, y - mean)
    return mu, b - c.T @ np.linalg.inv(a) @ c


def split(family: str, train: np.ndarray, test: np.ndarray, sigma: float, ell: float):
    """k_train, k_cross, k_test and the joint matrix for stations split into train and test."""
    d = great_circle_km(LAT, LON)
    order = np.concatenate([train, test])
    joint = kernel_matrix(d[np.ix_(order, order)], family, sigma, ell)
    n = len(train)
    return joint[:n, :n], joint[:n, n:], joint[n:, n:], joint


@pytest.mark.parametrize("family", sorted(KERNELS))
def test_conditional_matches_the_conditional_normal_of_the_joint(family) -> None:
    rng = np.random.default_rng(3)
    train, test = np.array([0, 2, 4, 5, 7, 9, 10, 11]), np.array([1, 3, 6, 8])
    kt, kc, ks, joint = split(family, train, test, SIGMA, ELL)
    y = rng.normal(0.3, SIGMA, size=len(train))
    noise = 0.04
    mu, cov = gp_conditional(kt, kc, ks, y, mean=0.3, noise=noise)
    joint_noisy = joint + np.diag(np.r_[np.full(len(train), noise), np.zeros(len(test))])
    mu_ref, cov_ref = conditional_from_joint(joint_noisy, len(train), y, 0.3)
    np.testing.assert_allclose(mu, mu_ref, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(cov, cov_ref, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(cov, cov.T)
    assert np.all(np.diag(cov) <= np.diag(ks))  # observing never adds uncertainty


@given(
    seed=st.integers(0, 2**32 - 1),
    family=st.sampled_from(sorted(KERNELS)),
    ell=st.floats(2.0, 80.0),
    noise=st.floats(1e-3, 1.0),
    mean=st.floats(-2.0, 2.0),
    n_train=st.integers(1, 11),
)
@settings(derandomize=True, max_examples=60, deadline=None)
def test_conditional_property(seed, family, ell, noise, mean, n_train) -> None:
    rng = np.random.default_rng(seed)
    perm = rng.permutation(12)
    train, test = perm[:n_train], perm[n_train:]
    kt, kc, ks, joint = split(family, train, test, 1.0, ell)
    y = mean + rng.normal(size=n_train)
    mu, cov = gp_conditional(kt, kc, ks, y, mean=mean, noise=noise)
    joint_noisy = joint + np.diag(np.r_[np.full(n_train, noise), np.zeros(12 - n_train)])
    mu_ref, cov_ref = conditional_from_joint(joint_noisy, n_train, y, mean)
    # condition number of K + noise I is at most (12 + noise) / noise <= 1.2e4: 1e-8 is ample
    np.testing.assert_allclose(mu, mu_ref, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(cov, cov_ref, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("family", ["exponential", "matern32"])
def test_without_noise_the_conditional_interpolates_the_observations(family) -> None:
    d = great_circle_km(LAT, LON)
    k = kernel_matrix(d, family, SIGMA, ELL)
    y = np.random.default_rng(5).normal(size=12)
    mu, cov = gp_conditional(k, k, k, y, mean=0.1)
    np.testing.assert_allclose(mu, y, atol=1e-10)
    np.testing.assert_allclose(cov, 0.0, atol=1e-10)
    # far from every station the process forgets the data: prior mean and variance
    far = great_circle_between(LAT, LON, [0.0], [0.0])
    mu_far, cov_far = gp_conditional(k, KERNELS[family](far, SIGMA, ELL), [[SIGMA**2]], y, 0.1)
    np.testing.assert_allclose(mu_far, [0.1])
    np.testing.assert_allclose(cov_far, [[SIGMA**2]])


def test_conditional_reports_bad_input() -> None:
    k = np.eye(3)
    with pytest.raises(TeachkitError, match=r"k_cross must have shape \(n, m\) = \(3, 2\)"):
        gp_conditional(k, np.zeros((2, 3)), np.eye(2), np.zeros(3))
    with pytest.raises(TeachkitError, match=r"y must have shape \(3,\)"):
        gp_conditional(k, np.zeros((3, 2)), np.eye(2), np.zeros(4))
    with pytest.raises(TeachkitError, match="noise must be a number >= 0"):
        gp_conditional(k, np.zeros((3, 2)), np.eye(2), np.zeros(3), noise=-1.0)
    with pytest.raises(TeachkitError, match="k_test must be symmetric"):
        gp_conditional(k, np.zeros((3, 2)), [[1.0, 0.5], [0.0, 1.0]], np.zeros(3))
    twin = np.ones((2, 2))  # two observations at the same place, no noise: singular
    with pytest.raises(TeachkitError, match="not positive definite; use noise > 0"):
        gp_conditional(twin, np.ones((2, 1)), [[1.0]], [0.0, 1.0])
    mu, _ = gp_conditional(twin, np.ones((2, 1)), [[1.0]], [0.0, 1.0], noise=0.1)
    np.testing.assert_allclose(mu, [0.5 * 2 / 2.1])  # noise makes it the shrunken average


@pytest.mark.parametrize("family", sorted(KERNELS))
def test_conditional_variances_are_the_joint_normals_diagonal(family) -> None:
    """gp_conditional_var against the conditional normal of the joint (solve and inv)."""
    rng = np.random.default_rng(5)
    train, test = np.array([0, 2, 4, 5, 7, 9, 10, 11]), np.array([1, 3, 6, 8])
    kt, kc, ks, joint = split(family, train, test, SIGMA, ELL)
    y = rng.normal(0.3, SIGMA, size=len(train))
    noise = 0.02
    mu, var = gp_conditional_var(kt, kc, np.diag(ks), y, mean=0.3, noise=noise)
    joint_noisy = joint + np.diag(np.r_[np.full(len(train), noise), np.zeros(len(test))])
    mu_ref, cov_ref = conditional_from_joint(joint_noisy, len(train), y, 0.3)
    np.testing.assert_allclose(mu, mu_ref, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(var, np.diag(cov_ref), rtol=1e-9, atol=1e-12)


def test_conditional_variances_report_bad_input() -> None:
    k = np.eye(3)
    with pytest.raises(TeachkitError, match="k_test_diag must be a vector"):
        gp_conditional_var(k, np.zeros((3, 2)), np.eye(2), np.zeros(3))
    with pytest.raises(TeachkitError, match=r"k_cross must have shape \(n, m\) = \(3, 2\)"):
        gp_conditional_var(k, np.zeros((2, 3)), [1.0, 1.0], np.zeros(3))
    with pytest.raises(TeachkitError, match=r"y must have shape \(3,\)"):
        gp_conditional_var(k, np.zeros((3, 2)), [1.0, 1.0], np.zeros(4))
    with pytest.raises(TeachkitError, match="not positive definite"):
        gp_conditional_var(np.ones((2, 2)), np.ones((2, 1)), [1.0], [0.0, 1.0])


# ---------------------------------------------------------------------------------------------
# Draws
# ---------------------------------------------------------------------------------------------

N_DRAWS = 40_000
#: Allowed deviation in standard errors. 78 distinct entries of a 12 x 12 covariance are
#: checked; by the union bound a correct sampler fails with p <= 78 * P(|Z| > 5) = 4.5e-5.
Z_TOL = 5.0


def test_sample_covariance_of_draws_matches_k_within_monte_carlo_error() -> None:
    d = great_circle_km(LAT, LON)
    k = kernel_matrix(d, "matern32", SIGMA, ELL, nugget=0.01)
    x = draw_gp(k, rng=20240601, size=N_DRAWS)
    assert x.shape == (N_DRAWS, 12)
    # The mean is known (0), so S = X^T X / N is unbiased for K. Each term x_i x_j has
    # variance E[x_i^2 x_j^2] - K_ij^2 = (K_ii K_jj + 2 K_ij^2) - K_ij^2 = K_ii K_jj + K_ij^2
    # (Isserlis' theorem), so S_ij has standard error sqrt((K_ii K_jj + K_ij^2) / N).
    s = x.T @ x / N_DRAWS
    se = np.sqrt((np.outer(np.diag(k), np.diag(k)) + k**2) / N_DRAWS)
    assert np.all(np.abs(s - k) < Z_TOL * se), np.abs((s - k) / se).max()
    assert np.all(np.abs(x.mean(axis=0)) < Z_TOL * np.sqrt(np.diag(k) / N_DRAWS))


def test_draws_are_reproducible_and_shaped() -> None:
    k = kernel_matrix(great_circle_km(LAT, LON), "exponential", SIGMA, ELL)
    a = draw_gp(k, rng=7, size=(2, 3))
    assert a.shape == (2, 3, 12)
    np.testing.assert_array_equal(a, draw_gp(k, rng=np.random.default_rng(7), size=(2, 3)))
    assert draw_gp(k, rng=7).shape == (12,)
    assert not np.array_equal(a, draw_gp(k, rng=8, size=(2, 3)))


def test_jitter_lets_smooth_kernels_on_close_points_be_drawn() -> None:
    x = np.linspace(0.0, 10.0, 300)
    k = kernel_matrix(np.abs(x[:, None] - x[None, :]), "exp_quad", 1.0, 5.0)
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(k)  # singular to rounding: an exact factorisation fails
    f = draw_gp(k, rng=0, size=3)
    assert f.shape == (3, 300) and np.all(np.isfinite(f))
    assert np.abs(np.diff(f, axis=1)).max() < 0.1  # smooth: neighbours 0.03 apart barely differ


def test_draw_reports_a_matrix_that_is_not_a_covariance() -> None:
    with pytest.raises(TeachkitError, match="k is not positive semi-definite"):
        draw_gp([[1.0, 2.0], [2.0, 1.0]], rng=0)
    with pytest.raises(TeachkitError, match="k must be a square"):
        draw_gp(np.ones(3), rng=0)
    with pytest.raises(TeachkitError, match="rng must be"):
        draw_gp(np.eye(2), rng=-1)
