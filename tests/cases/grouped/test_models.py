"""Structure and maths of teachkit.cases.grouped.models on a user's table (no MCMC).

The models' log densities are checked at random points against each other (the sufficient
and the pointwise likelihood; the shifted and the centred coding) and against an independent
reference written with scipy (the normal likelihood and each prior's scipy density), under
the auto priors (exponential sds, a nonzero intercept mean) and under a TOML override
(half-normal and half-Cauchy sds with scales other than 1, another LKJ shape).
"""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pymc as pm
import pytensor
import pytensor.tensor as pt
import pytest
from scipy import integrate, stats

from teachkit.cases.grouped import CASE, LAYOUT
from teachkit.cases.grouped.models import LINE_MODELS, build_lines_model
from teachkit.cases.grouped.priors import LinePriors, ScalePrior, auto_priors, read_priors_file
from teachkit.cases.grouped.simulate import simulate_grouped

#: Random points per log-density comparison.
N_POINTS = 20
#: Group labels in an order that is not sorted, so that sorting them is checked too.
LABELS = ("kiwi", "apple", "mango", "fig", "date")
#: A TOML file that overrides every kind of prior (scales != 1, families other than auto's).
OVERRIDE_TOML = """\
mu_alpha = { mean = 1.5, sd = 4.0 }
mu_beta = { sd = 0.7 }
sigma = { family = "halfnormal", scale = 2.0 }
sigma_alpha = { family = "halfcauchy", scale = 3.0 }
sigma_beta = { family = "halfcauchy", scale = 0.4 }
lkj_eta = 3.5
"""


def _table(seed: int = 0) -> pd.DataFrame:
    """5 groups with string labels, 8-14 rows each, x uniform on (2, 8) (its mean far from 0)."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(8, 15, len(LABELS))
    design = pd.DataFrame(
        {"group": np.repeat(LABELS, sizes), "x": rng.uniform(2.0, 8.0, sizes.sum())}
    )
    return simulate_grouped(design, mu_alpha=2.0, mu_beta=0.5, rng=seed).data


DATA = _table()
AUTO = auto_priors(DATA["y"].to_numpy(), DATA["x"].to_numpy())


OVERRIDE = AUTO.with_overrides(tomllib.loads(OVERRIDE_TOML), source="mine.toml")
PRIORS = {"auto": AUTO, "override": OVERRIDE}


def test_the_override_is_what_the_file_says(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(OVERRIDE_TOML, encoding="utf-8")
    assert read_priors_file(path, AUTO) == OVERRIDE
    assert OVERRIDE.sigma == ScalePrior("halfnormal", 2.0)
    assert OVERRIDE.sigma_beta == ScalePrior("halfcauchy", 0.4)
    assert (OVERRIDE.intercept.mean, OVERRIDE.intercept.sd) == (1.5, 4.0)
    assert OVERRIDE.slope.mean == AUTO.slope.mean  # kept from auto
    assert OVERRIDE.lkj_eta == 3.5
    assert AUTO.sigma.family == "exponential" and AUTO.intercept.mean != 0


def build(model: str, priors: LinePriors = AUTO, data: pd.DataFrame = DATA, **options):
    options.setdefault("likelihood", "sufficient")
    return build_lines_model(data, model, layout=LAYOUT, priors=priors, **options)


# --- names ----------------------------------------------------------------------------------

FREE = {
    ("pooled", None): ["alpha", "beta", "sigma"],
    ("varying_intercepts", "noncentered"): ["mu_alpha", "sigma_alpha", "z_alpha", "beta", "sigma"],
    ("varying_intercepts", "centered"): ["mu_alpha", "sigma_alpha", "alpha", "beta", "sigma"],
    ("varying_slopes", "noncentered"): [
        "mu_alpha", "sigma_alpha", "z_alpha", "mu_beta", "sigma_beta", "z_beta", "sigma"],
    ("varying_slopes", "centered"): [
        "mu_alpha", "sigma_alpha", "alpha", "mu_beta", "sigma_beta", "beta", "sigma"],
    ("covarying", "noncentered"): ["mu_alpha", "mu_beta", "chol_cov", "z", "sigma"],
    ("covarying", "centered"): ["mu_alpha", "mu_beta", "chol_cov", "alpha_beta", "sigma"],
    ("varying_intercepts", "shifted"): ["beta", "mu_alpha_c", "sigma_alpha", "alpha_c", "sigma"],
    ("varying_slopes", "shifted"): [
        "mu_beta", "mu_alpha_c", "sigma_alpha", "sigma_beta", "beta", "alpha_c", "sigma"],
    ("covarying", "shifted"): ["mu_beta", "mu_alpha_c", "cov_reg", "beta", "alpha_c", "sigma"],
}  # fmt: skip


@pytest.mark.parametrize(("model", "param"), list(FREE))
def test_free_variables(model: str, param: str | None) -> None:
    for likelihood in ("sufficient", "pointwise"):
        built = build(model, parameterization=param, likelihood=likelihood)
        assert [v.name for v in built.model.free_RVs] == FREE[(model, param)]


@pytest.mark.parametrize("model", LINE_MODELS)
def test_canonical_names_dims_and_the_group_labels_as_coords(model: str) -> None:
    built = build(model, parameterization=None if model == "pooled" else "shifted")
    m = built.model
    names = {v.name for v in m.free_RVs} | {v.name for v in m.deterministics}
    assert set(built.spec.parameters) <= names
    assert m.coords["group"] == tuple(sorted(LABELS))
    varying = {"pooled": (), "varying_intercepts": ("alpha",)}.get(model, ("alpha", "beta"))
    for name in ("alpha", "beta"):
        assert m.named_vars_to_dims.get(name, ()) == (("group",) if name in varying else ())
    assert built.spec.case == "grouped"
    # each row's group position points at its own label in the coords
    index = built.spec.constant["group_index"]
    assert [m.coords["group"][i] for i in index] == DATA["group"].tolist()


def test_integer_group_labels_are_coords_in_numeric_order() -> None:
    data = DATA.assign(
        group=DATA["group"].map(dict(zip(LABELS, [308, 12, 5, 1000, 77], strict=True)))
    )
    m = build("varying_slopes", data=data, parameterization="centered").model
    assert m.coords["group"] == (5, 12, 77, 308, 1000)  # numbers, not "1000" < "12" < ...
    names = CASE.model_entry("varying_slopes").hyperparameters
    assert "sigma_beta" in names


# --- the two likelihoods ----------------------------------------------------------------------


def random_points(m: pm.Model, n: int, seed: int) -> list[dict[str, np.ndarray]]:
    """Random points in the unconstrained space of the model's value variables."""
    rng = np.random.default_rng(seed)
    start = m.initial_point()
    return [{k: rng.normal(0, 1, size=np.shape(v)) for k, v in start.items()} for _ in range(n)]


def lkj_log_mass(eta: float) -> float:
    """Log of the integral of PyMC's LKJ(eta) density for n = 2 (by quadrature: it is not 1)."""
    value = pt.dvector("rho")
    density = pytensor.function([value], pt.exp(pm.logp(pm.LKJCorr.dist(n=2, eta=eta), value)))
    mass, _ = integrate.quad(lambda r: float(density(np.array([r]))), -1, 1)
    return float(np.log(mass))


LIKELIHOOD_CASES = [
    ("pooled", None),
    *itertools.product(LINE_MODELS[1:], ["shifted", "noncentered", "centered"]),
]
#: How far the log densities of the two likelihoods may differ at one point (float rounding of
#: sums near -160), and how far from the quadrature's constant their constant difference may be.
ROUNDING = 1e-9
QUADRATURE = 1e-6


def slow_unless(cases: list[tuple], fast: set[tuple]) -> list:
    """``cases``, all but the ``fast`` ones marked slow (each compiles models: ~1-3 s)."""
    return [c if c in fast else pytest.param(*c, marks=pytest.mark.slow) for c in cases]


@pytest.mark.parametrize(
    ("model", "param", "prior_set"),
    slow_unless(
        [(*case, p) for case in LIKELIHOOD_CASES for p in PRIORS],
        {
            ("pooled", None, "auto"),
            ("varying_intercepts", "centered", "override"),
            ("varying_slopes", "noncentered", "override"),
            ("covarying", "shifted", "auto"),
            ("covarying", "centered", "override"),
        },
    ),
)
def test_sufficient_and_pointwise_likelihoods_give_the_same_log_density(
    model: str, param: str | None, prior_set: str
) -> None:
    """Equal at random points; the slides' covarying prior (LKJCholeskyCov, unless shifted)
    differs by PyMC's LKJ normalising constant, found by quadrature (none for the shifted form,
    which codes the prior itself in both likelihoods). The override's sds have different
    scales, so the slides' ``sd_dist`` is a vector of two half-Cauchy scales."""
    priors = PRIORS[prior_set]
    fast = build(model, priors, parameterization=param).model
    slow = build(model, priors, parameterization=param, likelihood="pointwise").model
    assert set(fast.initial_point()) == set(slow.initial_point())
    constant = 0.0
    if model == "covarying" and param != "shifted":
        constant = lkj_log_mass(priors.lkj_eta)
    logp_fast, logp_slow = fast.compile_logp(), slow.compile_logp()
    seed = LIKELIHOOD_CASES.index((model, param))
    differences = []
    for point in random_points(fast, N_POINTS, seed=seed):
        a, b = logp_fast(point), logp_slow(point)
        assert np.isfinite(a)
        differences.append(float(a - b))
    assert np.ptp(differences) < ROUNDING
    assert abs(np.mean(differences) + constant) < (QUADRATURE if constant else ROUNDING)


# --- an independent reference -----------------------------------------------------------------


def scipy_sd(prior: ScalePrior):
    """A ScalePrior as a frozen scipy distribution."""
    return {
        "halfcauchy": stats.halfcauchy(scale=prior.scale),
        "halfnormal": stats.halfnorm(scale=prior.scale),
        "exponential": stats.expon(scale=prior.scale),
    }[prior.family]


def reference_logp(model: str, t: dict, priors: LinePriors, data: pd.DataFrame) -> float:
    """The model's log density at the parameters ``t`` (alpha, beta by label), from scipy."""
    alpha = data["group"].map(t["alpha_by"]) if "alpha_by" in t else t["alpha"]
    beta = data["group"].map(t["beta_by"]) if "beta_by" in t else t["beta"]
    mean = np.asarray(alpha + beta * data["x"], dtype=float)
    lp = stats.norm.logpdf(data["y"], mean, t["sigma"]).sum() + scipy_sd(priors.sigma).logpdf(
        t["sigma"]
    )
    intercept = stats.norm(priors.intercept.mean, priors.intercept.sd)
    slope = stats.norm(priors.slope.mean, priors.slope.sd)
    if model == "pooled":
        return lp + intercept.logpdf(t["alpha"]) + slope.logpdf(t["beta"])
    lp += intercept.logpdf(t["mu_alpha"]) + scipy_sd(priors.sigma_alpha).logpdf(t["sa"])
    a = np.array(list(t["alpha_by"].values()))
    if model == "varying_intercepts":
        return lp + slope.logpdf(t["beta"]) + stats.norm.logpdf(a, t["mu_alpha"], t["sa"]).sum()
    b = np.array(list(t["beta_by"].values()))
    lp += slope.logpdf(t["mu_beta"]) + scipy_sd(priors.sigma_beta).logpdf(t["sb"])
    rho = t["rho"] if model == "covarying" else 0.0
    if model == "covarying":  # LKJ(eta) in two dimensions: (rho + 1) / 2 ~ Beta(eta, eta)
        eta = priors.lkj_eta
        lp += stats.beta(eta, eta).logpdf((rho + 1) / 2) - np.log(2)
    off = rho * t["sa"] * t["sb"]
    mvn = stats.multivariate_normal(
        [t["mu_alpha"], t["mu_beta"]], [[t["sa"] ** 2, off], [off, t["sb"] ** 2]]
    )
    return lp + mvn.logpdf(np.c_[a, b]).sum()


def random_parameters(rng: np.random.Generator, labels: tuple) -> dict:
    """Constrained parameter values near the data's (alpha and beta keyed by sorted label)."""
    n = len(labels)
    alpha, beta = rng.normal(2.0, 1.0, n), rng.normal(0.5, 0.4, n)
    return {
        "alpha": float(rng.normal(2, 1)), "beta": float(rng.normal(0.5, 0.3)),
        "mu_alpha": float(rng.normal(2, 1)), "mu_beta": float(rng.normal(0.5, 0.3)),
        "sa": float(rng.uniform(0.2, 2.0)), "sb": float(rng.uniform(0.05, 0.8)),
        "rho": float(rng.uniform(-0.9, 0.9)), "sigma": float(rng.uniform(0.3, 1.5)),
        "alpha_by": dict(zip(labels, alpha, strict=True)),
        "beta_by": dict(zip(labels, beta, strict=True)),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("model", "prior_set", "likelihood"),
    slow_unless(
        list(
            itertools.product(
                ["pooled", "varying_intercepts", "varying_slopes"],
                PRIORS,
                ["sufficient", "pointwise"],
            )
        ),
        {
            ("pooled", "auto", "pointwise"),
            ("pooled", "override", "sufficient"),
            ("varying_slopes", "auto", "sufficient"),
            ("varying_slopes", "override", "pointwise"),
        },
    ),
)
def test_log_density_equals_scipy(model: str, prior_set: str, likelihood: str) -> None:
    """The centred coding's log density (no Jacobians) is the scipy reference's, constant and
    all, for both likelihoods and both prior sets."""
    priors = PRIORS[prior_set]
    param = None if model == "pooled" else "centered"
    built = build(model, priors, parameterization=param, likelihood=likelihood)
    logp = built.model.compile_logp(jacobian=False)
    labels = built.model.coords["group"]
    rng = np.random.default_rng(LINE_MODELS.index(model))
    for _ in range(N_POINTS):
        t = random_parameters(rng, labels)
        if model == "pooled":
            t.pop("alpha_by"), t.pop("beta_by")
            point = {"alpha": t["alpha"], "beta": t["beta"]}
        else:
            point = {
                "mu_alpha": t["mu_alpha"],
                "sigma_alpha_log__": np.log(t["sa"]),
                "alpha": np.array(list(t["alpha_by"].values())),
            }
            if model == "varying_intercepts":
                t.pop("beta_by")
                point["beta"] = t["beta"]
            else:
                point |= {
                    "mu_beta": t["mu_beta"],
                    "sigma_beta_log__": np.log(t["sb"]),
                    "beta": np.array(list(t["beta_by"].values())),
                }
        point["sigma_log__"] = np.log(t["sigma"])
        assert float(logp(point)) == pytest.approx(
            reference_logp(model, t, priors, DATA), rel=1e-9, abs=1e-7
        )


#: How far PyMC's and scipy's normalising constants may differ (float constants such as
#: log(2/pi) and log B(eta, eta) round differently; about 1e-8 at these log densities).
NORMALISER_TOLERANCE = 1e-6


@pytest.mark.parametrize(
    ("model", "prior_set"),
    slow_unless(
        list(itertools.product(["varying_intercepts", "varying_slopes", "covarying"], PRIORS)),
        {("varying_slopes", "auto"), ("covarying", "override")},
    ),
)
def test_shifted_coding_is_the_centred_model(model: str, prior_set: str) -> None:
    """The default (shifted) coding has the reference's log density at random points.

    Its value variables are unit-Jacobian shifts of the centred ones (each intercept at its
    group's mean of x, mu_alpha at the overall mean) and, for the covarying model, the
    covariance as (sigma_beta, k, c) = (sigma_beta, rho sigma_alpha / sigma_beta,
    sigma_alpha sqrt(1 - rho^2)), whose Jacobian is added back.
    """
    priors = PRIORS[prior_set]
    built = build(model, priors, parameterization="shifted")
    logp = built.model.compile_logp(jacobian=False)
    labels = built.model.coords["group"]
    x = DATA["x"].to_numpy()
    group_x = DATA.groupby("group")["x"].mean().loc[list(labels)].to_numpy()
    rng = np.random.default_rng(7 + LINE_MODELS.index(model))
    differences = []
    for _ in range(N_POINTS):
        t = random_parameters(rng, labels)
        alpha = np.array(list(t["alpha_by"].values()))
        if model == "varying_intercepts":
            t["beta_by"] = dict.fromkeys(labels, t["beta"])
            t["mu_beta"] = t["beta"]
        beta = np.array(list(t["beta_by"].values()))
        point = {
            "sigma_log__": np.log(t["sigma"]),
            "mu_alpha_c": t["mu_alpha"] + t["mu_beta"] * x.mean(),
            "alpha_c": alpha + beta * group_x,
        }
        log_jacobian = 0.0
        if model == "varying_intercepts":
            point |= {"beta": t["beta"], "sigma_alpha_log__": np.log(t["sa"])}
            reference = reference_logp(model, {**t, "beta_by": t["beta_by"]}, priors, DATA)
        elif model == "varying_slopes":
            point |= {
                "mu_beta": t["mu_beta"],
                "beta": beta,
                "sigma_alpha_log__": np.log(t["sa"]),
                "sigma_beta_log__": np.log(t["sb"]),
            }
            reference = reference_logp(model, t, priors, DATA)
        else:
            k, c = t["rho"] * t["sa"] / t["sb"], t["sa"] * np.sqrt(1 - t["rho"] ** 2)
            point |= {
                "mu_beta": t["mu_beta"],
                "beta": beta,
                "cov_reg_cholesky-cov-packed__": np.array([np.log(t["sb"]), k, np.log(c)]),
            }
            log_jacobian = np.log(t["sa"] ** 2 / (t["sb"] * c))  # |d(sb, k, c)/d(sa, sb, rho)|
            reference = reference_logp(model, t, priors, DATA)
        assert set(point) == {v.name for v in built.model.value_vars}
        differences.append(float(logp(point)) + log_jacobian - reference)
    assert np.ptp(differences) < 1e-9
    assert abs(np.mean(differences)) < NORMALISER_TOLERANCE


def test_shifted_and_centred_varying_slopes_agree_directly() -> None:
    """The two codings' PyMC log densities at the same model parameters (no reference)."""
    shifted = build("varying_slopes", parameterization="shifted")
    centred = build("varying_slopes", parameterization="centered")
    logp_s = shifted.model.compile_logp(jacobian=False)
    logp_c = centred.model.compile_logp(jacobian=False)
    group_x = DATA.groupby("group")["x"].mean().to_numpy()  # sorted labels, as the coords
    for point in random_points(centred.model, N_POINTS, seed=3):
        moved = {k: v for k, v in point.items() if k not in ("alpha", "mu_alpha")}
        moved["alpha_c"] = point["alpha"] + point["beta"] * group_x
        moved["mu_alpha_c"] = point["mu_alpha"] + point["mu_beta"] * DATA["x"].mean()
        assert float(logp_s(moved)) == pytest.approx(float(logp_c(point)), rel=1e-10)


# --- centring -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "param"),
    slow_unless(
        [("pooled", None), *itertools.product(LINE_MODELS[1:], ["shifted", "noncentered"])],
        {("pooled", None), ("varying_intercepts", "noncentered"), ("covarying", "shifted")},
    ),
)
def test_centred_x_reports_the_intercepts_at_x0(model: str, param: str | None) -> None:
    """alpha_at_x0 = alpha - beta * x_center, exactly, at prior draws; mu_alpha likewise."""
    raw = DATA.rename(columns={"group": "shop", "x": "hour", "y": "wait"})
    case = CASE.configured(columns={"y": "wait", "x": "hour", "group": "shop"}, center_x=True)
    table = case.check(raw)
    center = table.attrs["x_center"]
    assert center == pytest.approx(DATA["x"].mean(), rel=1e-12)
    assert table["x"].mean() == pytest.approx(0.0, abs=1e-12)
    options = {"parameterization": param} if param else {}
    built = case.with_data(table).build(table, model, **options)
    m = built.model
    varying = model != "pooled"
    at_x0 = ("mu_alpha_at_x0", "alpha_at_x0") if varying else ("alpha_at_x0",)
    assert built.spec.parameters[-len(at_x0) :] == at_x0
    slope = "mu_beta" if model in ("varying_slopes", "covarying") else "beta"
    names = ["alpha", "beta", *at_x0, *(("mu_alpha", slope) if varying else ())]
    draws = dict(zip(names, pm.draw([m[n] for n in names], draws=50, random_seed=2), strict=True))
    beta = draws["beta"] if model in ("varying_slopes", "covarying") else draws["beta"][:, None]
    if not varying:
        beta = draws["beta"]
    np.testing.assert_allclose(draws["alpha_at_x0"], draws["alpha"] - beta * center, rtol=1e-12)
    if varying:
        np.testing.assert_allclose(
            draws["mu_alpha_at_x0"], draws["mu_alpha"] - draws[slope] * center, rtol=1e-12
        )
    assert m.named_vars_to_dims.get("alpha_at_x0", ()) == (("group",) if varying else ())


def test_uncentred_models_report_no_intercepts_at_x0() -> None:
    built = CASE.configured(center_x=False).build(CASE.reference_table(), "covarying")
    assert not {"alpha_at_x0", "mu_alpha_at_x0"} & set(built.model.named_vars)
