r"""Grouped figures on the data's own scale: the priors' lines, the fitted lines, a check.

Before the fit, the lines a group may have under the priors; after it, each group's line;
then whether data replicated from the fit look like the table. The check uses each group's
spread of y (its rows' sd): the models give every group its own line, so a group's mean is
fitted by its own parameters and says little, but all groups share one residual sd
:math:`\sigma`, so a group whose rows scatter more (or less) than the others stands out
(Gelman et al. 2013, *Bayesian Data Analysis*, 3rd ed., sec. 6.3: choose test quantities
the model does not fit directly).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from teachkit.cases.grouped.figures_common import (
    CASE,
    case_priors,
    columns,
    counts,
    group_index,
    group_name,
    names,
    note_text,
    posterior_means,
    raw_columns,
    shown_groups,
    shown_note,
    source,
    x_center,
    x_values,
)
from teachkit.cases.grouped.plots import column_label
from teachkit.posterior import draws

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from teachkit.cases.grouped.priors import LinePriors
    from teachkit.figure_entry import FigureData

__all__ = ["PRIOR_LINES", "REPLICATES", "group_sd", "prior_line_draws"]

#: Prior lines drawn on the prior predictive figure.
PRIOR_LINES = 200
#: Posterior draws whose replicated data the predictive figure summarises.
REPLICATES = 400


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
    priors = case_priors(ctx)
    a, b = prior_line_draws(priors, PRIOR_LINES, rng=ctx.seed)
    c = columns(data)
    ax = plot_prior_lines(
        x_values(data),
        data["y"],
        a,
        b,
        x_center=x_center(data),
        labels=(c["x"], c["y"]),
        priors_name=column_label(priors.source),
        y_name=raw_columns(data)["y"],
    )
    text = "; ".join(
        f"{symbol(k.split(' ')[0])} ~ {v}"
        for k, v in priors.describe().items()
        if k.startswith(("mu", "sigma_"))
    )
    note(ax.figure, f"{source(ctx, data)}; a group's line, intercept and slope drawn from\n{text}")
    return ax.figure


def _group_lines(ctx: FigureData) -> Figure:
    from teachkit.cases.grouped.plots import plot_group_lines
    from teachkit.plots.labels import note

    data = ctx.data(CASE)
    idata = ctx.fit(CASE, "covarying")
    c = columns(data)
    ax = plot_group_lines(
        x_values(data),
        data["y"],
        group_index(data),
        posterior_means(idata, "alpha"),
        posterior_means(idata, "beta"),
        [group_name(data, n) for n in names(data)],
        x_center=x_center(data),
        labels=(c["x"], c["y"]),
        x_name=raw_columns(data)["x"],
    )
    note(
        ax.figure,
        note_text(
            source(ctx, data),
            "covarying model, each group's line at its posterior means",
            f"grey: the other {len(names(data)) - 2} groups and their rows",
        ),
    )
    return ax.figure


def group_sd(values: np.ndarray, index: np.ndarray, n_groups: int) -> np.ndarray:
    r"""Each group's sample sd of ``values`` (ddof 1), along the last axis.

    :math:`s_j = \sqrt{(\sum_{i \in j} v_i^2 - n_j \bar v_j^2) / (n_j - 1)}`; NaN for a group
    with fewer than two rows.

    Parameters
    ----------
    values : ndarray of shape (..., n_rows)
        One data set per leading index (the observed y, or replicated data sets).
    index : ndarray of int, shape (n_rows,)
        Each row's group.

    Returns
    -------
    ndarray of shape (..., n_groups)
    """
    v = np.asarray(values, dtype=float)
    n = np.bincount(index, minlength=n_groups).astype(float)
    one = np.zeros((n_groups, len(index)))
    one[index, np.arange(len(index))] = 1.0
    total, squares = v @ one.T, (v**2) @ one.T
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        var = (squares - n * mean**2) / (n - 1)
    return np.where(n >= 2, np.sqrt(np.maximum(var, 0.0)), np.nan)


def _posterior_predictive(ctx: FigureData) -> Figure:
    from teachkit.cases.grouped.plots import plot_group_predictive
    from teachkit.plots.labels import note

    data = ctx.data(CASE)
    idata = ctx.fit(CASE, "covarying")
    alpha, beta, sigma = draws(idata, "alpha"), draws(idata, "beta"), draws(idata, "sigma")
    gen = np.random.default_rng(ctx.seed)
    pick = gen.choice(len(sigma), size=min(REPLICATES, len(sigma)), replace=False)
    idx, x = group_index(data), data["x"].to_numpy(dtype=float)
    mu = alpha[pick][:, idx] + beta[pick][:, idx] * x
    y_rep = mu + sigma[pick, None] * gen.standard_normal(mu.shape)
    rows = counts(data)
    replicated = group_sd(y_rep, idx, len(rows))
    observed = group_sd(data["y"].to_numpy(dtype=float), idx, len(rows))
    j = np.sort(shown_groups(rows))
    j = j[rows[j] >= 2]  # a group of one row has no spread
    label = [group_name(data, names(data)[i]) for i in j]
    c = columns(data)
    ax = plot_group_predictive(
        observed[j],
        replicated[:, j],
        label,
        label=f"sd of {c['y']} within the group",
        y_name=raw_columns(data)["y"],
        statistic="sd",
        group_label=c["group"],
    )
    note(
        ax.figure,
        note_text(
            source(ctx, data),
            f"covarying model, {len(pick)} replicated data sets (one per posterior draw)",
            "every group shares one residual sd σ",
            shown_note(rows),
        ),
    )
    return ax.figure
