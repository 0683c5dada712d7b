"""Leave-one-out cross-validation of fits by PSIS-LOO (Vehtari, Gelman and Gabry 2017).

LOO needs each fit's pointwise log density of every observation (ArviZ's ``log_likelihood``
group). PyMC's ``compute_log_likelihood`` ignores the ``pm.Potential`` of a
sufficient-statistics likelihood and nutpie stores none, so the case study that built the
model computes it from the draws (``CaseStudy.log_likelihood``): :func:`add_log_likelihood`
adds it to a fit, :func:`elpd_data` computes a fit's pointwise ELPD data from it (PSIS-LOO:
elpd_i and Pareto k per observation), :func:`compare_elpd` ranks fits by their ELPD data and
:func:`compare` does both for fits. A Beijing fit's group is about 0.5 GB, so the fit store
never keeps it (:data:`POINTWISE_GROUP`); it keeps the ELPD data instead (a few hundred kB),
converted by :func:`elpd_to_dataset` and :func:`elpd_from_dataset`.

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
    import xarray as xr
    from arviz.stats.stats_utils import ELPDData

    from teachkit.cases.base import CaseStudy

__all__ = [
    "POINTWISE_GROUP",
    "add_log_likelihood",
    "compare",
    "compare_elpd",
    "elpd_data",
    "elpd_from_dataset",
    "elpd_to_dataset",
]

#: The InferenceData group holding the pointwise log density of every observation.
POINTWISE_GROUP = "log_likelihood"
#: The pointwise entries of ``az.loo(idata, pointwise=True)``, kept as data variables.
_POINTWISE_ELPD = ("loo_i", "pareto_k")
#: Its scalar entries, kept as attributes, with the type each is read back as.
_SCALAR_ELPD = {
    "elpd_loo": float,
    "se": float,
    "p_loo": float,
    "n_samples": int,
    "n_data_points": int,
    "warning": bool,
    "scale": str,
    "good_k": float,
}


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


def elpd_data(idata: az.InferenceData, case: CaseStudy) -> ELPDData:
    """The pointwise PSIS-LOO data of a fit of ``case``: ``az.loo(idata, pointwise=True)``.

    The pointwise log-likelihood is added first when the fit lacks it
    (:func:`add_log_likelihood`). A high Pareto k is not warned about: it is in the result
    (``warning``, ``pareto_k``) and :func:`compare_elpd` reports it in its table.

    Returns
    -------
    ELPDData
        elpd_loo, se, p_loo, n_samples, n_data_points, warning, loo_i (elpd_i per
        observation), pareto_k (per observation), scale and good_k.
    """
    import arviz as az

    add_log_likelihood(idata, case)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*Pareto.*", category=UserWarning)
        return az.loo(idata, pointwise=True)


def compare_elpd(elpds: Mapping[str, ELPDData]) -> pd.DataFrame:
    """PSIS-LOO comparison of fits to the same data by their pointwise ELPD data.

    Parameters
    ----------
    elpds : mapping of str to ELPDData
        Model name -> :func:`elpd_data` of its fit (or the copy the fit store keeps).

    Returns
    -------
    DataFrame
        One row per model, best first: rank, elpd_loo, p_loo, d_loo (difference to the best),
        weight (stacking), se, dse, warning (True when some Pareto k > 0.7) and pareto_k_max.
    """
    import arviz as az

    if len(elpds) < 1:
        raise TeachkitError("compare needs at least one fit")
    with warnings.catch_warnings():
        # arviz 0.23 calls DataFrame.sort_values(inplace=True), which pandas 3.1 deprecates
        warnings.filterwarnings("ignore", message="The inplace keyword", category=Warning)
        table = az.compare(dict(elpds), ic="loo")
    table = table.rename(columns={"elpd_diff": "d_loo"})
    table["pareto_k_max"] = [float(elpds[name].pareto_k.max()) for name in table.index]
    table["warning"] = table["warning"].astype(bool)
    return table[
        ["rank", "elpd_loo", "p_loo", "d_loo", "weight", "se", "dse", "warning", "pareto_k_max"]
    ]


def compare(fits: Mapping[str, az.InferenceData], case: CaseStudy) -> pd.DataFrame:
    """PSIS-LOO comparison of fits of ``case``'s models to the same data.

    Fits without a pointwise log-likelihood get one first (:func:`add_log_likelihood`); the
    table is :func:`compare_elpd` of their :func:`elpd_data`.

    Returns
    -------
    DataFrame
        One row per model, best first: rank, elpd_loo, p_loo, d_loo (difference to the best),
        weight (stacking), se, dse, warning (True when some Pareto k > 0.7) and pareto_k_max.
    """
    if len(fits) < 1:
        raise TeachkitError("compare needs at least one fit")
    return compare_elpd({name: elpd_data(idata, case) for name, idata in fits.items()})


def elpd_to_dataset(elpd: ELPDData) -> xr.Dataset:
    """Pointwise ELPD data as a Dataset: loo_i and pareto_k as variables, the rest attributes.

    :func:`elpd_from_dataset` gives back the same numbers (the fit store writes the Dataset as
    netCDF).

    Raises
    ------
    TeachkitError
        When ``elpd`` is not pointwise PSIS-LOO data (``az.loo(..., pointwise=True)``).
    """
    import xarray as xr

    missing = [k for k in (*_POINTWISE_ELPD, *_SCALAR_ELPD) if k not in elpd.index]
    if missing:
        raise TeachkitError(f"not pointwise PSIS-LOO data: no {', '.join(missing)}")
    attrs = {k: int(elpd[k]) if kind is bool else kind(elpd[k]) for k, kind in _SCALAR_ELPD.items()}
    variables = {k: xr.DataArray(elpd[k]).rename(k) for k in _POINTWISE_ELPD}
    return xr.Dataset(variables, attrs=attrs)


def elpd_from_dataset(dataset: xr.Dataset) -> ELPDData:
    """The ELPDData :func:`elpd_to_dataset` converted, in ``az.loo``'s order.

    Raises
    ------
    TeachkitError
        When ``dataset`` lacks one of its variables or attributes.
    """
    from arviz.stats.stats_utils import ELPDData

    missing = [k for k in _POINTWISE_ELPD if k not in dataset.data_vars]
    missing += [k for k in _SCALAR_ELPD if k not in dataset.attrs]
    if missing:
        raise TeachkitError(f"not pointwise PSIS-LOO data: no {', '.join(missing)}")
    scalars = {k: kind(dataset.attrs[k]) for k, kind in _SCALAR_ELPD.items()}
    order = (
        "elpd_loo",
        "se",
        "p_loo",
        "n_samples",
        "n_data_points",
        "warning",
        "loo_i",
        "pareto_k",
        "scale",
        "good_k",
    )
    values = {**scalars, **{k: dataset[k] for k in _POINTWISE_ELPD}}
    return ELPDData(data=[values[k] for k in order], index=list(order))
