"""The computations behind the live demos (``teachkit demo lkj``, ``teachkit demo mvn``).

The CLI only parses options, calls these, prints and saves; a notebook can call them directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from teachkit._random import RNGLike, as_generator
from teachkit.checks import MAX_DEMO_DRAWS, MAX_DIM, check_count
from teachkit.covariance import build_covariance
from teachkit.errors import TeachkitError
from teachkit.lkj import lkj_marginal, sample_lkj
from teachkit.mvn import sample_mvn

__all__ = [
    "COVARIANCE_PRIORS",
    "LKJDemo",
    "LKJRow",
    "MVNDemo",
    "covariance_prior_draws",
    "lkj_demo",
    "mvn_demo",
]

#: The two priors on a 2 x 2 covariance matrix the Wishart slide compares.
COVARIANCE_PRIORS = ("inverse-wishart", "lkj")

#: The demo's threshold for a "strong" correlation, P(|rho| > STRONG).
STRONG = 0.5


@dataclass(frozen=True)
class LKJRow:
    """One line of the LKJ demo's table: exact and sampled spread of one correlation."""

    eta: float
    sd_exact: float
    sd_sampled: float
    p_strong_exact: float
    p_strong_sampled: float


@dataclass(frozen=True)
class LKJDemo:
    """Result of :func:`lkj_demo`.

    Attributes
    ----------
    dim : int
    draws : int
    rho : dict of float to ndarray of shape (draws * dim * (dim - 1) / 2,)
        For each eta, every off-diagonal entry of every sampled matrix (they share one marginal).
    rows : tuple of LKJRow
    """

    dim: int
    draws: int
    rho: dict[float, NDArray[np.float64]]
    rows: tuple[LKJRow, ...]


def lkj_demo(
    etas: Sequence[float], *, dim: int = 2, draws: int = 20_000, rng: RNGLike = None
) -> LKJDemo:
    """Sample LKJ(eta) matrices for each eta and compare one correlation with its exact marginal.

    Parameters
    ----------
    etas : sequence of float
        Concentrations, each > 0, no repeats.
    dim : int
        Matrix size, >= 2.
    draws : int
        Matrices per eta, >= 1.
    rng : numpy.random.Generator, int or None
        One generator serves every eta in turn, so a seed fixes the whole demo.

    Examples
    --------
    >>> demo = lkj_demo([1.0, 4.0], draws=1000, rng=0)
    >>> [round(r.sd_exact, 3) for r in demo.rows]
    [0.577, 0.333]
    """
    if len(etas) == 0 or len(set(etas)) != len(etas):
        raise TeachkitError(f"etas must be a non-empty list without repeats, got {list(etas)}")
    check_count(draws, "draws", 1, MAX_DEMO_DRAWS)
    check_count(dim, "dim", 2, MAX_DIM)
    gen = as_generator(rng)
    rho: dict[float, NDArray[np.float64]] = {}
    rows = []
    for eta in etas:
        corr = sample_lkj(dim, eta, size=draws, rng=gen)
        iu = np.triu_indices(dim, k=1)
        r = corr[:, iu[0], iu[1]].ravel()
        exact = lkj_marginal(eta, dim)
        rho[float(eta)] = r
        rows.append(
            LKJRow(
                eta=float(eta),
                sd_exact=float(exact.std()),
                sd_sampled=float(r.std(ddof=1)) if r.size > 1 else float("nan"),
                p_strong_exact=float(2.0 * exact.sf(STRONG)),
                p_strong_sampled=float(np.mean(np.abs(r) > STRONG)),
            )
        )
    return LKJDemo(dim=int(dim), draws=int(draws), rho=rho, rows=tuple(rows))


@dataclass(frozen=True)
class MVNDemo:
    """Result of :func:`mvn_demo`.

    Attributes
    ----------
    mean : ndarray of shape (2,)
    cov : ndarray of shape (2, 2)
        Covariance of the correlated normal.
    cov_independent : ndarray of shape (2, 2)
        Same variances, zero covariance.
    joint, independent : ndarray of shape (draws, 2)
        Draws from each.
    """

    mean: NDArray[np.float64]
    cov: NDArray[np.float64]
    cov_independent: NDArray[np.float64]
    joint: NDArray[np.float64]
    independent: NDArray[np.float64]


def mvn_demo(
    sds: ArrayLike,
    rho: float,
    *,
    mean: ArrayLike = (0.0, 0.0),
    draws: int = 2000,
    rng: RNGLike = None,
) -> MVNDemo:
    """Draw from a bivariate normal and from two independent normals with the same marginals.

    Parameters
    ----------
    sds : array_like of shape (2,)
        Standard deviations, > 0.
    rho : float
        Correlation in [-1, 1].
    mean : array_like of shape (2,)
    draws : int
        Draws from each distribution, >= 1.
    rng : numpy.random.Generator, int or None

    Examples
    --------
    >>> demo = mvn_demo([2.0, 1.0], -0.8, draws=10, rng=0)
    >>> demo.cov.tolist(), demo.cov_independent.tolist()
    ([[4.0, -1.6], [-1.6, 1.0]], [[4.0, 0.0], [0.0, 1.0]])
    """
    s = np.asarray(sds, dtype=float)
    if s.shape != (2,) or np.any(~np.isfinite(s)) or np.any(s <= 0):
        raise TeachkitError(f"sds must be two numbers > 0, got {np.asarray(sds).tolist()}")
    if not (np.isfinite(rho) and -1.0 <= rho <= 1.0):
        raise TeachkitError(f"rho must be a number in [-1, 1], got {rho}")
    check_count(draws, "draws", 1, MAX_DEMO_DRAWS)
    mu = np.asarray(mean, dtype=float)
    cov = build_covariance(s, [[1.0, rho], [rho, 1.0]])
    cov_ind = np.diag(np.diag(cov))
    gen = as_generator(rng)
    joint = sample_mvn(mu, cov, size=draws, rng=gen)
    independent = sample_mvn(mu, cov_ind, size=draws, rng=gen)
    return MVNDemo(mean=mu, cov=cov, cov_independent=cov_ind, joint=joint, independent=independent)


def covariance_prior_draws(
    prior: str, *, draws: int = 2000, eta: float = 2.0, rng: RNGLike = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""Draws of :math:`(\sigma_1, \rho)` from a prior on a 2 x 2 covariance matrix.

    ``"inverse-wishart"``: :math:`\Sigma \sim \mathrm{InvWishart}(\nu = 3, I)`, the choice
    that makes :math:`\rho` uniform on (-1, 1); its :math:`\sigma_1` and :math:`|\rho|` are
    dependent (Alvarez, Niemi and Simpson 2014, "Bayesian inference for a covariance matrix").
    ``"lkj"``: :math:`R \sim \mathrm{LKJ}(\eta)` and independent
    :math:`\sigma_k \sim \mathrm{HalfCauchy}(1)`, so :math:`\sigma_1` and :math:`\rho` are
    independent by construction.

    Parameters
    ----------
    prior : {"inverse-wishart", "lkj"}
    draws : int
    eta : float
        The LKJ shape (ignored by the inverse Wishart).
    rng : numpy.random.Generator, int or None

    Returns
    -------
    sigma_1, rho : ndarray of shape (draws,)

    Examples
    --------
    >>> sd, rho = covariance_prior_draws("lkj", draws=5, rng=0)
    >>> sd.shape, bool((abs(rho) < 1).all())
    ((5,), True)
    """
    from scipy import stats

    if prior not in COVARIANCE_PRIORS:
        raise TeachkitError(
            f"unknown prior {prior!r}; choose one of: {', '.join(COVARIANCE_PRIORS)}"
        )
    check_count(draws, "draws", 1, MAX_DEMO_DRAWS)
    gen = as_generator(rng)
    if prior == "inverse-wishart":
        cov = stats.invwishart(df=3, scale=np.eye(2)).rvs(size=draws, random_state=gen)
        cov = np.asarray(cov).reshape(draws, 2, 2)
        sigma_1 = np.sqrt(cov[:, 0, 0])
        return sigma_1, cov[:, 0, 1] / (sigma_1 * np.sqrt(cov[:, 1, 1]))
    rho = sample_lkj(2, eta, size=draws, rng=gen).reshape(draws, 2, 2)[:, 0, 1]
    sigma_1 = np.abs(stats.cauchy.rvs(size=draws, random_state=gen))
    return sigma_1, rho
