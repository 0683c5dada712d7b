r"""Gaussian-process kernels over distances: great-circle distances, covariance matrices, kriging.

The spatial lecture lets station effects co-vary with the distance between stations. This module
holds its maths, with numpy and scipy only:

* :func:`great_circle_km` and :func:`great_circle_between`: distances in km between points given
  by latitude and longitude, by the haversine formula on a sphere of radius
  :data:`EARTH_RADIUS_KM`.
* Kernels as functions of the distance :math:`d` (:data:`KERNELS`): :func:`exp_quad`,
  :func:`exponential` and :func:`matern32`, each with an amplitude :math:`\sigma` (the sd of the
  process) and a length-scale :math:`\ell` (in the units of :math:`d`), and the matrices they
  make, :func:`kernel_matrix` and :func:`correlation_matrix`.
* :func:`gp_conditional`: the process at new points given values at observed ones (kriging);
  :func:`gp_conditional_var` its means and variances only, for the many points of a map.
* :func:`draw_gp`: draws of the process at given points.

The kernels are written as functions of a distance matrix, not of coordinates, because the
stations' distances are great-circle distances. Libraries that take coordinates compute
Euclidean distances themselves, and their parameters are not always this module's. For PyMC 5's
``pm.gp.cov`` kernels, evaluated on coordinates whose Euclidean distances are ``d``:

* ``exp_quad(d, sigma, ell)`` is ``sigma**2 * pm.gp.cov.ExpQuad(D, ls=ell)``;
* ``matern32(d, sigma, ell)`` is ``sigma**2 * pm.gp.cov.Matern32(D, ls=ell)``;
* ``exponential(d, sigma, ell)`` is ``sigma**2 * pm.gp.cov.Exponential(D, ls=ell / 2)``: PyMC's
  exponential kernel is :math:`\exp(-r / (2\,\ell_{\mathrm{PyMC}}))`, with a 2 that the
  usual form :math:`\exp(-r/\ell)` (Rasmussen and Williams 2006, sec. 4.2.1) does not have.

PyMC also computes :math:`r` as :math:`\sqrt{r^2 + 10^{-12}}` (in length-scale units), so its
exponential kernel's diagonal is :math:`\exp(-5 \times 10^{-7})`, not 1. Passing a distance
matrix to a ``pm.gp.cov`` kernel as if it were coordinates gives a different matrix again: the
kernel of the rows of distances (``tests/test_kernels.py`` shows both).

References: C. E. Rasmussen and C. K. I. Williams (2006), *Gaussian Processes for Machine
Learning*, MIT Press (R&W below); R. McElreath (2020), *Statistical Rethinking*, 2nd ed.,
sec. 14.5.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import linalg

from teachkit._random import RNGLike, Size, as_generator, size_tuple
from teachkit.checks import check_choice, check_finite
from teachkit.errors import TeachkitError

__all__ = [
    "EARTH_RADIUS_KM",
    "JITTER",
    "KERNELS",
    "Family",
    "Kernel",
    "correlation_matrix",
    "draw_gp",
    "ell_from_rho_sq",
    "exp_quad",
    "exponential",
    "gp_conditional",
    "gp_conditional_var",
    "great_circle_between",
    "great_circle_km",
    "kernel_matrix",
    "matern32",
    "rho_sq_from_ell",
]

#: Mean Earth radius in km, :math:`R_1 = (2a + b)/3` of the GRS 80 ellipsoid (IUGG; H. Moritz
#: 2000, "Geodetic Reference System 1980", J. Geodesy 74:128-133). The sphere's distances differ
#: from the ellipsoid's by at most about 0.5%.
EARTH_RADIUS_KM = 6371.0088

#: Relative jitter of :func:`draw_gp`: it factors :math:`K + jI` with :math:`j` = JITTER times
#: the mean of the diagonal of :math:`K`. Rounding leaves the computed eigenvalues of a
#: smooth-kernel matrix as low as about :math:`-n \epsilon \max|K|` (:math:`\epsilon \approx
#: 2.2 \times 10^{-16}`, so about :math:`10^{-13} \max|K|` for a few hundred points), which
#: stops an exact Cholesky factorisation; :math:`10^{-10}` covers that with a margin of 1000
#: and adds independent noise with an sd of :math:`10^{-5}\sigma`, invisible in any figure.
JITTER = 1e-10

#: Relative tolerance for the symmetry of the matrices given to :func:`kernel_matrix`,
#: :func:`gp_conditional` and :func:`draw_gp` (a few ulps of rounding pass, a typo does not).
_SYMMETRY_RTOL = 1e-10

Family = Literal["exp_quad", "exponential", "matern32"]
Kernel = Callable[[ArrayLike, float, float], NDArray[np.float64]]


# ---------------------------------------------------------------------------------------------
# Great-circle distances
# ---------------------------------------------------------------------------------------------


def great_circle_between(
    lat1: ArrayLike,
    lon1: ArrayLike,
    lat2: ArrayLike,
    lon2: ArrayLike,
    *,
    radius_km: float = EARTH_RADIUS_KM,
) -> NDArray[np.float64]:
    r"""Great-circle distances in km from each of n points to each of m points.

    The haversine formula (R. W. Sinnott 1984, "Virtues of the haversine", Sky and Telescope
    68(2):159), well conditioned for the short distances between stations:

    .. math::

        d_{ij} = 2R \arcsin \sqrt{\sin^2\frac{\varphi_j - \varphi_i}{2}
            + \cos\varphi_i \cos\varphi_j \sin^2\frac{\lambda_j - \lambda_i}{2}}

    with latitudes :math:`\varphi`, longitudes :math:`\lambda` (radians) and radius :math:`R`.

    Parameters
    ----------
    lat1, lon1 : array_like of shape (n,)
        Degrees; latitudes in [-90, 90], longitudes in [-180, 180].
    lat2, lon2 : array_like of shape (m,)
        Degrees, likewise.
    radius_km : float, default :data:`EARTH_RADIUS_KM`
        Radius of the sphere.

    Returns
    -------
    ndarray of shape (n, m)

    Raises
    ------
    TeachkitError
        For mismatched lengths, non-finite degrees or degrees out of range.

    Examples
    --------
    One degree of latitude along a meridian is :math:`\pi R / 180`:

    >>> great_circle_between([0.0], [10.0], [1.0, -1.0], [10.0, 10.0]).round(3)
    array([[111.195, 111.195]])
    """
    phi1, lam1 = _coordinates(lat1, lon1, "lat1", "lon1")
    phi2, lam2 = _coordinates(lat2, lon2, "lat2", "lon2")
    return _haversine(phi1, lam1, phi2, lam2, radius_km)


def great_circle_km(
    lat: ArrayLike, lon: ArrayLike, *, radius_km: float = EARTH_RADIUS_KM
) -> NDArray[np.float64]:
    r"""Great-circle distances in km between every pair of n points (the haversine formula).

    The same as ``great_circle_between(lat, lon, lat, lon)``: symmetric, zero on the diagonal.

    Parameters
    ----------
    lat, lon : array_like of shape (n,)
        Degrees; latitudes in [-90, 90], longitudes in [-180, 180].
    radius_km : float, default :data:`EARTH_RADIUS_KM`

    Returns
    -------
    ndarray of shape (n, n)

    Examples
    --------
    From the equator to the North Pole is a quarter of a great circle, :math:`\pi R / 2`:

    >>> great_circle_km([0.0, 90.0], [0.0, 0.0]).round(1)
    array([[    0. , 10007.6],
           [10007.6,     0. ]])
    """
    phi, lam = _coordinates(lat, lon, "lat", "lon")
    return _haversine(phi, lam, phi, lam, radius_km)


def _haversine(
    phi1: NDArray[np.float64],
    lam1: NDArray[np.float64],
    phi2: NDArray[np.float64],
    lam2: NDArray[np.float64],
    radius_km: float,
) -> NDArray[np.float64]:
    """Haversine distances, shape (n, m), between n and m points given in radians."""
    radius = check_finite(radius_km, "radius_km", low=0.0, low_open=True)
    half_dphi = (phi2[None, :] - phi1[:, None]) / 2
    half_dlam = (lam2[None, :] - lam1[:, None]) / 2
    h = (
        np.sin(half_dphi) ** 2
        + np.cos(phi1)[:, None] * np.cos(phi2)[None, :] * np.sin(half_dlam) ** 2
    )
    return 2.0 * radius * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _coordinates(
    lat: ArrayLike, lon: ArrayLike, lat_name: str, lon_name: str
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Latitudes and longitudes as 1-d arrays in radians, checked."""
    phi = np.atleast_1d(np.asarray(lat, dtype=float))
    lam = np.atleast_1d(np.asarray(lon, dtype=float))
    if phi.ndim != 1 or phi.shape != lam.shape:
        raise TeachkitError(
            f"{lat_name} and {lon_name} must be 1-d arrays of the same length, got shapes "
            f"{phi.shape} and {lam.shape}"
        )
    for name, values, bound in ((lat_name, phi, 90.0), (lon_name, lam, 180.0)):
        if not (np.all(np.isfinite(values)) and np.all(np.abs(values) <= bound)):
            raise TeachkitError(f"{name} must hold finite degrees in [-{bound:g}, {bound:g}]")
    return np.radians(phi), np.radians(lam)


# ---------------------------------------------------------------------------------------------
# Kernels of a distance
# ---------------------------------------------------------------------------------------------


def exp_quad(d: ArrayLike, sigma: float, ell: float) -> NDArray[np.float64]:
    r"""The squared-exponential (exponentiated quadratic) kernel of a distance.

    .. math::

        k(d) = \sigma^2 \exp\left(-\frac{d^2}{2\ell^2}\right)

    (R&W 2006, eq. 4.9). Infinitely smooth draws; correlation 0.61 at :math:`d = \ell`.
    Statistical Rethinking (McElreath 2020, sec. 14.5.1) writes the same kernel as
    :math:`\eta^2 \exp(-\rho^2 d^2)`: :math:`\eta = \sigma` and
    :math:`\rho^2 = 1/(2\ell^2)` (:func:`rho_sq_from_ell`, :func:`ell_from_rho_sq`).

    Parameters
    ----------
    d : array_like of any shape
        Distances, finite and >= 0.
    sigma : float
        Amplitude (sd of the process), >= 0.
    ell : float
        Length-scale, > 0, in the units of ``d``.

    Returns
    -------
    ndarray of the shape of ``d``

    Examples
    --------
    >>> exp_quad([0.0, 10.0, 20.0], sigma=2.0, ell=10.0).round(4)
    array([4.    , 2.4261, 0.5413])
    """
    r = _distances(d) / _length_scale(ell)
    return _amplitude(sigma) ** 2 * np.exp(-0.5 * r**2)


def exponential(d: ArrayLike, sigma: float, ell: float) -> NDArray[np.float64]:
    r"""The exponential (Ornstein-Uhlenbeck) kernel of a distance.

    .. math::

        k(d) = \sigma^2 \exp\left(-\frac{d}{\ell}\right)

    (R&W 2006, sec. 4.2.1: the Matérn kernel with :math:`\nu = 1/2`). Continuous but rough
    draws; correlation :math:`e^{-1} = 0.37` at :math:`d = \ell`. PyMC's
    ``pm.gp.cov.Exponential(ls=ell_pymc)`` is :math:`\exp(-d/(2\ell_{\mathrm{PyMC}}))`, so
    ``ell_pymc = ell / 2``.

    Parameters
    ----------
    d : array_like of any shape
        Distances, finite and >= 0.
    sigma : float
        Amplitude, >= 0.
    ell : float
        Length-scale, > 0, in the units of ``d``.

    Returns
    -------
    ndarray of the shape of ``d``

    Examples
    --------
    >>> exponential([0.0, 10.0, 20.0], sigma=2.0, ell=10.0).round(4)
    array([4.    , 1.4715, 0.5413])
    """
    r = _distances(d) / _length_scale(ell)
    return _amplitude(sigma) ** 2 * np.exp(-r)


def matern32(d: ArrayLike, sigma: float, ell: float) -> NDArray[np.float64]:
    r"""The Matérn kernel with :math:`\nu = 3/2` of a distance.

    .. math::

        k(d) = \sigma^2 \left(1 + \frac{\sqrt{3}\,d}{\ell}\right)
               \exp\left(-\frac{\sqrt{3}\,d}{\ell}\right)

    (R&W 2006, eq. 4.17). Draws once differentiable: between the exponential and the squared
    exponential kernels.

    Parameters
    ----------
    d : array_like of any shape
        Distances, finite and >= 0.
    sigma : float
        Amplitude, >= 0.
    ell : float
        Length-scale, > 0, in the units of ``d``.

    Returns
    -------
    ndarray of the shape of ``d``

    Examples
    --------
    >>> matern32([0.0, 10.0, 20.0], sigma=2.0, ell=10.0).round(4)
    array([4.    , 1.9334, 0.5589])
    """
    r = np.sqrt(3.0) * _distances(d) / _length_scale(ell)
    return _amplitude(sigma) ** 2 * (1.0 + r) * np.exp(-r)


#: The kernels by name, each ``kernel(d, sigma, ell)``.
KERNELS: Mapping[str, Kernel] = MappingProxyType(
    {"exp_quad": exp_quad, "exponential": exponential, "matern32": matern32}
)


def rho_sq_from_ell(ell: float) -> float:
    r"""Statistical Rethinking's :math:`\rho^2 = 1/(2\ell^2)` for a length-scale :math:`\ell`.

    With it, :math:`\eta^2 \exp(-\rho^2 d^2)` (McElreath 2020, sec. 14.5.1) equals
    ``exp_quad(d, eta, ell)``.

    Examples
    --------
    >>> rho_sq_from_ell(10.0)
    0.005
    """
    return 1.0 / (2.0 * _length_scale(ell) ** 2)


def ell_from_rho_sq(rho_sq: float) -> float:
    r"""The length-scale :math:`\ell = 1/\sqrt{2\rho^2}` for the book's :math:`\rho^2`.

    Examples
    --------
    >>> ell_from_rho_sq(0.005)
    10.0
    """
    value = check_finite(rho_sq, "rho_sq", low=0.0, low_open=True)
    return float(1.0 / np.sqrt(2.0 * value))


def kernel_matrix(
    d: ArrayLike, family: Family, sigma: float, ell: float, nugget: float = 0.0
) -> NDArray[np.float64]:
    r"""The covariance matrix of a process at n points: the kernel of their distances plus a nugget.

    .. math::

        K_{ij} = k(d_{ij}) + \delta_{ij}\,\tau

    with :math:`\tau` the nugget: independent variance at each point (measurement error, or
    small-scale variation), as in McElreath (2020, sec. 14.5.1)'s
    :math:`\delta_{ij}\sigma^2` term.

    Parameters
    ----------
    d : array_like of shape (n, n)
        Distances between the points: symmetric, zero diagonal, finite and >= 0.
    family : {"exp_quad", "exponential", "matern32"}
        The kernel (:data:`KERNELS`).
    sigma : float
        Amplitude, >= 0.
    ell : float
        Length-scale, > 0, in the units of ``d``.
    nugget : float, default 0.0
        Variance added on the diagonal, >= 0.

    Returns
    -------
    ndarray of shape (n, n)

    Examples
    --------
    >>> d = great_circle_km([39.929, 39.937], [116.417, 116.461])
    >>> kernel_matrix(d, "exp_quad", sigma=1.0, ell=10.0, nugget=0.1).round(3)
    array([[1.1  , 0.928],
           [0.928, 1.1  ]])
    """
    kernel = KERNELS[check_choice("kernel", family, KERNELS)]
    dist = _distance_matrix(d)
    tau = check_finite(nugget, "nugget", low=0.0)
    k = kernel(dist, sigma, ell)
    k[np.diag_indices_from(k)] += tau
    return k


def correlation_matrix(
    d: ArrayLike, family: Family, ell: float, nugget: float = 0.0
) -> NDArray[np.float64]:
    r"""The correlation matrix of a process at n points: unit diagonal.

    .. math::

        R_{ij} = \frac{\rho(d_{ij}) + \delta_{ij}\,\tau}{1 + \tau}

    with :math:`\rho(d) = k(d)/\sigma^2` the kernel's correlation function and :math:`\tau`
    the nugget as a share of :math:`\sigma^2`: the correlation matrix of
    ``kernel_matrix(d, family, sigma, ell, nugget=tau * sigma**2)`` for every :math:`\sigma > 0`.
    A nugget lowers every correlation between distinct points by the factor :math:`1/(1+\tau)`.

    Parameters
    ----------
    d : array_like of shape (n, n)
        Distances between the points: symmetric, zero diagonal, finite and >= 0.
    family : {"exp_quad", "exponential", "matern32"}
    ell : float
        Length-scale, > 0.
    nugget : float, default 0.0
        Independent variance relative to the process's, >= 0.

    Returns
    -------
    ndarray of shape (n, n)

    Examples
    --------
    >>> d = [[0.0, 10.0], [10.0, 0.0]]
    >>> correlation_matrix(d, "exponential", ell=10.0, nugget=1.0).round(4)
    array([[1.    , 0.1839],
           [0.1839, 1.    ]])
    """
    tau = check_finite(nugget, "nugget", low=0.0)
    return kernel_matrix(d, family, 1.0, ell, tau) / (1.0 + tau)


# ---------------------------------------------------------------------------------------------
# Conditioning and drawing
# ---------------------------------------------------------------------------------------------


def gp_conditional(
    k_train: ArrayLike,
    k_cross: ArrayLike,
    k_test: ArrayLike,
    y: ArrayLike,
    mean: float = 0.0,
    noise: float = 0.0,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""The process at m new points given observations at n points (kriging).

    With :math:`f \sim \mathrm{GP}(m, k)` observed as :math:`y = f(X) + \varepsilon`,
    :math:`\varepsilon \sim N(0, s I)`, the values :math:`f_* = f(X_*)` are normal with

    .. math::

        \bar f_* = m + K_*^\top (K + sI)^{-1} (y - m), \qquad
        \operatorname{cov}(f_*) = K_{**} - K_*^\top (K + sI)^{-1} K_*

    where :math:`K = k(X, X)`, :math:`K_* = k(X, X_*)` and :math:`K_{**} = k(X_*, X_*)`
    (Rasmussen and Williams 2006, *Gaussian Processes for Machine Learning*, eqs. 2.22-2.24;
    the constant mean as in their sec. 2.7). Both solves go through one Cholesky factor of
    :math:`K + sI` (their Algorithm 2.1), never an inverse. With ``noise=0`` the mean passes
    through every observation and the variance there is 0.

    Parameters
    ----------
    k_train : array_like of shape (n, n)
        :math:`K`, the kernel between the observed points (any nugget included).
    k_cross : array_like of shape (n, m)
        :math:`K_*`, the kernel between observed and new points.
    k_test : array_like of shape (m, m)
        :math:`K_{**}`, the kernel between the new points.
    y : array_like of shape (n,)
        Observations.
    mean : float, default 0.0
        The process's constant mean :math:`m`.
    noise : float, default 0.0
        Observation noise variance :math:`s` (a variance, not an sd), >= 0.

    Returns
    -------
    mean : ndarray of shape (m,)
    cov : ndarray of shape (m, m)
        Symmetric.

    Raises
    ------
    TeachkitError
        For mismatched shapes, non-finite entries, a non-symmetric ``k_train`` or ``k_test``, or
        a ``k_train + noise * I`` that is not positive definite (two observed points at one
        place without noise).

    Examples
    --------
    Observed at 0, 1 and 2 on a line; predicted at 1 (observed) and 5 (far away):

    >>> x, x_new = np.array([0.0, 1.0, 2.0]), np.array([1.0, 5.0])
    >>> dist = lambda a, b: np.abs(a[:, None] - b[None, :])
    >>> k = lambda a, b: exp_quad(dist(a, b), sigma=1.0, ell=1.0)
    >>> mu, cov = gp_conditional(k(x, x), k(x, x_new), k(x_new, x_new), [0.5, -0.2, 0.3])
    >>> mu.round(4), np.diag(cov).round(4)
    (array([-0.2   ,  0.0126]), array([0.    , 0.9998]))
    """
    kt = _square(k_train, "k_train")
    n = kt.shape[0]
    ks = _square(k_test, "k_test")
    m = ks.shape[0]
    kc = _finite_array(k_cross, "k_cross")
    obs = _finite_array(y, "y")
    if kc.shape != (n, m):
        raise TeachkitError(
            f"k_cross must have shape (n, m) = ({n}, {m}) for k_train {kt.shape} and k_test "
            f"{ks.shape}, got {kc.shape}"
        )
    if obs.shape != (n,):
        raise TeachkitError(
            f"y must have shape ({n},), one value per training point, got {obs.shape}"
        )
    m0 = check_finite(mean, "mean")
    s = check_finite(noise, "noise", low=0.0)
    try:
        factor = linalg.cho_factor(kt + s * np.eye(n), lower=True, check_finite=False)
    except linalg.LinAlgError:
        raise TeachkitError(
            "k_train + noise * I is not positive definite; use noise > 0 or a nugget, and "
            "distinct training points"
        ) from None
    mu = m0 + kc.T @ linalg.cho_solve(factor, obs - m0, check_finite=False)
    cov = ks - kc.T @ linalg.cho_solve(factor, kc, check_finite=False)
    return mu, (cov + cov.T) / 2


def gp_conditional_var(
    k_train: ArrayLike,
    k_cross: ArrayLike,
    k_test_diag: ArrayLike,
    y: ArrayLike,
    mean: float = 0.0,
    noise: float = 0.0,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""The mean and variance of the process at each of m new points (kriging on a grid).

    :func:`gp_conditional` without the m x m covariance: the same mean, and the diagonal of
    its covariance,

    .. math::

        \operatorname{var}(f_{*i}) = k(x_{*i}, x_{*i}) - K_{*i}^\top (K + sI)^{-1} K_{*i},

    for the many points of a map, where the full matrix would not fit in memory.

    Parameters
    ----------
    k_train : array_like of shape (n, n)
        :math:`K`, the kernel between the observed points.
    k_cross : array_like of shape (n, m)
        :math:`K_*`, the kernel between observed and new points.
    k_test_diag : array_like of shape (m,)
        :math:`k(x_{*i}, x_{*i})`, the prior variance at each new point.
    y : array_like of shape (n,)
        Observations.
    mean : float, default 0.0
        The process's constant mean.
    noise : float, default 0.0
        Observation noise variance, >= 0.

    Returns
    -------
    mean : ndarray of shape (m,)
    var : ndarray of shape (m,)
        Clipped at 0 (rounding can leave it a few ulps below where an observation pins it).

    Raises
    ------
    TeachkitError
        As :func:`gp_conditional`, and for a ``k_test_diag`` that is not m finite values >= 0.

    Examples
    --------
    The example of :func:`gp_conditional`, variances only:

    >>> x, x_new = np.array([0.0, 1.0, 2.0]), np.array([1.0, 5.0])
    >>> dist = lambda a, b: np.abs(a[:, None] - b[None, :])
    >>> k = lambda a, b: exp_quad(dist(a, b), sigma=1.0, ell=1.0)
    >>> mu, var = gp_conditional_var(k(x, x), k(x, x_new), [1.0, 1.0], [0.5, -0.2, 0.3])
    >>> mu.round(4), var.round(4)
    (array([-0.2   ,  0.0126]), array([0.    , 0.9998]))
    """
    kt = _square(k_train, "k_train")
    n = kt.shape[0]
    kd = _finite_array(k_test_diag, "k_test_diag")
    kc = _finite_array(k_cross, "k_cross")
    obs = _finite_array(y, "y")
    if kd.ndim != 1 or np.any(kd < 0):
        raise TeachkitError(
            f"k_test_diag must be a vector of m prior variances >= 0, got shape {kd.shape}"
        )
    m = kd.shape[0]
    if kc.shape != (n, m):
        raise TeachkitError(
            f"k_cross must have shape (n, m) = ({n}, {m}) for k_train {kt.shape} and "
            f"k_test_diag {kd.shape}, got {kc.shape}"
        )
    if obs.shape != (n,):
        raise TeachkitError(
            f"y must have shape ({n},), one value per training point, got {obs.shape}"
        )
    m0 = check_finite(mean, "mean")
    s = check_finite(noise, "noise", low=0.0)
    try:
        factor = linalg.cho_factor(kt + s * np.eye(n), lower=True, check_finite=False)
    except linalg.LinAlgError:
        raise TeachkitError(
            "k_train + noise * I is not positive definite; use noise > 0 or a nugget, and "
            "distinct training points"
        ) from None
    mu = m0 + kc.T @ linalg.cho_solve(factor, obs - m0, check_finite=False)
    var = kd - np.einsum("ij,ij->j", kc, linalg.cho_solve(factor, kc, check_finite=False))
    return mu, np.maximum(var, 0.0)


def draw_gp(k: ArrayLike, rng: RNGLike, size: Size = None) -> NDArray[np.float64]:
    r"""Draws of a zero-mean process with covariance ``k``: :math:`f = L z \sim N(0, K)`.

    :math:`L` is the Cholesky factor of :math:`K + jI` and :math:`z \sim N(0, I)`; the jitter
    :math:`j` = :data:`JITTER` times the mean variance (:math:`10^{-10}` of it) lets smooth
    kernels on close points, whose matrices are singular to rounding, be factored.

    Parameters
    ----------
    k : array_like of shape (n, n)
        Covariance matrix: symmetric, positive semi-definite.
    rng : numpy.random.Generator, int or None
        Source of randomness (:func:`teachkit._random.as_generator`).
    size : int or tuple of ints, optional
        Number (shape) of draws.

    Returns
    -------
    ndarray of shape (\*size, n)

    Raises
    ------
    TeachkitError
        If ``k`` is not square, finite and symmetric, or has a clearly negative eigenvalue.

    Examples
    --------
    >>> d = great_circle_km([39.929, 39.937, 40.328], [116.417, 116.461, 116.628])
    >>> draw_gp(kernel_matrix(d, "matern32", 0.5, 20.0), rng=1, size=4).shape
    (4, 3)
    """
    c = _square(k, "k")
    gen = as_generator(rng)
    shape = size_tuple(size)
    n = c.shape[0]
    j = JITTER * max(float(np.mean(np.diag(c))), np.finfo(float).tiny)
    try:
        chol = np.linalg.cholesky(c + j * np.eye(n))
    except np.linalg.LinAlgError:
        raise TeachkitError(
            "k is not positive semi-definite; build it with kernel_matrix from a distance matrix"
        ) from None
    return gen.standard_normal((*shape, n)) @ chol.T


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------


def _amplitude(sigma: float) -> float:
    return check_finite(sigma, "sigma", low=0.0)


def _length_scale(ell: float) -> float:
    return check_finite(ell, "ell", low=0.0, low_open=True)


def _distances(d: ArrayLike) -> NDArray[np.float64]:
    """``d`` as a float array of finite distances >= 0."""
    dist = np.asarray(d, dtype=float)
    if not (np.all(np.isfinite(dist)) and np.all(dist >= 0)):
        raise TeachkitError("d must hold distances: finite numbers >= 0")
    return dist


def _finite_array(a: ArrayLike, name: str) -> NDArray[np.float64]:
    out = np.asarray(a, dtype=float)
    if not np.all(np.isfinite(out)):
        raise TeachkitError(f"{name} must hold finite numbers, got NaN or infinite entries")
    return out


def _square(a: ArrayLike, name: str) -> NDArray[np.float64]:
    """A finite, square, symmetric (to rounding) matrix with at least one row."""
    out = _finite_array(a, name)
    if out.ndim != 2 or out.shape[0] != out.shape[1] or out.shape[0] == 0:
        raise TeachkitError(f"{name} must be a square n x n matrix, got shape {out.shape}")
    scale = max(float(np.abs(out).max()), np.finfo(float).tiny)
    if np.abs(out - out.T).max() > _SYMMETRY_RTOL * scale:
        raise TeachkitError(f"{name} must be symmetric: entry [i, j] equal to entry [j, i]")
    return out


def _distance_matrix(d: ArrayLike) -> NDArray[np.float64]:
    """A matrix of distances between n points: square, symmetric, zero diagonal, >= 0."""
    dist = _square(_distances(d), "d")
    if np.any(np.diag(dist) != 0):
        raise TeachkitError("d must have a zero diagonal: the distance of each point to itself")
    return dist
