"""The model's plate diagram, through PyMC's Graphviz export.

Building the graph needs only the ``graphviz`` Python package; turning it into an image needs
Graphviz's ``dot`` program, which :func:`teachkit.figures.render` checks for first.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.image as mpimg
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

if TYPE_CHECKING:
    import graphviz
    import pymc as pm

__all__ = ["model_graph", "plot_model_graph"]


def model_graph(model: pm.Model) -> graphviz.Digraph:
    """The plate diagram of a PyMC model (``pm.model_to_graphviz``), not yet rendered."""
    import pymc as pm

    return pm.model_to_graphviz(model)


def plot_model_graph(model: pm.Model, workdir: str | Path, *, fig: Figure | None = None) -> Figure:
    """Render the plate diagram with ``dot`` into ``workdir`` and show it as a figure.

    Returns
    -------
    Figure
        One axes holding the rendered image, titled with the model's variables count.
    """
    folder = Path(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    path = model_graph(model).render(str(folder / "model-graph"), format="png", cleanup=True)
    fig = fig if fig is not None else plt.figure(layout="constrained")
    ax = fig.subplots()
    ax.imshow(mpimg.imread(path))
    ax.set_axis_off()
    ax.set_title("The covarying model (PyMC's plate diagram)")
    return fig
