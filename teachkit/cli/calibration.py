"""Commands that check models against a known truth: ``recover``, ``sbc``.

Each makes one library call (:func:`teachkit.recovery.recover`,
:func:`teachkit.calibration.calibrate`) and prints what it returns. On a user's own table
(``recover grouped --data F.csv --y COL --x COL --group COL``) the table is checked first
(a bad table is one line and exit 2, before anything is fitted or written): ``recover``
plants its truth on the table's design (groups, group sizes, x values), and ``sbc`` takes
its design and its ``auto`` priors from it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer

from teachkit.cli.app import (
    CaseArgument,
    CenterXOption,
    ChainsOption,
    DrawsOption,
    DropnaOption,
    GroupOption,
    JsonOption,
    ModelOption,
    PriorsOption,
    QuietOption,
    RefitOption,
    RichProgress,
    SeedOption,
    StoreOption,
    TuneOption,
    XOption,
    YOption,
    add_row,
    app,
    configure_case,
    console,
    entry_names,
    fit_store,
    progress_display,
    quiet_status,
    save_figure,
    status,
)
from teachkit.errors import TeachkitError

if TYPE_CHECKING:
    import pandas as pd

    from teachkit.cases.base import CaseStudy

#: Where ``recover --truth-from`` takes the planted population from.
TRUTH_SOURCES: tuple[str, ...] = ("given", "fitted")

TruthFromOption = Annotated[
    str | None,
    typer.Option(
        "--truth-from",
        help="given: the simulator's values (grouped: the cafés'); fitted: posterior means of "
        "the covarying model fitted to --data (grouped only). Default: fitted with --data "
        "(effects of your data's size), else given.",
    ),
]


@app.command("recover")
def recover_cmd(
    case: CaseArgument,
    model: ModelOption,
    seed: SeedOption = 1,
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    hdi_prob: Annotated[float, typer.Option(help="Mass of the intervals.")] = 0.94,
    json_out: JsonOption = None,
    store: StoreOption = None,
    refit: RefitOption = False,
    quiet: QuietOption = False,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            help="grouped: a CSV file whose design (groups, group sizes, x values) the "
            "simulation copies. Default: the case's own design.",
        ),
    ] = None,
    y: YOption = None,
    x: XOption = None,
    group: GroupOption = None,
    priors: PriorsOption = None,
    center_x: CenterXOption = False,
    dropna: DropnaOption = False,
    truth_from: TruthFromOption = None,
) -> None:
    """Simulate data the model is true for, fit it, and print truth against posterior.

    Exit code 1 if any hyperparameter's truth lies outside its interval.
    """
    from rich.table import Table

    from teachkit.checks import check_choice
    from teachkit.records import recover_record, write_json
    from teachkit.recovery import (
        all_hyperparameters_inside,
        group_share_inside,
        recover,
    )

    truth_from = truth_from or ("fitted" if data is not None else "given")
    check_choice("--truth-from", truth_from, TRUTH_SOURCES)
    study = configure_case(
        case, y=y, x=x, group=group, priors=priors, center_x=center_x, dropna=dropna
    )
    study.check_model(model)
    label = user_table(study, data, quiet=quiet)[1] if data is not None else None
    check_priors(study, priors)
    truth = None
    if truth_from == "fitted":
        truth = fitted_population(
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
    if not quiet:
        where = f" on the design of {label}" if label else ""
        status(f"simulating {case} data{where} for the {model} model (seed {seed}) and fitting ...")
    table = recover(
        study,
        model,
        seed=seed,
        data=data,
        truth=truth,
        hdi_prob=hdi_prob,
        draws=draws,
        tune=tune,
        chains=chains,
        store=fit_store(store),
        refit=refit,
        progress=progress_display(quiet or json_out is not None),
    )
    design = f", design of {label}" if label else ""
    out = Table(title=f"Recovery: {case} / {model}{design}, seed {seed}, {hdi_prob:.0%} HDI")
    names = entry_names(table.index, table.attrs.get("entry_names", {}))
    columns = (
        "parameter",
        *(["name"] if names else []),
        "level",
        "truth",
        "mean",
        "sd",
        "hdi_low",
        "hdi_high",
        "inside",
    )
    for col in columns:
        out.add_column(col, justify="left" if col in ("parameter", "name", "level") else "right")
    for name, row in table.iterrows():
        add_row(
            out,
            str(name),
            *([names.get(str(name), "")] if names else []),
            row["level"],
            f"{row['truth']:.4g}",
            f"{row['mean']:.4g}",
            f"{row['sd']:.3g}",
            f"{row['hdi_low']:.4g}",
            f"{row['hdi_high']:.4g}",
            "yes" if row["inside"] else "NO",
        )
    console().print(out)
    inside = all_hyperparameters_inside(table)
    share = group_share_inside(table)
    typer.echo(
        f"hyperparameters inside: {'all' if inside else 'NOT all'}; group-level inside: "
        + ("none planted" if np.isnan(share) else f"{share:.0%}")
    )
    if json_out is not None:
        record = recover_record(table)
        settings = table.attrs.get("case_settings", {})
        if label is not None or truth is not None or settings:
            record.update(data=label, truth_from=truth_from, **settings)
        write_json(record, json_out)
        typer.echo(f"wrote {json_out}")
    if not inside:
        raise typer.Exit(code=1)


@app.command("sbc")
def sbc_cmd(
    case: CaseArgument,
    model: ModelOption,
    sims: Annotated[int, typer.Option("--sims", help="Number of simulated data sets (>= 1).")],
    out: Annotated[Path, typer.Option("--out", help="Folder for ranks.csv and the plots.")],
    jobs: Annotated[int, typer.Option(help="Fits run at once, sharing the cores (>= 1).")] = 1,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786.")
    ] = None,
    parameterization: Annotated[
        str | None,
        typer.Option(
            help="A model option: how group effects are written in every fit (ozone and "
            "grouped models; default: the model's own)."
        ),
    ] = None,
    seed: SeedOption = 0,
    draws: DrawsOption = 500,
    tune: TuneOption = 500,
    chains: ChainsOption = 4,
    quiet: QuietOption = False,
    stations: Annotated[
        int | None, typer.Option(min=1, help="Ozone: stations per data set (default 8).")
    ] = None,
    days: Annotated[
        int | None, typer.Option(min=1, help="Ozone: days per station (default 30).")
    ] = None,
    groups: Annotated[
        int | None, typer.Option("--groups", help="grouped: groups per data set (default 20).")
    ] = None,
    per_group: Annotated[
        int | None, typer.Option("--per-group", help="grouped: rows per group (default 10).")
    ] = None,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            help="grouped: a CSV file; every simulated data set has its design (groups, group "
            "sizes, x values) and the fits its auto priors. Default: the cafés.",
        ),
    ] = None,
    y: YOption = None,
    x: XOption = None,
    group: GroupOption = None,
    priors: PriorsOption = None,
    center_x: CenterXOption = False,
    dropna: DropnaOption = False,
) -> None:
    """Simulation-based calibration: prior draws, simulated data, fits, rank statistics.

    On a user's table (grouped, ``--data``) the priors are computed once from that table and
    are the same for the prior draws and every fit, as SBC requires.
    """
    from rich.table import Table

    from teachkit.calibration import MAX_JOBS, MAX_SIMS, calibrate, check_scheduler
    from teachkit.checks import check_count
    from teachkit.files import write_csv
    from teachkit.plots.sbc import plot_sbc_ecdf, plot_sbc_ranks

    model_options = {} if parameterization is None else {"parameterization": parameterization}
    check_count(sims, "--sims", 1, MAX_SIMS)
    check_count(jobs, "--jobs", 1, MAX_JOBS)
    study = configure_case(
        case, y=y, x=x, group=group, priors=priors, center_x=center_x, dropna=dropna
    )
    study.check_model(model)
    study.resolve_options(model, **model_options)
    sizes = (("n_stations", stations), ("n_days", days), ("n_groups", groups))
    design = {k: v for k, v in (*sizes, ("per_group", per_group)) if v is not None}
    if data is not None:
        if groups is not None or per_group is not None:
            raise TeachkitError(
                "--groups and --per-group make a design of their own; with --data the design "
                "is the file's"
            )
        study = study.with_data(user_table(study, data, quiet=quiet)[0])
    check_priors(study, priors)
    if scheduler is not None:
        check_scheduler(scheduler)
    where = f"on {scheduler}" if scheduler else f"{jobs} at a time"
    say = quiet_status(quiet)
    if say is not None:
        say(f"SBC of {case}/{model}: {sims} simulations {where} ...")
    display = progress_display(quiet)
    started = time.perf_counter()

    def lines(done: int, total: int) -> None:
        # not on a terminal (a log file, CI): one plain line per fit
        if say is not None:
            rate = 60 * done / (time.perf_counter() - started)
            say(f"  {done}/{total} fits ({rate:.1f} fits per minute)")

    def on_result(done: int, total: int) -> None:
        if isinstance(display, RichProgress):  # a bar on the terminal
            update(done)
        else:
            lines(done, total)

    with display.count(f"SBC {case}/{model} fits", total=sims) as update:
        result = calibrate(
            study,
            model,
            sims,
            data=data,
            seed=seed,
            jobs=jobs,
            scheduler=scheduler,
            draws=draws,
            tune=tune,
            chains=chains,
            design=design,
            model_options=model_options,
            on_result=on_result,
        )
    ranks = result.ranks.add_prefix("rank_").join(result.truth.add_prefix("truth_"))
    write_csv(
        ranks.assign(divergences=result.divergences, min_ess=result.min_ess), out / "ranks.csv"
    )
    save_figure(lambda: plot_sbc_ranks(result.ranks, result.n_draws), out / "sbc_ranks.png")
    save_figure(lambda: plot_sbc_ecdf(result.ranks, result.n_draws), out / "sbc_ecdf.png")

    table = Table(title=f"SBC uniformity of ranks: {case}/{model}, {sims} simulations")
    for col in ("parameter", "chi2", "dof", "p", "uniform", "coverage"):
        table.add_column(col, justify="left" if col == "parameter" else "right")
    cover = result.coverage()
    for name, row in result.uniformity().iterrows():
        add_row(
            table,
            str(name),
            f"{row['chi2']:.1f}",
            str(int(row["dof"])),
            f"{row['p_value']:.3f}",
            "yes" if row["uniform"] else "NO",
            f"{cover.loc[name, 'coverage']:.2f} (nominal {result.interval:.2f})",
        )
    console().print(table)
    typer.echo(
        f"{sims} fits in {result.seconds:.0f} s: {result.fits_per_minute:.1f} fits per minute "
        f"with {'Dask' if scheduler else f'{jobs} job(s)'}; "
        f"{int((result.divergences > 0).sum())} fits had divergences"
    )
    if result.min_ess.notna().any():
        low = int((result.min_ess < result.n_draws).sum())
        typer.echo(
            f"least bulk ESS of the hyperparameters per fit: {result.min_ess.min():.0f} (median "
            f"{result.min_ess.median():.0f}) against the {result.n_draws} draws ranked; {low} of "
            f"{sims} fits below it (their ranks are not from independent draws)"
        )
    if scheduler is None:
        shares = result.time_shares()
        typer.echo(
            f"workers' time: {shares['sampling']:.0%} sampling, {shares['compile']:.0%} "
            f"compiling, {shares['other_fit']:.0%} building/ranking, {shares['idle']:.0%} "
            "start-up and waiting"
        )
    typer.echo(f"wrote {out / 'ranks.csv'}, {out / 'sbc_ranks.png'}, {out / 'sbc_ecdf.png'}")


def user_table(study: CaseStudy, data: str, *, quiet: bool = False) -> tuple[pd.DataFrame, str]:
    """Check ``--data`` for a case fitted to a user's table; say how many rows were dropped.

    A case whose tables have a fixed design (ozone, grants) refuses ``--data`` in one line.
    """
    from teachkit.cases.base import CaseStudy
    from teachkit.registry import load_data

    if type(study).with_data is CaseStudy.with_data:
        raise TeachkitError(
            f"the {study.name} case takes no --data here: its simulator has a design of its own"
        )
    frame, label = load_data(study, data)
    dropped = int(frame.attrs.get("dropped", 0) or 0)
    if dropped:
        typer.echo(f"dropped {dropped} rows with missing values from {label} (--dropna)")
    return frame, label


def check_priors(study: CaseStudy, priors: str | None) -> None:
    """Read a ``--priors`` file now, so a bad one is refused before anything runs."""
    if priors is not None:
        study.priors()  # type: ignore[attr-defined]


def fitted_population(
    study: CaseStudy,
    data: str | None,
    label: str | None,
    *,
    quiet: bool,
    **fit_options: Any,
) -> dict[str, float]:
    """``--truth-from fitted``: the covarying model's posterior means on the data, printed."""
    from teachkit.cases.base import CaseStudy
    from teachkit.recovery import fitted_truth

    if type(study).with_data is CaseStudy.with_data:
        raise TeachkitError(
            f"--truth-from fitted is for a case fitted to your own table (grouped), not "
            f"{study.name}"
        )
    truth = fitted_truth(
        study,
        data,
        progress=progress_display(quiet),
        status=quiet_status(quiet),
        **fit_options,
    )
    values = ", ".join(f"{name} = {value:.4g}" for name, value in truth.items())
    source = label or study.default_dataset
    typer.echo(f"truth: fitted (posterior means of {study.name}/covarying on {source}): {values}")
    return truth
