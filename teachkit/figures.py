"""The slide figures by name, drawn and rendered: a stable kebab-case name -> its drawing.

The core-maths figures (covariance, LKJ, MVN) are listed in :mod:`teachkit.core_figures`; each
case study lists its own (:meth:`teachkit.cases.base.CaseStudy.figures`), all as
:class:`~teachkit.figure_entry.FigureEntry`. :func:`registered_figures` collects them,
:func:`draw_figure` draws one by name in the slide style and :func:`render` writes any number
of them as PNG/SVG/PDF. The fits they
need come from the fit store through a :class:`FigureContext`, so a second render, or the
lecture notebook after ``teachkit figures``, samples nothing.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teachkit.checks import check_choice
from teachkit.core_figures import CORE_FIGURES
from teachkit.errors import TeachkitError
from teachkit.figure_entry import FigureEntry, FigureSource
from teachkit.leave_group_out import leave_one_group_out
from teachkit.loo import compare_elpd
from teachkit.pipeline import FitResult, fit_model
from teachkit.plots.slide_writer import SlideWriter
from teachkit.plots.style import SLIDE_SIZE, slide_style
from teachkit.progress import SILENT, Progress
from teachkit.registry import all_cases, get_case

if TYPE_CHECKING:
    import arviz as az
    import pandas as pd
    from arviz.stats.stats_utils import ELPDData
    from matplotlib.figure import Figure

    from teachkit.cases.base import CaseStudy
    from teachkit.store import FitStore

__all__ = [
    "FORMATS",
    "FigureContext",
    "FigureEntry",
    "FigureSource",
    "Rendered",
    "buildup_steps",
    "draw_figure",
    "figure_listing",
    "registered_figures",
    "render",
]

FORMATS = ("png", "svg", "pdf")
SOURCES: tuple[str, ...] = ("real", "simulated")


class FigureContext:
    """The data and fits the figures of one render share (a :class:`FigureData`).

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
    progress : Progress, optional
        Shows compiling, sampling and PSIS-LOO as they run (default: nothing).
    cases : mapping of str to CaseStudy, optional
        Case studies to use instead of the registered ones of the same name, e.g. the grouped
        case configured with a user's table (``{"grouped": case.with_data(table)}``): its
        figures draw that table and fit it with that case's priors.
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
        progress: Progress = SILENT,
        cases: Mapping[str, CaseStudy] | None = None,
    ) -> None:
        check_choice("figure data", source, SOURCES)
        self._cases = dict(cases or {})
        self.progress = progress
        self.source: FigureSource = source
        self.store = store
        self.refit = refit
        self.settings = {"draws": draws, "tune": tune, "chains": chains, "seed": seed}
        self.seed = seed
        self.status = status or (lambda message: None)
        self._data: dict[str, pd.DataFrame] = {}
        self._fits: dict[tuple, FitResult] = {}
        self._refitted: set[tuple] = set()
        self._comparisons: dict[str, pd.DataFrame] = {}
        self._held_out: dict[tuple[str, str], pd.DataFrame] = {}

    def case(self, name: str) -> CaseStudy:
        """The case study called ``name``: the one given in ``cases``, else the registered one.

        A case given with a table of its own (:meth:`CaseStudy.with_data`) is bound to the
        table its figures draw; one without is bound to that table on first use.
        """
        if name in self._cases:
            return self._cases[name]
        return get_case(name)

    def data(self, case: str) -> pd.DataFrame:
        """The table ``case``'s figures draw (see :meth:`CaseStudy.figure_data`)."""
        if case not in self._data:
            self._data[case] = self.case(case).figure_data(self.source, seed=self.seed)
        return self._data[case]

    def fit(
        self,
        case: str,
        model: str,
        *,
        data: pd.DataFrame | None = None,
        target_accept: float | None = None,
        **options: Any,
    ) -> az.InferenceData:
        """A fit of ``model`` on ``data`` (default :meth:`data`), from memory or the store.

        ``target_accept`` overrides the sampler's default for this fit only (a figure that
        shows what a sampler does at its usual setting); ``options`` are the model's.
        """
        return self._result(case, model, data, options, target_accept).idata

    def _result(
        self,
        case: str,
        model: str,
        data: pd.DataFrame | None,
        options: dict[str, Any],
        target_accept: float | None = None,
    ) -> FitResult:
        """The fit result behind :meth:`fit` (its draws read only when asked for)."""
        table = self.data(case) if data is None else data
        settings = dict(self.settings)
        if target_accept is not None:
            settings["target_accept"] = target_accept
        key = (
            case,
            model,
            self.case(case).fingerprint(table),
            tuple(sorted(options.items())),
            target_accept,
        )
        if key not in self._fits:
            refit = self.refit and key not in self._refitted
            label = table.attrs.get("source") or f"{self.source} {case} data"
            if data is not None:
                label = f"{len(table)} {case} rows"
            result = fit_model(
                self.case(case),
                model,
                table,
                store=self.store,
                refit=refit,
                status=self.status,
                progress=self.progress,
                label=label,
                **options,
                **settings,
            )
            self._refitted.add(key)
            self._fits[key] = result
        return self._fits[key]

    def compare(self, case: str) -> pd.DataFrame:
        """PSIS-LOO comparison of the compared models of ``case`` on :meth:`data` (once).

        Each fit's ELPD data come from the fit store when it has them (computed and stored
        with the fit otherwise), so a warm store reads no draws and no log-likelihood.
        """
        if case not in self._comparisons:
            study = self.case(case)
            elpds = {m: self.elpd(case, m) for m in study.compared_models}
            self._comparisons[case] = compare_elpd(elpds)
        return self._comparisons[case]

    def elpd(self, case: str, model: str) -> ELPDData:
        """The pointwise PSIS-LOO data of ``model``'s fit on :meth:`data` (as :meth:`compare`).

        From the fit store when it has them, so a figure comparing a subset of the models
        (``compare_elpd`` of these) reads no draws on a warm store.
        """
        result = self._result(case, model, None, {})
        with self.progress.step(f"PSIS-LOO of {case}/{model}"):
            return result.elpd

    def held_out(self, case: str, data: pd.DataFrame | None = None) -> pd.DataFrame:
        """Leave-one-group-out table of ``case`` on ``data`` (default :meth:`data`), once.

        Every refit goes through the fit store with this context's settings
        (:func:`teachkit.leave_group_out.leave_one_group_out`).
        """
        table = self.data(case) if data is None else data
        key = (case, self.case(case).fingerprint(table))
        if key not in self._held_out:
            self._held_out[key] = leave_one_group_out(
                self.case(case), data=table, store=self.store, refit=self.refit, status=self.status,
                progress=self.progress, **self.settings,
            ).table  # fmt: skip
        return self._held_out[key]


def registered_figures(case: str | None = None) -> dict[str, FigureEntry]:
    """Every registered figure by name, in lecture order; or one case study's figures.

    Without ``case``: the lecture's figures, those of the case studies whose figures are the
    lecture's (:attr:`CaseStudy.lecture_figures`) and the core maths'. Figures with a
    storyboard row (:attr:`FigureEntry.row`) come first, by row; within a row, and for the
    figures without one (listed last), the order is the registration order: each case
    study's, then the core maths'. With ``case``: that case study's figures in its own order
    (the grouped case's figures of a user's table, ``teachkit figures --case grouped``).
    """
    if case is not None:
        return {e.name: e for e in get_case(case).figures()}
    entries = [e for study in all_cases() if study.lecture_figures for e in study.figures()]
    ordered = sorted((*entries, *CORE_FIGURES), key=lambda e: (e.row is None, e.row or 0))
    return {e.name: e for e in ordered}


def figure_listing(figures: dict[str, FigureEntry] | None = None) -> list[str]:
    """One line per figure, in lecture order: name, storyboard row, build-up step, point.

    A build-up's step reads ``step 2/3`` (its total counted over the registry); a figure with
    no row shows ``-`` in that column.
    """
    figures = registered_figures() if figures is None else figures
    steps = buildup_steps(figures)
    sizes: dict[str, int] = {}
    for base, _ in steps.values():
        sizes[base] = sizes.get(base, 0) + 1
    lines = []
    for name, entry in figures.items():
        row = f"row {entry.row}" if entry.row is not None else "-"
        step = f"step {steps[name][1]}/{sizes[steps[name][0]]}" if name in steps else ""
        lines.append(f"{name:<30} {row:<7} {step:<9} {entry.summary}")
    return lines


def buildup_steps(figures: dict[str, FigureEntry] | None = None) -> dict[str, tuple[str, int]]:
    """``name -> (build-up, step)`` for every figure that is a step of a build-up.

    A step is named ``<base>-<n>`` (:attr:`FigureEntry.step`); a figure named ``<base>`` itself,
    when ``<base>-2`` exists, is step 1 (the storyboard's ``grants-dag`` before ``grants-dag-2``).
    """
    figures = registered_figures() if figures is None else figures
    steps = {name: e.step for name, e in figures.items() if e.step is not None}
    bases = {base for base, _ in steps.values()}
    steps.update({name: (name, 1) for name in figures if name in bases})
    return steps


def draw_figure(name: str, ctx: FigureContext | None = None, *, case: str | None = None) -> Figure:
    """Draw one registered figure in the slide style and return it (not saved, not closed).

    The figure is on the slide canvas (:data:`teachkit.plots.style.SLIDE_SIZE`, constrained
    layout). In a notebook the returned figure is shown as the cell's output. ``case`` names
    the case study whose figures ``name`` is among (default: the lecture's figures).
    """
    figures = registered_figures(case)
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
    case: str | None = None,
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
    case : str, optional
        Render this case study's figures (:func:`registered_figures`) instead of the
        lecture's.

    Returns
    -------
    list of Rendered
    """
    import matplotlib.pyplot as plt

    figures = registered_figures(case) if case is not None else registered_figures()
    chosen = list(names) if names else list(figures)
    unknown = [n for n in chosen if n not in figures]
    if unknown:
        listing = "teachkit figures --list" + (f" --case {case}" if case else "")
        raise TeachkitError(f"unknown figure(s) {', '.join(unknown)}; see '{listing}'")
    formats = list(formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise TeachkitError(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}")
    folder = Path(out)
    say = status or (lambda message: None)
    ctx = context if context is not None else FigureContext(status=say)
    results = []
    # figures are saved in a second process while the next one is drawn (see SlideWriter)
    with SlideWriter(background=len(chosen) > 1) as writer:
        for i, name in enumerate(chosen, start=1):
            entry = figures[name]
            if entry.needs_program and shutil.which(entry.needs_program) is None:
                reason = (
                    f"skipped {name}: the '{entry.needs_program}' program (Graphviz) is not "
                    "installed"
                )
                say(reason)
                results.append(Rendered(name, (), reason))
                continue
            say(f"[{i}/{len(chosen)}] {name}")
            fig = draw_figure(name, ctx, case=case)
            try:
                paths = tuple(writer.save(fig, folder / f"{name}.{fmt}") for fmt in formats)
            finally:
                plt.close(fig)
            results.append(Rendered(name, paths))
    return results
