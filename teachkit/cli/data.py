"""Commands on data: ``data list|show|export`` and ``simulate ozone|grants``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teachkit.cli.app import (
    SeedOption,
    SimOutOption,
    TruthOption,
    data_app,
    simulate_app,
)

if TYPE_CHECKING:
    from teachkit.simulate import Simulation


@data_app.command("list")
def data_list() -> None:
    """Name and describe the shipped data sets."""
    from teachkit.registry import all_cases

    for case in all_cases():
        for d in case.datasets:
            typer.echo(f"{d.name:<8} ({case.name}) {d.description}")


@data_app.command("show")
def data_show(
    name: Annotated[
        str, typer.Argument(help="Data set name (see 'teachkit data list') or a CSV file.")
    ],
    rows: Annotated[int, typer.Option(min=1, help="How many first rows to print.")] = 5,
    case: Annotated[
        str | None, typer.Option(help="For a CSV file: check it as an ozone or grants table.")
    ] = None,
) -> None:
    """Print the first rows of a data set, a summary of its columns, and its other parts.

    A shipped data set's other tables (the Beijing stations' coordinates) are listed in full.
    """
    import pandas as pd

    from teachkit.datasets import dataset_case, datasets, load_dataset
    from teachkit.registry import get_case

    frame = load_dataset(name, case=case)
    parts = ()
    if name in datasets():
        parts = get_case(dataset_case(name)).dataset(name).parts
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        typer.echo(f"{name}: {len(frame)} rows x {frame.shape[1]} columns")
        typer.echo(frame.head(rows).to_string(index=False))
        typer.echo("")
        typer.echo(frame.describe(include="all").T.to_string())
        for title, load in parts:
            part = load()
            typer.echo("")
            typer.echo(f"{name} {title}: {len(part)} rows")
            typer.echo(part.to_string(index=False))


@data_app.command("export")
def data_export(
    name: Annotated[str, typer.Argument(help="Data set name (see 'teachkit data list').")],
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
) -> None:
    """Write a data set to a CSV file, as loaded (the Beijing table with missing days dropped)."""
    from teachkit.datasets import load_dataset
    from teachkit.files import write_csv

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
