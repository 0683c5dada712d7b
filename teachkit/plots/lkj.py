"""Figure: sampled LKJ correlations against the exact marginal density, one panel per eta."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from teachkit.errors import TeachkitError
from teachkit.lkj import lkj_marginal_pdf

__all__ = ["plot_lkj_marginals"]


def plot_lkj_marginals(
    samples: Mapping[float, ArrayLike],
    dim: int,
    *,
    bins: int = 40,
    fig: Figure | None = None,
) -> Figure:
    """Histogram of sampled correlations over the exact LKJ marginal, one panel per eta.

    Parameters
    ----------
    samples : mapping of float to array_like of shape (n,)
        For each eta, sampled off-diagonal entries of LKJ(eta) matrices of size ``dim``.
    dim : int
        The size of the matrices the samples come from (the marginal depends on it).
    bins : int
        Histogram bins on [-1, 1].
    fig : Figure, optional
        Figure to draw into; a new one is made when None.

    Returns
    -------
    Figure
        One axes per eta, sharing both axes, each with a histogram (label "sampled") and the
        exact density (label "exact").

    Examples
    --------
    >>> from teachkit.lkj import sample_lkj
    >>> draws = {eta: sample_lkj(2, eta, size=500, rng=0)[:, 0, 1] for eta in (1.0, 4.0)}
    >>> len(plot_lkj_marginals(draws, dim=2).axes)
    2
    """
    if not samples:
        raise TeachkitError("samples must hold at least one eta")
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, len(samples), sharex=True, sharey=True, squeeze=False)[0]
    grid = np.linspace(-1.0, 1.0, 401)[1:-1]
    edges = np.linspace(-1.0, 1.0, bins + 1)
    for ax, (eta, rho) in zip(axes, samples.items(), strict=True):
        ax.hist(np.asarray(rho), bins=edges, density=True, color="C0", alpha=0.45, label="sampled")
        ax.plot(grid, lkj_marginal_pdf(grid, eta, dim), color="black", label="exact")
        ax.set_title(rf"$\eta = {eta:g}$")
        ax.set_xlabel(r"$\rho$")
        ax.set_xlim(-1.1, 1.1)  # tick labels clear of the y axis and of the next panel's
        ax.set_xticks([-1, 0, 1])
    axes[0].set_ylabel("density")
    axes[0].legend(loc="upper center")
    fig.suptitle(rf"LKJ($\eta$): one correlation of a {dim}×{dim} matrix")
    return fig
