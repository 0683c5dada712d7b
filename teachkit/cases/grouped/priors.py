r"""The priors of the lecture's line models, as values a user can see, set and store.

Every model of the family (:mod:`~teachkit.cases.grouped.models`) has

.. math::

    y_i \sim \mathrm{Normal}(\alpha_j + \beta_j x_i, \sigma)

with :math:`\alpha` (or its population mean :math:`\mu_\alpha`) ~ Normal(``intercept``),
:math:`\beta` (or :math:`\mu_\beta`) ~ Normal(``slope``), the scales :math:`\sigma`,
:math:`\sigma_\alpha`, :math:`\sigma_\beta` each with a half-Cauchy, half-normal or exponential
prior, and :math:`R \sim \mathrm{LKJ}(\eta)` for the covarying model. :class:`LinePriors` holds
one such set: the lecture's for Beijing (:data:`teachkit.cases.ozone.models.LECTURE_PRIORS`),
:func:`auto_priors` scaled to a user's data, or either overridden from a TOML file
(:func:`read_priors_file`).

``auto`` follows the autoscaling of rstanarm (Gabry & Goodrich, "Prior distributions for
rstanarm models", 2024: normal priors with scale 2.5 sd(y) / sd(x) for slopes, exponential
with rate 1 / sd(y) for sds) and bambi (Capretto et al. 2022, J. Stat. Softw. 103(15):
the intercept's scale grows with the distance of x = 0 from the data's mean of x).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from teachkit.checks import check_choice
from teachkit.errors import TeachkitError

__all__ = [
    "AUTO_SCALE",
    "SCALE_FAMILIES",
    "LinePriors",
    "NormalPrior",
    "ScalePrior",
    "auto_priors",
    "read_priors_file",
]

#: rstanarm's and bambi's multiplier: a prior sd of 2.5 data sds is weakly informative.
AUTO_SCALE = 2.5
#: Families a scale parameter's prior may have; each has one parameter, its ``scale``.
SCALE_FAMILIES: tuple[str, ...] = ("halfcauchy", "halfnormal", "exponential")
_LOG_2_OVER_PI = math.log(2.0 / math.pi)


@dataclass(frozen=True)
class NormalPrior:
    """Normal(``mean``, ``sd``): the prior of an intercept or a slope (or their means)."""

    mean: float
    sd: float

    def __str__(self) -> str:
        return f"Normal({_num(self.mean)}, {_num(self.sd)})"


@dataclass(frozen=True)
class ScalePrior:
    r"""The prior of an sd: half-Cauchy, half-normal or exponential, with one ``scale``.

    ``scale`` is the half-Cauchy's and half-normal's scale and the exponential's mean (its
    rate is :math:`1 / \mathrm{scale}`).
    """

    family: str
    scale: float

    def __post_init__(self) -> None:
        check_choice("prior family of an sd", self.family, SCALE_FAMILIES)
        if not (math.isfinite(self.scale) and self.scale > 0):
            raise TeachkitError(f"a prior's scale must be a positive number, got {self.scale}")

    def __str__(self) -> str:
        names = {"halfcauchy": "HalfCauchy", "halfnormal": "HalfNormal"}
        if self.family == "exponential":
            return f"Exponential(mean {_num(self.scale)})"
        return f"{names[self.family]}({_num(self.scale)})"

    def variable(self, pm: Any, name: str, **kwargs: Any) -> Any:
        """A free PyMC variable called ``name`` with this prior."""
        if self.family == "halfcauchy":
            return pm.HalfCauchy(name, beta=self.scale, **kwargs)
        if self.family == "halfnormal":
            return pm.HalfNormal(name, sigma=self.scale, **kwargs)
        return pm.Exponential(name, lam=1.0 / self.scale, **kwargs)

    def dist(self, pm: Any, size: Any = None) -> Any:
        """The unnamed distribution (for ``pm.CustomDist`` generators and ``sd_dist``)."""
        if self.family == "halfcauchy":
            return pm.HalfCauchy.dist(self.scale, size=size)
        if self.family == "halfnormal":
            return pm.HalfNormal.dist(self.scale, size=size)
        return pm.Exponential.dist(1.0 / self.scale, size=size)

    def logp(self, x: Any, x2: Any = None, *, log: Any = np.log, log1p: Any = np.log1p) -> Any:
        r"""Log density at ``x`` (``x2``: :math:`x^2`, when the caller has it without a root).

        :math:`\log(2/\pi) - \log s - \log(1 + x^2/s^2)` (half-Cauchy),
        :math:`\tfrac12 \log(2/\pi) - \log s - x^2 / (2 s^2)` (half-normal),
        :math:`-\log s - x / s` (exponential). Arithmetic only, so it works on numpy arrays
        and, given PyTensor's ``log`` and ``log1p``, on tensors; a unit scale adds no
        operation, so the lecture's HalfCauchy(1) graph is exactly the one written before
        the priors could be set.
        """
        s = self.scale
        if self.family == "exponential":
            return -math.log(s) - x / s
        square = x**2 if x2 is None else x2
        scaled = square if s == 1.0 else square / (s * s)
        if self.family == "halfcauchy":
            out = _LOG_2_OVER_PI - log1p(scaled)
        else:
            out = 0.5 * _LOG_2_OVER_PI - 0.5 * scaled
        return out if s == 1.0 else out - math.log(s)


@dataclass(frozen=True)
class LinePriors:
    r"""The priors of every model of the family, one value per parameter.

    Attributes
    ----------
    intercept : NormalPrior
        Of :math:`\alpha` (pooled) or :math:`\mu_\alpha`, the intercept at x = 0 (at the mean
        of x when the case centres x).
    slope : NormalPrior
        Of :math:`\beta` (pooled, varying intercepts) or :math:`\mu_\beta`.
    sigma, sigma_alpha, sigma_beta : ScalePrior
        Of the residual sd and the groups' sds.
    lkj_eta : float
        The LKJ shape of the covarying model's correlation matrix.
    source : str
        Where the values come from (``"lecture"``, ``"auto"``, a file's name), for reports.
    """

    intercept: NormalPrior
    slope: NormalPrior
    sigma: ScalePrior
    sigma_alpha: ScalePrior
    sigma_beta: ScalePrior
    lkj_eta: float = 2.0
    source: str = field(default="given", compare=False)

    def describe(self) -> dict[str, str]:
        """Each prior as the formula a table prints, by canonical parameter name."""
        return {
            "mu_alpha (alpha if pooled)": str(self.intercept),
            "mu_beta (beta if common)": str(self.slope),
            "sigma": str(self.sigma),
            "sigma_alpha": str(self.sigma_alpha),
            "sigma_beta": str(self.sigma_beta),
            "R (covarying)": f"LKJ({_num(self.lkj_eta)})",
        }

    def as_dict(self) -> dict[str, Any]:
        """Plain values (for a fit's record, the fit store's key and TOML files)."""
        out = asdict(self)
        out.pop("source")
        return out

    def with_overrides(self, table: Mapping[str, Any], *, source: str) -> LinePriors:
        """These priors with the entries of a parsed TOML table replacing theirs.

        Keys: ``mu_alpha`` (or ``alpha``), ``mu_beta`` (or ``beta``) with ``mean`` and/or
        ``sd``; ``sigma``, ``sigma_alpha``, ``sigma_beta`` with ``family`` and/or ``scale``;
        ``lkj_eta``. Anything else is refused in one line naming the keys allowed.
        """
        names = {"alpha": "intercept", "mu_alpha": "intercept", "beta": "slope", "mu_beta": "slope"}
        allowed = (*names, "sigma", "sigma_alpha", "sigma_beta", "lkj_eta")
        changes: dict[str, Any] = {}
        for key, value in table.items():
            check_choice(f"prior in {source}", key, allowed)
            if key == "lkj_eta":
                changes["lkj_eta"] = _positive(value, f"{source}: lkj_eta")
                continue
            attr = names.get(key, key)
            current = getattr(self, attr)
            if not isinstance(value, Mapping):
                raise TeachkitError(
                    f"{source}: {key} must be a table such as {key} = {_example(current)}"
                )
            fields = set(current.__dataclass_fields__)
            unknown = sorted(set(value) - fields)
            if unknown:
                raise TeachkitError(
                    f"{source}: {key} has no {', '.join(unknown)}; it takes {', '.join(fields)}"
                )
            parts = {
                k: (str(v) if k == "family" else _number(v, f"{source}: {key}.{k}"))
                for k, v in value.items()
            }
            if "sd" in parts:
                _positive(parts["sd"], f"{source}: {key}.sd")
            try:
                changes[attr] = replace(current, **parts)
            except TeachkitError as err:
                raise TeachkitError(f"{source}: {key}: {err}") from None
        return replace(self, **changes, source=source)


def auto_priors(y: np.ndarray, x: np.ndarray) -> LinePriors:
    r"""Weakly informative priors scaled to the data (rstanarm's and bambi's defaults).

    With :math:`\bar y, s_y, \bar x, s_x` the data's means and sds and :math:`k = 2.5`:

    * slope: :math:`\mathrm{Normal}(0, k\, s_y / s_x)`;
    * intercept at :math:`x = 0`: :math:`\mathrm{Normal}(\bar y, k \sqrt{s_y^2 + (s_y \bar x /
      s_x)^2})` (bambi's: the sd grows with the extrapolation from :math:`\bar x` to 0; with x
      centred, :math:`\bar x = 0` and it is :math:`k s_y`);
    * :math:`\sigma, \sigma_\alpha \sim \mathrm{Exponential}` with mean :math:`s_y`, and
      :math:`\sigma_\beta` with mean :math:`s_y / s_x` (rstanarm's rate :math:`1 / s_y`);
    * :math:`R \sim \mathrm{LKJ}(2)`.

    Examples
    --------
    >>> p = auto_priors(np.array([1.0, 3.0, 5.0]), np.array([0.0, 1.0, 2.0]))
    >>> str(p.slope), str(p.sigma_beta)
    ('Normal(0, 5)', 'Exponential(mean 2)')
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    s_y, s_x = float(np.std(y, ddof=1)), float(np.std(x, ddof=1))
    if not (s_y > 0 and s_x > 0):
        raise TeachkitError("auto priors need y and x that vary (their sds are 0)")
    x_mean = float(np.mean(x))
    slope_sd = AUTO_SCALE * s_y / s_x
    return LinePriors(
        intercept=NormalPrior(
            _round(float(np.mean(y))), _round(AUTO_SCALE * math.hypot(s_y, s_y * x_mean / s_x))
        ),
        slope=NormalPrior(0.0, _round(slope_sd)),
        sigma=ScalePrior("exponential", _round(s_y)),
        sigma_alpha=ScalePrior("exponential", _round(s_y)),
        sigma_beta=ScalePrior("exponential", _round(s_y / s_x)),
        lkj_eta=2.0,
        source="auto",
    )


def read_priors_file(path: str | Path, base: LinePriors) -> LinePriors:
    """``base`` with the priors a TOML file sets (see :meth:`LinePriors.with_overrides`).

    Raises
    ------
    TeachkitError
        One line for a missing or unparsable file or an entry that is not a prior.
    """
    path = Path(path)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TeachkitError(f"priors file {path} does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise TeachkitError(f"priors file {path.name} is not valid TOML: {err}") from None
    return base.with_overrides(table, source=path.name)


def _round(value: float) -> float:
    """Three significant digits: priors a table can print and a user can retype."""
    return float(f"{value:.3g}")


def _num(value: float) -> str:
    return f"{value:g}"


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TeachkitError(f"{where} must be a finite number, got {value!r}")
    return float(value)


def _positive(value: Any, where: str) -> float:
    number = _number(value, where)
    if number <= 0:
        raise TeachkitError(f"{where} must be positive, got {value!r}")
    return number


def _example(prior: NormalPrior | ScalePrior) -> str:
    if isinstance(prior, NormalPrior):
        return f"{{ mean = {_num(prior.mean)}, sd = {_num(prior.sd)} }}"
    return f'{{ family = "{prior.family}", scale = {_num(prior.scale)} }}'
