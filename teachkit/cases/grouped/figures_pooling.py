r"""Grouped figures of partial pooling: intercepts and slopes pulled toward their population.

No pooling (each group's own least-squares line) against partial pooling (the multilevel
models' posterior means) in one and two dimensions; the covarying population's ellipses; a
new group drawn from the population (Gelman & Hill 2007, ch. 12-13; McElreath 2020,
*Statistical Rethinking*, 2nd ed., ch. 14).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from teachkit.cases.grouped.figures_common import (
    CASE,
    case_priors,
    columns,
    counts,
    effect_labels,
    effect_units,
    group_name,
    names,
    note_text,
    own_lines,
    posterior_means,
    shown_groups,
    shown_note,
    source,
)
from teachkit.cases.grouped.plots import HDI_PROB
from teachkit.covariance import build_covariance
from teachkit.figure_entry import Claim, FigureData, attach_claim
from teachkit.posterior import draws

if TYPE_CHECKING:
    import arviz as az
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["MAX_NAMED", "area_ratio", "new_group_draws", "shrinkage_1d_figure"]

#: Groups named in a legend at most (each has its own colour up to 12, the palette's size).
MAX_NAMED = 12


def _intercepts(ctx: FigureData) -> Figure:
    from teachkit.cases.grouped.plots import plot_intercepts
    from teachkit.plots.labels import note

    data = ctx.data(CASE)
    idata = ctx.fit(CASE, "covarying")
    alpha = draws(idata, "alpha")
    tail = (1 - HDI_PROB) / 2
    interval = np.quantile(alpha, [tail, 1 - tail], axis=0).T
    own = own_lines(data)[:, 0]
    rows = counts(data)
    j = np.sort(shown_groups(rows))
    ax = plot_intercepts(
        own[j],
        alpha.mean(axis=0)[j],
        interval[j],
        [group_name(data, names(data)[i]) for i in j],
        rows[j],
        label=effect_labels(data)[0],
        group_label=columns(data)["group"],
    )
    note(
        ax.figure,
        note_text(
            source(ctx, data),
            "no pooling: each group's own least-squares line",
            "partial pooling: covarying model, posterior means",
            shown_note(rows),
        ),
    )
    return ax.figure


def shrinkage_1d_figure(
    own: np.ndarray,
    partial: np.ndarray,
    pooled: float,
    *,
    names: Sequence[str],
    rows: np.ndarray,
    label: str,
) -> Axes:
    r"""Arrows from each group's own intercept to its partial-pooling one; the median share.

    The share of the way to :math:`\mu_\alpha` is :math:`(\hat\alpha_j^\text{own} -
    \hat\alpha_j) / (\hat\alpha_j^\text{own} - \hat\mu_\alpha)`. With equal rows per group
    the varying-intercepts model moves every group by the same share,
    :math:`1 / (1 + n \sigma_\alpha^2 / \sigma^2)` (Gelman & Hill 2007, eq. 12.1); a group
    whose own estimate lies near :math:`\mu_\alpha` divides a small difference by a small
    distance, so its share is noisy. The title states the median share, which such groups do
    not sway.
    """
    from teachkit.plots.pooling import plot_shrinkage_1d, shrinkage_fraction

    moved = shrinkage_fraction(own, partial, pooled)
    median = float(np.median(moved))
    title = (
        f"Each intercept moves a median {median:.0%} of the way to the population mean "
        r"$\mu_\alpha$"
    )
    ax = plot_shrinkage_1d(
        own,
        partial,
        pooled,
        names=list(names),
        counts=rows,
        unit="rows",
        label=label,
        title=title,
        pooled_name=r"$\mu_\alpha$",
    )
    ax.tick_params(axis="y", labelsize=max(8, min(16, int(420 / max(len(moved), 1)))))
    attach_claim(ax.figure, Claim(title, {"median": median}, {"moved": moved}))
    return ax


def _shrinkage_1d(ctx: FigureData) -> Figure:
    from teachkit.plots.labels import note

    data = ctx.data(CASE)
    idata = ctx.fit(CASE, "varying_intercepts")
    beta = float(draws(idata, "beta").mean())
    own = own_lines(data, common_slope=beta)[:, 0]
    rows = counts(data)
    j = np.sort(shown_groups(rows))
    ax = shrinkage_1d_figure(
        own[j],
        posterior_means(idata, "alpha")[j],
        float(draws(idata, "mu_alpha").mean()),
        names=[group_name(data, names(data)[i]) for i in j],
        rows=rows[j],
        label=effect_labels(data)[0],
    )
    note(
        ax.figure,
        note_text(
            source(ctx, data),
            "varying-intercepts model, posterior means",
            "own estimate: the group's mean of y minus the common slope's line",
            shown_note(rows),
        ),
    )
    return ax.figure


def _shrinkage_panel(idata: az.InferenceData, own: np.ndarray, model: str) -> object:
    from teachkit.plots.shrinkage import ShrinkagePanel

    mean = {
        v: float(draws(idata, v).mean())
        for v in ("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta")
    }
    rho = float(draws(idata, "rho").mean()) if model == "covarying" else 0.0
    cov = build_covariance([mean["sigma_alpha"], mean["sigma_beta"]], [[1.0, rho], [rho, 1.0]])
    partial = np.column_stack([posterior_means(idata, "alpha"), posterior_means(idata, "beta")])
    return ShrinkagePanel(own, partial, [mean["mu_alpha"], mean["mu_beta"]], cov)


def area_ratio(own: np.ndarray, partial: np.ndarray) -> float:
    r"""How much of the own estimates' spread the partial-pooling ones keep, as an area.

    :math:`\sqrt{\det \hat\Sigma_\text{partial} / \det \hat\Sigma_\text{own}}`, the ratio of
    the two point clouds' sample-covariance ellipses' areas.
    """
    return float(np.sqrt(np.linalg.det(np.cov(partial.T)) / np.linalg.det(np.cov(own.T))))


def _shrinkage_2d(ctx: FigureData) -> Figure:
    from teachkit.plots.labels import note
    from teachkit.plots.shrinkage import plot_shrinkage_pair

    data = ctx.data(CASE)
    own = own_lines(data)
    keep = ~np.isnan(own).any(axis=1)
    panels = {
        "independent prior (varying slopes)": _shrinkage_panel(
            ctx.fit(CASE, "varying_slopes"), own, "varying_slopes"
        ),
        rf"covarying prior (LKJ({case_priors(ctx).lkj_eta:g}) on $\rho$)": _shrinkage_panel(
            ctx.fit(CASE, "covarying"), own, "covarying"
        ),
    }
    ratios = [area_ratio(own[keep], np.asarray(p.partial)[keep]) for p in panels.values()]  # type: ignore[attr-defined]
    title = (
        f"Partial pooling shrinks the groups' cloud to {ratios[0]:.0%} (independent)\n"
        f"and {ratios[1]:.0%} (covarying) of its no-pooling area"
    )
    fig = plot_shrinkage_pair(
        panels,
        counts(data),
        [group_name(data, n) for n in names(data)],
        labels=effect_labels(data, wrap=True),
        noun="group",
        unit="rows",
        name_groups=len(names(data)) <= MAX_NAMED,
        title=title,
    )  # type: ignore[arg-type]
    note(
        fig,
        note_text(
            source(ctx, data),
            "posterior means",
            "ellipses: the population at its posterior means",
            "area: of the points' covariance ellipse",
        ),
    )
    return attach_claim(
        fig, Claim(title, {"independent": ratios[0], "covarying": ratios[1]}, {"own": own[keep]})
    )


def _alpha_beta(ctx: FigureData) -> Figure:
    from teachkit.plots.labels import note
    from teachkit.plots.population import plot_alpha_beta_population

    data = ctx.data(CASE)
    idata = ctx.fit(CASE, "covarying")
    mean = [float(draws(idata, v).mean()) for v in ("mu_alpha", "mu_beta")]
    sds = [float(draws(idata, v).mean()) for v in ("sigma_alpha", "sigma_beta")]
    rho = float(draws(idata, "rho").mean())
    cov = build_covariance(sds, [[1.0, rho], [rho, 1.0]])
    ax = plot_alpha_beta_population(
        draws(idata, "alpha"),
        draws(idata, "beta"),
        mean,
        cov,
        [group_name(data, n) for n in names(data)],
        labels=effect_labels(data),
        noun="group",
        r_of="the groups' posterior-mean\nintercepts and slopes",
        name_groups=len(names(data)) <= MAX_NAMED,  # too many to name: only the key
    )
    note(
        ax.figure,
        note_text(
            source(ctx, data),
            "covarying model",
            "clouds: each group's posterior draws",
            r"ellipses: the population at the posterior means of $\mu$, $\sigma$ and $\rho$",
        ),
    )
    return ax.figure


def new_group_draws(idata: az.InferenceData, *, rng: int | np.random.Generator) -> np.ndarray:
    r"""A new group's (alpha, beta), one per posterior draw of the population.

    :math:`\alpha = \mu_\alpha + \sigma_\alpha z_1`, :math:`\beta = \mu_\beta + \sigma_\beta
    (\rho z_1 + \sqrt{1 - \rho^2} z_2)`, :math:`z \sim N(0, I)`; :math:`\rho = 0` for a fit
    without ``rho`` (varying slopes).

    Returns
    -------
    ndarray of shape (n_draws, 2)
    """
    gen = np.random.default_rng(rng)
    mu_a, mu_b = draws(idata, "mu_alpha"), draws(idata, "mu_beta")
    s_a, s_b = draws(idata, "sigma_alpha"), draws(idata, "sigma_beta")
    rho = draws(idata, "rho") if "rho" in idata.posterior else np.zeros_like(mu_a)
    z = gen.standard_normal((2, len(mu_a)))
    return np.column_stack(
        [mu_a + s_a * z[0], mu_b + s_b * (rho * z[0] + np.sqrt(1 - rho**2) * z[1])]
    )


def _new_group(ctx: FigureData) -> Figure:
    from teachkit.plots.labels import note
    from teachkit.plots.population import plot_new_station

    data = ctx.data(CASE)
    titles = {
        "varying_slopes": r"varying slopes: $\alpha$, $\beta$ independent",
        "covarying": r"covarying: $(\alpha, \beta) \sim \mathrm{MVNormal}$",
    }
    predictive, estimates = {}, {}
    for model, title in titles.items():
        idata = ctx.fit(CASE, model)
        predictive[title] = new_group_draws(idata, rng=ctx.seed)
        estimates[title] = np.column_stack(
            [posterior_means(idata, "alpha"), posterior_means(idata, "beta")]
        )
    intercept, slope = effect_units(data)
    labels = (r"$\alpha$" + f"\n{intercept}", r"$\beta$" + f"\n{slope}")
    fig = plot_new_station(predictive, estimates, noun="group", labels=labels)
    note(
        fig,
        note_text(
            source(ctx, data),
            "grey: a new group's draws, one per posterior draw",
            "points: the groups' posterior means",
        ),
    )
    return fig
