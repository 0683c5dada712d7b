"""The ozone case study's slide figures: the data, its four models, pooling.

Each function draws one registered figure from a :class:`~teachkit.figure_entry.FigureData`,
which supplies the ozone table and the fits (from the fit store). The pooling figures draw
tables with few days per station (:mod:`teachkit.cases.ozone.subsample`), where pooling
shows; :func:`shrinkage_1d_figure` draws it from any ozone table. The funnel, 2-D shrinkage and
the plate diagrams are in :mod:`teachkit.cases.ozone.covarying_figures`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from teachkit.cases.ozone.data import station_names
from teachkit.cases.ozone.models import no_pooling_estimates
from teachkit.cases.ozone.subsample import days_label, shrinkage_data
from teachkit.figure_entry import FigureData, FigureEntry
from teachkit.posterior import draws

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "FIGURES",
    "FUNNEL_STATION",
    "FUNNEL_TARGET_ACCEPT",
    "shrinkage_1d_figure",
]

#: The station whose effect the funnel figure plots (station id).
FUNNEL_STATION = 0


def _source(ctx: FigureData) -> str:
    return "Beijing" if ctx.source == "real" else "Simulated stations"


def _station_days(data: pd.DataFrame) -> np.ndarray:
    """Days per station in station order."""
    return data.groupby("station_id", sort=True).size().to_numpy()


def shrinkage_1d_figure(ctx: FigureData, data: pd.DataFrame) -> Figure:
    """Intercepts: each station's own estimate against the varying-intercepts model's.

    The own (no-pooling) intercept is the station's mean of log ozone - beta T with the
    model's common slope beta; both estimates are posterior means.
    """
    from teachkit.plots.labels import note
    from teachkit.plots.pooling import plot_shrinkage_1d

    idata = ctx.fit("ozone", "varying_intercepts", data=data)
    beta = float(draws(idata, "beta").mean())
    own = no_pooling_estimates(data, common_slope=beta)[:, 0]
    partial = draws(idata, "alpha").mean(axis=0)
    pooled = float(draws(idata, "mu_alpha").mean())
    ax = plot_shrinkage_1d(
        own,
        partial,
        pooled,
        names=station_names(data),
        counts=_station_days(data),
        label=r"intercept $\alpha_j$ (log µg/m³ at 0 °C)",
        title="Stations with few days move furthest toward the population mean",
        pooled_name=r"$\mu_\alpha$",
    )
    note(
        ax.figure,
        f"{_source(ctx)}: {days_label(data)}; varying-intercepts model, "
        "posterior means (population mean: $\\mu_\\alpha$)",
    )
    return ax.figure


def _shrinkage_1d(ctx: FigureData) -> Figure:
    return shrinkage_1d_figure(ctx, shrinkage_data(ctx.data("ozone")))


#: NUTS's target acceptance rate in the funnel figure: 0.8, PyMC's and nutpie's own default,
#: the setting at which the lecture's centred fit diverged. teachkit's default (0.95) takes
#: smaller steps, and the centred fit then shows only a couple of divergent draws.
FUNNEL_TARGET_ACCEPT = 0.8


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "pooling-shrinkage-1d",
        "No pooling to partial pooling, intercepts",
        _shrinkage_1d,
        point="Partial pooling moves each station's intercept toward the population mean, "
        "and the fewer days a station has, the further it moves.",
    ),
)
