"""Tests for teachkit.group_predictive against the dense multivariate normal (scipy)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.special import logsumexp

from teachkit.errors import TeachkitError
from teachkit.group_predictive import group_log_density, group_log_predictive

#: Agreement with scipy's dense log density (both are exact; rounding only).
RTOL = 1e-9


def dense(x, y, m, v, sigma) -> float:
    """scipy's log density with the n x n covariance written out."""
    cov = sigma**2 * np.eye(len(y)) + x @ v @ x.T
    return float(stats.multivariate_normal(x @ m, cov).logpdf(y))


def design(rng, n: int) -> np.ndarray:
    return np.column_stack([np.ones(n), rng.normal(15, 10, n)])


@pytest.mark.parametrize(
    "v",
    [
        np.zeros((2, 2)),  # pooled: the coefficients are known
        np.diag([0.04, 0.0]),  # varying intercepts: singular
        np.diag([0.04, 1e-4]),  # varying slopes
        np.array([[0.04, -0.0018], [-0.0018, 1e-4]]),  # covarying, rho = -0.9
    ],
)
def test_matches_the_dense_density_for_every_lecture_model(v: np.ndarray) -> None:
    rng = np.random.default_rng(1)
    x = design(rng, 30)
    y = x @ np.array([3.0, 0.05]) + rng.normal(0, 0.4, 30)
    m = np.array([2.9, 0.052])
    got = group_log_density(x, y, m[None], v[None], np.array([0.4]))[0]
    assert got == pytest.approx(dense(x, y, m, v, 0.4), rel=RTOL)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 12),
    seed=st.integers(0, 2**16),
    sigma=st.floats(0.05, 3.0),
    scale=st.floats(0.0, 2.0),
)
def test_any_draws_match_the_dense_density(n: int, seed: int, sigma: float, scale: float) -> None:
    rng = np.random.default_rng(seed)
    x = design(rng, n)
    y = rng.normal(0, 2, n)
    draws = 3
    m = rng.normal(size=(draws, 2))
    a = rng.normal(size=(draws, 2, 2)) * scale
    v = a @ np.swapaxes(a, 1, 2)
    s = np.full(draws, sigma)
    got = group_log_density(x, y, m, v, s)
    want = [dense(x, y, m[i], v[i], sigma) for i in range(draws)]
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9)


def test_the_predictive_averages_densities_not_log_densities() -> None:
    rng = np.random.default_rng(2)
    x, y = design(rng, 5), rng.normal(size=5)
    m = rng.normal(size=(4, 2))
    v = np.repeat(np.diag([0.5, 0.0])[None], 4, axis=0)
    s = np.array([0.5, 1.0, 1.5, 2.0])
    each = group_log_density(x, y, m, v, s)
    assert group_log_predictive(x, y, m, v, s) == pytest.approx(logsumexp(each) - np.log(4))
    assert group_log_predictive(x, y, m, v, s) > each.mean()  # Jensen


def test_shapes_are_checked() -> None:
    with pytest.raises(TeachkitError, match="needs x \\(n, p\\)"):
        group_log_density(np.ones((3, 2)), np.ones(3), np.ones((2, 3)), np.ones((2, 2, 2)), [1, 1])
