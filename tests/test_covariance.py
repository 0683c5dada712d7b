"""Tests for teachkit.covariance: building, splitting, validating and repairing matrices."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from teachkit.covariance import (
    InvalidCorrelationError,
    NoFeasibleValueError,
    build_covariance,
    feasible_interval,
    feasible_rho_interval,
    is_correlation,
    nearest_correlation,
    split_covariance,
    validate_correlation,
)
from teachkit.errors import TeachkitError
from teachkit.lkj import sample_lkj

LECTURE = np.array([[1.0, 0.9, 0.8], [0.9, 1.0, -0.9], [0.8, -0.9, 1.0]])

# Higham (2002), sec. 4: the tridiagonal matrix and its nearest correlation matrix to 4 decimals
# (also the example of NAG's g02aa).
HIGHAM_A = np.array(
    [[2.0, -1.0, 0.0, 0.0], [-1.0, 2.0, -1.0, 0.0], [0.0, -1.0, 2.0, -1.0], [0.0, 0.0, -1.0, 2.0]]
)
HIGHAM_X = np.array(
    [
        [1.0000, -0.8084, 0.1916, 0.1068],
        [-0.8084, 1.0000, -0.6562, 0.1916],
        [0.1916, -0.6562, 1.0000, -0.8084],
        [0.1068, 0.1916, -0.8084, 1.0000],
    ]
)

correlations = st.builds(
    lambda dim, eta, seed: sample_lkj(dim, eta, rng=seed),
    st.integers(2, 6),
    st.floats(0.5, 5.0),
    st.integers(0, 2**32 - 1),
)


@settings(max_examples=60, deadline=None)
@given(corr=correlations, data=st.data())
def test_build_then_split_round_trips(corr: np.ndarray, data: st.DataObject) -> None:
    k = corr.shape[0]
    sds = np.array(data.draw(st.lists(st.floats(1e-3, 1e3), min_size=k, max_size=k)))
    cov = build_covariance(sds, corr)
    sds2, corr2 = split_covariance(cov)
    np.testing.assert_allclose(sds2, sds, rtol=1e-12)
    np.testing.assert_allclose(corr2, corr, atol=1e-12)
    np.testing.assert_array_equal(np.diag(corr2), 1.0)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 6))
def test_split_then_build_round_trips(seed: int, k: int) -> None:
    a = np.random.default_rng(seed).normal(size=(k, k + 2))
    cov = a @ a.T
    sds, corr = split_covariance(cov)
    np.testing.assert_allclose(build_covariance(sds, corr), cov, rtol=1e-12, atol=1e-12)


def test_build_covariance_matches_the_formula() -> None:
    cov = build_covariance([2.0, 1.0], [[1.0, -0.8], [-0.8, 1.0]])
    np.testing.assert_allclose(cov, [[4.0, -1.6], [-1.6, 1.0]])


def test_build_covariance_allows_a_zero_sd() -> None:
    cov = build_covariance([0.5, 0.0], [[1.0, 0.3], [0.3, 1.0]])
    np.testing.assert_array_equal(cov[1], [0.0, 0.0])


@pytest.mark.parametrize(
    ("sds", "corr", "match"),
    [
        ([1.0, -1.0], np.eye(2), "finite and >= 0"),
        ([1.0, np.nan], np.eye(2), "finite and >= 0"),
        ([[1.0, 1.0]], np.eye(2), "1-D"),
        ([1.0, 1.0, 1.0], np.eye(2), "3 entries but corr is 2x2"),
        ([1.0, 1.0], [[1.0, 2.0], [2.0, 1.0]], "must lie in"),
    ],
)
def test_build_covariance_rejects_bad_input(sds, corr, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        build_covariance(sds, corr)


@pytest.mark.parametrize(
    ("cov", "match"),
    [
        ([[1.0, 0.0], [0.0, 0.0]], "positive diagonal"),
        ([[1.0, 0.2], [0.3, 1.0]], "symmetric"),
        ([[1.0, 0.2, 0.1]], "square"),
    ],
)
def test_split_covariance_rejects_bad_input(cov, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        split_covariance(cov)


INVALID = {
    "not_square": (np.array([[1.0, 0.5]]), r"must be square .* got shape \(1, 2\)"),
    "not_finite": (np.array([[1.0, np.nan], [np.nan, 1.0]]), "NaN or infinite"),
    "not_symmetric": (np.array([[1.0, 0.5], [0.4, 1.0]]), r"not symmetric, R\[0,1\] = 0.5"),
    "diagonal": (np.array([[1.0, 0.5], [0.5, 2.0]]), r"diagonal entry R\[1,1\] = 2"),
    "out_of_range": (np.array([[1.0, 1.5], [1.5, 1.0]]), r"R\[0,1\] = 1.5.*\[-1, 1\]"),
    "not_psd": (
        np.array(
            [
                [1.0, 0.9, 0.9, 0.9],
                [0.9, 1.0, 0.9, -0.9],
                [0.9, 0.9, 1.0, 0.9],
                [0.9, -0.9, 0.9, 1.0],
            ]
        ),
        r"not positive semi-definite \(smallest eigenvalue -",
    ),
}


@pytest.mark.parametrize("problem", list(INVALID))
def test_each_kind_of_invalid_matrix_has_its_own_error(problem: str) -> None:
    matrix, match = INVALID[problem]
    with pytest.raises(InvalidCorrelationError, match=match) as info:
        validate_correlation(matrix)
    assert info.value.problem == problem
    assert isinstance(info.value, ValueError)
    assert not is_correlation(matrix)


def test_invalid_matrix_messages_are_distinct() -> None:
    messages = set()
    for matrix, _ in INVALID.values():
        with pytest.raises(InvalidCorrelationError) as info:
            validate_correlation(matrix)
        assert str(info.value).startswith("not a correlation matrix: ")
        messages.add(str(info.value))
    assert len(messages) == len(INVALID)


def test_not_psd_reports_the_smallest_eigenvalue() -> None:
    matrix = INVALID["not_psd"][0]
    with pytest.raises(InvalidCorrelationError) as info:
        validate_correlation(matrix)
    assert info.value.min_eigenvalue == pytest.approx(np.linalg.eigvalsh(matrix)[0])


def test_lecture_example_names_the_entry_and_its_interval() -> None:
    with pytest.raises(InvalidCorrelationError) as info:
        validate_correlation(LECTURE)
    err = info.value
    assert err.problem == "not_psd"
    assert err.entry == (1, 2)
    low, high = err.interval
    # closed form: 0.9 * 0.8 -/+ sqrt((1 - 0.81) (1 - 0.64))
    assert low == pytest.approx(0.72 - np.sqrt(0.19 * 0.36), abs=1e-12)
    assert high == pytest.approx(0.72 + np.sqrt(0.19 * 0.36), abs=1e-12)
    assert "R[1,2] = -0.9 (rho_yz) must lie in [0.46, 0.98]" in str(err)


def test_valid_matrices_pass() -> None:
    assert is_correlation(np.eye(1))
    assert is_correlation([[1.0, 1.0], [1.0, 1.0]])  # singular but PSD: allowed
    assert is_correlation(sample_lkj(5, 1.0, rng=3))
    np.testing.assert_array_equal(validate_correlation([[1, 0.2], [0.2, 1]]), [[1, 0.2], [0.2, 1]])


@settings(max_examples=200, deadline=None)
@given(
    a=st.floats(-0.99, 0.99),
    b=st.floats(-0.99, 0.99),
    t=st.floats(0.0, 1.0),
    gap=st.floats(1e-4, 0.5),
)
def test_feasible_interval_is_exactly_where_R_is_valid(a: float, b: float, t: float, gap: float):
    """Inside the interval the eigenvalue check passes; just outside it fails."""
    low, high = feasible_rho_interval(a, b)

    def corr(c: float) -> np.ndarray:
        return np.array([[1.0, a, b], [a, 1.0, c], [b, c, 1.0]])

    assert is_correlation(corr(low + t * (high - low)))
    if high + gap <= 1.0:
        assert not is_correlation(corr(high + gap))
    if low - gap >= -1.0:
        assert not is_correlation(corr(low - gap))


def test_lecture_interval() -> None:
    low, high = feasible_rho_interval(0.9, 0.8)
    assert (round(low, 2), round(high, 2)) == (0.46, 0.98)


def test_feasible_interval_general_matches_three_variable_formula() -> None:
    np.testing.assert_allclose(feasible_interval(LECTURE, 1, 2), feasible_rho_interval(0.9, 0.8))
    # R[0,1] given R[0,2] = 0.8 and R[1,2] = -0.9: the same formula with the roles swapped
    np.testing.assert_allclose(feasible_interval(LECTURE, 0, 1), feasible_rho_interval(0.8, -0.9))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_feasible_interval_in_four_dimensions(seed: int) -> None:
    r = sample_lkj(4, 1.0, rng=seed)
    low, high = feasible_interval(r, 0, 3)
    assert low <= r[0, 3] <= high
    for value, valid in ((low + 1e-6, True), (high - 1e-6, True), (high + 1e-3, False)):
        if abs(value) <= 1:
            s = r.copy()
            s[0, 3] = s[3, 0] = value
            assert is_correlation(s) is valid


def test_feasible_interval_rejects_bad_indices() -> None:
    with pytest.raises(ValueError, match="two different indices"):
        feasible_interval(LECTURE, 1, 1)
    with pytest.raises(ValueError, match=r"must be a number in \[-1, 1\]"):
        feasible_rho_interval(1.5, 0.0)


def test_nearest_correlation_repairs_the_lecture_example() -> None:
    x = nearest_correlation(LECTURE)
    validate_correlation(x)
    np.testing.assert_array_equal(np.diag(x), 1.0)


def test_nearest_correlation_reproduces_higham_example() -> None:
    np.testing.assert_allclose(nearest_correlation(HIGHAM_A), HIGHAM_X, atol=1e-4)


def test_nearest_correlation_leaves_a_valid_matrix_unchanged() -> None:
    r = sample_lkj(4, 2.0, rng=7)
    np.testing.assert_array_equal(nearest_correlation(r), r)


def test_nearest_correlation_is_nearest() -> None:
    """Independent reference: minimise ||A - X|| over X = rows-normalised B B^T with scipy."""
    k = LECTURE.shape[0]

    def distance(flat: np.ndarray) -> float:
        b = flat.reshape(k, k)
        b = b / np.linalg.norm(b, axis=1, keepdims=True)
        return float(np.linalg.norm(LECTURE - b @ b.T))

    best = min(
        optimize.minimize(distance, np.random.default_rng(s).normal(size=k * k), tol=1e-12).fun
        for s in range(5)
    )
    ours = np.linalg.norm(LECTURE - nearest_correlation(LECTURE))
    assert ours <= best + 1e-6


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(2, 6))
def test_nearest_correlation_always_returns_a_valid_matrix(seed: int, k: int) -> None:
    a = np.random.default_rng(seed).uniform(-1, 1, size=(k, k))
    a = (a + a.T) / 2
    np.fill_diagonal(a, 1.0)
    x = nearest_correlation(a)
    assert is_correlation(x)
    assert_clean_correlation(x)


def test_nearest_correlation_of_a_non_symmetric_matrix_uses_its_symmetric_part() -> None:
    a = LECTURE.copy()
    a[0, 1] = 0.7
    a[1, 0] = 1.1
    np.testing.assert_allclose(
        nearest_correlation(a), nearest_correlation((a + a.T) / 2), atol=1e-10
    )


# --- issue 13: maths at the edges -------------------------------------------------------------


#: Issue 13: R[0,1] is within the 1e-8 tolerance of 1, and the matrix is far from PSD.
NEAR_ONE = np.array([[1.0, 1.0 + 5e-9, 0.0], [1.0 + 5e-9, 1.0, 0.5], [0.0, 0.5, 1.0]])
#: Issue 13: variables 0, 2, 3 alone are not PSD, so no value of R[0,1] can help.
NO_VALUE_WORKS = np.array(
    [[1.0, 0.0, 0.8, 0.8], [0.0, 1.0, 0.1, 0.2], [0.8, 0.1, 1.0, 0.0], [0.8, 0.2, 0.0, 1.0]]
)
#: Issue 13: R[0,1] = 1.5 is out of range, so R[0,2] and R[1,2] have no interval.
OUT_OF_RANGE = np.array([[1.0, 1.5, 0.2], [1.5, 1.0, 0.3], [0.2, 0.3, 1.0]])


def scipy_nearest_distance(a: np.ndarray, starts: int = 5) -> float:
    """Independent reference: min ||A - X|| over X = rows-normalised B B^T, by scipy."""
    k = a.shape[0]

    def distance(flat: np.ndarray) -> float:
        b = flat.reshape(k, k)
        b = b / np.linalg.norm(b, axis=1, keepdims=True)
        return float(np.linalg.norm(a - b @ b.T))

    return min(
        optimize.minimize(distance, np.random.default_rng(s).normal(size=k * k), tol=1e-12).fun
        for s in range(starts)
    )


def assert_clean_correlation(x: np.ndarray) -> None:
    """Exactly symmetric, exactly unit diagonal, entries in [-1, 1], Cholesky-factorisable."""
    np.testing.assert_array_equal(x, x.T)
    np.testing.assert_array_equal(np.diag(x), 1.0)
    assert np.abs(x).max() <= 1.0
    np.linalg.cholesky(x)  # raises LinAlgError if not numerically positive definite


def test_nearest_correlation_of_an_almost_valid_matrix_is_cholesky_factorisable() -> None:
    """Equicorrelation rho = -0.5 - 2.5e-9 passes the 1e-8 tolerance but is not PSD."""
    rho = -0.5 - 2.5e-9
    a = np.full((3, 3), rho)
    np.fill_diagonal(a, 1.0)
    assert is_correlation(a)  # within tolerance ...
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(a)  # ... yet not factorisable
    x = nearest_correlation(a)
    assert_clean_correlation(x)
    # closed form: the nearest equicorrelation matrix has rho = -1 / (k - 1) = -0.5
    off = x[~np.eye(3, dtype=bool)]
    np.testing.assert_allclose(off, -0.5, atol=1e-9)


def test_nearest_correlation_never_returns_an_entry_above_one() -> None:
    a = np.array([[1.0, 1.0 + 5e-9], [1.0 + 5e-9, 1.0]])
    assert is_correlation(a)
    x = nearest_correlation(a)
    assert_clean_correlation(x)
    np.testing.assert_allclose(x, 1.0, atol=1e-9)


@pytest.mark.parametrize("k", [2, 5, 20, 60])
def test_nearest_correlation_of_singular_valid_matrices_is_factorisable(k: int) -> None:
    """Rank-one matrices (all variables equal up to sign) are valid but singular."""
    signs = np.where(np.random.default_rng(k).random(k) < 0.5, -1.0, 1.0)
    a = np.outer(signs, signs)
    x = nearest_correlation(a)
    assert_clean_correlation(x)
    np.testing.assert_allclose(x, a, atol=1e-8)


def test_entry_within_tolerance_of_one_is_reported_as_not_psd() -> None:
    """An entry of 1 + 5e-9 passes the range check; the eigenvalue check must then report it."""
    with pytest.raises(InvalidCorrelationError) as info:
        validate_correlation(NEAR_ONE)
    err = info.value
    assert err.problem == "not_psd"
    assert err.min_eigenvalue == pytest.approx(np.linalg.eigvalsh(NEAR_ONE)[0])
    # closed form at R[0,1] = 1: eigenvalues 1 and 1 -/+ sqrt(5) / 2
    assert err.min_eigenvalue == pytest.approx(1 - np.sqrt(5) / 2, abs=1e-8)  # -0.118
    # with rho_xy = 1, y is x, so rho_yz must equal rho_xz = 0
    assert err.entry == (1, 2)
    assert err.interval == pytest.approx((0.0, 0.0), abs=1e-4)
    assert is_correlation(NEAR_ONE) is False
    x = nearest_correlation(NEAR_ONE)
    assert_clean_correlation(x)
    assert np.linalg.norm(NEAR_ONE - x) <= scipy_nearest_distance(NEAR_ONE) + 1e-6


def test_feasible_rho_interval_accepts_correlations_within_tolerance_of_one() -> None:
    # rho_xy = 1 makes y = x, so rho_yz = rho_xz is the only value
    assert feasible_rho_interval(1.0 + 5e-9, 0.3) == pytest.approx((0.3, 0.3), abs=1e-4)
    assert feasible_rho_interval(0.3, -1.0 - 5e-9) == pytest.approx((-0.3, -0.3), abs=1e-4)
    with pytest.raises(TeachkitError, match=r"rho_xy must be a number in \[-1, 1\]"):
        feasible_rho_interval(1.0 + 1e-6, 0.3)


def test_feasible_interval_says_when_no_value_works() -> None:
    with pytest.raises(NoFeasibleValueError) as info:
        feasible_interval(NO_VALUE_WORKS, 0, 1)
    err = info.value
    assert isinstance(err, TeachkitError)
    assert err.entry == (0, 1)
    assert err.variables == (0, 2, 3)
    # closed form: [[1, a, a], [a, 1, 0], [a, 0, 1]] has eigenvalues 1 and 1 -/+ a sqrt(2)
    assert err.min_eigenvalue == pytest.approx(1 - 0.8 * np.sqrt(2))
    assert str(err).startswith("no value of R[0,1] makes this a correlation matrix")
    assert "\n" not in str(err)
    # brute force: every value of R[0,1] in [-1, 1] leaves a negative eigenvalue
    for value in np.linspace(-1, 1, 2001):
        s = NO_VALUE_WORKS.copy()
        s[0, 1] = s[1, 0] = value
        assert np.linalg.eigvalsh(s)[0] < -0.1


def test_feasible_interval_names_an_out_of_range_partner() -> None:
    with pytest.raises(NoFeasibleValueError, match=r"R\[0,1\] = 1.5 is outside \[-1, 1\]") as info:
        feasible_interval(OUT_OF_RANGE, 1, 2)
    assert info.value.out_of_range == (0, 1)
    with pytest.raises(NoFeasibleValueError):
        feasible_interval(OUT_OF_RANGE, 0, 2)
    # the out-of-range entry itself has an interval, given its two in-range partners
    np.testing.assert_allclose(
        feasible_interval(OUT_OF_RANGE, 0, 1), feasible_rho_interval(0.2, 0.3), atol=1e-15
    )


def test_feasible_interval_with_a_singular_block_of_others() -> None:
    """R_SS singular: the interval comes from the pseudo-inverse (Albert 1969), checked by eig."""
    # x0 = x2 exactly; x1 correlates 0.5 with both; the interval of R[1,3] given the others
    r = np.array(
        [[1.0, 0.5, 1.0, 0.3], [0.5, 1.0, 0.5, 0.0], [1.0, 0.5, 1.0, 0.3], [0.3, 0.0, 0.3, 1.0]]
    )
    low, high = feasible_interval(r, 1, 3)
    # with x0 = x2 the matrix reduces to the 3x3 of (x0, x1, x3)
    np.testing.assert_allclose((low, high), feasible_rho_interval(0.5, 0.3), atol=1e-12)


def test_feasible_interval_contains_uses_a_tolerance() -> None:
    a, b = 0.6, 0.8
    interval = feasible_rho_interval(a, b)  # [0, 0.96]: the low end is 0.48 - 0.48
    assert interval.contains(0.0)
    assert interval.contains(interval.high + 0.5e-8)
    assert not interval.contains(interval.high + 1e-6)
    assert not interval.contains(interval.low - 1e-6)


@pytest.mark.parametrize("seed", range(30))
def test_feasible_interval_agrees_with_the_eigenvalues_or_says_no_value_works(seed: int) -> None:
    """Independent reference: scan R[i,j] over [-1, 1] and ask numpy which values give PSD."""
    rng = np.random.default_rng(seed)
    k = 4 + seed % 2
    a = rng.uniform(-1, 1, size=(k, k))
    a = (a + a.T) / 2
    if seed % 3:  # mostly valid others, so that both outcomes occur
        a = 0.4 * a + 0.6 * sample_lkj(k, 1.0, rng=seed)
    np.fill_diagonal(a, 1.0)
    i, j = sorted(int(v) for v in rng.choice(k, size=2, replace=False))
    grid = np.linspace(-1, 1, 801)
    psd = []
    for value in grid:
        s = a.copy()
        s[i, j] = s[j, i] = value
        psd.append(np.linalg.eigvalsh(s)[0] >= -1e-12)
    psd = np.array(psd)
    try:
        low, high = feasible_interval(a, i, j)
    except NoFeasibleValueError:
        assert not psd.any()
        return
    margin = 1e-6
    assert psd[(grid > low + margin) & (grid < high - margin)].all()
    assert not psd[(grid < low - margin) | (grid > high + margin)].any()


def test_split_covariance_rejects_a_matrix_that_is_not_a_covariance() -> None:
    with pytest.raises(TeachkitError, match=r"not a covariance matrix.*R\[0,1\] = 2") as info:
        split_covariance([[1.0, 2.0], [2.0, 1.0]])
    assert "\n" not in str(info.value)
    with pytest.raises(TeachkitError, match="not positive semi-definite"):
        split_covariance(LECTURE * np.outer([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]))


def test_split_covariance_returns_correlations_within_one() -> None:
    """A rank-one covariance: every correlation is 1, but cov / outer(sds, sds) rounds above."""
    v = np.array([0.1, 0.1, 0.3])
    a = np.column_stack([v, 1.7 * v])
    _, corr = split_covariance(a @ a.T)
    assert np.abs(corr).max() <= 1.0
    np.testing.assert_allclose(corr, 1.0, atol=1e-15)
