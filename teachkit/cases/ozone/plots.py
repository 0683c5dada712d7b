"""Figures of the ozone case study: LOO, station lines, traces, (alpha, beta), lines.

Every figure colours station j with :func:`teachkit.plots.style.station_color` and names the
stations it shows, in the order of their ids.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from teachkit.plots.labels import label_ends, plain
from teachkit.plots.style import station_color

__all__ = [
    "LOO_THRESHOLD",
    "plot_alpha_beta_posterior",
    "plot_lines_through_data",
    "plot_loo",
    "plot_station_lines",
    "plot_station_trace",
    "split_rhat",
]

TEMP_LABEL = "daily max temperature (°C)"
OZONE_LABEL = "log daily max ozone (log µg/m³)"
#: A difference in elpd larger than this many of its standard errors (dse) is called clear.
LOO_THRESHOLD = 2.0


def _station_legend(ax: Axes, **kwargs: object) -> None:
    """A legend of the station entries, outside the axes on the right."""
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=13, **kwargs)  # type: ignore[arg-type]


def plot_loo(
    table: pd.DataFrame, *, threshold: float = LOO_THRESHOLD, ax: Axes | None = None
) -> Axes:
    """The PSIS-LOO comparison as ``az.plot_compare`` draws it, with the verdict written out.

    Each model's elpd_loo +- se (open circle), and below it, for every model but the best,
    its difference to the best model +- the standard error of that difference, dse (grey
    triangle at the model's elpd). Each difference is written beside it in units of dse, and
    a text names the models whose difference exceeds ``threshold`` dse.

    Parameters
    ----------
    table : DataFrame
        From :func:`teachkit.loo.compare` (index: model names; columns ``elpd_loo``,
        ``se``, ``d_loo``, ``dse``).
    threshold : float
        How many dse make a difference clear.

    Returns
    -------
    Axes
        Two errorbars (labels "elpd_loo ± se" and "difference to the best ± dse"), model names
        as y tick labels (best on top), one text per difference and the verdict text
        (gid "verdict").
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    ordered = table.sort_values("elpd_loo")
    y = np.arange(len(ordered), dtype=float)
    elpd, se = ordered["elpd_loo"].to_numpy(), ordered["se"].to_numpy()
    ax.errorbar(
        elpd,
        y,
        xerr=se,
        fmt="o",
        mfc="white",
        color="black",
        ms=11,
        mew=2,
        capsize=6,
        lw=2,
        label=r"elpd$_\mathrm{loo}$ ± se",
    )
    others = ordered.index != ordered["elpd_loo"].idxmax()
    diff, dse = ordered["d_loo"].to_numpy()[others], ordered["dse"].to_numpy()[others]
    ax.errorbar(
        elpd[others],
        y[others] - 0.25,
        xerr=dse,
        fmt="^",
        color="0.45",
        ms=11,
        capsize=5,
        lw=2.5,
        label="difference to the best ± dse",
    )
    best = elpd.max()
    ax.axvline(best, color="0.5", ls="--", lw=1.2)
    for yi, e, d, s in zip(y[others], elpd[others], diff, dse, strict=True):
        digits = 0 if s >= 10 else 1
        ax.annotate(
            f"−{d:.{digits}f} ± {s:.{digits}f}  ({d / s:.1f} dse)",
            (e, yi - 0.25),
            xytext=(0, -16),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=14,
            color="0.25",
        )
    clear = [
        plain(str(m))
        for m, d, s in zip(ordered.index[others], diff, dse, strict=True)
        if d > threshold * s
    ]
    unclear = [plain(str(m)) for m in ordered.index[others] if plain(str(m)) not in clear]
    verdict = f"Worse than the best by more than {threshold:g} dse: " + (
        ", ".join(reversed(clear)) if clear else "none"
    )
    if unclear:
        verdict += f"\nwithin {threshold:g} dse of the best: {', '.join(reversed(unclear))}"
    ax.text(
        0.02,
        0.98,
        verdict,
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=15,
        gid="verdict",
        bbox={"boxstyle": "round", "fc": "white", "ec": "0.7"},
    )
    ax.set_yticks(y, [plain(str(m)) for m in ordered.index])
    ax.set_ylim(-0.8, len(ordered) - 0.3)
    ax.set_xlabel("expected log predictive density (PSIS-LOO); higher is better")
    ax.figure.suptitle(
        f"The se bars overlap, yet {len(clear)} of {len(diff)} differences exceed {threshold:g} dse"
    )
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    return ax


def plot_station_lines(
    alpha: ArrayLike,
    beta: ArrayLike,
    names: Sequence[str],
    data: pd.DataFrame | None = None,
    *,
    temp_range: tuple[float, float] = (0.0, 40.0),
    ax: Axes | None = None,
) -> Axes:
    """One line alpha_j + beta_j T per station (posterior means), over the data if given.

    Returns
    -------
    Axes
        One line per station labelled with its name (station order), names written at the
        lines' right ends (plus grey points when ``data`` is given).
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    if data is not None:
        ax.scatter(
            data["TEMP"],
            data["log_ozone"],
            s=3,
            color="0.82",
            rasterized=True,
            label="station-days",
        )
    t = np.linspace(*temp_range, 50)
    a, b = np.ravel(alpha), np.ravel(beta)
    for j, (aj, bj) in enumerate(zip(a, b, strict=True)):
        ax.plot(t, aj + bj * t, color=station_color(j), label=names[j], lw=2)
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(OZONE_LABEL)
    ax.set_title("Varying slopes: each station has its own line, and the lines cross")
    lo = min(float(np.min(a + b * t[0])), float(np.min(a + b * t[-1])))
    hi = max(float(np.max(a + b * t[0])), float(np.max(a + b * t[-1])))
    if data is None:
        ax.set_ylim(lo - 0.5, hi + 0.5)
    ax.set_xlim(t[0] if data is None else min(t[0], float(data["TEMP"].min())), t[-1] + 9)
    label_ends(ax, t[-1], a + b * t[-1], list(names), [station_color(j) for j in range(len(a))])
    return ax


def plot_station_trace(
    alpha: ArrayLike,
    beta: ArrayLike,
    *,
    names: Sequence[str] | None = None,
    fig: Figure | None = None,
) -> Figure:
    r"""Trace of every station's intercept and slope (chains one after another), by station.

    Parameters
    ----------
    alpha, beta : array_like of shape (chain, draw, station)
    names : sequence of str, optional
        Station names for the legend (station order).

    Returns
    -------
    Figure
        Two axes (y labels "$\alpha_j$", "$\beta_j$"), one line per station in each, dotted
        vertical lines where a chain starts; a legend of the stations.
    """
    a, b = np.asarray(alpha), np.asarray(beta)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(2, 1, sharex=True)
    n_chains, n_draws = a.shape[0], a.shape[1]
    rows = ((axes[0], a, r"intercept $\alpha_j$"), (axes[1], b, r"slope $\beta_j$"))
    for ax, values, label in rows:
        flat = values.reshape(-1, values.shape[-1])
        for j in range(flat.shape[1]):
            ax.plot(
                flat[:, j],
                color=station_color(j),
                lw=0.6,
                label=names[j] if names is not None else None,
            )
        for c in range(1, n_chains):
            ax.axvline(c * n_draws, color="black", ls=":", lw=1.2)
        ax.set_ylabel(label)
        ax.margins(x=0)
    axes[1].set_xlabel(f"draw ({n_chains} chains of {n_draws}, one after another)")
    if names is not None:
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside right center", fontsize=13)
        for line in fig.legends[0].get_lines():
            line.set_linewidth(3)
    worst = max(split_rhat(v[..., j]) for v in (a, b) for j in range(v.shape[-1]))
    fig.suptitle("The chains mix: every station's trace is one steady band")
    axes[0].set_title(
        rf"largest split $\hat{{R}}$ of these traces: {worst:.3f}", loc="right", fontsize=15
    )
    return fig


def split_rhat(values: ArrayLike) -> float:
    """Split R-hat of one quantity (Gelman et al. 2013): each chain halved, then compared.

    Parameters
    ----------
    values : array_like of shape (chain, draw)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> round(split_rhat(rng.normal(size=(4, 500))), 2)
    1.0
    >>> split_rhat(rng.normal(size=(2, 500)) + [[0.0], [3.0]]) > 1.1
    True
    """
    v = np.asarray(values, dtype=float)
    half = v.shape[1] // 2
    chains = np.concatenate([v[:, :half], v[:, half : 2 * half]])
    n = chains.shape[1]
    within = chains.var(axis=1, ddof=1).mean()
    between = n * chains.mean(axis=1).var(ddof=1)
    return float(np.sqrt(((n - 1) / n * within + between / n) / within))


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


def plot_lines_through_data(
    data: pd.DataFrame,
    alpha: ArrayLike,
    beta: ArrayLike,
    *,
    names: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each (alpha, beta) pair is a line: through the data, a steeper slope needs a lower intercept.

    Parameters
    ----------
    data : DataFrame
        Points drawn in grey.
    alpha, beta : array_like of shape (n,)
        Pairs to draw as lines, coloured by slope; the lines are extended to T = 0 so their
        intercepts show.
    names : sequence of str, optional
        A name per line, written at its right end.

    Returns
    -------
    Axes
        One line per pair, a scatter of the data and a colour bar of the slope.
    """
    a, b = np.ravel(alpha), np.ravel(beta)
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    ax.scatter(data["TEMP"], data["log_ozone"], s=3, color="0.85", rasterized=True)
    t = np.linspace(0.0, float(data["TEMP"].max()), 50)
    cmap = plt.get_cmap("viridis")
    lo, hi = b.min(), b.max()
    colours = [cmap((bi - lo) / (hi - lo) if hi > lo else 0.5) for bi in b]
    for ai, bi, c in zip(a, b, colours, strict=True):
        ax.plot(t, ai + bi * t, color=c, lw=2)
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(lo, hi))
    ax.figure.colorbar(sm, ax=ax, label=r"slope $\beta_j$ (per °C)", pad=0.01, aspect=30)
    ax.axvline(0, color="0.4", lw=1)
    ax.set_xlabel(TEMP_LABEL)
    ax.set_ylabel(OZONE_LABEL)
    ax.set_title(r"Each ($\alpha_j$, $\beta_j$) is a line: a steeper line must start lower")
    ax.set_xlim(float(data["TEMP"].min()) - 1, t[-1] + 14)
    if names is not None:
        label_ends(ax, t[-1], a + b * t[-1], list(names), colours, text_color="0.15")
    return ax
