"""Commands that fit models: ``fit``, ``compare``, ``held-out``, ``bench``.

Each parses its options, makes one library call (:func:`teachkit.pipeline.fit_model`,
:func:`teachkit.pipeline.compare_models`,
:func:`teachkit.cases.ozone.benchmark.benchmark_covarying`) and prints what it returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from teachkit.cli.app import (
    CaseArgument,
    CenterXOption,
    ChainsOption,
    DataOption,
    DrawsOption,
    DropnaOption,
    GroupOption,
    JsonOption,
    ModelOption,
    PriorsOption,
    QuietOption,
    RefitOption,
    SamplerOption,
    SeedOption,
    StoreOption,
    TargetAcceptOption,
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
)
from teachkit.samplers import TARGET_ACCEPT

if TYPE_CHECKING:
    from rich.table import Table

    from teachkit.cases.ozone.benchmark import BenchRow


@app.command("fit")
def fit_cmd(
    case: CaseArgument,
    model: ModelOption,
    parameterization: Annotated[
        str | None,
        typer.Option(
            help="A model option: how group effects are written (ozone and grouped models)."
        ),
    ] = None,
    likelihood: Annotated[
        str | None,
        typer.Option(
            help="A model option: how the likelihood is coded (ozone and grouped models)."
        ),
    ] = None,
    data: DataOption = None,
    sampler: SamplerOption = "nutpie",
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    seed: SeedOption = 1,
    target_accept: TargetAcceptOption = TARGET_ACCEPT,
    save: Annotated[
        Path | None,
        typer.Option("--save", help="Write the InferenceData, with its log-likelihood (netCDF)."),
    ] = None,
    json_out: JsonOption = None,
    store: StoreOption = None,
    refit: RefitOption = False,
    quiet: QuietOption = False,
    y: YOption = None,
    x: XOption = None,
    group: GroupOption = None,
    priors: PriorsOption = None,
    center_x: CenterXOption = False,
    dropna: DropnaOption = False,
) -> None:
    """Fit one model of the lecture and print its summary table and diagnostics.

    A fit already in the fit store (same data, model, options, sampler settings and seed) is
    read from it instead of sampled again.
    """
    from teachkit.files import atomic_write
    from teachkit.loo import add_log_likelihood
    from teachkit.pipeline import fit_model
    from teachkit.records import write_json

    study = configure_case(
        case, y=y, x=x, group=group, priors=priors, center_x=center_x, dropna=dropna
    )
    options = {"parameterization": parameterization, "likelihood": likelihood}
    result = fit_model(
        study,
        model,
        data,
        **{name: value for name, value in options.items() if value is not None},
        sampler=sampler,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        target_accept=target_accept,
        store=fit_store(store),
        refit=refit,
        progress=progress_display(quiet or json_out is not None),
        status=quiet_status(quiet),
    )
    record = result.record
    print_summary(record)
    print_priors(record)
    print_diagnostics(record, from_store=result.from_store)
    if save is not None:
        idata = add_log_likelihood(result.idata, study)
        atomic_write(save, lambda p: idata.to_netcdf(str(p)))
        typer.echo(f"wrote {save}")
    if json_out is not None:
        write_json(record, json_out)
        typer.echo(f"wrote {json_out}")


@app.command("compare")
def compare_cmd(
    case: CaseArgument,
    data: DataOption = None,
    sampler: SamplerOption = "nutpie",
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    seed: SeedOption = 1,
    target_accept: TargetAcceptOption = TARGET_ACCEPT,
    json_out: JsonOption = None,
    store: StoreOption = None,
    refit: RefitOption = False,
    quiet: QuietOption = False,
    y: YOption = None,
    x: XOption = None,
    group: GroupOption = None,
    priors: PriorsOption = None,
    center_x: CenterXOption = False,
    dropna: DropnaOption = False,
) -> None:
    """Fit every model of a case on the same data and print the PSIS-LOO comparison."""
    from rich.markup import escape
    from rich.table import Table

    from teachkit.loo_advice import read_comparison
    from teachkit.pipeline import compare_models
    from teachkit.records import compare_record, write_json

    study = configure_case(
        case, y=y, x=x, group=group, priors=priors, center_x=center_x, dropna=dropna
    )
    result = compare_models(
        study,
        data,
        sampler=sampler,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        target_accept=target_accept,
        store=fit_store(store),
        refit=refit,
        progress=progress_display(quiet or json_out is not None),
        status=quiet_status(quiet),
    )
    table = result.table
    out = Table(
        title=escape(f"PSIS-LOO comparison: {result.case} on {result.data} (n = {result.n_obs})")
    )
    for col in ("model", "rank", "elpd_loo", "p_loo", "d_loo", "weight", "se", "dse", "k max"):
        out.add_column(col, justify="left" if col == "model" else "right")
    for name, row in table.iterrows():
        add_row(
            out,
            str(name),
            str(int(row["rank"])),
            f"{row['elpd_loo']:.1f}",
            f"{row['p_loo']:.1f}",
            f"{row['d_loo']:.1f}",
            f"{row['weight']:.2f}",
            f"{row['se']:.1f}",
            f"{row['dse']:.1f}",
            f"{row['pareto_k_max']:.2f}" + (" !" if row["warning"] else ""),
        )
    console().print(out)
    if not quiet:
        for line in read_comparison(table):
            typer.echo(line)
    elif table["warning"].any():
        typer.echo("! some Pareto k > 0.7: PSIS-LOO is unreliable for those models")
    if json_out is not None:
        record = compare_record(table, case=result.case, data=result.data, n_obs=result.n_obs)
        write_json(record, json_out)
        typer.echo(f"wrote {json_out}")


@app.command("held-out")
def held_out_cmd(
    case: CaseArgument,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            help="A model to score (repeatable; the first is the reference). Default: ozone's "
            "varying_intercepts against spatial_intercepts.",
        ),
    ] = None,
    data: DataOption = None,
    sampler: SamplerOption = "nutpie",
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    seed: SeedOption = 1,
    target_accept: TargetAcceptOption = TARGET_ACCEPT,
    json_out: JsonOption = None,
    store: StoreOption = None,
    refit: RefitOption = False,
    quiet: QuietOption = False,
) -> None:
    """Leave each group (ozone: each station) out in turn, refit, and score its rows."""
    from rich.markup import escape
    from rich.table import Table

    from teachkit.leave_group_out import leave_one_group_out
    from teachkit.records import held_out_record, write_json

    result = leave_one_group_out(
        case,
        model,
        data,
        sampler=sampler,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        target_accept=target_accept,
        store=fit_store(store),
        refit=refit,
        progress=progress_display(quiet or json_out is not None),
        status=quiet_status(quiet),
    )
    table = result.table
    out = Table(title=escape(f"Leave one group out: {result.case} on {result.data}"))
    columns = ["left out", "rows", *result.models]
    if len(result.models) > 1:
        columns += ["difference", "per row"]
    for col in columns:
        out.add_column(col, justify="left" if col == "left out" else "right")
    for name, row in table.iterrows():
        cells = [str(name), str(int(row["rows"])), *(f"{row[m]:.1f}" for m in result.models)]
        if len(result.models) > 1:
            cells += [f"{row['difference']:+.1f}", f"{row['per_row']:+.4f}"]
        add_row(out, *cells)
    console().print(out)
    if len(result.models) > 1 and not quiet:
        total, se = result.difference
        reference, other = result.models[0], result.models[-1]
        typer.echo(
            f"Each number is the log predictive density of the left-out group's rows under a "
            f"fit without it. {other} minus {reference}: {total:+.1f} in total "
            f"(se {se:.1f} over groups, {abs(total) / se:.1f} se); {other} predicts "
            f"{result.better} of {len(table)} left-out groups better."
        )
    if json_out is not None:
        write_json(held_out_record(result.table, case=result.case, data=result.data), json_out)
        typer.echo(f"wrote {json_out}")


def bench_table(rows: list[BenchRow]) -> Table:
    """The bench's rows as a table (fits 120 columns, the console's width off a terminal)."""
    from rich import box
    from rich.table import Table

    from teachkit.cases.ozone.benchmark import speedups

    table = Table(
        title="Beijing data: wall = build + fit (cold includes compilation); the covarying model, "
        "and the GP lecture's spatial_intercepts",
        box=box.SIMPLE_HEAD,  # no column rules: ten columns fit 120
    )
    columns = (
        "fit",
        "start",
        "wall s",
        "compile s",
        "sampling s",
        "min ESS",
        "ESS/s",
        "x PyMC",
        "x nutpie",
        "div",
    )
    for col in columns:
        table.add_column(col, justify="left" if col in ("fit", "start") else "right", no_wrap=True)
    for r in rows:
        ratio = speedups(rows, r)
        add_row(
            table,
            r.label,
            r.start,
            f"{r.wall:.2f}",
            f"{r.compile:.1f}",
            f"{r.sampling:.2f}",
            f"{r.min_ess_bulk:.0f}",
            f"{r.ess_per_second:.1f}",
            *(f"{ratio[k]:.1f}" if k in ratio else "-" for k in ("slides_pymc", "slides_nutpie")),
            str(r.divergences),
        )
    return table


@app.command("bench")
def bench_cmd(
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    seed: SeedOption = 1,
    target_accept: TargetAcceptOption = TARGET_ACCEPT,
    repeats: Annotated[
        int, typer.Option(min=1, max=20, help="Warm fits of teachkit's form; the median is shown.")
    ] = 3,
    json_out: JsonOption = None,
    quiet: QuietOption = False,
) -> None:
    """Time the covarying model on the Beijing data: the slides' form against teachkit's.

    The slides' form on PyMC's NUTS and on nutpie, and teachkit's default, each cold
    (compilation included) and warm (compiled model reused).
    """
    from teachkit.cases.ozone.benchmark import (
        BAMBI_FORMULA,
        bench_record,
        benchmark_bambi,
        benchmark_covarying,
    )
    from teachkit.datasets import load_beijing_ozone
    from teachkit.records import write_json

    data = load_beijing_ozone()
    say = quiet_status(quiet) or (lambda line: None)
    say(
        f"benchmark: covarying model on the Beijing data ({len(data)} rows), {chains} chains x "
        f"({tune} tune + {draws} draws), six fits and {repeats - 1} repeats; the slides' form "
        "takes minutes ..."
    )
    rows = benchmark_covarying(
        data,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        target_accept=target_accept,
        repeats=repeats,
        status=lambda line: say(f"  {line} ..."),
    )
    bambi_rows, skipped = benchmark_bambi(
        data,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        target_accept=target_accept,
        status=lambda line: say(f"  {line} ..."),
    )
    rows = [*rows, *bambi_rows]
    console().print(bench_table(rows))
    if skipped is not None:
        typer.echo(skipped)
    elif bambi_rows:
        typer.echo(f"bambi fits {BAMBI_FORMULA}: varying slopes whose correlation it cannot model.")
    warm = next(r for r in reversed(rows) if r.form == "teachkit")
    runs = ", ".join(f"{x:.2f}" for x in warm.runs)
    typer.echo(
        f"teachkit warm: {warm.wall:.2f} s (median of {len(warm.runs)}: {runs}); "
        "x PyMC / x nutpie: times faster than the slides' form on that sampler, started the "
        "same way."
    )
    spatial = [r for r in rows if r.form == "spatial" and r.start == "warm"]
    if spatial:
        runs = ", ".join(f"{x:.2f}" for x in spatial[0].runs)
        typer.echo(f"spatial_intercepts warm: {spatial[0].wall:.2f} s (median of {runs})")
    if json_out is not None:
        settings = {
            "data": "beijing",
            "n_obs": len(data),
            "draws": draws,
            "tune": tune,
            "chains": chains,
            "seed": seed,
            "target_accept": target_accept,
            "repeats": repeats,
            "bambi": skipped or "fitted",
        }
        write_json(bench_record(rows, settings=settings), json_out)
        typer.echo(f"wrote {json_out}")


def print_summary(record: dict[str, Any]) -> None:
    """Print a fit record's summary table like the lecture's."""
    from rich.markup import escape
    from rich.table import Table

    title = f"{record['case']} / {record['model']} ({record['data']}, n = {record['n_obs']})"
    out = Table(title=escape(title))
    columns = ("mean", "sd", "hdi_3%", "hdi_97%", "r_hat", "ess_bulk", "ess_tail")
    names = entry_names(record["parameters"], record.get("entry_names", {}))
    out.add_column("parameter", no_wrap=True)
    if names:
        out.add_column("name", no_wrap=True)
    for col in columns:
        out.add_column(col, justify="right")
    for name, row in record["parameters"].items():
        cells = [_cell(row.get(c), 0 if c.startswith("ess") else 3) for c in columns]
        add_row(out, name, *([names.get(name, "")] if names else []), *cells)
    console().print(out)


def print_priors(record: dict[str, Any]) -> None:
    """Print the priors a fit used, and its data's settings, when its case records them."""
    if "priors_text" not in record:
        return
    from rich.markup import escape
    from rich.table import Table

    columns = record.get("columns", {})
    where = ", ".join(f"{role} = {name}" for role, name in columns.items())
    centred = f"; x centred at {record['x_center']:g}" if record.get("center_x") else ""
    out = Table(title=escape(f"priors ({record.get('priors_source', '')}): {where}{centred}"))
    out.add_column("parameter", no_wrap=True)
    out.add_column("prior")
    for name, prior in record["priors_text"].items():
        add_row(out, name, prior)
    console().print(out)
    if record.get("rows_dropped"):
        typer.echo(f"dropped {record['rows_dropped']} rows with missing values (--dropna)")


def _cell(value: float | None, digits: int) -> str:
    return "nan" if value is None else f"{value:.{digits}f}"


def print_diagnostics(record: dict[str, Any], *, from_store: bool) -> None:
    """Print a fit record's diagnostics, the time spent and the advice."""
    d = record["diagnostics"]
    typer.echo(
        f"diagnostics: {d['divergences']} divergences, max r_hat {_cell(d['max_r_hat'], 3)}, "
        f"min ess_bulk {_cell(d['min_ess_bulk'], 0)}, min ess_tail {_cell(d['min_ess_tail'], 0)}, "
        f"min E-BFMI {_cell(d['min_bfmi'], 2)}"
    )
    seconds = record["seconds"]
    when = "stored fit; sampling it took" if from_store else "time:"
    typer.echo(
        f"{when} {seconds['wall']:.1f} s wall ({seconds['compile']:.1f} s compiling, "
        f"{seconds['sampling']:.1f} s sampling)"
    )
    for line in d["advice"]:
        typer.echo(f"advice: {line}")
    if not d["advice"]:
        typer.echo("advice: none, the sampler reports no problems")
