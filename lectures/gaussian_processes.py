# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       format_name: percent
# ---

# %% [markdown]
# # Stations close together: Gaussian processes over distance
#
# The last lecture ended: "stations located close together are correlated. Next time: spatial
# correlations and Gaussian processes." Here we go there, on the same Beijing data: 12
# monitoring stations, about five years of daily maximum ozone.
#
# Run as `python lectures/gaussian_processes.py [--quick] [--out DIR]` (figures go to DIR, by
# default `lecture-figures/`, which git ignores), or open it as a notebook (Jupytext percent
# format); `TEACHKIT_QUICK=1` in the environment is the notebook's `--quick`. Every figure is
# a registered slide (`teachkit figures --list`), its fits read from the fit store.
#
# 1. The bridge: how station baselines differ with distance; the stations and their distances.
# 2. Kernels over great-circle distance, and a pitfall of PyMC's GP classes.
# 3. The model `spatial_intercepts`, its priors and its fit.
# 4. What the fit says: kernels, correlations on the map, kriging between stations.
# 5. Does it predict better? PSIS-LOO, and a new station left out and predicted.
# 6. Slopes too: `spatial_covarying`.

# %%
import argparse
import os
from pathlib import Path

import numpy as np

from teachkit.cases.ozone.spatial import ELL_PRIOR, SIGMA_GP_PRIOR_SD
from teachkit.cases.ozone.stations import load_beijing_stations
from teachkit.figures import FigureContext, draw_figure
from teachkit.inference import diagnose, summary
from teachkit.kernels import EARTH_RADIUS_KM, exp_quad, great_circle_km
from teachkit.lectures import show_figure, wait_for_figures
from teachkit.loo import compare_elpd
from teachkit.loo_advice import read_comparison
from teachkit.posterior import draws
from teachkit.registry import get_case

parser = argparse.ArgumentParser(description="Gaussian processes over station distance.")
parser.add_argument("--quick", action="store_true", help="few draws (CI, dry runs)")
parser.add_argument("--out", type=Path, default=Path("lecture-figures"))
args, _ = parser.parse_known_args()
QUICK = args.quick or os.environ.get("TEACHKIT_QUICK") == "1"
SETTINGS = {"draws": 300, "tune": 300, "chains": 2} if QUICK else {}
ctx = FigureContext("real", seed=1, **SETTINGS)
ADVICE = get_case("ozone").fit_advice


def show(name: str) -> None:
    """Draw a registered slide figure, save it to the output folder, show it in a notebook.

    Run as a script, the PNG is saved by a second process while the lecture goes on.
    """
    show_figure(draw_figure(name, ctx), args.out / f"{name}.png", background=True)


def print_summary(idata, names: list[str], digits: int = 3) -> None:
    """The lecture's summary columns of the named parameters, rounded."""
    table = summary(idata).loc[names, ["mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk"]]
    print(table.round(digits).to_string())


# %% [markdown]
# ## 1. The bridge from the last lecture
#
# The covarying model treats the 12 stations as exchangeable: a station's line is drawn from
# the population wherever it stands. Yet on the same day, the residuals of nearby stations are
# more alike than those of distant ones (the last lecture's last slide).

# %%
show("gp-residual-correlation")

# %% [markdown]
# That day-to-day correlation stays unmodelled here. The Gaussian process of this lecture
# models the stations' *baselines*: are those of nearby stations more alike? Half the squared
# difference of two baselines against their distance (a semivariogram), with the curve the GP
# model of section 3 implies once fitted.

# %%
show("gp-baseline-semivariogram")

# %% [markdown]
# A Gaussian process over space sees the stations only through the distances between them.

# %%
stations = load_beijing_stations()
lat, lon = stations["latitude"].to_numpy(), stations["longitude"].to_numpy()
distance = great_circle_km(lat, lon)
pairs = distance[np.triu_indices(len(lat), 1)]
print(
    f"{len(pairs)} pairs, {pairs.min():.1f} to {pairs.max():.1f} km, median {np.median(pairs):.1f}"
)
show("gp-station-map")

# %% [markdown]
# ## 2. Kernels over distance
#
# The squared-exponential kernel k(d) = sigma_gp^2 exp(-d^2 / (2 ell^2)): the covariance of
# two stations' baselines d km apart. The book writes it eta^2 exp(-rho^2 d^2): the same
# kernel with eta = sigma_gp and rho^2 = 1 / (2 ell^2).
#
# **A pitfall.** PyMC's `pm.gp.cov.ExpQuad` takes *coordinates*, not distances. Given
# coordinates in km (here a local projection, which at 60 km is within a fraction of a percent
# of the great-circle distance) it computes the kernel of their distances; given the distance
# matrix itself as "inputs" (as a widely copied port of the islands example does), it treats
# each row of distances as a point in 12 dimensions and computes a kernel of distances
# *between rows of distances*: a different matrix.

# %%
import pymc as pm  # noqa: E402

sigma_gp, ell = 0.15, 20.0
km_north = np.radians(lat - lat.mean()) * EARTH_RADIUS_KM
km_east = np.radians(lon - lon.mean()) * EARTH_RADIUS_KM * np.cos(np.radians(lat.mean()))
coordinates = np.column_stack([km_east, km_north])
right = sigma_gp**2 * pm.gp.cov.ExpQuad(2, ls=ell)(coordinates).eval()
wrong = sigma_gp**2 * pm.gp.cov.ExpQuad(12, ls=ell)(distance).eval()
ours = exp_quad(distance, sigma_gp, ell)
print(
    f"PyMC on coordinates against teachkit on distances: max |diff| {abs(right - ours).max():.1e}"
)
print(
    f"PyMC on the distance matrix against teachkit:       max |diff| {abs(wrong - ours).max():.1e}"
)
print(f"(the kernel's largest entry is {ours.max():.4f})")

# %% [markdown]
# ## 3. The model
#
# alpha_j = mu_alpha + f_j + e_j with f ~ MVNormal(0, K(sigma_gp, ell)) over the stations'
# great-circle distances, e_j ~ Normal(0, sigma_alpha) a station's own part, and one common
# slope: log O3 ~ Normal(alpha_j + beta T, sigma). The varying-intercepts model is its special
# case sigma_gp = 0. The lecture's priors for what it shares with the last lecture; the new
# ones are printed below, and the prior on ell keeps its mass between the closest and the
# farthest station pair, the only distances 12 stations can inform.

# %%
print(f"sigma_gp ~ HalfNormal({SIGMA_GP_PRIOR_SD}); ell ~ InverseGamma{ELL_PRIOR} (km)")
show("gp-kernel-prior")

# %%
spatial = ctx.fit("ozone", "spatial_intercepts")
report = diagnose(spatial, advice=ADVICE)
print(f"divergences {report.divergences}, max R-hat {report.max_r_hat:.3f}")
for line in report.advice:
    print(f"advice: {line}")
print_summary(spatial, ["mu_alpha", "sigma_alpha", "sigma_gp", "ell", "beta", "sigma"])

# %% [markdown]
# ## 4. What the fit says
#
# The posterior kernel against the prior's: how much did 12 stations teach us about ell?

# %%
ell_draws = draws(spatial, "ell")
low, high = np.quantile(ell_draws, [0.03, 0.97])
print(f"ell: posterior median {np.median(ell_draws):.1f} km, 94% interval {low:.1f} to {high:.1f}")
show("gp-kernel-posterior")

# %% [markdown]
# The fitted correlation between stations' baselines, drawn on the map, and the baseline
# predicted between the stations (kriging), with its uncertainty.

# %%
show("gp-station-correlation")
show("gp-kriging-map")

# %% [markdown]
# ## 5. Does it predict better?
#
# First PSIS-LOO: how well does each model predict a left-out *day* of a station it has seen?
# With about 1,400 days per station the data pin every station's baseline, so the spatial
# prior may change little. The reading under the table says what its numbers mean.

# %%
table = compare_elpd(
    {m: ctx.elpd("ozone", m) for m in ("varying_intercepts", "covarying", "spatial_intercepts")}
)
print(table[["rank", "elpd_loo", "p_loo", "d_loo", "weight", "se", "dse"]].round(1).to_string())
print("\n".join(read_comparison(table)))

# %% [markdown]
# A new station asks something else: how well is a whole station predicted that the fit has
# never seen? Each station in turn is left out, both models refitted on the other 11, and its
# days scored: the exchangeable model draws its baseline from the population, the GP kriges it
# from its neighbours. (`teachkit held-out ozone` prints the same table.)

# %%
held = ctx.held_out("ozone")
print(held.round(2).to_string())
diff = held["difference"]
se = np.sqrt(len(diff)) * diff.std(ddof=1)
print(f"spatial minus varying intercepts: {diff.sum():+.1f} in total (se {se:.1f}); "
      f"the spatial model predicts {(diff > 0).sum()} of {len(diff)} stations better")  # fmt: skip
show("gp-leave-one-station-out")

# %% [markdown]
# ## 6. Slopes too: `spatial_covarying`
#
# The covarying model whose stations are also correlated by distance:
# vec(alpha, beta) ~ MVNormal(mu, Sigma (x) C_ell), Sigma = diag(sigma) R diag(sigma) with
# R ~ LKJ(2) as before, C_ell the kernel's correlation matrix with a nugget. As ell -> 0 it is
# the covarying model. Teachkit evaluates the 24-dimensional normal through its Kronecker
# factors (a 12 x 12 and a 2 x 2 Cholesky factor per gradient, never a 24 x 24 one).

# %%
lines = ctx.fit("ozone", "spatial_covarying")
report = diagnose(lines, advice=ADVICE)
print(f"divergences {report.divergences}, max R-hat {report.max_r_hat:.3f}")
print_summary(lines, ["mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "ell", "sigma"], 4)
wait_for_figures()
print(f"figures written to {args.out}")
