"""The ``explorer`` command: write the interactive explorer page."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from teachkit.cli.app import (
    DrawsOption,
    RefitOption,
    SeedOption,
    StoreOption,
    TuneOption,
    app,
    fit_store,
    status,
)

#: The explorer's data choices and the figure context's source for each.
SOURCES = {"beijing": "real", "simulated": "simulated"}


@app.command("explorer")
def explorer_cmd(
    out: Annotated[
        Path, typer.Option("--out", help="HTML file to write (one self-contained page).")
    ] = Path("teachkit-explorer.html"),
    data: Annotated[str, typer.Option(help="beijing (real data) or simulated.")] = "beijing",
    no_fit: Annotated[
        bool, typer.Option("--no-fit", help="Leave the real posterior out (no PyMC needed).")
    ] = False,
    store: StoreOption = None,
    refit: RefitOption = False,
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    seed: SeedOption = 1,
) -> None:
    """Write the interactive explorer: the lecture's ideas on sliders, in one offline page.

    Tab 5 shows the covarying model's fit on the data, from the fit store (fitted first when
    the store does not have it).
    """
    from teachkit.checks import check_choice
    from teachkit.explorer import build_explorer, posterior_from_idata

    check_choice("explorer data", data, SOURCES)
    started = time.perf_counter()
    posterior = None
    if not no_fit:
        from teachkit.figures import FigureContext

        ctx = FigureContext(
            SOURCES[data],
            store=fit_store(store),
            refit=refit,
            draws=draws,
            tune=tune,  # type: ignore[arg-type]
            seed=seed,
            status=status,
        )
        label = "Beijing" if data == "beijing" else "simulated"
        idata = ctx.fit("ozone", "covarying")
        posterior = posterior_from_idata(idata, ctx.data("ozone"), source=label)
    page = build_explorer(out, data=data, posterior=posterior, seed=seed)  # type: ignore[arg-type]
    typer.echo(f"wrote {page} in {time.perf_counter() - started:.1f} s")
