r"""Grouped figures of how the fit went and which model to keep: the funnel and PSIS-LOO.

The funnel shows the centred covarying fit's group intercept against :math:`\sigma_\alpha`
(Betancourt & Girolami 2015); whether it opens depends on how much a group's rows weigh
against the population prior, :math:`\kappa = n_j \sigma_\alpha^2 / \sigma^2`
(:mod:`teachkit.cases.grouped.advice`), which the note states. The comparison is by
PSIS-LOO (Vehtari, Gelman & Gabry 2017).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from teachkit.cases.grouped.advice import DATA_DOMINATE
from teachkit.cases.grouped.figures_common import (
    CASE,
    columns,
    counts,
    group_name,
    names,
    note_text,
    source,
)
from teachkit.figure_entry import Claim, FigureData, attach_claim
from teachkit.plots.funnel import NECK_QUANTILE
from teachkit.posterior import draws

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FUNNEL_TARGET_ACCEPT", "NECK_QUANTILE", "funnel_group", "funnel_reason"]

#: NUTS's target acceptance in the funnel: the samplers' own default, at which a centred fit
#: shows its divergences (teachkit's default, 0.95, hides most of them).
FUNNEL_TARGET_ACCEPT = 0.8


def funnel_group(data: pd.DataFrame) -> int:
    """The group the funnel plots: the one with the fewest rows (the first of a tie)."""
    return int(np.argmin(counts(data)))


def funnel_reason(group: str, rows: int, kappa: float) -> str:
    r"""Why the funnel opens or not, from :math:`\kappa = n_j \sigma_\alpha^2 / \sigma^2`.

    :math:`\kappa` is the odds with which partial pooling weighs the group's own rows
    against the population prior. At or above
    :data:`~teachkit.cases.grouped.advice.DATA_DOMINATE` the rows pin the group's intercept
    whatever :math:`\sigma_\alpha` is, so the centred posterior is no funnel; below it the
    prior dominates and the posterior narrows as :math:`\sigma_\alpha` shrinks.

    Examples
    --------
    >>> text = funnel_reason("cafe 1", 10, 0.5)
    >>> text.split(": ")[1]
    '10 rows weigh $\\kappa = n\\sigma_\\alpha^2/\\sigma^2 \\approx$ 0.5 times the population prior'
    >>> text.endswith("into a funnel")
    True
    """
    weigh = (
        f"{group}: {rows} rows weigh "
        rf"$\kappa = n\sigma_\alpha^2/\sigma^2 \approx$ {kappa:.2g} times the population prior"
    )
    if kappa >= DATA_DOMINATE:
        return (
            rf"{weigh}: they pin its intercept at any $\sigma_\alpha$, so the funnel barely opens"
        )
    narrows = r"the intercept narrows with $\sigma_\alpha$ into a funnel"
    return f"{weigh}: the prior dominates, so {narrows}"


def _funnel(ctx: FigureData) -> Figure:
    from matplotlib.ticker import MaxNLocator

    from teachkit.plots.funnel import FunnelCount, FunnelDraws, plot_funnel_neck
    from teachkit.plots.labels import note

    data = ctx.data(CASE)
    j = funnel_group(data)
    name = group_name(data, names(data)[j])
    y = columns(data)["y"]
    panels, kappa = {}, 0.0
    for label, coding in (("centred", "centered"), ("non-centred", "noncentered")):
        idata = ctx.fit(
            CASE, "covarying", parameterization=coding, target_accept=FUNNEL_TARGET_ACCEPT
        )
        log_sd = np.log(draws(idata, "sigma_alpha"))
        divergent = idata.sample_stats["diverging"].to_numpy().astype(bool).ravel()
        if coding == "centered":
            x = draws(idata, "alpha")[:, j] - draws(idata, "mu_alpha")
            xlabel = rf"$\alpha_j - \mu_\alpha$ ({name}, {y})"
            sd_a, sd = (float(draws(idata, v).mean()) for v in ("sigma_alpha", "sigma"))
            kappa = counts(data)[j] * sd_a**2 / sd**2
        else:
            x = draws(idata, "z")[:, j, 0]
            xlabel = rf"$z_{{j,\alpha}}$ ({name}, standardised)"
        panels[label] = FunnelDraws(x, log_sd, divergent, xlabel)
    count = FunnelCount.of(panels)
    neck, title = count.neck, count.title()
    fig = plot_funnel_neck(
        panels,
        neck,
        ylabel=rf"$\sigma_\alpha$ ({y}, log scale)",
        neck_label=rf"neck: $\sigma_\alpha$ below {np.exp(neck):.2g}",
        title=title,
    )
    for ax in fig.axes[:2]:  # the panels' x ranges differ: few ticks on each
        ax.xaxis.set_major_locator(MaxNLocator(4))
    note(
        fig,
        note_text(
            source(ctx, data),
            f"covarying model, NUTS target acceptance {FUNNEL_TARGET_ACCEPT} (the samplers' "
            "own default)",
            f"{funnel_reason(name, int(counts(data)[j]), kappa)} (posterior means)",
        ),
    )
    numbers = {**count.numbers(), "kappa": kappa}
    return attach_claim(fig, Claim(title, numbers, {"log_sd": count.log_sd}))


def _loo(ctx: FigureData) -> Figure:
    from teachkit.loo import compare_elpd
    from teachkit.plots.labels import note
    from teachkit.plots.loo import plot_loo_step

    models = ctx.case(CASE).compared_models
    elpds = {m: ctx.elpd(CASE, m) for m in models}
    table = compare_elpd(elpds)
    reference = models[0]
    rows = {reference: (0.0, 0.0)}
    for m in models[1:]:
        pair = compare_elpd({reference: elpds[reference], m: elpds[m]})
        sign = 1.0 if pair.index[0] == m else -1.0
        rows[m] = (sign * float(pair["d_loo"].max()), float(pair["dse"].max()))
    gains = pd.DataFrame.from_dict(rows, orient="index", columns=["gain", "dse"])
    low_e = float((table["elpd_loo"] - table["se"]).min())
    high_e = float((table["elpd_loo"] + table["se"]).max())
    pad = 0.08 * (high_e - low_e)
    low = min(0.0, float((gains["gain"] - gains["dse"]).min()))
    high = max(0.0, float((gains["gain"] + gains["dse"]).max()))
    fig = plot_loo_step(
        table,
        gains,
        models,
        reference=reference,
        elpd_lim=(low_e - pad, high_e + pad),
        diff_lim=(low - 0.08 * (high - low), high + 0.95 * (high - low)),
    )
    data = ctx.data(CASE)
    note(
        fig,
        note_text(
            source(ctx, data),
            f"{len(models)} models compared by PSIS-LOO",
            "dse: standard error of the difference",
        ),
    )
    return fig
