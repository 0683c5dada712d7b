"""The grants case study's slide figures: award rates, the causal graph, the gender gap."""

from __future__ import annotations

from typing import TYPE_CHECKING

from teachkit.figure_entry import FigureData, FigureEntry
from teachkit.posterior import draws

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FIGURES", "GAP_LABELS"]

#: Each model's gender gap and what it measures.
GAP_LABELS: dict[str, str] = {
    "gender": "total (gender)",
    "gender_discipline": "direct (gender + discipline)",
    "multilevel": "direct (multilevel)",
}


def _award_rates(ctx: FigureData) -> Figure:
    from teachkit.cases.grants.plots import plot_award_rates

    return plot_award_rates(ctx.data("grants")).figure


def _dag(ctx: FigureData) -> Figure:
    from teachkit.cases.grants.plots import plot_grants_dag

    return plot_grants_dag().figure


def _gender_gap(ctx: FigureData) -> Figure:
    from teachkit.cases.grants.plots import plot_gender_gap

    gaps = {
        label: draws(ctx.fit("grants", model), "gender_gap") for model, label in GAP_LABELS.items()
    }
    return plot_gender_gap(gaps).figure


FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "grants-award-rates",
        "Award rates by discipline and gender",
        _award_rates,
        point="Women's overall award rate is lower, but women apply more often to the "
        "disciplines with low award rates, and within disciplines the gap goes both ways.",
    ),
    FigureEntry(
        "grants-dag",
        "The causal graph G -> D -> A and G -> A",
        _dag,
        point="Gender can act on awards directly and through the choice of discipline, so "
        "the direct effect needs a model that conditions on discipline.",
    ),
    FigureEntry(
        "grants-gender-gap",
        "Posterior gender gap: total against direct",
        _gender_gap,
        point="The total gender gap is larger than the direct gap within disciplines: part "
        "of the gap runs through the disciplines women apply to.",
    ),
)
