"""The explorer on a user's own table: tabs 4 and 5 in the table's names and units.

``teachkit explorer --case grouped --data FILE.csv --y COL --x COL --group COL`` builds the
page with :func:`build_grouped_explorer`: the grouped case, configured with the user's columns
(and priors, centring, dropping of incomplete rows), checks the table; tab 4 gets its groups
and rows (:func:`~teachkit.explorer.pooling_data.grouped_pooling_data`), tab 5 the covarying
model's fit from the fit store (:func:`teachkit.pipeline.fit_model`, fitted first when the
store lacks it) reduced by :func:`posterior_from_grouped`. The labels are the user's column
and group names, as written.

Tabs 1-3 (the LKJ prior, the bivariate normal, invalid correlations) are about no data and
stay as they are. Tab 6, a Gaussian process over space, needs each group's coordinates, which
a table of y, x and groups does not have: on such a page it says so in one line
(:func:`teachkit.explorer.tab_gp.coordinates_note_tab`) instead of showing Beijing's stations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from teachkit.errors import TeachkitError
from teachkit.explorer.labels import grouped_labels
from teachkit.explorer.pooling_data import (
    DEFAULT_SEED,
    grouped_pooling_data,
    grouped_table_names,
)
from teachkit.explorer.posterior import (
    MAX_DRAWS,
    POINTS_PER_STATION,
    RealPosterior,
    check_thinning,
    covarying_posterior,
    group_coord,
    reduce_posterior,
)

if TYPE_CHECKING:
    import arviz as az

    from teachkit.cases.base import CaseStudy
    from teachkit.progress import Progress
    from teachkit.store import FitStore

__all__ = ["build_grouped_explorer", "posterior_from_grouped"]


def posterior_from_grouped(
    idata: az.InferenceData | Any,
    table: pd.DataFrame,
    *,
    source: str,
    columns: Mapping[str, str] | None = None,
    max_draws: int = MAX_DRAWS,
    points_per_group: int = POINTS_PER_STATION,
    seed: int = 0,
    eta: float = 2.0,
) -> RealPosterior:
    """Reduce a fit of the grouped case's covarying model to a :class:`RealPosterior`.

    Parameters
    ----------
    idata : arviz.InferenceData
        A fit of ``grouped``/``covarying`` (e.g. ``teachkit.pipeline.fit_model(case,
        "covarying", ...).idata``): ``alpha`` and ``beta`` with dims (chain, draw, group),
        the group coordinate holding the table's group labels.
    table : DataFrame
        The checked table it was fitted to (``group``, ``x``, ``y``; ``attrs["columns"]``
        names the user's columns, ``attrs["x_center"]`` is set when x was centred).
    source : str
        What to call the data on the page (e.g. the file's name).
    columns : mapping, optional
        The user's names of y, x and group (default ``table.attrs["columns"]``).
    max_draws, points_per_group, seed, eta
        As :func:`posterior_from_idata`.

    Returns
    -------
    RealPosterior
        Groups in the fit's order, x in the user's units (the centre added back), labels in
        the user's column names, readout decimals from the posterior's spread.

    Examples
    --------
    >>> import arviz as az
    >>> rng = np.random.default_rng(1)
    >>> table = pd.DataFrame({"group": ["p q", "p q", "<r>"], "x": [0.0, 1.0, 1.0],
    ...                       "y": [310.0, 320.0, 290.0]})
    >>> table.attrs["columns"] = {"y": "reaction (ms)", "x": "days", "group": "subject"}
    >>> shape = (2, 50)
    >>> idata = az.from_dict(
    ...     posterior={"alpha": rng.normal(300, 10, (*shape, 2)),
    ...                "beta": rng.normal(10, 2, (*shape, 2)),
    ...                "rho": rng.uniform(-1, 1, shape), "mu_alpha": rng.normal(300, 5, shape),
    ...                "mu_beta": rng.normal(10, 1, shape),
    ...                "sigma_alpha": rng.uniform(20, 30, shape),
    ...                "sigma_beta": rng.uniform(4, 6, shape),
    ...                "sigma": rng.uniform(25, 30, shape)},
    ...     coords={"group": ["<r>", "p q"]}, dims={"alpha": ["group"], "beta": ["group"]})
    >>> post = posterior_from_grouped(idata, table, source="sleep.csv")
    >>> post.group_names, post.labels.y, post.group_index.tolist(), post.digits["mu_alpha"]
    (('<r>', 'p q'), 'reaction (ms)', [0, 1, 1], 1)
    """
    check_thinning(max_draws, points_per_group, "points_per_group")
    posterior = covarying_posterior(idata)
    named, center = grouped_table_names(table, columns)
    shift = 0.0 if center is None else center
    labels = table["group"].to_numpy()
    as_text = np.array([str(v) for v in labels])
    groups = []
    for c in group_coord(posterior):
        rows = labels == c if not isinstance(c, str) else as_text == c
        if not np.any(rows):
            raise TeachkitError(f"group {c!r} of the fit is not in the table")
        picked = table[rows]
        groups.append((str(c), picked["x"].to_numpy(dtype=float) + shift, picked["y"]))
    return reduce_posterior(
        posterior,
        groups,
        max_draws=max_draws,
        points_per_group=points_per_group,
        seed=seed,
        eta=eta,
        source=source,
        labels=grouped_labels(named, x_center=center),
        x_center=shift,
        scaled_digits=True,
    )


def build_grouped_explorer(
    out: str | Path,
    case: str | CaseStudy = "grouped",
    data: str | Path | None = None,
    *,
    fit: bool = True,
    store: FitStore | None = None,
    refit: bool = False,
    draws: int = 1000,
    tune: int = 1000,
    chains: int = 4,
    seed: int = DEFAULT_SEED,
    status: Callable[[str], None] | None = None,
    progress: bool | Progress = False,
) -> Path:
    """Write the explorer page for a grouped table and return its path.

    Parameters
    ----------
    out : path
        The HTML file to write (atomically).
    case : str or CaseStudy
        The grouped case, configured with the table's columns (``GroupedCase.configured``);
        the name ``"grouped"`` is the cafés' columns.
    data : str or path, optional
        A CSV file or a shipped data set's name (default: the case's, the cafés).
    fit : bool
        Embed the covarying model's fit in tab 5 (from the fit store, or sampled and stored);
        without it tab 5 shows the prior alone.
    store, refit, draws, tune, chains, seed, status, progress
        As :func:`teachkit.pipeline.fit_model`; ``seed`` is also the seed of tab 4's row
        order.

    Returns
    -------
    Path

    Raises
    ------
    TeachkitError
        For a table the grouped case refuses (one line; nothing is written).
    """
    from teachkit.explorer.build import build_explorer
    from teachkit.registry import get_case, load_data

    study = get_case(case)
    if set(study.columns) != {"group", "x", "y"}:
        raise TeachkitError(
            f"the grouped explorer takes the grouped case, not {study.name}; "
            "use --case grouped with --y, --x and --group"
        )
    table, label = load_data(study, data)
    pooling = grouped_pooling_data(table, source=label, seed=seed)
    posterior = None
    if fit:
        from teachkit.pipeline import fit_model

        result = fit_model(
            study,
            "covarying",
            data,
            draws=draws,
            tune=tune,
            chains=chains,
            seed=seed,
            store=store,
            refit=refit,
            status=status,
            progress=progress,
        )
        posterior = posterior_from_grouped(result.idata, table, source=label)
    return build_explorer(out, data=pooling, posterior=posterior, seed=seed)
