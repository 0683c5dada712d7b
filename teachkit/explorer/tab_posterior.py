"""Tab 5: the covarying model's posterior on the real data, embedded at build time.

Left, rho's posterior (histogram of the thinned draws) over its LKJ(eta) prior; right, the
chosen group's rows (a station's days, on the lecture's page) with lines
alpha_j + beta_j (x - c) from posterior draws, its posterior-mean line, the population line and
the other groups' mean lines. Without a fit the tab says so and shows the prior alone. The
words and decimals come with the fit (:class:`~teachkit.explorer.posterior.RealPosterior`);
the drawing is ``js/posterior.js``.
"""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np
from bokeh.layouts import row
from bokeh.models import ColumnDataSource, Range1d

from teachkit.explorer.labels import OZONE_LABELS, plain
from teachkit.explorer.layout import Tab, connect, tab_panel
from teachkit.explorer.posterior import RealPosterior
from teachkit.explorer.style import PALETTE, PageStyle, js_update
from teachkit.plots.style import station_color

__all__ = ["LINE_DRAWS", "MAX_RHO_DRAWS", "posterior_tab"]

#: Posterior lines drawn per group, and most draws of rho embedded.
LINE_DRAWS = 40
MAX_RHO_DRAWS = 4000
#: Central interval of the hyperparameter readouts (the lecture's 94%).
INTERVAL = 0.94
_LABELS = {
    "mu_alpha": "μ<sub>α</sub>",
    "mu_beta": "μ<sub>β</sub>",
    "sigma_alpha": "σ<sub>α</sub>",
    "sigma_beta": "σ<sub>β</sub>",
    "sigma": "σ",
}


def evenly(n: int, k: int) -> np.ndarray:
    """At most ``k`` indices spread evenly over ``range(n)``.

    Examples
    --------
    >>> evenly(10, 3).tolist()
    [0, 4, 9]
    """
    return np.unique(np.linspace(0, n - 1, min(n, k)).round().astype(int))


def posterior_tab(style: PageStyle, posterior: RealPosterior | None) -> Tab:
    """Build tab 5 (prior only, with a note, when ``posterior`` is None).

    Examples
    --------
    >>> posterior_tab(PageStyle(), None).panel.title
    '5 · Real posterior'
    """
    eta = 2.0 if posterior is None else posterior.eta
    rho = [] if posterior is None else posterior.rho[evenly(posterior.n_draws, MAX_RHO_DRAWS)]
    args: dict[str, Any] = {
        "rho": ColumnDataSource({"rho": rho}, name="post_rho"),
        "prior_eta": eta,
        "hist": ColumnDataSource({"lo": [], "hi": [], "density": []}, name="post_hist"),
        "prior": ColumnDataSource({"r": [], "pdf": []}, name="post_prior"),
        "readout": style.div(name="post_readout"),
        "y_range": Range1d(0, 1, name="post_y_range"),
    }
    rho_fig = _rho_figure(style, args, eta, with_draws=posterior is not None)
    if posterior is None:
        panel = tab_panel(
            style,
            name="post",
            title="5 · Real posterior",
            description="No fit was embedded in this page: only the LKJ prior of ρ is shown "
            "(build the page with a stored fit of the covarying model to see its posterior).",
            controls=[args["readout"]],
            plots=rho_fig,
        )
        return Tab(panel, js_update("posterior", args))

    names = list(posterior.group_names)
    lab = posterior.labels
    args |= _embedded(posterior)
    args["group_select"] = style.select("post_group", lab.group, names, names[0])
    args["group_readout"] = style.div(name="post_group_readout")
    args["words"] = {"rows": lab.rows, "x_term": lab.x_term}
    args["digits"] = dict(posterior.digits)
    group_fig = _group_figure(style, posterior, args)
    callback = connect(js_update("posterior", args), [args["group_select"]])
    panel = tab_panel(
        style,
        name="post",
        title="5 · Real posterior",
        description=f"The covarying model fitted to the {escape(posterior.source)} data: ρ's "
        f"posterior against its prior, and each {escape(lab.group)}'s fitted lines.",
        controls=[args["readout"], args["group_select"], args["group_readout"]],
        plots=row(rho_fig, group_fig, spacing=30),
    )
    return Tab(panel, callback)


def _embedded(posterior: RealPosterior) -> dict[str, ColumnDataSource]:
    """The fit as data sources: line draws, group means, hyperparameter summaries, rows."""
    n_groups = posterior.n_groups
    lines = evenly(posterior.n_draws, LINE_DRAWS)
    tail = (1 - INTERVAL) / 2
    hyper = {name: getattr(posterior, name) for name in _LABELS}
    return {
        "draws": ColumnDataSource(
            {
                "group": np.repeat(np.arange(n_groups, dtype=np.int32), lines.size),
                "alpha": posterior.alpha[lines].T.ravel(),
                "beta": posterior.beta[lines].T.ravel(),
            },
            name="post_draws",
        ),
        "groups": ColumnDataSource(
            {
                "name": list(posterior.group_names),
                "color": [station_color(j) for j in range(n_groups)],
                "alpha_mean": posterior.alpha.mean(axis=0),
                "beta_mean": posterior.beta.mean(axis=0),
            },
            name="post_groups",
        ),
        "hyper": ColumnDataSource(
            {
                "name": list(hyper),
                "label": [_LABELS[n] for n in hyper],
                "digits": [posterior.digits[n] for n in hyper],
                "mean": [float(d.mean()) for d in hyper.values()],
                "lo": [float(np.quantile(d, tail)) for d in hyper.values()],
                "hi": [float(np.quantile(d, 1 - tail)) for d in hyper.values()],
            },
            name="post_hyper",
        ),
        "points": ColumnDataSource(
            {
                "group": posterior.group_index.astype(np.int32),
                "x": posterior.x,
                "y": posterior.y,
            },
            name="post_points",
        ),
    }


def _rho_figure(style: PageStyle, args: dict[str, Any], eta: float, *, with_draws: bool) -> Any:
    """Histogram of rho's posterior draws (if any) over the LKJ(eta) prior of rho."""
    fig = style.figure(
        title=f"ρ: posterior against its LKJ({eta:g}) prior"
        if with_draws
        else f"ρ: its LKJ({eta:g}) prior",
        x_label="ρ",
        y_label="density",
        width=570,
        height=600,
        x_range=Range1d(-1, 1),
        y_range=args["y_range"],
    )
    if with_draws:
        fig.quad(
            left="lo",
            right="hi",
            bottom=0,
            top="density",
            source=args["hist"],
            fill_color=PALETTE[0],
            fill_alpha=0.5,
            line_color="white",
            legend_label="posterior draws",
        )
    fig.line(
        "r",
        "pdf",
        source=args["prior"],
        color="black",
        line_width=3,
        line_dash="dashed",
        legend_label=f"LKJ({eta:g}) prior",
    )
    style.legend(fig, "top_right")
    return fig


def _group_figure(style: PageStyle, posterior: RealPosterior, args: dict[str, Any]) -> Any:
    """The chosen group's rows and lines; adds its sources and renderers to ``args``."""
    lab = posterior.labels
    for key in ("group_points", "group_mean", "population"):
        args[key] = ColumnDataSource({"x": [], "y": []}, name=f"post_{key}")
    for key in ("group_draws", "other_means"):
        args[key] = ColumnDataSource({"xs": [], "ys": []}, name=f"post_{key}")
    lecture = lab == OZONE_LABELS
    x = posterior.x if posterior.x.size else np.array([0.0, 40.0 if lecture else 1.0])
    y = posterior.y if posterior.y.size else np.array([0.0, 6.0 if lecture else 1.0])
    if lecture:
        args["x_lo"] = float(np.floor(x.min())) - 1
        args["x_hi"] = float(np.ceil(x.max())) + 1
        y_pad = 0.3
    else:
        x_pad = 0.05 * float(np.ptp(x) or 1.0)
        args["x_lo"], args["x_hi"] = float(x.min()) - x_pad, float(x.max()) + x_pad
        y_pad = 0.08 * float(np.ptp(y) or 1.0)
    args["x_center"] = posterior.x_center
    args["mu_alpha"] = float(posterior.mu_alpha.mean())
    args["mu_beta"] = float(posterior.mu_beta.mean())
    fig = style.figure(
        title=f"{lab.group[:1].upper()}{lab.group[1:]} lines from the posterior",
        x_label=plain(lab.x),
        y_label=plain(lab.y),
        width=570,
        height=600,
        x_range=Range1d(args["x_lo"], args["x_hi"]),
        y_range=Range1d(float(y.min()) - y_pad, float(y.max()) + y_pad),
    )
    first = station_color(0)
    fig.multi_line(
        "xs",
        "ys",
        source=args["other_means"],
        color="#bbbbbb",
        line_width=1.5,
        legend_label=f"other {lab.groups} (means)",
    )
    args["points_renderer"] = fig.scatter(
        "x",
        "y",
        source=args["group_points"],
        size=7,
        alpha=0.5,
        line_color=None,
        fill_color=first,
        legend_label=lab.rows,
    )
    args["draws_renderer"] = fig.multi_line(
        "xs",
        "ys",
        source=args["group_draws"],
        line_alpha=0.25,
        line_width=1.5,
        color=first,
        legend_label=f"{min(LINE_DRAWS, posterior.n_draws)} posterior draws",
    )
    args["mean_renderer"] = fig.line(
        "x",
        "y",
        source=args["group_mean"],
        line_width=4,
        color=first,
        legend_label="posterior mean",
    )
    fig.line(
        "x",
        "y",
        source=args["population"],
        line_width=3,
        color="black",
        line_dash="dotted",
        legend_label="population mean",
    )
    style.legend(fig, "bottom_right")
    return fig
