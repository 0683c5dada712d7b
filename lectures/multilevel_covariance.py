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
# `python lectures/multilevel_covariance.py [--quick] [--out DIR]` (figures go to DIR), or
# open it as a notebook (Jupytext percent format).
#
# 1. NWO grants: does gender act on awards directly, or through discipline?
# 2. Beijing ozone: pooled, varying intercepts, varying slopes; priors; LOO.
# 3. Multivariate normals, Sigma = diag(sigma) R diag(sigma), invalid correlation matrices, LKJ.
# 4. Intercepts and slopes that co-vary: divergences when centred, the non-centred fix.
# 5. Two-dimensional shrinkage.

# %%
import argparse
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from teachkit.covariance import (
    InvalidCorrelationError,
    build_covariance,
    feasible_rho_interval,
    nearest_correlation,
    validate_correlation,
)
from teachkit.datasets import load_beijing_ozone, load_nwo_grants
from teachkit.demos import mvn_demo
from teachkit.inference import compare, diagnose, fit, summary
from teachkit.lkj import lkj_marginal
from teachkit.models import GRANTS_MODELS, build_grants_model, build_ozone_model
from teachkit.plots import plot_mvn_vs_independent, slide_style
from teachkit.plots.covariance import plot_covariance_factoring, plot_lkj_densities
from teachkit.plots.grants import plot_award_rates, plot_gender_gap, plot_grants_dag
from teachkit.plots.ozone import plot_loo, plot_ozone_data, plot_prior_predictive
from teachkit.plots.pooling import plot_funnel, plot_shrinkage_2d

parser = argparse.ArgumentParser(description="Multilevel models and covariance: the lecture.")
parser.add_argument("--quick", action="store_true", help="few draws (CI)")
parser.add_argument("--out", type=Path, default=Path("lecture-figures"))
args, _ = parser.parse_known_args()
RUN = {"draws": 300, "tune": 300, "chains": 2, "seed": 1} if args.quick else {"seed": 1}
args.out.mkdir(parents=True, exist_ok=True)


def show(fig, name: str) -> None:
    """Save a slide figure (and keep it on screen in a notebook)."""
    fig.savefig(args.out / f"{name}.png")
    if not plt.isinteractive():
        plt.close(fig)


def posterior(idata, name: str) -> np.ndarray:
    """Draws of a variable, chains flattened."""
    values = idata.posterior[name].to_numpy()
    return values.reshape(-1, *values.shape[2:])


# %% [markdown]
# ## 1. NWO grants: 2,823 applications, 467 awards

# %%
grants = load_nwo_grants()
print(grants.to_string(index=False))
rates = grants.groupby("gender", observed=True)[["awards", "applications"]].sum()
print((rates["awards"] / rates["applications"]).round(3))
with slide_style():
    show(plot_award_rates(grants).figure, "grants-award-rates")
    show(plot_grants_dag().figure, "grants-dag")

# %% [markdown]
# Three models: gender only (the total effect), gender and discipline (the direct effect),
# and discipline effects pooled with a common scale tau.

# %%
grant_fits = {name: fit(build_grants_model(grants, name), progress=False, **RUN)
              for name in GRANTS_MODELS}  # fmt: skip
for name, idata in grant_fits.items():
    print(f"--- {name}")
    print(summary(idata).round(3)[["mean", "sd", "hdi_3%", "hdi_97%", "r_hat"]].to_string())

# %%
gaps = {f"{'total' if n == 'gender' else 'direct'} ({n})": posterior(i, "gender_gap")
        for n, i in grant_fits.items()}  # fmt: skip
for label, draws in gaps.items():
    print(f"{label}: gender gap {draws.mean():+.3f} (sd {draws.std():.3f})")
with slide_style():
    show(plot_gender_gap(gaps).figure, "grants-gender-gap")

# %% [markdown]
# ## 2. Beijing ozone: daily maxima at 12 stations

# %%
ozone = load_beijing_ozone()
print(f"{len(ozone)} station-days at {ozone['station'].nunique()} stations")
print(ozone[["station", "date", "TEMP", "O3", "log_ozone"]].head().to_string(index=False))

# %% [markdown]
# Prior predictive check: vague priors put lines everywhere; the lecture's priors keep them
# near the range of real ozone days.

# %%
rng = np.random.default_rng(1)
priors = {
    "vague: α ~ N(0, 10), β ~ N(0, 1)": (rng.normal(0, 10, 50), rng.normal(0, 1, 50)),
    "lecture: α ~ N(0, 2), β ~ N(0, 0.1)": (rng.normal(0, 2, 50), rng.normal(0, 0.1, 50)),
}
y_range = (float(ozone["log_ozone"].min()), float(ozone["log_ozone"].max()))
with slide_style():
    show(plot_prior_predictive(priors, y_range), "ozone-prior-predictive")

# %% [markdown]
# Pooled, varying intercepts, varying slopes; then PSIS-LOO.

# %%
ozone_fits = {
    name: fit(build_ozone_model(ozone, name), progress=False, **RUN)
    for name in ("pooled", "varying_intercepts", "varying_slopes")
}
for name, idata in ozone_fits.items():
    print(f"--- {name}: {diagnose(idata).divergences} divergences")
    print(summary(idata).round(4).head(6)[["mean", "sd", "hdi_3%", "hdi_97%"]].to_string())
pooled = (posterior(ozone_fits["pooled"], "alpha").mean(),
          posterior(ozone_fits["pooled"], "beta").mean())  # fmt: skip
with slide_style():
    show(plot_ozone_data(ozone, pooled).figure, "ozone-data-pooled")

# %%
loo = compare(ozone_fits)
print(loo.round(1).to_string())
with slide_style():
    show(plot_loo(loo).figure, "ozone-loo")

# %% [markdown]
# ## 3. Multivariate normals and covariance matrices
#
# Two independent normals and a bivariate normal can have the same marginals; only the joint
# distribution shows the correlation. Its covariance matrix factors as
# Sigma = diag(sigma) R diag(sigma).

# %%
demo = mvn_demo([2.0, 1.0], -0.8, rng=0)
print("Sigma =\n", demo.cov)
with slide_style():
    show(plot_mvn_vs_independent(demo.joint, demo.independent, demo.mean, demo.cov), "mvn")
    show(plot_covariance_factoring([2.0, 1.0], [[1, -0.8], [-0.8, 1]]), "covariance-factoring")

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

# %% [markdown]
# The LKJ(eta) prior over correlation matrices: one correlation's marginal for several eta.

# %%
for eta in (0.5, 1, 2, 4):
    print(f"eta = {eta}: sd of rho {lkj_marginal(eta, 2).std():.3f}")
with slide_style():
    show(plot_lkj_densities().figure, "lkj-densities")

# %% [markdown]
# ## 4. Intercepts and slopes that co-vary
#
# (alpha_j, beta_j) ~ MVNormal(mu, Sigma) with R ~ LKJ(2). Written centred, the sampler meets
# a funnel and reports divergent transitions; written non-centred it does not.

# %%
centred = fit(build_ozone_model(ozone, "covarying", parameterization="centered"),
              progress=False, **RUN)  # fmt: skip
noncentred = fit(build_ozone_model(ozone, "covarying"), progress=False, **RUN)
for label, idata in (("centred", centred), ("non-centred", noncentred)):
    d = diagnose(idata)
    print(f"{label}: {d.divergences} divergences; advice: {list(d.advice) or 'none'}")
print(summary(noncentred).round(4).head(6).to_string())

# %%
panels = {
    "centred": (posterior(centred, "beta")[:, 0], np.log(posterior(centred, "sigma_beta")),
                centred.sample_stats["diverging"].to_numpy().ravel()),
    "non-centred": (posterior(noncentred, "z")[:, 0, 1],
                    np.log(posterior(noncentred, "sigma_beta")),
                    noncentred.sample_stats["diverging"].to_numpy().ravel()),
}  # fmt: skip
with slide_style():
    show(plot_funnel(panels), "funnel")

# %% [markdown]
# ## 5. Two-dimensional shrinkage
#
# Each station's own least-squares line (no pooling) moves towards the population, along the
# negative correlation of intercepts and slopes.

# %%
own = np.array([np.polyfit(g["TEMP"], g["log_ozone"], 1)[::-1]
                for _, g in ozone.groupby("station_id")])  # fmt: skip
partial = np.column_stack([posterior(noncentred, "alpha").mean(axis=0),
                           posterior(noncentred, "beta").mean(axis=0)])  # fmt: skip
mean = [posterior(noncentred, "mu_alpha").mean(), posterior(noncentred, "mu_beta").mean()]
sds = [posterior(noncentred, "sigma_alpha").mean(), posterior(noncentred, "sigma_beta").mean()]
rho = posterior(noncentred, "rho").mean()
cov = build_covariance(sds, [[1.0, rho], [rho, 1.0]])
with slide_style():
    show(plot_shrinkage_2d(own, partial, mean, cov).figure, "shrinkage-2d")
print(f"figures written to {args.out}")
