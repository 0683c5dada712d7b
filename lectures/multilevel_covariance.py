# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       format_name: percent
# ---

# %% [markdown]
# # Multilevel linear models and covariance among parameters
#
# The lecture, from top to bottom, with teachkit and nothing hidden. Run it as
# `python lectures/multilevel_covariance.py [--quick] [--out DIR]` (figures go to DIR, by
# default `lecture-figures/`, which git ignores), or open it as a notebook (Jupytext percent
# format), where every figure also shows under its cell; `TEACHKIT_QUICK=1` in the
# environment is the notebook's `--quick` (few draws, for a dry run or CI).
#
# Every figure is one of teachkit's registered slide figures (`teachkit figures --list`),
# drawn by name; the fits come from the fit store, so after `teachkit figures` (or a first
# run of this notebook) nothing is sampled again.
#
# 1. NWO grants: does gender act on awards directly, or through discipline?
# 2. Beijing ozone: pooled, varying intercepts, varying slopes; priors; LOO.
# 3. Multivariate normals, Sigma = diag(sigma) R diag(sigma), invalid correlation matrices, LKJ.
# 4. Intercepts and slopes that co-vary: centred and non-centred, and when the centred form
#    diverges.
# 5. Two-dimensional shrinkage.

# %%
import argparse
import os
from pathlib import Path

from teachkit.cases.ozone.figures import FUNNEL_TARGET_ACCEPT
from teachkit.cases.ozone.subsample import days_label, funnel_data, shrinkage_data
from teachkit.covariance import (
    InvalidCorrelationError,
    feasible_rho_interval,
    nearest_correlation,
    validate_correlation,
)
from teachkit.demos import mvn_demo
from teachkit.figures import FigureContext, draw_figure
from teachkit.inference import diagnose, summary
from teachkit.lectures import show_figure
from teachkit.lkj import lkj_marginal
from teachkit.posterior import draws
from teachkit.registry import get_case

parser = argparse.ArgumentParser(description="Multilevel models and covariance: the lecture.")
parser.add_argument("--quick", action="store_true", help="few draws (CI, dry runs)")
parser.add_argument("--out", type=Path, default=Path("lecture-figures"))
args, _ = parser.parse_known_args()
QUICK = args.quick or os.environ.get("TEACHKIT_QUICK") == "1"
SETTINGS = {"draws": 300, "tune": 300, "chains": 2} if QUICK else {}
ctx = FigureContext("real", seed=1, **SETTINGS)
#: What the ozone case says about divergent transitions (centred or non-centred effects).
OZONE_ADVICE = get_case("ozone").fit_advice


def show(name: str) -> None:
    """Draw a registered slide figure, save it to the output folder, show it in a notebook."""
    show_figure(draw_figure(name, ctx), args.out / f"{name}.png")


def print_summary(idata, rows: int | None = None, digits: int = 3) -> None:
    """The lecture's summary columns of a fit, rounded."""
    table = summary(idata)[["mean", "sd", "hdi_3%", "hdi_97%", "r_hat"]].round(digits)
    print((table if rows is None else table.head(rows)).to_string())


# %% [markdown]
# ## 1. NWO grants: 2,823 applications, 467 awards

# %%
grants = ctx.data("grants")
print(grants.to_string(index=False))
rates = grants.groupby("gender", observed=True)[["awards", "applications"]].sum()
print((rates["awards"] / rates["applications"]).round(3))

# %%
show("grants-award-rates")

# %% [markdown]
# Three models: gender only (the total effect), gender and discipline (the direct effect),
# and discipline effects pooled with a common scale tau.

# %%
for name in ("gender", "gender_discipline", "multilevel"):
    print(f"--- {name}")
    print_summary(ctx.fit("grants", name))

# %%
show("grants-gender-gap-1")

# %% [markdown]
# Why condition on discipline, and what could go wrong when we do: the causal graph, then
# an unobserved cause of both discipline and award.

# %%
show("grants-dag")
show("grants-dag-2")

# %%
show("grants-gender-gap-2")

# %% [markdown]
# Partial pooling: the multilevel model's Normal(0, tau) prior against the fixed Normal(0, 1).

# %%
show("grants-discipline-shrinkage")

# %% [markdown]
# ## 2. Beijing ozone: daily maxima at 12 stations

# %%
ozone = ctx.data("ozone")
print(f"{len(ozone)} station-days at {ozone['station'].nunique()} stations")
print(ozone[["station", "date", "TEMP", "O3", "log_ozone"]].head().to_string(index=False))

# %% [markdown]
# Prior predictive check: the first guess alpha ~ Normal(0, 3), beta ~ Normal(0, 1) puts lines
# everywhere (alpha = 3, beta = 1 means log ozone 33 on a 30 degree day); the lecture's priors
# Normal(0, 2), Normal(0, 0.1) keep them within a few log units of real ozone.

# %%
show("ozone-prior-predictive-1")
show("ozone-prior-predictive-2")

# %% [markdown]
# Pooled, varying intercepts, varying slopes; then PSIS-LOO.

# %%
for name in ("pooled", "varying_intercepts", "varying_slopes"):
    idata = ctx.fit("ozone", name)
    print(f"--- {name}: {diagnose(idata).divergences} divergences")
    print_summary(idata, rows=6, digits=4)

# %%
show("ozone-data-pooled")

# %%
print(
    ctx.compare("ozone")[["rank", "elpd_loo", "p_loo", "d_loo", "se", "dse"]].round(1).to_string()
)
show("ozone-loo-2")

# %% [markdown]
# ## 3. Multivariate normals and covariance matrices
#
# Two independent normals and a bivariate normal can have the same marginals; only the joint
# distribution shows the correlation. Its covariance matrix factors as
# Sigma = diag(sigma) R diag(sigma).

# %%
print("Sigma =\n", mvn_demo([2.0, 1.0], -0.8, draws=10, rng=0).cov)
show("covariance-mvn-1")

# %%
show("covariance-mvn-2")

# %%
show("covariance-mvn-3")

# %% [markdown]
# An inverse-Wishart prior on Sigma cannot set the correlation apart from the variances; LKJ
# on R with separate priors on the sds can.

# %%
show("covariance-wishart")

# %%
show("covariance-factoring")

# %% [markdown]
# Not every symmetric matrix with a unit diagonal is a correlation matrix.

# %%
R = [[1.0, 0.9, 0.8], [0.9, 1.0, -0.9], [0.8, -0.9, 1.0]]
try:
    validate_correlation(R)
except InvalidCorrelationError as err:
    print(err)
low, high = feasible_rho_interval(0.9, 0.8)
print(f"rho_yz must lie in [{low:.2f}, {high:.2f}]")
print("nearest valid matrix:\n", nearest_correlation(R).round(3))

# %%
show("covariance-invalid")

# %%
show("covariance-elliptope")

# %% [markdown]
# The LKJ(eta) prior over correlation matrices: one correlation's marginal for several eta.

# %%
for eta in (0.5, 1, 2, 4):
    print(f"eta = {eta}: sd of rho {lkj_marginal(eta, 2).std():.3f}")
show("covariance-lkj")

# %% [markdown]
# ## 4. Intercepts and slopes that co-vary
#
# (alpha_j, beta_j) ~ MVNormal(mu, Sigma) with R ~ LKJ(2), written two ways. Centred, the
# sampler explores (alpha_j, beta_j) and Sigma together; where sigma_beta is small every
# beta_j must sit close to mu_beta, so the posterior can be a funnel whose neck NUTS cannot
# follow: it reports divergent transitions there. Non-centred, it explores standardised
# effects z_j instead, and the funnel is gone. Whether the centred form meets a funnel
# depends on how much each station's data say: the cells below count the divergences of
# both forms, first on the full Beijing data, then on a subsample of a few days per station,
# and say in words what the counts show.


# %%
def divergence_report(data_label: str, fits: dict, advice: bool = False) -> None:
    """Print each fit's divergent transitions on the named data, and what the counts show."""
    counts = {}
    for label, idata in fits.items():
        d = diagnose(idata, advice=OZONE_ADVICE)
        counts[label] = d.divergences
        print(f"{label} on {data_label}: {d.divergences} divergences")
        for line in d.advice if advice else ():
            print(f"  advice: {line}")
    centred_count, other = counts["centred"], counts["non-centred"]
    if centred_count == 0 and other == 0:
        verdict = "neither form diverged: on these data the centred form met no funnel neck"
    elif centred_count > other:
        verdict = f"the centred form diverged more ({centred_count} against {other})"
    else:
        verdict = f"the centred form did not diverge more ({centred_count} against {other})"
    print(f"=> on {data_label}, {verdict}")


centred = ctx.fit("ozone", "covarying", parameterization="centered")
noncentred = ctx.fit("ozone", "covarying", parameterization="noncentered")
full_label = f"the full Beijing data ({days_label(ozone)})"
divergence_report(full_label, {"centred": centred, "non-centred": noncentred}, advice=True)
print_summary(noncentred, rows=6, digits=4)
print(f"posterior mean of rho (non-centred, full data): {draws(noncentred, 'rho').mean():.2f}")

# %% [markdown]
# The funnel figure fits both forms again on a subsample (the days per station are named
# below and under the figure), at NUTS's usual target acceptance: station 0's slope effect
# against log sigma_beta, divergent draws marked.

# %%
few_days = funnel_data(ozone)
divergence_report(
    f"the subsample ({days_label(few_days)})",
    {
        label: ctx.fit(
            "ozone", "covarying", data=few_days, parameterization=param,
            target_accept=FUNNEL_TARGET_ACCEPT,
        )
        for label, param in (("centred", "centered"), ("non-centred", "noncentered"))
    },
)  # fmt: skip
show("pooling-funnel")

# %% [markdown]
# ## 5. Two-dimensional shrinkage
#
# Each station's own least-squares estimate (no pooling) against its estimate under the
# covarying model (partial pooling): the note under the figure says which data it is drawn
# from. Under a correlated prior estimates are pulled towards the population's ridge, the
# more so the fewer days a station has.

# %%
print(f"drawn from a subsample of the Beijing data: {days_label(shrinkage_data(ozone))}")
show("pooling-shrinkage-2d")
print(f"figures written to {args.out}")
