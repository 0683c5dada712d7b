"""Hand-laid plate diagrams: a model's variables, who depends on whom, and the plates they sit on.

PyMC's own diagram (:mod:`teachkit.plots.graph`) shows every variable the code names,
deterministic splits and data containers included. A slide needs the model as the lecture
writes it, so these diagrams are laid out by hand: a :class:`PlateDiagram` lists nodes (each
standing for one model variable, with its typeset label, its distribution or formula and its
place), edges (parent to child) and plates (rectangles, nested or not), and
:func:`plot_plate_diagram` draws it with matplotlib.

Conventions (as in Bishop 2006, ch. 8, and Kruschke 2015, ch. 9): a random variable is an
ellipse, an observed one a shaded ellipse, a deterministic (computed) one a white box, data a
shaded box (:func:`plot_plate_diagram` can draw a key of these shapes); an arrow points
from a parent to the variable whose distribution (or formula) uses it; a plate
repeats what is inside it once per index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse, FancyBboxPatch, Patch

__all__ = [
    "KIND_NAMES",
    "NODE_HEIGHT",
    "Node",
    "Plate",
    "PlateDiagram",
    "plot_plate_diagram",
]

NodeKind = Literal["random", "observed", "deterministic", "data"]

#: Height of a node in the diagram's units (the canvas is 16 x 9 units, one unit 0.8 inch on
#: a 12.8-inch slide): room for a subscripted label at the label size.
NODE_HEIGHT = 1.0
#: Font sizes (points) of the node labels, the distributions beside them and the plate labels.
LABEL_SIZE, TEXT_SIZE, PLATE_SIZE = 26, 19, 17
#: Fill colours of observed variables and of data: one shade, so that "shaded" reads as "known".
OBSERVED_FILL = DATA_FILL = "0.78"
#: What the key calls each kind of node, in the key's order.
KIND_NAMES: dict[str, str] = {"random": "random", "deterministic": "computed",
                              "observed": "observed", "data": "data"}  # fmt: skip
#: Size of the key's shapes (width, height) and of its labels (points).
KEY_SHAPE, KEY_SIZE = (0.8, 0.5), 16


@dataclass(frozen=True)
class Node:
    r"""One variable of the diagram.

    Attributes
    ----------
    name : str
        The model variable it stands for (e.g. ``"mu_alpha"``); tests match it to the model.
    label : str
        Its typeset name (mathtext), written inside the node.
    xy : (float, float)
        Centre, in diagram units (the canvas is 16 x 9).
    kind : {"random", "observed", "deterministic", "data"}
    text : str
        Its distribution or formula (``r"$\sim \mathrm{Normal}(0, 2)$"``), written beside it.
    text_offset : (float, float)
        Where ``text`` goes, relative to the centre.
    text_align : str
        Horizontal alignment of ``text`` ("left", "center", "right").
    width : float
        Width of the node in diagram units.
    """

    name: str
    label: str
    xy: tuple[float, float]
    kind: NodeKind = "random"
    text: str = ""
    text_offset: tuple[float, float] = (0.0, -0.8)
    text_align: str = "center"
    width: float = 1.3


@dataclass(frozen=True)
class Plate:
    """A plate: what lies inside is repeated once per index.

    Attributes
    ----------
    name : str
        What it repeats over (e.g. ``"station"``); tests match it to the model's dims.
    label : str
        Written in its lower right corner (e.g. ``"stations j = 1, ..., 12"``).
    corners : (x0, y0, x1, y1)
        Lower left and upper right corner, in diagram units.
    """

    name: str
    label: str
    corners: tuple[float, float, float, float]

    def contains(self, xy: tuple[float, float]) -> bool:
        """Whether the point ``xy`` lies inside the plate."""
        x0, y0, x1, y1 = self.corners
        return x0 <= xy[0] <= x1 and y0 <= xy[1] <= y1


@dataclass(frozen=True)
class PlateDiagram:
    r"""Nodes, edges (parent name, child name) and plates of one model.

    Examples
    --------
    >>> d = PlateDiagram(
    ...     (Node("mu", "$\\mu$", (2, 6)), Node("y", "$y_i$", (2, 2), "observed")),
    ...     (("mu", "y"),),
    ...     (Plate("obs", "i = 1, ..., n", (1, 1, 3, 3)),),
    ... )
    >>> d.parents()["y"], d.on_plate("obs")
    ({'mu'}, {'y'})
    """

    nodes: tuple[Node, ...]
    edges: tuple[tuple[str, str], ...]
    plates: tuple[Plate, ...] = ()

    def __post_init__(self) -> None:
        names = [n.name for n in self.nodes]
        unknown = {e for edge in self.edges for e in edge} - set(names)
        if unknown or len(set(names)) != len(names):
            raise ValueError(f"edges name unknown nodes {sorted(unknown)} or names repeat")

    def node(self, name: str) -> Node:
        """The node called ``name``."""
        (found,) = [n for n in self.nodes if n.name == name]
        return found

    def parents(self) -> dict[str, set[str]]:
        """Each node's parents (empty set for the roots)."""
        out: dict[str, set[str]] = {n.name: set() for n in self.nodes}
        for parent, child in self.edges:
            out[child].add(parent)
        return out

    def on_plate(self, plate: str) -> set[str]:
        """The nodes inside the plate called ``plate``."""
        (found,) = [p for p in self.plates if p.name == plate]
        return {n.name for n in self.nodes if found.contains(n.xy)}


def _shape(kind: str, xy: tuple[float, float], size: tuple[float, float], gid: str) -> Patch:
    """The patch of a node of ``kind``: an ellipse or a box of ``size``, shaded if known."""
    (x, y), (width, height) = xy, size
    face = {"observed": OBSERVED_FILL, "data": DATA_FILL}.get(kind, "white")
    style = {"facecolor": face, "edgecolor": "black", "linewidth": 2.0, "zorder": 3}
    if kind in ("random", "observed"):
        return Ellipse((x, y), width, height, gid=gid, **style)
    pad = 0.12 * height / NODE_HEIGHT
    return FancyBboxPatch(
        (x - width / 2 + pad, y - height / 2 + pad),
        width - 2 * pad,
        height - 2 * pad,
        boxstyle=f"round,pad={pad}",
        gid=gid,
        **style,
    )


def _node_patch(node: Node) -> Patch:
    return _shape(node.kind, node.xy, (node.width, NODE_HEIGHT), f"node:{node.name}")


def _draw_key(ax: Axes, corner: tuple[float, float], kinds: list[str]) -> None:
    """A key of the node shapes: two columns from ``corner`` (upper left), gid ``key:<kind>``."""
    x0, y0 = corner
    width, height = KEY_SHAPE
    for k, kind in enumerate(kinds):
        x = x0 + width / 2 + (k % 2) * 3.0
        y = y0 - height / 2 - (k // 2) * (height + 0.15)
        ax.add_patch(_shape(kind, (x, y), KEY_SHAPE, f"key:{kind}"))
        ax.text(x + width / 2 + 0.2, y, KIND_NAMES[kind], ha="left", va="center",
                fontsize=KEY_SIZE, color="0.1", gid=f"key-label:{kind}")  # fmt: skip


def _draw_plate(ax: Axes, plate: Plate) -> None:
    x0, y0, x1, y1 = plate.corners
    ax.add_patch(
        FancyBboxPatch(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            boxstyle="round,pad=0,rounding_size=0.25",
            facecolor="none",
            edgecolor="0.35",
            linewidth=2.0,
            gid=f"plate:{plate.name}",
        )
    )
    ax.text(x1 - 0.2, y0 + 0.18, plate.label, ha="right", va="bottom", fontsize=PLATE_SIZE,
            color="0.2", gid=f"plate-label:{plate.name}")  # fmt: skip


def plot_plate_diagram(
    diagram: PlateDiagram,
    *,
    title: str = "",
    extent: tuple[float, float] = (16.0, 9.0),
    key: tuple[float, float] | None = None,
    fig: Figure | None = None,
) -> Figure:
    """Draw a hand-laid plate diagram on one axes without frame, equal aspect.

    Parameters
    ----------
    diagram : PlateDiagram
    title : str
        The figure's suptitle.
    extent : (width, height)
        The diagram's canvas in its own units.
    key : (x, y), optional
        Upper left corner of a key of the node shapes the diagram uses ("random",
        "computed", "observed", "data"), in diagram units; no key if None.

    Returns
    -------
    Figure
        One axes holding a patch per node (gid ``"node:<name>"``) with its label and text, an
        arrow per edge (an annotation with gid ``"edge:<parent>-><child>"``, ``xyann`` at the
        parent's centre, ``xy`` at the child's) and a patch per plate (gid
        ``"plate:<name>"``) with its label (gid ``"plate-label:<name>"``); the key's
        patches have gid ``"key:<kind>"``.
    """
    fig = fig if fig is not None else plt.figure(layout="constrained")
    ax = fig.subplots()
    ax.set_xlim(0, extent[0])
    ax.set_ylim(0, extent[1])
    ax.set_aspect("equal")
    ax.set_axis_off()
    for plate in diagram.plates:
        _draw_plate(ax, plate)
    patches: Mapping[str, Patch] = {n.name: ax.add_patch(_node_patch(n)) for n in diagram.nodes}
    for node in diagram.nodes:
        ax.text(*node.xy, node.label, ha="center", va="center", fontsize=LABEL_SIZE, zorder=4)
        if node.text:
            x, y = node.xy
            dx, dy = node.text_offset
            ax.text(x + dx, y + dy, node.text, ha=node.text_align, va="center",
                    fontsize=TEXT_SIZE, color="0.1", zorder=4)  # fmt: skip
    for parent, child in diagram.edges:
        ax.annotate(
            "",
            xy=diagram.node(child).xy,
            xytext=diagram.node(parent).xy,
            arrowprops={
                "arrowstyle": "-|>",
                "color": "0.15",
                "lw": 2.0,
                "mutation_scale": 24,
                "patchA": patches[parent],
                "patchB": patches[child],
                "shrinkA": 2,
                "shrinkB": 2,
            },
            gid=f"edge:{parent}->{child}",
            zorder=2,
        )
    if key is not None:
        used = {n.kind for n in diagram.nodes}
        _draw_key(ax, key, [k for k in KIND_NAMES if k in used])
    if title:
        fig.suptitle(title)
    return fig
