"""What a case study is: everything about one of the lecture's examples, in one object.

Generic code (fitting, the fit store, recovery, calibration, figures, the command line) never
asks "is this ozone?"; it asks the registered :class:`CaseStudy` for what it needs: the real
data sets and how to check a table, the models and how to build them, the pointwise
log-likelihood, the simulator and the truth each model is true for, the calibration design,
and the figures. A new case study subclasses :class:`CaseStudy` in its own package and is
registered with :func:`teachkit.registry.register_case`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from teachkit.checks import check_choice
from teachkit.errors import TeachkitError
from teachkit.figure_entry import FigureSource
from teachkit.files import read_table
from teachkit.models.entry import ModelEntry, resolve_model_options
from teachkit.models.spec import BuiltModel, data_fingerprint

if TYPE_CHECKING:
    import arviz as az
    import xarray as xr

    from teachkit.figure_entry import FigureEntry
    from teachkit.simulation import Simulation

__all__ = ["CaseStudy", "DataSet", "FigureSource"]


@dataclass(frozen=True)
class DataSet:
    """A real data set shipped with teachkit.

    Attributes
    ----------
    name : str
        Short name used on the command line, e.g. ``"beijing"``.
    description : str
        One line for ``teachkit data list``.
    load : callable
        Returns the tidy table.
    parts : tuple of (str, callable)
        Other tables that belong to the data set, by title, each with its loader (e.g. the
        Beijing stations' coordinates beside the daily table); ``teachkit data show`` lists
        them after the main table. Empty by default.
    """

    name: str
    description: str
    load: Callable[[], pd.DataFrame]
    parts: tuple[tuple[str, Callable[[], pd.DataFrame]], ...] = ()


class CaseStudy(ABC):
    """One case study of the lecture; subclass it and register an instance.

    Attributes
    ----------
    name : str
        Registered name, e.g. ``"ozone"``.
    title : str
        One line saying what the case is about.
    model_entries : tuple of ModelEntry
        The models, in the lecture's order, one record each.
    option_spellings : dict of str to str
        Other spellings of option values a user may type (e.g. ``"centred"``) and the values
        they stand for.
    planting : dict
        Simulator settings every :meth:`simulate_for` uses (below each model's own).
    columns : tuple of str
        Columns every table of the case has, real or simulated.
    model_columns : tuple of str
        The columns the models read (their values make the data's fingerprint).
    calibration_design_defaults : dict
        Options of :meth:`calibration_design` and their defaults.
    lecture_figures : bool
        Whether the case's figures are the lecture's: listed and rendered by ``teachkit
        figures`` and shown in the gallery (default). A case whose figures draw a user's own
        table says no: its figures are rendered with ``teachkit figures --case NAME``.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    model_entries: ClassVar[tuple[ModelEntry, ...]]
    option_spellings: ClassVar[Mapping[str, str]] = {}
    planting: ClassVar[Mapping[str, Any]] = {}
    columns: ClassVar[tuple[str, ...]]
    model_columns: ClassVar[tuple[str, ...]]
    calibration_design_defaults: ClassVar[Mapping[str, Any]] = {}
    lecture_figures: ClassVar[bool] = True

    # --- a user's settings ---------------------------------------------------------------

    def configured(self, **settings: Any) -> CaseStudy:
        """The case with a user's settings (e.g. which columns are y, x and the group).

        A case fitted to a user's own columns overrides this; the default takes no settings
        and refuses any given (None means not given) in one line.
        """
        given = sorted(k for k, v in settings.items() if v is not None)
        if given:
            raise TeachkitError(
                f"the {self.name} case takes no {', '.join(given)}: its tables have fixed columns"
            )
        return self

    def with_data(self, frame: pd.DataFrame) -> CaseStudy:
        """The case bound to the checked table it is about to fit (default: unchanged).

        A case whose priors are scaled to the data, or whose simulations use the data's design,
        binds them here.
        """
        return self

    def describe(self) -> dict[str, Any]:
        """What a fit's record says about the case's settings (default: nothing)."""
        return {}

    # --- data ----------------------------------------------------------------------------

    @property
    @abstractmethod
    def datasets(self) -> tuple[DataSet, ...]:
        """The real data sets of the case, the default one first."""

    @property
    def default_dataset(self) -> str:
        """Name of the data set used when none is given."""
        return self.datasets[0].name

    def dataset(self, name: str) -> DataSet:
        """The shipped data set called ``name``."""
        by_name = {d.name: d for d in self.datasets}
        check_choice(f"{self.name} data set", name, by_name)
        return by_name[name]

    @abstractmethod
    def check(self, frame: pd.DataFrame, *, source: str = "data") -> pd.DataFrame:
        """Check a table of this case and return it tidied; one-line TeachkitError if unfit."""

    def load(self, data: str | Path | pd.DataFrame | None = None) -> tuple[pd.DataFrame, str]:
        """A checked table and its label, from a data set name, a CSV path or a DataFrame.

        Parameters
        ----------
        data : str, path or DataFrame, optional
            A shipped data set's name (default: :attr:`default_dataset`), a ``.csv`` file, or
            a table (labelled ``"table"``).

        Returns
        -------
        (DataFrame, str)
            The checked table and what to call it in reports.
        """
        if isinstance(data, pd.DataFrame):
            return self.check(data), "table"
        name = str(data) if data is not None else self.default_dataset
        if name in {d.name for d in self.datasets}:
            return self.dataset(name).load(), name
        if name.lower().endswith(".csv"):
            path = Path(name)
            return self.check(read_table(path), source=path.name), path.name
        ours = " or ".join(d.name for d in self.datasets)
        raise TeachkitError(f"unknown {self.name} data {name!r}; choose {ours} or a .csv file")

    def entry_names(self, frame: pd.DataFrame) -> dict[str, str]:
        """Readable names of the labels in entries such as ``alpha[3]``, where they differ.

        Tables print them beside the canonical name (``alpha[3]  Dongsi``); default none.
        """
        return {}

    def fingerprint(self, frame: pd.DataFrame) -> str:
        """Hash of the values the models read (part of the fit store's key)."""
        return data_fingerprint(frame, self.model_columns)

    # --- models --------------------------------------------------------------------------

    @property
    def models(self) -> tuple[str, ...]:
        """The models' names, in the lecture's order."""
        return tuple(e.name for e in self.model_entries)

    @property
    def compared_models(self) -> tuple[str, ...]:
        """The models ``compare`` fits and ranks by default (default: every model)."""
        return self.models

    # --- a group the fit never saw -------------------------------------------------------

    #: The column whose values leave-one-group-out leaves out in turn (None: the case has no
    #: groups to leave out).
    held_out_group: ClassVar[str | None] = None
    #: The models leave-one-group-out compares by default, the reference first.
    held_out_models: ClassVar[tuple[str, ...]] = ()

    def held_out_log_density(
        self, idata: az.InferenceData, model: str, train: pd.DataFrame, held_out: pd.DataFrame
    ) -> float:
        """Log predictive density of one left-out group's rows under a fit on the others.

        The default says the case cannot (one line); a case with :attr:`held_out_group`
        overrides it.
        """
        raise TeachkitError(f"the {self.name} case cannot score a left-out group")

    def group_label(self, held_out: pd.DataFrame) -> str:
        """How tables name a left-out group (default: its value of :attr:`held_out_group`)."""
        return str(held_out[self.held_out_group].iloc[0])

    def model_entry(self, model: str) -> ModelEntry:
        """The record of ``model``; a one-line TeachkitError naming the models if unknown."""
        by_name = {e.name: e for e in self.model_entries}
        check_choice(f"{self.name} model", model, by_name)
        return by_name[model]

    def check_model(self, model: str) -> str:
        """Return ``model`` if the case has it, else a one-line TeachkitError naming them."""
        return self.model_entry(model).name

    def resolve_options(self, model: str, **options: str | None) -> dict[str, str]:
        """Check ``model``'s builder options and fill in their defaults.

        Returns the options exactly as the builder will use them, so a fit's store key can be
        formed without building the model (see
        :func:`~teachkit.models.entry.resolve_model_options`).
        """
        return resolve_model_options(
            self.model_entry(model), options, case=self.name, spellings=self.option_spellings
        )

    def build(self, data: pd.DataFrame, model: str, **options: str | None) -> BuiltModel:
        """Build ``model`` on ``data`` as a PyMC model (options checked, defaults filled in)."""
        entry = self.model_entry(model)
        return entry.build_on(data, self.resolve_options(model, **options))

    @abstractmethod
    def log_likelihood(self, idata: az.InferenceData) -> xr.Dataset:
        """Pointwise log-likelihood of a fit, from its posterior, observed and constant data.

        Returns a Dataset with one variable per observed outcome and dims (chain, draw, obs).
        """

    def model_code(self) -> tuple[str, ...]:
        """Modules whose source determines the draws (hashed into the fit store's key)."""
        return (type(self).__module__,)

    def fit_advice(self, idata: az.InferenceData, generic: Mapping[str, str]) -> Mapping[str, str]:
        """Advice on a fit's problems that knows the case's models, options and data.

        ``generic`` is :func:`teachkit.inference.diagnose`'s own advice by problem
        (``"divergences"``, ``"r_hat"``, ``"ess"``, ``"bfmi"``); the lines returned replace
        those of the same key or add new ones (see :data:`teachkit.inference.FitAdvice`). The
        default keeps the generic advice.
        """
        return {}

    # --- known truth -----------------------------------------------------------------------

    @abstractmethod
    def simulate(self, *, rng: Any = None, **options: Any) -> Simulation:
        """Simulate a table of this case with a planted truth (the simulator's defaults)."""

    def simulate_for(self, model: str, *, rng: Any = None, **options: Any) -> Simulation:
        """Simulate data for which ``model`` is the true model.

        The simulator runs with :attr:`planting`, then the model's own ``planted`` settings,
        then ``options``, each overriding the one before.
        """
        entry = self.model_entry(model)
        return self.simulate(rng=rng, **{**self.planting, **entry.planted, **options})

    def truth(self, model: str, sim: Simulation) -> dict[str, float]:
        """The planted values of ``model``'s canonical parameters in ``sim``."""
        return self.model_entry(model).planted_values(sim)

    # --- calibration ---------------------------------------------------------------------

    def calibration_design(self, *, seed: int, **design: Any) -> pd.DataFrame:
        """The fixed part of every data set of a calibration run (covariates, sizes).

        ``design`` overrides :attr:`calibration_design_defaults`; other names are refused.
        """
        unknown = sorted(set(design) - set(self.calibration_design_defaults))
        if unknown:
            allowed = ", ".join(self.calibration_design_defaults) or "none"
            raise TeachkitError(
                f"{self.name} calibration has no design option {', '.join(unknown)}; "
                f"its options: {allowed}"
            )
        return self._design(seed=seed, **{**self.calibration_design_defaults, **design})

    @abstractmethod
    def _design(self, *, seed: int, **design: Any) -> pd.DataFrame:
        """Make the calibration design from complete options."""

    def generative_model(self, design: pd.DataFrame, model: str) -> BuiltModel:
        """The model to draw parameters and outcomes from in calibration (default: build)."""
        return self.build(design, model)

    @abstractmethod
    def with_outcome(self, design: pd.DataFrame, outcome: Any) -> pd.DataFrame:
        """The design with a simulated outcome (one value per row) in place of its own."""

    # --- figures -------------------------------------------------------------------------

    def figure_data(self, source: FigureSource, *, seed: int) -> pd.DataFrame:
        """The table the case's figures draw: the default real data set or a simulation."""
        if source == "real":
            return self.load()[0]
        return self.simulate(rng=seed).data

    def figures(self) -> tuple[FigureEntry, ...]:
        """The slide figures of this case, in the lecture's order."""
        return ()
