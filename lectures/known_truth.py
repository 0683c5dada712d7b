# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       format_name: percent
# ---

# %% [markdown]
# # The same models on data with a known truth
#
# On real data nobody knows the true parameters. Here we plant them: simulate Beijing-like
# ozone data from the covarying model with parameters we choose, fit the lecture's model, and
# draw the truth on every figure. Then two exercises, whose answers `tests/test_lectures.py`
# checks:
#
# 1. Plant rho = 0 (intercepts and slopes independent). What does the posterior of rho do?
# 2. Give each station fewer or more days of data. How does shrinkage change?
#
# Run as `python lectures/known_truth.py [--quick] [--out DIR]` (the figure goes to DIR, by
# default `lecture-figures/`, which git ignores), or open it as a notebook.
# `teachkit lecture student --out FILE` writes a student's copy: each exercise's answer
# (between `# solution-start` and `# solution-end`) becomes a `# your code here` stub, and
# the cells tagged `solution`, which give an answer in words, are left out.

# %%
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import numpy as np

from teachkit.cases.ozone.models import no_pooling_estimates
from teachkit.cases.ozone.plots import plot_alpha_beta_posterior
from teachkit.files import atomic_write
from teachkit.inference import diagnose
from teachkit.lectures import show_figure
from teachkit.pipeline import fit_model
from teachkit.plots import slide_style
from teachkit.posterior import draws
from teachkit.recovery import model_truth, recovery_table
from teachkit.registry import get_case
from teachkit.simulate import simulate_ozone


def settings(quick: bool) -> dict:
    """Sampler settings: the lecture's, or a quick run for CI."""
    return {"draws": 300, "tune": 300, "chains": 2, "seed": 1} if quick else {"seed": 1}


def fit_covarying(sim, sampler_settings: dict):
    """Fit the covarying model to a simulation; return the fit and its recovery table."""
    idata = fit_model("ozone", "covarying", sim.data, **sampler_settings).idata
    return idata, recovery_table(idata, model_truth("ozone", "covarying", sim))


# %% [markdown]
# ## Exercise 1: plant rho = 0
#
# Simulate 200 days at each of the 12 stations with `simulate_ozone(n_days=200, rho=0.0,
# exact_moments=True, rng=21)`, fit the covarying model (`fit_covarying`), and return the
# posterior mean and 94% interval of rho from its recovery table (`table.loc["rho"]`). Does
# the interval cover the planted 0? How wide is it?

# %% [markdown] tags=["solution"]
# With only 12 stations the data say little about a correlation: when none is planted the
# posterior of rho stays wide and its 94% interval covers 0, pulled only slightly towards 0 by
# the LKJ(2) prior.


# %%
def exercise_rho_zero(sampler_settings: dict) -> dict[str, float]:
    """Posterior mean and 94% HDI of rho when the planted rho is 0."""
    # solution-start
    sim = simulate_ozone(n_days=200, rho=0.0, exact_moments=True, rng=21)
    _, table = fit_covarying(sim, sampler_settings)
    row = table.loc["rho"]
    return {"mean": row["mean"], "low": row["hdi_low"], "high": row["hdi_high"]}
    # solution-end


# %% [markdown]
# ## Exercise 2: days per station and shrinkage
#
# Partial pooling moves each station's estimate towards the population line. How does that
# pull change with the days of data a station has? Measure it as the mean distance between
# each station's own least-squares slope (no pooling) and its posterior mean (partial
# pooling), relative to the spread of the no-pooling slopes, for 5, 30 and 400 days per
# station.


# %%
def shrinkage(n_days: int, sampler_settings: dict) -> float:
    """Mean |no pooling - partial pooling| slope, relative to the sd of the no-pooling slopes.

    Simulate with ``simulate_ozone(n_days=n_days, exact_moments=True, rng=22)``; the
    no-pooling slopes are ``no_pooling_estimates(data)[:, 1]``, the partial-pooling ones the
    posterior means of ``beta``.
    """
    # solution-start
    sim = simulate_ozone(n_days=n_days, exact_moments=True, rng=22)
    idata, _ = fit_covarying(sim, sampler_settings)
    own = no_pooling_estimates(sim.data)[:, 1]
    partial = draws(idata, "beta").mean(axis=0)
    return float(np.mean(np.abs(own - partial)) / own.std())
    # solution-end


def exercise_shrinkage(sampler_settings: dict) -> dict[int, float]:
    """Shrinkage with 5, 30 and 400 days per station."""
    # solution-start
    return {days: shrinkage(days, sampler_settings) for days in (5, 30, 400)}
    # solution-end


# %% [markdown] tags=["solution"]
# Shrinkage falls as the days per station grow: with 5 days a station's own line says little
# and its estimate is pulled far towards the population; with 400 it barely moves.

# %% [markdown]
# ## Settings
#
# `--quick` samples 2 chains x (300 + 300) draws instead of the lecture's 4 x (1000 + 1000);
# `--answers FILE` writes the exercises' answers as JSON (the tests read them).

# %%
parser = argparse.ArgumentParser(description="The lecture's models on data with a known truth.")
parser.add_argument("--quick", action="store_true", help="few draws (CI)")
parser.add_argument("--out", type=Path, default=Path("lecture-figures"))
parser.add_argument("--answers", type=Path, default=None)
args, _ = parser.parse_known_args()
run = settings(args.quick or os.environ.get("TEACHKIT_QUICK") == "1")
args.out.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## Recovery: does the covarying model find what we planted?

# %%
sim = simulate_ozone(exact_moments=True, rng=1)
idata, table = fit_covarying(sim, run)
print(table.round(4).head(6).to_string())
d = diagnose(idata, advice=get_case("ozone").fit_advice)
print(f"{d.divergences} divergences, max r_hat {d.max_r_hat:.3f}, min ESS {d.min_ess_bulk:.0f}")

# %% [markdown]
# The posterior draws of each station's (alpha_j, beta_j), with the planted values as black
# crosses.

# %%
with slide_style():
    ax = plot_alpha_beta_posterior(draws(idata, "alpha"), draws(idata, "beta"))
    truth_a = [sim.truth[f"alpha[{j}]"] for j in range(12)]
    truth_b = [sim.truth[f"beta[{j}]"] for j in range(12)]
    ax.scatter(truth_a, truth_b, marker="x", s=120, color="black", label="truth")
    ax.legend()
    show_figure(ax.figure, args.out / "known-truth-alpha-beta.png")

# %%
rho_answer = exercise_rho_zero(run)
print(
    f"planted rho = 0: posterior mean {rho_answer['mean']:.2f}, "
    f"94% HDI [{rho_answer['low']:.2f}, {rho_answer['high']:.2f}]"
)

# %%
shrink_answer = exercise_shrinkage(run)
for days, value in shrink_answer.items():
    print(f"{days:>4} days per station: relative shrinkage {value:.2f}")

# %%
if args.answers is not None:
    answers = {"rho_zero": rho_answer, "shrinkage": {str(k): v for k, v in shrink_answer.items()}}
    atomic_write(args.answers, lambda p: p.write_text(json.dumps(answers, indent=2)))
