r"""Per-group sufficient statistics of a normal regression on one predictor, and its likelihood.

A line model's likelihood depends on the rows only through six numbers per group, so it can be
evaluated at a cost that does not grow with the number of rows
(:func:`normal_loglik_from_statistics`); the lecture's models use it by default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["GroupStatistics", "group_statistics", "normal_loglik_from_statistics"]

_LOG_2PI = float(np.log(2 * np.pi))


@dataclass(frozen=True)
class GroupStatistics:
    r"""Per-group sufficient statistics of a normal regression of :math:`y` on :math:`x`.

    Centred sums are kept rather than raw ones (:math:`\sum x`, :math:`\sum x^2`, ...): they
    carry the same information and avoid cancellation when the residual sum of squares is
    formed.

    Attributes
    ----------
    n, x_mean, y_mean, x_ss, cross_ss, y_ss : ndarray of shape (n_groups,)
        Count, mean of :math:`x`, mean of :math:`y`, :math:`\sum (x - \bar x)^2`,
        :math:`\sum (x - \bar x)(y - \bar y)`, :math:`\sum (y - \bar y)^2`.
    """

    n: np.ndarray
    x_mean: np.ndarray
    y_mean: np.ndarray
    x_ss: np.ndarray
    cross_ss: np.ndarray
    y_ss: np.ndarray

    def as_dict(self) -> dict[str, np.ndarray]:
        """The statistics by name (the names of the model's data containers)."""
        return {f"stat_{k}": getattr(self, k) for k in self.__dataclass_fields__}


def group_statistics(
    group_index: np.ndarray, x: np.ndarray, y: np.ndarray, n_groups: int
) -> GroupStatistics:
    """Sufficient statistics per group (see :class:`GroupStatistics`).

    Groups without rows get n = 0 and contribute nothing to the likelihood.

    Examples
    --------
    >>> s = group_statistics(np.array([0, 0, 1]), np.array([1.0, 3.0, 2.0]),
    ...                      np.array([2.0, 4.0, 5.0]), n_groups=2)
    >>> s.n.tolist(), s.x_mean.tolist(), s.cross_ss.tolist()
    ([2.0, 1.0], [2.0, 2.0], [2.0, 0.0])
    """
    n = np.bincount(group_index, minlength=n_groups).astype(float)
    safe_n = np.maximum(n, 1.0)
    x_mean = np.bincount(group_index, x, minlength=n_groups) / safe_n
    y_mean = np.bincount(group_index, y, minlength=n_groups) / safe_n
    xc = x - x_mean[group_index]
    yc = y - y_mean[group_index]
    return GroupStatistics(
        n=n,
        x_mean=x_mean,
        y_mean=y_mean,
        x_ss=np.bincount(group_index, xc * xc, minlength=n_groups),
        cross_ss=np.bincount(group_index, xc * yc, minlength=n_groups),
        y_ss=np.bincount(group_index, yc * yc, minlength=n_groups),
    )


def normal_loglik_from_statistics(
    stats: dict[str, Any], alpha: Any, beta: Any, sigma: Any, log: Any = np.log
) -> Any:
    r"""Total normal log-likelihood of all rows, from the per-group statistics.

    For group :math:`j` with rows :math:`i`, :math:`\sum_i (y_i - a - b x_i)^2` equals

    .. math::

        S_{yy} - 2 b S_{xy} + b^2 S_{xx} + n (\bar y - a - b \bar x)^2

    with the centred sums :math:`S` of :class:`GroupStatistics`, so

    .. math::

        \log L = \sum_j \left[ -n_j \log \sigma - \frac{n_j \log(2 \pi)}{2}
            - \frac{\mathrm{RSS}_j}{2 \sigma^2} \right].

    Written with arithmetic operators only, so it works on numpy arrays and on PyTensor
    tensors alike (pass ``log=pytensor.tensor.log``).

    Parameters
    ----------
    stats : mapping
        ``stat_n``, ``stat_x_mean``, ... as in :meth:`GroupStatistics.as_dict`.
    alpha, beta : scalar or array of shape (n_groups,)
    sigma : scalar

    Examples
    --------
    >>> from scipy import stats as st
    >>> x, y = np.array([1.0, 2.0, 4.0]), np.array([0.5, 1.0, 2.5])
    >>> s = group_statistics(np.zeros(3, dtype=int), x, y, 1).as_dict()
    >>> ll = normal_loglik_from_statistics(s, 0.1, 0.5, 0.3)
    >>> bool(np.isclose(ll, st.norm.logpdf(y, 0.1 + 0.5 * x, 0.3).sum()))
    True
    """
    n = stats["stat_n"]
    resid_mean = stats["stat_y_mean"] - alpha - beta * stats["stat_x_mean"]
    rss = (
        stats["stat_y_ss"]
        - 2 * beta * stats["stat_cross_ss"]
        + beta**2 * stats["stat_x_ss"]
        + n * resid_mean**2
    )
    per_group = -n * log(sigma) - 0.5 * n * _LOG_2PI - rss / (2 * sigma**2)
    return per_group.sum()
