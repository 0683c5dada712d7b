r"""Multivariate normal distributions: sampling through the Cholesky factor, density, ellipses.

The lecture's key identity: if :math:`z \sim N(0, I)` and :math:`\Sigma = L L^\top`, then

.. math::

    x = \mu + L z \sim N(\mu, \Sigma).

That is how the simulators draw correlated station effects, and how the non-centred covarying
model is written. Only numpy and scipy are needed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from teachkit._random import RNGLike, Size, as_generator, size_tuple
from teachkit.errors import TeachkitError

__all__ = [
    "cholesky_factor",
    "ellipse",
    "ellipse_radius",
    "mvn_logpdf",
    "sample_mvn",
    "validate_covariance",
]

#: Relative tolerance for symmetry and for eigenvalues counted as zero: asymmetry up to
#: :math:`\mathrm{RTOL} \cdot s` and eigenvalues down to :math:`-\mathrm{RTOL} \cdot s \cdot k`
#: pass, with :math:`s` the largest absolute entry of the :math:`k \times k` covariance matrix.
#: Rounding in ``diag(sd) R diag(sd)`` or ``L @ L.T`` is a few ulps (:math:`10^{-16}`) of
#: :math:`s` per entry, and an eigenvalue moves by at most the norm of the perturbation
#: (:math:`\le k` times the largest entry error); :math:`10^{-10}` leaves a margin of
#: :math:`10^6` over that and still rejects any matrix a person would type by mistake.
RTOL = 1e-10


def validate_covariance(cov: ArrayLike, dim: int | None = None) -> NDArray[np.float64]:
    r"""Check that ``cov`` is a covariance matrix and return it as a float array.

    Parameters
    ----------
    cov : array_like of shape (k, k)
        Must be finite, symmetric and positive semi-definite (singular is allowed: a variable
        with zero variance, or a correlation of :math:`\pm 1`).
    dim : int, optional
        The required size :math:`k` (the length of the mean).

    Returns
    -------
    ndarray of shape (k, k)

    Raises
    ------
    TeachkitError
        Naming the first problem: shape, non-finite entries, asymmetry, a negative variance or
        a negative eigenvalue.

    Examples
    --------
    >>> validate_covariance([[1.0, 2.0], [2.0, 1.0]])
    Traceback (most recent call last):
    ...
    teachkit.errors.TeachkitError: invalid covariance matrix: not positive semi-definite ...
    """
    c = np.asarray(cov, dtype=float)
    if c.ndim != 2 or c.shape[0] != c.shape[1] or c.shape[0] == 0:
        raise TeachkitError(f"invalid covariance matrix: must be square k x k, got shape {c.shape}")
    if dim is not None and c.shape[0] != dim:
        raise TeachkitError(
            f"invalid covariance matrix: it is {c.shape[0]}x{c.shape[0]} but the mean has "
            f"{dim} entries; they must match"
        )
    if not np.all(np.isfinite(c)):
        raise TeachkitError("invalid covariance matrix: it has NaN or infinite entries")
    scale = max(float(np.abs(c).max()), np.finfo(float).tiny)
    if np.abs(c - c.T).max() > RTOL * scale:
        raise TeachkitError(
            "invalid covariance matrix: not symmetric; Sigma[i,j] must equal Sigma[j,i]"
        )
    if np.any(np.diag(c) < 0):
        raise TeachkitError(
            f"invalid covariance matrix: negative variance on the diagonal {np.diag(c).tolist()}"
        )
    min_eig = float(np.linalg.eigvalsh(c)[0])
    if min_eig < -RTOL * scale * c.shape[0]:
        raise TeachkitError(
            f"invalid covariance matrix: not positive semi-definite (smallest eigenvalue "
            f"{min_eig:.4g}); use teachkit.covariance.build_covariance(sds, R) with a valid R"
        )
    return (c + c.T) / 2


def cholesky_factor(cov: ArrayLike) -> NDArray[np.float64]:
    r"""A matrix L with ``L @ L.T == cov``.

    For a positive definite ``cov`` this is the lower-triangular Cholesky factor. A singular
    positive semi-definite ``cov`` (a zero variance, or a correlation of :math:`\pm 1`) has no
    Cholesky factor that LAPACK will compute, so the symmetric square root
    :math:`V \operatorname{diag}(\sqrt{w}) V^\top` of its eigendecomposition is returned instead;
    :math:`\mu + L z` is :math:`N(\mu, \mathrm{cov})` either way.

    Parameters
    ----------
    cov : array_like of shape (k, k)

    Returns
    -------
    ndarray of shape (k, k)

    Examples
    --------
    >>> cholesky_factor([[4.0, -1.6], [-1.6, 1.0]]).round(3)
    array([[ 2. ,  0. ],
           [-0.8,  0.6]])
    """
    c = validate_covariance(cov)
    try:
        return np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        w, v = np.linalg.eigh(c)
        return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def sample_mvn(
    mean: ArrayLike,
    cov: ArrayLike | None = None,
    *,
    chol: ArrayLike | None = None,
    size: Size = None,
    rng: RNGLike = None,
) -> NDArray[np.float64]:
    r"""Draw :math:`x = \mu + L z \sim N(\mu, \Sigma)` with :math:`z \sim N(0, I)`.

    Parameters
    ----------
    mean : array_like of shape (k,)
    cov : array_like of shape (k, k), optional
        The covariance :math:`\Sigma`; factored with :func:`cholesky_factor`.
    chol : array_like of shape (k, k), optional
        A factor :math:`L` with :math:`\Sigma = L L^\top`, used as given (give ``cov`` or
        ``chol``, not both).
    size : int, tuple of int or None
        Number (or shape) of draws; None for one draw.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    ndarray of shape ``(*size, k)``

    Raises
    ------
    TeachkitError
        If neither or both of ``cov`` and ``chol`` are given, the shapes do not match, or
        ``cov`` is not a covariance matrix.

    Examples
    --------
    >>> x = sample_mvn([0.0, 0.0], [[4.0, -1.6], [-1.6, 1.0]], size=50_000, rng=0)
    >>> x.shape, np.cov(x.T).round(1).tolist()
    ((50000, 2), [[4.0, -1.6], [-1.6, 1.0]])
    """
    mu = np.asarray(mean, dtype=float)
    if mu.ndim != 1 or mu.size == 0 or not np.all(np.isfinite(mu)):
        raise TeachkitError(f"mean must be a non-empty 1-D array of finite numbers, got {mean!r}")
    if (cov is None) == (chol is None):
        raise TeachkitError("give exactly one of cov (the covariance) or chol (its factor L)")
    if cov is not None:
        factor = cholesky_factor(validate_covariance(cov, dim=mu.size))
    else:
        factor = np.asarray(chol, dtype=float)
        if factor.shape != (mu.size, mu.size) or not np.all(np.isfinite(factor)):
            raise TeachkitError(
                f"chol must be a finite {mu.size}x{mu.size} matrix to match the mean, "
                f"got shape {factor.shape}"
            )
    z = as_generator(rng).standard_normal((*size_tuple(size), mu.size))
    return mu + z @ factor.T


def mvn_logpdf(x: ArrayLike, mean: ArrayLike, cov: ArrayLike) -> NDArray[np.float64] | float:
    r"""Log density of :math:`N(\mathrm{mean}, \mathrm{cov})` at ``x`` (array of shape (..., k)).

    A wrapper over :func:`scipy.stats.multivariate_normal` that checks ``cov`` with
    :func:`validate_covariance` first, so a user sees which property is violated.

    Every covariance that :func:`validate_covariance` accepts is accepted here, singular ones
    included, like :func:`sample_mvn` and :func:`ellipse` do. A singular covariance (a zero
    variance, or a correlation of :math:`\pm 1`) puts all the probability on the affine subspace
    :math:`\mathrm{mean} + \operatorname{range}(\mathrm{cov})`; the log density is then taken
    with respect to the Lebesgue measure on that subspace (the pseudo-determinant and
    pseudo-inverse of ``cov`` take the place of its determinant and inverse; Rao 1973, "Linear
    Statistical Inference and its Applications", 2nd ed., pp. 527-528; scipy's
    ``allow_singular=True``), and is :math:`-\infty` at points off it. An all-zero ``cov`` is the
    point mass at ``mean``: log density 0 there (counting measure), :math:`-\infty` elsewhere.
    Eigenvalues below scipy's cutoff (about :math:`2 \times 10^{-10}` times the largest) count
    as zero.

    Parameters
    ----------
    x : array_like of shape (..., k)
    mean : array_like of shape (k,)
    cov : array_like of shape (k, k)

    Returns
    -------
    float or ndarray of shape (...)

    Raises
    ------
    TeachkitError
        If ``cov`` fails :func:`validate_covariance`.

    Examples
    --------
    >>> round(float(mvn_logpdf([0.0, 0.0], [0.0, 0.0], np.eye(2))), 4)  # -log(2 pi)
    -1.8379

    With a correlation of 1 both coordinates are equal: (1, 1) is on the support, (1, 0) not.

    >>> mvn_logpdf([[1.0, 1.0], [1.0, 0.0]], [0.0, 0.0], [[1.0, 1.0], [1.0, 1.0]]).round(4)
    array([-1.7655,    -inf])
    """
    mu = np.asarray(mean, dtype=float)
    c = validate_covariance(cov, dim=mu.size)
    points = np.asarray(x, dtype=float)
    if not np.any(c):
        out = np.where(np.all(points == mu, axis=-1), 0.0, -np.inf)
        return float(out) if np.ndim(out) == 0 else out
    w, v = np.linalg.eigh(c)
    if w[0] < 0:
        # validate_covariance accepted these negative eigenvalues as rounding; set them to 0 so
        # that scipy, whose own cutoff is different, sees the same PSD matrix.
        c = (v * np.clip(w, 0.0, None)) @ v.T
        c = (c + c.T) / 2
    out = stats.multivariate_normal(mean=mu, cov=c, allow_singular=True).logpdf(points)
    return float(out) if np.ndim(out) == 0 else np.asarray(out)


def ellipse_radius(mass: float, dim: int = 2) -> float:
    r"""Mahalanobis radius of the central region holding probability ``mass``.

    :math:`(x - \mu)^\top \Sigma^{-1} (x - \mu) \sim \chi^2` with ``dim`` degrees of freedom, so
    the region of mass :math:`p` is the ellipsoid of radius ``sqrt(chi2.ppf(p, dim))``; for
    :math:`\mathrm{dim} = 2` that is :math:`\sqrt{-2 \log(1 - p)}`.

    Examples
    --------
    >>> round(ellipse_radius(0.5), 4)  # sqrt(2 log 2)
    1.1774
    """
    if not (0.0 < mass < 1.0):
        raise TeachkitError(f"mass must lie strictly between 0 and 1, got {mass}")
    return float(np.sqrt(stats.chi2.ppf(mass, dim)))


def ellipse(
    mean: ArrayLike, cov: ArrayLike, *, mass: float = 0.94, n_points: int = 200
) -> NDArray[np.float64]:
    r"""Boundary of the region of a 2-D normal that holds probability ``mass``.

    The points :math:`\mathrm{mean} + r L (\cos t, \sin t)^\top` for :math:`t \in [0, 2\pi]`, with
    :math:`r` = :func:`ellipse_radius` and :math:`L` a factor of ``cov`` (the unit circle of
    :math:`z` mapped by :math:`x = \mu + L z`).

    Parameters
    ----------
    mean : array_like of shape (2,)
    cov : array_like of shape (2, 2)
    mass : float
        Probability inside the ellipse, in (0, 1).
    n_points : int
        Number of points; the first and the last coincide so the curve closes.

    Returns
    -------
    ndarray of shape (n_points, 2)

    Examples
    --------
    >>> pts = ellipse([0.0, 0.0], np.eye(2), mass=0.5, n_points=5)
    >>> np.linalg.norm(pts, axis=1).round(4).tolist()
    [1.1774, 1.1774, 1.1774, 1.1774, 1.1774]
    """
    mu = np.asarray(mean, dtype=float)
    if mu.shape != (2,):
        raise TeachkitError(f"ellipse needs a 2-D normal: mean must have 2 entries, got {mu.shape}")
    if n_points < 3:
        raise TeachkitError(f"n_points must be >= 3, got {n_points}")
    factor = cholesky_factor(validate_covariance(cov, dim=2))
    t = np.linspace(0.0, 2.0 * np.pi, n_points)
    circle = np.column_stack([np.cos(t), np.sin(t)])
    return mu + ellipse_radius(mass) * circle @ factor.T
