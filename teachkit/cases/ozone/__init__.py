"""The ozone case study: log daily maximum ozone against temperature at 12 Beijing stations.

Pooled regression, varying intercepts, varying slopes, then intercepts and slopes that
co-vary (an MVN with an LKJ prior on their correlation), centred and non-centred; then station
baselines correlated by distance (a Gaussian process, :mod:`~teachkit.cases.ozone.spatial`). Its
parts:
:mod:`~teachkit.cases.ozone.data` (the Beijing table), :mod:`~teachkit.cases.ozone.simulate`
(known-truth stations), :mod:`~teachkit.cases.ozone.models` (the PyMC models),
:mod:`~teachkit.cases.ozone.models` also lists each model as a record with what it is true
for, :mod:`~teachkit.cases.ozone.plots` draws its slides, :mod:`~teachkit.cases.ozone.figures`
registers them and
:mod:`~teachkit.cases.ozone.benchmark` (the slides' form against teachkit's).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from teachkit.cases.base import CaseStudy, DataSet
from teachkit.cases.grouped import advice
from teachkit.cases.grouped import model_code as grouped_models_code
from teachkit.cases.ozone import models, spatial, spatial_covarying
from teachkit.cases.ozone.data import MODEL_COLUMNS, OZONE_COLUMNS, check_ozone_frame
from teachkit.cases.ozone.data import load_beijing_ozone as _load_beijing
from teachkit.cases.ozone.held_out import held_out_log_density as new_station_log_density
from teachkit.cases.ozone.simulate import (
    random_sites,
    simulate_ozone,
    simulate_spatial_lines,
    simulate_spatial_ozone,
)
from teachkit.cases.ozone.stations import load_beijing_stations

if TYPE_CHECKING:
    import arviz as az
    import xarray as xr

    from teachkit.figure_entry import FigureEntry
    from teachkit.models.spec import BuiltModel
    from teachkit.simulation import Simulation

__all__ = ["CASE", "OzoneCase"]

#: Simulator settings that ask for a spatial truth (:func:`simulate_spatial_ozone`).
_SPATIAL_SETTINGS = frozenset({"sigma_gp", "ell", "n_sites"})
#: With ``ell``, settings of varying slopes ask for lines correlated by distance
#: (:func:`simulate_spatial_lines`, the truth of ``spatial_covarying``).
_LINE_SETTINGS = frozenset({"sigma_beta", "rho"})


class OzoneCase(CaseStudy):
    """The ozone case study (see the module docstring)."""

    name = "ozone"
    title = "Daily maximum ozone against temperature at 12 Beijing monitoring stations"
    model_entries = (*models.MODELS, *spatial.SPATIAL_MODELS, spatial_covarying.SPATIAL_COVARYING)
    option_spellings = models.SPELLINGS
    #: Station effects planted with exact sample moments, so the 12 stations' spread and
    #: correlation are the planted sigma_alpha, sigma_beta and rho.
    planting: ClassVar[dict[str, Any]] = {"exact_moments": True}
    columns = OZONE_COLUMNS
    model_columns = MODEL_COLUMNS
    calibration_design_defaults: ClassVar[dict[str, int]] = {"n_stations": 8, "n_days": 30}

    @property
    def datasets(self) -> tuple[DataSet, ...]:
        """The Beijing table, with the stations' coordinates as a part."""
        return (
            DataSet(
                "beijing",
                "Beijing daily maximum ozone and temperature at 12 stations, 2013-2017",
                _load_beijing,
                parts=(("stations (WGS84 degrees)", load_beijing_stations),),
            ),
        )

    @property
    def compared_models(self) -> tuple[str, ...]:
        """The lecture's four models; the spatial ones belong to the next lecture's comparison.

        (The LOO slides, ``teachkit compare ozone`` and the lecture compare the four models of
        this lecture; ``spatial_intercepts`` joins the comparison with the GP lecture.)
        """
        return models.OZONE_MODELS

    #: Leave-one-station-out: a new station drawn from the population against one predicted
    #: from its neighbours (:mod:`~teachkit.cases.ozone.held_out`).
    held_out_group: ClassVar[str | None] = "station_id"
    held_out_models: ClassVar[tuple[str, ...]] = ("varying_intercepts", "spatial_intercepts")

    def held_out_log_density(
        self, idata: az.InferenceData, model: str, train: pd.DataFrame, held_out: pd.DataFrame
    ) -> float:
        """See :func:`~teachkit.cases.ozone.held_out.held_out_log_density`."""
        return new_station_log_density(idata, model, train, held_out)

    def group_label(self, held_out: pd.DataFrame) -> str:
        """The station's name."""
        if "station" in held_out:
            return str(held_out["station"].iloc[0])
        return super().group_label(held_out)

    def check(self, frame: pd.DataFrame, *, source: str = "data") -> pd.DataFrame:
        """See :func:`~teachkit.cases.ozone.data.check_ozone_frame`."""
        return check_ozone_frame(frame, source=source)

    def entry_names(self, frame: pd.DataFrame) -> dict[str, str]:
        """Station ids (the labels of ``alpha[j]``, ``beta[j]``) to station names."""
        pairs = frame[["station_id", "station"]].drop_duplicates("station_id")
        ids, names = pairs["station_id"], pairs["station"]
        return {str(i): str(name) for i, name in zip(ids, names, strict=True)}

    def fingerprint(self, frame: pd.DataFrame) -> str:
        """Hash of the model columns and, when the table has them, the stations' coordinates."""
        return spatial.spatial_fingerprint(frame)

    def log_likelihood(self, idata: az.InferenceData) -> xr.Dataset:
        """See :func:`~teachkit.cases.ozone.models.pointwise_log_likelihood`."""
        return models.pointwise_log_likelihood(idata)

    def model_code(self) -> tuple[str, ...]:
        """The models modules: the lecture's four (the line models') and the spatial ones."""
        return (
            *grouped_models_code(),
            models.__name__,
            spatial.__name__,
            spatial_covarying.__name__,
        )

    def fit_advice(self, idata: az.InferenceData, generic: Mapping[str, str]) -> Mapping[str, str]:
        """Centred or non-centred, from the fit's own data-to-prior weight.

        See :mod:`teachkit.cases.grouped.advice`.
        """
        return advice.fit_advice(idata, generic, noun="station")

    def simulate(self, *, rng: Any = None, **options: Any) -> Simulation:
        """See :func:`~teachkit.cases.ozone.simulate.simulate_ozone`.

        Settings of a spatial truth (``sigma_gp``, ``ell``, ``n_sites``) go to
        :func:`~teachkit.cases.ozone.simulate.simulate_spatial_ozone` instead, and ``ell``
        with ``sigma_beta`` or ``rho`` to
        :func:`~teachkit.cases.ozone.simulate.simulate_spatial_lines`.
        """
        if "ell" in options and _LINE_SETTINGS & set(options):
            return simulate_spatial_lines(rng=rng, **options)
        if _SPATIAL_SETTINGS & set(options):
            return simulate_spatial_ozone(rng=rng, **options)
        return simulate_ozone(rng=rng, **options)

    def _design(self, *, seed: int, n_stations: int, n_days: int) -> pd.DataFrame:
        """Stations and their daily temperatures (the outcome is replaced in every run).

        The stations get random coordinates in the Beijing box (their own random stream, so
        the temperatures are those of the design without them), which the spatial models
        need and the others ignore.
        """
        design = simulate_ozone(n_stations=n_stations, n_days=n_days, rng=seed).data
        lat, lon = random_sites(n_stations, rng=np.random.default_rng([seed, 1]))
        design["latitude"] = lat[design["station_id"].to_numpy()]
        design["longitude"] = lon[design["station_id"].to_numpy()]
        return design

    def generative_model(self, design: pd.DataFrame, model: str) -> BuiltModel:
        """The pointwise form, whose observed ``log_ozone`` PyMC can draw."""
        return self.build(design, model, likelihood="pointwise")

    def with_outcome(self, design: pd.DataFrame, outcome: Any) -> pd.DataFrame:
        """The design with simulated log ozone (and its O3)."""
        data = design.copy()
        data["log_ozone"] = outcome
        with np.errstate(over="ignore"):
            data["O3"] = np.exp(outcome)
        return data

    def figures(self) -> tuple[FigureEntry, ...]:
        """The ozone and pooling slides, from the modules that draw each part of the lecture.

        :mod:`~teachkit.cases.ozone.figures` holds the pooling and funnel slides,
        :mod:`~teachkit.cases.ozone.data_figures` the data and the first two models (storyboard
        rows 7-13), :mod:`~teachkit.cases.ozone.slope_figures` varying and covarying slopes
        (rows 14-19), :mod:`~teachkit.cases.ozone.covarying_figures` the covarying model's
        diagnostics (rows 27-33), :mod:`~teachkit.cases.ozone.posterior_figures` its posterior
        and the lecture's end (rows 32, 34-37); for the Gaussian-process lecture
        :mod:`~teachkit.cases.ozone.held_out_figures` (stations, distances, a left-out station)
        and :mod:`~teachkit.cases.ozone.gp_figures` (kernels and maps).
        """
        from teachkit.cases.ozone import (
            covarying_figures,
            data_figures,
            figures,
            gp_figures,
            held_out_figures,
            posterior_figures,
            slope_figures,
        )

        return (
            *data_figures.FIGURES,
            *slope_figures.FIGURES,
            *figures.FIGURES,
            *covarying_figures.FIGURES,
            *posterior_figures.FIGURES,
            *held_out_figures.FIGURES,
            *gp_figures.FIGURES,
        )


#: The ozone case study (registered by :mod:`teachkit.registry`).
CASE = OzoneCase()
