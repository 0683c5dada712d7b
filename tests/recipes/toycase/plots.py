"""The toy's slide plots."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def plot_histogram(y: np.ndarray, mean: float) -> Figure:
    """The data's histogram and the posterior mean."""
    fig, ax = plt.subplots()
    ax.hist(y)
    ax.axvline(mean)
    ax.set(xlabel="y", ylabel="rows")
    return fig
