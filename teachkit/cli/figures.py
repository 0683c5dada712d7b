"""The ``figures`` command: render the slide figures."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from teachkit.cli.app import (
    DEFAULT_OUT,
    DrawsOption,
    OutOption,
    QuietOption,
    RefitOption,
    SeedOption,
    StoreOption,
    TuneOption,
    app,
    fit_store,
    progress_display,
    quiet_status,
)


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
        str, typer.Option(help="real (each case's real data set) or simulated.")
    ] = "real",
    refit: RefitOption = False,
    store: StoreOption = None,
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    seed: SeedOption = 1,
    quiet: QuietOption = False,
) -> None:
    """Render the lecture's slide figures (their fits come from the fit store)."""
    from teachkit.figures import FigureContext, figure_listing, render

    if list_only:
        for line in figure_listing():
            typer.echo(line)
        return
    context = FigureContext(
        data,
        store=fit_store(store),
        refit=refit,
        draws=draws,
        tune=tune,
        seed=seed,  # type: ignore[arg-type]
        status=quiet_status(quiet),
        progress=progress_display(quiet),
    )
    started = time.perf_counter()
    names = [n.strip() for item in only or [] for n in item.split(",") if n.strip()]
    results = render(
        names or None,
        out=out,
        formats=[f.strip() for f in formats.split(",")],
        context=context,
        status=quiet_status(quiet),
    )
    written = [r for r in results if not r.skipped]
    for r in results:
        typer.echo(r.skipped if r.skipped else f"wrote {', '.join(str(p) for p in r.paths)}")
    typer.echo(f"{len(written)} figures in {time.perf_counter() - started:.0f} s")
