"""Tests for teachkit.cases.grouped.advice: the centring advice follows the fit's own weight of
data against prior, kappa = n sigma_alpha^2 / sigma^2, not a fixed rule."""

from __future__ import annotations

import arviz as az
import numpy as np
import pytest

from teachkit.cases.grouped.advice import DATA_DOMINATE, information_ratio
from teachkit.fitmeta import FitMeta
from teachkit.inference import diagnose
from teachkit.registry import get_case

CHAINS, STATIONS = 4, 12
ADVICE = get_case("ozone").fit_advice


def fit_like(
    *,
    form: str | None,
    days: int,
    sigma_alpha: float = 0.2,
    sigma: float = 0.4,
    divergences: int = 0,
    draws: int = 500,
    shift: float = 0.0,
) -> az.InferenceData:
    """A synthetic ozone fit: ``days`` per station, the sds' draws centred on the given values."""
    rng = np.random.default_rng(5)
    posterior = {
        "mu_alpha": rng.normal(size=(CHAINS, draws)) + shift * np.arange(CHAINS)[:, None],
        "sigma_alpha": sigma_alpha * np.exp(0.01 * rng.normal(size=(CHAINS, draws))),
        "sigma": sigma * np.exp(0.01 * rng.normal(size=(CHAINS, draws))),
        "alpha": rng.normal(size=(CHAINS, draws, STATIONS)),
    }
    diverging = np.zeros((CHAINS, draws), dtype=bool)
    diverging.flat[:divergences] = True
    idata = az.from_dict(
        posterior=posterior,
        sample_stats={"diverging": diverging, "energy": rng.normal(size=(CHAINS, draws))},
        dims={"alpha": ["station"]},
    )
    options = {} if form is None else {"parameterization": form}
    meta = FitMeta(
        case="ozone",
        model="covarying",
        options=options,
        n_obs=days * STATIONS,
        parameters=("mu_alpha", "sigma_alpha", "sigma", "alpha"),
        hyperparameters=("mu_alpha", "sigma_alpha", "sigma"),
        target_accept=0.9,
    )
    return meta.write(idata)


def test_the_ratio_is_days_times_the_variance_ratio() -> None:
    idata = fit_like(form="centered", days=100, sigma_alpha=0.2, sigma=0.4)
    per_station, kappa = information_ratio(idata, FitMeta.of(idata))
    assert per_station == 100
    assert kappa == pytest.approx(100 * 0.2**2 / 0.4**2, rel=0.01)


def test_a_pooled_fit_has_no_ratio() -> None:
    idata = fit_like(form=None, days=100)
    del idata.posterior["sigma_alpha"]
    assert information_ratio(idata, FitMeta.of(idata)) is None


def test_centred_divergences_with_few_days_advise_the_non_centred_form() -> None:
    idata = fit_like(form="centered", days=5, divergences=7)  # kappa = 1.25
    (advice,) = diagnose(idata, advice=ADVICE).advice
    assert advice.startswith("7 divergent transitions: with about 5 rows per station")
    assert "funnel" in advice and "--parameterization noncentered" in advice


def test_centred_divergences_with_many_days_do_not_blame_centring() -> None:
    idata = fit_like(form="centered", days=1400, divergences=3)  # kappa = 350
    (advice,) = diagnose(idata, advice=ADVICE).advice
    assert "about 1,400 rows per station" in advice and "350 times" in advice
    assert "usually the one that mixes well" in advice and "--target-accept" in advice
    assert "--parameterization noncentered" not in advice


def test_a_non_centred_fit_that_mixes_poorly_on_many_days_is_told_to_try_centring() -> None:
    """The issue's case: full data, non-centred, R-hat 1.015 and ESS 450."""
    idata = fit_like(form="noncentered", days=1400, shift=0.2)
    advice = diagnose(idata, advice=ADVICE).advice
    assert advice[0].startswith("R-hat")
    assert "non-centred form often mixes worse" in advice[-1]
    assert "--parameterization shifted" in advice[-1] and "centered" in advice[-1]


def test_the_same_mixing_on_few_days_says_nothing_about_centring() -> None:
    """The rule is the fit's kappa, not the form: few days, non-centred is the right form."""
    idata = fit_like(form="noncentered", days=5, shift=0.2)
    advice = diagnose(idata, advice=ADVICE).advice
    assert not any("parameterization" in line for line in advice)


def test_a_centred_fit_that_mixes_poorly_on_few_days_is_told_to_non_centre() -> None:
    idata = fit_like(form="centered", days=5, shift=0.2)
    advice = diagnose(idata, advice=ADVICE).advice
    assert "--parameterization noncentered" in advice[-1] and "funnel" in advice[-1]


def test_the_threshold_sits_between_the_two_regimes() -> None:
    """kappa just below the threshold counts as prior-dominated, at it as data-dominated."""
    days = int(DATA_DOMINATE * 0.4**2 / 0.2**2)  # kappa = DATA_DOMINATE
    below = diagnose(fit_like(form="centered", days=days - 2, divergences=1), advice=ADVICE)
    at = diagnose(fit_like(form="centered", days=days + 1, divergences=1), advice=ADVICE)
    assert "funnel" in below.advice[0] and "funnel" not in at.advice[0]


def test_non_centred_divergences_advise_smaller_steps_not_non_centring() -> None:
    (advice,) = diagnose(fit_like(form="noncentered", days=5, divergences=2), advice=ADVICE).advice
    assert advice.startswith("2 divergent transitions: the model is already non-centred")
    assert "--target-accept 0.95" in advice and "priors" in advice


def test_a_model_without_the_choice_gets_general_advice() -> None:
    (advice,) = diagnose(fit_like(form=None, days=5, divergences=1), advice=ADVICE).advice
    assert advice.startswith("1 divergent transition: the sampler met curvature")


def test_the_default_shifted_form_with_few_rows_advises_the_non_centred_form() -> None:
    """The shifted form draws the effects centred: with little data per group it meets the
    funnel, and more target acceptance would not help (an instructor's radon table)."""
    idata = fit_like(form="shifted", days=5, divergences=39)  # kappa = 1.25
    (advice,) = diagnose(idata, advice=ADVICE).advice
    assert "funnel" in advice and "--parameterization noncentered" in advice
    assert "--target-accept" not in advice


def test_shifted_divergences_with_many_rows_suggest_comparing_with_non_centred() -> None:
    idata = fit_like(form="shifted", days=1400, divergences=3)  # kappa = 350
    (advice,) = diagnose(idata, advice=ADVICE).advice
    assert "Compare with --parameterization noncentered" in advice
