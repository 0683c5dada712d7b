"""The ``teachkit`` app: the options the commands share, :func:`main` and output helpers.

The commands live in the modules ``maths``, ``data``, ``fitting``, ``calibration``,
``figures``, ``explorer`` and ``lectures`` of this package, each registering its commands on
:data:`app`; :mod:`teachkit.cli` imports them all.

User mistakes (an unknown option, a number that does not parse, a value out of range, a file
that cannot be read) end with one line on stderr and exit code 2, never a traceback: the
library raises :class:`~teachkit.errors.TeachkitError` for them, and that is the only error
:func:`main` catches. Any other exception is a bug and keeps its traceback. A damaged
fit-store entry (:class:`~teachkit.errors.DamagedFitWarning`) is printed as one ``teachkit:
warning: ...`` line on stderr, and the command goes on with a new fit. Heavy imports
(matplotlib, and PyMC for the model commands) happen inside the commands, so ``teachkit
--help`` and the demos start fast.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from teachkit.checks import MAX_SEED
from teachkit.errors import DamagedFitWarning, TeachkitError
from teachkit.progress import Progress
from teachkit.registry import BUILTIN

try:  # typer >= 0.22 ships its own copy of click and no longer depends on it
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover - older typer on top of click
    from click.exceptions import UsageError

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from rich.console import Console
    from rich.table import Table

    from teachkit.cases.base import CaseStudy
    from teachkit.store import FitStore

__all__ = ["app", "main"]

app = typer.Typer(
    name="teachkit",
    help="Teaching toolkit for Bayesian multilevel models: covariance, LKJ, MVN and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
demo_app = typer.Typer(help="Live demos for the lecture's core maths.", no_args_is_help=True)
app.add_typer(demo_app, name="demo")
data_app = typer.Typer(
    help="The lecture's real data sets: list, show, export.", no_args_is_help=True
)
app.add_typer(data_app, name="data")
simulate_app = typer.Typer(
    help="Simulate data with a known truth for a case study.", no_args_is_help=True
)
app.add_typer(simulate_app, name="simulate")

DEFAULT_OUT = Path("teachkit-figures")

OutOption = Annotated[
    Path, typer.Option("--out", help="Folder for the figure (created if missing).")
]
SeedOption = Annotated[
    int,
    typer.Option("--seed", min=0, max=MAX_SEED, help="Random seed (same seed, same output)."),
]
SimOutOption = Annotated[Path, typer.Option("--out", help="CSV file for the simulated data.")]
TruthOption = Annotated[
    Path | None, typer.Option("--truth", help="JSON file for the planted parameters.")
]

CaseArgument = Annotated[
    str, typer.Argument(help=f"Case study: {' or '.join(BUILTIN)}.", show_default=False)
]
ModelOption = Annotated[str, typer.Option("--model", help="Model name, e.g. covarying.")]
DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        help="beijing (ozone), nwo (grants), cafes (grouped) or a CSV file. Default: the real one.",
    ),
]
# A user's own table (the grouped case): which columns are y, x and the group, the priors, x
# centred or not, rows with missing values dropped or refused. Other cases refuse them.
YOption = Annotated[
    str | None, typer.Option("--y", help="grouped: the outcome's column, named as in the file.")
]
XOption = Annotated[
    str | None, typer.Option("--x", help="grouped: the predictor's column, named as in the file.")
]
GroupOption = Annotated[
    str | None, typer.Option("--group", help="grouped: the group column, named as in the file.")
]
PriorsOption = Annotated[
    str | None,
    typer.Option(
        "--priors",
        help="grouped: auto (scaled to the data; the default) or a TOML file overriding them.",
    ),
]
CenterXOption = Annotated[
    bool,
    typer.Option(
        "--center-x", help="grouped: fit with x centred at its mean (intercepts at the mean)."
    ),
]
DropnaOption = Annotated[
    bool,
    typer.Option("--dropna", help="grouped: drop rows with missing values (they are counted)."),
]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Folder of stored fits (default: $TEACHKIT_FIT_STORE or the user cache folder).",
    ),
]
RefitOption = Annotated[
    bool, typer.Option("--refit", help="Sample again even if the fit store has this fit.")
]
# The sampler settings' bounds are checked by teachkit.samplers.SamplerSettings, as for the
# library, so the command line accepts and refuses exactly what the library does.
SamplerOption = Annotated[str, typer.Option(help="nutpie (default) or pymc.")]
DrawsOption = Annotated[int, typer.Option(help="Kept draws per chain (>= 1).")]
TuneOption = Annotated[int, typer.Option(help="Tuning steps per chain (>= 0).")]
ChainsOption = Annotated[int, typer.Option(help="Number of chains (>= 1).")]
TargetAcceptOption = Annotated[
    float,
    typer.Option(
        "--target-accept",
        help="NUTS's target acceptance rate in [0.5, 1); raise it (e.g. 0.95) against divergences.",
    ),
]
JsonOption = Annotated[Path | None, typer.Option("--json", help="Write a JSON record here.")]
QuietOption = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="No progress display or status lines (results and errors only)."
    ),
]


def configure_case(
    case: str,
    *,
    y: str | None = None,
    x: str | None = None,
    group: str | None = None,
    priors: str | None = None,
    center_x: bool = False,
    dropna: bool = False,
) -> CaseStudy:
    """The case named on the command line, configured with a user's table's settings.

    ``--y``, ``--x`` and ``--group`` come together (one line naming the missing ones);
    settings a case does not take are refused by the case in one line.
    """
    from teachkit.registry import get_case

    named = {"y": y, "x": x, "group": group}
    given = [k for k, v in named.items() if v is not None]
    if given and len(given) < 3:
        lacking = ", ".join(f"--{k}" for k in named if named[k] is None)
        raise TeachkitError(f"--y, --x and --group come together; also give {lacking}")
    return get_case(case).configured(
        columns=named if given else None,
        priors=priors,
        center_x=center_x or None,
        dropna=dropna or None,
    )


def console() -> Console:
    """A rich console; 120 columns wide when the output is not a terminal (files, pipes)."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 120)


def status(message: str) -> None:
    """A progress line on stderr."""
    print(message, file=sys.stderr, flush=True)


def quiet_status(quiet: bool) -> Callable[[str], None] | None:
    """:func:`status`, or None (no status lines) under ``--quiet``."""
    return None if quiet else status


def progress_display(quiet: bool = False) -> Progress:
    """How a command shows its long steps: rich on a terminal, nothing otherwise.

    On a terminal (stderr is one) and without ``--quiet``: a spinner while a model compiles
    or PSIS-LOO runs, the sampler's own per-chain bar while it samples, and a bar of fits
    done with their rate for SBC. Piped or redirected output, ``--quiet`` and the library's
    own default get none of it.
    """
    from teachkit.progress import SILENT

    if quiet or not sys.stderr.isatty():
        return SILENT
    return RichProgress()


class RichProgress(Progress):
    """:class:`~teachkit.progress.Progress` drawn with rich on stderr (a terminal)."""

    sampler_bar = True

    def __init__(self, console: Console | None = None) -> None:
        from rich.console import Console

        self.console = console if console is not None else Console(stderr=True)

    @contextmanager
    def step(self, description: str) -> Iterator[None]:
        """A spinner with ``description`` and the seconds so far, removed when the step ends."""
        from rich.progress import Progress as Bar
        from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with Bar(*columns, console=self.console, transient=True) as bar:
            bar.add_task(description, total=None)
            yield

    @contextmanager
    def count(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        """A bar of parts done out of ``total``, with their rate per minute and the time left."""
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        started = time.perf_counter()
        columns = (
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Bar(*columns, console=self.console) as bar:
            task = bar.add_task(description, total=total, rate="")

            def update(done: int) -> None:
                rate = 60 * done / max(time.perf_counter() - started, 1e-9)
                bar.update(task, completed=done, rate=f"{rate:.1f}/min")

            yield update


def save_figure(draw: Callable[[], Figure], path: Path) -> Path:
    """Draw a figure in the slide style, save it on the slide canvas and close it.

    The file is written atomically; a PNG is 1920 x 1080 pixels
    (:func:`teachkit.plots.style.save_slide`).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from teachkit.plots.style import save_slide, slide_style

    with slide_style():
        fig = draw()
        try:
            save_slide(fig, path)
        finally:
            plt.close(fig)
    return path


def add_row(table: Table, *cells: str) -> None:
    """Add a row of plain-text cells to a rich table.

    rich reads ``[f]`` in ``alpha[f]`` as markup and drops it; labels come from data (a
    discipline called ``[physics]``), so every cell is escaped.
    """
    from rich.markup import escape

    table.add_row(*(escape(c) for c in cells))


def entry_names(parameters: Iterable[str], names: dict[str, str]) -> dict[str, str]:
    """The readable name of each entry parameter (``alpha[3]`` -> ``Dongsi``) that has one."""
    from teachkit.posterior import split_name

    out = {}
    for parameter in parameters:
        label = split_name(parameter)[1]
        if label is not None and label in names:
            out[parameter] = names[label]
    return out


def fit_store(folder: Path | None) -> FitStore:
    """The fit store in ``folder``, or the default one."""
    from teachkit.store import FitStore

    return FitStore(folder)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 a negative answer, 2 a user mistake)."""
    command = typer.main.get_command(app)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", DamagedFitWarning)
            warnings.showwarning = _show_warning(warnings.showwarning)
            result = command.main(args=argv, prog_name="teachkit", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except UsageError as exc:
        print(f"teachkit: error: {_one_line(exc.format_message())}", file=sys.stderr)
        return 2
    except typer.Abort:
        print("teachkit: aborted", file=sys.stderr)
        return 130
    except TeachkitError as exc:
        print(f"teachkit: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    return result if isinstance(result, int) else 0


def _show_warning(show: Callable[..., None]) -> Callable[..., None]:
    """``warnings.showwarning`` printing a :class:`DamagedFitWarning` as one line on stderr."""

    def shown(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if issubclass(category, DamagedFitWarning):
            print(f"teachkit: warning: {_one_line(str(message))}", file=sys.stderr, flush=True)
        else:
            show(message, category, filename, lineno, file, line)

    return shown


def _one_line(message: str) -> str:
    """Collapse a message onto one line."""
    return " ".join(message.split())
