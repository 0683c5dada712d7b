r"""What to do about a line model's fit, from what the fit itself shows: centred or not.

Whether the centred or the non-centred form of a hierarchical model samples better depends on
how much each group's data say against the population prior (Papaspiliopoulos, Roberts and
Sköld 2007, "A general framework for the parametrization of hierarchical models", Statistical
Science 22(1); Betancourt and Girolami 2015, "Hamiltonian Monte Carlo for hierarchical
models"). For a group with :math:`n_j` rows the data's precision on its intercept is
:math:`n_j / \sigma^2` and the population's :math:`1 / \sigma_\alpha^2`; their ratio

.. math:: \kappa = n_j \, \sigma_\alpha^2 / \sigma^2

is the weight partial pooling gives the group's own data over the population, as odds.
With :math:`\kappa \gg 1` the likelihood pins each group's effect, the centred form's
funnel never opens and the centred form mixes better; with :math:`\kappa \lesssim 1` the
prior dominates, the centred posterior is a funnel and the non-centred form mixes better.
On the full Beijing data (about 1,400 days per station) :math:`\kappa` is in the thousands;
on the funnel figure's five-day subsample it is near 1. The advice states the fit's own
:math:`\kappa`, so it says what this fit shows rather than a fixed rule. The ozone and the
grouped case give this advice, each naming its groups (stations, groups).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from teachkit.fitmeta import FitMeta
from teachkit.inference import divergences_said, generic_divergence_advice

if TYPE_CHECKING:
    import arviz as az

__all__ = ["DATA_DOMINATE", "fit_advice", "information_ratio"]

#: :math:`\kappa` at or above which each group's data outweigh the population prior: partial
#: pooling then gives the group's own estimate more than 90% of the weight, and the centred
#: form is the one expected to mix well.
DATA_DOMINATE = 10.0


def information_ratio(idata: az.InferenceData, meta: FitMeta) -> tuple[float, float] | None:
    r""":math:`(\bar n, \kappa)`: rows per group and :math:`\bar n\,\sigma_\alpha^2/\sigma^2`.

    From the posterior means of :math:`\sigma_\alpha` and :math:`\sigma`; None for a fit
    without group intercepts drawn from a population (the pooled model, a fit made
    elsewhere).
    """
    post = idata.posterior
    if not {"alpha", "sigma_alpha", "sigma"} <= set(post.data_vars) or post["alpha"].ndim < 3:
        return None
    per_station = meta.n_obs / post["alpha"].shape[-1]
    sigma_alpha = float(np.mean(post["sigma_alpha"]))
    sigma = float(np.mean(post["sigma"]))
    return per_station, per_station * sigma_alpha**2 / sigma**2


def fit_advice(
    idata: az.InferenceData, generic: Mapping[str, str], *, noun: str = "group"
) -> dict[str, str]:
    """A line model's advice (``CaseStudy.fit_advice``): centring, from the fit's own κ.

    ``noun`` names the groups (``"station"`` for ozone). A fit whose group intercepts are
    integrated out (``parameterization="marginal"``) has no funnel to advise on.
    """
    meta = FitMeta.of(idata)
    form = meta.options.get("parameterization")
    advice: dict[str, str] = {}
    if form == "marginal" and "divergences" in generic:
        said = divergences_said(int(idata.sample_stats["diverging"].sum()))
        why = f"the {noun} intercepts are already integrated out, so"
        advice["divergences"] = generic_divergence_advice(meta, said, why=why)
    ratio = information_ratio(idata, meta)
    if form not in ("centered", "shifted", "noncentered") or ratio is None:
        return advice
    # the shifted form draws the group effects centred (only their intercepts are sampled at
    # the groups' mean x), so it meets the same funnel as the centred one
    centred = form in ("centered", "shifted")
    per_station, kappa = ratio
    data_dominate = kappa >= DATA_DOMINATE
    shown = (
        f"about {per_station:,.0f} rows per {noun}, whose data weigh "
        f"n σ_α²/σ² ≈ {kappa:,.3g} times the population prior"
    )
    said = divergences_said(int(idata.sample_stats["diverging"].sum()))
    if centred and "divergences" in generic and not data_dominate:
        advice["divergences"] = (
            f"{said}: with {shown}, the centred form meets a funnel where the group-level sds "
            "are small; refit with parameterization='noncentered' (--parameterization "
            "noncentered)."
        )
    elif centred and "divergences" in generic:
        why = (
            f"with {shown}, the centred form is usually the one that mixes well, so the "
            "divergences more likely come from the hyperpriors' tails;"
        )
        other = "noncentered" if form == "shifted" else "shifted (the default)"
        advice["divergences"] = (
            generic_divergence_advice(meta, said, why=why)
            + f" Compare with --parameterization {other} and keep the form whose "
            "R-hat and ESS are better."
        )
    elif form == "noncentered" and "divergences" in generic:
        why = "the model is already non-centred, so"
        advice["divergences"] = generic_divergence_advice(meta, said, why=why)
    mixing = {"r_hat", "ess"} & set(generic)
    if mixing and form == "noncentered" and data_dominate:
        advice["parameterization"] = (
            f"this non-centred fit has {shown}: there the non-centred form often mixes worse "
            "than the centred one; refit with --parameterization shifted (the default) or "
            "centered and keep the form whose R-hat and ESS are better."
        )
    elif mixing and centred and not data_dominate:
        advice["parameterization"] = (
            f"this centred fit has {shown}: there the centred form mixes poorly in the "
            "funnel; refit with --parameterization noncentered."
        )
    return advice
