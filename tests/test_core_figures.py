"""Tests for teachkit.core_figures: each core-maths figure makes its teaching point, and each
title's claim holds on the figure's own data.

A title's claim is recomputed here from the drawn artists (a scatter's offsets, a curve's
points), never from the figure's attached :class:`~teachkit.figure_entry.Claim` alone. The
``check_*`` functions state a claim; the ``..._fails_when_...`` tests change the data behind a
figure (the sampler or the lecture's numbers) so that the claim is false, and show that the
check then fails.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy import stats
from scipy.special import expit, logit

from teachkit import core_figures, demos
from teachkit.core_figures import CORE_FIGURES, EXAMPLE_RHO, EXAMPLE_SDS, LKJ_ETA
from teachkit.covariance import build_covariance, feasible_rho_interval, is_correlation
from teachkit.figure_entry import claim_of, figure_title
from teachkit.figures import FigureContext, draw_figure
from teachkit.lkj import lkj_marginal
from teachkit.mvn import sample_mvn


def draw(name: str):
    return draw_figure(name, FigureContext("real"))


def test_the_core_figures_are_the_covariance_slides_in_lecture_order() -> None:
    assert [(e.name, e.row) for e in CORE_FIGURES] == [
        ("glm-logit-prior", 1),
        ("covariance-mvn-1", 20), ("covariance-mvn-2", 21), ("covariance-mvn-3", 22),
        ("covariance-wishart", 23), ("covariance-factoring", 24), ("covariance-invalid", 25),
        ("covariance-elliptope", 25), ("covariance-lkj", 26), ("covariance-cholesky", 30),
    ]  # fmt: skip


@pytest.mark.parametrize("name", [e.name for e in CORE_FIGURES])
def test_a_claim_is_the_title_it_attaches(name: str) -> None:
    fig = draw(name)
    claim = claim_of(fig)
    if claim is not None:
        assert claim.text == figure_title(fig)
        for value in claim.numbers.values():
            assert np.isfinite(value)


def scatters(fig) -> list:
    return [ax for ax in fig.axes if ax.collections and ax.get_visible()]


def offsets(ax) -> np.ndarray:
    return np.asarray(ax.collections[0].get_offsets())


def number(value: float, digits: int = 2) -> str:
    """How a title prints a number (mathtext keeps the minus sign as '-')."""
    return f"{value:.{digits}f}"


# --- rows 20-22: the multivariate-normal build-up ---------------------------------------------


def check_mvn_1(fig) -> None:
    """Claim: 'a tilted ellipse, sample correlation r = X' with X the drawn sample's r, and
    the sample really is the tilted (rho = -0.8) one, not a round cloud."""
    (ax,) = scatters(fig)
    xy = offsets(ax)
    r = float(np.corrcoef(xy.T)[0, 1])
    title = figure_title(fig)
    assert f"$r = {number(r)}$" in title and "tilted ellipse" in title
    se = (1 - EXAMPLE_RHO**2) / np.sqrt(len(xy))
    assert abs(r - EXAMPLE_RHO) < 4 * se, f"sample correlation {r:.2f} is not rho's tilt"


def check_mvn_2(fig) -> None:
    """Claim: the independent sample is 'a K:1 ellipse, not a circle (r = X)', K its sd ratio."""
    left, right = scatters(fig)
    xy = offsets(right)
    r = float(np.corrcoef(xy.T)[0, 1])
    sd = xy.std(axis=0, ddof=1)
    title = figure_title(fig)
    assert f"{sd[0] / sd[1]:.1f} : 1 ellipse, not a circle" in title
    assert f"$r = {number(r)}$" in title
    assert abs(r) < 4 / np.sqrt(len(xy)), f"the 'independent' sample has r = {r:.2f}"
    assert 1.8 < sd[0] / sd[1] < 2.2
    for ax in (left, right):  # equal aspect: a 2:1 ellipse looks 2:1
        assert ax.get_aspect() == 1.0


def check_mvn_3(fig) -> None:
    """Claim: 'Same marginals: sds of x, y a, b correlated, c, d independent', computed from
    the samples; each histogram panel writes each sample's sd by name; both panels span the
    same range (so y's narrower marginal looks narrower); and the two samples' marginals
    agree (sds within 10%, a two-sample KS test does not reject at 1%)."""
    joint, independent = (offsets(ax) for ax in scatters(fig))
    title = figure_title(fig)
    sd = {name: xy.std(axis=0, ddof=1) for name, xy in
          (("correlated", joint), ("independent", independent))}  # fmt: skip
    assert title == (
        f"Same marginals: sds of $x, y$ {number(sd['correlated'][0])}, "
        f"{number(sd['correlated'][1])} correlated, {number(sd['independent'][0])}, "
        f"{number(sd['independent'][1])} independent"
    ), title
    hists = [ax for ax in fig.axes if ax.get_visible() and not ax.collections]
    assert len(hists) == 2 and all(ax.patches for ax in hists)
    assert hists[0].get_xlim() == hists[1].get_xlim()
    for k, (ax, name) in enumerate(zip(hists, "xy", strict=True)):
        texts = {t.get_text() for t in ax.texts}
        for sample, value in sd.items():
            assert f"{sample}: sd {number(value[k])}" in texts
        a, b = sd["correlated"][k], sd["independent"][k]
        assert abs(a / b - 1) < 0.1, f"sd of {name}: {a:.2f} against {b:.2f}"
        assert stats.ks_2samp(joint[:, k], independent[:, k]).pvalue > 0.01


def test_mvn_1_title_states_the_sample_correlation() -> None:
    check_mvn_1(draw("covariance-mvn-1"))


def test_mvn_2_independent_sample_is_a_two_to_one_ellipse() -> None:
    check_mvn_2(draw("covariance-mvn-2"))


def test_mvn_3_the_marginals_agree() -> None:
    check_mvn_3(draw("covariance-mvn-3"))


def independent_sampler(mean, cov, *, size, rng):
    """The sampler with the correlation dropped: every sample is independent."""
    return sample_mvn(mean, np.diag(np.diag(np.asarray(cov))), size=size, rng=rng)


def test_mvn_1_check_fails_when_the_sample_is_independent(monkeypatch) -> None:
    monkeypatch.setattr(demos, "sample_mvn", independent_sampler)
    with pytest.raises(AssertionError, match="is not rho's tilt"):
        check_mvn_1(draw("covariance-mvn-1"))


def test_mvn_2_check_fails_when_the_independent_sample_is_correlated(monkeypatch) -> None:
    sigma = build_covariance(list(EXAMPLE_SDS), [[1.0, EXAMPLE_RHO], [EXAMPLE_RHO, 1.0]])

    def correlated(mean, cov, *, size, rng):
        return sample_mvn(mean, sigma, size=size, rng=rng)

    monkeypatch.setattr(demos, "sample_mvn", correlated)
    with pytest.raises(AssertionError, match="the 'independent' sample has r"):
        check_mvn_2(draw("covariance-mvn-2"))


def test_mvn_3_check_fails_when_the_marginals_differ(monkeypatch) -> None:
    def wider_independent(mean, cov, *, size, rng):
        c = np.asarray(cov)
        scale = 1.5 if c[0, 1] == 0 else 1.0  # the independent sample, 1.5 times wider
        return sample_mvn(mean, scale**2 * c, size=size, rng=rng)

    monkeypatch.setattr(demos, "sample_mvn", wider_independent)
    with pytest.raises(AssertionError, match="sd of x"):
        check_mvn_3(draw("covariance-mvn-3"))


def test_mvn_build_up_keeps_every_panel_in_place() -> None:
    """Clicking through the steps adds layers: same axes, positions and limits."""
    figs = [draw(f"covariance-mvn-{k}") for k in (1, 2, 3)]
    layouts = [[(ax.get_position().bounds, ax.get_xlim(), ax.get_ylim()) for ax in f.axes]
               for f in figs]  # fmt: skip
    assert layouts[0] == layouts[1] == layouts[2]
    assert [sum(ax.get_visible() for ax in f.axes) for f in figs] == [1, 2, 4]


# --- row 23: inverse Wishart against LKJ ------------------------------------------------------


#: How much the median |rho| must rise from the draws' smallest tenth of sigma_1 to their
#: largest for a prior to "tie" them, and at most change for one that "does not": the
#: inverse Wishart's rises by about 0.65 (0.26 to 0.92), LKJ's moves by less than 0.1.
TIED_RISE, UNTIED_CHANGE = 0.3, 0.15


def check_wishart(fig) -> None:
    """Claim: 'Inverse Wishart ties sigma_1 to |rho| (rank correlation a), LKJ does not (b)':
    a and b are the drawn draws' rank correlations, a is clearly away from 0, b is not; the
    drawn median lines are the draws' medians per tenth of sigma_1, and the inverse Wishart's
    rises while LKJ's stays flat."""
    panels = scatters(fig)
    iw, lkj = (offsets(ax) for ax in panels)
    a, b = (stats.spearmanr(xy[:, 0], np.abs(xy[:, 1]))[0] for xy in (iw, lkj))
    title = figure_title(fig)
    assert f"Inverse Wishart ties $\\sigma_1$ to $|\\rho|$ (rank correlation ${a:.2f}$)" in title
    assert f"LKJ does not (${b:.2f}$)" in title, title
    assert a > 0.2 and abs(b) < 0.1
    rises = []
    for ax, xy in zip(panels, (iw, lkj), strict=True):
        assert np.all(xy[:, 1] >= 0)  # the size |rho| is drawn
        (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "median |rho|"]
        sd, size = line.get_data()
        groups = np.array_split(np.argsort(xy[:, 0], kind="stable"), len(sd))
        np.testing.assert_allclose(size, [np.median(xy[g, 1]) for g in groups])
        rises.append(size[-1] - size[0])
        assert f"rank correlation ${stats.spearmanr(*xy.T)[0]:.2f}$" in {
            t.get_text() for t in ax.texts
        }
    assert rises[0] > TIED_RISE and abs(rises[1]) < UNTIED_CHANGE, f"LKJ does not: {rises}"


def test_wishart_title_states_both_rank_correlations() -> None:
    check_wishart(draw("covariance-wishart"))


def test_wishart_check_fails_when_lkj_draws_are_inverse_wishart(monkeypatch) -> None:
    original = demos.covariance_prior_draws
    monkeypatch.setattr(demos, "covariance_prior_draws",
                        lambda prior, **kw: original("inverse-wishart", **kw))  # fmt: skip
    with pytest.raises(AssertionError, match="LKJ does not"):
        check_wishart(draw("covariance-wishart"))


# --- rows 24 and 25: factoring, the invalid matrix, the elliptope -----------------------------


def test_factoring_point_sigma_is_the_correlations_scaled_by_the_sds() -> None:
    """Fails if a panel is not diag(sigma), R is not a correlation matrix, the product of the
    three factors is not the Sigma drawn, a cell's written arithmetic (sigma_i x R_ij x
    sigma_j = Sigma_ij) is not the drawn factors' or the four do not share one colour scale."""
    fig = draw("covariance-factoring")
    heat = [ax for ax in fig.axes if ax.get_images()]
    images = [ax.get_images()[0] for ax in heat]
    sigma, left, corr, right = (np.asarray(im.get_array()) for im in images)
    np.testing.assert_allclose(left, np.diag(EXAMPLE_SDS))
    np.testing.assert_allclose(right, left)
    assert is_correlation(corr)
    np.testing.assert_allclose(sigma, left @ corr @ right)
    assert len({im.get_clim() for im in images}) == 1
    cells = [t for t in heat[0].texts if "= " in t.get_text()]
    assert len(cells) == sigma.size
    for t in cells:
        j, i = (round(v) for v in t.get_position())
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", t.get_text().split("\n", 1)[1])]
        *factors, product = numbers
        np.testing.assert_allclose(factors, [left[i, i], corr[i, j], right[j, j]])
        assert product == pytest.approx(sigma[i, j]) == pytest.approx(np.prod(factors))


#: The least part of the det R axis its positive part (inside the interval) must fill.
POSITIVE_SHARE = 0.25


def check_invalid(fig) -> None:
    """Claim: 'Given rho_xy = a, rho_xz = b: rho_yz must lie in [l, h]: -0.9 is impossible':
    [l, h] is where the drawn det(R) curve is >= 0 and the feasible interval of the stated
    a and b, and the asked value (the drawn cross) lies outside it."""
    top, bottom = fig.axes
    (curve,) = [ln for ln in bottom.get_lines() if ln.get_label() == r"$\det R$"]
    t, det = curve.get_data()
    title = figure_title(fig)
    stated = re.search(r"= ([-\d.]+)\$, .*= ([-\d.]+)\$: .* lie in \[([-\d.]+), ([-\d.]+)\]", title)
    rho_xy, rho_xz, low, high = (float(v) for v in stated.groups())
    np.testing.assert_allclose([low, high], feasible_rho_interval(rho_xy, rho_xz), atol=0.006)
    drawn = t[det >= 0].min(), t[det >= 0].max()
    np.testing.assert_allclose(drawn, [low, high], atol=0.006 + 2 * (t[1] - t[0]))
    (marker,) = [ln for ln in top.get_lines() if ln.get_marker() == "X"]
    asked = float(marker.get_xdata()[0])
    assert f"${asked:g}$ is impossible" in title
    assert not low <= asked <= high, f"{asked} lies in the interval"
    # det R's positive part is seen: the axis is zoomed to it, not to the large negative range
    assert bottom.get_ylim()[1] > det.max() > POSITIVE_SHARE * np.ptp(bottom.get_ylim())


def test_invalid_title_states_the_feasible_interval() -> None:
    check_invalid(draw("covariance-invalid"))


def test_invalid_check_fails_when_the_asked_value_is_feasible(monkeypatch) -> None:
    monkeypatch.setattr(core_figures, "LECTURE_RHOS", (0.0, 0.0, -0.9))
    with pytest.raises(AssertionError, match="is impossible"):
        check_invalid(draw("covariance-invalid"))


def check_elliptope(fig) -> None:
    """Claim: 'With rho_xy = a, (b, c) is invalid; nearest valid pair: (d, e)': the drawn
    ellipse is where det R = 0 for the stated a, the drawn X is (b, c) with det R < 0 and the
    drawn o is on the ellipse and no farther from (b, c) than any drawn boundary point."""
    (ax,) = fig.axes
    title = figure_title(fig)
    stated = re.fullmatch(
        r"With \$\\rho_\{xy\} = ([-\d.]+)\$, \$\(([-\d.]+), ([-\d.]+)\)\$ is invalid; "
        r"nearest valid pair: \$\(([-\d.]+), ([-\d.]+)\)\$",
        title.replace("{-}", "-"),  # a braced minus: a sign in mathtext, not a spaced operator
    )
    assert not re.search(r"[(,] ?-", title), f"an unbraced minus in mathtext: {title}"
    assert stated is not None, title
    a, b, c = (float(v) for v in stated.groups()[:3])
    (ring,) = [ln for ln in ax.get_lines() if ln.get_label() == r"$\det R = 0$"]
    rb, rc = ring.get_data()
    det = lambda x, y: 1 - a**2 - x**2 - y**2 + 2 * a * x * y  # noqa: E731
    np.testing.assert_allclose(det(rb, rc), 0.0, atol=1e-9)
    (asked,) = [ln for ln in ax.get_lines() if ln.get_marker() == "X"]
    (near,) = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    (xb, xc), (nb, nc) = (np.column_stack(ln.get_data())[0] for ln in (asked, near))
    assert (xb, xc) == (b, c)
    assert det(xb, xc) < 0, f"({xb:g}, {xc:g}) is valid"
    assert (f"{nb:.2f}", f"{nc:.2f}") == (stated.group(4), stated.group(5))
    assert det(nb, nc) == pytest.approx(0.0, abs=1e-9)
    assert np.hypot(nb - xb, nc - xc) <= np.hypot(rb - xb, rc - xc).min() + 1e-9
    assert ax.get_aspect() == 1.0


def test_elliptope_slice_title_states_the_pair_and_its_nearest_valid_pair() -> None:
    check_elliptope(draw("covariance-elliptope"))


def test_elliptope_check_fails_when_the_asked_pair_is_valid(monkeypatch) -> None:
    monkeypatch.setattr(core_figures, "LECTURE_RHOS", (0.9, 0.8, 0.7))
    with pytest.raises(AssertionError):
        check_elliptope(draw("covariance-elliptope"))


def test_elliptope_check_fails_when_the_nearest_pair_is_not_nearest(monkeypatch) -> None:
    from teachkit.plots import covariance

    real = covariance.nearest_on_slice

    def elsewhere(rho_xy, rho_xz, rho_yz):  # another point of the ellipse, farther away
        return real(rho_xy, -rho_xz, -rho_yz)

    monkeypatch.setattr(covariance, "nearest_on_slice", elsewhere)
    with pytest.raises(AssertionError):
        check_elliptope(draw("covariance-elliptope"))


# --- row 26: LKJ ------------------------------------------------------------------------------


def lkj_curves(ax) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    return {float(re.search(r"[\d.]+", ln.get_label()).group()): ln.get_data()
            for ln in ax.get_lines()}  # fmt: skip


def test_lkj_point_eta_sets_how_strongly_weak_correlations_are_favoured() -> None:
    """Fails if eta = 1 is not flat, a larger eta does not pull rho toward 0 (higher density
    at 0, smaller sd), or eta < 1 does not push it to the ends."""
    (ax,) = draw("covariance-lkj").axes
    curves = lkj_curves(ax)
    r, flat = curves[1.0]
    np.testing.assert_allclose(flat, 0.5)  # uniform on (-1, 1)
    step = r[1] - r[0]
    at_zero = {eta: np.interp(0.0, *xy) for eta, xy in curves.items()}
    sd = {eta: np.sqrt(np.sum(xy[0] ** 2 * xy[1]) * step) for eta, xy in curves.items()}
    wider = sorted(e for e in curves if e >= 1)
    assert [at_zero[e] for e in wider] == sorted(at_zero[e] for e in wider)
    assert [sd[e] for e in wider] == sorted((sd[e] for e in wider), reverse=True)
    for eta in (e for e in curves if e < 1):
        x, y = curves[eta]
        assert np.interp(0.95, x, y) > 2 * at_zero[eta]


def test_lkj_title_states_the_mass_beyond_a_half_under_the_models_eta() -> None:
    """P(|rho| > 0.5) integrated from the drawn eta = 2 curve is the title's number; that
    curve is the bold one and every curve is labelled on the plot (no legend)."""
    fig = draw("covariance-lkj")
    (ax,) = fig.axes
    x, y = lkj_curves(ax)[LKJ_ETA]
    beyond = np.abs(x) > 0.5
    mass = float(np.sum(y[beyond]) * (x[1] - x[0]))
    assert mass == pytest.approx(2 * lkj_marginal(LKJ_ETA, 2).sf(0.5), abs=0.01)
    assert f"$P(|\\rho| > 0.5) = {mass:.2f}$" in figure_title(fig)
    widths = {ln.get_label(): ln.get_linewidth() for ln in ax.get_lines()}
    assert max(widths, key=widths.get) == rf"$\eta = {LKJ_ETA:g}$"
    assert ax.get_legend() is None
    texts = " ".join(t.get_text() for t in ax.texts)
    assert all(label in texts for label in widths)
    assert r"\propto 1 - \rho^2" in texts
    # the shaded area is the eta = 2 curve beyond |rho| = 0.5: its area is the title's number
    shaded = [c for c in ax.collections if c.get_gid() == "beyond"]
    assert len(shaded) == 2
    area = 0.0
    for region in shaded:
        (path,) = region.get_paths()
        vx, vy = path.vertices.T
        assert np.all(np.abs(vx) >= 0.5)
        area += 0.5 * abs(np.dot(vx, np.roll(vy, 1)) - np.dot(vy, np.roll(vx, 1)))
    assert f"{area:.2f}" == f"{mass:.2f}"


# --- row 30: Cholesky -------------------------------------------------------------------------


def test_cholesky_point_lz_has_covariance_sigma() -> None:
    """Fails if the right panel were not L z, its points did not have covariance Sigma, the
    arrows were not L's columns, the typeset L not the Cholesky factor, a draw changed colour
    from z to L z, or a colour were too pale to see."""
    fig = draw("covariance-cholesky")
    left, right = scatters(fig)
    z, x = offsets(left), offsets(right)
    sigma = build_covariance(list(EXAMPLE_SDS), [[1.0, EXAMPLE_RHO], [EXAMPLE_RHO, 1.0]])
    factor = np.linalg.cholesky(sigma)
    np.testing.assert_allclose(x, z @ factor.T)
    np.testing.assert_allclose(np.cov(z.T), np.eye(2), atol=0.2)
    np.testing.assert_allclose(np.cov(x.T), sigma, atol=0.1 * np.abs(sigma).max() + 0.2)
    tips = [a.xy for a in right.texts if getattr(a, "arrow_patch", None) and not a.get_text()]
    np.testing.assert_allclose(np.array(tips).T, factor)
    typeset = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    for value in (factor[0, 0], factor[1, 0], factor[1, 1]):
        assert f"{{{value:.2g}}}" in typeset
    assert all(ax.get_aspect() == 1.0 for ax in (left, right))
    assert left.get_xlim() == right.get_xlim() and left.get_ylim() == right.get_ylim()
    colours = [ax.collections[0].get_facecolors() for ax in (left, right)]
    np.testing.assert_allclose(colours[0], colours[1])
    assert (colours[0][:, :3] @ [0.2126, 0.7152, 0.0722]).max() < PALEST
    assert "keeps its colour" in fig.get_supxlabel()


#: The palest colour a draw may have on the Cholesky slide (relative luminance): the palette's
#: sky blue is 0.43, its yellow (left out) 0.79; white is 1.
PALEST = 0.75


# --- row 1: the logit link and the prior on p ---------------------------------------------------


#: Row 1: the drawn bars are the prior's exact bin masses: each prior's panel against the exact
#: masses of p = logit^-1(alpha), alpha ~ N(0, sd), to this (floating point) ...
EXACT_MASS = 1e-12
#: ... and against a histogram of LOGIT_CHECK_DRAWS simulated draws to MC_MASS, 5 binomial
#: standard errors of the largest bin's share (sqrt(0.3 * 0.7 / 20000) = 0.0032).
LOGIT_CHECK_DRAWS = 20_000
MC_MASS = 0.016


def check_logit_prior(fig) -> None:
    """Claim: 'N(0, 2) keeps A% of p in (0.02, 0.98), N(0, 10) only B%': A and B are the
    drawn bars' mass between the bins' edges 0.02 and 0.98 (equal to the exact share
    2 Phi(logit(0.98) / sd) - 1 of the sd in the panel's label) and B < A; each prior has its
    own panel, its bars are the prior's exact bin masses (and agree with simulated draws),
    and the edge bins' written shares are their drawn masses."""
    _, *panels = fig.axes
    shares = []
    rng = np.random.default_rng(0)
    for ax in panels:  # one bar chart per prior, bins of 0.02 from 0 to 1
        (bars,) = ax.containers
        heights = np.array([b.get_height() for b in bars])
        lefts = np.array([b.get_x() for b in bars])
        width = bars[0].get_width()
        inside = (lefts > 0.02 - 1e-9) & (lefts + width < 0.98 + 1e-9)
        shares.append(float(np.sum(heights[inside]) * width))
        sd = float(re.fullmatch(r"\$N\(0, ([\d.]+)\)\$", bars.get_label())[1])
        edges = np.append(lefts, lefts[-1] + width)
        exact = stats.norm.cdf(logit(edges[1:]) / sd) - stats.norm.cdf(logit(edges[:-1]) / sd)
        np.testing.assert_allclose(heights * width, exact, atol=EXACT_MASS)
        simulated = np.histogram(expit(rng.normal(0, sd, LOGIT_CHECK_DRAWS)), bins=edges)[0]
        np.testing.assert_allclose(heights * width, simulated / LOGIT_CHECK_DRAWS, atol=MC_MASS)
        assert shares[-1] == pytest.approx(2 * stats.norm.cdf(logit(0.98) / sd) - 1)
        texts = [t.get_text() for t in ax.texts]
        for mass, said in ((heights[0], "below 0.02"), (heights[-1], "above 0.98")):
            cut = "\n(bar cut)" if mass > ax.get_ylim()[1] else ""
            assert f"{mass * width:.0%} {said}{cut}" in texts
    title = figure_title(fig)
    a, b = shares
    assert f"$N(0, 2)$ keeps {a:.0%} of $p$ in (0.02, 0.98), $N(0, 10)$ only {b:.0%}" == title
    assert b < a, f"N(0, 10) keeps {b:.0%}, not less than N(0, 2)'s {a:.0%}"


def test_logit_prior_title_states_each_priors_share_inside() -> None:
    check_logit_prior(draw("glm-logit-prior"))
    assert figure_title(draw("glm-logit-prior")) == (
        "$N(0, 2)$ keeps 95% of $p$ in (0.02, 0.98), $N(0, 10)$ only 30%"
    )  # 2 Phi(logit(0.98) / sd) - 1 = 0.948 and 0.303


def test_logit_prior_check_fails_when_the_priors_are_swapped(monkeypatch) -> None:
    monkeypatch.setattr(core_figures, "LOGIT_PRIOR_SDS", (10.0, 2.0))
    with pytest.raises(AssertionError):
        check_logit_prior(draw("glm-logit-prior"))
