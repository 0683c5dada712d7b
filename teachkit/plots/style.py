"""The slide style: 16:9 figures, large fonts, a colour-blind-safe palette.

Applied through a context manager so that importing teachkit never changes matplotlib's
global settings::

    with slide_style():
        fig = plot_lkj_marginals(...)
        fig.savefig("lkj.png")
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
from cycler import cycler

__all__ = [
    "GENDER_COLORS",
    "PALETTE",
    "SLIDE_SIZE",
    "STATION_COLORS",
    "slide_style",
    "station_color",
]

#: Okabe and Ito (2008), "Color universal design": distinguishable with every common form of
#: colour-vision deficiency. Black is left out of the cycle; it is kept for reference lines.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
)

#: One colour per station, the same in every figure: Paul Tol's colour-blind-safe "muted"
#: scheme (9 colours) followed by three Okabe-Ito colours it lacks. Station j gets entry j.
STATION_COLORS: tuple[str, ...] = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77",
    "#CC6677", "#882255", "#AA4499", "#E69F00", "#0072B2", "#D55E00",
)  # fmt: skip

#: Colours of the two genders in the grants figures.
GENDER_COLORS: dict[str, str] = {"f": PALETTE[0], "m": PALETTE[1]}


def station_color(j: int) -> str:
    """The colour of station ``j`` (cycling after 12 stations)."""
    return STATION_COLORS[int(j) % len(STATION_COLORS)]


#: Width and height in inches of a full 16:9 slide figure.
SLIDE_SIZE: tuple[float, float] = (13.33, 7.5)

_RC: dict[str, Any] = {
    "figure.figsize": SLIDE_SIZE,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 16,
    "axes.titlesize": 20,
    "axes.labelsize": 18,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 15,
    "legend.frameon": False,
    "figure.titlesize": 24,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=PALETTE),
    "lines.linewidth": 2.5,
    "image.cmap": "viridis",
}


@contextmanager
def slide_style(**overrides: Any) -> Iterator[None]:
    """Temporarily apply the slide style (plus any rcParams ``overrides``).

    Only the style parameters it sets are saved and restored, never the backend or
    interactive mode: ``matplotlib.rc_context`` would restore those too, and in a notebook
    that turns the inline backend's interactive mode off after the first figure.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with slide_style():
    ...     mpl.rcParams["figure.figsize"]
    [13.33, 7.5]
    """
    style = {**_RC, **overrides}
    saved = {key: mpl.rcParams[key] for key in style}
    try:
        mpl.rcParams.update(style)
        yield
    finally:
        mpl.rcParams.update(saved)
