"""How to read a PSIS-LOO comparison, in plain language, from the numbers of the table itself.

:func:`teachkit.loo.compare_elpd` returns ArviZ's columns; a student meeting them for the
first time needs to know what ``dse`` is, why the stacking ``weight`` can give a clearly worse
model weight (and a nearly-as-good one none), and what a large Pareto k means.
:func:`read_comparison` says so, each line about the table it is given.

The rules, with their sources:

* A difference in elpd is judged by its own standard error ``dse`` (the se of the pointwise
  differences), not by the two models' ``se``, which overlap because they share the data
  (Vehtari, Gelman and Gabry 2017, "Practical Bayesian model evaluation using leave-one-out
  cross-validation and WAIC", Statistics and Computing 27). The normal approximation behind
  "more than :data:`CLEAR_DSE` dse" holds only when the difference is not small; Sivula,
  Magnusson, Matamoros and Vehtari (2022, "Uncertainty in Bayesian leave-one-out
  cross-validation based model comparison", arXiv:2008.10296) treat an elpd difference below
  :data:`SMALL_ELPD` as small whatever its dse.
* Stacking weights (Yao, Vehtari, Simpson and Gelman 2018, "Using stacking to average Bayesian
  predictive distributions", Bayesian Analysis 13) are the mix of models that predicts best
  together, not probabilities that a model is true: of two nearly equal models one can take
  all the weight, and a worse model can keep weight for the points it predicts better.
* A Pareto k above :data:`K_UNRELIABLE` means PSIS cannot estimate that observation's
  leave-one-out density reliably: the point is highly influential (Vehtari, Simpson, Gelman,
  Yao and Gabry 2024, "Pareto smoothed importance sampling", JMLR 25).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["CLEAR_DSE", "K_UNRELIABLE", "SMALL_ELPD", "read_comparison"]

#: A difference in elpd is clear when it is more than this many of its own standard errors ...
CLEAR_DSE = 2.0
#: ... and at least this large (Sivula et al. 2022: smaller differences are small in any case).
SMALL_ELPD = 4.0
#: Pareto k above which PSIS-LOO is unreliable for an observation.
K_UNRELIABLE = 0.7


def read_comparison(table: pd.DataFrame) -> tuple[str, ...]:
    """Plain-language reading of a PSIS-LOO comparison table, one line per point.

    Parameters
    ----------
    table : DataFrame
        From :func:`teachkit.loo.compare_elpd`: best model first, with columns d_loo, dse,
        weight and pareto_k_max.

    Returns
    -------
    tuple of str
        What d_loo and dse say for each model against the best; what the stacking weights
        are, naming a model whose weight disagrees with its d_loo; what the Pareto k say.

    Examples
    --------
    >>> table = pd.DataFrame(
    ...     {"d_loo": [0.0, 0.4, 30.0], "dse": [0.0, 1.1, 5.0],
    ...      "weight": [0.81, 0.0, 0.19], "pareto_k_max": [0.2, 0.3, 0.1]},
    ...     index=["covarying", "varying_slopes", "pooled"],
    ... )
    >>> for line in read_comparison(table):
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    d_loo is how much worse a model predicts left-out data than the best (covarying), in elpd;
    dse is the standard error of that difference. Judge a difference by its dse, not by the
    models' own se, which overlap because the models share the data.
      varying_slopes: 0.4 below the best, 0.4 dse: no clear difference.
      pooled: 30.0 below the best, 6.0 dse: clearly worse.
    weight is the stacking weight: the mix of models that predicts best together, not the
    probability that a model is right. varying_slopes gets 0.00 although it is about as good
    as the best (the better model says the same); pooled gets 0.19 although it is clearly
    worse (it predicts some points better).
    Pareto k: every model's largest k is below 0.7, so PSIS-LOO's estimates are reliable.
    """
    best = str(table.index[0])
    lines = [
        f"d_loo is how much worse a model predicts left-out data than the best ({best}), in "
        "elpd; dse is the standard error of that difference. Judge a difference by its dse, "
        "not by the models' own se, which overlap because the models share the data."
    ]
    clear: dict[str, bool] = {}
    for name, row in table.iloc[1:].iterrows():
        d, dse = float(row["d_loo"]), float(row["dse"])
        ratio = d / dse if dse > 0 else float("inf")
        clear[str(name)] = ratio > CLEAR_DSE and d >= SMALL_ELPD
        if clear[str(name)]:
            verdict = "clearly worse"
        elif d < SMALL_ELPD:
            verdict = "no clear difference"
        else:
            verdict = "worse, but within the uncertainty"
        lines.append(f"  {name}: {d:.1f} below the best, {ratio:.1f} dse: {verdict}.")
    lines.append(_weights(table, clear))
    lines.append(_pareto(table))
    return tuple(lines)


def _weights(table: pd.DataFrame, clear: dict[str, bool]) -> str:
    """The stacking weights, naming each model whose weight disagrees with its d_loo."""
    text = (
        "weight is the stacking weight: the mix of models that predicts best together, not the "
        "probability that a model is right."
    )
    surprises = []
    for name, is_clear in clear.items():
        weight = float(table.loc[name, "weight"])
        if is_clear and weight >= 0.05:
            surprises.append(
                f"{name} gets {weight:.2f} although it is clearly worse (it predicts some "
                "points better)"
            )
        elif not is_clear and weight < 0.05:
            surprises.append(
                f"{name} gets {weight:.2f} although it is about as good as the best (the "
                "better model says the same)"
            )
    return f"{text} {'; '.join(surprises)}." if surprises else text


def _pareto(table: pd.DataFrame) -> str:
    """Which models have observations PSIS-LOO cannot estimate reliably."""
    high = [str(n) for n, k in table["pareto_k_max"].items() if float(k) > K_UNRELIABLE]
    if not high:
        return (
            f"Pareto k: every model's largest k is below {K_UNRELIABLE}, so PSIS-LOO's "
            "estimates are reliable."
        )
    return (
        f"Pareto k above {K_UNRELIABLE} for {', '.join(high)}: some observations are so "
        "influential that PSIS-LOO cannot estimate their left-out fit reliably; check them, "
        "or use k-fold cross-validation for those models."
    )
