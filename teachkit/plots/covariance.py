"""Figures of the core maths: Sigma = diag R diag, LKJ densities, the elliptope, z -> L z."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy import stats

from teachkit.covariance import (
    build_covariance,
    feasible_interval,
    feasible_rho_interval,
    nearest_correlation,
    validate_correlation,
)
from teachkit.figure_entry import Claim, attach_claim
from teachkit.lkj import lkj_marginal, lkj_marginal_pdf
from teachkit.mvn import cholesky_factor, ellipse
from teachkit.plots.labels import matrix_tex
from teachkit.plots.style import darker

__all__ = [
    "DEPENDENT_RANK",
    "LECTURE_INVALID",
    "lecture_matrices",
    "plot_cholesky_map",
    "plot_covariance_factoring",
    "plot_elliptope",
    "plot_feasible_interval",
    "plot_lkj_densities",
    "plot_prior_dependence",
    "rank_dependence",
]

#: The smallest absolute rank correlation :func:`plot_prior_dependence` calls a tie.
DEPENDENT_RANK = 0.1

#: The lecture's invalid 3x3 "correlation matrix": (row, column, entry) above the diagonal.
LECTURE_INVALID = ((0, 1, 0.9), (0, 2, 0.8), (1, 2, -0.9))

#: The LKJ curves' colours: the palette without its sky blue (next to the blue, two curves
#: would merge on a washed-out projector) and yellow (too pale on white).
LKJ_COLOURS: tuple[str, ...] = ("C0", "C1", "C2", "C3", "C5")


def lecture_matrices() -> tuple[np.ndarray, np.ndarray]:
    """The lecture's invalid matrix and its nearest correlation matrix (Higham 2002).

    Returns
    -------
    invalid, nearest : ndarray of shape (3, 3)
    """
    invalid = np.eye(3)
    for i, j, v in LECTURE_INVALID:
        invalid[i, j] = invalid[j, i] = v
    return invalid, nearest_correlation(invalid)


def plot_covariance_factoring(
    sds: ArrayLike,
    corr: ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    fig: Figure | None = None,
) -> Figure:
    r"""Sigma = diag(sigma) R diag(sigma) as heat maps: Sigma, then its three factors.

    Returns
    -------
    Figure
        Four heat-map axes titled "$\Sigma$", "$\mathrm{diag}(\sigma)$", "$R$",
        "$\mathrm{diag}(\sigma)$", each cell annotated; "=" and "·" between them.
    """
    s = np.asarray(sds, dtype=float)
    r = validate_correlation(corr)
    sigma = build_covariance(s, r)
    names = list(labels) if labels is not None else [f"$x_{i + 1}$" for i in range(len(s))]
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, 4, width_ratios=(1.7, 1, 1, 1))  # room for Sigma's arithmetic
    diag = r"$\mathrm{diag}(\sigma)$"
    panels = ((r"$\Sigma$", sigma), (diag, np.diag(s)), ("$R$", r), (diag, np.diag(s)))
    limit = max(np.abs(sigma).max(), s.max() if s.size else 1.0, 1.0)
    for k, (ax, (title, m)) in enumerate(zip(axes, panels, strict=True)):
        ax.imshow(m, cmap="RdBu_r", vmin=-limit, vmax=limit)
        for (i, j), v in np.ndenumerate(m):
            ink = "white" if abs(v) > 0.55 * limit else "black"  # readable on dark cells
            text = rf"${v:.2g}$"
            if k == 0 and len(s) <= 3:  # Sigma's cells: sigma_i x R_ij x sigma_j, written out
                factors = (s[i], r[i, j], s[j])
                product = r" \times ".join(f"{f:.2g}" if f >= 0 else f"({f:.2g})" for f in factors)
                text = rf"${product}$" + "\n" + rf"$= {v:.2g}$"
            size = 17 if k == 0 and len(s) <= 3 else 20
            ax.text(j, i, text, ha="center", va="center", fontsize=size, color=ink)
        ax.set_title(title, fontsize=22)
        ax.set_xticks(range(len(names)), names)
        ax.set_yticks(range(len(names)), names)
    for ax, sign in zip(axes[:3], ("=", "·", "·"), strict=True):
        ax.annotate(
            sign,
            (1.0, 0.5),
            xycoords="axes fraction",
            xytext=(0.16, 0.5),
            textcoords="offset fontsize",
            fontsize=30,
            ha="left",
            va="center",
        )
    fig.suptitle(
        r"$\Sigma = \mathrm{diag}(\sigma)\,R\,\mathrm{diag}(\sigma)$: "
        "the correlations, scaled by the sds on both sides"
    )
    return fig


#: Where each eta's label sits for ``dim = 2``: (x, y, ha, va) in data coordinates, and the
#: x of the curve point an arrow points to (None: the label sits by the curve, no arrow).
_LKJ_LABELS: dict[float, tuple[float, float, str, str, float | None]] = {
    0.5: (0.0, 0.29, "center", "top", None),
    1.0: (0.0, 0.52, "center", "bottom", None),
    2.0: (-0.95, 1.2, "left", "bottom", -0.8),
    4.0: (0.42, 0.95, "left", "bottom", 0.33),
    10.0: (0.17, 1.64, "left", "bottom", None),
}


def plot_lkj_densities(
    etas: Sequence[float] = (0.5, 1.0, 2.0, 4.0),
    dim: int = 2,
    *,
    highlight: float | None = 2.0,
    threshold: float = 0.5,
    ax: Axes | None = None,
) -> Axes:
    r"""The exact marginal density of one correlation under LKJ(eta), one labelled curve per eta.

    Each curve is labelled on itself (no legend). The ``highlight`` eta (the model's prior) is
    drawn bold and, for ``dim = 2``, annotated
    :math:`\propto 1 - \rho^2` when it is 2; its prior probability of
    :math:`|\rho| > \mathrm{threshold}` is computed from :func:`teachkit.lkj.lkj_marginal`,
    stated in the title and attached as the figure's :class:`~teachkit.figure_entry.Claim`
    (``numbers["p_beyond"]``; ``data`` holds each curve by ``eta=<eta>``).
    """
    ax = ax if ax is not None else plt.figure(layout="constrained").subplots()
    r = np.linspace(-1, 1, 401)[1:-1]
    curves = {}
    for k, eta in enumerate(etas):
        bold = highlight is not None and np.isclose(eta, highlight)
        y = lkj_marginal_pdf(r, eta, dim)
        curves[f"eta={eta:g}"] = np.column_stack([r, y])
        colour = LKJ_COLOURS[k % len(LKJ_COLOURS)]
        ax.plot(
            r,
            y,
            label=rf"$\eta = {eta:g}$",
            lw=5 if bold else 2.5,
            color=colour,
            zorder=3 if bold else 2,
        )
        text = rf"$\eta = {eta:g}$"
        if bold and dim == 2 and np.isclose(eta, 2.0):
            text += "  (the model's prior)\n" + r"$p(\rho) \propto 1 - \rho^2$"
        spot = _LKJ_LABELS.get(float(eta)) if dim == 2 else None
        if spot is None:  # another eta or dim: by the curve's right flank
            at = 0.6
            spot = (at, float(lkj_marginal_pdf(at, eta, dim)) + 0.05, "left", "bottom", None)
        x, y_text, ha, va, target = spot
        arrow = None if target is None else {"arrowstyle": "->", "color": colour, "lw": 2}
        point = (
            (x, y_text) if target is None else (target, float(lkj_marginal_pdf(target, eta, dim)))
        )
        ax.annotate(
            text,
            point,
            xytext=(x, y_text),
            ha=ha,
            va=va,
            fontsize=20 if bold else 18,
            fontweight="bold" if bold else "normal",
            color=darker(colour, 0.2),
            arrowprops=arrow,
        )
    ax.set_xlabel(r"correlation $\rho$")
    ax.set_ylabel("prior density")
    ax.set_ylim(0, 2.0 if dim == 2 else min(ax.get_ylim()[1] * 1.1, 3.0))
    ax.set_xlim(-1.05, 1.05)
    ax.set_xticks([-1, -0.5, 0, 0.5, 1])
    title = (
        rf"LKJ($\eta$) on one correlation of a {dim}×{dim} matrix: larger $\eta$ pulls $\rho$ to 0"
    )
    numbers: dict[str, float] = {}
    if highlight is not None:
        p_beyond = 2.0 * float(lkj_marginal(highlight, dim).sf(threshold))
        numbers = {"p_beyond": p_beyond, "eta": float(highlight), "threshold": threshold}
        title = (
            rf"LKJ($\eta$): $\eta = 1$ is flat, larger $\eta$ pulls $\rho$ to 0; "
            rf"$\eta = {highlight:g}$ gives $P(|\rho| > {threshold:g}) = {p_beyond:.2f}$"
        )
    ax.set_title(title)
    attach_claim(ax.figure, Claim(title, numbers, curves))
    return ax


def plot_elliptope(*, n_grid: int = 60, fig: Figure | None = None) -> Axes:
    """The set of valid 3x3 correlation matrices, with the lecture's invalid matrix outside.

    For each (rho_xy, rho_xz) the valid rho_yz fill the interval of
    :func:`teachkit.covariance.feasible_rho_interval`; its two ends form the upper and lower
    surfaces of the "elliptope". The lecture's matrix (0.9, 0.8, -0.9) is marked outside, and
    a line joins it to its nearest valid matrix (:func:`lecture_matrices`), which lies on the
    surface. Ticks are at -1, 0 and 1 only, so their labels never crowd.

    Returns
    -------
    Axes
        A 3-D axes with two surfaces, the marked points (labels "lecture's matrix (invalid)"
        and "nearest valid matrix") and the line joining them (label "nearest valid matrix").
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    ax = fig.add_subplot(projection="3d", computed_zorder=False)  # the points stay on top
    g = np.linspace(-1, 1, n_grid)
    a, b = np.meshgrid(g, g)
    low, high = np.vectorize(feasible_rho_interval)(a, b)
    for surface in (low, high):
        ax.plot_surface(
            a,
            b,
            surface,
            color="C0",
            alpha=0.25,
            linewidth=0.2,
            edgecolor="C0",
            rcount=24,
            ccount=24,
        )
    invalid, nearest = lecture_matrices()
    bad = invalid[[0, 0, 1], [1, 2, 2]]
    good = nearest[[0, 0, 1], [1, 2, 2]]
    ax.plot(
        *np.column_stack([bad, good]),
        color="black",
        lw=2.5,
        ls="--",
        zorder=4,
        label="to the nearest valid matrix",
    )
    ax.scatter(
        *bad,
        color="C5",
        s=160,
        depthshade=False,
        edgecolors="black",
        zorder=5,
        label=f"lecture's matrix ({bad[0]:g}, {bad[1]:g}, {bad[2]:g}): invalid",
    )
    where = ", ".join(f"{v:.2f}" for v in good)
    ax.scatter(
        *good,
        color="C2",
        s=160,
        depthshade=False,
        edgecolors="black",
        zorder=5,
        label=f"nearest valid ({where}): on the surface",
    )
    for setter in (ax.set_xticks, ax.set_yticks, ax.set_zticks):
        setter([-1, 0, 1])
    ax.set_xlabel(r"$\rho_{xy}$", labelpad=12)
    ax.set_ylabel(r"$\rho_{xz}$", labelpad=12)
    ax.set_zlabel(r"$\rho_{yz}$", labelpad=12)
    ax.tick_params(labelsize=15, pad=4)
    ax.view_init(elev=18, azim=-58)
    ax.set_box_aspect((1, 1, 1), zoom=1.05)
    ax.set_title("Valid correlation matrices fill the elliptope; the lecture's matrix is outside")
    ax.legend(loc="upper left", bbox_to_anchor=(-0.35, 1.0), fontsize=14)
    return ax


def plot_cholesky_map(
    cov: ArrayLike, *, n: int = 300, rng: int = 0, fig: Figure | None = None
) -> Figure:
    r"""Z ~ N(0, I) on the left, x = L z ~ N(0, Sigma) on the right, each point coloured alike.

    Both panels have equal aspect and the same limits. The unit vectors :math:`e_1, e_2` are
    drawn as arrows on the left and their images, the columns :math:`L e_1, L e_2` of the
    Cholesky factor, on the right; :math:`L` is typeset in the title and attached as the
    figure's :class:`~teachkit.figure_entry.Claim` (``numbers`` ``L11``, ``L21``, ``L22``;
    ``data`` ``z`` and ``x``).

    Returns
    -------
    Figure
        Two axes titled "z ~ N(0, I)" and "x = L z ~ N(0, Σ)", each with one scatter of ``n``
        points, the 94% ellipse of its distribution and two arrows.
    """
    c = np.asarray(cov, dtype=float)
    factor = cholesky_factor(c)
    z = np.random.default_rng(rng).standard_normal((n, 2))
    x = z @ factor.T
    colour = np.arctan2(z[:, 1], z[:, 0])
    fig = fig if fig is not None else plt.figure(layout="constrained")
    left, middle, right = fig.subplots(1, 3, width_ratios=(1, 0.2, 1))
    lim = np.maximum(4.0, 3.0 * np.sqrt(np.diag(c)))  # 3 sds; the same on both panels
    for ax, pts, cv, title, names, arrows in (
        (left, z, np.eye(2), r"$z \sim N(0, I)$", ("$z_1$", "$z_2$"), np.eye(2)),
        (right, x, c, r"$x = L z \sim N(0, \Sigma)$", ("$x_1$", "$x_2$"), factor),
    ):
        ax.scatter(pts[:, 0], pts[:, 1], c=colour, cmap="twilight", s=16, alpha=0.8)
        ring = ellipse([0.0, 0.0], cv, mass=0.94)
        ax.plot(ring[:, 0], ring[:, 1], color="black", lw=1.5, ls="--", label="94% ellipse")
        for k in range(2):
            tip = arrows[:, k]
            props = {
                "arrowstyle": "-|>,head_width=0.3,head_length=0.6",
                "lw": 3.5,
                "color": "black",
                "shrinkA": 0,
                "shrinkB": 0,
            }
            ax.annotate("", tip, (0.0, 0.0), arrowprops=props)
            name = (r"$e_1$", r"$e_2$")[k] if ax is left else (r"$L e_1$", r"$L e_2$")[k]
            ax.annotate(
                name,
                tip,
                xytext=(10, 10 if k == 1 else -26),
                textcoords="offset points",
                fontsize=22,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            )
        ax.set_xlim(-lim[0], lim[0])
        ax.set_ylim(-lim[1], lim[1])
        ax.set_xticks(np.arange(-np.floor(lim[0] - 1), np.floor(lim[0] - 1) + 1, 2.0))
        ax.set_aspect("equal", adjustable="box")
        ax.set_title(title)
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[1], rotation=0, labelpad=14)
    left.legend(loc="lower left")
    middle.set_axis_off()
    middle.annotate(
        "",
        (1.0, 0.5),
        (0.0, 0.5),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>,head_width=0.5,head_length=1", "lw": 4, "color": "black"},
    )
    middle.text(
        0.5,
        0.58,
        rf"$L = {matrix_tex(factor, '{:.2g}')}$",
        transform=middle.transAxes,
        ha="center",
        va="bottom",
        fontsize=22,
    )
    middle.text(
        0.5,
        0.44,
        "each draw\nkeeps its\ncolour",
        transform=middle.transAxes,
        ha="center",
        va="top",
        fontsize=16,
        color="0.3",
    )
    text = r"$x = L z$: the columns of $L$ are where the unit vectors go, and $\Sigma = L L^\top$"
    fig.suptitle(text)
    numbers = {"L11": factor[0, 0], "L21": factor[1, 0], "L22": factor[1, 1]}
    return attach_claim(fig, Claim(text, numbers, {"z": z, "x": x}))


def rank_dependence(sigma_1: ArrayLike, rho: ArrayLike) -> float:
    r"""Spearman's rank correlation of :math:`\sigma_1` and :math:`|\rho|`.

    Examples
    --------
    >>> rank_dependence([1.0, 2.0, 3.0], [0.1, -0.5, 0.9])
    1.0
    """
    return float(stats.spearmanr(np.asarray(sigma_1), np.abs(np.asarray(rho)))[0])


def plot_prior_dependence(
    draws: Sequence[tuple[ArrayLike, ArrayLike]],
    names: Sequence[str],
    *,
    short_names: Sequence[str] | None = None,
    fig: Figure | None = None,
) -> Figure:
    r"""Prior draws of :math:`(\sigma_1, \rho)`, one panel per prior, with the same axes.

    Each panel shows its draws (:math:`\sigma_1` on a log axis) and, per tenth of the draws by
    :math:`\sigma_1`, the median of :math:`|\rho|` as a step line at :math:`\pm` that value
    (half the draws in each tenth lie between the two lines): rising lines show that the
    prior ties the correlation to the scale. The rank correlation of :math:`\sigma_1` and
    :math:`|\rho|` (:func:`rank_dependence`) is computed per panel and stated in the title,
    which says a prior ties them when its absolute value is at least :data:`DEPENDENT_RANK`
    and does not otherwise. The claim attached to the figure has
    ``numbers`` ``rank_0``, ``rank_1``, ... and ``data`` ``sigma_0``, ``rho_0``, ...

    Parameters
    ----------
    draws : sequence of (sigma_1, rho) pairs of arrays
    names : sequence of str
        The priors' names, as panel titles.
    short_names : sequence of str, optional
        Their names in the title (default: ``names``).
    fig : Figure, optional

    Returns
    -------
    Figure
        One axes per prior, sharing both axes; the claim attached.
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, len(draws), sharex=True, sharey=True, squeeze=False)[0]
    ranks, data = {}, {}
    for k, (ax, (sd, rho), name) in enumerate(zip(axes, draws, names, strict=True)):
        sd, rho = np.asarray(sd, dtype=float), np.asarray(rho, dtype=float)
        data[f"sigma_{k}"], data[f"rho_{k}"] = sd, rho
        ranks[f"rank_{k}"] = rank_dependence(sd, rho)
        ax.scatter(sd, rho, s=8, alpha=0.35, color=f"C{k}", linewidths=0)
        order = np.argsort(sd)
        for chunk in np.array_split(order, 10):
            lo, hi = sd[chunk].min(), sd[chunk].max()
            m = float(np.median(np.abs(rho[chunk])))
            for sign in (1, -1):
                ax.plot([lo, hi], [sign * m, sign * m], color="black", lw=3, solid_capstyle="butt")
        ax.set_xscale("log")
        ax.set_xlim(0.03, 30)
        ax.set_xticks([0.1, 1, 10], ["0.1", "1", "10"])
        ax.set_ylim(-1, 1)
        ax.set_yticks([-1, -0.5, 0, 0.5, 1])
        ax.set_title(name, color=f"C{k}")
        ax.set_xlabel(r"$\sigma_1$ (log scale)")
    axes[0].set_ylabel(r"$\rho$", rotation=0, labelpad=14)
    fig.supxlabel(
        r"black: median $|\rho|$ within each tenth of the draws by $\sigma_1$; "
        f"{len(draws[0][0])} draws per prior, "
        r"$\sigma_1$ outside 0.03 to 30 not shown",
        fontsize=14,
        color="0.3",
    )
    parts = []
    for k, name in enumerate(short_names if short_names else names):
        rank = ranks[f"rank_{k}"]
        tied = abs(rank) >= DEPENDENT_RANK
        if k == 0:
            verb = (
                r"ties $\sigma_1$ to $|\rho|$" if tied else r"leaves $\sigma_1$ and $|\rho|$ apart"
            )
            parts.append(rf"{name} {verb} (rank correlation ${rank:.2f}$)")
        else:
            same = tied == (abs(ranks["rank_0"]) >= DEPENDENT_RANK)
            parts.append(rf"{name} {'too' if same else 'does not'} (${rank:.2f}$)")
    text = ", ".join(parts)
    fig.suptitle(text)
    return attach_claim(fig, Claim(text, ranks, data))


def plot_feasible_interval(
    rho_xy: float, rho_xz: float, rho_yz: float, *, fig: Figure | None = None
) -> Figure:
    r"""Which :math:`\rho_{yz}` make a valid 3 x 3 correlation matrix, given the other two.

    Top: the line from -1 to 1 with the feasible interval of :math:`\rho_{yz}`
    (:func:`teachkit.covariance.feasible_interval`) as a thick bar and the asked value
    ``rho_yz`` marked. Bottom, on the same :math:`\rho_{yz}` axis:
    :math:`\det R = 1 - \rho_{xy}^2 - \rho_{xz}^2 - \rho_{yz}^2 + 2\rho_{xy}\rho_{xz}\rho_{yz}`,
    negative (shaded) exactly outside the interval. The title states the interval and whether
    the asked value lies in it; the claim attached has ``numbers`` ``low``, ``high``,
    ``asked`` and ``det_asked``, and ``data`` ``rho_yz`` and ``det`` (the drawn curve).

    Returns
    -------
    Figure
        Two axes sharing x: the interval line (its bar's line labelled "feasible") and the
        determinant curve (labelled "det R").
    """
    corr = np.array([[1.0, rho_xy, rho_xz], [rho_xy, 1.0, 0.0], [rho_xz, 0.0, 1.0]])
    low, high = feasible_interval(corr, 1, 2)
    t = np.linspace(-1.0, 1.0, 801)
    det = 1 - rho_xy**2 - rho_xz**2 - t**2 + 2 * rho_xy * rho_xz * t
    det_asked = 1 - rho_xy**2 - rho_xz**2 - rho_yz**2 + 2 * rho_xy * rho_xz * rho_yz
    inside = bool(low <= rho_yz <= high)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1, 2.4))
    ok, bad = "C2", "C5"
    top.plot([-1, 1], [0, 0], color="0.6", lw=3)
    top.plot([low, high], [0, 0], color=ok, lw=16, solid_capstyle="butt", label="feasible")
    for end in (low, high):
        top.annotate(
            f"{end:.2f}",
            (end, 0),
            xytext=(0, 16),
            textcoords="offset points",
            ha="center",
            fontsize=18,
            color=darker(ok),
        )
    top.plot([rho_yz], [0], marker="X", ms=22, color=bad, mec="black", ls="none")
    top.annotate(
        rf"asked: $\rho_{{yz}} = {rho_yz:g}$",
        (rho_yz, 0),
        xytext=(0, 18),
        textcoords="offset points",
        ha="center",
        fontsize=18,
        color=darker(bad),
    )
    top.annotate(
        r"allowed $\rho_{yz}$",
        ((low + high) / 2, 0),
        xytext=(0, -34),
        textcoords="offset points",
        ha="center",
        fontsize=17,
        color=darker(ok),
    )
    for end in (-1, 1):
        top.annotate(
            f"${end:g}$",
            (end, 0),
            xytext=(0, -30),
            textcoords="offset points",
            ha="center",
            fontsize=17,
        )
    top.set_ylim(-1, 1)
    top.set_axis_off()
    bottom.plot(t, det, color="black", lw=3, label=r"$\det R$")
    bottom.axhline(0, color="0.4", lw=1.2)
    bottom.fill_between(t, det, 0, where=det < 0, color=bad, alpha=0.3, lw=0)
    bottom.fill_between(t, det, 0, where=det >= 0, color=ok, alpha=0.3, lw=0)
    for end in (low, high):
        bottom.axvline(end, color=darker(ok), ls=":", lw=2)
    bottom.plot([rho_yz], [det_asked], marker="X", ms=18, color=bad, mec="black", ls="none")
    bottom.annotate(
        rf"$\det R = {det_asked:.2f}$"
        + (r" $< 0$: not a correlation matrix" if not inside else ""),
        (rho_yz, det_asked),
        xytext=(16, 0),
        textcoords="offset points",
        va="center",
        fontsize=17,
        color=darker(bad),
    )
    peak = int(np.argmax(det))
    if det[peak] > 0:
        bottom.annotate(
            r"$\det R \geq 0$ only inside the interval",
            (t[peak], det[peak]),
            xytext=(30, -60),
            textcoords="offset points",
            ha="right",
            fontsize=17,
            color=darker(ok),
            arrowprops={"arrowstyle": "->", "color": darker(ok), "lw": 2},
        )
    bottom.set_xlim(-1.05, 1.05)
    bottom.set_xticks([-1, -0.5, 0, 0.5, 1])
    bottom.set_xlabel(r"$\rho_{yz}$")
    bottom.set_ylabel(r"$\det R$")
    verdict = "is impossible" if not inside else "is allowed"
    text = (
        rf"Given $\rho_{{xy}} = {rho_xy:g}$, $\rho_{{xz}} = {rho_xz:g}$: $\rho_{{yz}}$ must lie "
        rf"in [{low:.2f}, {high:.2f}]: ${rho_yz:g}$ {verdict}"
    )
    fig.suptitle(text)
    numbers = {"low": low, "high": high, "asked": rho_yz, "det_asked": det_asked}
    return attach_claim(fig, Claim(text, numbers, {"rho_yz": t, "det": det}))
