"""The registry of slide figures: a stable kebab-case name -> the function that draws it.

:func:`render` draws every registered figure (or a chosen few) in the slide style, on the real
data or on simulated data, into PNG/SVG/PDF files. The fits the figures need are made once and
cached on disk as netCDF (posterior and sample stats only) next to the figures, so a second
full render takes seconds; ``refit=True`` ignores the cache.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from teachkit import __version__
from teachkit.covariance import build_covariance
from teachkit.errors import TeachkitError

if TYPE_CHECKING:
    import arviz as az
    from matplotlib.figure import Figure

__all__ = ["FIGURES", "FigureContext", "FigureEntry", "render"]

DataSource = Literal["beijing", "simulated"]
FORMATS = ("png", "svg", "pdf")

#: Priors of the prior-predictive figure: a vague first guess and the lecture's priors.
VAGUE_PRIORS = (10.0, 1.0)
LECTURE_PRIORS = (2.0, 0.1)


@dataclass(frozen=True)
class FigureEntry:
    """One registered figure."""

    name: str
    description: str
    draw: Callable[[FigureContext], Figure]
    needs_program: str | None = None


class FigureContext:
    """Data and (cached) fits shared by the figures of one render.

    Parameters
    ----------
    data : {"beijing", "simulated"}
        Real data (Beijing ozone, NWO grants) or data simulated with the default settings.
    cache_dir : path
        Where fits are stored as netCDF.
    refit : bool
        Ignore cached fits.
    draws, tune, seed : int
        Sampler settings of the fits.
    status : callable, optional
        Receives progress messages.
    """

    def __init__(
        self,
        data: DataSource = "beijing",
        *,
        cache_dir: str | Path = ".teachkit-cache",
        refit: bool = False,
        draws: int = 1000,
        tune: int = 1000,
        seed: int = 1,
        status: Callable[[str], None] | None = None,
    ) -> None:
        if data not in ("beijing", "simulated"):
            raise TeachkitError(f"unknown data {data!r}; choose beijing or simulated")
        self.data = data
        self.cache_dir = Path(cache_dir)
        self.refit = refit
        self.draws, self.tune, self.seed = draws, tune, seed
        self.status = status or (lambda message: None)
        self._fits: dict[tuple, az.InferenceData] = {}

    @cached_property
    def ozone(self) -> pd.DataFrame:
        """The ozone table used by every ozone figure."""
        from teachkit.datasets import load_beijing_ozone
        from teachkit.simulate import simulate_ozone

        if self.data == "beijing":
            return load_beijing_ozone()
        return simulate_ozone(rng=self.seed).data

    @cached_property
    def grants(self) -> pd.DataFrame:
        """The grants table used by every grants figure."""
        from teachkit.datasets import load_nwo_grants
        from teachkit.simulate import simulate_grants

        return load_nwo_grants() if self.data == "beijing" else simulate_grants(rng=self.seed).data

    @cached_property
    def station_names(self) -> list[str]:
        """Station names in station-id order."""
        pairs = self.ozone[["station_id", "station"]].drop_duplicates().sort_values("station_id")
        return [str(s) for s in pairs["station"]]

    def fit(self, case: str, model: str, parameterization: str | None = None) -> az.InferenceData:
        """A fit of ``model`` on this context's data, from memory, the disk cache or sampling."""
        import arviz as az

        from teachkit.inference import fit
        from teachkit.models import build_model

        if parameterization == "noncentered":
            parameterization = None  # the default: one cache entry, not two
        key = (case, model, parameterization)
        if key in self._fits:
            return self._fits[key]
        tag = "-".join(p for p in (self.data, case, model, parameterization) if p)
        path = self.cache_dir / (f"{tag}-d{self.draws}-t{self.tune}-s{self.seed}-v{__version__}.nc")
        if path.exists() and not self.refit:
            idata = az.from_netcdf(path)
        else:
            self.status(
                f"fitting {case}/{model}{f' ({parameterization})' if parameterization else ''}"
            )
            options = {"parameterization": parameterization} if parameterization else {}
            built = build_model(case, model, self.ozone if case == "ozone" else self.grants,
                                **options)  # fmt: skip
            idata = fit(built, draws=self.draws, tune=self.tune, seed=self.seed,
                        progress=False, log_likelihood=False)  # fmt: skip
            path.parent.mkdir(parents=True, exist_ok=True)
            idata.to_netcdf(str(path))
        self._fits[key] = idata
        return idata

    def loo_table(self) -> pd.DataFrame:
        """PSIS-LOO comparison of the four ozone models (cached as CSV)."""
        from teachkit.inference import compare
        from teachkit.models import OZONE_MODELS, build_model, get_spec

        path = self.cache_dir / (
            f"{self.data}-ozone-loo-d{self.draws}-t{self.tune}-s{self.seed}-v{__version__}.csv"
        )
        if path.exists() and not self.refit:
            return pd.read_csv(path, index_col=0)
        fits = {}
        for name in OZONE_MODELS:
            idata = self.fit("ozone", name).copy()
            spec = get_spec(build_model("ozone", name, self.ozone))
            idata.add_groups({"log_likelihood": spec.log_likelihood(idata.posterior)})
            fits[name] = idata
        table = compare(fits)
        path.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(path)
        return table


def _draws(idata: az.InferenceData, name: str) -> np.ndarray:
    """Draws of a variable with chains and draws flattened into the first axis."""
    values = idata.posterior[name].to_numpy()
    return values.reshape(-1, *values.shape[2:])


# --- the figures -------------------------------------------------------------------------


def _award_rates(ctx: FigureContext) -> Figure:
    from teachkit.plots.grants import plot_award_rates

    return plot_award_rates(ctx.grants).figure


def _dag(ctx: FigureContext) -> Figure:
    from teachkit.plots.grants import plot_grants_dag

    return plot_grants_dag().figure


def _gender_gap(ctx: FigureContext) -> Figure:
    from teachkit.plots.grants import plot_gender_gap

    gaps = {
        "total (gender)": _draws(ctx.fit("grants", "gender"), "gender_gap"),
        "direct (gender_discipline)": _draws(ctx.fit("grants", "gender_discipline"), "gender_gap"),
        "direct (multilevel)": _draws(ctx.fit("grants", "multilevel"), "gender_gap"),
    }
    return plot_gender_gap(gaps).figure


def _prior_predictive(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_prior_predictive

    rng = np.random.default_rng(ctx.seed)
    priors = {}
    for label, (sa, sb) in (("vague", VAGUE_PRIORS), ("the lecture's", LECTURE_PRIORS)):
        title = f"{label}: α ~ N(0, {sa:g}), β ~ N(0, {sb:g})"
        priors[title] = (rng.normal(0, sa, 60), rng.normal(0, sb, 60))
    y = ctx.ozone["log_ozone"]
    return plot_prior_predictive(priors, (float(y.min()), float(y.max())))


def _data_pooled(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_ozone_data

    idata = ctx.fit("ozone", "pooled")
    pooled = (float(_draws(idata, "alpha").mean()), float(_draws(idata, "beta").mean()))
    return plot_ozone_data(ctx.ozone, pooled).figure


def _station_intercepts(ctx: FigureContext) -> Figure:
    import arviz as az

    from teachkit.plots.ozone import plot_station_intercepts

    alpha = _draws(ctx.fit("ozone", "varying_intercepts"), "alpha")
    hdi = np.array([az.hdi(alpha[:, j], hdi_prob=0.94) for j in range(alpha.shape[1])])
    summary = pd.DataFrame({"mean": alpha.mean(axis=0), "low": hdi[:, 0], "high": hdi[:, 1]})
    pooled = float(_draws(ctx.fit("ozone", "pooled"), "alpha").mean())
    return plot_station_intercepts(summary, pooled, ctx.station_names).figure


def _loo(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_loo

    return plot_loo(ctx.loo_table()).figure


def _station_lines(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_station_lines

    idata = ctx.fit("ozone", "varying_slopes")
    alpha, beta = _draws(idata, "alpha").mean(axis=0), _draws(idata, "beta").mean(axis=0)
    return plot_station_lines(alpha, beta, ctx.station_names, ctx.ozone).figure


def _trace(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_station_trace

    idata = ctx.fit("ozone", "covarying")
    return plot_station_trace(idata.posterior["alpha"], idata.posterior["beta"])


def _alpha_beta(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_alpha_beta_posterior

    idata = ctx.fit("ozone", "covarying")
    return plot_alpha_beta_posterior(_draws(idata, "alpha"), _draws(idata, "beta")).figure


def _lines_through_data(ctx: FigureContext) -> Figure:
    from teachkit.plots.ozone import plot_lines_through_data

    idata = ctx.fit("ozone", "covarying")
    alpha, beta = _draws(idata, "alpha").mean(axis=0), _draws(idata, "beta").mean(axis=0)
    return plot_lines_through_data(ctx.ozone, alpha, beta).figure


def _mvn(ctx: FigureContext) -> Figure:
    from teachkit.demos import mvn_demo
    from teachkit.plots.mvn import plot_mvn_vs_independent

    demo = mvn_demo([2.0, 1.0], -0.8, rng=ctx.seed)
    return plot_mvn_vs_independent(demo.joint, demo.independent, demo.mean, demo.cov)


def _factoring(ctx: FigureContext) -> Figure:
    from teachkit.plots.covariance import plot_covariance_factoring

    return plot_covariance_factoring([2.0, 1.0], [[1.0, -0.8], [-0.8, 1.0]], labels=["α", "β"])


def _lkj(ctx: FigureContext) -> Figure:
    from teachkit.plots.covariance import plot_lkj_densities

    return plot_lkj_densities((0.5, 1.0, 2.0, 4.0, 10.0)).figure


def _elliptope(ctx: FigureContext) -> Figure:
    from teachkit.plots.covariance import plot_elliptope

    return plot_elliptope().figure


def _cholesky(ctx: FigureContext) -> Figure:
    from teachkit.plots.covariance import plot_cholesky_map

    return plot_cholesky_map(build_covariance([2.0, 1.0], [[1.0, -0.8], [-0.8, 1.0]]))


def _no_pooling(data: pd.DataFrame, common_slope: float | None) -> np.ndarray:
    """Per-station least-squares (alpha_j, beta_j), or alpha_j given a common slope."""
    rows = []
    for _, g in data.groupby("station_id", sort=True):
        t, y = g["TEMP"].to_numpy(), g["log_ozone"].to_numpy()
        if common_slope is None:
            b, a = np.polyfit(t, y, 1)
        else:
            b, a = common_slope, float(np.mean(y - common_slope * t))
        rows.append((a, b))
    return np.array(rows)


def _shrinkage_1d(ctx: FigureContext) -> Figure:
    from teachkit.plots.pooling import plot_shrinkage_1d

    idata = ctx.fit("ozone", "varying_intercepts")
    beta = float(_draws(idata, "beta").mean())
    no_pool = _no_pooling(ctx.ozone, common_slope=beta)[:, 0]
    partial = _draws(idata, "alpha").mean(axis=0)
    pooled = float(_draws(idata, "mu_alpha").mean())
    return plot_shrinkage_1d(no_pool, partial, pooled).figure


def _shrinkage_2d(ctx: FigureContext) -> Figure:
    from teachkit.plots.pooling import plot_shrinkage_2d

    idata = ctx.fit("ozone", "covarying")
    partial = np.column_stack(
        [_draws(idata, "alpha").mean(axis=0), _draws(idata, "beta").mean(axis=0)]
    )
    mean = [float(_draws(idata, "mu_alpha").mean()), float(_draws(idata, "mu_beta").mean())]
    sds = [float(_draws(idata, "sigma_alpha").mean()), float(_draws(idata, "sigma_beta").mean())]
    rho = float(_draws(idata, "rho").mean())
    cov = build_covariance(sds, [[1.0, rho], [rho, 1.0]])
    return plot_shrinkage_2d(_no_pooling(ctx.ozone, None), partial, mean, cov).figure


def _funnel(ctx: FigureContext) -> Figure:
    from teachkit.plots.pooling import plot_funnel

    panels = {}
    for label, param in (("centred", "centered"), ("non-centred", "noncentered")):
        idata = ctx.fit("ozone", "covarying", param)
        log_sd = np.log(_draws(idata, "sigma_beta"))
        x = _draws(idata, "beta")[:, 0] if param == "centered" else _draws(idata, "z")[:, 0, 1]
        divergent = idata.sample_stats["diverging"].to_numpy().ravel()
        panels[label] = (x, log_sd, divergent)
    return plot_funnel(panels)


def _model_graph(ctx: FigureContext) -> Figure:
    from teachkit.models import build_model
    from teachkit.plots.graph import plot_model_graph

    # the slides' form: one observed log_ozone per row, rather than the sufficient statistics
    model = build_model("ozone", "covarying", ctx.ozone, likelihood="pointwise")
    return plot_model_graph(model, ctx.cache_dir)


_ENTRIES = [
    ("grants-award-rates", "Award rates by discipline and gender", _award_rates),
    ("grants-dag", "The causal graph G -> D -> A and G -> A", _dag),
    ("grants-gender-gap", "Posterior gender gap: total against direct", _gender_gap),
    ("ozone-prior-predictive", "Prior predictive lines, vague and lecture", _prior_predictive),
    ("ozone-data-pooled", "Log max ozone against temperature, pooled line", _data_pooled),
    ("ozone-station-intercepts", "Station intercepts against the pooled one", _station_intercepts),
    ("ozone-loo", "PSIS-LOO comparison of the four ozone models", _loo),
    ("ozone-station-lines", "Station lines of the varying-slopes model", _station_lines),
    ("ozone-trace", "Trace of station intercepts and slopes, coloured by station", _trace),
    ("ozone-alpha-beta", "Posterior (alpha_j, beta_j): they co-vary negatively", _alpha_beta),
    ("ozone-lines-through-data", "Each (alpha, beta) pair is a line", _lines_through_data),
    ("covariance-mvn", "Bivariate normal against independent normals", _mvn),
    ("covariance-factoring", "Sigma = diag(sigma) R diag(sigma) as heat maps", _factoring),
    ("covariance-lkj", "LKJ marginal density of one correlation, several eta", _lkj),
    ("covariance-elliptope", "Valid 3x3 correlation matrices (the elliptope)", _elliptope),
    ("covariance-cholesky", "z ~ N(0, I) mapped by L to N(0, Sigma)", _cholesky),
    ("pooling-shrinkage-1d", "No pooling to partial pooling, intercepts", _shrinkage_1d),
    ("pooling-shrinkage-2d", "2-D shrinkage of (alpha_j, beta_j) with ellipses", _shrinkage_2d),
    ("pooling-funnel", "Centred against non-centred: the funnel", _funnel),
]  # fmt: skip

#: Every registered figure, by name.
FIGURES: dict[str, FigureEntry] = {
    name: FigureEntry(name, description, draw) for name, description, draw in _ENTRIES
}
FIGURES["model-graph"] = FigureEntry(
    "model-graph", "Plate diagram of the covarying model (needs Graphviz dot)", _model_graph,
    needs_program="dot",
)  # fmt: skip


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
    data: DataSource = "beijing",
    refit: bool = False,
    draws: int = 1000,
    tune: int = 1000,
    seed: int = 1,
    status: Callable[[str], None] | None = None,
) -> list[Rendered]:
    """Draw figures in the slide style and write them to ``out``.

    Parameters
    ----------
    names : iterable of str, optional
        Registered names (default: all).
    out : path
        Folder for the files; fits are cached in ``out/.fits``.
    formats : iterable of {"png", "svg", "pdf"}
    data : {"beijing", "simulated"}
    refit : bool
        Ignore cached fits.
    draws, tune, seed : int
        Sampler settings of the fits.
    status : callable, optional
        Receives one progress message per step.

    Returns
    -------
    list of Rendered
    """
    import matplotlib.pyplot as plt

    from teachkit.plots.style import slide_style

    chosen = list(names) if names else list(FIGURES)
    unknown = [n for n in chosen if n not in FIGURES]
    if unknown:
        raise TeachkitError(
            f"unknown figure(s) {', '.join(unknown)}; see 'teachkit figures --list'"
        )
    formats = list(formats)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise TeachkitError(f"unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    say = status or (lambda message: None)
    ctx = FigureContext(data, cache_dir=folder / ".fits", refit=refit, draws=draws, tune=tune,
                        seed=seed, status=say)  # fmt: skip
    results = []
    for i, name in enumerate(chosen, start=1):
        entry = FIGURES[name]
        if entry.needs_program and shutil.which(entry.needs_program) is None:
            reason = (
                f"skipped {name}: the '{entry.needs_program}' program (Graphviz) is not installed"
            )
            say(reason)
            results.append(Rendered(name, (), reason))
            continue
        say(f"[{i}/{len(chosen)}] {name}")
        with slide_style(), warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # e.g. tight layout with 3-D axes
            fig = entry.draw(ctx)
            try:
                paths = tuple(folder / f"{name}.{fmt}" for fmt in formats)
                for path in paths:
                    fig.savefig(path)
            finally:
                plt.close(fig)
        results.append(Rendered(name, paths))
    return results
