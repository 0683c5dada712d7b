"""The grouped case: the lecture's four line models on any table with y, one x and groups.

An instructor's own data (reaction times by subject and day, radon by county and floor,
waiting times by café and time of day) with its columns named as they are in the file:
:class:`GroupedCase` checks the table (:mod:`~teachkit.cases.grouped.table`), fits the models
of :mod:`~teachkit.cases.grouped.models` (the same code as the ozone case's, which is this
family with Beijing's columns and the lecture's priors) under priors the user can see and set
(:mod:`~teachkit.cases.grouped.priors`: ``auto``, scaled to the data, or a TOML file), and
plants known truth on the user's own design (:mod:`~teachkit.cases.grouped.simulate`).

The registered instance has no columns of its own: it fits the cafés of Statistical Rethinking
(:data:`~teachkit.cases.grouped.simulate.CAFES`, the shipped data set ``cafes``). A user's
table is named with :meth:`GroupedCase.configured` (``teachkit ... grouped --data FILE --y COL
--x COL --group COL``), which returns a case bound to those columns, priors and centring.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from teachkit.cases.base import CaseStudy, DataSet
from teachkit.cases.grouped.models import (
    SPELLINGS,
    Layout,
    build_lines_model,
    line_model_entries,
    pointwise_log_likelihood,
)
from teachkit.cases.grouped.priors import LinePriors, auto_priors, read_priors_file
from teachkit.cases.grouped.simulate import CAFES, cafes_design, grid_design, simulate_grouped
from teachkit.cases.grouped.table import TABLE_COLUMNS, Columns, tidy_grouped_table
from teachkit.errors import TeachkitError
from teachkit.models.entry import ModelEntry
from teachkit.models.spec import data_fingerprint

if TYPE_CHECKING:
    import arviz as az
    import xarray as xr

    from teachkit.figure_entry import FigureEntry
    from teachkit.models.spec import BuiltModel
    from teachkit.simulation import Simulation

__all__ = ["CASE", "LAYOUT", "GroupedCase", "load_cafes", "model_code"]

#: The canonical table's columns and the names the grouped models give their variables.
LAYOUT = Layout(
    case="grouped",
    y="y",
    x="x",
    group="group",
    dim="group",
    outcome="y",
    x_data="x",
    x_constant="x",
    index="group_index",
)
#: The cafés' columns, as the shipped data set names them.
CAFE_COLUMNS = Columns(y="wait", x="afternoon", group="cafe")
#: The seed of the shipped cafés data set.
CAFES_SEED = 1
#: Truth settings ``simulate`` takes (the covarying model's population).
TRUTH_SETTINGS: tuple[str, ...] = tuple(CAFES)
#: Design settings ``simulate`` takes when the case has no table of its own.
GRID_SETTINGS: tuple[str, ...] = ("n_groups", "per_group")


def load_cafes() -> pd.DataFrame:
    """The cafés of Statistical Rethinking, simulated with the book's settings (seed 1).

    ``cafe`` (1-20), ``afternoon`` (0 or 1), ``wait`` (minutes); 200 rows.
    """
    data = simulate_grouped(rng=CAFES_SEED).data
    return data.rename(columns={"group": "cafe", "x": "afternoon", "y": "wait"})


@dataclasses.dataclass(frozen=True, eq=False)
class GroupedCase(CaseStudy):
    """The grouped case (see the module docstring), bound to a table's columns and priors.

    Attributes
    ----------
    table_columns : Columns
        Which columns of the user's table are y, x and the group (default: the cafés').
    prior_choice : "auto", path or LinePriors
        ``auto`` (:func:`~teachkit.cases.grouped.priors.auto_priors`, from the reference
        table), a TOML file that overrides some of them, or given priors.
    center_x : bool
        Fit with x centred at its mean: intercepts (and ``rho``) are then at the mean of x,
        and every fit also reports them at x = 0 (``alpha_at_x0``, ``mu_alpha_at_x0``).
    dropna : bool
        Drop rows with missing values (counted) instead of refusing the table.
    reference : DataFrame, optional
        The checked table the case is bound to (:meth:`with_data`): auto priors are scaled
        to it, and simulations and calibration use its groups and x values. Default: the
        cafés.
    """

    name: ClassVar[str] = "grouped"
    title: ClassVar[str] = "Your own data: an outcome against one predictor, in groups"
    columns: ClassVar[tuple[str, ...]] = TABLE_COLUMNS
    model_columns: ClassVar[tuple[str, ...]] = TABLE_COLUMNS
    option_spellings: ClassVar[Mapping[str, str]] = SPELLINGS
    calibration_design_defaults: ClassVar[dict[str, int]] = {"n_groups": 20, "per_group": 10}
    lecture_figures: ClassVar[bool] = False  # they draw a user's table: figures --case grouped

    table_columns: Columns = CAFE_COLUMNS
    prior_choice: str | Path | LinePriors = "auto"
    center_x: bool = False
    dropna: bool = False
    reference: pd.DataFrame | None = dataclasses.field(default=None, repr=False)

    # --- configuration -------------------------------------------------------------------

    def configured(
        self,
        *,
        columns: Columns | Mapping[str, str] | None = None,
        priors: str | Path | LinePriors | None = None,
        center_x: bool | None = None,
        dropna: bool | None = None,
    ) -> GroupedCase:
        """The case with the given settings (None keeps the current one).

        ``columns`` maps ``y``, ``x`` and ``group`` to the table's column names; ``priors`` is
        ``"auto"``, a TOML file's path or a :class:`LinePriors`.
        """
        changes: dict[str, Any] = {}
        if columns is not None:
            if not isinstance(columns, Columns):
                unknown = sorted(set(columns) - {"y", "x", "group"})
                lacking = sorted({"y", "x", "group"} - set(columns))
                if unknown or lacking:
                    raise TeachkitError(
                        "columns must map exactly y, x and group to column names"
                        + (f"; unknown {', '.join(unknown)}" if unknown else "")
                        + (f"; missing {', '.join(lacking)}" if lacking else "")
                    )
                columns = Columns(**columns)
            changes["table_columns"] = columns
        if priors is not None:
            named = isinstance(priors, str | Path) and str(priors) != "auto"
            if named and not Path(priors).is_file():
                raise TeachkitError(f"--priors: no such file {priors} (give auto or a TOML file)")
            changes["prior_choice"] = priors
        if center_x is not None:
            changes["center_x"] = bool(center_x)
        if dropna is not None:
            changes["dropna"] = bool(dropna)
        if changes:
            changes["reference"] = None
        return dataclasses.replace(self, **changes)

    def with_data(self, frame: pd.DataFrame) -> GroupedCase:
        """The case bound to a checked table (unless it is bound already)."""
        if self.reference is not None:
            return self
        return dataclasses.replace(self, reference=frame)

    def reference_table(self) -> pd.DataFrame:
        """The table the case is bound to, or the cafés checked as this case reads them."""
        if self.reference is not None:
            return self.reference
        return self._tidy(load_cafes().rename(columns=self._cafe_renames()), "cafes")

    def priors(self) -> LinePriors:
        """The priors every fit of this case uses (auto ones scaled to the reference table)."""
        if isinstance(self.prior_choice, LinePriors):
            return self.prior_choice
        ref = self.reference_table()
        base = auto_priors(ref["y"].to_numpy(), ref["x"].to_numpy())
        if str(self.prior_choice) == "auto":
            return base
        return read_priors_file(self.prior_choice, base)

    def describe(self) -> dict[str, Any]:
        """What a fit of this case records besides its summary: columns, centring, priors."""
        ref = self.reference_table()
        priors = self.priors()
        out: dict[str, Any] = {
            "columns": self.table_columns.as_dict(),
            "center_x": self.center_x,
            "priors": priors.as_dict(),
            "priors_source": priors.source,
            "priors_text": priors.describe(),
        }
        if self.center_x:
            out["x_center"] = float(ref.attrs.get("x_center", 0.0))
        if ref.attrs.get("dropped"):
            out["rows_dropped"] = int(ref.attrs["dropped"])
        return out

    # --- data ----------------------------------------------------------------------------

    @property
    def datasets(self) -> tuple[DataSet, ...]:
        """The cafés (simulated with the book's settings; the default data)."""
        return (
            DataSet(
                "cafes",
                "Statistical Rethinking's cafés: waiting times, morning and afternoon "
                "(simulated, 20 cafés x 10 visits)",
                load_cafes,
            ),
        )

    def load(self, data: str | Path | pd.DataFrame | None = None) -> tuple[pd.DataFrame, str]:
        """A checked table and its label; the shipped cafés are checked like a user's file."""
        frame, label = super().load(data)
        if isinstance(data, pd.DataFrame) or label not in {d.name for d in self.datasets}:
            return frame, label
        return self.check(frame, source=label), label

    def check(self, frame: pd.DataFrame, *, source: str = "data") -> pd.DataFrame:
        """The user's table in canonical form (:func:`tidy_grouped_table`), x centred if asked.

        A table this case checked already (canonical columns, its column mapping and centring
        in ``attrs``) is returned as it is, so a checked table can be fitted again.
        """
        if self._checked(frame):
            return frame
        return self._tidy(frame, source)

    def _checked(self, frame: pd.DataFrame) -> bool:
        return (
            tuple(frame.columns) == TABLE_COLUMNS
            and frame.attrs.get("columns") == self.table_columns.as_dict()
            and ("x_center" in frame.attrs) == self.center_x
        )

    def _tidy(self, frame: pd.DataFrame, source: str) -> pd.DataFrame:
        table = tidy_grouped_table(frame, self.table_columns, source=source, dropna=self.dropna)
        if self.center_x:
            center = float(table["x"].mean())
            table["x"] = table["x"] - center
            table.attrs["x_center"] = center
        return table

    def _cafe_renames(self) -> dict[str, str]:
        """The cafés' column names to this case's (so the cafés pass :meth:`check`)."""
        if self.table_columns == CAFE_COLUMNS:
            return {}
        ours = self.table_columns
        return {"wait": ours.y, "afternoon": ours.x, "cafe": ours.group}

    def fingerprint(self, frame: pd.DataFrame) -> str:
        """Hash of the values, the column mapping, the centring and the priors in use."""
        settings = json.dumps(
            {
                "data": data_fingerprint(frame, TABLE_COLUMNS),
                "columns": self.table_columns.as_dict(),
                "x_center": frame.attrs.get("x_center"),
                "priors": self.with_data(frame).priors().as_dict(),
            },
            sort_keys=True,
        )
        return hashlib.sha256(settings.encode()).hexdigest()[:16]

    # --- models --------------------------------------------------------------------------

    @property
    def model_entries(self) -> tuple[ModelEntry, ...]:  # type: ignore[override]
        """The four line models, built with this case's priors."""
        return line_model_entries(
            self._build,
            noun="group",
            planted={
                "pooled": {"sigma_alpha": 0.0, "sigma_beta": 0.0},
                "varying_intercepts": {"sigma_beta": 0.0},
                "varying_slopes": {"rho": 0.0},
            },
        )

    def _build(
        self,
        data: pd.DataFrame,
        *,
        model: str,
        parameterization: str | None = None,
        likelihood: str,
    ) -> BuiltModel:
        return build_lines_model(
            data,
            model,
            layout=LAYOUT,
            priors=self.with_data(data).priors(),
            parameterization=parameterization,
            likelihood=likelihood,
            x_center=data.attrs.get("x_center") if self.center_x else None,
        )

    def fit_advice(self, idata: az.InferenceData, generic: Mapping[str, str]) -> Mapping[str, str]:
        """Centred or non-centred, from the fit's own data-to-prior weight (:mod:`.advice`)."""
        from teachkit.cases.grouped import advice

        return advice.fit_advice(idata, generic, noun="group")

    def log_likelihood(self, idata: az.InferenceData) -> xr.Dataset:
        """See :func:`~teachkit.cases.grouped.models.pointwise_log_likelihood`."""
        return pointwise_log_likelihood(idata, LAYOUT)

    def model_code(self) -> tuple[str, ...]:
        """The line models' modules (:func:`model_code`)."""
        return model_code()

    # --- figures -------------------------------------------------------------------------

    def figures(self) -> tuple[FigureEntry, ...]:
        """The figures of any grouped table (:mod:`~teachkit.cases.grouped.figures`)."""
        from teachkit.cases.grouped.figures import FIGURES

        return FIGURES

    # --- known truth ---------------------------------------------------------------------

    def simulate(self, *, rng: Any = None, **options: Any) -> Simulation:
        """Planted truth on the reference table's design (or a grid), in the table's columns.

        ``options``: the population (``mu_alpha``, ``mu_beta``, ``sigma_alpha``,
        ``sigma_beta``, ``rho``, ``sigma``; default the cafés'), and, to simulate on a grid
        instead, ``n_groups`` and ``per_group``. The data come back with the user's column
        names (x uncentred), so they read back like the user's own file.
        """
        unknown = sorted(set(options) - set(TRUTH_SETTINGS) - set(GRID_SETTINGS))
        if unknown:
            allowed = ", ".join((*TRUTH_SETTINGS, *GRID_SETTINGS))
            raise TeachkitError(
                f"grouped simulate has no setting {', '.join(unknown)}; its settings: {allowed}"
            )
        grid = {k: options.pop(k) for k in GRID_SETTINGS if k in options}
        if grid:
            design = grid_design(**{**self.calibration_design_defaults, **grid})
        else:
            design = self._raw_design()
        sim = simulate_grouped(design, rng=rng, **options)
        names = self.table_columns
        data = sim.data.rename(columns={"group": names.group, "x": names.x, "y": names.y})
        return dataclasses.replace(sim, data=data)

    def _raw_design(self) -> pd.DataFrame:
        """The reference table's groups and x, with x back on the user's scale."""
        ref = self.reference_table()
        return pd.DataFrame({"group": ref["group"], "x": ref["x"] + ref.attrs.get("x_center", 0.0)})

    def truth(self, model: str, sim: Simulation) -> dict[str, float]:
        r"""The planted values of ``model``'s parameters, at the mean of x when it is centred.

        Centring x at :math:`c` moves each intercept to :math:`\alpha_j + \beta_j c`, so the
        population mean becomes :math:`\mu_\alpha + \mu_\beta c`, its sd
        :math:`\sqrt{\sigma_\alpha^2 + 2 \rho \sigma_\alpha \sigma_\beta c +
        \sigma_\beta^2 c^2}`, and :math:`\rho` the correlation of the moved intercepts with
        the slopes.
        """
        t = dict(sim.truth)
        if self.center_x:
            c = float(self.check(sim.data, source="simulation").attrs["x_center"])
            t = _truth_at(t, c)
        return self.model_entry(model).planted_values(dataclasses.replace(sim, truth=t))

    # --- calibration ---------------------------------------------------------------------

    def _design(self, *, seed: int, n_groups: int, per_group: int) -> pd.DataFrame:
        """The reference table's design (a bound case) or the cafés' shape, y to be replaced."""
        if self.reference is not None:
            design = self.reference[["group", "x"]].copy()
            design.attrs = dict(self.reference.attrs)
        else:
            design = cafes_design(n_groups, per_group)
            if self.center_x:
                design.attrs["x_center"] = float(design["x"].mean())
                design["x"] = design["x"] - design.attrs["x_center"]
        design["y"] = 0.0
        return design

    def generative_model(self, design: pd.DataFrame, model: str) -> BuiltModel:
        """The pointwise form, whose observed ``y`` PyMC can draw."""
        return self.build(design, model, likelihood="pointwise")

    def with_outcome(self, design: pd.DataFrame, outcome: Any) -> pd.DataFrame:
        """The design with a simulated y."""
        data = design.copy()
        data["y"] = np.asarray(outcome, dtype=float)
        return data

    def figure_data(self, source: Any, *, seed: int) -> pd.DataFrame:
        """The reference table (real) or a simulation on its design, checked."""
        if source == "real":
            return self.reference_table()
        return self.check(self.simulate(rng=seed).data, source="simulation")


def model_code() -> tuple[str, ...]:
    """The modules whose source determines a line model's draws (the fit store's key)."""
    from teachkit.cases.grouped import covariance_prior, models, priors, statistics

    return tuple(m.__name__ for m in (models, priors, statistics, covariance_prior))


def _truth_at(truth: dict[str, float], c: float) -> dict[str, float]:
    """The planted population and group lines with intercepts moved to x = c."""
    out = dict(truth)
    s_a, s_b, rho = truth["sigma_alpha"], truth["sigma_beta"], truth["rho"]
    out["mu_alpha"] = truth["mu_alpha"] + truth["mu_beta"] * c
    var = s_a**2 + 2 * rho * s_a * s_b * c + (s_b * c) ** 2
    out["sigma_alpha"] = float(np.sqrt(var))
    if var > 0 and s_b > 0:
        out["rho"] = float((rho * s_a * s_b + s_b**2 * c) / (np.sqrt(var) * s_b))
    for key, value in truth.items():
        if key.startswith("alpha["):
            out[key] = value + truth["beta[" + key[len("alpha[") :]] * c
    return out


#: The registered grouped case (the cafés until a table is named).
CASE = GroupedCase()
