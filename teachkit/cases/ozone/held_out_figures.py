"""The GP lecture's slides on its data and on prediction.

Where the stations are and how far apart, how the stations' baselines differ with distance
(the quantity the GP models: an empirical semivariogram of the varying-intercepts baselines,
with the one the fitted GP implies), and a left-out station predicted by each model
(:func:`teachkit.leave_group_out.leave_one_group_out`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from teachkit.figure_entry import Claim, FigureData, FigureEntry, attach_claim
from teachkit.kernels import great_circle_km

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FIGURES"]


def _station_distances(ctx: FigureData) -> Figure:
    """The map, and the 66 pair distances the kernel will be evaluated at."""
    import matplotlib.pyplot as plt

    from teachkit.cases.ozone.data_plots import plot_station_map
    from teachkit.cases.ozone.stations import load_beijing_stations
    from teachkit.plots.labels import note

    stations = load_beijing_stations()
    lat, lon = stations["latitude"].to_numpy(), stations["longitude"].to_numpy()
    d = great_circle_km(lat, lon)[np.triu_indices(len(lat), 1)]
    fig = plt.figure(layout="constrained")
    text = (
        f"{len(lat)} stations, {len(d)} pairs: {d.min():.1f} to {d.max():.1f} km apart, "
        f"median {np.median(d):.1f} km"
    )
    fig.suptitle(text)
    note(fig, "The Beijing stations (KDD Cup 2018 station list); haversine distances")
    map_ax = fig.subplots()
    plot_station_map(
        stations["station"].tolist(), lat, lon, describe_pairs=False, lat_pad=0.15, ax=map_ax
    )
    map_ax.set_title("")
    # the histogram sits in the slide's free right part, outside the layout of the map (whose
    # names are placed for that layout)
    ax = fig.add_axes((0.74, 0.2, 0.23, 0.55))
    ax.hist(d, bins=np.arange(0, d.max() + 5, 5), color="0.6", edgecolor="white", label="pairs")
    top = ax.get_ylim()[1] * 1.35
    ax.set_ylim(0, top)
    marks = ((d.min(), "closest", "left"), (np.median(d), "median", "center"),
             (d.max(), "farthest", "right"))  # fmt: skip
    for value, name, align in marks:
        ax.axvline(value, color="black", ls="--", lw=1.5)
        ax.annotate(f"{name}\n{value:.1f} km", (value, top * 0.98), ha=align, va="top",
                    fontsize=14, bbox={"fc": "white", "ec": "none"})  # fmt: skip
    ax.set_xlabel("pair distance (km)")
    ax.set_ylabel("station pairs")
    ax.set_title(f"the {len(d)} pairs' distances", fontsize=18)
    claim = Claim(
        text,
        {"stations": len(lat), "pairs": len(d), "min": d.min(), "max": d.max(),
         "median": float(np.median(d))},
        {"distance": d},
    )  # fmt: skip
    return attach_claim(fig, claim)


def _residual_correlation(ctx: FigureData) -> Figure:
    """The previous lecture's last slide (row 34), which opens this one.

    Its note says what the GP that follows will and will not model.
    """
    from teachkit.cases.ozone.gp_figures import _spatial_data
    from teachkit.cases.ozone.posterior_figures import correlation_distance_figure
    from teachkit.plots.labels import note

    fig = correlation_distance_figure(ctx, _spatial_data(ctx))
    source = "Beijing" if ctx.source == "real" else "Simulated"
    note(
        fig,
        f"{source}: same-day residuals from the covarying model's station lines, correlated over "
        "the dates both stations have;\nthe GP that follows models the stations' baselines "
        "(next slide), not these day-to-day residuals",
    )
    return fig


def _baseline_semivariogram(ctx: FigureData) -> Figure:
    """Half the squared difference of two stations' baselines against their distance."""
    from teachkit.cases.ozone.gp_figures import (
        MAX_DISTANCE_KM,
        SpatialFit,
        baseline_semivariogram_draws,
        pair_semivariances,
    )
    from teachkit.cases.ozone.gp_plots import plot_baseline_semivariogram
    from teachkit.posterior import draws

    fit = SpatialFit(ctx)
    alpha = draws(ctx.fit("ozone", "varying_intercepts", data=fit.data), "alpha").mean(axis=0)
    grid = np.arange(0.25, MAX_DISTANCE_KM + 0.125, 0.25)
    hyper = [fit.draws(v) for v in ("sigma_gp", "ell", "sigma_alpha")]
    return plot_baseline_semivariogram(
        fit.pairs,
        pair_semivariances(alpha),
        grid,
        baseline_semivariogram_draws(grid, *hyper),
        note=f"{fit.source}: {len(fit.names)} stations; dots: varying-intercepts fit, curve: "
        r"$\mathtt{spatial\_intercepts}$ fit;"
        "\nthe GP models these baselines, not the last lecture's same-day residual "
        "correlation (which stays unmodelled)",
    )


def _leave_one_station_out(ctx: FigureData) -> Figure:
    from teachkit.cases.ozone.gp_figures import _spatial_data
    from teachkit.plots.held_out import plot_held_out
    from teachkit.plots.labels import note

    data = _spatial_data(ctx)
    table = ctx.held_out("ozone", data)
    reference, other = table.columns[1], table.columns[2]
    if (reference, other) != ("varying_intercepts", "spatial_intercepts"):
        raise ValueError(f"expected varying then spatial intercepts, got {reference}, {other}")
    fig = plot_held_out(
        list(table.index), table["rows"], table["difference"],
        reference="a population draw", other="kriging from neighbours",
    )  # fmt: skip
    source = "Beijing" if ctx.source == "real" else "Simulated"
    note(
        fig,
        f"{source}: each station left out in turn, both models refitted on the other "
        f"{len(table) - 1}, its days scored jointly;\nits baseline drawn from the population "
        "(varying intercepts) or kriged from its neighbours (spatial intercepts)",
    )
    return fig


#: The GP lecture's slides on data and prediction (no storyboard rows yet).
FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "gp-station-map",
        "The 12 stations on a map and the histogram of their 66 pair distances",
        _station_distances,
        point="A Gaussian process over distance sees the stations only through their 66 pair "
        "distances, from a few km across the centre to about 60 km from the outskirts.",
    ),
    FigureEntry(
        "gp-residual-correlation",
        "Same-day residual correlation of station pairs against their distance",
        _residual_correlation,
        point="Same-day residuals of nearby stations are more alike than those of distant ones: "
        "the bridge from exchangeable stations to space, though the GP will model baselines.",
    ),
    FigureEntry(
        "gp-baseline-semivariogram",
        "Half the squared difference of two stations' baselines (varying intercepts) against "
        "their distance, the 66 pairs, with the semivariogram the fitted GP implies",
        _baseline_semivariogram,
        point="The GP models the stations' baselines, and the 12 show little sign of distance: "
        "near pairs differ about as much as distant ones, so the data say little about the "
        "length-scale.",
    ),
    FigureEntry(
        "gp-leave-one-station-out",
        "Per left-out station: log predictive density of its days, spatial minus varying "
        "intercepts",
        _leave_one_station_out,
        point="Left out and predicted, a station is scored under a population draw and under "
        "kriging from its neighbours: the title says which wins and whether clearly.",
    ),
)
