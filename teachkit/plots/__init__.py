"""Slide figures: one function per figure, drawn with matplotlib in :func:`slide_style`.

Every function is ``plot_*(..., *, ax=None) -> Axes`` (or ``fig=None -> Figure`` for figures
with several panels), never calls ``plt.show()`` and changes no global state.

The public names are loaded on first use (as the package ``teachkit`` does), so importing one
module of the package (``teachkit.plots.style``, say, or the slide writer's worker process)
does not import SciPy for the LKJ and normal figures.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from teachkit.plots.lkj import plot_lkj_marginals
    from teachkit.plots.mvn import plot_mvn_vs_independent
    from teachkit.plots.style import PALETTE, slide_style

__all__ = ["PALETTE", "plot_lkj_marginals", "plot_mvn_vs_independent", "slide_style"]

#: Where each public name lives.
_EXPORTS = {
    "PALETTE": "teachkit.plots.style",
    "plot_lkj_marginals": "teachkit.plots.lkj",
    "plot_mvn_vs_independent": "teachkit.plots.mvn",
    "slide_style": "teachkit.plots.style",
}

# The SBC figures (teachkit.plots.sbc) pull in the model stack through teachkit.calibration,
# so they are not imported here: the demos must start fast.


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first access."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'teachkit.plots' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
