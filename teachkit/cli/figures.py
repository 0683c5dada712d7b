"""The ``figures`` command: render the slide figures."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated

import typer

from teachkit.cli.app import (
    DEFAULT_OUT,
    CenterXOption,
    ChainsOption,
    DrawsOption,
    DropnaOption,
    GroupOption,
    OutOption,
    PriorsOption,
    QuietOption,
    RefitOption,
    SeedOption,
    StoreOption,
    TuneOption,
    XOption,
    YOption,
    app,
    configure_case,
    fit_store,
    progress_display,
    quiet_status,
)
from teachkit.errors import TeachkitError

if TYPE_CHECKING:
    from teachkit.cases.base import CaseStudy

#: What ``--data`` names when it is not a table: each case's real data set, or simulations.
SOURCES = ("real", "simulated")


@app.command("figures")
def figures_cmd(
    list_only: Annotated[
        bool,
        typer.Option(
            "--list",
            help="Print each figure in lecture order: name, storyboard row, step, teaching point.",
        ),
    ] = False,
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Draw only these figures (comma-separated, repeatable)."),
    ] = None,
    out: OutOption = DEFAULT_OUT,
    formats: Annotated[str, typer.Option("--format", help="Comma-separated: png,svg,pdf.")] = "png",
    data: Annotated[
        str,
        typer.Option(
            help="real (each case's real data set) or simulated; with --case, also a data "
            "set's name or a CSV file."
        ),
    ] = "real",
    case: Annotated[
        str | None,
        typer.Option(
            "--case",
            help="Only this case study's figures, e.g. grouped (any table: --data FILE.csv "
            "--y COL --x COL --group COL).",
        ),
    ] = None,
    refit: RefitOption = False,
    store: StoreOption = None,
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    seed: SeedOption = 1,
    quiet: QuietOption = False,
    y: YOption = None,
    x: XOption = None,
    group: GroupOption = None,
    priors: PriorsOption = None,
    center_x: CenterXOption = False,
    dropna: DropnaOption = False,
) -> None:
    """Render the lecture's slide figures, or one case's (their fits come from the fit store).

    ``--case grouped --data FILE.csv --y COL --x COL --group COL`` renders the figures of any
    grouped table (without ``--data``: the cafés).
    """
    from teachkit.figures import FigureContext, figure_listing, registered_figures, render

    settings = {"y": y, "x": x, "group": group, "priors": priors}
    if case is None and (any(v is not None for v in settings.values()) or center_x or dropna):
        raise TeachkitError(
            "--y, --x, --group, --priors, --center-x and --dropna need --case (e.g. --case grouped)"
        )
    if list_only:
        for line in figure_listing(registered_figures(case) if case else None):
            typer.echo(line)
        return
    cases = None
    if case is not None:
        study = _case_with_table(
            case, data, y=y, x=x, group=group, priors=priors, center_x=center_x, dropna=dropna
        )
        cases = {case: study}
        data = data if data in SOURCES else "real"
    context = FigureContext(
        data,
        store=fit_store(store),
        refit=refit,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,  # type: ignore[arg-type]
        status=quiet_status(quiet),
        progress=progress_display(quiet),
        cases=cases,
    )
    started = time.perf_counter()
    names = [n.strip() for item in only or [] for n in item.split(",") if n.strip()]
    results = render(
        names or None,
        out=out,
        formats=[f.strip() for f in formats.split(",")],
        context=context,
        status=quiet_status(quiet),
        case=case,
    )
    written = [r for r in results if not r.skipped]
    for r in results:
        typer.echo(r.skipped if r.skipped else f"wrote {', '.join(str(p) for p in r.paths)}")
    typer.echo(f"{len(written)} figures in {time.perf_counter() - started:.0f} s")


def _case_with_table(case: str, data: str, **settings: str | bool | None) -> CaseStudy:
    """The case named by ``--case``, configured, and bound to ``--data`` when it is a table."""
    from teachkit.registry import load_data

    study = configure_case(case, **settings)  # type: ignore[arg-type]
    if data in SOURCES:
        return study
    frame, _ = load_data(study, data)
    return study.with_data(frame)
