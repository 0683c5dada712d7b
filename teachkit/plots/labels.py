r"""Text on the slides: typeset symbols for parameter names, readable model names, direct labels.

Every Greek letter and subscript on a slide figure is matplotlib mathtext (``$\alpha_j$``,
``$\sigma_\beta$``), never a literal ``α_j``; code names such as ``varying_intercepts`` are
shown with spaces. Labels that name lines are placed beside their ends and spread apart so
they never overlap (:func:`spread`, :func:`label_ends`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from numpy.typing import ArrayLike

from teachkit.plots.style import darker

__all__ = ["GREEK", "label_ends", "matrix_tex", "note", "plain", "spread", "symbol"]

#: Greek letters of the canonical parameter names, as mathtext commands.
GREEK: dict[str, str] = {
    name: "\\" + name
    for name in ("alpha", "beta", "gamma", "delta", "eta", "mu", "rho", "sigma", "tau")
}


def _math(part: str) -> str:
    return GREEK.get(part, part)


def symbol(name: str) -> str:
    r"""The mathtext symbol of a canonical parameter name (or the name with spaces).

    Examples
    --------
    >>> print(symbol("sigma_beta"), symbol("alpha[3]"), symbol("rho"), symbol("gender_gap"))
    $\sigma_\beta$ $\alpha_{3}$ $\rho$ gender gap
    """
    match = re.fullmatch(r"([a-z]+)(?:_([a-z]+))?(?:\[(.+)\])?", name)
    if match is None or match.group(1) not in GREEK:
        return plain(name)
    base, sub, index = match.groups()
    if sub is not None and sub not in GREEK:
        return plain(name)
    subscripts = [_math(s) for s in (sub, index) if s is not None]
    text = _math(base)
    if subscripts:
        text += "_{" + ",".join(subscripts) + "}" if index is not None else "_" + subscripts[0]
    return f"${text}$"


def plain(name: str) -> str:
    """A code name as words: underscores become spaces.

    Examples
    --------
    >>> plain("varying_intercepts")
    'varying intercepts'
    """
    return name.replace("_", " ")


def spread(
    values: ArrayLike, gap: float, *, low: float = -np.inf, high: float = np.inf
) -> np.ndarray:
    """Move label positions apart so neighbours are at least ``gap`` apart, changing them little.

    Positions keep their order; the result stays within [low, high] when there is room.

    Parameters
    ----------
    values : array_like of shape (n,)
        Wanted positions (e.g. the y values of line ends).
    gap : float
        Smallest distance between two neighbouring labels, in the same units.

    Returns
    -------
    ndarray of shape (n,)
        The positions, in the order of ``values``.

    Examples
    --------
    >>> spread([0.0, 0.1, 0.2, 5.0], 1.0).round(2).tolist()
    [-0.9, 0.1, 1.1, 5.0]
    """
    y = np.asarray(values, dtype=float)
    order = np.argsort(y, kind="stable")
    wanted = y[order]
    # Pool-adjacent-violators on the shifted positions: the least-squares placement with gaps.
    shift = gap * np.arange(len(wanted))
    blocks: list[list[float]] = []  # [mean of (wanted - shift), count]
    for value in wanted - shift:
        blocks.append([value, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            v2, n2 = blocks.pop()
            v1, n1 = blocks.pop()
            blocks.append([(v1 * n1 + v2 * n2) / (n1 + n2), n1 + n2])
    placed = np.concatenate([np.full(int(n), v) for v, n in blocks]) + shift
    if len(placed):
        placed += max(0.0, low - placed[0]) - max(0.0, placed[-1] - high)
    out = np.empty_like(placed)
    out[order] = placed
    return out


def label_ends(
    ax: Axes,
    x: float,
    y: ArrayLike,
    names: Sequence[str],
    colors: Sequence[str],
    *,
    gap: float | None = None,
    dx: float | None = None,
    fontsize: float = 13,
    text_color: str | None = None,
) -> list:
    """Name lines at their right ends (``x``, ``y``), labels spread apart, joined by thin leaders.

    Parameters
    ----------
    ax : Axes
        The axes; its y limits must be final (the gap is a fraction of their span).
    x : float
        Where the lines end; labels go right of it.
    y : array_like of shape (n,)
        Each line's value at ``x``.
    names, colors : sequences of length n
    gap : float, optional
        Smallest vertical distance between labels in data units (default: 4.5% of the y span).
    dx : float, optional
        Horizontal distance of the labels from ``x`` (default: 3% of the x span).
    text_color : str, optional
        One colour for every label (default: each line's colour, darkened to read as text).

    Returns
    -------
    list of Text
        One label per line, in the order of ``names``.
    """
    y0, y1 = ax.get_ylim()
    x0, x1 = ax.get_xlim()
    gap = gap if gap is not None else 0.045 * (y1 - y0)
    dx = dx if dx is not None else 0.03 * (x1 - x0)
    placed = spread(y, gap, low=y0 + gap / 2, high=y1 - gap / 2)
    texts = []
    for yi, yl, name, colour in zip(np.ravel(y), placed, names, colors, strict=True):
        ax.plot([x, x + dx * 0.8], [yi, yl], color=colour, lw=1.2, clip_on=False)
        texts.append(
            ax.text(
                x + dx,
                yl,
                name,
                color=text_color or darker(colour),
                fontsize=fontsize,
                va="center",
                ha="left",
                clip_on=False,
            )
        )
    return texts


def note(fig: Figure, text: str) -> Text:
    """Say at the figure's foot what data it shows (e.g. "Beijing, 12 stations, 5 days each").

    Laid out by constrained layout like an x label of the whole figure.
    """
    return fig.supxlabel(text, x=0.995, ha="right", fontsize=12, color="0.3")


def matrix_tex(matrix: np.ndarray | list, fmt: str = "{:g}") -> str:
    r"""A 2 x 2 matrix as mathtext (no ``$``): two display-size columns in brackets.

    Mathtext has no ``pmatrix``; ``\genfrac`` without a bar stacks a column.

    Examples
    --------
    >>> matrix_tex([[4.0, -1.6], [-1.6, 1.0]])
    '\\left[\\genfrac{}{}{0}{0}{4}{-1.6}\\quad\\genfrac{}{}{0}{0}{-1.6}{1}\\right]'
    """
    m = np.asarray(matrix, dtype=float)
    cols = [
        rf"\genfrac{{}}{{}}{{0}}{{0}}{{{fmt.format(m[0, j])}}}{{{fmt.format(m[1, j])}}}"
        for j in range(m.shape[1])
    ]
    return r"\left[" + r"\quad".join(cols) + r"\right]"
