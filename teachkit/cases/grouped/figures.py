r"""The figures of any grouped table: ``teachkit figures --case grouped --data FILE.csv ...``.

Each function draws one figure from a :class:`~teachkit.figure_entry.FigureData` whose
``grouped`` case is configured with the user's columns and priors (without a table: the
cafés). The axes carry the user's column names as given; a group is called "group". The plots
shared with the ozone lecture come from :mod:`teachkit.plots` (the funnel, 2-D shrinkage, the
LOO comparison, the population and a new group, 1-D shrinkage); the others from
:mod:`teachkit.cases.grouped.plots`. None has a storyboard row: they are not the lecture's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from teachkit.cases.grouped.plots import HDI_PROB, column_label
from teachkit.covariance import build_covariance
from teachkit.figure_entry import Claim, FigureData, FigureEntry, attach_claim
from teachkit.posterior import draws

if TYPE_CHECKING:
    import arviz as az
    from matplotlib.figure import Figure

    from teachkit.cases.grouped.priors import LinePriors

__all__ = [
    "FIGURES",
    "FUNNEL_TARGET_ACCEPT",
    "MAX_NAMED",
    "MAX_ROWS",
    "NECK_QUANTILE",
    "PRIOR_LINES",
    "REPLICATES",
    "area_ratio",
    "funnel_group",
    "new_group_draws",
    "prior_line_draws",
    "shown_groups",
]

CASE = "grouped"
#: Prior lines drawn on the prior predictive figure.
PRIOR_LINES = 200
#: Posterior draws whose replicated data the predictive figure summarises.
REPLICATES = 400
#: At most this many groups get a row of their own on the 1-D figures (more would not read
#: at slide size): the groups at evenly spaced ranks of their rows, fewest first.
MAX_ROWS = 30
#: Groups named in a legend at most (each has its own colour up to 12, the palette's size).
MAX_NAMED = 12
#: NUTS's target acceptance in the funnel: the samplers' own default, at which a centred fit
#: shows its divergences (teachkit's default, 0.95, hides most of them).
FUNNEL_TARGET_ACCEPT = 0.8
#: The funnel's neck: log sigma_alpha below this quantile of both panels' draws together.
NECK_QUANTILE = 0.2


def _names(data: pd.DataFrame) -> list[str]:
    """The groups' labels in the models' order (sorted)."""
    return [str(g) for g in np.unique(data["group"].to_numpy())]


def _counts(data: pd.DataFrame) -> np.ndarray:
    """Rows per group in the models' order."""
    return data.groupby("group", sort=True).size().to_numpy()


def _index(data: pd.DataFrame) -> np.ndarray:
    return np.searchsorted(np.unique(data["group"].to_numpy()), data["group"].to_numpy())


def _columns(data: pd.DataFrame) -> dict[str, str]:
    """The user's column names (``y``, ``x``, ``group``), mathtext-safe."""
    names = data.attrs.get("columns", {"y": "y", "x": "x", "group": "group"})
    return {role: column_label(name) for role, name in names.items()}


def _raw(data: pd.DataFrame) -> dict[str, str]:
    """The user's column names as given (the plots escape them)."""
    return dict(data.attrs.get("columns", {"y": "y", "x": "x", "group": "group"}))


def _center(data: pd.DataFrame) -> float:
    return float(data.attrs.get("x_center", 0.0))


def _x(data: pd.DataFrame) -> np.ndarray:
    """The x values on the user's scale (centring undone)."""
    return data["x"].to_numpy(dtype=float) + _center(data)


def _at(data: pd.DataFrame) -> str:
    """Where the intercepts are: at x = 0, or at the mean of x when x is centred."""
    c = _columns(data)["x"]
    return f"at {c} = {_center(data):.3g}" if "x_center" in data.attrs else f"at {c} = 0"


def _effect_labels(data: pd.DataFrame) -> tuple[str, str]:
    c = _columns(data)
    return (
        rf"intercept $\alpha_j$ ({c['y']} {_at(data)})",
        rf"slope $\beta_j$ ({c['y']} per unit of {c['x']})",
    )


def _source(ctx: FigureData, data: pd.DataFrame) -> str:
    """Which data: the table's size and groups, simulated or not."""
    what = "simulated on the table's design" if ctx.source == "simulated" else "the table"
    return f"{what}: {len(data)} rows in {data['group'].nunique()} groups"


def _priors(ctx: FigureData) -> LinePriors:
    study = ctx.case(CASE).with_data(ctx.data(CASE))
    return study.priors()  # type: ignore[attr-defined]


def shown_groups(counts: np.ndarray, most: int = MAX_ROWS) -> np.ndarray:
    """Which groups get a row: all of them, or ``most`` at evenly spaced ranks of their rows.

    Examples
    --------
    >>> shown_groups(np.array([5, 1, 3]), 2).tolist()
    [1, 0]
    """
    order = np.argsort(counts, kind="stable")
    if len(order) <= most:
        return np.arange(len(counts))
    return order[np.unique(np.linspace(0, len(order) - 1, most).round().astype(int))]


def _shown_note(counts: np.ndarray) -> str:
    shown = len(shown_groups(counts))
    return "" if shown == len(counts) else f"; {shown} of {len(counts)} groups shown, by rows"


# --- the priors --------------------------------------------------------------------------------


def prior_line_draws(
    priors: LinePriors, n: int, *, rng: int | np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    r"""A group's intercept and slope under the priors: :math:`\mu + \sigma_{\cdot} z`.

    :math:`\alpha = \mu_\alpha + \sigma_\alpha z_1`, :math:`\beta = \mu_\beta + \sigma_\beta
    z_2` with :math:`\mu_\alpha, \mu_\beta, \sigma_\alpha, \sigma_\beta` drawn from their priors
    and :math:`z \sim N(0, I)` (the varying-slopes model's prior; the covarying model's LKJ
    prior on :math:`\rho` is symmetric about 0, so its lines spread alike).
    """
    from scipy import stats

    gen = np.random.default_rng(rng)
    families = {
        "halfcauchy": stats.halfcauchy,
        "halfnormal": stats.halfnorm,
        "exponential": stats.expon,
    }

    def scale(prior: object) -> np.ndarray:
        return families[prior.family].rvs(scale=prior.scale, size=n, random_state=gen)  # type: ignore[attr-defined]

    mu_a = gen.normal(priors.intercept.mean, priors.intercept.sd, n)
    mu_b = gen.normal(priors.slope.mean, priors.slope.sd, n)
    z = gen.standard_normal((2, n))
    return mu_a + scale(priors.sigma_alpha) * z[0], mu_b + scale(priors.sigma_beta) * z[1]


def _prior_predictive(ctx: FigureData) -> Figure:
    from teachkit.cases.grouped.plots import plot_prior_lines
    from teachkit.plots.labels import note, symbol

    data = ctx.data(CASE)
    priors = _priors(ctx)
    a, b = prior_line_draws(priors, PRIOR_LINES, rng=ctx.seed)
    c = _columns(data)
    ax = plot_prior_lines(
        _x(data),
        data["y"],
        a,
        b,
        x_center=_center(data),
        labels=(c["x"], c["y"]),
        priors_name=column_label(priors.source),
        y_name=_raw(data)["y"],
    )
    text = "; ".join(
        f"{symbol(k.split(' ')[0])} ~ {v}"
        for k, v in priors.describe().items()
        if k.startswith(("mu", "sigma_"))
    )
    note(ax.figure, f"{_source(ctx, data)}; a group's line, intercept and slope drawn from\n{text}")
    return ax.figure


# --- the fits: lines and intercepts ------------------------------------------------------------


def _means(idata: az.InferenceData, name: str) -> np.ndarray:
    return draws(idata, name).mean(axis=0)


def _group_lines(ctx: FigureData) -> Figure:
    from teachkit.cases.grouped.plots import plot_group_lines
    from teachkit.plots.labels import note

    data = ctx.data(CASE)
    idata = ctx.fit(CASE, "covarying")
    c = _columns(data)
    ax = plot_group_lines(
        _x(data),
        data["y"],
        _index(data),
        _means(idata, "alpha"),
        _means(idata, "beta"),
        _names(data),
        x_center=_center(data),
        labels=(c["x"], c["y"]),
        x_name=_raw(data)["x"],
    )
    note(
        ax.figure,
        f"{_source(ctx, data)}; covarying model, each group's line at its posterior means",
    )
    return ax.figure


def _own_lines(data: pd.DataFrame, common_slope: float | None = None) -> np.ndarray:
    """Each group's own least-squares line (no pooling; Gelman & Hill 2007, sec. 12.2).

    As :func:`teachkit.cases.grouped.models.no_pooling_estimates` on the canonical table
    (``group``, ``x``, ``y``): (alpha_j, beta_j) in sorted group order; with
    ``common_slope``, each group's intercept given that slope; NaN for a group whose x does
    not vary.
    """
    rows = []
    for _, g in data.groupby("group", sort=True):
        x, y = g["x"].to_numpy(dtype=float), g["y"].to_numpy(dtype=float)
        if common_slope is not None:
            rows.append((float(np.mean(y - common_slope * x)), common_slope))
        elif len(x) > 1 and np.ptp(x) > 0:
            b, a = np.polyfit(x, y, 1)
            rows.append((a, b))
        else:
            rows.append((np.nan, np.nan))
    return np.array(rows, dtype=float)


def _intercepts(ctx: FigureData) -> Figure:
    from teachkit.cases.grouped.plots import plot_intercepts
    from teachkit.plots.labels import note

    data = ctx.data(CASE)
    idata = ctx.fit(CASE, "covarying")
    alpha = draws(idata, "alpha")
    tail = (1 - HDI_PROB) / 2
    interval = np.quantile(alpha, [tail, 1 - tail], axis=0).T
    own = _own_lines(data)[:, 0]
    counts = _counts(data)
    j = np.sort(shown_groups(counts))
    names = _names(data)
    ax = plot_intercepts(
        own[j],
        alpha.mean(axis=0)[j],
        interval[j],
        [names[i] for i in j],
        counts[j],
        label=_effect_labels(data)[0],
    )
    note(
        ax.figure,
        f"{_source(ctx, data)}; no pooling: each group's own least-squares line; "
        f"partial pooling: covarying model, posterior means{_shown_note(counts)}",
    )
    return ax.figure


def _shrinkage_1d(ctx: FigureData) -> Figure:
    from teachkit.plots.labels import note
    from teachkit.plots.pooling import plot_shrinkage_1d, shrinkage_fraction

    data = ctx.data(CASE)
    idata = ctx.fit(CASE, "varying_intercepts")
    beta = float(draws(idata, "beta").mean())
    own = _own_lines(data, common_slope=beta)[:, 0]
    partial = _means(idata, "alpha")
    pooled = float(draws(idata, "mu_alpha").mean())
    counts = _counts(data)
    j = np.sort(shown_groups(counts))
    names = _names(data)
    moved = shrinkage_fraction(own[j], partial[j], pooled)
    title = (
        f"Intercepts move {moved.min():.0%} to {moved.max():.0%} of the way to the "
        r"population mean $\mu_\alpha$"
    )
    ax = plot_shrinkage_1d(
        own[j],
        partial[j],
        pooled,
        names=[names[i] for i in j],
        counts=counts[j],
        unit="rows",
        label=_effect_labels(data)[0],
        title=title,
        pooled_name=r"$\mu_\alpha$",
    )
    note(
        ax.figure,
        f"{_source(ctx, data)}; varying-intercepts model, posterior means; own "
        f"estimate: the group's mean of y minus the common slope's line"
        f"{_shown_note(counts)}",
    )
    return attach_claim(
        ax.figure, Claim(title, {"low": moved.min(), "high": moved.max()}, {"moved": moved})
    )


def _shrinkage_panel(idata: az.InferenceData, own: np.ndarray, model: str) -> object:
    from teachkit.plots.shrinkage import ShrinkagePanel

    mean = {
        v: float(draws(idata, v).mean())
        for v in ("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta")
    }
    rho = float(draws(idata, "rho").mean()) if model == "covarying" else 0.0
    cov = build_covariance([mean["sigma_alpha"], mean["sigma_beta"]], [[1.0, rho], [rho, 1.0]])
    partial = np.column_stack([_means(idata, "alpha"), _means(idata, "beta")])
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
    own = _own_lines(data)
    keep = ~np.isnan(own).any(axis=1)
    panels = {
        "independent prior (varying slopes)": _shrinkage_panel(
            ctx.fit(CASE, "varying_slopes"), own, "varying_slopes"
        ),
        rf"covarying prior (LKJ({_priors(ctx).lkj_eta:g}) on $\rho$)": _shrinkage_panel(
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
        _counts(data),
        _names(data),
        labels=_effect_labels(data),
        noun="group",
        unit="rows",
        name_groups=len(_names(data)) <= MAX_NAMED,
        title=title,
    )  # type: ignore[arg-type]
    note(
        fig,
        f"{_source(ctx, data)}; posterior means; ellipses: the population at its "
        "posterior means; area: of the points' covariance ellipse",
    )
    return attach_claim(
        fig, Claim(title, {"independent": ratios[0], "covarying": ratios[1]}, {"own": own[keep]})
    )


# --- the population, a new group, the funnel ----------------------------------------------------


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
        _names(data),
        labels=_effect_labels(data),
        noun="group",
    )
    if len(_names(data)) > MAX_NAMED:
        ax.get_legend().remove()  # too many groups to name: the clouds speak for themselves
    note(
        ax.figure,
        f"{_source(ctx, data)}; covarying model; clouds: each group's posterior "
        r"draws; ellipses: the population at the posterior means of $\mu$, "
        r"$\sigma$ and $\rho$",
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
        estimates[title] = np.column_stack([_means(idata, "alpha"), _means(idata, "beta")])
    c = _columns(data)
    labels = (rf"$\alpha$ ({c['y']} {_at(data)})", rf"$\beta$ ({c['y']} per unit of {c['x']})")
    fig = plot_new_station(predictive, estimates, noun="group", labels=labels)
    note(
        fig,
        f"{_source(ctx, data)}; grey: a new group's draws, one per posterior draw; "
        "points: the groups' posterior means",
    )
    return fig


def funnel_group(data: pd.DataFrame) -> int:
    """The group the funnel plots: the one with the fewest rows (the first of a tie)."""
    return int(np.argmin(_counts(data)))


def _funnel(ctx: FigureData) -> Figure:

    from matplotlib.ticker import MaxNLocator

    from teachkit.plots.funnel import FunnelDraws, in_neck, plot_funnel_neck
    from teachkit.plots.labels import note

    data = ctx.data(CASE)
    j = funnel_group(data)
    name = column_label(_names(data)[j])
    y = _columns(data)["y"]
    panels = {}
    for label, coding in (("centred", "centered"), ("non-centred", "noncentered")):
        idata = ctx.fit(
            CASE, "covarying", parameterization=coding, target_accept=FUNNEL_TARGET_ACCEPT
        )
        log_sd = np.log(draws(idata, "sigma_alpha"))
        divergent = idata.sample_stats["diverging"].to_numpy().astype(bool).ravel()
        if coding == "centered":
            x = draws(idata, "alpha")[:, j] - draws(idata, "mu_alpha")
            xlabel = rf"$\alpha_j - \mu_\alpha$ (group {name}, {y})"
        else:
            x = draws(idata, "z")[:, j, 0]
            xlabel = rf"$z_{{j,\alpha}}$ (group {name}, standardised)"
        panels[label] = FunnelDraws(x, log_sd, divergent, xlabel)
    every = np.concatenate([np.ravel(p.log_sd) for p in panels.values()])
    neck = float(np.quantile(every, NECK_QUANTILE))
    centred, other = panels["centred"], panels["non-centred"]
    n_c, n_n = int(np.sum(centred.divergent)), int(np.sum(other.divergent))
    k_c = int(np.sum(np.asarray(centred.divergent) & in_neck(centred.log_sd, neck)))
    title = f"Centred: {n_c} divergent draws, {k_c} of them in the neck; non-centred: {n_n}"
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
        f"{_source(ctx, data)}; covarying model, NUTS target acceptance "
        f"{FUNNEL_TARGET_ACCEPT} (the samplers' own default)",
    )
    numbers = {
        "centred divergent": n_c,
        "centred in neck": k_c,
        "non-centred divergent": n_n,
        "neck": neck,
    }
    return attach_claim(fig, Claim(title, numbers, {"log_sd": every}))


# --- the comparison and the posterior predictive ------------------------------------------------


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
        f"{_source(ctx, data)}; {len(models)} models compared by PSIS-LOO; dse: "
        "standard error of the difference",
    )
    return fig


def _posterior_predictive(ctx: FigureData) -> Figure:
    from teachkit.cases.grouped.plots import plot_group_predictive
    from teachkit.plots.labels import note

    data = ctx.data(CASE)
    idata = ctx.fit(CASE, "covarying")
    alpha, beta, sigma = draws(idata, "alpha"), draws(idata, "beta"), draws(idata, "sigma")
    gen = np.random.default_rng(ctx.seed)
    pick = gen.choice(len(sigma), size=min(REPLICATES, len(sigma)), replace=False)
    idx, x = _index(data), data["x"].to_numpy(dtype=float)
    mu = alpha[pick][:, idx] + beta[pick][:, idx] * x
    y_rep = mu + sigma[pick, None] * gen.standard_normal(mu.shape)
    counts = _counts(data)
    means = np.stack([np.bincount(idx, weights=r, minlength=len(counts)) / counts for r in y_rep])
    observed = np.bincount(idx, weights=data["y"].to_numpy(dtype=float)) / counts
    j = np.sort(shown_groups(counts))
    names = _names(data)
    ax = plot_group_predictive(
        observed[j],
        means[:, j],
        [names[i] for i in j],
        label=f"mean of {_columns(data)['y']} per group",
        y_name=_raw(data)["y"],
    )
    note(
        ax.figure,
        f"{_source(ctx, data)}; covarying model, {len(pick)} replicated data sets "
        f"(one per posterior draw){_shown_note(counts)}",
    )
    return ax.figure


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "grouped-prior-predictive",
        "Lines the priors in use allow, against the data's range",
        _prior_predictive,
        point="Before any fit, the priors say which lines are plausible: weakly informative "
        "priors allow lines far outside the data's range, but not absurd ones.",
    ),
    FigureEntry(
        "grouped-lines",
        "The data and each group's fitted line (covarying model)",
        _group_lines,
        point="Every group gets its own line: the groups differ in slope as well as in level, "
        "and the steepest and the flattest show by how much.",
    ),
    FigureEntry(
        "grouped-intercepts",
        "Each group's intercept, no pooling against partial pooling",
        _intercepts,
        point="Partial pooling pulls the groups' intercepts toward each other, most for groups "
        "whose own line is far from the rest.",
    ),
    FigureEntry(
        "grouped-shrinkage-1d",
        "Intercepts from no pooling to partial pooling, arrows",
        _shrinkage_1d,
        point="Under varying intercepts each group's own intercept moves part of the way to "
        "the population mean, further when the group says less.",
    ),
    FigureEntry(
        "grouped-shrinkage-2d",
        "2-D shrinkage of (alpha_j, beta_j) under the independent and the covarying prior",
        _shrinkage_2d,
        point="In two dimensions partial pooling shrinks intercepts and slopes together; a "
        "covarying prior pulls them along the population's tilted ellipse.",
    ),
    FigureEntry(
        "grouped-alpha-beta",
        "Groups' (alpha_j, beta_j) with the covarying population's ellipses",
        _alpha_beta,
        point="The covarying model estimates how intercepts and slopes vary together: its rho "
        "and the correlation of the groups' estimates tell the same story.",
    ),
    FigureEntry(
        "grouped-new-group",
        "A new group's (alpha, beta) under varying slopes and covarying",
        _new_group,
        point="For a new group the covarying model predicts the slope from the intercept; "
        "independent effects cannot.",
    ),
    FigureEntry(
        "grouped-funnel",
        "The centred fit's funnel: sigma_alpha against one group's alpha",
        _funnel,
        point="Coded centred, the posterior of a group's intercept narrows into a funnel as "
        "sigma_alpha shrinks and the sampler diverges there; non-centred it does not.",
    ),
    FigureEntry(
        "grouped-loo",
        "PSIS-LOO comparison of the four models",
        _loo,
        point="Judge the models by the difference in elpd against its own standard error "
        "(dse), not by overlapping se bars.",
    ),
    FigureEntry(
        "grouped-posterior-predictive",
        "Each group's observed mean against its posterior predictive interval",
        _posterior_predictive,
        point="A model that fits reproduces each group's mean: nearly every observed mean "
        "lies inside its predictive interval.",
    ),
)
