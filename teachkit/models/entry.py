"""One model of a case study as one record: :class:`ModelEntry`.

A case study lists its models as records (``CaseStudy.model_entries``): the name, the builder,
the hyperparameters and group-level parameters, the simulator settings the model is true for
and how to read its planted values, and the options the builder takes. Everything generic
(checking a model name and its options, building, simulating data the model is true for,
recovery) reads the record, so adding a model to a case is adding one record (and its builder)
in the case's package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from teachkit.checks import check_choice
from teachkit.errors import TeachkitError

if TYPE_CHECKING:
    import pandas as pd

    from teachkit.models.spec import BuiltModel
    from teachkit.simulation import Simulation

__all__ = ["ModelEntry", "resolve_model_options"]


@dataclass(frozen=True)
class ModelEntry:
    """A model of a case study.

    Attributes
    ----------
    name : str
        The model's name, e.g. ``"covarying"``.
    description : str
        One line: what varies and how.
    build : callable
        ``build(data, **options) -> BuiltModel``, called with every option resolved.
    hyperparameters : tuple of str
        Its population-level canonical parameters, in summary order.
    group_parameters : tuple of str
        Its group-level canonical parameters (``alpha`` for ``alpha[3]``, ...).
    options : mapping of str to tuple of str
        Each option the builder takes and its allowed values, the default first (e.g.
        ``{"parameterization": ("noncentered", "centered")}``); empty for none.
    planted : mapping
        Simulator settings for which this model is the true model (over the case's
        defaults; see ``CaseStudy.simulate_for``).
    truth : callable, optional
        ``truth(sim) -> {canonical name: value}``, the planted values of the model's
        parameters; default: each hyperparameter's planted value under its own name (or the
        name given in ``aliases``) and every planted entry of a group parameter.
    aliases : mapping of str to str
        Canonical parameters planted under another name, e.g. the pooled model's ``alpha`` is
        the simulator's ``mu_alpha``.
    """

    name: str
    description: str
    build: Callable[..., BuiltModel]
    hyperparameters: tuple[str, ...]
    group_parameters: tuple[str, ...] = ()
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    planted: Mapping[str, Any] = field(default_factory=dict)
    truth: Callable[[Simulation], dict[str, float]] | None = None
    aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def parameters(self) -> tuple[str, ...]:
        """Every canonical parameter, hyperparameters first."""
        return self.hyperparameters + self.group_parameters

    def planted_values(self, sim: Simulation) -> dict[str, float]:
        """The planted values of this model's canonical parameters in ``sim``."""
        if self.truth is not None:
            return self.truth(sim)
        t = sim.truth
        out = {p: float(t[self.aliases.get(p, p)]) for p in self.hyperparameters}
        for group in self.group_parameters:
            out.update({k: float(v) for k, v in t.items() if k.startswith(f"{group}[")})
        return out

    def build_on(self, data: pd.DataFrame, options: Mapping[str, str | None]) -> BuiltModel:
        """Build the model on ``data`` with resolved ``options``."""
        return self.build(data, **options)


def resolve_model_options(
    entry: ModelEntry,
    given: Mapping[str, str | None],
    *,
    case: str,
    spellings: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Check ``given`` options against ``entry`` and fill in the defaults.

    Options the model does not take are refused, naming the ones it does take; an option set
    to None takes its default. ``spellings`` maps other spellings a user may type to the
    allowed values (e.g. ``"centred"`` to ``"centered"``).

    Examples
    --------
    >>> e = ModelEntry("m", "a toy", build=print, hyperparameters=("mu",),
    ...                options={"form": ("fast", "slow")})
    >>> resolve_model_options(e, {}, case="toy")
    {'form': 'fast'}
    >>> resolve_model_options(e, {"form": "slow"}, case="toy")
    {'form': 'slow'}
    >>> resolve_model_options(e, {"speed": "high"}, case="toy")
    Traceback (most recent call last):
    ...
    teachkit.errors.TeachkitError: the toy model 'm' takes no option speed; its options: form
    """
    given = {k: v for k, v in given.items() if v is not None}
    unknown = sorted(set(given) - set(entry.options))
    if unknown:
        allowed = ", ".join(entry.options) or "none"
        raise TeachkitError(
            f"the {case} model {entry.name!r} takes no option {', '.join(unknown)}; "
            f"its options: {allowed}"
        )
    resolved = {}
    for name, allowed_values in entry.options.items():
        value = given.get(name, allowed_values[0])
        value = (spellings or {}).get(str(value), value)
        resolved[name] = check_choice(name, value, allowed_values)
    return resolved
