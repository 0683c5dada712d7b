"""Slide figures: one function per figure, drawn with matplotlib in :func:`slide_style`.

Every function is ``plot_*(..., *, ax=None) -> Axes`` (or ``fig=None -> Figure`` for figures
with several panels), never calls ``plt.show()`` and changes no global state.
"""

from teachkit.plots.lkj import plot_lkj_marginals
from teachkit.plots.mvn import plot_mvn_vs_independent
from teachkit.plots.style import PALETTE, slide_style

__all__ = ["PALETTE", "plot_lkj_marginals", "plot_mvn_vs_independent", "slide_style"]

# The SBC figures (teachkit.plots.sbc) pull in the model stack through teachkit.calibration,
# so they are not imported here: the demos must start fast.
