r"""Leave one group out: refit without each group in turn and score its rows.

PSIS-LOO (:mod:`teachkit.loo`) asks how well a model predicts a left-out *row* of a group it
has seen; a new monitoring station asks how well it predicts a whole *group* it has not. For
each group :math:`g` the models are refitted on the other groups' rows (through the fit store,
so a second run samples nothing) and the group's rows are scored jointly by the case
(``CaseStudy.held_out_log_density``): the log predictive density
:math:`\mathrm{elpd}_g = \log p(y_g \mid y_{-g})`. Summed over groups it is the
leave-one-group-out elpd; the difference between two models is judged, as PSIS-LOO's, by its
standard error over groups, :math:`\sqrt{G}\,\mathrm{sd}_g(\mathrm{elpd}_g^B -
\mathrm{elpd}_g^A)` (Vehtari, Gelman and Gabry 2017, eq. 24, with groups as the units).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from teachkit.errors import TeachkitError
from teachkit.pipeline import fit_model
from teachkit.progress import as_progress
from teachkit.registry import get_case, load_data

__all__ = ["HeldOut", "leave_one_group_out"]


@dataclass(frozen=True)
class HeldOut:
    """Leave-one-group-out scores of some models.

    Attributes
    ----------
    case, data : str
        The case and a label of the data.
    models : tuple of str
        The models, the reference first.
    table : DataFrame
        One row per left-out group (indexed by its label): ``rows``, one elpd column per model
        and, for two or more models, ``difference`` (the last model's elpd minus the
        reference's) and ``per_row`` (that difference per row of the group).
    """

    case: str
    data: str
    models: tuple[str, ...]
    table: pd.DataFrame

    @property
    def difference(self) -> tuple[float, float]:
        """The summed difference (last model minus reference) and its standard error."""
        diff = self.table["difference"].to_numpy()
        return float(diff.sum()), float(np.sqrt(len(diff)) * diff.std(ddof=1))

    @property
    def better(self) -> int:
        """How many groups the last model predicts better than the reference."""
        return int((self.table["difference"] > 0).sum())


def leave_one_group_out(
    case: str,
    models: Sequence[str] | None = None,
    data: str | Path | pd.DataFrame | None = None,
    *,
    status: Callable[[str], None] | None = None,
    **fit_options: Any,
) -> HeldOut:
    """Refit ``models`` without each group of ``data`` in turn; score the left-out group.

    Parameters
    ----------
    case : str
        A case with groups to leave out (``CaseStudy.held_out_group``), e.g. ``"ozone"``.
    models : sequence of str, optional
        Default: the case's ``held_out_models`` (ozone: varying intercepts against the
        spatial model).
    data : str, path or DataFrame, optional
        As :func:`~teachkit.pipeline.fit_model` takes it (default: the case's data set).
    status : callable, optional
        Receives one line per refit.
    **fit_options
        Sampler settings, ``store``, ``refit`` and ``progress`` for every refit
        (:func:`~teachkit.pipeline.fit_model`).

    Returns
    -------
    HeldOut
    """
    study = get_case(case)
    if study.held_out_group is None:
        raise TeachkitError(f"the {study.name} case has no groups to leave out")
    chosen = tuple(models) if models else study.held_out_models
    for model in chosen:
        study.check_model(model)
    frame, label = load_data(study.name, data)
    groups = np.unique(frame[study.held_out_group].to_numpy())
    if len(groups) < 3:
        raise TeachkitError(
            f"leave-one-group-out needs at least 3 groups; the data have {len(groups)}"
        )
    progress = as_progress(fit_options.pop("progress", False))
    say = status or (lambda message: None)
    rows = []
    for i, group in enumerate(groups, start=1):
        left_out = frame[study.held_out_group].to_numpy() == group
        train, held = frame[~left_out], frame[left_out]
        name = study.group_label(held)
        row: dict[str, Any] = {"group": name, "rows": int(left_out.sum())}
        for model in chosen:
            say(f"[{i}/{len(groups)}] {model} without {name}")
            result = fit_model(
                study.name, model, train, progress=progress, label=f"{label} without {name}",
                **fit_options,
            )  # fmt: skip
            row[model] = study.held_out_log_density(result.idata, model, train, held)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("group")
    if len(chosen) > 1:
        table["difference"] = table[chosen[-1]] - table[chosen[0]]
        table["per_row"] = table["difference"] / table["rows"]
    return HeldOut(study.name, label, chosen, table)
