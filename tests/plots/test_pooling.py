"""Tests for teachkit.plots.pooling: shrinkage in 1-D and 2-D, the funnel."""

from __future__ import annotations

import numpy as np
import pytest

from teachkit.mvn import ellipse_radius
from teachkit.plots.pooling import (
    FunnelPanel,
    plot_funnel,
    plot_shrinkage_1d,
    plot_shrinkage_2d,
    shrinkage_fraction,
    spread_ratio,
)


def arrows(ax) -> list:
    return [c for c in ax.get_children() if type(c).__name__ == "Annotation" and c.arrow_patch]


def by_label(ax, label: str):
    (found,) = [c for c in ax.collections if c.get_label() == label]
    return found


def test_shrinkage_fraction_is_the_share_of_the_way_to_the_mean() -> None:
    np.testing.assert_allclose(shrinkage_fraction([1.0, 4.0], [1.5, 4.0], 2.0), [0.5, 0.0])


def test_shrinkage_1d_header_names_the_mean_and_the_key_is_neutral() -> None:
    """The share column says what it is a share of; the key's markers carry no group colour."""
    from matplotlib.colors import to_rgb

    ax = plot_shrinkage_1d([1.0, 3.0], [1.5, 2.5], 2.0, pooled_name=r"$\mu_\alpha$")
    (header,) = [t for t in ax.texts if t.get_gid() == "share header"]
    assert " ".join(header.get_text().split()) == r"share of the way to $\mu_\alpha$ moved"
    shares = sorted(t.get_text() for t in ax.texts if t.get_text().endswith("%"))
    assert shares == ["50%", "50%"]
    for handle in ax.get_legend().legend_handles:
        drawn = (handle.get_markeredgecolor(), handle.get_markerfacecolor())
        if handle.get_linestyle() not in ("None", "", " "):
            drawn = (handle.get_color(),)  # a line, no marker
        for colour in drawn:
            if colour != "none":
                r, g, b = to_rgb(colour)
                assert r == g == b, (handle.get_label(), colour)  # grey or black


def test_shrinkage_1d_one_row_per_group_fewest_observations_on_top() -> None:
    own, partial, counts = [1.0, 2.0, 5.0], [1.5, 2.2, 4.0], [300, 5, 40]
    ax = plot_shrinkage_1d(own, partial, 2.5, names=["A", "B", "C"], counts=counts)
    rows_own = by_label(ax, "own estimate (no pooling)").get_offsets()
    rows_partial = by_label(ax, "partial pooling").get_offsets()
    np.testing.assert_allclose(rows_own[:, 0], own)
    np.testing.assert_allclose(rows_partial[:, 0], partial)
    np.testing.assert_allclose(rows_own[:, 1], rows_partial[:, 1])
    np.testing.assert_allclose(rows_own[:, 1], [0, 2, 1])  # B (5 days) on top, A at the bottom
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ticks = sorted(zip(ax.get_yticks(), labels, strict=True))
    assert [label for _, label in ticks] == ["A (300 days)", "C (40 days)", "B (5 days)"]
    assert len(arrows(ax)) == 3
    (mean,) = [ln for ln in ax.get_lines() if ln.get_label() == "population mean"]
    assert list(mean.get_xdata()) == [2.5, 2.5]
    shares = sorted(t.get_text() for t in ax.texts if t.get_text().endswith("%"))
    assert shares == sorted(f"{m:.0%}" for m in shrinkage_fraction(own, partial, 2.5))


def test_shrinkage_2d_labels_each_ellipse_on_it() -> None:
    no_pool = np.array([[3.0, 0.06], [3.6, 0.04], [3.3, 0.05]])
    partial = np.array([[3.1, 0.058], [3.5, 0.045], [3.3, 0.05]])
    mean = np.array([3.3, 0.05])
    cov = np.array([[0.04, -0.0009], [-0.0009, 0.000025]])
    ax = plot_shrinkage_2d(no_pool, partial, mean, cov, masses=(0.5, 0.94), names=["A", "B", "C"],
                           counts=[5, 50, 500])  # fmt: skip
    rings = {ln.get_label(): ln for ln in ax.get_lines() if ln.get_label().endswith("ellipse")}
    assert sorted(rings) == ["50% ellipse", "94% ellipse"]
    precision = np.linalg.inv(cov)
    for level, mass in (("50%", 0.5), ("94%", 0.94)):
        (text,) = [t for t in ax.texts if t.get_text() == level]
        d = np.asarray(text.get_position()) - mean
        assert d @ precision @ d == pytest.approx(ellipse_radius(mass) ** 2)  # on its ellipse
    np.testing.assert_allclose(by_label(ax, "own estimate (no pooling)").get_offsets(), no_pool)
    np.testing.assert_allclose(by_label(ax, "partial pooling").get_offsets(), partial)
    assert len(arrows(ax)) == 3
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["A (5)", "B (50)", "C (500)"]
    assert {t.get_text() for t in ax.texts} >= {"5 d", "50 d", "500 d"}


def test_spread_ratio_separates_a_funnel_from_a_cloud() -> None:
    rng = np.random.default_rng(0)
    log_sd = rng.normal(-5, 1, 4000)
    assert spread_ratio(rng.normal(0, np.exp(log_sd)), log_sd) < 1 / 3
    assert spread_ratio(rng.normal(size=4000), log_sd) == pytest.approx(1, abs=0.15)


def test_funnel_marks_divergent_draws_and_writes_the_neck_spread() -> None:
    rng = np.random.default_rng(0)
    log_sd = rng.normal(-5, 1, 400)
    x = rng.normal(0, np.exp(log_sd))
    divergent = np.zeros(400, bool)
    divergent[:7] = True
    fig = plot_funnel({
        "centred": FunnelPanel(x, log_sd, divergent, "$x$"),
        "non-centred": FunnelPanel(rng.normal(size=400), log_sd, np.zeros(400, bool), "$z$"),
    })  # fmt: skip
    left, right = fig.axes
    assert [c.get_label() for c in left.collections] == ["draws", "divergent (7)"]
    assert len(left.collections[1].get_offsets()) == 7
    assert right.collections[1].get_label() == "divergent (0)"
    assert left.get_title().startswith("centred: 7 divergent draws")
    assert f"{spread_ratio(x, log_sd):.2f} ×" in left.get_title()
    assert left.get_xlabel() == "$x$" and right.get_ylabel() == r"$\log\,\sigma$"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "draws", "divergent", "neck: lowest fifth of the log sd"]  # fmt: skip
