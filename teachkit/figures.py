"""The registry of slide figures: a stable kebab-case name -> the function that draws it.

The core-maths figures (covariance, LKJ, MVN) are registered here; each case study registers
its own (:meth:`teachkit.cases.CaseStudy.figures`). :func:`draw_figure` draws one by name in
the slide style and :func:`render` writes any number of them as PNG/SVG/PDF. The fits they
need come from the fit store through a :class:`FigureContext`, so a second render, or the
lecture notebook after ``teachkit figures``, samples nothing.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teachkit.cases import FigureSource, all_cases, get_case
from teachkit.checks import check_choice
from teachkit.covariance import build_covariance
from teachkit.errors import TeachkitError

if TYPE_CHECKING:
    import arviz as az
    import pandas as pd
    from matplotlib.figure import Figure

    from teachkit.store import FitStore

__all__ = [
    "FORMATS",
    "FigureContext",
    "FigureEntry",
    "Rendered",
    "draw_figure",
    "registered_figures",
    "render",
]

FORMATS = ("png", "svg", "pdf")
SOURCES: tuple[str, ...] = ("real", "simulated")


@dataclass(frozen=True)
class FigureEntry:
    """One registered figure.

    Attributes
    ----------
    name : str
        Stable kebab-case name, e.g. ``"pooling-funnel"``.
    description : str
        What the figure shows, a few words.
    draw : callable
        Draws the figure from a :class:`FigureContext`.
    needs_program : str, optional
        An external program the figure needs (e.g. Graphviz's ``dot``).
    point : str
        The figure's teaching point: one sentence a student should take from it, printed by
        ``teachkit figures --list``. Every built-in figure has one, and a test checks that the
        figure makes it on the data it draws.
    """

    name: str
    description: str
    draw: Callable[[FigureContext], Figure]
    needs_program: str | None = None
    point: str = ""

    @property
    def summary(self) -> str:
        """The teaching point, or the description when the entry has none."""
        return self.point or self.description


class FigureContext:
    """The data and fits the figures of one render share.

    Parameters
    ----------
    source : {"real", "simulated"}
        Each case study's real data set, or data from its simulator.
    store : FitStore, optional
        Where fits are read from and written to (default: the user's fit store).
    refit : bool
        Sample every fit again instead of reading the store.
    draws, tune, chains, seed : int
        Sampler settings of the fits.
    status : callable, optional
        Receives progress messages.
    """

    def __init__(
        self,
        source: FigureSource = "real",
        *,
        store: FitStore | None = None,
        refit: bool = False,
        draws: int = 1000,
        tune: int = 1000,
        chains: int = 4,
        seed: int = 1,
        status: Callable[[str], None] | None = None,
    ) -> None:
        check_choice("figure data", source, SOURCES)
        self.source: FigureSource = source
        self.store = store
        self.refit = refit
        self.settings = {"draws": draws, "tune": tune, "chains": chains, "seed": seed}
        self.seed = seed
        self.status = status or (lambda message: None)
        self._data: dict[str, pd.DataFrame] = {}
        self._fits: dict[tuple, az.InferenceData] = {}
        self._refitted: set[tuple] = set()
        self._comparisons: dict[str, pd.DataFrame] = {}

    def data(self, case: str) -> pd.DataFrame:
        """The table ``case``'s figures draw (see :meth:`CaseStudy.figure_data`)."""
        if case not in self._data:
            self._data[case] = get_case(case).figure_data(self.source, seed=self.seed)
        return self._data[case]

    def fit(
        self, case: str, model: str, *, data: pd.DataFrame | None = None, **options: Any
    ) -> az.InferenceData:
        """A fit of ``model`` on ``data`` (default :meth:`data`), from memory or the store."""
        from teachkit.pipeline import fit_model

        table = self.data(case) if data is None else data
        key = (case, model, get_case(case).fingerprint(table), tuple(sorted(options.items())))
        if key not in self._fits:
            refit = self.refit and key not in self._refitted
            label = f"{self.source} {case} data" if data is None else f"{len(table)} {case} rows"
            result = fit_model(
                case, model, table, store=self.store, refit=refit, status=self.status,
                label=label, **options, **self.settings,
            )  # fmt: skip
            self._refitted.add(key)
            self._fits[key] = result.idata
        return self._fits[key]

    def compare(self, case: str) -> pd.DataFrame:
        """PSIS-LOO comparison of every model of ``case`` on :meth:`data` (computed once)."""
        from teachkit.inference import compare

        if case not in self._comparisons:
            models = get_case(case).models
            self._comparisons[case] = compare({m: self.fit(case, m) for m in models})
        return self._comparisons[case]


def registered_figures() -> dict[str, FigureEntry]:
    """Every registered figure by name: each case study's, then the core maths'."""
    entries = [e for case in all_cases() for e in case.figures()]
    return {e.name: e for e in (*entries, *_CORE)}


def draw_figure(name: str, ctx: FigureContext | None = None) -> Figure:
    """Draw one registered figure in the slide style and return it (not saved, not closed).

    The figure is on the slide canvas (:data:`teachkit.plots.style.SLIDE_SIZE`, constrained
    layout). In a notebook the returned figure is shown as the cell's output.
    """
    from teachkit.plots.style import SLIDE_SIZE, slide_style

    figures = registered_figures()
    check_choice("figure", name, figures)
    with slide_style(), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # e.g. constrained layout with 3-D axes
        fig = figures[name].draw(ctx if ctx is not None else FigureContext())
        fig.set_size_inches(SLIDE_SIZE)
    return fig


@dataclass(frozen=True)
class Rendered:
    """Outcome of one figure: the files written, or why it was skipped."""

    name: str
    paths: tuple[Path, ...]
    skipped: str | None = None


def render(
    names: Iterable[str] | None = None,
    *,
    out: str | Path = "teachkit-figures",
    formats: Iterable[str] = ("png",),
    context: FigureContext | None = None,
    status: Callable[[str], None] | None = None,
) -> list[Rendered]:
    """Draw figures in the slide style and write them to ``out``, each on the slide canvas.

    A PNG is 1920 x 1080 pixels, an SVG or PDF 12.8 x 7.2 inches
    (:func:`teachkit.plots.style.save_slide`).

    Parameters
    ----------
    names : iterable of str, optional
        Registered names (default: all).
    out : path
        Folder for the files.
    formats : iterable of {"png", "svg", "pdf"}
    context : FigureContext, optional
        Data, fit store and sampler settings (default: the real data and the user's store).
    status : callable, optional
        Receives one progress message per step.

    Returns
    -------
    list of Rendered
    """
    import matplotlib.pyplot as plt

    from teachkit.plots.style import save_slide

    figures = registered_figures()
    chosen = list(names) if names else list(figures)
    unknown = [n for n in chosen if n not in figures]
    if unknown:
        raise TeachkitError(
            f"unknown figure(s) {', '.join(unknown)}; see 'teachkit figures --list'"
        )
    formats = list(formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise TeachkitError(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}")
    folder = Path(out)
    say = status or (lambda message: None)
    ctx = context if context is not None else FigureContext(status=say)
    results = []
    for i, name in enumerate(chosen, start=1):
        entry = figures[name]
        if entry.needs_program and shutil.which(entry.needs_program) is None:
            reason = (
                f"skipped {name}: the '{entry.needs_program}' program (Graphviz) is not installed"
            )
            say(reason)
            results.append(Rendered(name, (), reason))
            continue
        say(f"[{i}/{len(chosen)}] {name}")
        fig = draw_figure(name, ctx)
        try:
            paths = tuple(save_slide(fig, folder / f"{name}.{fmt}") for fmt in formats)
        finally:
            plt.close(fig)
        results.append(Rendered(name, paths))
    return results


# --- the core-maths figures --------------------------------------------------------------

#: The lecture's example: sds (2, 1) and correlation -0.8.
EXAMPLE_SDS = (2.0, 1.0)
EXAMPLE_RHO = -0.8


def _mvn(ctx: FigureContext) -> Figure:
    from teachkit.demos import mvn_demo
    from teachkit.plots.mvn import plot_mvn_vs_independent

    demo = mvn_demo(list(EXAMPLE_SDS), EXAMPLE_RHO, rng=ctx.seed)
    return plot_mvn_vs_independent(demo.joint, demo.independent, demo.mean, demo.cov)


def _factoring(ctx: FigureContext) -> Figure:
    from teachkit.plots.covariance import plot_covariance_factoring

    corr = [[1.0, EXAMPLE_RHO], [EXAMPLE_RHO, 1.0]]
    return plot_covariance_factoring(list(EXAMPLE_SDS), corr, labels=[r"$\alpha$", r"$\beta$"])


def _lkj(ctx: FigureContext) -> Figure:
    from teachkit.plots.covariance import plot_lkj_densities

    return plot_lkj_densities((0.5, 1.0, 2.0, 4.0, 10.0)).figure


def _elliptope(ctx: FigureContext) -> Figure:
    from teachkit.plots.covariance import plot_elliptope

    return plot_elliptope().figure


def _cholesky(ctx: FigureContext) -> Figure:
    from teachkit.plots.covariance import plot_cholesky_map

    corr = [[1.0, EXAMPLE_RHO], [EXAMPLE_RHO, 1.0]]
    return plot_cholesky_map(build_covariance(list(EXAMPLE_SDS), corr))


_CORE: tuple[FigureEntry, ...] = (
    FigureEntry(
        "covariance-mvn",
        "Bivariate normal against independent normals",
        _mvn,
        point="Two variables can have the same marginals and different joint distributions: "
        "only the joint picture shows their correlation.",
    ),
    FigureEntry(
        "covariance-factoring",
        "Sigma = diag(sigma) R diag(sigma) as heat maps",
        _factoring,
        point="A covariance matrix is its correlation matrix scaled by the sds on both sides: "
        "Sigma = diag(sigma) R diag(sigma).",
    ),
    FigureEntry(
        "covariance-lkj",
        "LKJ marginal density of one correlation, several eta",
        _lkj,
        point="LKJ(eta) sets how strongly the prior favours weak correlations: eta = 1 is flat, "
        "eta > 1 pulls rho toward 0 and eta < 1 pushes it toward -1 and 1.",
    ),
    FigureEntry(
        "covariance-elliptope",
        "Valid 3x3 correlation matrices (the elliptope)",
        _elliptope,
        point="Pairwise correlations cannot be chosen freely: valid 3x3 matrices fill the "
        "elliptope, the lecture's matrix lies outside it and its nearest valid matrix on it.",
    ),
    FigureEntry(
        "covariance-cholesky",
        "z ~ N(0, I) mapped by L to N(0, Sigma)",
        _cholesky,
        point="The Cholesky factor L turns independent standard normals z into x = L z, "
        "whose covariance is L L^T = Sigma.",
    ),
)
