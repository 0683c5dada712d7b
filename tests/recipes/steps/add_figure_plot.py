# Recipe "add a figure": the plot function, in the case's plots.py.


def plot_sorted(y: np.ndarray) -> Figure:
    """The data sorted: a quantile plot."""
    fig, ax = plt.subplots()
    ax.plot(np.sort(y), "o")
    ax.set(xlabel="rank", ylabel="y")
    return fig
