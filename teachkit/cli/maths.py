"""Commands on the core maths: ``demo lkj``, ``demo mvn``, ``check-corr``."""

from __future__ import annotations

from typing import Annotated

import numpy as np
import typer

from teachkit.cli.app import (
    DEFAULT_OUT,
    OutOption,
    SeedOption,
    add_row,
    app,
    console,
    demo_app,
    save_figure,
)
from teachkit.errors import TeachkitError


def parse_numbers(text: str, option: str) -> list[float]:
    """Parse a comma-separated list of numbers such as ``"0.5,1,2,4"``.

    Raises
    ------
    TeachkitError
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
        raise TeachkitError(
            f"{option}: {text!r} is not a comma-separated list of numbers (e.g. 0.5,1,2)"
        ) from None
    if not all(np.isfinite(values)):
        raise TeachkitError(f"{option}: {text!r} has a value that is not a finite number")
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
        raise TeachkitError(
            f"cannot read {text!r} as a matrix: write rows separated by ';' and entries by ',', "
            'e.g. "1,0.5;0.5,1"'
        ) from None
    if len({len(r) for r in values}) != 1:
        raise TeachkitError(f"cannot read {text!r} as a matrix: its rows have different lengths")
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
    path = save_figure(lambda: plot_lkj_marginals(result.rho, result.dim), out / "lkj.png")

    table = Table(title=f"LKJ(η): one correlation ρ of a {dim}×{dim} matrix, {draws} draws per η")
    for col in ("η", "sd exact", "sd sampled", f"P(|ρ|>{STRONG}) exact", "sampled"):
        table.add_column(col, justify="right")
    for r in result.rows:
        add_row(
            table,
            f"{r.eta:g}",
            f"{r.sd_exact:.3f}",
            f"{r.sd_sampled:.3f}",
            f"{r.p_strong_exact:.3f}",
            f"{r.p_strong_sampled:.3f}",
        )
    terminal = console()
    terminal.print(table)
    terminal.print(f"figure: {path}")


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
        raise TeachkitError(f"--sds: give exactly two standard deviations, got {len(values)}")
    result = mvn_demo(values, rho, draws=draws, rng=seed)
    path = save_figure(
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

    For an invalid matrix of size 3 or more whose entries fail the range or the eigenvalue
    check, each entry is listed with the interval it must lie in given all the others; an entry
    gets no interval while another entry is outside [-1, 1], and an entry for which no value
    works says so.

    Exit code 0 if it is valid, 1 if it is not, 2 if the input cannot be read.
    """
    from teachkit.covariance import (
        InvalidCorrelationError,
        nearest_correlation,
        validate_correlation,
    )

    r = parse_matrix(matrix)
    try:
        validate_correlation(r)
    except InvalidCorrelationError as err:
        typer.echo("Not a correlation matrix.")
        typer.echo(f"Why: {str(err).removeprefix('not a correlation matrix: ')}")
        k = r.shape[0]
        if err.problem in ("not_psd", "out_of_range") and k >= 3:
            given = "the other two" if k == 3 else "all the others"
            typer.echo(f"Feasible interval of each entry, given {given}:")
            for i, j in zip(*np.triu_indices(k, 1), strict=True):
                typer.echo(_interval_line(r, int(i), int(j)))
        if err.problem not in ("not_square", "not_finite"):
            typer.echo("Nearest correlation matrix (Higham 2002):")
            typer.echo(_format_matrix(nearest_correlation(r)))
        raise typer.Exit(code=1) from None
    eig = np.linalg.eigvalsh(r)
    typer.echo("A valid correlation matrix.")
    typer.echo(f"Eigenvalues: {', '.join(f'{v:.4g}' for v in eig)}")


def _interval_line(r: np.ndarray, i: int, j: int) -> str:
    """One line of ``check-corr``: entry ``R[i, j]`` against its feasible interval.

    Three cases: another entry is outside [-1, 1] (no interval is meaningful until it is
    fixed), no value of ``R[i, j]`` works (:class:`~teachkit.covariance.NoFeasibleValueError`,
    whose message says why), or the interval, flagged when the entry lies outside it by more
    than the tolerance of :meth:`~teachkit.covariance.FeasibleInterval.contains`.
    """
    from teachkit.covariance import ATOL, NoFeasibleValueError, feasible_interval

    head = f"  R[{i},{j}] = {r[i, j]:.4g}"
    try:
        interval = feasible_interval(r, i, j)
    except NoFeasibleValueError as err:
        if err.out_of_range is not None:
            a, b = err.out_of_range
            return f"{head}: no interval while R[{a},{b}] = {r[a, b]:.4g} is outside [-1, 1]"
        return f"{head}: {err}"
    low, high = interval
    where = (
        f"must equal {low:.3f}" if high - low <= ATOL else f"must lie in [{low:.3f}, {high:.3f}]"
    )
    flag = "" if interval.contains(r[i, j]) else "   <- outside"
    return f"{head} {where}{flag}"


def _format_matrix(m: np.ndarray) -> str:
    """Format a matrix for the terminal, one row per line."""
    return "\n".join("  " + "  ".join(f"{v:8.4f}" for v in row) for row in np.asarray(m))
