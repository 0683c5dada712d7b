"""Leave-one-out cross-validation of fits by PSIS-LOO (Vehtari, Gelman and Gabry 2017).

LOO needs each fit's pointwise log density of every observation (ArviZ's ``log_likelihood``
group). PyMC's ``compute_log_likelihood`` ignores the ``pm.Potential`` of a
sufficient-statistics likelihood and nutpie stores none, so the case study that built the
model computes it from the draws (``CaseStudy.log_likelihood``): :func:`add_log_likelihood`
adds it to a fit, :func:`compare` adds it where missing and ranks the fits. A Beijing fit's
group is about 0.5 GB, so the fit store never keeps it (:data:`POINTWISE_GROUP`).

Vehtari, A., Gelman, A. and Gabry, J. (2017), "Practical Bayesian model evaluation using
leave-one-out cross-validation and WAIC", Statistics and Computing 27:1413-1432.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING

from teachkit.errors import TeachkitError
from teachkit.fitmeta import FitMeta

if TYPE_CHECKING:
    import arviz as az
    import pandas as pd

    from teachkit.cases.base import CaseStudy

__all__ = ["POINTWISE_GROUP", "add_log_likelihood", "compare"]

#: The InferenceData group holding the pointwise log density of every observation.
POINTWISE_GROUP = "log_likelihood"


def add_log_likelihood(idata: az.InferenceData, case: CaseStudy) -> az.InferenceData:
    """Add the pointwise log-likelihood group to a teachkit fit of ``case`` (in place).

    Nothing is computed when the fit has it already. Returns ``idata``.

    Raises
    ------
    TeachkitError
        When ``idata`` is a fit of another case study.
    """
    if POINTWISE_GROUP not in idata.groups():
        meta = FitMeta.of(idata)
        if meta.case != case.name:
            raise TeachkitError(f"this is a fit of the {meta.case} case, not of {case.name}")
        idata.add_groups({POINTWISE_GROUP: case.log_likelihood(idata)})
    return idata


def compare(fits: Mapping[str, az.InferenceData], case: CaseStudy) -> pd.DataFrame:
    """PSIS-LOO comparison of fits of ``case``'s models to the same data.

    Fits without a pointwise log-likelihood get one first (:func:`add_log_likelihood`).

    Returns
    -------
    DataFrame
        One row per model, best first: rank, elpd_loo, p_loo, d_loo (difference to the best),
        weight (stacking), se, dse, warning (True when some Pareto k > 0.7) and pareto_k_max.
    """
    import arviz as az

    if len(fits) < 1:
        raise TeachkitError("compare needs at least one fit")
    for idata in fits.values():
        add_log_likelihood(idata, case)
    with warnings.catch_warnings():
        # a high Pareto k is reported in the table's warning column instead
        warnings.filterwarnings("ignore", message=".*Pareto.*", category=UserWarning)
        # arviz 0.23 calls DataFrame.sort_values(inplace=True), which pandas 3.1 deprecates
        warnings.filterwarnings("ignore", message="The inplace keyword", category=Warning)
        loos = {name: az.loo(idata, pointwise=True) for name, idata in fits.items()}
        table = az.compare(loos, ic="loo")
    table = table.rename(columns={"elpd_diff": "d_loo"})
    table["pareto_k_max"] = [float(loos[name].pareto_k.max()) for name in table.index]
    table["warning"] = table["warning"].astype(bool)
    return table[
        ["rank", "elpd_loo", "p_loo", "d_loo", "weight", "se", "dse", "warning", "pareto_k_max"]
    ]
