"""Tests for teachkit.plots.mvn: the bivariate-vs-independent figure."""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.demos import mvn_demo
from teachkit.figure_entry import claim_of
from teachkit.mvn import ellipse_radius
from teachkit.plots import plot_mvn_vs_independent
from teachkit.plots.mvn import plot_mvn_buildup


def test_two_scatters_each_with_two_marginals_and_an_ellipse() -> None:
    demo = mvn_demo([2.0, 1.0], -0.8, draws=250, rng=0)
    fig = plot_mvn_vs_independent(demo.joint, demo.independent, demo.mean, demo.cov, mass=0.9)
    assert len(fig.axes) == 6
    scatters = [ax for ax in fig.axes if ax.collections]
    assert len(scatters) == 2
    for ax, xy, cov in zip(
        scatters, (demo.joint, demo.independent), (demo.cov, demo.cov_independent), strict=True
    ):
        np.testing.assert_allclose(ax.collections[0].get_offsets(), xy)
        (ring,) = ax.get_lines()
        pts = np.column_stack(ring.get_data())
        maha = np.einsum("ni,ij,nj->n", pts, np.linalg.inv(cov), pts)
        np.testing.assert_allclose(maha, ellipse_radius(0.9) ** 2, rtol=1e-10)
        assert ax.get_xlabel() == "$x$" and ax.get_ylabel() == "$y$"
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == [r"correlated: $\rho = -0.8$", r"independent: $\rho = 0$"]
    marginals = [ax for ax in fig.axes if not ax.collections]
    assert all(len(ax.patches) == 30 and len(ax.get_lines()) == 1 for ax in marginals)
    # the two scatters share their axes, so the marginals are comparable by eye
    assert scatters[0].get_xlim() == scatters[1].get_xlim()


def test_buildup_steps_share_the_layout_and_claim_what_they_draw() -> None:
    demo = mvn_demo([2.0, 1.0], -0.8, draws=400, rng=0)
    figs = [plot_mvn_buildup(demo.joint, demo.independent, demo.cov, step=k) for k in (1, 2, 3)]
    for fig in figs:
        assert len(fig.axes) == 4
        assert [ax.get_aspect() for ax in fig.axes[:2]] == [1.0, 1.0]
        np.testing.assert_allclose(fig.axes[0].collections[0].get_offsets(), demo.joint)
        np.testing.assert_allclose(fig.axes[1].collections[0].get_offsets(), demo.independent)
    bounds = [[ax.get_position().bounds for ax in fig.axes] for fig in figs]
    assert bounds[0] == bounds[1] == bounds[2]
    one, two, three = (claim_of(fig) for fig in figs)
    assert one.numbers["r_joint"] == np.corrcoef(demo.joint.T)[0, 1]
    sd = demo.independent.std(axis=0, ddof=1)
    assert two.numbers["sd_ratio"] == pytest.approx(sd[0] / sd[1])
    assert three.numbers["sd_y_independent"] == pytest.approx(sd[1])
    assert [fig._suptitle.get_text() for fig in figs] == [c.text for c in (one, two, three)]
