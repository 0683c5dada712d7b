r"""How well a model predicts a group it has never seen: the log predictive density of its rows.

A new group (a monitoring station left out of the fit) has rows :math:`y = X b + \varepsilon`,
:math:`\varepsilon \sim N(0, \sigma^2 I_n)`, with its coefficients :math:`b` (intercept and
slope) unknown. Every model of the lecture says, given its hyperparameters, that
:math:`b \sim N(m, V)`: the pooled model with :math:`V = 0`, varying intercepts with
:math:`V = \mathrm{diag}(\sigma_\alpha^2, 0)`, the covarying model with
:math:`V = \Sigma`, and a Gaussian process with the conditional mean and variance given the
other groups' intercepts. Integrating :math:`b` out,

.. math::

    y \sim N\big(X m,\; \sigma^2 I_n + X V X^\top\big),

and the group's rows are scored jointly (they share :math:`b`, so they are not independent
given the hyperparameters). The :math:`n \times n` covariance is never formed: with
:math:`G = X^\top X`, :math:`r = y - X m` and :math:`u = X^\top r`, Sylvester's determinant
identity and the Woodbury identity (Rasmussen and Williams 2006, *Gaussian Processes for
Machine Learning*, appendix A.3) give

.. math::

    \log\det(\sigma^2 I_n + X V X^\top) = n \log \sigma^2 + \log\det(I_p + V G / \sigma^2),

    r^\top (\sigma^2 I_n + X V X^\top)^{-1} r
        = \big(r^\top r - u^\top (\sigma^2 I_p + V G)^{-1} V u\big) / \sigma^2,

which need only :math:`G`, :math:`X^\top y` and :math:`y^\top y` and hold for a singular
:math:`V` (no :math:`V^{-1}` appears). Over posterior draws :math:`s = 1..S` of the
hyperparameters the log predictive density is
:math:`\log \frac{1}{S} \sum_s p(y \mid m_s, V_s, \sigma_s)` (Vehtari, Gelman and Gabry 2017,
eq. 3, for a left-out group instead of a left-out row).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import logsumexp

from teachkit.errors import TeachkitError

__all__ = ["group_log_density", "group_log_predictive"]


def group_log_density(
    x: ArrayLike, y: ArrayLike, mean: ArrayLike, cov: ArrayLike, sigma: ArrayLike
) -> NDArray[np.float64]:
    r"""Log density of a group's rows with its coefficients integrated out, per draw.

    Parameters
    ----------
    x : array_like of shape (n, p)
        The group's design (e.g. a column of ones and the temperatures).
    y : array_like of shape (n,)
        The group's outcomes.
    mean : array_like of shape (S, p)
        :math:`m`: the mean of the group's coefficients, per draw.
    cov : array_like of shape (S, p, p)
        :math:`V`: their covariance (positive semi-definite, may be singular), per draw.
    sigma : array_like of shape (S,)
        The residual sd, per draw.

    Returns
    -------
    ndarray of shape (S,)
        :math:`\log N(y \mid X m, \sigma^2 I + X V X^\top)` for each draw.

    Examples
    --------
    One row, intercept only: :math:`y \sim N(m, \sigma^2 + v)`.

    >>> float(group_log_density([[1.0]], [0.0], [[0.0]], [[[3.0]]], [1.0])[0]).__round__(4)
    -1.6121
    """
    design = np.asarray(x, dtype=float)
    outcome = np.asarray(y, dtype=float)
    m = np.asarray(mean, dtype=float)
    v = np.asarray(cov, dtype=float)
    s2 = np.asarray(sigma, dtype=float) ** 2
    n, p = design.shape
    if outcome.shape != (n,) or m.ndim != 2 or m.shape[1] != p or v.shape != (len(m), p, p):
        raise TeachkitError(
            f"group_log_density needs x (n, p), y (n,), mean (S, p), cov (S, p, p); got "
            f"{design.shape}, {outcome.shape}, {m.shape}, {v.shape}"
        )
    gram = design.T @ design
    xty = design.T @ outcome
    r_r = outcome @ outcome - 2 * m @ xty + np.einsum("sp,pq,sq->s", m, gram, m)
    u = xty[None, :] - m @ gram
    vg = v @ gram
    eye = np.eye(p)
    _, logdet_small = np.linalg.slogdet(eye + vg / s2[:, None, None])
    vu = np.einsum("spq,sq->sp", v, u)[..., None]
    solved = np.linalg.solve(s2[:, None, None] * eye + vg, vu)[..., 0]
    quad = (r_r - np.einsum("sp,sp->s", u, solved)) / s2
    return -0.5 * (n * np.log(2 * np.pi) + n * np.log(s2) + logdet_small + quad)


def group_log_predictive(
    x: ArrayLike, y: ArrayLike, mean: ArrayLike, cov: ArrayLike, sigma: ArrayLike
) -> float:
    r"""Log predictive density of a new group's rows: :math:`\log` of the draws' mean density.

    The arguments are those of :func:`group_log_density`; the draws are averaged on the
    density scale (``logsumexp`` minus :math:`\log S`), as the posterior predictive is.
    """
    log_density = group_log_density(x, y, mean, cov, sigma)
    return float(logsumexp(log_density) - np.log(len(log_density)))
