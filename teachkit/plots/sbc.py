"""Figures of simulation-based calibration: rank histograms and ECDF differences."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from teachkit.ecdf import ecdf_difference_band
from teachkit.errors import TeachkitError

__all__ = ["plot_sbc_ecdf", "plot_sbc_ranks"]


def _panels(fig: Figure | None, n: int) -> tuple[Figure, np.ndarray]:
    fig = fig if fig is not None else plt.figure(layout="constrained")
    cols = min(n, 3)
    rows = -(-n // cols)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.remove()
    return fig, axes[:n]


def plot_sbc_ranks(
    ranks: pd.DataFrame,
    n_draws: int,
    *,
    bins: int = 10,
    prob: float = 0.99,
    fig: Figure | None = None,
) -> Figure:
    """Histogram of SBC ranks per parameter with the band uniform ranks stay in.

    Parameters
    ----------
    ranks : DataFrame
        One column per parameter, ranks in 0..n_draws (:attr:`CalibrationResult.ranks`).
    n_draws : int
        L, the number of thinned posterior draws.
    bins : int
        Histogram bins; must divide n_draws + 1 for equal bins.
    prob : float
        Each bar's count lies in the grey band with this probability under uniformity
        (binomial quantiles, Talts et al. 2018, fig. 1).

    Returns
    -------
    Figure
        One axes per parameter, each with ``bins`` bars and a grey band.
    """
    if (n_draws + 1) % bins:
        raise TeachkitError(f"bins must divide n_draws + 1 = {n_draws + 1}, got {bins}")
    fig, axes = _panels(fig, ranks.shape[1])
    n = len(ranks)
    low, high = stats.binom.ppf([(1 - prob) / 2, (1 + prob) / 2], n, 1 / bins)
    edges = np.arange(bins + 1) * (n_draws + 1) / bins - 0.5
    for ax, (name, values) in zip(axes, ranks.items(), strict=True):
        ax.axhspan(low, high, color="0.85", label=f"{prob:.0%} band")
        ax.axhline(n / bins, color="0.4", lw=1)
        ax.hist(values, bins=edges, color="C0", edgecolor="white", label="ranks")
        ax.set_title(str(name))
        ax.set_xlabel("rank")
    axes[0].set_ylabel("count")
    fig.suptitle(f"SBC rank histograms ({n} simulations, L = {n_draws})")
    return fig


def plot_sbc_ecdf(
    ranks: pd.DataFrame, n_draws: int, *, prob: float = 0.95, fig: Figure | None = None
) -> Figure:
    """ECDF of the fractional ranks minus the uniform CDF, with a simultaneous band.

    The band (Saeilynoja, Buerkner and Vehtari 2022) holds the whole curve with probability
    ``prob`` when the ranks are uniform; a curve that leaves it shows miscalibration (a
    U shape: posteriors too narrow; a hump: too wide; a tilt: biased).

    Returns
    -------
    Figure
        One axes per parameter with the difference curve (label "ECDF - uniform") and the band.
    """
    fig, axes = _panels(fig, ranks.shape[1])
    n = len(ranks)
    z, low, high = ecdf_difference_band(n, n_draws + 1, prob)
    for ax, (name, values) in zip(axes, ranks.items(), strict=True):
        frac = (values.to_numpy() + 1) / (n_draws + 1)
        diff = (frac[:, None] <= z).mean(axis=0) - z
        ax.fill_between(z, low, high, color="0.85", step="mid", label=f"{prob:.0%} band")
        ax.step(z, diff, where="mid", color="C0", label="ECDF - uniform")
        ax.axhline(0, color="0.4", lw=1)
        ax.set_title(str(name))
        ax.set_xlabel("fractional rank")
    axes[0].set_ylabel("ECDF difference")
    # one legend for all panels, below them: inside a panel it covered a curve
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    fig.suptitle(f"SBC: ECDF differences ({n} simulations)")
    return fig
