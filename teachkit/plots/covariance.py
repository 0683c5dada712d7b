"""Figures of the core maths: Sigma = diag R diag, LKJ densities, the elliptope, z -> L z."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from numpy.typing import ArrayLike
from scipy import stats

from teachkit.covariance import (
    build_covariance,
    feasible_interval,
    feasible_rho_interval,
    validate_correlation,
)
from teachkit.figure_entry import Claim, attach_claim
from teachkit.lkj import lkj_marginal, lkj_marginal_pdf
from teachkit.mvn import cholesky_factor, ellipse
from teachkit.plots.labels import matrix_tex, note
from teachkit.plots.style import PALETTE, darker

__all__ = [
    "DEPENDENCE_GROUPS",
    "DEPENDENT_RANK",
    "SECTOR_COLOURS",
    "SIGMA_RANGE",
    "binned_medians",
    "direction_sector",
    "nearest_on_slice",
    "plot_cholesky_map",
    "plot_correlation_slice",
    "plot_covariance_factoring",
    "plot_feasible_interval",
    "plot_lkj_densities",
    "plot_prior_dependence",
    "rank_dependence",
    "slice_boundary",
    "slice_det",
]

#: The smallest absolute rank correlation :func:`plot_prior_dependence` calls a tie.
DEPENDENT_RANK = 0.1

#: The LKJ curves' colours: the palette without its sky blue (next to the blue, two curves
#: would merge on a washed-out projector) and yellow (too pale on white).
LKJ_COLOURS: tuple[str, ...] = ("C0", "C1", "C2", "C3", "black")


#: The colour map of the factoring slide's heat maps (one scale for all four matrices).
FACTORING_CMAP = "RdBu_r"


def _ink(rgba: Sequence[float]) -> str:
    """Black or white, whichever reads better on a cell of colour ``rgba`` (its luminance)."""
    r, g, b = rgba[:3]
    return "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else "black"


def plot_covariance_factoring(
    sds: ArrayLike,
    corr: ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    fig: Figure | None = None,
) -> Figure:
    r"""Sigma = diag(sigma) R diag(sigma) as heat maps: Sigma, then its three factors.

    All four matrices share one diverging colour scale (no colour bar: every cell writes its
    number); each cell's text is
    black or white by the luminance of its colour. Each cell of :math:`\Sigma` writes out its
    arithmetic for up to 3 variables: :math:`\sigma_i R_{ij} \sigma_j`, the numbers
    (e.g. :math:`2 \times (-0.8) \times 1`) and the product.

    Returns
    -------
    Figure
        Four heat-map axes titled "$\Sigma$", "$\mathrm{diag}(\sigma)$", "$R$",
        "$\mathrm{diag}(\sigma)$", each cell annotated, "=" and a small centred dot
        "$\bullet$" between them.
    """
    s = np.asarray(sds, dtype=float)
    r = validate_correlation(corr)
    sigma = build_covariance(s, r)
    names = list(labels) if labels is not None else [f"$x_{i + 1}$" for i in range(len(s))]
    bare = [n.strip("$") for n in names]
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, 4, width_ratios=(2.3, 1.2, 1.2, 1.2))  # room for Sigma's arithmetic
    diag = r"$\mathrm{diag}(\sigma)$"
    panels = ((r"$\Sigma$", sigma), (diag, np.diag(s)), ("$R$", r), (diag, np.diag(s)))
    limit = max(np.abs(sigma).max(), s.max() if s.size else 1.0, 1.0)
    cmap = plt.get_cmap(FACTORING_CMAP)
    written = len(s) <= 3
    for k, (ax, (title, m)) in enumerate(zip(axes, panels, strict=True)):
        image = ax.imshow(m, cmap=cmap, vmin=-limit, vmax=limit)
        for (i, j), v in np.ndenumerate(m):
            ink = _ink(image.to_rgba(v))
            text = rf"${v:.2g}$"
            if k == 0 and written:  # Sigma's cells: sigma_i x R_ij x sigma_j, written out
                factors = (s[i], r[i, j], s[j])
                product = r" \times ".join(f"{f:.2g}" if f >= 0 else f"({f:.2g})" for f in factors)
                symbols = rf"$\sigma_{{{bare[i]}}}\,R_{{{bare[i]}{bare[j]}}}\,\sigma_{{{bare[j]}}}$"
                text = f"{symbols}\n${product}$\n$= {v:.2g}$"
            ax.text(j, i, text, ha="center", va="center", fontsize=20 if k == 0 else 26, color=ink,
                    linespacing=1.5)  # fmt: skip
        ax.set_title(title, fontsize=26)
        ax.set_xticks(range(len(names)), names, fontsize=20)
        ax.set_yticks(range(len(names)), names, fontsize=20)
        ax.tick_params(length=0)
    for ax, sign in zip(axes[:3], ("=", r"$\bullet$", r"$\bullet$"), strict=True):
        ax.annotate(  # the product's sign: a small centred dot
            sign,
            (1.0, 0.5),
            xycoords="axes fraction",
            xytext=(0.15, 0.0) if sign == "=" else (0.6, 0.0),
            textcoords="offset fontsize",
            fontsize=44 if sign == "=" else 20,
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
        if bold:  # its prior mass beyond the threshold, the title's number, shaded
            beyond = np.abs(r) > threshold
            for side in (r < 0, r > 0):
                ax.fill_between(
                    r[beyond & side],
                    y[beyond & side],
                    color=colour,
                    alpha=0.3,
                    lw=0,
                    gid="beyond",
                )
            text += "\n" + rf"shaded: $|\rho| > {threshold:g}$"
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
    ax.figure.suptitle(title)
    attach_claim(ax.figure, Claim(title, numbers, curves))
    return ax


def slice_boundary(rho_xy: float, n: int = 721) -> np.ndarray:
    r"""The valid :math:`(\rho_{xz}, \rho_{yz})` for a fixed :math:`\rho_{xy}`: an ellipse.

    With :math:`a = \rho_{xy}` fixed, :math:`\det R = 1 - a^2 - b^2 - c^2 + 2abc \geq 0` is
    the ellipse :math:`u^2 / (1 + a) + v^2 / (1 - a) \leq 1` in the rotated coordinates
    :math:`u = (b + c) / \sqrt 2`, :math:`v = (b - c) / \sqrt 2`; it touches the square
    :math:`[-1, 1]^2` where :math:`b = \pm 1`, :math:`c = \pm a` (and vice versa).

    Parameters
    ----------
    rho_xy : float
        In (-1, 1).
    n : int
        Points on the closed boundary (first equals last).

    Returns
    -------
    ndarray of shape (n, 2)
        :math:`(\rho_{xz}, \rho_{yz})` on the boundary, where :math:`\det R = 0`.

    Examples
    --------
    >>> b, c = slice_boundary(0.9, n=5).T
    >>> bool(np.allclose(1 - 0.81 - b**2 - c**2 + 1.8 * b * c, 0))
    True
    """
    a = float(rho_xy)
    if not abs(a) < 1:
        raise ValueError(f"rho_xy must lie in (-1, 1), got {rho_xy}")
    t = np.linspace(0.0, 2 * np.pi, n)
    u, v = np.sqrt(1 + a) * np.cos(t), np.sqrt(1 - a) * np.sin(t)
    return np.column_stack([(u + v) / np.sqrt(2), (u - v) / np.sqrt(2)])


def slice_det(rho_xy: float, rho_xz: ArrayLike, rho_yz: ArrayLike) -> np.ndarray:
    r""":math:`\det R` of the 3 x 3 correlation matrix with the given off-diagonal entries.

    Examples
    --------
    >>> round(float(slice_det(0.9, 0.8, -0.9)), 2)
    -2.56
    """
    b, c = np.asarray(rho_xz, dtype=float), np.asarray(rho_yz, dtype=float)
    return 1 - rho_xy**2 - b**2 - c**2 + 2 * rho_xy * b * c


def nearest_on_slice(rho_xy: float, rho_xz: float, rho_yz: float) -> tuple[float, float]:
    r"""The valid :math:`(\rho_{xz}, \rho_{yz})` nearest the given pair, :math:`\rho_{xy}` kept.

    Nearest in Euclidean distance in the plane, which is the Frobenius distance between the
    matrices divided by :math:`\sqrt 2`. A valid pair is its own nearest; an invalid one's
    nearest lies on the ellipse :func:`slice_boundary`.

    Examples
    --------
    >>> [round(v, 2) for v in nearest_on_slice(0.9, 0.8, -0.9)]
    [0.18, -0.27]
    >>> nearest_on_slice(0.9, 0.8, 0.7)
    (0.8, 0.7)
    """
    from scipy.optimize import minimize_scalar

    if slice_det(rho_xy, rho_xz, rho_yz) >= 0:
        return float(rho_xz), float(rho_yz)
    a = float(rho_xy)

    def distance(t: float) -> float:
        u, v = np.sqrt(1 + a) * np.cos(t), np.sqrt(1 - a) * np.sin(t)
        b, c = (u + v) / np.sqrt(2), (u - v) / np.sqrt(2)
        return float((b - rho_xz) ** 2 + (c - rho_yz) ** 2)

    grid = np.linspace(0.0, 2 * np.pi, 3601)
    start = grid[int(np.argmin([distance(t) for t in grid]))]
    best = minimize_scalar(distance, bounds=(start - 0.01, start + 0.01), method="bounded")
    u, v = np.sqrt(1 + a) * np.cos(best.x), np.sqrt(1 - a) * np.sin(best.x)
    return float((u + v) / np.sqrt(2)), float((u - v) / np.sqrt(2))


def _tex_number(value: float, spec: str) -> str:
    """A number for mathtext with a leading minus braced, ``{-}0.27``: a sign, not an operator.

    Unbraced, mathtext sets a minus after a comma as a binary minus, with a space.

    Examples
    --------
    >>> _tex_number(-0.2712, ".2f"), _tex_number(0.8, "g")
    ('{-}0.27', '0.8')
    """
    text = format(value, spec)
    return "{-}" + text[1:] if text.startswith("-") else text


def plot_correlation_slice(
    rho_xy: float, rho_xz: float, rho_yz: float, *, fig: Figure | None = None
) -> Figure:
    r"""A slice of the elliptope: with :math:`\rho_{xy}` fixed, the valid other two correlations.

    The valid :math:`(\rho_{xz}, \rho_{yz})` fill an ellipse (:func:`slice_boundary`, shaded
    and outlined, label ``"$\det R = 0$"``) inside the square where each correlation alone is
    in [-1, 1]. The asked pair ``(rho_xz, rho_yz)`` is marked with an "X"; if it lies outside,
    a dashed line joins it to the nearest valid pair (:func:`nearest_on_slice`, marked "o").
    The dotted line at ``rho_xz`` holds the interval of :math:`\rho_{yz}` that
    :func:`plot_feasible_interval` shows (its chord of the ellipse, label "interval"). Equal
    aspect: both axes are correlations. The title states whether the asked pair is valid and
    its nearest valid pair; the claim has ``numbers`` ``rho_xy``, ``rho_xz``, ``rho_yz``,
    ``det``, ``nearest_xz``, ``nearest_yz`` and ``data`` ``boundary``.

    Returns
    -------
    Figure
        One axes.
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    ax = fig.subplots()
    ok, bad = "C2", "C5"
    ring = slice_boundary(rho_xy)
    square = ([-1, 1, 1, -1, -1], [-1, -1, 1, 1, -1])
    ax.plot(*square, color="0.55", lw=1.5, ls="--", label="each correlation alone in $[-1, 1]$")
    ax.fill(ring[:, 0], ring[:, 1], color=ok, alpha=0.25, lw=0, label=r"valid: $\det R > 0$")
    ax.plot(ring[:, 0], ring[:, 1], color=darker(ok, 0.1), lw=3.5, label=r"$\det R = 0$")
    low, high = feasible_rho_interval(rho_xy, rho_xz)
    ax.axvline(rho_xz, color="0.3", ls=":", lw=1.5)
    ax.plot(
        [rho_xz, rho_xz],
        [low, high],
        color=darker(ok, 0.45),
        lw=8,
        solid_capstyle="butt",
        label=rf"$\rho_{{xz}} = {rho_xz:g}$: $\rho_{{yz}}$ in [{low:.2f}, {high:.2f}]"
        "\n(the last slide's interval)",
    )
    det = float(slice_det(rho_xy, rho_xz, rho_yz))
    near = nearest_on_slice(rho_xy, rho_xz, rho_yz)
    inside = det >= 0
    ax.plot(
        [rho_xz],
        [rho_yz],
        marker="X",
        ms=24,
        color=bad,
        mec="black",
        ls="none",
        zorder=5,
        label=rf"asked: $\det R = {det:.2f}$",
    )
    if not inside:
        ax.plot([rho_xz, near[0]], [rho_yz, near[1]], color="black", lw=2.5, ls="--", zorder=4)
        ax.plot(
            [near[0]],
            [near[1]],
            marker="o",
            ms=17,
            color=ok,
            mec="black",
            ls="none",
            zorder=5,
            label="nearest valid pair",
        )
    for setter in (ax.set_xticks, ax.set_yticks):
        setter([-1, -0.5, 0, 0.5, 1])
    ax.set_xlim(-1.08, 1.08)
    ax.set_ylim(-1.08, 1.08)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(r"$\rho_{xz}$")
    ax.set_ylabel(r"$\rho_{yz}$", rotation=0, labelpad=16)
    ax.legend(
        loc="center left",
        bbox_to_anchor=(1.03, 0.5),
        title=rf"$\rho_{{xy}} = {rho_xy:g}$ held fixed",
        title_fontsize=20,
        fontsize=17,
        labelspacing=1.0,
        alignment="left",
    )
    where = f"$({_tex_number(rho_xz, 'g')}, {_tex_number(rho_yz, 'g')})$"
    if inside:
        verdict = f"{where} is valid"
    else:
        pair = f"{_tex_number(near[0], '.2f')}, {_tex_number(near[1], '.2f')}"
        verdict = f"{where} is invalid; nearest valid pair: $({pair})$"
    text = rf"With $\rho_{{xy}} = {rho_xy:g}$, {verdict}"
    fig.suptitle(text)
    numbers = {
        "rho_xy": float(rho_xy),
        "rho_xz": float(rho_xz),
        "rho_yz": float(rho_yz),
        "det": det,
        "nearest_xz": near[0],
        "nearest_yz": near[1],
    }
    return attach_claim(fig, Claim(text, numbers, {"boundary": ring}))


#: The colours of the Cholesky slide's six sectors of directions of z: the palette without its
#: yellow (pale on white), ordered so that neighbouring sectors differ in lightness.
SECTOR_COLOURS: tuple[str, ...] = (
    PALETTE[0],
    PALETTE[1],
    PALETTE[2],
    PALETTE[5],
    PALETTE[4],
    PALETTE[3],
)


def direction_sector(z: ArrayLike, sectors: int = len(SECTOR_COLOURS)) -> np.ndarray:
    """The sector of each row's direction: 0 to ``sectors`` - 1, counter-clockwise from e_1.

    Examples
    --------
    >>> direction_sector([[1.0, 0.1], [0.0, 1.0], [-1.0, -0.1]]).tolist()
    [0, 1, 3]
    """
    pts = np.asarray(z, dtype=float)
    angle = np.mod(np.arctan2(pts[:, 1], pts[:, 0]), 2 * np.pi)
    return np.minimum((angle / (2 * np.pi) * sectors).astype(int), sectors - 1)


def _even_limit(half: float) -> float:
    """Half-width of a panel: ``half`` rounded up to an even number, plus a margin."""
    return 2.0 * np.ceil(half / 2.0) + 0.4


def plot_cholesky_map(
    cov: ArrayLike, *, n: int = 150, rng: int = 0, fig: Figure | None = None
) -> Figure:
    r"""Z ~ N(0, I) on the left, x = L z ~ N(0, Sigma) on the right, each draw coloured alike.

    Each draw's colour is the sector of its direction in z (:func:`direction_sector`,
    :data:`SECTOR_COLOURS`), kept on the right, so one sees where each wedge goes (a note at
    the foot says so). Both panels have equal aspect and the same limits and ticks. The unit
    vectors :math:`e_1, e_2` and the unit square are drawn on the left, their images on the
    right: the columns :math:`L e_1, L e_2` of the Cholesky factor, labelled with their
    values, and the parallelogram they span. :math:`L` is typeset between the panels and
    attached as the figure's :class:`~teachkit.figure_entry.Claim` (``numbers`` ``L11``,
    ``L21``, ``L22``; ``data`` ``z`` and ``x``).

    Returns
    -------
    Figure
        Two axes titled "z ~ N(0, I)" and "x = L z ~ N(0, Σ)", each with one scatter of ``n``
        points, the 94% ellipse of its distribution (its one line), the unit square or its
        image (a patch) and two arrows (annotations without text); a middle axes, off, with
        the arrow and :math:`L`.
    """
    from matplotlib import patheffects
    from matplotlib.patches import Polygon

    c = np.asarray(cov, dtype=float)
    factor = cholesky_factor(c)
    z = np.random.default_rng(rng).standard_normal((n, 2))
    x = z @ factor.T
    colours = np.array(SECTOR_COLOURS)[direction_sector(z)]
    fig = fig if fig is not None else plt.figure(layout="constrained")
    left, middle, right = fig.subplots(1, 3, width_ratios=(1, 0.2, 1))
    # square panels (tall, not strips), about 2.7 of the largest sd either side, every draw in
    reach = max(np.ceil(5.4 * float(np.sqrt(np.diag(c)).max())) / 2, 1.05 * float(np.abs(x).max()))
    lim = [max(4.5, reach)] * 2
    halo = [patheffects.withStroke(linewidth=7, foreground="white")]
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    for ax, pts, cv, title, names, arrows in (
        (left, z, np.eye(2), r"$z \sim N(0, I)$", ("$z_1$", "$z_2$"), np.eye(2)),
        (right, x, c, r"$x = L z \sim N(0, \Sigma)$", ("$x_1$", "$x_2$"), factor),
    ):
        ax.add_patch(Polygon(square @ arrows.T, closed=True, fc=(0.4, 0.4, 0.4, 0.55), ec="black",
                             lw=2.5, zorder=4))  # fmt: skip
        ax.scatter(pts[:, 0], pts[:, 1], c=colours, s=30, alpha=0.5, linewidths=0, zorder=2)
        ring = ellipse([0.0, 0.0], cv, mass=0.94)
        ax.plot(ring[:, 0], ring[:, 1], color="black", lw=1.5, ls="--", label="94% ellipse")
        for k in range(2):
            tip = arrows[:, k]
            props = {
                "arrowstyle": "-|>,head_width=0.2,head_length=0.4",
                "lw": 5,
                "color": "black",
                "shrinkA": 0,
                "shrinkB": 0,
                "path_effects": halo,
            }
            ax.annotate("", tip, (0.0, 0.0), arrowprops=props, zorder=6)
            name = rf"$e_{k + 1}$" if ax is left else rf"$L e_{k + 1}$"
            ax.annotate(
                name,
                tip,
                xytext=(10, -34) if k == 0 else (-10, 12),
                textcoords="offset points",
                ha="left" if k == 0 else "right",
                fontsize=24,
                zorder=7,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            )
        ax.set_xlim(-lim[0], lim[0])
        ax.set_ylim(-lim[1], lim[1])
        ax.set_xticks(np.arange(-2 * np.floor(lim[0] / 2), lim[0], 2.0))
        ax.set_yticks(np.arange(-2 * np.floor(lim[1] / 2), lim[1], 2.0))
        ax.set_aspect("equal", adjustable="box")
        ax.set_title(title)
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[1], rotation=0, labelpad=14)
    left.legend(loc="lower left", handlelength=1.5)
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
        fontsize=24,
    )
    middle.text(
        0.5,
        0.42,
        r"$\Sigma = L L^\top$",
        transform=middle.transAxes,
        ha="center",
        va="top",
        fontsize=22,
    )
    note(
        fig,
        f"Each of the {n} draws keeps its colour from z to x = L z (the colour: the direction "
        "of z, in six sectors); grey: the unit square and its image",
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


#: The groups of draws (by :math:`\sigma_1`) whose median :math:`|\rho|` the Wishart slide draws.
DEPENDENCE_GROUPS = 10
#: The :math:`\sigma_1` axis of the Wishart slide (log scale): draws outside are counted.
SIGMA_RANGE = (0.03, 30.0)


def binned_medians(
    sd: ArrayLike, size: ArrayLike, groups: int = DEPENDENCE_GROUPS
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""Split the draws into ``groups`` equal groups by ``sd``; each group's medians and quartiles.

    Returns
    -------
    centre, median, low, high : ndarray of shape (groups,)
        The median of ``sd`` in each group, and the median, first and third quartile of
        ``size`` there.

    Examples
    --------
    >>> c, m, lo, hi = binned_medians([1, 2, 3, 4], [0.1, 0.2, 0.3, 0.4], groups=2)
    >>> c.tolist(), m.tolist()
    ([1.5, 3.5], [0.15000000000000002, 0.35])
    """
    x, y = np.asarray(sd, dtype=float), np.asarray(size, dtype=float)
    chunks = np.array_split(np.argsort(x, kind="stable"), groups)
    centre = np.array([np.median(x[c]) for c in chunks])
    low, median, high = (
        np.array([np.quantile(y[c], q) for c in chunks]) for q in (0.25, 0.5, 0.75)
    )
    return centre, median, low, high


def plot_prior_dependence(
    draws: Sequence[tuple[ArrayLike, ArrayLike]],
    names: Sequence[str],
    *,
    short_names: Sequence[str] | None = None,
    fig: Figure | None = None,
) -> Figure:
    r"""Prior draws of :math:`(\sigma_1, |\rho|)`, one panel per prior, with the same axes.

    Each panel shows its draws (:math:`\sigma_1` on a log axis, the size :math:`|\rho|` of
    the correlation from 0 to 1) and a black line through the median :math:`|\rho|` of each
    tenth of the draws ordered by :math:`\sigma_1` (:func:`binned_medians`, drawn at the
    tenth's median :math:`\sigma_1`), with the middle half of :math:`|\rho|` shaded: a
    rising line shows that the prior ties the correlation to the scale. The rank correlation
    of :math:`\sigma_1` and :math:`|\rho|` (:func:`rank_dependence`) is written in each panel
    and stated in the title, which says a prior ties them when its absolute value is at least
    :data:`DEPENDENT_RANK` and does not otherwise. The claim attached to the figure has
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
        One axes per prior, sharing both axes: a scatter of :math:`(\sigma_1, |\rho|)` and
        the median line (label ``"median |rho|"``); the claim attached.
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    axes = fig.subplots(1, len(draws), sharex=True, sharey=True, squeeze=False)[0]
    ranks, data, hidden = {}, {}, []
    for k, (ax, (sd, rho), name) in enumerate(zip(axes, draws, names, strict=True)):
        sd, rho = np.asarray(sd, dtype=float), np.asarray(rho, dtype=float)
        size = np.abs(rho)
        data[f"sigma_{k}"], data[f"rho_{k}"] = sd, rho
        rank = ranks[f"rank_{k}"] = rank_dependence(sd, rho)
        hidden.append(int(np.sum((sd < SIGMA_RANGE[0]) | (sd > SIGMA_RANGE[1]))))
        colour = f"C{k}"
        ax.scatter(sd, size, s=10, alpha=0.3, color=colour, linewidths=0)
        centre, median, low, high = binned_medians(sd, size)
        ax.fill_between(
            centre, low, high, color=darker(colour, 0.3), alpha=0.3, lw=0, label="middle half"
        )
        ax.plot(centre, median, color="black", lw=4, marker="o", ms=9, label="median |rho|")
        ax.text(
            0.03,
            0.97,
            rf"rank correlation ${rank:.2f}$",
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=20,
            color=darker(colour, 0.3),
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
        )
        ax.set_xscale("log")
        ax.set_xlim(*SIGMA_RANGE)
        ax.set_xticks([0.1, 1, 10], ["0.1", "1", "10"])
        ax.set_ylim(0, 1.08)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
        ax.set_title(name, color=darker(colour, 0.2))
        ax.set_xlabel(r"$\sigma_1$ (log scale)")
    axes[0].set_ylabel(r"size of the correlation $|\rho|$")
    key = [  # named below the panels, not over the draws
        Line2D([], [], color="black", lw=4, marker="o", ms=9),
        Patch(color="0.55", alpha=0.5, lw=0),
    ]
    fig.legend(
        key,
        [r"median $|\rho|$ per tenth of the draws", r"middle half of $|\rho|$"],
        loc="outside lower left",
        ncols=2,
        fontsize=17,
        frameon=False,
    )
    note(
        fig,
        r"tenths of the draws ordered by $\sigma_1$; "
        f"{len(draws[0][0])} draws per prior ({' and '.join(str(h) for h in hidden)} "
        r"off the $\sigma_1$ axis)",
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
    rho_xy: float,
    rho_xz: float,
    rho_yz: float,
    *,
    zoom: float = 1.6,
    fig: Figure | None = None,
) -> Figure:
    r"""Which :math:`\rho_{yz}` make a valid 3 x 3 correlation matrix, given the other two.

    Top: the line from -1 to 1 with the feasible interval of :math:`\rho_{yz}`
    (:func:`teachkit.covariance.feasible_interval`) as a thick bar and the asked value
    ``rho_yz`` marked. Bottom, on the same :math:`\rho_{yz}` axis:
    :math:`\det R = 1 - \rho_{xy}^2 - \rho_{xz}^2 - \rho_{yz}^2 + 2\rho_{xy}\rho_{xz}\rho_{yz}`,
    negative (shaded) exactly outside the interval. The determinant's axis spans
    :math:`\pm` ``zoom`` times its largest value, so that its small positive part is seen;
    an asked value whose determinant falls below is pointed at from the axis' foot. The title
    states the interval and whether the asked value lies in it; the claim attached has
    ``numbers`` ``low``, ``high``, ``asked`` and ``det_asked``, and ``data`` ``rho_yz`` and
    ``det`` (the drawn curve).

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
    peak = int(np.argmax(det))
    span = zoom * max(float(det[peak]), 0.01)  # the positive part fills 1 / (2 zoom) of it
    bottom.set_ylim(-span, span)
    seen = -span <= det_asked <= span
    if seen:
        bottom.plot([rho_yz], [det_asked], marker="X", ms=18, color=bad, mec="black", ls="none")
    where = (rho_yz, det_asked if seen else -span)
    bottom.annotate(
        rf"asked: $\det R = {det_asked:.2f}{' < 0' if not inside else ''}$"
        + (": not a correlation matrix" if not inside else "")
        + ("" if seen else "\n(far below: the axis is zoomed in)"),
        where,
        xytext=(-6, 90) if not seen else (16, 0),
        textcoords="offset points",
        ha="left",
        va="bottom" if not seen else "center",
        fontsize=17,
        color=darker(bad),
        arrowprops=None
        if seen
        else {"arrowstyle": "-|>", "color": darker(bad), "lw": 3, "relpos": (0.0, 0.0)},
    )
    bottom.yaxis.set_major_locator(plt.MaxNLocator(5, symmetric=True))
    if det[peak] > 0:
        bottom.annotate(
            rf"$\det R \geq 0$ only inside the interval (at most ${det[peak]:.2f}$)",
            (t[peak], det[peak]),
            xytext=(-40, 20),
            textcoords="offset points",
            ha="right",
            va="bottom",
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
