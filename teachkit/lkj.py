r"""The LKJ distribution over correlation matrices.

:math:`\mathrm{LKJ}(\eta)` (Lewandowski, Kurowicka and Joe 2009, "Generating random correlation
matrices based on vines and extended onion method", J. Multivariate Anal. 100) has density
proportional to :math:`\det(R)^{\eta - 1}` on the :math:`k \times k` correlation matrices:
:math:`\eta = 1` is uniform over them, :math:`\eta > 1` pulls towards the identity (weak
correlations), :math:`\eta < 1` pushes towards strong ones. It is the prior of the lecture's
covarying model, :math:`R \sim \mathrm{LKJ}(\eta = 2)`.

This module samples it (onion method), evaluates its normalised log density, and gives the
marginal distribution of one off-diagonal entry, which is what a student should picture when
choosing :math:`\eta`. Only numpy and scipy are needed.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from teachkit._random import RNGLike, Size, as_generator, size_tuple
from teachkit.covariance import ATOL
from teachkit.errors import TeachkitError

__all__ = [
    "lkj_log_normalizer",
    "lkj_logpdf",
    "lkj_marginal",
    "lkj_marginal_pdf",
    "sample_lkj",
    "sample_lkj_cholesky",
]


def sample_lkj_cholesky(
    dim: int, eta: float, size: Size = None, rng: RNGLike = None
) -> NDArray[np.float64]:
    r"""Sample Cholesky factors :math:`L` of :math:`\mathrm{LKJ}(\eta)` correlation matrices.

    Onion method in its Cholesky form (Lewandowski, Kurowicka and Joe 2009, sec. 3.2; the
    construction of NumPyro's ``LKJCholesky`` with its default ``sample_method="onion"``): row 0
    of :math:`L` is :math:`(1, 0, \ldots, 0)`; for row :math:`i = 1, \ldots, \mathrm{dim} - 1`
    draw

    .. math::

        y \sim \mathrm{Beta}\left(\frac{i}{2}, \eta + \frac{\mathrm{dim} - 1 - i}{2}\right),
        \qquad u \text{ uniform on the unit sphere in } \mathbb{R}^i,

    and set :math:`(L_{i,0}, \ldots, L_{i,i-1}) = \sqrt{y}\, u` and
    :math:`L_{ii} = \sqrt{1 - y}`. Every row has unit length, so :math:`L L^\top` has a unit
    diagonal. Stan's ``lkj_corr_cholesky_rng`` samples the same distribution by a different
    construction: it draws canonical partial correlations from Beta distributions and maps them
    to :math:`L` (the C-vine method of the same paper, sec. 2).

    Parameters
    ----------
    dim : int
        Number of variables, >= 2.
    eta : float
        Concentration, > 0.
    size : int, tuple of int or None
        Number (or shape) of draws; None for a single draw.
    rng : numpy.random.Generator, int or None
        Source of randomness; an int is a seed.

    Returns
    -------
    ndarray of shape ``(*size, dim, dim)``
        Lower-triangular factors with positive diagonal.

    Examples
    --------
    >>> L = sample_lkj_cholesky(3, eta=2.0, size=5, rng=0)
    >>> L.shape, bool(np.allclose(np.diag(L[0] @ L[0].T), 1.0))
    ((5, 3, 3), True)
    """
    dim, eta = _check_dim_eta(dim, eta)
    shape = size_tuple(size)
    gen = as_generator(rng)
    chol = np.zeros((*shape, dim, dim))
    chol[..., 0, 0] = 1.0
    for i in range(1, dim):
        y = gen.beta(i / 2.0, eta + (dim - 1 - i) / 2.0, size=shape)
        z = gen.standard_normal((*shape, i))
        u = z / np.linalg.norm(z, axis=-1, keepdims=True)
        chol[..., i, :i] = np.sqrt(y)[..., None] * u
        chol[..., i, i] = np.sqrt(1.0 - y)
    return chol


def sample_lkj(dim: int, eta: float, size: Size = None, rng: RNGLike = None) -> NDArray[np.float64]:
    r"""Sample correlation matrices from :math:`\mathrm{LKJ}(\eta)`.

    Computed as ``L @ L.T`` from :func:`sample_lkj_cholesky`, with the diagonal set to exactly 1
    (it is 1 up to rounding by construction).

    Parameters
    ----------
    dim : int
        Number of variables, >= 2.
    eta : float
        Concentration, > 0.
    size : int, tuple of int or None
        Number (or shape) of draws; None for a single draw.
    rng : numpy.random.Generator, int or None
        Source of randomness; an int is a seed.

    Returns
    -------
    ndarray of shape ``(*size, dim, dim)``

    Examples
    --------
    >>> R = sample_lkj(2, eta=1.0, size=20_000, rng=1)
    >>> R.shape
    (20000, 2, 2)
    >>> round(float(R[:, 0, 1].std()), 2)  # uniform on [-1, 1]: sd 1/sqrt(3) = 0.58
    0.58
    """
    chol = sample_lkj_cholesky(dim, eta, size=size, rng=rng)
    corr = chol @ np.swapaxes(chol, -1, -2)
    idx = np.arange(corr.shape[-1])
    corr[..., idx, idx] = 1.0
    return corr


def lkj_log_normalizer(dim: int, eta: float) -> float:
    r"""Log of the integral of :math:`\det(R)^{\eta - 1}` over the correlation matrices of size dim.

    Lewandowski, Kurowicka and Joe (2009), theorem 5 / eq. (16): with
    :math:`b_k = \eta + (\mathrm{dim} - 1 - k)/2`,

    .. math::

        \log c = \sum_{k=1}^{\mathrm{dim}-1} \Big[ (2\eta - 2 + \mathrm{dim} - k)
            (\mathrm{dim} - k) \log 2 + (\mathrm{dim} - k) \log B(b_k, b_k) \Big].

    For :math:`\mathrm{dim} = 2` this is the log of
    :math:`\int_{-1}^{1} (1 - r^2)^{\eta - 1} \, dr`, which equals
    :math:`\log\left(2^{2\eta - 1} B(\eta, \eta)\right)`.

    Examples
    --------
    >>> round(float(np.exp(lkj_log_normalizer(2, 1.0))), 12)  # uniform on [-1, 1]
    2.0
    """
    dim, eta = _check_dim_eta(dim, eta)
    k = np.arange(1, dim)
    m = dim - k
    b = eta + (m - 1) / 2.0
    return float(np.sum((2.0 * eta - 2.0 + m) * m * np.log(2.0) + m * special.betaln(b, b)))


def lkj_logpdf(corr: ArrayLike, eta: float) -> NDArray[np.float64] | float:
    r"""Normalised log density of :math:`\mathrm{LKJ}(\eta)` at one or many correlation matrices.

    :math:`\log p(R) = (\eta - 1) \log \det R - \log c`, with :math:`\log c` from
    :func:`lkj_log_normalizer`, with respect to Lebesgue measure on the
    :math:`\mathrm{dim} (\mathrm{dim} - 1) / 2` entries above the diagonal (the convention of
    PyMC's ``LKJCorr``).

    Parameters
    ----------
    corr : array_like of shape (..., dim, dim)
        Matrices must be square and at least :math:`2 \times 2`; any that is not a positive definite
        correlation matrix (non-symmetric, diagonal not 1, an entry outside [-1, 1], or not
        positive definite) is outside the support and gets -inf. Symmetry, the diagonal and the
        range of every entry, on or off the diagonal, are checked up to
        :data:`teachkit.covariance.ATOL` (1e-8), the tolerance of
        :func:`~teachkit.covariance.validate_correlation`, so ``L @ L.T`` of a Cholesky factor
        (a diagonal of :math:`1 + 4 \times 10^{-16}`) is in the support.
    eta : float
        Concentration, > 0.

    Returns
    -------
    float or ndarray of shape (...)

    Examples
    --------
    >>> round(float(lkj_logpdf(np.eye(3), eta=2.0)), 4)
    -0.6155
    """
    r = np.asarray(corr, dtype=float)
    if r.ndim < 2 or r.shape[-1] != r.shape[-2]:
        raise TeachkitError(f"corr must have shape (..., dim, dim), got {r.shape}")
    dim, eta = _check_dim_eta(r.shape[-1], eta)
    log_norm = lkj_log_normalizer(dim, eta)
    finite = np.all(np.isfinite(r), axis=(-2, -1))
    safe = np.where(finite[..., None, None], r, np.eye(dim))
    idx = np.arange(dim)
    in_support = (
        finite
        & np.all(np.abs(safe - np.swapaxes(safe, -1, -2)) <= ATOL, axis=(-2, -1))
        & np.all(np.abs(safe[..., idx, idx] - 1.0) <= ATOL, axis=-1)
        & np.all(np.abs(safe) <= 1.0 + ATOL, axis=(-2, -1))
    )
    in_support &= np.linalg.eigvalsh(safe)[..., 0] > 0
    _, logdet = np.linalg.slogdet(np.where(in_support[..., None, None], safe, np.eye(dim)))
    out = np.where(in_support, (eta - 1.0) * logdet - log_norm, -np.inf)
    return float(out) if out.ndim == 0 else out


def lkj_marginal(eta: float, dim: int) -> stats.rv_continuous:
    r"""Marginal distribution of one off-diagonal entry of an :math:`\mathrm{LKJ}(\eta)` matrix.

    Each off-diagonal entry :math:`r` satisfies :math:`(r + 1) / 2 \sim \mathrm{Beta}(b, b)` with
    :math:`b = \eta - 1 + \mathrm{dim} / 2` (Lewandowski, Kurowicka and Joe 2009, sec. 3.2), so it
    has mean 0 and variance :math:`1 / (2b + 1)`. For :math:`\mathrm{dim} = 2` the density is
    proportional to :math:`(1 - r^2)^{\eta - 1}`.

    Returns
    -------
    scipy.stats frozen distribution
        ``scipy.stats.beta(b, b, loc=-1, scale=2)``: use ``.pdf``, ``.cdf``, ``.std``, ``.sf``.

    Examples
    --------
    >>> round(float(lkj_marginal(eta=2.0, dim=2).std()), 4)  # 1 / sqrt(5)
    0.4472
    """
    dim, eta = _check_dim_eta(dim, eta)
    b = eta - 1.0 + dim / 2.0
    return stats.beta(b, b, loc=-1.0, scale=2.0)


def lkj_marginal_pdf(r: ArrayLike, eta: float, dim: int) -> NDArray[np.float64]:
    r"""Density of one off-diagonal entry of :math:`\mathrm{LKJ}(\eta)`; see :func:`lkj_marginal`.

    Examples
    --------
    >>> float(lkj_marginal_pdf(0.0, eta=1.0, dim=2))  # uniform on [-1, 1]
    0.5
    """
    return lkj_marginal(eta, dim).pdf(np.asarray(r, dtype=float))


def _check_dim_eta(dim: object, eta: object) -> tuple[int, float]:
    """Validate ``dim`` (integer >= 2) and ``eta`` (finite > 0)."""
    if (
        isinstance(dim, bool)
        or not isinstance(dim, numbers.Real)
        or not np.isfinite(dim)
        or dim != int(dim)
        or dim < 2
    ):
        raise TeachkitError(f"dim must be an integer >= 2, got {dim!r}")
    if (
        isinstance(eta, bool)
        or not isinstance(eta, numbers.Real)
        or not np.isfinite(eta)
        or eta <= 0
    ):
        raise TeachkitError(f"eta must be a finite number > 0, got {eta!r}")
    return int(dim), float(eta)
