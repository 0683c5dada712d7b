r"""The figures of any grouped table: ``teachkit figures --case grouped --data FILE.csv ...``.

The registry :data:`FIGURES` (read by :meth:`GroupedCase.figures
<teachkit.cases.grouped.GroupedCase.figures>`); each figure is drawn by a function of one of
three modules, each with one idea:

* :mod:`~teachkit.cases.grouped.figures_data`: on the data's scale: the priors' lines, each
  group's fitted line, a posterior predictive check of each group's spread;
* :mod:`~teachkit.cases.grouped.figures_pooling`: partial pooling: intercepts, 1-D and 2-D
  shrinkage, the covarying population, a new group;
* :mod:`~teachkit.cases.grouped.figures_sampling`: the funnel and the PSIS-LOO comparison.

Each draws from a :class:`~teachkit.figure_entry.FigureData` whose ``grouped`` case is
configured with the user's columns and priors (without a table: the cafés). The axes carry
the user's column names as given; a group with a numeric label is named with its column
("cafe 16"). None has a storyboard row: they are not the lecture's.
"""

from __future__ import annotations

from teachkit.cases.grouped.figures_common import MAX_ROWS, shown_groups
from teachkit.cases.grouped.figures_data import (
    PRIOR_LINES,
    REPLICATES,
    _group_lines,
    _posterior_predictive,
    _prior_predictive,
    group_sd,
    prior_line_draws,
)
from teachkit.cases.grouped.figures_pooling import (
    MAX_NAMED,
    _alpha_beta,
    _intercepts,
    _new_group,
    _shrinkage_1d,
    _shrinkage_2d,
    area_ratio,
    new_group_draws,
    shrinkage_1d_figure,
)
from teachkit.cases.grouped.figures_sampling import (
    FUNNEL_TARGET_ACCEPT,
    NECK_QUANTILE,
    _funnel,
    _loo,
    funnel_group,
    funnel_reason,
)
from teachkit.figure_entry import FigureEntry

__all__ = [
    "FIGURES",
    "FUNNEL_TARGET_ACCEPT",
    "MAX_NAMED",
    "MAX_ROWS",
    "NECK_QUANTILE",
    "PRIOR_LINES",
    "REPLICATES",
    "area_ratio",
    "funnel_group",
    "funnel_reason",
    "group_sd",
    "new_group_draws",
    "prior_line_draws",
    "shown_groups",
    "shrinkage_1d_figure",
]

FIGURES: tuple[FigureEntry, ...] = (
    FigureEntry(
        "grouped-prior-predictive",
        "Lines the priors in use allow, against the data's range",
        _prior_predictive,
        point="Before any fit, the priors say which lines are plausible: weakly informative "
        "priors allow lines far outside the data's range, but not absurd ones.",
    ),
    FigureEntry(
        "grouped-lines",
        "The data and each group's fitted line (covarying model)",
        _group_lines,
        point="Every group gets its own line: the groups differ in slope as well as in level, "
        "and the steepest and the flattest show by how much.",
    ),
    FigureEntry(
        "grouped-intercepts",
        "Each group's intercept, no pooling against partial pooling",
        _intercepts,
        point="Partial pooling pulls the groups' intercepts toward each other, most for groups "
        "whose own line is far from the rest.",
    ),
    FigureEntry(
        "grouped-shrinkage-1d",
        "Intercepts from no pooling to partial pooling, arrows",
        _shrinkage_1d,
        point="Under varying intercepts each group's own intercept moves part of the way to "
        "the population mean, further when the group says less.",
    ),
    FigureEntry(
        "grouped-shrinkage-2d",
        "2-D shrinkage of (alpha_j, beta_j) under the independent and the covarying prior",
        _shrinkage_2d,
        point="In two dimensions partial pooling shrinks intercepts and slopes together; a "
        "covarying prior pulls them along the population's tilted ellipse.",
    ),
    FigureEntry(
        "grouped-alpha-beta",
        "Groups' (alpha_j, beta_j) with the covarying population's ellipses",
        _alpha_beta,
        point="The covarying model estimates how intercepts and slopes vary together: its rho "
        "and the correlation of the groups' estimates tell the same story.",
    ),
    FigureEntry(
        "grouped-new-group",
        "A new group's (alpha, beta) under varying slopes and covarying",
        _new_group,
        point="For a new group the covarying model predicts the slope from the intercept; "
        "independent effects cannot.",
    ),
    FigureEntry(
        "grouped-funnel",
        "The centred fit's funnel: sigma_alpha against one group's alpha",
        _funnel,
        point="Coded centred, the posterior of a group's intercept narrows into a funnel as "
        "sigma_alpha shrinks and the sampler diverges there; non-centred it does not.",
    ),
    FigureEntry(
        "grouped-loo",
        "PSIS-LOO comparison of the four models",
        _loo,
        point="Judge the models by the difference in elpd against its own standard error "
        "(dse), not by overlapping se bars.",
    ),
    FigureEntry(
        "grouped-posterior-predictive",
        "Each group's spread (sd of y) against its posterior predictive interval",
        _posterior_predictive,
        point="Each group's line is fitted to it, but all groups share one residual sd: a "
        "group whose rows scatter more or less than the model allows shows up here.",
    ),
)
