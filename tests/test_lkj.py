"""Tests for teachkit.lkj against closed forms, scipy quadrature and PyMC's LKJCorr."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import integrate, special, stats

from teachkit.lkj import (
    lkj_log_normalizer,
    lkj_logpdf,
    lkj_marginal,
    lkj_marginal_pdf,
    sample_lkj,
    sample_lkj_cholesky,
)

DIMS = (2, 3, 5)
ETAS = (0.5, 1.0, 2.0, 5.0)
KS_DRAWS = 4000
#: Family-wise level of the KS tests of one (dim, eta): Bonferroni over its off-diagonal entries.
KS_ALPHA = 1e-3


@pytest.mark.parametrize(("dim", "eta"), list(itertools.product(DIMS, ETAS)))
def test_off_diagonal_marginals_pass_ks_against_exact_marginal(dim: int, eta: float) -> None:
    """Every off-diagonal entry (each built differently by the onion method) has the marginal."""
    corr = sample_lkj(dim, eta, size=KS_DRAWS, rng=1000 * dim + int(10 * eta))
    pairs = list(zip(*np.triu_indices(dim, k=1), strict=True))
    cdf = lkj_marginal(eta, dim).cdf
    for i, j in pairs:
        result = stats.kstest(corr[:, i, j], cdf)
        assert result.pvalue > KS_ALPHA / len(pairs), (i, j, result)


@pytest.mark.parametrize(("dim", "eta"), [(2, 0.5), (3, 2.0), (5, 1.0)])
def test_samples_are_valid_correlation_matrices(dim: int, eta: float) -> None:
    chol = sample_lkj_cholesky(dim, eta, size=500, rng=0)
    assert chol.shape == (500, dim, dim)
    np.testing.assert_array_equal(np.triu(chol, k=1), 0.0)
    assert np.all(np.diagonal(chol, axis1=1, axis2=2) > 0)
    np.testing.assert_allclose(np.linalg.norm(chol, axis=2), 1.0, rtol=1e-12)
    corr = sample_lkj(dim, eta, size=500, rng=0)
    np.testing.assert_allclose(corr, chol @ np.swapaxes(chol, 1, 2), atol=1e-15)
    np.testing.assert_array_equal(np.diagonal(corr, axis1=1, axis2=2), 1.0)
    assert np.all(np.linalg.eigvalsh(corr)[:, 0] > -1e-12)


def test_sampling_is_reproducible_and_seed_dependent() -> None:
    a = sample_lkj(4, 2.0, size=10, rng=5)
    assert a.tobytes() == sample_lkj(4, 2.0, size=10, rng=5).tobytes()
    assert not np.array_equal(a, sample_lkj(4, 2.0, size=10, rng=6))
    assert sample_lkj(3, 1.0, rng=0).shape == (3, 3)
    assert sample_lkj(3, 1.0, size=(2, 4), rng=0).shape == (2, 4, 3, 3)


@pytest.mark.parametrize("eta", [0.8, 1.0, 2.0, 5.0])
def test_logpdf_integrates_to_one_in_two_dimensions(eta: float) -> None:
    def pdf(r: float) -> float:
        return float(np.exp(lkj_logpdf(np.array([[1.0, r], [r, 1.0]]), eta)))

    total, err = integrate.quad(pdf, -1.0, 1.0, limit=200)
    assert total == pytest.approx(1.0, abs=max(10 * err, 1e-8))


@pytest.mark.parametrize("eta", [1.0, 2.0, 5.0])
def test_logpdf_integrates_to_one_in_three_dimensions(eta: float) -> None:
    """Gauss-Legendre over (r01, r02) in [-1, 1]^2 and r12 over its feasible interval.

    For fixed r01 = a, r02 = b the determinant is (high - c)(c - low) in c = r12, so for integer
    eta the inner integrand is a polynomial of degree 2 (eta - 1) and the inner rule is exact;
    the outer integrand behaves like (1 - a^2)^(eta - 1/2) at the ends, for which 200 nodes
    give an error far below the tolerance.
    """
    x, w = np.polynomial.legendre.leggauss(200)
    t, v = np.polynomial.legendre.leggauss(12)
    a, b = np.meshgrid(x, x, indexing="ij")
    centre, half = a * b, np.sqrt((1 - a**2) * (1 - b**2))
    c = centre[..., None] + half[..., None] * t
    corr = np.empty((*c.shape, 3, 3))
    corr[..., 0, 0] = corr[..., 1, 1] = corr[..., 2, 2] = 1.0
    corr[..., 0, 1] = corr[..., 1, 0] = a[..., None]
    corr[..., 0, 2] = corr[..., 2, 0] = b[..., None]
    corr[..., 1, 2] = corr[..., 2, 1] = c
    dens = np.exp(lkj_logpdf(corr, eta))
    total = np.einsum("i,j,k,ijk,ij->", w, w, v, dens, half)
    assert total == pytest.approx(1.0, abs=1e-5)


def test_normalizer_closed_forms() -> None:
    # dim 2: integral of (1 - r^2)^(eta - 1) over [-1, 1] is B(1/2, eta)
    for eta in ETAS:
        assert np.exp(lkj_log_normalizer(2, eta)) == pytest.approx(special.beta(0.5, eta))
    # the volume of the 3x3 correlation matrices (the elliptope) is pi^2 / 2
    assert np.exp(lkj_log_normalizer(3, 1.0)) == pytest.approx(np.pi**2 / 2)


def test_logpdf_agrees_with_pymc_lkjcorr() -> None:
    """PyMC's LKJCorr (upper-triangle vector in np.triu_indices order) at random matrices.

    The determinant terms must agree exactly. PyMC 5.28 adds its log normalising constant
    instead of subtracting it (the sign error Stan fixed in stan-dev/math#628), so its density
    does not integrate to 1; the constant is accepted with either sign, and pinned to ours.
    """
    import pymc as pm

    for dim, eta in itertools.product(DIMS, ETAS):
        corr = sample_lkj(dim, eta, size=6, rng=dim)
        iu = np.triu_indices(dim, k=1)
        dist = pm.LKJCorr.dist(n=dim, eta=eta)
        theirs = np.array([pm.logp(dist, r[iu]).eval() for r in corr])
        ours = lkj_logpdf(corr, eta)
        kernel_ours, kernel_theirs = ours - ours[0], theirs - theirs[0]
        np.testing.assert_allclose(kernel_theirs, kernel_ours, atol=1e-6)
        log_norm = lkj_log_normalizer(dim, eta)
        offset = theirs[0] - ours[0]
        assert offset == pytest.approx(0.0, abs=1e-5) or offset == pytest.approx(
            2 * log_norm, abs=1e-5
        ), (dim, eta, offset, log_norm)


def test_logpdf_outside_support_is_minus_infinity() -> None:
    bad = [
        [[1.0, 1.5], [1.5, 1.0]],  # entry outside [-1, 1]
        [[1.0, 0.2], [0.3, 1.0]],  # not symmetric
        [[2.0, 0.0], [0.0, 1.0]],  # diagonal not 1
        [[1.0, np.nan], [np.nan, 1.0]],
    ]
    assert np.all(lkj_logpdf(np.array(bad), 2.0) == -np.inf)
    lecture = np.array([[1.0, 0.9, 0.8], [0.9, 1.0, -0.9], [0.8, -0.9, 1.0]])
    assert lkj_logpdf(lecture, 2.0) == -np.inf


def test_logpdf_batches() -> None:
    corr = sample_lkj(3, 2.0, size=(2, 5), rng=0)
    out = lkj_logpdf(corr, 2.0)
    assert out.shape == (2, 5)
    assert out[1, 3] == pytest.approx(lkj_logpdf(corr[1, 3], 2.0))
    assert isinstance(lkj_logpdf(np.eye(3), 2.0), float)


@pytest.mark.parametrize("eta", ETAS)
def test_marginal_in_two_dimensions_is_the_closed_form(eta: float) -> None:
    r = np.linspace(-0.95, 0.95, 11)
    expected = (1 - r**2) ** (eta - 1) / special.beta(0.5, eta)
    np.testing.assert_allclose(lkj_marginal_pdf(r, eta, 2), expected, rtol=1e-10)


@pytest.mark.parametrize(("dim", "eta"), list(itertools.product(DIMS, ETAS)))
def test_marginal_moments(dim: int, eta: float) -> None:
    b = eta - 1 + dim / 2
    marginal = lkj_marginal(eta, dim)
    assert marginal.mean() == pytest.approx(0.0, abs=1e-12)
    assert marginal.std() == pytest.approx(1 / np.sqrt(2 * b + 1))
    assert integrate.quad(lambda r: lkj_marginal_pdf(r, eta, dim), -1, 1)[0] == pytest.approx(1)


@pytest.mark.parametrize("dim", [1, 0, -3, 2.5, True, "3", float("nan"), float("inf")])
def test_bad_dim_is_rejected(dim: object) -> None:
    with pytest.raises(ValueError, match="dim must be an integer >= 2"):
        sample_lkj(dim, 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="dim must be an integer >= 2"):
        lkj_marginal_pdf(0.0, 1.0, dim)  # type: ignore[arg-type]


@pytest.mark.parametrize("eta", [0.0, -1.0, float("nan"), float("inf"), "2"])
def test_bad_eta_is_rejected(eta: object) -> None:
    with pytest.raises(ValueError, match="eta must be a finite number > 0"):
        sample_lkj(2, eta)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="eta must be a finite number > 0"):
        lkj_logpdf(np.eye(2), eta)  # type: ignore[arg-type]


def test_integer_valued_float_dim_is_accepted() -> None:
    assert sample_lkj(3.0, 1.0, rng=0).shape == (3, 3)  # type: ignore[arg-type]


def test_bad_size_and_rng_are_rejected() -> None:
    with pytest.raises(ValueError, match="size must be"):
        sample_lkj(2, 1.0, size=-1)
    with pytest.raises(ValueError, match="rng must be"):
        sample_lkj(2, 1.0, rng=1.5)  # type: ignore[arg-type]


def test_logpdf_accepts_products_of_cholesky_factors() -> None:
    """Issue 13: L @ L.T has a diagonal of 1 up to rounding (1 + 4e-16) and is in the support."""
    dim, eta = 4, 2.0
    chol = sample_lkj_cholesky(dim, eta, 2000, rng=13)
    corr = chol @ np.swapaxes(chol, -1, -2)
    diag = np.diagonal(corr, axis1=-2, axis2=-1)
    assert np.any(diag > 1.0)  # the input really has the rounding the fix is about
    # closed form: det(L L^T) = prod(L_ii)^2
    logdet = 2.0 * np.log(np.diagonal(chol, axis1=-2, axis2=-1)).sum(axis=-1)
    expected = (eta - 1.0) * logdet - lkj_log_normalizer(dim, eta)
    np.testing.assert_allclose(lkj_logpdf(corr, eta), expected, rtol=1e-10)


def test_logpdf_treats_diagonal_and_off_diagonal_with_the_same_tolerance() -> None:
    r = 0.3
    corr = np.array([[1.0, r], [r, 1.0]])
    expected = (2.0 - 1.0) * np.log(1 - r**2) - lkj_log_normalizer(2, 2.0)
    nudged = corr + np.array([[4e-16, 5e-9], [5e-9, -4e-16]])
    assert lkj_logpdf(nudged, 2.0) == pytest.approx(expected, rel=1e-6)
    # beyond the tolerance it is outside the support, on or off the diagonal
    assert lkj_logpdf(corr + np.diag([1e-6, 0.0]), 2.0) == -np.inf
    assert lkj_logpdf(np.array([[1.0, 1.0 + 1e-6], [1.0 + 1e-6, 1.0]]), 2.0) == -np.inf
