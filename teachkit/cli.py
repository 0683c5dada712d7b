"""The ``teachkit`` command line: thin commands that call the library.

User mistakes (an unknown option, a number that does not parse, a value out of range) end with
one line on stderr and exit code 2, never a traceback. Heavy imports (matplotlib, and PyMC for
the model commands) happen inside the commands, so ``teachkit --help`` and the demos start fast.
"""

from __future__ import annotations

import sys
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
    from matplotlib.figure import Figure

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
    from rich.console import Console
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
    console = Console()
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
