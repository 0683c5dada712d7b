"""What tabs 4 and 5 call things: axes, the groups and their rows, carried as data.

The lecture's page speaks of stations, days, degrees Celsius and log ozone
(:data:`OZONE_LABELS`); a page built from a user's table (``teachkit explorer --case
grouped``) speaks of that table's own column names (:func:`grouped_labels`): "log.radon" on
the y axis, "floor level" on the x axis, "rows per county". The labels are plain text; every
place that puts one into HTML escapes it (Python's :func:`html.escape`, ``format.escapeHtml``
in the page), and Bokeh draws axis labels as plain text (:func:`plain`), so a column called
``<b>"a.b"</b>`` or ``$$x$$`` shows as written.

The readouts' decimals follow the data's scale (:func:`decimals`), except on the lecture's
page, whose digits are fixed (:data:`LECTURE_DIGITS`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from bokeh.models import PlainText

__all__ = [
    "LECTURE_DIGITS",
    "OZONE_LABELS",
    "Labels",
    "decimals",
    "grouped_labels",
    "plain",
]

#: Decimals of tab 5's readouts on the lecture's page (hyperparameters, then one group's line).
LECTURE_DIGITS: Mapping[str, int] = {
    "mu_alpha": 2,
    "mu_beta": 4,
    "sigma_alpha": 3,
    "sigma_beta": 4,
    "sigma": 3,
    "alpha": 2,
    "beta": 3,
}


@dataclass(frozen=True)
class Labels:
    """The words tabs 4 and 5 use for the data.

    Attributes
    ----------
    x, y : str
        Axis labels of the predictor and the outcome.
    intercept, slope : str
        What alpha_j and beta_j are, in the shrinkage plot's axis labels.
    group : str
        One group, as a noun ("station", or the group column's name).
    groups : str
        Several groups ("stations", or "groups").
    row, rows : str
        One row of a group, and several ("day" and "days", or "row" and "rows").
    x_term : str
        How a line's x appears in a readout "a + b x_term" ("T", "x", or "(x − 12.5)").
    """

    x: str
    y: str
    intercept: str
    slope: str
    group: str = "group"
    groups: str = "groups"
    row: str = "row"
    rows: str = "rows"
    x_term: str = "x"


#: The lecture's page: Beijing's (or simulated) stations, days, temperature and log ozone.
OZONE_LABELS = Labels(
    x="max temperature (°C)",
    y="log max ozone",
    intercept="log ozone at 0 °C",
    slope="per °C",
    group="station",
    groups="stations",
    row="day",
    rows="days",
    x_term="T",
)


def grouped_labels(columns: Mapping[str, str], *, x_center: float | None = None) -> Labels:
    """Labels in a user's own column names (``columns`` maps y, x and group to them).

    With ``x_center`` (x centred before the fit) the intercepts are at x = x_center.

    Examples
    --------
    >>> lab = grouped_labels({"y": "log.radon", "x": "floor level", "group": "county"})
    >>> lab.y, lab.group, lab.intercept, lab.slope
    ('log.radon', 'county', 'log.radon at floor level = 0', 'log.radon per unit of floor level')
    >>> grouped_labels({"y": "y", "x": "x", "group": "g"}, x_center=1.5).x_term
    '(x − 1.5)'
    >>> grouped_labels({"y": "y", "x": "x", "group": "g"}, x_center=-2.0).x_term
    '(x + 2)'
    """
    y, x, group = str(columns["y"]), str(columns["x"]), str(columns["group"])
    at = 0.0 if x_center is None else float(x_center)
    return Labels(
        x=x,
        y=y,
        intercept=f"{y} at {x} = {_short(at)}",
        slope=f"{y} per unit of {x}",
        group=group,
        groups="groups",
        row="row",
        rows="rows",
        x_term="x" if x_center is None else _centred_term(at),
    )


def decimals(scale: float, *, significant: int = 2) -> int:
    """Decimals that show ``significant`` digits of a number of size ``scale`` (0 to 8).

    Examples
    --------
    >>> decimals(0.18), decimals(0.006), decimals(25.0), decimals(0.0)
    (2, 4, 0, 2)
    """
    if not (math.isfinite(scale) and scale > 0):
        return significant
    return min(8, max(0, significant - 1 - math.floor(math.log10(scale))))


def plain(text: str) -> PlainText | str:
    r"""An axis label Bokeh draws as written: plain text when it could read as TeX math.

    Bokeh renders labels between ``$$``, ``\[ \]`` or ``\( \)`` as mathematics; a column
    name is not mathematics.
    """
    if "$" in text or "\\" in text:
        return PlainText(text=text)
    return text


def _centred_term(center: float) -> str:
    """``(x − c)``, or ``(x + |c|)`` for a negative centre."""
    sign = "−" if center >= 0 else "+"
    return f"(x {sign} {_short(abs(center))})"


def _short(value: float) -> str:
    """A number in at most 4 significant digits, with a true minus sign."""
    return f"{value:.4g}".replace("-", "−")
