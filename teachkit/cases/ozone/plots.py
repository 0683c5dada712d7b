"""The known-truth lecture's plot of the ozone case: posterior (alpha_j, beta_j) clouds by station.

Every figure colours station j with :func:`teachkit.plots.style.station_color` and names the
stations it shows, in the order of their ids.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from teachkit.plots.style import station_color

__all__ = ["OZONE_LABEL", "TEMP_LABEL", "plot_alpha_beta_posterior"]

TEMP_LABEL = "daily max temperature (°C)"
OZONE_LABEL = "log daily max ozone (log µg/m³)"


def _station_legend(ax: Axes, **kwargs: object) -> None:
    """A legend of the station entries, outside the axes on the right."""
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=13, **kwargs)  # type: ignore[arg-type]


def plot_alpha_beta_posterior(
    alpha: ArrayLike,
    beta: ArrayLike,
    *,
    names: Sequence[str] | None = None,
    max_draws: int = 400,
    ax: Axes | None = None,
) -> Axes:
    """Posterior draws of (alpha_j, beta_j), one cloud per station: they co-vary negatively.

    Parameters
    ----------
    alpha, beta : array_like of shape (draw, station)
        Posterior draws (chains flattened).
    names : sequence of str, optional
        Station names: each cloud is labelled (legend outside, station order).

    Returns
    -------
    Axes
        One scatter per station and the posterior-mean points joined by a line labelled with
        their correlation.
    """
    a, b = np.asarray(alpha), np.asarray(beta)
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    keep = np.linspace(0, len(a) - 1, min(max_draws, len(a))).astype(int)
    for j in range(a.shape[1]):
        ax.scatter(
            a[keep, j],
            b[keep, j],
            s=6,
            alpha=0.35,
            color=station_color(j),
            label=names[j] if names is not None else None,
            rasterized=True,
        )
    ma, mb = a.mean(axis=0), b.mean(axis=0)
    order = np.argsort(ma)
    r = np.corrcoef(ma, mb)[0, 1]
    ax.plot(ma[order], mb[order], "k-o", ms=5, lw=1, label=f"station means, r = {r:.2f}")
    ax.set_xlabel(r"intercept $\alpha_j$ (log µg/m³ at 0 °C)")
    ax.set_ylabel(r"slope $\beta_j$ (per °C)")
    ax.set_title("A station with a higher intercept has a lower slope")
    if names is not None:
        _station_legend(ax)
        for handle in ax.get_legend().legend_handles[:-1]:
            if handle is not None:
                handle.set_alpha(1)
                handle.set_sizes([60])  # type: ignore[union-attr]
    else:
        ax.legend()
    return ax
