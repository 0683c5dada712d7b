"""Tests for teachkit.plots.mvn: the bivariate-vs-independent figure."""

from __future__ import annotations

import numpy as np

from teachkit.demos import mvn_demo
from teachkit.mvn import ellipse_radius
from teachkit.plots import plot_mvn_vs_independent


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
