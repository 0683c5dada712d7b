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
# The sections follow the lecture's moments in order, and every moment has its slide (the
# storyboard's rows 1-37, `teachkit figures --list`):
#
# 1. Binomial regression: NWO grants; does gender act on awards directly, or through discipline?
# 2. Beijing ozone: the data, priors, pooled, varying intercepts, varying slopes, LOO; why
#    intercepts and slopes co-vary.
# 3. Multivariate normals, Sigma = diag(sigma) R diag(sigma), invalid correlation matrices, LKJ,
#    centred and non-centred, Cholesky, and two-dimensional shrinkage.
# 4. Toward the next lecture: correlation between stations by distance.
# 5. Beyond the lecture: posterior predictive check, the hyperprior, pooling's error.

# %%
import argparse
import os
from pathlib import Path

from teachkit.cases.ozone.figures import FUNNEL_TARGET_ACCEPT
from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.cases.ozone.subsample import days_label, funnel_data, shrinkage_data
from teachkit.covariance import (
    InvalidCorrelationError,
    feasible_rho_interval,
    nearest_correlation,
    validate_correlation,
)
from teachkit.demos import mvn_demo
from teachkit.figures import FigureContext, draw_figure, registered_figures
from teachkit.inference import diagnose, summary
from teachkit.kernels import great_circle_km
from teachkit.lectures import show_figure, wait_for_figures
from teachkit.lkj import lkj_marginal
from teachkit.loo_advice import read_comparison
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


SHOWN: list[str] = []


def show(name: str) -> None:
    """Draw a registered slide figure, save it to the output folder, show it in a notebook.

    Run as a script, the PNG is saved by a second process while the lecture goes on.
    """
    show_figure(draw_figure(name, ctx), args.out / f"{name}.png", background=True)
    SHOWN.append(name)


def print_summary(idata, rows: int | None = None, digits: int = 3) -> None:
    """The lecture's summary columns of a fit, rounded."""
    table = summary(idata)[["mean", "sd", "hdi_3%", "hdi_97%", "r_hat"]].round(digits)
    print((table if rows is None else table.head(rows)).to_string())


# %% [markdown]
# ## 1. Binomial regression: NWO grants
#
# logit(p) = alpha + beta x. A prior that looks vague on the log-odds is not vague on the
# probability: the lecture prefers log-odds between -4 and 4.

# %%
show("glm-logit-prior")

# %% [markdown]
# The funding data for NWO grants, by discipline and gender.

# %%
grants = ctx.data("grants")
print(grants.to_string(index=False))
rates = grants.groupby("gender", observed=True)[["awards", "applications"]].sum()
print((rates["awards"] / rates["applications"]).round(3))
show("grants-award-rates")

# %% [markdown]
# Three models: gender only (the total effect), gender and discipline (the direct effect),
# and discipline effects pooled with a common scale tau. First the total gap.

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

# %% [markdown]
# The model including discipline: the direct gap, on the same axes as the total.

# %%
show("grants-gender-gap-2")

# %% [markdown]
# Partial pooling: applications vary by a factor of about ten across disciplines. The
# multilevel model's Normal(0, tau) prior against the fixed Normal(0, 1).

# %%
counts = grants.groupby("discipline", observed=True)["applications"].sum()
print(f"applications per discipline: {counts.min()} to {counts.max()}")
show("grants-discipline-shrinkage")

# %% [markdown]
# ## 2. Beijing ozone: pooled, varying intercepts, varying slopes
#
# About five years of log daily maximum ozone against the day's high temperature at 12
# monitoring stations.

# %%
ozone = ctx.data("ozone")
print(f"{len(ozone)} station-days at {ozone['station'].nunique()} stations")
print(ozone[["station", "date", "TEMP", "O3", "log_ozone"]].head().to_string(index=False))
for name in ("pooled", "varying_intercepts", "varying_slopes"):
    idata = ctx.fit("ozone", name)
    print(f"--- {name}: {diagnose(idata).divergences} divergences")
    print_summary(idata, rows=6, digits=4)

# %%
show("ozone-data-pooled")

# %% [markdown]
# Where the stations are.

# %%
stations = load_beijing_stations()
km = great_circle_km(stations["latitude"], stations["longitude"])
print(f"station distances: {km[km > 0].min():.1f} to {km.max():.1f} km")
show("ozone-station-map")

# %% [markdown]
# Hang on, let's check those priors. The first guess alpha ~ Normal(0, 3), beta ~ Normal(0, 1)
# (alpha = 3, beta = 1 means log ozone 33 on a 30 degree day), then the lecture's
# Normal(0, 2), Normal(0, 0.1): the titles give the share of lines inside the measured range.

# %%
show("ozone-prior-predictive-1")
show("ozone-prior-predictive-2")

# %% [markdown]
# The pooled model's result on the ug/m3 scale, then the stations one by one against the one
# pooled line: we should expect variation among sites.

# %%
show("ozone-pooled-curve")
show("ozone-station-panels")

# %% [markdown]
# The varying-intercepts model: one baseline per station, one common slope.

# %%
show("ozone-varying-intercepts")
show("ozone-station-intercepts")

# %% [markdown]
# Model comparison by PSIS-LOO, two models, then three, then (for the end of the lecture)
# four. The reading under the table says what its numbers mean.

# %%
table = ctx.compare("ozone")
print(table[["rank", "elpd_loo", "p_loo", "d_loo", "weight", "se", "dse"]].round(1).to_string())
print("\n".join(read_comparison(table)))
show("ozone-loo-1")
show("ozone-loo-2")
show("ozone-loo-3")

# %% [markdown]
# Varying slopes: each station its own line. Its trace plot, with one colour per station in
# both panels, and what it shows about intercepts and slopes.

# %%
show("ozone-station-lines")
show("ozone-trace-mirror")

# %% [markdown]
# Intercepts and slopes are correlated; a new station under independent effects starts from
# the same independence assumption, under covarying effects its slope follows its intercept.

# %%
show("ozone-alpha-beta")
show("ozone-new-station-prior")

# %% [markdown]
# Each (alpha, beta) pair is a line, and the lines must stay close to one station's data:
# change the slope and you change the intercept, unless temperature is centred.

# %%
show("ozone-lines-one-station-1")
show("ozone-lines-one-station-2")

# %% [markdown]
# ## 3. Multivariate normals and priors for covariance matrices
#
# sigma_1^2 = 4, sigma_2^2 = 1, rho = -0.8: what does a sample from MVNormal(0, Sigma) look
# like, against two independent normals with the same variances?

# %%
print("Sigma =\n", mvn_demo([2.0, 1.0], -0.8, draws=10, rng=0).cov)
show("covariance-mvn-1")
show("covariance-mvn-2")
show("covariance-mvn-3")

# %% [markdown]
# An inverse-Wishart prior on Sigma cannot set the correlation apart from the variances; LKJ
# on R with separate priors on the sds can. Sigma factors as diag(sigma) R diag(sigma).

# %%
show("covariance-wishart")
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
print("nearest valid matrix (Higham's, which moves every correlation):")
print(nearest_correlation(R).round(3))
show("covariance-invalid")
show("covariance-elliptope")

# %% [markdown]
# The LKJ(eta) prior over correlation matrices: one correlation's marginal for several eta.

# %%
for eta in (0.5, 1, 2, 4):
    print(f"eta = {eta}: sd of rho {lkj_marginal(eta, 2).std():.3f}")
show("covariance-lkj")

# %% [markdown]
# The covarying model: (alpha_j, beta_j) ~ MVNormal(mu, Sigma) with R ~ LKJ(2), first as the
# centred plate diagram. Centred, the sampler explores (alpha_j, beta_j) and Sigma together;
# where sigma_beta is small every beta_j must sit close to mu_beta, so the posterior can be a
# funnel whose neck NUTS cannot follow. Whether it meets one depends on how much each
# station's data say: the cells below count the divergences of both forms, on the full
# Beijing data and on a subsample of a few days per station, and say what the counts show.

# %%
show("model-graph-centred")


# %%
def divergence_report(data_label: str, fits: dict, advice: bool = False) -> None:
    """Print each fit's divergent transitions on the named data, and what the counts show."""
    counts = {}
    for label, idata in fits.items():
        d = diagnose(idata, advice=OZONE_ADVICE)
        counts[label] = d.divergences
        print(f"{label} on {data_label}: {d.divergences} divergences, max R-hat {d.max_r_hat:.3f}")
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
show("ozone-centred-diagnostics")

# %% [markdown]
# Non-centred: theta = mu + sigma eta. The funnel figure fits both forms on a subsample (the
# days per station are named below and under the figure), at NUTS's usual target acceptance:
# station 0's slope effect against log sigma_beta, divergent draws marked.

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
# In more than one dimension the non-centred form needs a matrix square root of Sigma: the
# Cholesky factor L, with L z ~ MVNormal(0, Sigma). The non-centred plate diagram follows.

# %%
show("covariance-cholesky")
show("model-graph")

# %% [markdown]
# Results: rho's posterior against its LKJ(2) prior, and the station effects under varying
# slopes against covarying.

# %%
print_summary(noncentred, rows=6, digits=4)
print(f"posterior mean of rho (non-centred, full data): {draws(noncentred, 'rho').mean():.2f}")
show("ozone-rho-posterior")

# %% [markdown]
# Two-dimensional shrinkage, with no correlation (varying slopes) and with one (covarying):
# each station's own least-squares line against its partial-pooling estimate.

# %%
print(f"drawn from a subsample of the Beijing data: {days_label(shrinkage_data(ozone))}")
show("pooling-shrinkage-2d")

# %% [markdown]
# ## 4. Toward the next lecture
#
# Are there other places we might expect correlations? Stations located close together: the
# correlation of two stations' same-day residuals against the distance between them.

# %%
show("ozone-correlation-distance")

# %% [markdown]
# ## 5. Beyond the lecture
#
# A posterior predictive check of the covarying model, what the HalfCauchy(1) hyperprior on
# sigma_beta allows against what the data say, and how much closer to the truth partial
# pooling gets for stations with few days.

# %%
show("ozone-posterior-predictive")
show("ozone-hyperprior-predictive")
show("pooling-error")

# %%
moments = [name for name, entry in registered_figures().items() if entry.row is not None]
missing = [name for name in moments if name not in SHOWN]
print(f"{len(SHOWN)} slides shown, every storyboard moment's: {not missing}")
wait_for_figures()
print(f"figures written to {args.out}")
