r"""Covariance matrices as scales and correlations, and which matrices are correlation matrices.

The lecture writes every covariance matrix of the varying effects as

.. math::

    \Sigma = \operatorname{diag}(\sigma) \, R \, \operatorname{diag}(\sigma),

with the standard deviations :math:`\sigma` and the correlation matrix :math:`R` given separate
priors.
This module builds and splits that product, checks whether a matrix is a correlation matrix
(and says why not), gives the interval an entry must lie in for the matrix to stay valid, and
repairs an invalid matrix by finding the nearest valid one.

Only numpy is needed, so the demos that use it start fast.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from teachkit.errors import TeachkitError

__all__ = [
    "FeasibleInterval",
    "InvalidCorrelationError",
    "NoFeasibleValueError",
    "build_covariance",
    "feasible_interval",
    "feasible_rho_interval",
    "is_correlation",
    "nearest_correlation",
    "split_covariance",
    "validate_correlation",
]

#: Absolute tolerance for symmetry, unit diagonal and the smallest eigenvalue. Matrices built
#: in floating point (``L @ L.T``, products of sds) are off by a few ulps; 1e-8 accepts those
#: and still rejects every matrix a person would type by mistake.
ATOL = 1e-8

#: Smallest eigenvalue :func:`nearest_correlation` leaves in its result. The nearest correlation
#: matrix of an invalid one lies on the boundary (an eigenvalue of exactly 0), where
#: ``np.linalg.cholesky`` fails or succeeds by the luck of rounding. Lifting the eigenvalues to
#: :math:`10^{-10}` moves the result by at most :math:`k \times 10^{-10}` in the Frobenius norm,
#: invisible at any printed precision, yet stays far above the rounding error of a Cholesky
#: factorisation (about :math:`k \times 10^{-16}` for a :math:`k \times k` correlation matrix),
#: so the result always factorises.
MIN_EIGENVALUE = 1e-10


class InvalidCorrelationError(TeachkitError):
    r"""A matrix is not a correlation matrix.

    Attributes
    ----------
    problem : str
        The first failed check: ``"not_square"``, ``"not_finite"``, ``"not_symmetric"``,
        ``"diagonal"``, ``"out_of_range"`` or ``"not_psd"``.
    min_eigenvalue : float or None
        The smallest eigenvalue when ``problem == "not_psd"``.
    entry : tuple of int or None
        For an invalid :math:`3 \times 3` matrix, the entry ``(i, j)`` named in the message.
    interval : tuple of float or None
        The feasible interval of that entry given the others.
    """

    def __init__(
        self,
        message: str,
        *,
        problem: str,
        min_eigenvalue: float | None = None,
        entry: tuple[int, int] | None = None,
        interval: tuple[float, float] | None = None,
    ) -> None:
        super().__init__(message)
        self.problem = problem
        self.min_eigenvalue = min_eigenvalue
        self.entry = entry
        self.interval = interval


class NoFeasibleValueError(TeachkitError):
    """No value of ``R[i, j]`` makes the matrix a correlation matrix, given its other entries.

    Raised by :func:`feasible_interval` instead of returning an interval. Whatever ``R[i, j]``
    is, some part of the matrix that does not involve it is already invalid: an entry outside
    [-1, 1], or a group of variables whose correlations are not positive semi-definite.

    Attributes
    ----------
    entry : tuple of int
        The entry ``(i, j)`` that was asked about.
    out_of_range : tuple of int or None
        An other entry ``(k, l)`` outside [-1, 1], if that is the reason.
    variables : tuple of int or None
        Otherwise, variables whose correlations alone are not positive semi-definite.
    min_eigenvalue : float or None
        The smallest eigenvalue of the correlation matrix of ``variables``.
    """

    def __init__(
        self,
        message: str,
        *,
        entry: tuple[int, int],
        out_of_range: tuple[int, int] | None = None,
        variables: tuple[int, ...] | None = None,
        min_eigenvalue: float | None = None,
    ) -> None:
        super().__init__(message)
        self.entry = entry
        self.out_of_range = out_of_range
        self.variables = variables
        self.min_eigenvalue = min_eigenvalue


class FeasibleInterval(NamedTuple):
    r"""The closed interval ``[low, high]`` an entry of a correlation matrix must lie in.

    A tuple, so ``low, high = feasible_interval(R, i, j)`` works. ``low == high`` is a real
    one-point interval (for instance when a partner correlation is exactly :math:`\pm 1`).
    """

    low: float
    high: float

    def contains(self, value: float, atol: float = ATOL) -> bool:
        """Whether ``value`` lies in the interval, allowing ``atol`` of rounding at either end.

        The tolerance is :data:`ATOL`, the one :func:`validate_correlation` uses, so an entry
        that is "inside" here does not fail validation for being a few ulps outside.

        Examples
        --------
        >>> interval = FeasibleInterval(0.0, 0.5)
        >>> interval.contains(0.5 + 1e-12), interval.contains(0.6)
        (True, False)
        """
        return bool(self.low - atol <= value <= self.high + atol)


def build_covariance(sds: ArrayLike, corr: ArrayLike) -> NDArray[np.float64]:
    """Build ``Sigma = diag(sds) @ corr @ diag(sds)``.

    Parameters
    ----------
    sds : array_like of shape (k,)
        Standard deviations, finite and non-negative (a zero sd is allowed: that variable is
        then a constant, as in the lecture's "common slope" special case).
    corr : array_like of shape (k, k)
        A correlation matrix; checked with :func:`validate_correlation`.

    Returns
    -------
    ndarray of shape (k, k)
        The covariance matrix, exactly symmetric.

    Raises
    ------
    TeachkitError
        If ``sds`` is not a 1-D array of finite non-negative numbers or its length differs from
        the size of ``corr``; :class:`InvalidCorrelationError` if ``corr`` is invalid.

    Examples
    --------
    >>> build_covariance([2.0, 1.0], [[1.0, -0.8], [-0.8, 1.0]])
    array([[ 4. , -1.6],
           [-1.6,  1. ]])
    """
    s = np.asarray(sds, dtype=float)
    if s.ndim != 1 or s.size == 0:
        raise TeachkitError(f"sds must be a non-empty 1-D array, got shape {s.shape}")
    if not np.all(np.isfinite(s)) or np.any(s < 0):
        raise TeachkitError(f"sds must be finite and >= 0, got {s.tolist()}")
    r = validate_correlation(corr)
    if r.shape[0] != s.size:
        raise TeachkitError(f"sds has {s.size} entries but corr is {r.shape[0]}x{r.shape[0]}")
    sigma = s[:, None] * r * s[None, :]
    return (sigma + sigma.T) / 2


def split_covariance(
    cov: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""Split a covariance matrix into standard deviations and a correlation matrix.

    The inverse of :func:`build_covariance`: :math:`\mathrm{sds}_i = \sqrt{\Sigma_{ii}}` and
    :math:`R_{ij} = \Sigma_{ij} / (\mathrm{sds}_i \, \mathrm{sds}_j)`.

    Parameters
    ----------
    cov : array_like of shape (k, k)
        A covariance matrix: symmetric, positive semi-definite, with a positive diagonal.

    Returns
    -------
    sds : ndarray of shape (k,)
    corr : ndarray of shape (k, k)
        A correlation matrix: symmetric, with a diagonal of exactly 1 and entries in [-1, 1].

    Raises
    ------
    TeachkitError
        If ``cov`` is not a finite symmetric square matrix with a positive diagonal (a zero
        variance leaves that variable's correlations undefined), or if it is not positive
        semi-definite, which shows as ``R`` failing :func:`validate_correlation` (e.g. a
        "correlation" of 2). ``R`` is checked rather than ``cov`` because its tolerance
        :data:`ATOL` then does not depend on the units of the variables.

    Examples
    --------
    >>> sds, corr = split_covariance([[4.0, -1.6], [-1.6, 1.0]])
    >>> sds.tolist(), round(float(corr[0, 1]), 12)
    ([2.0, 1.0], -0.8)
    """
    c = _square_finite(cov, "cov")
    if not np.allclose(c, c.T, rtol=0, atol=ATOL * max(1.0, np.abs(c).max())):
        raise TeachkitError("cov must be symmetric")
    var = np.diag(c)
    if np.any(var <= 0):
        raise TeachkitError(
            f"cov must have a positive diagonal (variances), got {var.tolist()}; "
            "a zero variance leaves that variable's correlations undefined"
        )
    sds = np.sqrt(var)
    corr = c / np.outer(sds, sds)
    corr = (corr + corr.T) / 2
    np.fill_diagonal(corr, 1.0)
    try:
        validate_correlation(corr)
    except InvalidCorrelationError as err:
        why = str(err).removeprefix("not a correlation matrix: ")
        raise TeachkitError(
            "cov is not a covariance matrix (it must be positive semi-definite): its "
            f"correlation matrix R = cov / outer(sds, sds) is invalid: {why}"
        ) from err
    # entries within ATOL of +-1 are rounding; clip them so the result is a correlation matrix
    return sds, np.clip(corr, -1.0, 1.0)


def validate_correlation(corr: ArrayLike) -> NDArray[np.float64]:
    r"""Check that a matrix is a correlation matrix and return it as a float array.

    The checks run in this order and the first one that fails is reported: square, finite,
    symmetric, unit diagonal, entries in [-1, 1], positive semi-definite. For a :math:`3 \times 3`
    matrix that fails only the last check, the message names the entry ``R[1, 2]``
    (:math:`\rho_{yz}`), the
    interval it must lie in given ``R[0, 1]`` and ``R[0, 2]`` (:func:`feasible_rho_interval`),
    and the smallest eigenvalue.

    Parameters
    ----------
    corr : array_like of shape (k, k)

    Returns
    -------
    ndarray of shape (k, k)

    Raises
    ------
    InvalidCorrelationError
        With ``problem`` set to the failed check and a message saying what is allowed.

    Examples
    --------
    >>> validate_correlation([[1, 0.9, 0.8], [0.9, 1, -0.9], [0.8, -0.9, 1]])
    Traceback (most recent call last):
    ...
    teachkit.covariance.InvalidCorrelationError: not a correlation matrix: R[1,2] = -0.9 ...
    """
    r = np.asarray(corr, dtype=float)
    if r.ndim != 2 or r.shape[0] != r.shape[1] or r.shape[0] == 0:
        raise InvalidCorrelationError(
            f"not a correlation matrix: it must be square (k x k, k >= 1), got shape {r.shape}",
            problem="not_square",
        )
    if not np.all(np.isfinite(r)):
        raise InvalidCorrelationError(
            "not a correlation matrix: it has NaN or infinite entries; all entries must be finite",
            problem="not_finite",
        )
    asym = np.abs(r - r.T)
    if asym.max() > ATOL:
        i, j = np.unravel_index(np.argmax(asym), asym.shape)
        raise InvalidCorrelationError(
            f"not a correlation matrix: it is not symmetric, R[{i},{j}] = {r[i, j]:.6g} but "
            f"R[{j},{i}] = {r[j, i]:.6g}; R[i,j] must equal R[j,i]",
            problem="not_symmetric",
        )
    diag = np.diag(r)
    off = np.abs(diag - 1.0) > ATOL
    if off.any():
        i = int(np.argmax(off))
        raise InvalidCorrelationError(
            f"not a correlation matrix: diagonal entry R[{i},{i}] = {diag[i]:.6g}; "
            "every diagonal entry must be 1",
            problem="diagonal",
        )
    outside = np.abs(r) > 1.0 + ATOL
    if outside.any():
        i, j = np.argwhere(outside)[0]
        raise InvalidCorrelationError(
            f"not a correlation matrix: R[{i},{j}] = {r[i, j]:.6g}; "
            "every correlation must lie in [-1, 1]",
            problem="out_of_range",
        )
    min_eig = float(np.linalg.eigvalsh(r)[0])
    if min_eig < -ATOL:
        raise _not_psd_error(r, min_eig)
    return r


def is_correlation(corr: ArrayLike) -> bool:
    """Return True if ``corr`` passes :func:`validate_correlation`, False otherwise.

    Examples
    --------
    >>> is_correlation([[1, 0.5], [0.5, 1]]), is_correlation([[1, 2], [2, 1]])
    (True, False)
    """
    try:
        validate_correlation(corr)
    except InvalidCorrelationError:
        return False
    return True


def feasible_rho_interval(rho_xy: float, rho_xz: float) -> tuple[float, float]:
    r"""Interval of :math:`\rho_{yz}` given :math:`\rho_{xy}` and :math:`\rho_{xz}` for a valid R.

    A :math:`3 \times 3` matrix with unit diagonal and entries :math:`a = \rho_{xy}`,
    :math:`b = \rho_{xz}`, :math:`c = \rho_{yz}` has determinant
    :math:`1 - a^2 - b^2 - c^2 + 2abc`, a downward parabola in :math:`c`; it is a correlation
    matrix exactly when :math:`c` lies between the roots

    .. math::

        a b \mp \sqrt{(1 - a^2) (1 - b^2)},

    the bounds of a partial correlation of y and z given x between -1 and 1 (e.g. Stanley and
    Wang 1969; Joe 2006, sec. 2).

    Parameters
    ----------
    rho_xy, rho_xz : float
        Correlations in [-1, 1]; values within :data:`ATOL` outside it (rounding, which
        :func:`validate_correlation` also accepts) are treated as :math:`\pm 1`.

    Returns
    -------
    FeasibleInterval
        ``(low, high)``. With :math:`\rho_{xy}` or :math:`\rho_{xz}` equal to :math:`\pm 1` the
        interval is a single point: if :math:`y` is :math:`x` (or :math:`-x`), :math:`\rho_{yz}`
        is fixed by :math:`\rho_{xz}`.

    Raises
    ------
    TeachkitError
        If :math:`\rho_{xy}` or :math:`\rho_{xz}` is not a number in [-1, 1].

    Examples
    --------
    The lecture's example: with :math:`\rho_{xy} = 0.9` and :math:`\rho_{xz} = 0.8`,
    :math:`\rho_{yz} = -0.9` is impossible.

    >>> [round(v, 2) for v in feasible_rho_interval(0.9, 0.8)]
    [0.46, 0.98]
    """
    for name, v in (("rho_xy", rho_xy), ("rho_xz", rho_xz)):
        if not (np.isfinite(v) and abs(v) <= 1.0 + ATOL):
            raise TeachkitError(f"{name} must be a number in [-1, 1], got {v}")
    a = float(np.clip(rho_xy, -1.0, 1.0))
    b = float(np.clip(rho_xz, -1.0, 1.0))
    centre = a * b
    half = float(np.sqrt((1.0 - a**2) * (1.0 - b**2)))
    return FeasibleInterval(max(-1.0, centre - half), min(1.0, centre + half))


def feasible_interval(corr: ArrayLike, i: int, j: int) -> FeasibleInterval:
    r"""Interval that entry ``R[i, j]`` must lie in, all other entries held fixed.

    With :math:`S` the remaining variables, write :math:`R_{SS}` for their block,
    :math:`r_{iS}` for row :math:`i` of :math:`R` restricted to :math:`S` and :math:`R_{SS}^+`
    for the pseudo-inverse. :math:`R` is positive semi-definite exactly when (the generalised
    Schur complement of :math:`R_{SS}`; Albert 1969, "Conditions for positive and nonnegative
    definiteness in terms of pseudoinverses", SIAM J. Appl. Math. 17)

    1. the blocks of the variables :math:`S \cup \{i\}` and :math:`S \cup \{j\}` are positive
       semi-definite, and
    2. the :math:`2 \times 2` Schur complement of :math:`R_{SS}` is, i.e. with
       :math:`d_i = 1 - r_{iS} R_{SS}^+ r_{Si}`,

       .. math::

           R_{ij} \in r_{iS} R_{SS}^+ r_{Sj} \mp \sqrt{d_i d_j}.

    Condition 2 says the partial correlation of :math:`i` and :math:`j` given :math:`S` lies in
    [-1, 1] (Joe 2006, "Generating random correlation matrices based on partial correlations",
    J. Multivariate Anal. 97, sec. 2); for :math:`k = 3` it is :func:`feasible_rho_interval`.
    Condition 1 does not involve ``R[i, j]``: when it fails, no value of ``R[i, j]`` can make
    :math:`R` valid and
    :class:`NoFeasibleValueError` says so, instead of returning an interval.

    Parameters
    ----------
    corr : array_like of shape (k, k)
        Symmetric with unit diagonal (up to :data:`ATOL`); ``R[i, j]`` and ``R[j, i]``
        themselves are ignored.
    i, j : int
        Two different indices.

    Returns
    -------
    FeasibleInterval
        ``(low, high)``, a sub-interval of [-1, 1]; use ``.contains(value)`` to compare an entry
        with it up to rounding.

    Raises
    ------
    NoFeasibleValueError
        If no value of ``R[i, j]`` makes :math:`R` a correlation matrix: another entry lies
        outside [-1, 1] (``out_of_range`` names it), or the variables :math:`S \cup \{i\}` or
        :math:`S \cup \{j\}` alone are not positive semi-definite (``variables`` names them),
        both up to :data:`ATOL`.
    TeachkitError
        If the indices are invalid, or ``corr`` is not a finite square matrix that is
        symmetric with unit diagonal.

    Examples
    --------
    >>> R = [[1, 0.9, 0.8], [0.9, 1, -0.9], [0.8, -0.9, 1]]
    >>> [round(v, 3) for v in feasible_interval(R, 1, 2)]
    [0.458, 0.982]

    When x0 is strongly tied to both x2 and x3, which are uncorrelated, R[0, 1] cannot help:

    >>> R = [[1, 0, 0.8, 0.8], [0, 1, 0.1, 0.2], [0.8, 0.1, 1, 0], [0.8, 0.2, 0, 1]]
    >>> feasible_interval(R, 0, 1)
    Traceback (most recent call last):
    ...
    teachkit.covariance.NoFeasibleValueError: no value of R[0,1] makes this a correlation matrix ...
    """
    r = _square_finite(corr, "corr")
    k = r.shape[0]
    if not (0 <= i < k and 0 <= j < k) or i == j:
        raise TeachkitError(f"i and j must be two different indices in 0..{k - 1}, got {i}, {j}")
    others = r.copy()
    others[i, j] = others[j, i] = 0.0  # ignored: this is the entry asked about
    if np.abs(others - others.T).max() > ATOL or np.abs(np.diag(r) - 1.0).max() > ATOL:
        raise TeachkitError(
            "corr must be symmetric with a unit diagonal to give a feasible interval; check it "
            "with validate_correlation"
        )
    entry = (min(i, j), max(i, j))
    no_value = f"no value of R[{entry[0]},{entry[1]}] makes this a correlation matrix given the "
    no_value += "other entries: "
    outside = np.argwhere(np.triu(np.abs(others) > 1.0 + ATOL, k=1))
    if outside.size:
        a, b = (int(v) for v in outside[0])
        raise NoFeasibleValueError(
            f"{no_value}R[{a},{b}] = {r[a, b]:.4g} is outside [-1, 1]",
            entry=entry,
            out_of_range=(a, b),
        )
    rest = [m for m in range(k) if m not in (i, j)]
    if not rest:
        return FeasibleInterval(-1.0, 1.0)
    for group in (rest, sorted([*rest, i]), sorted([*rest, j])):
        min_eig = float(np.linalg.eigvalsh(r[np.ix_(group, group)])[0])
        if min_eig < -ATOL:
            names = ", ".join(str(m) for m in group)
            raise NoFeasibleValueError(
                f"{no_value}the block of variables {names} is not positive semi-definite "
                f"(smallest eigenvalue {min_eig:.4g})",
                entry=entry,
                variables=tuple(group),
                min_eigenvalue=min_eig,
            )
    # Pseudo-inverse of R_SS with eigenvalues within ATOL of 0 counted as 0, the same tolerance
    # as the checks above; condition 1 makes r_iS and r_jS (almost) lie in the range of R_SS.
    w, v = np.linalg.eigh(r[np.ix_(rest, rest)])
    keep = w > ATOL
    u_i = v[:, keep].T @ r[i, rest]
    u_j = v[:, keep].T @ r[j, rest]
    centre = float(u_i @ (u_j / w[keep]))
    # d_i, d_j >= 0 by condition 1; the clip removes rounding only
    d_i = max(0.0, 1.0 - float(u_i @ (u_i / w[keep])))
    d_j = max(0.0, 1.0 - float(u_j @ (u_j / w[keep])))
    half = float(np.sqrt(d_i * d_j))
    return FeasibleInterval(max(-1.0, centre - half), min(1.0, centre + half))


def nearest_correlation(
    corr: ArrayLike, *, tol: float = 1e-10, max_iter: int = 10_000
) -> NDArray[np.float64]:
    r"""The nearest correlation matrix in the Frobenius norm, safe to factorise.

    Alternating projections with Dykstra's correction (Higham 2002, "Computing the nearest
    correlation matrix - a problem from finance", IMA J. Numer. Anal. 22, algorithm 3.3, unit
    weights): project alternately onto the positive semi-definite cone (clip negative
    eigenvalues) and onto the matrices with unit diagonal. A non-symmetric input is first
    replaced by its symmetric part, which changes nothing: for symmetric :math:`X`,

    .. math::

        \|A - X\|^2 = \|\operatorname{sym}(A) - X\|^2 + \|\operatorname{skew}(A)\|^2.

    The exact answer for an invalid input has a zero eigenvalue, so a last step lifts the
    eigenvalues to at least :data:`MIN_EIGENVALUE` and rescales to a unit diagonal: the result
    is positive definite, moves by at most about :math:`k \times 10^{-10}`, and
    ``np.linalg.cholesky`` always succeeds on it. The same repair applies to a matrix that
    passes :func:`validate_correlation` only thanks to its tolerance (an entry of
    :math:`1 + 5 \times 10^{-9}`, or an eigenvalue of :math:`-5 \times 10^{-9}`).

    Written here rather than taken from statsmodels (``corr_nearest`` there is a different,
    approximate algorithm) to keep the core maths on numpy alone.

    Parameters
    ----------
    corr : array_like of shape (k, k)
        Any finite square matrix, typically a symmetric matrix with unit diagonal that fails
        :func:`validate_correlation`.
    tol : float
        Stop when successive iterates differ by less than ``tol`` in the Frobenius norm,
        relative to the norm of the iterate.
    max_iter : int
        Upper bound on the number of iterations.

    Returns
    -------
    ndarray of shape (k, k)
        Exactly symmetric, with a diagonal of exactly 1, entries in [-1, 1], and a Cholesky
        factor. ``corr`` itself (as a copy) when it already is all of that.

    Examples
    --------
    >>> R = nearest_correlation([[1, 0.9, 0.8], [0.9, 1, -0.9], [0.8, -0.9, 1]])
    >>> is_correlation(R), np.linalg.cholesky(R).shape
    (True, (3, 3))
    """
    a = _square_finite(corr, "corr")
    if _is_factorisable_correlation(a):
        return a.copy()
    a = (a + a.T) / 2
    y = a.copy()
    correction = np.zeros_like(a)
    for _ in range(max_iter):
        r = y - correction
        x = _project_psd(r)
        correction = x - r
        y_new = x.copy()
        np.fill_diagonal(y_new, 1.0)
        change = np.linalg.norm(y_new - y) / max(np.linalg.norm(y_new), 1.0)
        y = y_new
        if change < tol:
            break
    # The last projection is onto the unit diagonal, which can leave an eigenvalue at or a few
    # ulps below zero. Lifting the eigenvalues to MIN_EIGENVALUE and rescaling the diagonal to 1
    # (a congruence, so it keeps them positive) gives a positive definite correlation matrix.
    y = _project_psd(y, floor=MIN_EIGENVALUE)
    d = np.sqrt(np.diag(y))
    y = y / np.outer(d, d)
    y = np.clip((y + y.T) / 2, -1.0, 1.0)
    np.fill_diagonal(y, 1.0)
    return y


def _is_factorisable_correlation(a: NDArray[np.float64]) -> bool:
    """Exactly symmetric, exactly unit diagonal, entries in [-1, 1], and Cholesky succeeds."""
    if not (np.array_equal(a, a.T) and np.all(np.diag(a) == 1.0) and np.abs(a).max() <= 1.0):
        return False
    try:
        np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        return False
    return True


def _not_psd_error(r: NDArray[np.float64], min_eig: float) -> InvalidCorrelationError:
    """Build the error for a symmetric unit-diagonal matrix that is not PSD."""
    tail = (
        f"it is not positive semi-definite (smallest eigenvalue {min_eig:.4g}); a correlation "
        "matrix must have no negative eigenvalue"
    )
    if r.shape[0] != 3:
        return InvalidCorrelationError(
            f"not a correlation matrix: {tail}", problem="not_psd", min_eigenvalue=min_eig
        )
    interval = feasible_rho_interval(r[0, 1], r[0, 2])
    low, high = interval
    # a partner of exactly +-1 leaves a single value (y = +-x), which reads better as such
    where = (
        f"must equal {low:.2f}" if high - low <= ATOL else f"must lie in [{low:.2f}, {high:.2f}]"
    )
    return InvalidCorrelationError(
        f"not a correlation matrix: R[1,2] = {r[1, 2]:.4g} (rho_yz) {where} given "
        f"R[0,1] = {r[0, 1]:.4g} (rho_xy) and R[0,2] = {r[0, 2]:.4g} (rho_xz); {tail}",
        problem="not_psd",
        min_eigenvalue=min_eig,
        entry=(1, 2),
        interval=interval,
    )


def _project_psd(a: NDArray[np.float64], floor: float = 0.0) -> NDArray[np.float64]:
    """Project a symmetric matrix onto the PSD cone: clip its eigenvalues at ``floor`` (>= 0)."""
    w, v = np.linalg.eigh(a)
    x = (v * np.clip(w, floor, None)) @ v.T
    return (x + x.T) / 2


def _square_finite(m: ArrayLike, name: str) -> NDArray[np.float64]:
    """Return ``m`` as a finite square float matrix or raise TeachkitError."""
    a = np.asarray(m, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise TeachkitError(f"{name} must be a square k x k matrix (k >= 1), got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise TeachkitError(f"{name} has NaN or infinite entries; all entries must be finite")
    return a
