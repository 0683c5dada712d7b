"""Commands on data: ``data list|show|export`` and ``simulate ozone|grants|grouped``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teachkit.cli.app import (
    ChainsOption,
    DrawsOption,
    DropnaOption,
    GroupOption,
    PriorsOption,
    QuietOption,
    SeedOption,
    SimOutOption,
    StoreOption,
    TruthOption,
    TuneOption,
    XOption,
    YOption,
    configure_case,
    data_app,
    fit_store,
    simulate_app,
)
from teachkit.errors import TeachkitError

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


@simulate_app.command("grouped")
def simulate_grouped_cmd(
    out: SimOutOption,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            help="A CSV file whose groups, group sizes and x values the simulation copies "
            "(with --y, --x, --group). Default: the cafés' design.",
        ),
    ] = None,
    y: YOption = None,
    x: XOption = None,
    group: GroupOption = None,
    dropna: DropnaOption = False,
    groups: Annotated[
        int | None,
        typer.Option("--groups", help="Instead of --data: this many groups (default 20) ..."),
    ] = None,
    per_group: Annotated[
        int | None,
        typer.Option("--per-group", help="... of this many rows (default 10), x from 0 to 1."),
    ] = None,
    truth_from: Annotated[
        str | None,
        typer.Option(
            "--truth-from",
            help="given: the values below (unset ones the cafés'); fitted: posterior means of "
            "the covarying model fitted to --data (values set below still override them). "
            "Default: fitted with --data (effects of your data's size), else given.",
        ),
    ] = None,
    mu_alpha: Annotated[
        float | None, typer.Option(help="Mean intercept at x = 0 (cafés: 3.5).")
    ] = None,
    mu_beta: Annotated[float | None, typer.Option(help="Mean slope (cafés: -1).")] = None,
    sigma_alpha: Annotated[
        float | None, typer.Option(help="Sd of the intercepts, >= 0 (cafés: 1).")
    ] = None,
    sigma_beta: Annotated[
        float | None, typer.Option(help="Sd of the slopes, >= 0 (cafés: 0.5).")
    ] = None,
    rho: Annotated[
        float | None, typer.Option(help="Correlation of intercepts and slopes (cafés: -0.7).")
    ] = None,
    sigma: Annotated[float | None, typer.Option(help="Residual sd, > 0 (cafés: 0.5).")] = None,
    priors: PriorsOption = None,
    seed: SeedOption = 0,
    truth: TruthOption = None,
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    store: StoreOption = None,
    quiet: QuietOption = False,
) -> None:
    """Simulate a grouped table with a planted truth, on your own design or on a grid.

    Each group's intercept and slope are drawn from the covarying model's population, y from
    its lines. The CSV has your column names (it reads back with the same --y, --x and
    --group); the truth JSON has the canonical names (mu_alpha, ..., alpha[<group>]).
    """
    from teachkit.cases.grouped.simulate import CAFES
    from teachkit.checks import check_choice
    from teachkit.cli.calibration import (
        TRUTH_SOURCES,
        check_priors,
        fitted_population,
        user_table,
    )

    truth_from = truth_from or ("fitted" if data is not None else "given")
    check_choice("--truth-from", truth_from, TRUTH_SOURCES)
    study = configure_case("grouped", y=y, x=x, group=group, priors=priors, dropna=dropna)
    grid = {k: v for k, v in (("n_groups", groups), ("per_group", per_group)) if v is not None}
    label = None
    if data is not None:
        if grid:
            raise TeachkitError(
                "--groups and --per-group make a design of their own; with --data the design "
                "is the file's"
            )
        frame, label = user_table(study, data, quiet=quiet)
        study = study.with_data(frame)
    check_priors(study, priors)
    given = {
        "mu_alpha": mu_alpha,
        "mu_beta": mu_beta,
        "sigma_alpha": sigma_alpha,
        "sigma_beta": sigma_beta,
        "rho": rho,
        "sigma": sigma,
    }
    given = {k: v for k, v in given.items() if v is not None}
    if truth_from == "fitted":
        population = fitted_population(
            study,
            data,
            label,
            quiet=quiet,
            draws=draws,
            tune=tune,
            chains=chains,
            seed=seed,
            store=fit_store(store),
        )
        population = {**population, **given}
    else:
        population = {**CAFES, **given}
    sim = study.simulate(rng=seed, **population, **grid)
    design = (
        f"the design of {label}"
        if label
        else f"{grid.get('n_groups', 20)} x {grid.get('per_group', 10)} grid"
        if grid
        else "the cafés' design"
    )
    values = ", ".join(f"{name} = {sim.truth[name]:.4g}" for name in CAFES)
    setting = "" if not given else f"; set here: {', '.join(given)}"
    typer.echo(f"truth: {truth_from} ({values}{setting}); {design}; seed {seed}")
    _save_simulation(sim, out, truth)


def _save_simulation(sim: Simulation, out: Path, truth: Path | None) -> None:
    """Write a simulation's data (and truth) and say where."""
    sim.save(out, truth)
    typer.echo(f"wrote {out} ({len(sim.data)} rows)")
    if truth is not None:
        typer.echo(f"wrote {truth} ({len(sim.truth)} parameters)")
