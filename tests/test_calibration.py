"""Tests for teachkit.calibration: the statistics of SBC and coverage, and real runs (slow)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from teachkit.calibration import (
    THIN_TO,
    CalibrationResult,
    _prior_draws,
    calibrate,
    check_scheduler,
    coverage,
    sbc,
)
from teachkit.lkj import lkj_marginal
from teachkit.registry import get_case
from teachkit.simulate import simulate_ozone

#: Level of each Kolmogorov-Smirnov test of prior draws against the lecture's priors.
KS_ALPHA = 1e-3


def result_with(ranks: dict[str, np.ndarray], covered: dict[str, np.ndarray]) -> CalibrationResult:
    n = len(next(iter(ranks.values())))
    return CalibrationResult(
        case="ozone", model="covarying", n_draws=THIN_TO, interval=0.94,
        truth=pd.DataFrame({k: np.zeros(n) for k in ranks}), ranks=pd.DataFrame(ranks),
        covered=pd.DataFrame(covered), divergences=pd.Series(np.zeros(n, dtype=int)),
        seconds=60.0, jobs=1,
    )  # fmt: skip


def test_uniform_ranks_pass_and_piled_up_ranks_fail() -> None:
    rng = np.random.default_rng(0)
    n = 200
    res = result_with(
        {"good": rng.integers(0, THIN_TO + 1, n), "bad": rng.integers(0, 10, n)},
        {"good": np.ones(n, bool), "bad": np.ones(n, bool)},
    )
    table = res.uniformity()
    assert bool(table.loc["good", "uniform"]) and not bool(table.loc["bad", "uniform"])
    assert table.loc["good", "dof"] == 19  # 200 simulations: 20 bins of 5 ranks each
    assert res.fits_per_minute == pytest.approx(200.0)


def test_time_shares_split_the_workers_time() -> None:
    """Two workers for 60 s: 120 worker-seconds, of which the fits account for 90."""
    res = result_with({"x": np.zeros(3, int)}, {"x": np.ones(3, bool)})
    res = dataclasses.replace(
        res, jobs=2,
        fit_seconds=pd.DataFrame({"total": [40.0, 30.0, 20.0], "compile": [10.0, 10.0, 0.0],
                                  "sampling": [24.0, 18.0, 18.0]}),
    )  # fmt: skip
    shares = res.time_shares()
    assert shares == pytest.approx(
        {"sampling": 60 / 120, "compile": 20 / 120, "other_fit": 10 / 120, "idle": 30 / 120}
    )


def test_coverage_table_is_exact_binomial() -> None:
    hits = np.array([True] * 47 + [False] * 3)
    table = result_with({"x": np.zeros(50, int)}, {"x": hits}).coverage()
    assert table.loc["x", "coverage"] == pytest.approx(0.94)
    assert table.loc["x", "se"] == pytest.approx(np.sqrt(0.94 * 0.06 / 50))
    ci = stats.binomtest(47, 50).proportion_ci(0.95, method="exact")
    assert (table.loc["x", "low"], table.loc["x", "high"]) == pytest.approx((ci.low, ci.high))


def test_prior_draws_follow_the_lecture_priors() -> None:
    design = simulate_ozone(n_stations=3, n_days=4, rng=0).data
    built = get_case("ozone").generative_model(design, "covarying")
    truths, outcomes = _prior_draws(built, 3000, seed=5)
    truth = pd.DataFrame(truths)
    assert outcomes.shape == (3000, 12)
    checks = {
        "mu_alpha": stats.norm(0, 2).cdf,
        "mu_beta": stats.norm(0, 0.1).cdf,
        "sigma_alpha": stats.halfcauchy(scale=1).cdf,
        "sigma_beta": stats.halfcauchy(scale=1).cdf,
        "sigma": stats.halfcauchy(scale=1).cdf,
        "rho": lkj_marginal(eta=2.0, dim=2).cdf,
    }
    for name, cdf in checks.items():
        assert stats.kstest(truth[name], cdf).pvalue > KS_ALPHA, name


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_sims": 0}, "n_sims must be a whole number in \\[1, 100000\\]"),
        ({"jobs": 0}, "jobs must be a whole number in \\[1, 256\\]"),
        ({"interval": 1.5}, "interval must lie strictly between 0 and 1"),
        ({"model": "linear"}, "unknown ozone model 'linear'"),
        ({"draws": 10, "chains": 2}, "chains x draws must be at least 99"),
    ],
)
def test_bad_settings(kwargs: dict, match: str) -> None:
    args = {"case": "ozone", "model": "covarying", "n_sims": 2, **kwargs}
    with pytest.raises(ValueError, match=match):
        calibrate(**args)


def test_unreachable_scheduler_is_a_one_line_error() -> None:
    with pytest.raises(
        ValueError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        check_scheduler("tcp://127.0.0.1:9")


@pytest.mark.slow
def test_sbc_runs_in_this_process() -> None:
    res = sbc("grants", "gender", 3, seed=1, draws=200, tune=200, chains=2)
    assert res.ranks.shape == (3, 3)
    assert list(res.ranks.columns) == ["alpha[f]", "alpha[m]", "gender_gap"]
    assert res.ranks.to_numpy().min() >= 0 and res.ranks.to_numpy().max() <= THIN_TO
    assert res.truth.shape == (3, 3) and len(res.divergences) == 3
    # each fit's least bulk ESS of the hyperparameters, to hold against the THIN_TO draws ranked
    assert len(res.min_ess) == 3 and np.isfinite(res.min_ess).all() and (res.min_ess > 0).all()


@pytest.mark.slow
def test_model_options_reach_every_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    """``model_options`` choose the coding every fit builds; the record says which."""
    import teachkit.calibration as calibration

    seen = []

    def spy(built, **kwargs):
        seen.append(built.spec.options["parameterization"])
        return fit(built, **kwargs)

    fit = calibration.fit
    monkeypatch.setattr(calibration, "fit", spy)
    res = sbc("ozone", "covarying", 2, seed=2, draws=60, tune=60, chains=2,
              design={"n_stations": 4, "n_days": 10},
              model_options={"parameterization": "noncentered"})  # fmt: skip
    assert seen == ["noncentered", "noncentered"]
    assert res.settings["parameterization"] == "noncentered"
    with pytest.raises(ValueError, match="unknown parameterization 'bogus'"):
        sbc("ozone", "covarying", 2, model_options={"parameterization": "bogus"})


@pytest.mark.slow
def test_parallel_jobs_share_one_compiled_model_and_give_the_serial_ranks() -> None:
    """Two jobs are threads of this process: one compile for both, the same fits as in series."""
    from teachkit.compiled import COMPILED_MODELS

    COMPILED_MODELS.clear()
    parallel = sbc("grants", "gender", 4, seed=3, draws=150, tune=150, chains=2, jobs=2)
    assert (COMPILED_MODELS.misses, COMPILED_MODELS.hits) == (1, 3)
    serial = sbc("grants", "gender", 4, seed=3, draws=150, tune=150, chains=2, jobs=1)
    pd.testing.assert_frame_equal(parallel.ranks, serial.ranks)
    assert parallel.fit_seconds.shape == (4, 3)
    assert (parallel.fit_seconds["sampling"] > 0).all()


#: Family-wise level of the coverage test over the gender model's three parameters
#: (Bonferroni), the miscalibration it must detect (94% intervals that hold the truth only
#: 85% of the time) and the power it must have against it.
COVERAGE_ALPHA = 0.01
COVERAGE_MISS = 0.85
COVERAGE_POWER = 0.9


def coverage_sims(n_params: int, nominal: float = 0.94) -> int:
    """Fewest data sets for which the exact binomial test at COVERAGE_ALPHA / n_params rejects
    coverage COVERAGE_MISS with probability COVERAGE_POWER (190 for three parameters)."""
    level = COVERAGE_ALPHA / n_params
    for n in range(50, 1000, 10):
        k = np.arange(n + 1)
        rejects = np.array([stats.binomtest(int(i), n, nominal).pvalue <= level for i in k])
        if stats.binom.pmf(k, n, COVERAGE_MISS)[rejects].sum() >= COVERAGE_POWER:
            return n
    raise AssertionError("no design up to 1000 data sets")


@pytest.mark.slow
def test_94_percent_intervals_cover_94_percent_for_a_cheap_model() -> None:
    """Truths drawn from the prior: coverage of 94% central intervals is exactly 0.94.

    The number of data sets is derived (``coverage_sims``) so the test would catch intervals
    covering only 85%, yet fails a calibrated sampler with probability below COVERAGE_ALPHA.
    """
    n_params = 3  # alpha[f], alpha[m], gender_gap
    n = coverage_sims(n_params)
    table = coverage("grants", "gender", n, seed=11, draws=250, tune=250, chains=2, jobs=1)
    assert len(table) == n_params
    for name, row in table.iterrows():
        k = round(row["coverage"] * n)
        assert stats.binomtest(k, n, 0.94).pvalue > COVERAGE_ALPHA / n_params, (name, k / n)


@pytest.mark.slow
def test_sbc_on_a_dask_local_cluster() -> None:
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
    ):
        res = sbc(
            "grants", "gender", 3, seed=2, draws=200, tune=200, chains=2,
            scheduler=cluster.scheduler_address,
        )  # fmt: skip
    assert res.ranks.shape == (3, 3)
    local = sbc("grants", "gender", 3, seed=2, draws=200, tune=200, chains=2)
    pd.testing.assert_frame_equal(res.ranks, local.ranks)


def grouped_user_table(n_groups: int = 6, per_group: int = 6, seed: int = 5) -> pd.DataFrame:
    """A small user's table in its own column names (the cafés' population on a small design)."""
    from teachkit.cases.grouped.simulate import cafes_design, simulate_grouped

    data = simulate_grouped(cafes_design(n_groups, per_group), rng=seed).data
    return data.rename(columns={"y": "wait.min", "x": "after noon", "group": "cafe"})


GROUPED_COLUMNS = {"y": "wait.min", "x": "after noon", "group": "cafe"}


@pytest.mark.slow  # compiles the prior predictive draw (about 15 s)
def test_calibration_hands_every_fit_the_case_bound_to_the_users_table(monkeypatch) -> None:
    """One set of auto priors, from the user's table, for the prior draws and every fit;
    the case itself (picklable for Dask), not its name, goes to the workers."""
    import pickle

    from teachkit import calibration
    from teachkit.calibration import FitOutcome
    from teachkit.cases.grouped.priors import auto_priors

    tasks = []

    def record(all_tasks, jobs, scheduler):
        tasks.extend(all_tasks)
        for task in all_tasks:
            yield FitOutcome(task[0], {}, {}, 0, 0.0)

    monkeypatch.setattr(calibration, "_run", record)
    user = grouped_user_table()
    study = get_case("grouped").configured(columns=GROUPED_COLUMNS)
    result = calibrate(study, "covarying", 3, data=user, draws=100, tune=100, chains=1)
    expected = auto_priors(user["wait.min"].to_numpy(), user["after noon"].to_numpy())
    assert len(tasks) == 3 and result.settings["data"] == "table"
    for task in tasks:
        case, data = task[1], task[3]
        assert case.priors() == expected
        assert pickle.loads(pickle.dumps(case)).priors() == expected
        assert data["group"].tolist() == user["cafe"].tolist()
        assert data["x"].tolist() == user["after noon"].tolist()
    assert not np.allclose(tasks[0][3]["y"], tasks[1][3]["y"])


#: Grouped SBC: the seed, fixed before the first run; 50 simulations of a small design.
GROUPED_SBC_SEED = 7
GROUPED_SBC_SIMS = 50


@pytest.mark.slow
def test_sbc_of_grouped_covarying_with_auto_priors_gives_uniform_ranks() -> None:
    """Auto priors scaled once to a user's table: ranks uniform for every hyperparameter.

    ``uniformity`` bins the ranks (five bins for 50 simulations) and tests each parameter by
    chi-square at 0.05 / 6 (Bonferroni over the six hyperparameters).
    """
    study = get_case("grouped").configured(columns=GROUPED_COLUMNS)
    res = sbc(
        study, "covarying", GROUPED_SBC_SIMS, data=grouped_user_table(), seed=GROUPED_SBC_SEED,
        draws=300, tune=300, chains=2, jobs=2,
    )  # fmt: skip
    assert res.case == "grouped"
    uniform = res.uniformity()
    assert sorted(uniform.index) == sorted(
        ["mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "rho", "sigma"]
    )
    assert uniform["uniform"].all(), uniform
