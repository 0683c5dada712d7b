"""The ``explorer`` command: write the interactive explorer page."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer

from teachkit.cli.app import (
    CenterXOption,
    ChainsOption,
    DrawsOption,
    DropnaOption,
    GroupOption,
    PriorsOption,
    RefitOption,
    SeedOption,
    StoreOption,
    TuneOption,
    XOption,
    YOption,
    app,
    configure_case,
    fit_store,
    status,
)
from teachkit.errors import TeachkitError

#: The explorer's data choices and the figure context's source for each.
SOURCES = {"beijing": "real", "simulated": "simulated"}


@app.command("explorer")
def explorer_cmd(
    out: Annotated[
        Path, typer.Option("--out", help="HTML file to write (one self-contained page).")
    ] = Path("teachkit-explorer.html"),
    case: Annotated[
        str,
        typer.Option(
            "--case",
            help="ozone (the lecture's page) or grouped (tabs 4-5 on your own table: --data "
            "FILE.csv --y COL --x COL --group COL).",
        ),
    ] = "ozone",
    data: Annotated[
        str | None,
        typer.Option(
            help="ozone: beijing (real data, the default) or simulated; grouped: a CSV file "
            "or cafes (the default)."
        ),
    ] = None,
    no_fit: Annotated[
        bool, typer.Option("--no-fit", help="Leave the real posterior out (no PyMC needed).")
    ] = False,
    store: StoreOption = None,
    refit: RefitOption = False,
    draws: DrawsOption = 1000,
    tune: TuneOption = 1000,
    chains: ChainsOption = 4,
    seed: SeedOption = 1,
    y: YOption = None,
    x: XOption = None,
    group: GroupOption = None,
    priors: PriorsOption = None,
    center_x: CenterXOption = False,
    dropna: DropnaOption = False,
) -> None:
    """Write the interactive explorer: the lecture's ideas on sliders, in one offline page.

    Tab 5 shows the covarying model's fit on the data, from the fit store (fitted first when
    the store does not have it). With --case grouped, tabs 4 and 5 show your own table in its
    own column and group names.
    """
    from teachkit.checks import check_choice

    check_choice("explorer case", case, CASES)
    started = time.perf_counter()
    table = {"y": y, "x": x, "group": group, "priors": priors}
    table |= {"center_x": center_x, "dropna": dropna}
    settings = Settings(data, no_fit, store, refit, draws, tune, chains, seed)
    page = CASES[case](out, settings, table)
    typer.echo(f"wrote {page} in {time.perf_counter() - started:.1f} s")


class Settings(NamedTuple):
    """The explorer command's options every page takes."""

    data: str | None
    no_fit: bool
    store: Path | None
    refit: bool
    draws: int
    tune: int
    chains: int
    seed: int


def _grouped_page(out: Path, settings: Settings, table: dict[str, Any]) -> Path:
    """A user's table (``--case grouped``): tabs 4 and 5 in its own columns and groups."""
    from teachkit.explorer import build_grouped_explorer

    study = configure_case("grouped", **table)
    return build_grouped_explorer(
        out,
        study,
        settings.data,
        fit=not settings.no_fit,
        store=fit_store(settings.store),
        refit=settings.refit,
        draws=settings.draws,
        tune=settings.tune,
        chains=settings.chains,
        seed=settings.seed,
        status=status,
    )


def _lecture_page(out: Path, settings: Settings, table: dict[str, Any]) -> Path:
    """The lecture's page; options that describe a user's table are refused in one line."""
    given = [f"--{name.replace('_', '-')}" for name, value in table.items() if value]
    if given:
        verb = "describes" if len(given) == 1 else "describe"
        raise TeachkitError(
            f"{', '.join(given)} {verb} your own table; add --case grouped "
            "(the ozone page has fixed columns)"
        )
    return _ozone_page(out, settings.data or "beijing", *settings[1:])


def _ozone_page(
    out: Path,
    data: str,
    no_fit: bool,
    store: Path | None,
    refit: bool,
    draws: int,
    tune: int,
    chains: int,
    seed: int,
) -> Path:
    """The lecture's page: Beijing's (or simulated) stations, the fit from the store."""
    from teachkit.checks import check_choice
    from teachkit.explorer import build_explorer, posterior_from_idata

    check_choice("explorer data", data, SOURCES)
    posterior = None
    if not no_fit:
        from teachkit.figures import FigureContext

        ctx = FigureContext(
            SOURCES[data],  # type: ignore[arg-type]
            store=fit_store(store),
            refit=refit,
            draws=draws,
            tune=tune,
            chains=chains,
            seed=seed,
            status=status,
        )
        label = "Beijing" if data == "beijing" else "simulated"
        idata = ctx.fit("ozone", "covarying")
        posterior = posterior_from_idata(idata, ctx.data("ozone"), source=label)
    return build_explorer(out, data=data, posterior=posterior, seed=seed)  # type: ignore[arg-type]


#: The cases the explorer draws, each with its page: the lecture's ozone page, or a user's
#: grouped table.
CASES: dict[str, Callable[[Path, Settings, dict[str, Any]], Path]] = {
    "ozone": _lecture_page,
    "grouped": _grouped_page,
}
