"""The ``teachkit`` command line: thin commands that call the library.

User mistakes (an unknown option, a number that does not parse, a value out of range) end with
one line on stderr and exit code 2, never a traceback. Heavy imports (matplotlib, and PyMC for
the model commands) happen inside the commands, so ``teachkit --help`` and the demos start fast.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import numpy as np
import typer

try:  # typer >= 0.22 ships its own copy of click and no longer depends on it
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer on top of click
    from click.exceptions import UsageError

if TYPE_CHECKING:
    import arviz as az
    import pandas as pd
    import pymc as pm
    from matplotlib.figure import Figure
    from rich.console import Console

    from teachkit.inference import Diagnostics
    from teachkit.simulate import Simulation

__all__ = ["app", "main"]

app = typer.Typer(
    name="teachkit",
    help="Teaching toolkit for Bayesian multilevel models: covariance, LKJ, MVN and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
demo_app = typer.Typer(help="Live demos for the lecture's core maths.", no_args_is_help=True)
app.add_typer(demo_app, name="demo")
data_app = typer.Typer(
    help="The lecture's real data sets: list, show, export.", no_args_is_help=True
)
app.add_typer(data_app, name="data")
simulate_app = typer.Typer(
    help="Simulate data with a known truth for a case study.", no_args_is_help=True
)
app.add_typer(simulate_app, name="simulate")

DEFAULT_OUT = Path("teachkit-figures")

OutOption = Annotated[
    Path, typer.Option("--out", help="Folder for the figure (created if missing).")
]
SeedOption = Annotated[
    int, typer.Option("--seed", min=0, help="Random seed (same seed, same output).")
]
SimOutOption = Annotated[Path, typer.Option("--out", help="CSV file for the simulated data.")]
TruthOption = Annotated[
    Path | None, typer.Option("--truth", help="JSON file for the planted parameters.")
]


class CaseName(StrEnum):
    """The two case studies."""

    ozone = "ozone"
    grants = "grants"


class UserError(ValueError):
    """A mistake in what the user typed; reported as one line with exit code 2."""


def parse_numbers(text: str, option: str) -> list[float]:
    """Parse a comma-separated list of numbers such as ``"0.5,1,2,4"``.

    Raises
    ------
    UserError
        Naming the option and the offending text.

    Examples
    --------
    >>> parse_numbers("0.5, 1,2", "--eta")
    [0.5, 1.0, 2.0]
    """
    parts = [p.strip() for p in text.split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise UserError(
            f"{option}: {text!r} is not a comma-separated list of numbers (e.g. 0.5,1,2)"
        ) from None
    if not all(np.isfinite(values)):
        raise UserError(f"{option}: {text!r} has a value that is not a finite number")
    return values


def parse_matrix(text: str) -> np.ndarray:
    """Parse a matrix written row by row, rows separated by ``;`` and entries by ``,``.

    Examples
    --------
    >>> parse_matrix("1,0.5;0.5,1").tolist()
    [[1.0, 0.5], [0.5, 1.0]]
    """
    rows = text.strip().strip(";").split(";")
    try:
        values = [[float(v) for v in row.split(",")] for row in rows]
    except ValueError:
        raise UserError(
            f"cannot read {text!r} as a matrix: write rows separated by ';' and entries by ',', "
            'e.g. "1,0.5;0.5,1"'
        ) from None
    if len({len(r) for r in values}) != 1:
        raise UserError(f"cannot read {text!r} as a matrix: its rows have different lengths")
    return np.array(values)


@demo_app.command("lkj")
def demo_lkj(
    eta: Annotated[
        str, typer.Option(help="Comma-separated concentrations, each > 0.")
    ] = "0.5,1,2,4",
    dim: Annotated[int, typer.Option(min=2, help="Size of the correlation matrices.")] = 2,
    draws: Annotated[int, typer.Option(min=1, help="Matrices sampled per eta.")] = 20_000,
    seed: SeedOption = 0,
    out: OutOption = DEFAULT_OUT,
) -> None:
    """Sample LKJ(eta) correlations and compare them with the exact marginal density."""
    from rich.table import Table

    from teachkit.demos import STRONG, lkj_demo
    from teachkit.plots import plot_lkj_marginals

    result = lkj_demo(parse_numbers(eta, "--eta"), dim=dim, draws=draws, rng=seed)
    path = _save(lambda: plot_lkj_marginals(result.rho, result.dim), out / "lkj.png")

    table = Table(title=f"LKJ(η): one correlation ρ of a {dim}×{dim} matrix, {draws} draws per η")
    for col in ("η", "sd exact", "sd sampled", f"P(|ρ|>{STRONG}) exact", "sampled"):
        table.add_column(col, justify="right")
    for r in result.rows:
        table.add_row(
            f"{r.eta:g}",
            f"{r.sd_exact:.3f}",
            f"{r.sd_sampled:.3f}",
            f"{r.p_strong_exact:.3f}",
            f"{r.p_strong_sampled:.3f}",
        )
    console = _console()
    console.print(table)
    console.print(f"figure: {path}")


@demo_app.command("mvn")
def demo_mvn(
    sds: Annotated[str, typer.Option(help="The two standard deviations, e.g. 2,1.")] = "2,1",
    rho: Annotated[float, typer.Option(help="Correlation in [-1, 1].")] = -0.8,
    draws: Annotated[int, typer.Option(min=1, help="Draws from each distribution.")] = 2000,
    seed: SeedOption = 0,
    out: OutOption = DEFAULT_OUT,
) -> None:
    """A bivariate normal against two independent normals with the same marginals."""
    from teachkit.demos import mvn_demo
    from teachkit.plots import plot_mvn_vs_independent

    values = parse_numbers(sds, "--sds")
    if len(values) != 2:
        raise UserError(f"--sds: give exactly two standard deviations, got {len(values)}")
    result = mvn_demo(values, rho, draws=draws, rng=seed)
    path = _save(
        lambda: plot_mvn_vs_independent(result.joint, result.independent, result.mean, result.cov),
        out / "mvn.png",
    )
    typer.echo(f"Covariance of the bivariate normal (rho = {rho:g}):")
    typer.echo(_format_matrix(result.cov))
    typer.echo("Covariance of the two independent normals (same marginals):")
    typer.echo(_format_matrix(result.cov_independent))
    typer.echo(f"figure: {path}")


@app.command("check-corr")
def check_corr(
    matrix: Annotated[
        str,
        typer.Argument(
            help='The matrix, rows separated by ";" and entries by ",", '
            'e.g. "1,0.9,0.8;0.9,1,-0.9;0.8,-0.9,1".'
        ),
    ],
) -> None:
    """Say whether a matrix is a correlation matrix, why not, and the nearest one that is.

    Exit code 0 if it is valid, 1 if it is not, 2 if the input cannot be read.
    """
    from teachkit.covariance import (
        InvalidCorrelationError,
        feasible_interval,
        nearest_correlation,
        validate_correlation,
    )

    r = parse_matrix(matrix)
    try:
        validate_correlation(r)
    except InvalidCorrelationError as err:
        typer.echo("Not a correlation matrix.")
        typer.echo(f"Why: {str(err).removeprefix('not a correlation matrix: ')}")
        if err.problem in ("not_psd", "out_of_range") and r.shape == (3, 3):
            typer.echo("Feasible interval of each entry, given the other two:")
            for i, j in ((0, 1), (0, 2), (1, 2)):
                low, high = feasible_interval(r, i, j)
                flag = "" if low <= r[i, j] <= high else "   <- outside"
                typer.echo(
                    f"  R[{i},{j}] = {r[i, j]:.4g} must lie in [{low:.3f}, {high:.3f}]{flag}"
                )
        if err.problem not in ("not_square", "not_finite"):
            typer.echo("Nearest correlation matrix (Higham 2002):")
            typer.echo(_format_matrix(nearest_correlation(r)))
        raise typer.Exit(code=1) from None
    eig = np.linalg.eigvalsh(r)
    typer.echo("A valid correlation matrix.")
    typer.echo(f"Eigenvalues: {', '.join(f'{v:.4g}' for v in eig)}")


@data_app.command("list")
def data_list() -> None:
    """Name and describe the shipped data sets."""
    from teachkit.datasets import DATASETS

    for name, description in DATASETS.items():
        typer.echo(f"{name:<8} {description}")


@data_app.command("show")
def data_show(
    name: Annotated[
        str, typer.Argument(help="Data set name (see 'teachkit data list') or a CSV file.")
    ],
    rows: Annotated[int, typer.Option(min=1, help="How many first rows to print.")] = 5,
    case: Annotated[
        CaseName | None, typer.Option(help="For a CSV file: check it as an ozone or grants table.")
    ] = None,
) -> None:
    """Print the first rows of a data set and a summary of its columns."""
    import pandas as pd

    from teachkit.datasets import load_dataset

    frame = load_dataset(name, case=case.value if case else None)
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        typer.echo(f"{name}: {len(frame)} rows x {frame.shape[1]} columns")
        typer.echo(frame.head(rows).to_string(index=False))
        typer.echo("")
        typer.echo(frame.describe(include="all").T.to_string())


@data_app.command("export")
def data_export(
    name: Annotated[str, typer.Argument(help="Data set name (see 'teachkit data list').")],
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
) -> None:
    """Write a data set to a CSV file, as loaded (the Beijing table with missing days dropped)."""
    from teachkit.datasets import load_dataset, write_csv

    path = write_csv(load_dataset(name), out)
    typer.echo(f"wrote {path}")


@simulate_app.command("ozone")
def simulate_ozone_cmd(
    out: SimOutOption,
    stations: Annotated[int, typer.Option(min=1, help="Number of stations.")] = 12,
    days: Annotated[int, typer.Option(min=1, help="Days per station.")] = 1461,
    mu_alpha: Annotated[float, typer.Option(help="Mean intercept (log ug/m3 at 0 C).")] = 3.45,
    mu_beta: Annotated[float, typer.Option(help="Mean slope per deg C.")] = 0.054,
    sigma_alpha: Annotated[float, typer.Option(help="Sd of the intercepts (0: common).")] = 0.18,
    sigma_beta: Annotated[float, typer.Option(help="Sd of the slopes (0: common).")] = 0.006,
    rho: Annotated[float, typer.Option(help="Correlation of intercepts and slopes.")] = -0.9,
    sigma: Annotated[float, typer.Option(help="Residual sd.")] = 0.6,
    missing_rate: Annotated[float, typer.Option(help="Share of days without ozone.")] = 0.0,
    seed: SeedOption = 0,
    truth: TruthOption = None,
) -> None:
    """Simulate daily ozone at stations whose intercepts and slopes co-vary."""
    from teachkit.simulate import simulate_ozone

    sim = simulate_ozone(
        n_stations=stations,
        n_days=days,
        mu=(mu_alpha, mu_beta),
        sds=(sigma_alpha, sigma_beta),
        rho=rho,
        sigma=sigma,
        missing_rate=missing_rate,
        rng=seed,
    )
    _save_simulation(sim, out, truth)


@simulate_app.command("grants")
def simulate_grants_cmd(
    out: SimOutOption,
    disciplines: Annotated[int, typer.Option(min=1, help="Number of disciplines.")] = 9,
    applications: Annotated[int, typer.Option(min=1, help="Expected total applications.")] = 2800,
    direct_effect: Annotated[
        float, typer.Option(help="Log-odds of an award, men minus women, within a discipline.")
    ] = 0.0,
    baseline: Annotated[float, typer.Option(help="alpha[f], log-odds of an award.")] = -1.5,
    discipline_sd: Annotated[float, typer.Option(help="Sd of discipline effects (tau).")] = 0.5,
    female_share: Annotated[float, typer.Option(help="Typical share of women applying.")] = 0.4,
    confounding: Annotated[
        float, typer.Option(help="How much less women apply where awards are more frequent.")
    ] = 1.0,
    seed: SeedOption = 0,
    truth: TruthOption = None,
) -> None:
    """Simulate grant applications and awards where gender acts through discipline."""
    from teachkit.simulate import simulate_grants

    sim = simulate_grants(
        disciplines,
        applications=applications,
        direct_effect=direct_effect,
        baseline=baseline,
        discipline_sd=discipline_sd,
        female_share=female_share,
        confounding=confounding,
        rng=seed,
    )
    _save_simulation(sim, out, truth)


DEFAULT_DATA = {"ozone": "beijing", "grants": "nwo"}

ModelOption = Annotated[str, typer.Option("--model", help="Model name, e.g. covarying.")]
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data", help="beijing (ozone), nwo (grants) or a CSV file. Default: the real one."
    ),
]
SamplerOption = Annotated[str, typer.Option(help="nutpie (default) or pymc.")]
DrawsOption = Annotated[int, typer.Option(min=1, help="Kept draws per chain.")]
TuneOption = Annotated[int, typer.Option(min=0, help="Tuning steps per chain.")]
ChainsOption = Annotated[int, typer.Option(min=1, help="Number of chains.")]
JsonOption = Annotated[Path | None, typer.Option("--json", help="Write a JSON record here.")]


@app.command("fit")
def fit_cmd(
    case: Annotated[CaseName, typer.Argument(help="ozone or grants.")],
    model: ModelOption,
    parameterization: Annotated[
        str | None, typer.Option(help="Ozone: noncentered (default) or centered.")
    ] = None,
    likelihood: Annotated[
        str | None, typer.Option(help="Ozone: sufficient (default) or pointwise.")
    ] = None,
    data: DataOption = None,
    sampler: SamplerOption = "nutpie",
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    seed: SeedOption = 1,
    save: Annotated[
        Path | None, typer.Option("--save", help="Write the InferenceData (netCDF) here.")
    ] = None,
    json_out: JsonOption = None,
) -> None:
    """Fit one model of the lecture and print its summary table and diagnostics."""
    from teachkit.inference import SAMPLERS, diagnose, fit, summary
    from teachkit.models import get_spec
    from teachkit.models.spec import check_choice
    from teachkit.report import fit_record, write_json

    check_choice("sampler", sampler, SAMPLERS)
    data_name = data or DEFAULT_DATA[case.value]
    built = _build(case.value, model, data_name, parameterization, likelihood)
    _status(f"fitting {case.value}/{model} on {data_name} with {sampler} ({chains} chains) ...")
    idata = fit(
        built, sampler=sampler, draws=draws, tune=tune, chains=chains, seed=seed,
        progress=sys.stderr.isatty(),
    )  # fmt: skip
    table = summary(idata)
    diagnostics = diagnose(idata)
    _print_summary(
        table, title=f"{case.value} / {model} ({data_name}, n = {get_spec(built).n_obs})"
    )
    _print_diagnostics(diagnostics, idata)
    if save is not None:
        save.parent.mkdir(parents=True, exist_ok=True)
        idata.to_netcdf(str(save))
        typer.echo(f"wrote {save}")
    if json_out is not None:
        write_json(fit_record(idata, table, diagnostics, data=data_name), json_out)
        typer.echo(f"wrote {json_out}")


@app.command("compare")
def compare_cmd(
    case: Annotated[CaseName, typer.Argument(help="ozone or grants.")],
    data: DataOption = None,
    sampler: SamplerOption = "nutpie",
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    seed: SeedOption = 1,
    json_out: JsonOption = None,
) -> None:
    """Fit every model of a case on the same data and print the PSIS-LOO comparison."""
    from rich.table import Table

    from teachkit.inference import SAMPLERS, compare, fit
    from teachkit.models import MODELS, get_spec
    from teachkit.models.spec import check_choice
    from teachkit.report import compare_record, write_json

    check_choice("sampler", sampler, SAMPLERS)
    data_name = data or DEFAULT_DATA[case.value]
    fits, n_obs = {}, 0
    for name in MODELS[case.value]:
        built = _build(case.value, name, data_name, None, None)
        n_obs = get_spec(built).n_obs
        _status(f"fitting {case.value}/{name} ...")
        fits[name] = fit(
            built, sampler=sampler, draws=draws, tune=tune, chains=chains, seed=seed,
            progress=sys.stderr.isatty(),
        )  # fmt: skip
    _status("computing PSIS-LOO ...")
    table = compare(fits)
    out = Table(title=f"PSIS-LOO comparison: {case.value} on {data_name} (n = {n_obs})")
    for col in ("model", "rank", "elpd_loo", "p_loo", "d_loo", "weight", "se", "dse", "k max"):
        out.add_column(col, justify="left" if col == "model" else "right")
    for name, row in table.iterrows():
        out.add_row(
            str(name), str(int(row["rank"])), f"{row['elpd_loo']:.1f}", f"{row['p_loo']:.1f}",
            f"{row['d_loo']:.1f}", f"{row['weight']:.2f}", f"{row['se']:.1f}",
            f"{row['dse']:.1f}", f"{row['pareto_k_max']:.2f}" + (" !" if row["warning"] else ""),
        )  # fmt: skip
    _console().print(out)
    if table["warning"].any():
        typer.echo("! some Pareto k > 0.7: PSIS-LOO is unreliable for those models")
    if json_out is not None:
        write_json(compare_record(table, case=case.value, data=data_name, n_obs=n_obs), json_out)
        typer.echo(f"wrote {json_out}")


@app.command("bench")
def bench_cmd(
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    seed: SeedOption = 1,
) -> None:
    """Time the covarying model as the slides write it against teachkit's default (Beijing)."""
    from rich.table import Table

    from teachkit.benchmark import benchmark_covarying
    from teachkit.datasets import load_beijing_ozone

    data = load_beijing_ozone()
    _status(
        f"benchmark: covarying model on the Beijing data ({len(data)} rows), "
        f"{chains} chains x ({tune} tune + {draws} draws); the slides' form takes minutes ..."
    )
    rows = benchmark_covarying(data, draws=draws, tune=tune, chains=chains, seed=seed)
    slides = rows[0]
    table = Table(title="Covarying model, Beijing data: wall time includes compilation")
    for col in ("fit", "wall s", "compile s", "sampling s", "min ESS", "ESS/s", "speed-up", "div"):
        table.add_column(col, justify="left" if col == "fit" else "right", no_wrap=col == "fit")
    for r in rows:
        table.add_row(
            r.label, f"{r.wall:.1f}", f"{r.compile:.1f}", f"{r.sampling:.1f}",
            f"{r.min_ess_bulk:.0f}", f"{r.ess_per_second:.1f}", f"{slides.wall / r.wall:.1f}x",
            str(r.divergences),
        )  # fmt: skip
    _console().print(table)


@app.command("recover")
def recover_cmd(
    case: Annotated[CaseName, typer.Argument(help="ozone or grants.")],
    model: ModelOption,
    seed: SeedOption = 1,
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    hdi_prob: Annotated[float, typer.Option(help="Mass of the intervals.")] = 0.94,
    json_out: JsonOption = None,
) -> None:
    """Simulate data the model is true for, fit it, and print truth against posterior.

    Exit code 1 if any hyperparameter's truth lies outside its interval.
    """
    from rich.table import Table

    from teachkit.models import MODELS
    from teachkit.models.spec import check_choice
    from teachkit.recovery import all_hyperparameters_inside, group_share_inside, recover
    from teachkit.report import write_json

    check_choice(f"{case.value} model", model, MODELS[case.value])
    _status(f"simulating {case.value} data for the {model} model (seed {seed}) and fitting ...")
    table = recover(
        case.value, model, seed=seed, hdi_prob=hdi_prob, draws=draws, tune=tune, chains=chains,
        progress=sys.stderr.isatty(),
    )  # fmt: skip
    out = Table(title=f"Recovery: {case.value} / {model}, seed {seed}, {hdi_prob:.0%} HDI")
    for col in ("parameter", "level", "truth", "mean", "sd", "hdi_low", "hdi_high", "inside"):
        out.add_column(col, justify="left" if col in ("parameter", "level") else "right")
    for name, row in table.iterrows():
        out.add_row(
            str(name), row["level"], f"{row['truth']:.4g}", f"{row['mean']:.4g}",
            f"{row['sd']:.3g}", f"{row['hdi_low']:.4g}", f"{row['hdi_high']:.4g}",
            "yes" if row["inside"] else "NO",
        )  # fmt: skip
    _console().print(out)
    inside = all_hyperparameters_inside(table)
    share = group_share_inside(table)
    typer.echo(
        f"hyperparameters inside: {'all' if inside else 'NOT all'}; group-level inside: "
        + ("none planted" if np.isnan(share) else f"{share:.0%}")
    )
    if json_out is not None:
        record = {
            "case": case.value, "model": model, "seed": seed, "hdi_prob": hdi_prob,
            "parameters": {
                str(name): {"truth": row["truth"], "mean": row["mean"], "sd": row["sd"],
                            "hdi_low": row["hdi_low"], "hdi_high": row["hdi_high"],
                            "inside": bool(row["inside"])}
                for name, row in table.iterrows()
            },
            "all_hyperparameters_inside": inside,
        }  # fmt: skip
        write_json(record, json_out)
        typer.echo(f"wrote {json_out}")
    if not inside:
        raise typer.Exit(code=1)


@app.command("sbc")
def sbc_cmd(
    case: Annotated[CaseName, typer.Argument(help="ozone or grants.")],
    model: ModelOption,
    sims: Annotated[int, typer.Option("--sims", help="Number of simulated data sets (>= 1).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for ranks.csv and the plots.")],
    jobs: Annotated[int, typer.Option(help="Local worker processes (>= 1).")] = 1,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786.")
    ] = None,
    seed: SeedOption = 0,
    draws: DrawsOption = 500,
    tune: TuneOption = 500,
    chains: ChainsOption = 4,
    stations: Annotated[int, typer.Option(min=1, help="Ozone: stations per data set.")] = 8,
    days: Annotated[int, typer.Option(min=1, help="Ozone: days per station.")] = 30,
) -> None:
    """Simulation-based calibration: prior draws, simulated data, fits, rank statistics."""
    from rich.table import Table

    from teachkit.calibration import calibrate, check_scheduler
    from teachkit.datasets import write_csv
    from teachkit.models import MODELS
    from teachkit.models.spec import check_choice
    from teachkit.plots.sbc import plot_sbc_ecdf, plot_sbc_ranks

    if sims < 1:
        raise UserError(f"--sims must be a whole number >= 1, got {sims}")
    if jobs < 1:
        raise UserError(f"--jobs must be a whole number >= 1, got {jobs}")
    check_choice(f"{case.value} model", model, MODELS[case.value])
    if scheduler is not None:
        check_scheduler(scheduler)
    where = f"on {scheduler}" if scheduler else f"in {jobs} process{'es' if jobs > 1 else ''}"
    _status(f"SBC of {case.value}/{model}: {sims} simulations {where} ...")
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        rate = 60 * done / (time.perf_counter() - started)
        _status(f"  {done}/{total} fits ({rate:.1f} fits per minute)")

    result = calibrate(
        case.value, model, sims, seed=seed, jobs=jobs, scheduler=scheduler, draws=draws,
        tune=tune, chains=chains, n_stations=stations, n_days=days, on_result=progress,
    )  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    ranks = result.ranks.add_prefix("rank_").join(result.truth.add_prefix("truth_"))
    write_csv(ranks.assign(divergences=result.divergences), out / "ranks.csv")
    _save(lambda: plot_sbc_ranks(result.ranks, result.n_draws), out / "sbc_ranks.png")
    _save(lambda: plot_sbc_ecdf(result.ranks, result.n_draws), out / "sbc_ecdf.png")

    table = Table(title=f"SBC uniformity of ranks: {case.value}/{model}, {sims} simulations")
    for col in ("parameter", "chi2", "dof", "p", "uniform", "coverage"):
        table.add_column(col, justify="left" if col == "parameter" else "right")
    cover = result.coverage()
    for name, row in result.uniformity().iterrows():
        table.add_row(
            str(name), f"{row['chi2']:.1f}", str(int(row["dof"])), f"{row['p_value']:.3f}",
            "yes" if row["uniform"] else "NO",
            f"{cover.loc[name, 'coverage']:.2f} (nominal {result.interval:.2f})",
        )  # fmt: skip
    _console().print(table)
    typer.echo(
        f"{sims} fits in {result.seconds:.0f} s: {result.fits_per_minute:.1f} fits per minute "
        f"with {'Dask' if scheduler else f'{jobs} job(s)'}; "
        f"{int((result.divergences > 0).sum())} fits had divergences"
    )
    typer.echo(f"wrote {out / 'ranks.csv'}, {out / 'sbc_ranks.png'}, {out / 'sbc_ecdf.png'}")


@app.command("figures")
def figures_cmd(
    list_only: Annotated[
        bool, typer.Option("--list", help="Print the figure names and what each shows.")
    ] = False,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Draw only this figure (repeatable).")
    ] = None,
    out: OutOption = DEFAULT_OUT,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: png,svg,pdf.")] = "png",
    data: Annotated[str, typer.Option(help="beijing (real data) or simulated.")] = "beijing",
    refit: Annotated[bool, typer.Option("--refit", help="Ignore cached fits.")] = False,
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    seed: SeedOption = 1,
) -> None:
    """Render the lecture's slide figures (fits are cached in OUT/.fits)."""
    from teachkit.figures import FIGURES, render

    if list_only:
        for name, entry in FIGURES.items():
            typer.echo(f"{name:<26} {entry.description}")
        return
    if data not in ("beijing", "simulated"):
        raise UserError(f"--data must be beijing or simulated, got {data!r}")
    started = time.perf_counter()
    results = render(
        only or None, out=out, formats=[f.strip() for f in formats.split(",")], data=data,
        refit=refit, draws=draws, tune=tune, seed=seed, status=_status,
    )  # fmt: skip
    written = [r for r in results if not r.skipped]
    for r in results:
        typer.echo(r.skipped if r.skipped else f"wrote {', '.join(str(p) for p in r.paths)}")
    typer.echo(f"{len(written)} figures in {time.perf_counter() - started:.0f} s")


def _build(
    case: str, model: str, data_name: str, parameterization: str | None, likelihood: str | None
) -> pm.Model:
    """Load the data and build the model; options that do not apply are user errors."""
    from teachkit.datasets import load_dataset
    from teachkit.models import MODELS, build_model
    from teachkit.models.spec import check_choice

    check_choice(f"{case} model", model, MODELS[case])
    options = {
        k: v for k, v in (("parameterization", parameterization), ("likelihood", likelihood)) if v
    }
    if case == "grants" and options:
        raise UserError(f"--{next(iter(options))} applies to the ozone models only")
    frame = load_dataset(data_name, case=case)  # type: ignore[arg-type]
    return build_model(case, model, frame, **options)


def _console() -> Console:
    """A rich console; 120 columns wide when the output is not a terminal (files, pipes)."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 120)


def _status(message: str) -> None:
    """A progress line on stderr."""
    print(message, file=sys.stderr, flush=True)


def _print_summary(table: pd.DataFrame, title: str) -> None:
    """Print the summary table like the lecture's."""
    from rich.table import Table

    out = Table(title=title)
    columns = ("mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk", "ess_tail")
    out.add_column("parameter", no_wrap=True)
    for col in columns:
        out.add_column(col, justify="right")
    for name, row in table.iterrows():
        cells = [f"{row[c]:.3f}" if c not in ("ess_bulk", "ess_tail") else f"{row[c]:.0f}"
                 for c in columns]  # fmt: skip
        out.add_row(str(name), *cells)
    _console().print(out)


def _print_diagnostics(diagnostics: Diagnostics, idata: az.InferenceData) -> None:
    """Print the diagnostics, the time spent and the advice."""
    d = diagnostics
    attrs = idata.posterior.attrs
    typer.echo(
        f"diagnostics: {d.divergences} divergences, max r_hat {d.max_r_hat:.3f}, "
        f"min ess_bulk {d.min_ess_bulk:.0f}, min ess_tail {d.min_ess_tail:.0f}, "
        f"min E-BFMI {d.min_bfmi:.2f}"
    )
    typer.echo(
        f"time: {attrs['teachkit_seconds_wall']:.1f} s wall "
        f"({attrs['teachkit_seconds_compile']:.1f} s compiling, "
        f"{attrs['teachkit_seconds_sampling']:.1f} s sampling)"
    )
    for line in d.advice:
        typer.echo(f"advice: {line}")
    if d.ok:
        typer.echo("advice: none, the sampler reports no problems")


def _save_simulation(sim: Simulation, out: Path, truth: Path | None) -> None:
    """Write a simulation's data (and truth) and say where."""
    sim.save(out, truth)
    typer.echo(f"wrote {out} ({len(sim.data)} rows)")
    if truth is not None:
        typer.echo(f"wrote {truth} ({len(sim.truth)} parameters)")


def _format_matrix(m: np.ndarray) -> str:
    """Format a matrix for the terminal, one row per line."""
    return "\n".join("  " + "  ".join(f"{v:8.4f}" for v in row) for row in np.asarray(m))


def _save(draw: Callable[[], Figure], path: Path) -> Path:
    """Draw a figure in the slide style, save it to ``path`` and close it."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from teachkit.plots import slide_style

    path.parent.mkdir(parents=True, exist_ok=True)
    with slide_style():
        fig = draw()
        try:
            fig.savefig(path)
        finally:
            plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 a negative answer, 2 a user mistake)."""
    # pip's PyTensor finds no BLAS to link; that only slows large matrix products, which the
    # lecture's models do not have, so the warning would only distract a class.
    warnings.filterwarnings("ignore", "PyTensor could not link to a BLAS", UserWarning)
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="teachkit", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except UsageError as exc:
        print(f"teachkit: error: {_one_line(exc.format_message())}", file=sys.stderr)
        return 2
    except typer.Abort:
        print("teachkit: aborted", file=sys.stderr)
        return 130
    except ValueError as exc:
        print(f"teachkit: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"teachkit: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    return result if isinstance(result, int) else 0


def _one_line(message: str) -> str:
    """Collapse a message onto one line."""
    return " ".join(message.split())
