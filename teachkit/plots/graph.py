"""The model's plate diagram, through PyMC's Graphviz export.

Building the graph needs only the ``graphviz`` Python package; turning it into an image needs
Graphviz's ``dot`` program, which :func:`teachkit.figures.render` checks for first. Node names
can be typeset (Greek letters, subscripts) with Graphviz's HTML-like labels
(:func:`typeset_graph`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.image as mpimg
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

if TYPE_CHECKING:
    import graphviz
    import pymc as pm

__all__ = [
    "GRAPH_DPI",
    "GRAPH_FONT",
    "model_graph",
    "plot_graph_source",
    "plot_model_graph",
    "typeset_graph",
]

#: Resolution the diagram is rendered at, so it stays sharp on a 1920 x 1080 slide.
GRAPH_DPI = 200
#: The diagram's font (matplotlib's default, so the slide reads as one piece).
GRAPH_FONT = "DejaVu Sans"

_NODE = re.compile(r'^(\s*)(\w+) \[label="(\w+)\n~\n(\w+)"(.*)\]$', re.MULTILINE)


def model_graph(model: pm.Model, var_names: Sequence[str] | None = None) -> graphviz.Digraph:
    """The plate diagram of a PyMC model (``pm.model_to_graphviz``), not yet rendered.

    ``var_names`` keeps only those variables (and the data they need), e.g. to leave out
    derived quantities a slide does not discuss.
    """
    import pymc as pm

    return pm.model_to_graphviz(model, var_names=var_names)


def typeset_graph(source: str, labels: Mapping[str, str], *, dpi: int = GRAPH_DPI) -> str:
    r"""DOT source with each named node's label replaced by a typeset (HTML-like) one.

    Parameters
    ----------
    source : str
        DOT source from :func:`model_graph` (``.source``).
    labels : mapping of node name to HTML-like label text
        E.g. ``{"mu_alpha": "μ<SUB>α</SUB>"}``; the node keeps its distribution below the
        name. Nodes not in the mapping keep their name, with spaces for underscores.
    dpi : int
        Resolution of the rendered image.

    Returns
    -------
    str
        The new DOT source.

    Examples
    --------
    >>> dot = 'digraph {\n\tmu_alpha [label="mu_alpha\n~\nNormal" shape=ellipse]\n}'
    >>> print(typeset_graph(dot, {"mu_alpha": "μ<SUB>α</SUB>"}, dpi=100))
    digraph {
    graph [dpi=100 fontname="DejaVu Sans" fontsize=16 nodesep=0.3 ranksep=0.45]
    node [fontname="DejaVu Sans" fontsize=18]
        mu_alpha [label=<μ<SUB>α</SUB><BR/>~ Normal> shape=ellipse]
    }
    """

    def relabel(match: re.Match[str]) -> str:
        indent, node, name, dist, rest = match.groups()
        text = labels.get(node, name.replace("_", " "))
        dist = dist.lstrip("_")
        return f"{indent}{node} [label=<{text}<BR/>~ {dist}>{rest}]"

    body = _NODE.sub(relabel, source)
    style = (
        f'graph [dpi={dpi} fontname="{GRAPH_FONT}" fontsize=16 nodesep=0.3 ranksep=0.45]\n'
        f'node [fontname="{GRAPH_FONT}" fontsize=18]'
    )
    return body.replace("digraph {", f"digraph {{\n{style}", 1)


def plot_graph_source(
    source: str,
    workdir: str | Path,
    *,
    title: str = "The covarying model (PyMC's plate diagram)",
    fig: Figure | None = None,
) -> Figure:
    """Render DOT ``source`` with ``dot`` into ``workdir`` and show it as a figure.

    Returns
    -------
    Figure
        One axes holding the rendered image, with ``title``.
    """
    import graphviz

    folder = Path(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    path = graphviz.Source(source).render(str(folder / "model-graph"), format="png", cleanup=True)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    ax = fig.subplots()
    ax.imshow(mpimg.imread(path), interpolation="lanczos")
    ax.set_axis_off()
    ax.set_title(title)
    return fig


def plot_model_graph(
    model: pm.Model,
    workdir: str | Path,
    *,
    labels: Mapping[str, str] | None = None,
    title: str = "The covarying model (PyMC's plate diagram)",
    fig: Figure | None = None,
) -> Figure:
    """Render the plate diagram with ``dot`` into ``workdir`` and show it as a figure.

    Parameters
    ----------
    model : pm.Model
    workdir : path
        Folder for the rendered image.
    labels : mapping of node name to HTML-like label, optional
        Typeset node names (:func:`typeset_graph`).

    Returns
    -------
    Figure
        One axes holding the rendered image, with ``title``.
    """
    source = typeset_graph(model_graph(model).source, labels or {})
    return plot_graph_source(source, workdir, title=title, fig=fig)
