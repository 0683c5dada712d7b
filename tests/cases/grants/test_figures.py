"""The grants case study's registered figures make their teaching points, on the data they draw.

Numbers are read back from the figures' artists; the fits (for the gender gap) come from one
session-wide FigureContext on the real NWO table with a fit store of its own.
"""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.cases.grants.plots import plot_grants_dag
from teachkit.figures import FigureContext, draw_figure
from teachkit.plots.lint import slide_problems
from teachkit.store import FitStore

SETTINGS = {"draws": 300, "tune": 300, "chains": 2, "seed": 1}


@pytest.fixture(scope="session")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> FigureContext:
    store = FitStore(tmp_path_factory.mktemp("grants-figure-fits"))
    return FigureContext("real", store=store, **SETTINGS)  # type: ignore[arg-type]


def test_award_rates_point(ctx: FigureContext) -> None:
    """Women's overall rate is lower, and women apply more to disciplines with low rates.

    Read from the markers (rate = y, applications proportional to the marker area, the
    discipline = the rounded x) and the two overall lines. Data where women applied evenly
    across disciplines, or were awarded as often as men overall, would fail.
    """
    (ax,) = draw_figure("grants-award-rates", ctx).axes
    women, men = (ax.collections[i] for i in (0, 1))
    assert [women.get_label(), men.get_label()] == ["women", "men"]
    f_rate, m_rate = (c.get_offsets()[:, 1] for c in (women, men))
    f_n, m_n = women.get_sizes(), men.get_sizes()
    assert np.array_equal(np.round(women.get_offsets()[:, 0]), np.round(men.get_offsets()[:, 0]))
    overall = {ln.get_label().split(":")[0]: ln.get_ydata()[0] for ln in ax.get_lines()}
    assert overall["all women"] < overall["all men"]
    share_women = f_n / (f_n + m_n)
    discipline_rate = (f_rate * f_n + m_rate * m_n) / (f_n + m_n)
    assert np.corrcoef(share_women, discipline_rate)[0, 1] < -0.5
    assert ((f_rate > m_rate).any()) and ((f_rate < m_rate).any())  # the gap goes both ways


@pytest.mark.parametrize("direct", [True, False])
def test_dag_point(direct: bool) -> None:
    """Both paths from gender to award are drawn; without G -> A (direct=False) the graph
    could not say why the direct effect needs its own model, and the check fails."""
    ax = plot_grants_dag(direct=direct)
    arrows = {c.get_gid() for c in ax.get_children() if type(c).__name__ == "Annotation"}
    assert ({"G->D", "D->A", "G->A"} <= arrows) is direct
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "total effect" in texts and "direct effect" in texts


@pytest.mark.slow
def test_gender_gap_point(ctx: FigureContext) -> None:
    """The total gap (gender only) is larger than each direct gap (within disciplines).

    Posterior means are read from the histograms drawn (bin centres weighted by density).
    If conditioning on discipline did not shrink the gap, the check would fail.
    """
    (ax,) = draw_figure("grants-gender-gap", ctx).axes
    means = {}
    for label in dict.fromkeys(p.get_label() for p in ax.patches):
        bars = [p for p in ax.patches if p.get_label() == label]
        (poly,) = bars
        xy = poly.get_xy()
        means[label.split(":")[0]] = float(np.sum(xy[:, 0] * xy[:, 1]) / np.sum(xy[:, 1]))
    total = means["total (gender)"]
    direct = [v for k, v in means.items() if k.startswith("direct")]
    assert len(direct) == 2 and all(d < total for d in direct), means
    assert not any("_" in k for k in means)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["grants-award-rates", "grants-dag", "grants-gender-gap"])
def test_grants_figures_read_well_at_slide_size(ctx: FigureContext, name: str) -> None:
    assert slide_problems(draw_figure(name, ctx)) == []
