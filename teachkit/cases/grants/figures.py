"""The grants case study's slide figures, storyboard rows 2-6.

Award rates, the gender gap build-up, the causal graph with and without an unobserved cause,
and the pooled discipline effects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from teachkit.figure_entry import FigureData, FigureEntry
from teachkit.posterior import draws

if TYPE_CHECKING:
    import arviz as az
    from matplotlib.figure import Figure

__all__ = ["FIGURES", "GAP_MODELS"]

#: The build-up's gender gaps, in order: the model and how the slide names it.
GAP_MODELS: dict[str, str] = {
    "gender": "total (gender only)",
    "gender_discipline": "within disciplines (gender + discipline)",
}


def _sampled(idata: az.InferenceData) -> str:
    """How a fit was sampled, e.g. "4 chains x 1000 draws"."""
    sizes = idata.posterior.sizes
    return f"{sizes['chain']} chains × {sizes['draw']} draws"


def _source(ctx: FigureData) -> str:
    """Which grants data the figures draw."""
    total = int(ctx.data("grants")["applications"].sum())
    what = "NWO grants 2010-2012" if ctx.source == "real" else "simulated grants"
    return f"{what} ({total:,} applications)"


def _award_rates(ctx: FigureData) -> Figure:
    from teachkit.cases.grants.plots import plot_award_rates

    return plot_award_rates(ctx.data("grants"))


def _dag(step: int) -> Callable[[FigureData], Figure]:
    def draw(ctx: FigureData) -> Figure:
        from teachkit.cases.grants.plots import plot_grants_dag

        return plot_grants_dag(unobserved=step == 2).figure

    return draw


def _gender_gap(step: int) -> Callable[[FigureData], Figure]:
    def draw(ctx: FigureData) -> Figure:
        from teachkit.cases.grants.posterior_plots import plot_gap_buildup

        fits = {model: ctx.fit("grants", model) for model in GAP_MODELS}
        gaps = {label: draws(fits[model], "gender_gap") for model, label in GAP_MODELS.items()}
        shown = list(GAP_MODELS)[:step]
        models = " and ".join(m.replace("_", " + ") for m in shown)
        footnote = f"{_source(ctx)}; model{'s' if step > 1 else ''} {models}, "
        footnote += _sampled(fits["gender"])
        if step > 1:  # (the models are named in the legend)
            footnote = (
                f"{_source(ctx)}, {_sampled(fits['gender'])}; within disciplines: each "
                "discipline's gap, averaged weighted by its applications"
            )
        return plot_gap_buildup(gaps, step=step, footnote=footnote)

    return draw


def _shrinkage(ctx: FigureData) -> Figure:
    from teachkit.cases.grants.posterior_plots import plot_discipline_shrinkage

    fixed, pooled = (ctx.fit("grants", m) for m in ("gender_discipline", "multilevel"))
    names = [str(d) for d in pooled.posterior["beta"].coords["discipline"].to_numpy()]
    data = ctx.data("grants")
    per = data.assign(discipline=data["discipline"].astype(str)).groupby("discipline")
    applications = per["applications"].sum().reindex(names).to_numpy()
    footnote = f"{_source(ctx)}, {_sampled(pooled)}; " + r"$\beta$ centred per draw on its mean"
    return plot_discipline_shrinkage(
        names,
        applications,
        draws(fixed, "beta"),
        draws(pooled, "beta"),
        draws(pooled, "tau"),
        footnote=footnote,
    )


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "grants-award-rates",
        "Award rates by discipline and gender with 94% intervals; share of women against award "
        "rate",
        _award_rates,
        point="Women's overall award rate is lower, but women apply more often to the "
        "disciplines with low award rates, and within disciplines the gap goes both ways.",
        row=2,
    ),
    FigureEntry(
        "grants-gender-gap-1",
        "Posterior of the total gender gap (model gender), in percentage points",
        _gender_gap(1),
        point="Over all disciplines men's award rate is a few percentage points higher than "
        "women's, and nearly all of the total gap's posterior lies above 0.",
        row=3,
    ),
    FigureEntry(
        "grants-dag",
        "The causal graph G -> D -> A and G -> A, each path labelled",
        _dag(1),
        point="Gender can act on awards directly and through the choice of discipline, so "
        "the direct effect needs a model that conditions on discipline.",
        row=4,
    ),
    FigureEntry(
        "grants-dag-2",
        "The causal graph with an unobserved U -> D, U -> A: D becomes a collider",
        _dag(2),
        point="If something unobserved drives both the choice of discipline and the award, "
        "conditioning on discipline opens a path through it, and the direct estimate is biased.",
        row=4,
    ),
    FigureEntry(
        "grants-gender-gap-2",
        "The total gender gap and the gap within disciplines (model gender + discipline)",
        _gender_gap(2),
        point="Within disciplines the gap is smaller than overall and its 94% interval "
        "includes 0: part of the total gap runs through the disciplines women apply to.",
        row=5,
    ),
    FigureEntry(
        "grants-discipline-shrinkage",
        "Discipline effects under the fixed Normal(0, 1) prior against Normal(0, tau), and tau",
        _shrinkage,
        point="With tau estimated well below 1, partial pooling pulls every discipline's "
        "effect toward the average, the furthest ones by the most.",
        row=6,
    ),
)
