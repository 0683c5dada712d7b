"""Tests for teachkit.mvn: sampling through the Cholesky factor, densities and ellipses."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from teachkit.covariance import build_covariance
from teachkit.lkj import sample_lkj
from teachkit.mvn import (
    cholesky_factor,
    ellipse,
    ellipse_radius,
    mvn_logpdf,
    sample_mvn,
    validate_covariance,
)

N_DRAWS = 40_000
#: Allowed deviation in standard errors; with ~10 checked quantities per test, the chance that
#: a correct sampler fails is below 1e-3.
Z_TOL = 4.0
MEAN = np.array([1.0, -2.0, 0.5])
SIGMA = build_covariance([2.0, 1.0, 0.5], sample_lkj(3, 1.0, rng=11))


def test_sample_covariance_matches_sigma_within_monte_carlo_error() -> None:
    x = sample_mvn(MEAN, SIGMA, size=N_DRAWS, rng=1)
    assert x.shape == (N_DRAWS, 3)
    # var of a sample covariance entry for a normal: (S_ij^2 + S_ii S_jj) / n
    se_cov = np.sqrt((SIGMA**2 + np.outer(np.diag(SIGMA), np.diag(SIGMA))) / N_DRAWS)
    assert np.all(np.abs(np.cov(x.T) - SIGMA) < Z_TOL * se_cov)
    se_mean = np.sqrt(np.diag(SIGMA) / N_DRAWS)
    assert np.all(np.abs(x.mean(axis=0) - MEAN) < Z_TOL * se_mean)


def test_chol_and_cov_give_the_same_draws() -> None:
    chol = np.linalg.cholesky(SIGMA)
    a = sample_mvn(MEAN, SIGMA, size=5, rng=3)
    b = sample_mvn(MEAN, chol=chol, size=5, rng=3)
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_draws_are_mu_plus_l_z() -> None:
    z = np.random.default_rng(4).standard_normal((7, 3))
    x = sample_mvn(MEAN, SIGMA, size=7, rng=4)
    np.testing.assert_allclose(x, MEAN + z @ np.linalg.cholesky(SIGMA).T, rtol=1e-12)


def test_reproducible_and_shaped() -> None:
    assert sample_mvn(MEAN, SIGMA, size=4, rng=9).tobytes() == (
        sample_mvn(MEAN, SIGMA, size=4, rng=9).tobytes()
    )
    assert sample_mvn(MEAN, SIGMA, rng=0).shape == (3,)
    assert sample_mvn(MEAN, SIGMA, size=(2, 5), rng=0).shape == (2, 5, 3)


def test_zero_variance_gives_a_constant_coordinate() -> None:
    cov = build_covariance([1.5, 0.0], [[1.0, -0.7], [-0.7, 1.0]])
    n = 1000
    x = sample_mvn([3.0, -1.0], cov, size=n, rng=0)
    np.testing.assert_allclose(x[:, 1], -1.0, atol=1e-12)
    # the sd of a normal sample has standard error about sd / sqrt(2 n)
    assert abs(x[:, 0].std() - 1.5) < Z_TOL * 1.5 / np.sqrt(2 * n)


def test_perfect_correlation_gives_a_line() -> None:
    cov = build_covariance([2.0, 1.0], [[1.0, -1.0], [-1.0, 1.0]])
    x = sample_mvn([0.0, 0.0], cov, size=500, rng=0)
    np.testing.assert_allclose(x[:, 1], -x[:, 0] / 2, atol=1e-10)
    factor = cholesky_factor(cov)
    np.testing.assert_allclose(factor @ factor.T, cov, atol=1e-12)


def test_cholesky_factor_is_lower_triangular_for_positive_definite() -> None:
    factor = cholesky_factor(SIGMA)
    np.testing.assert_array_equal(np.triu(factor, 1), 0.0)
    np.testing.assert_allclose(factor @ factor.T, SIGMA, rtol=1e-12)


@pytest.mark.parametrize(
    ("cov", "match"),
    [
        ([[1.0, 2.0], [2.0, 1.0]], "not positive semi-definite"),
        ([[1.0, 0.5], [0.4, 1.0]], "not symmetric"),
        ([[-1.0, 0.0], [0.0, 1.0]], "negative variance"),
        ([[1.0, np.inf], [np.inf, 1.0]], "NaN or infinite"),
        ([[1.0, 0.0, 0.0]], "must be square"),
        (np.eye(3), "mean has 2 entries"),
    ],
)
def test_invalid_covariance_raises_clear_error(cov, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        sample_mvn([0.0, 0.0], cov)


def test_cov_or_chol_exactly_one() -> None:
    with pytest.raises(ValueError, match="exactly one of cov"):
        sample_mvn([0.0], None)
    with pytest.raises(ValueError, match="exactly one of cov"):
        sample_mvn([0.0], [[1.0]], chol=[[1.0]])
    with pytest.raises(ValueError, match="chol must be a finite 2x2"):
        sample_mvn([0.0, 0.0], chol=np.eye(3))
    with pytest.raises(ValueError, match="mean must be"):
        sample_mvn([[0.0]], np.eye(1))


def test_logpdf_matches_closed_form() -> None:
    x = sample_mvn(MEAN, SIGMA, size=20, rng=2)
    diff = x - MEAN
    maha = np.einsum("ni,ij,nj->n", diff, np.linalg.inv(SIGMA), diff)
    expected = -0.5 * (maha + 3 * np.log(2 * np.pi) + np.log(np.linalg.det(SIGMA)))
    np.testing.assert_allclose(mvn_logpdf(x, MEAN, SIGMA), expected, rtol=1e-10)
    assert isinstance(mvn_logpdf(MEAN, MEAN, SIGMA), float)
    with pytest.raises(ValueError, match="not positive semi-definite"):
        mvn_logpdf([0.0, 0.0], [0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]])


@pytest.mark.parametrize("mass", [0.5, 0.89, 0.94])
def test_ellipse_radius_is_the_chi_square_quantile(mass: float) -> None:
    assert ellipse_radius(mass) == pytest.approx(np.sqrt(-2 * np.log(1 - mass)))
    assert ellipse_radius(mass, dim=3) == pytest.approx(np.sqrt(stats.chi2.ppf(mass, 3)))


def test_ellipse_lies_on_the_mahalanobis_contour() -> None:
    mean = np.array([1.0, 2.0])
    cov = build_covariance([2.0, 0.5], [[1.0, -0.8], [-0.8, 1.0]])
    pts = ellipse(mean, cov, mass=0.94, n_points=50)
    assert pts.shape == (50, 2)
    np.testing.assert_allclose(pts[0], pts[-1], atol=1e-12)
    diff = pts - mean
    maha = np.einsum("ni,ij,nj->n", diff, np.linalg.inv(cov), diff)
    np.testing.assert_allclose(maha, stats.chi2.ppf(0.94, 2), rtol=1e-10)


@pytest.mark.parametrize("mass", [0.5, 0.94])
def test_ellipse_holds_its_mass_of_draws(mass: float) -> None:
    """Share of draws inside the polygon, within binomial error of ``mass``."""
    from matplotlib.path import Path

    mean = np.array([0.0, 0.0])
    cov = build_covariance([2.0, 1.0], [[1.0, -0.8], [-0.8, 1.0]])
    x = sample_mvn(mean, cov, size=N_DRAWS, rng=5)
    inside = Path(ellipse(mean, cov, mass=mass, n_points=2000)).contains_points(x).mean()
    assert abs(inside - mass) < Z_TOL * np.sqrt(mass * (1 - mass) / N_DRAWS)


def test_ellipse_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        ellipse([0.0, 0.0], np.eye(2), mass=1.0)
    with pytest.raises(ValueError, match="needs a 2-D normal"):
        ellipse([0.0, 0.0, 0.0], np.eye(3))
    with pytest.raises(ValueError, match="n_points"):
        ellipse([0.0, 0.0], np.eye(2), n_points=2)


def test_validate_covariance_accepts_singular() -> None:
    validate_covariance([[1.0, 1.0], [1.0, 1.0]])
    validate_covariance(np.zeros((2, 2)))


def test_logpdf_of_a_singular_covariance_is_the_density_on_its_support() -> None:
    """Issue 13: validate_covariance accepts singular matrices, so mvn_logpdf must too.

    With sds (2, 1) and correlation -1, x2 = -x1 / 2: the distribution lives on the line through
    (2, -1). Along that line the coordinate s = x . (2, -1) / sqrt(5) is N(0, 5), so the density
    with respect to length on the line is the N(0, 5) density of s; off the line it is 0.
    """
    cov = build_covariance([2.0, 1.0], [[1.0, -1.0], [-1.0, 1.0]])
    validate_covariance(cov)
    s = np.sqrt(5.0)
    expected = stats.norm(0.0, np.sqrt(5.0)).logpdf(s)
    assert mvn_logpdf([2.0, -1.0], [0.0, 0.0], cov) == pytest.approx(expected, rel=1e-10)
    assert mvn_logpdf([1.0, 1.0], [0.0, 0.0], cov) == -np.inf
    draws = sample_mvn([0.0, 0.0], cov, size=5, rng=0)
    assert np.all(np.isfinite(mvn_logpdf(draws, [0.0, 0.0], cov)))


def test_logpdf_of_an_almost_singular_covariance_that_validate_accepts() -> None:
    """Smallest eigenvalue -5e-10: inside validate's rounding tolerance (1e-10 * 10 entries)."""
    delta = 5e-10
    cov = np.eye(10)
    cov[0, 1] = cov[1, 0] = 1.0 + delta
    assert np.linalg.eigvalsh(cov)[0] == pytest.approx(-delta)
    validate_covariance(cov)
    x = np.array([0.7, 0.7, *np.linspace(-1, 1, 8)])
    # x1 = x2 = t on the support: t sqrt(2) ~ N(0, 2 + delta), the other 8 are N(0, 1)
    expected = (
        stats.norm(0, np.sqrt(2 + delta)).logpdf(0.7 * np.sqrt(2)) + stats.norm.logpdf(x[2:]).sum()
    )
    assert mvn_logpdf(x, np.zeros(10), cov) == pytest.approx(expected, rel=1e-8)


def test_logpdf_of_a_zero_covariance_is_a_point_mass() -> None:
    cov = np.zeros((2, 2))
    validate_covariance(cov)
    assert mvn_logpdf([1.0, -1.0], [1.0, -1.0], cov) == 0.0
    np.testing.assert_array_equal(
        mvn_logpdf([[1.0, -1.0], [1.0, -0.9]], [1.0, -1.0], cov), [0.0, -np.inf]
    )
