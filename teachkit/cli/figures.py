"""The ``figures`` command: render the slide figures."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from teachkit.cli import (
    DEFAULT_OUT,
    DrawsOption,
    OutOption,
    SeedOption,
    TuneOption,
    UserError,
    app,
    status,
)


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
        refit=refit, draws=draws, tune=tune, seed=seed, status=status,
    )  # fmt: skip
    written = [r for r in results if not r.skipped]
    for r in results:
        typer.echo(r.skipped if r.skipped else f"wrote {', '.join(str(p) for p in r.paths)}")
    typer.echo(f"{len(written)} figures in {time.perf_counter() - started:.0f} s")
