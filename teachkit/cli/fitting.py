"""Commands that fit models: ``fit``, ``compare``, ``bench``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from teachkit.cli import (
    DEFAULT_DATA,
    CaseName,
    ChainsOption,
    DataOption,
    DrawsOption,
    JsonOption,
    ModelOption,
    SamplerOption,
    SeedOption,
    TuneOption,
    UserError,
    app,
    console,
    status,
)

if TYPE_CHECKING:
    import arviz as az
    import pandas as pd
    import pymc as pm

    from teachkit.inference import Diagnostics


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
    status(f"fitting {case.value}/{model} on {data_name} with {sampler} ({chains} chains) ...")
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
        status(f"fitting {case.value}/{name} ...")
        fits[name] = fit(
            built, sampler=sampler, draws=draws, tune=tune, chains=chains, seed=seed,
            progress=sys.stderr.isatty(),
        )  # fmt: skip
    status("computing PSIS-LOO ...")
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
    console().print(out)
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
    status(
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
    console().print(table)


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
    console().print(out)


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
