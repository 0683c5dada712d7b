"""The slide style: one 16:9 canvas, large fonts, a colour-blind-safe palette.

Applied through a context manager so that importing teachkit never changes matplotlib's
global settings::

    with slide_style():
        fig = plot_lkj_marginals(...)
    save_slide(fig, "lkj.png")

Every slide figure has the same canvas, :data:`SLIDE_SIZE` inches at :data:`SLIDE_DPI`, i.e.
1920 x 1080 pixels as PNG and 12.8 x 7.2 inches as SVG or PDF. Figures are laid out by
matplotlib's constrained layout and never cropped to a tight bounding box (which gives every
figure a different size); :func:`save_slide` saves them so.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from cycler import cycler

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "GENDER_COLORS",
    "PALETTE",
    "PNG_COMPRESSION",
    "SLIDE_DPI",
    "SLIDE_PIXELS",
    "SLIDE_SIZE",
    "STATION_COLORS",
    "darker",
    "save_slide",
    "savefig_options",
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
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#E69F00",
    "#0072B2",
    "#D55E00",
)

#: Colours of the two genders in the grants figures.
GENDER_COLORS: dict[str, str] = {"f": PALETTE[0], "m": PALETTE[1]}


def station_color(j: int) -> str:
    """The colour of station ``j`` (cycling after 12 stations)."""
    return STATION_COLORS[int(j) % len(STATION_COLORS)]


def darker(color: Any, amount: float = 0.35) -> tuple[float, float, float]:
    """``color`` mixed with ``amount`` of black: light colours stay readable as text.

    Examples
    --------
    >>> darker("#ffffff", 0.5)
    (0.5, 0.5, 0.5)
    """
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (r * (1 - amount), g * (1 - amount), b * (1 - amount))


#: Width and height in pixels of every slide figure saved as PNG (16:9, full HD).
SLIDE_PIXELS: tuple[int, int] = (1920, 1080)
#: Dots per inch of a saved slide figure.
SLIDE_DPI = 150
#: Width and height in inches of every slide figure: SLIDE_PIXELS / SLIDE_DPI.
SLIDE_SIZE: tuple[float, float] = (SLIDE_PIXELS[0] / SLIDE_DPI, SLIDE_PIXELS[1] / SLIDE_DPI)

_RC: dict[str, Any] = {
    "figure.figsize": SLIDE_SIZE,
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "savefig.dpi": SLIDE_DPI,
    "savefig.bbox": "standard",  # the whole canvas: never cropped to a tight box
    "savefig.facecolor": "white",
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
    [12.8, 7.2]
    """
    style = {**_RC, **overrides}
    saved = {key: mpl.rcParams[key] for key in style}
    try:
        mpl.rcParams.update(style)
        yield
    finally:
        mpl.rcParams.update(saved)


#: zlib level of the PNG files teachkit writes. Slides are mostly flat colour: level 1 gives
#: files within a few per cent of matplotlib's default level 6 (8.5 against 8.3 MB for the
#: lecture's slides) in about 60% of the time, and saving is what a warm lecture waits for.
PNG_COMPRESSION = 1


def savefig_options(path: str | Path) -> dict[str, Any]:
    """Keyword arguments of ``Figure.savefig`` for ``path``: the PNG compression for a PNG."""
    if Path(path).suffix.lower() == ".png":
        return {"pil_kwargs": {"compress_level": PNG_COMPRESSION}}
    return {}


def save_slide(fig: Figure, path: str | Path) -> Path:
    """Save ``fig`` on the slide canvas, atomically: PNG, SVG or PDF by the path's suffix.

    The figure is set to :data:`SLIDE_SIZE` and saved at :data:`SLIDE_DPI` on the whole
    canvas (no tight cropping, whatever the user's matplotlibrc says), so a PNG is exactly
    :data:`SLIDE_PIXELS`.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> import matplotlib.image as mpimg
    >>> import matplotlib.pyplot as plt
    >>> path = save_slide(plt.figure(), Path(tempfile.mkdtemp()) / "empty.png")
    >>> mpimg.imread(path).shape[:2]
    (1080, 1920)
    """
    from teachkit.files import atomic_write

    # A figure drawn without a layout engine (axes at fixed positions) keeps none: under the
    # slide style's rc, matplotlib would give it constrained layout when it is saved.
    fixed = fig.get_layout_engine() is None

    def write(target: Path) -> None:
        with slide_style(), mpl.rc_context({"figure.constrained_layout.use": not fixed}):
            fig.set_size_inches(SLIDE_SIZE)
            fig.savefig(target, dpi=SLIDE_DPI, **savefig_options(target))

    return atomic_write(path, write)
