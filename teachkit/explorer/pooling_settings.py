"""Where tab 4's sliders start and how far they reach: the lecture's, or scaled to a table.

On the lecture's page the population's hyperparameters start close to the covarying model's
fit to the Beijing data (:data:`LECTURE_POOLING`). A user's table has its own units (radon in
log pCi/L against a floor, reaction times in ms against days), so :func:`pooling_settings`
reads them from the data with simple moment estimates, no fit: mu from the pooled least-squares
line, sigma_alpha, sigma_beta and rho from the spread of the groups' own least-squares lines,
sigma from their residuals (Gelman & Hill, *Data Analysis Using Regression and Multilevel/
Hierarchical Models*, 2007, section 12.2, use the same no-pooling lines as the first look at
such data). The sliders then reach a few times past these, in steps of 1, 2 or 5 times a
power of ten.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from teachkit.explorer.labels import decimals

__all__ = ["LECTURE_POOLING", "PoolingSettings", "SliderRange", "nice_step", "pooling_settings"]

#: The slider of rows per group starts here (or at the largest group, if smaller).
DEFAULT_ROWS = 30
#: The scatter spans mu -/+ this many population sds (at least).
HALF_WIDTH_SDS = 5.0
#: Smallest starting sd, as a share of the data's own scale (sd of y, or sd(y)/sd(x)).
SD_FLOOR = 0.05
#: Starting |rho| is kept below this (a correlation of +/-1 leaves no ellipse).
RHO_LIMIT = 0.9


@dataclass(frozen=True)
class SliderRange:
    """A slider's start, end and step, and the format of the value it shows (None: 2 dp)."""

    start: float
    end: float
    step: float
    number_format: str | None = None


@dataclass(frozen=True)
class PoolingSettings:
    """Tab 4's starting hyperparameters, slider ranges, plot extent and readout decimals.

    Attributes
    ----------
    mu_alpha, mu_beta : float
        The population's mean line (held fixed on the page).
    sigma_alpha, sigma_beta, rho, sigma : float
        Where the sliders start.
    days : int
        Rows per group the slider starts at.
    max_rows : int
        The slider's end: the most rows kept in a group.
    sigma_alpha_range, sigma_beta_range, sigma_range : SliderRange
    alpha_half_width, beta_half_width : float
        The shrinkage plot spans mu -/+ these.
    digits : mapping
        Decimals of the readouts: ``alpha`` and ``beta`` (the sds' table), ``line_alpha``
        and ``line_beta`` (the chosen group's two lines).
    """

    mu_alpha: float
    mu_beta: float
    sigma_alpha: float
    sigma_beta: float
    rho: float
    sigma: float
    days: int
    max_rows: int
    sigma_alpha_range: SliderRange
    sigma_beta_range: SliderRange
    sigma_range: SliderRange
    alpha_half_width: float
    beta_half_width: float
    digits: Mapping[str, int]


#: The lecture's page: close to the covarying model's fit to the Beijing data (and the truth of
#: :func:`teachkit.simulate.simulate_ozone`); mu is held fixed.
LECTURE_POOLING = PoolingSettings(
    mu_alpha=3.45,
    mu_beta=0.054,
    sigma_alpha=0.18,
    sigma_beta=0.006,
    rho=-0.9,
    sigma=0.6,
    days=30,
    max_rows=400,
    sigma_alpha_range=SliderRange(0.01, 0.6, 0.01),
    sigma_beta_range=SliderRange(0.0005, 0.02, 0.0005, "0.0000"),
    sigma_range=SliderRange(0.1, 1.5, 0.05),
    alpha_half_width=0.9,
    beta_half_width=0.03,
    digits={"alpha": 2, "beta": 4, "line_alpha": 2, "line_beta": 3},
)


def nice_step(size: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is >= ``size`` (> 0).

    Examples
    --------
    >>> nice_step(0.013), nice_step(3.0), nice_step(70.0)
    (0.02, 5.0, 100.0)
    """
    power = 10.0 ** math.floor(math.log10(size))
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        if mantissa * power >= size * (1 - 1e-12):
            return float(f"{mantissa * power:.12g}")
    raise AssertionError("unreachable")  # pragma: no cover


def pooling_settings(
    group: NDArray[np.integer],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    *,
    x_center: float = 0.0,
    max_rows: int,
) -> PoolingSettings:
    """Settings for a table's tab 4, from moment estimates (see the module docstring).

    Parameters
    ----------
    group : ndarray of int
        Each row's group, 0..J-1.
    x, y : ndarray of float
        The rows' predictor and outcome.
    x_center : float
        Intercepts are at x = x_center.
    max_rows : int
        The most rows a group keeps on the page.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> g = np.repeat(np.arange(20), 10)
    >>> x = np.tile(np.arange(10.0), 20)
    >>> y = 250 + rng.normal(0, 25, 20)[g] + (10 + rng.normal(0, 6, 20)[g]) * x
    >>> s = pooling_settings(g, x, y, max_rows=10)
    >>> round(s.mu_alpha), round(s.mu_beta), s.days, s.sigma_beta_range.number_format
    (245, 10, 10, '0.0')
    """
    u = x - x_center
    sd_y = float(np.std(y)) or 1.0
    sd_x = float(np.std(x)) or 1.0
    scale_a, scale_b = sd_y, sd_y / sd_x
    pooled, *_ = np.linalg.lstsq(np.column_stack([np.ones_like(u), u]), y, rcond=None)
    lines, squares, dof = [], 0.0, 0
    for j in np.unique(group):
        uj, yj = u[group == j], y[group == j]
        if uj.size < 2 or np.ptp(uj) == 0:
            continue
        coef, *_ = np.linalg.lstsq(np.column_stack([np.ones_like(uj), uj]), yj, rcond=None)
        lines.append(coef)
        squares += float(np.sum((yj - coef[0] - coef[1] * uj) ** 2))
        dof += uj.size - 2
    if len(lines) >= 3:
        a, b = np.array(lines).T
        sa, sb = float(np.std(a, ddof=1)), float(np.std(b, ddof=1))
        rho = float(np.corrcoef(a, b)[0, 1]) if sa > 0 and sb > 0 else 0.0
        far_a, far_b = float(np.max(np.abs(a - pooled[0]))), float(np.max(np.abs(b - pooled[1])))
    else:
        sa, sb, rho, far_a, far_b = scale_a / 2, scale_b / 2, 0.0, 0.0, 0.0
    residual = np.sqrt(squares / dof) if dof > 0 else float(np.std(y - pooled[0] - pooled[1] * u))
    sa, sb = max(sa, SD_FLOOR * scale_a), max(sb, SD_FLOOR * scale_b)
    sigma = max(float(residual), SD_FLOOR * scale_a)
    sa_range, sb_range = _range(max(3 * sa, scale_a)), _range(max(3 * sb, scale_b))
    sigma_range = _range(max(3 * sigma, 2 * scale_a))
    return PoolingSettings(
        mu_alpha=float(pooled[0]),
        mu_beta=float(pooled[1]),
        sigma_alpha=_snap(sa, sa_range),
        sigma_beta=_snap(sb, sb_range),
        rho=round(float(np.clip(rho if np.isfinite(rho) else 0.0, -RHO_LIMIT, RHO_LIMIT)), 2),
        sigma=_snap(sigma, sigma_range),
        days=min(DEFAULT_ROWS, max_rows),
        max_rows=max_rows,
        sigma_alpha_range=sa_range,
        sigma_beta_range=sb_range,
        sigma_range=sigma_range,
        alpha_half_width=max(HALF_WIDTH_SDS * sa, 1.1 * far_a),
        beta_half_width=max(HALF_WIDTH_SDS * sb, 1.1 * far_b),
        digits={
            "alpha": decimals(sa),
            "beta": decimals(sb),
            "line_alpha": decimals(sa),
            "line_beta": decimals(sb),
        },
    )


def _range(end: float) -> SliderRange:
    """A slider from one step to a round ``end``, in 20 to 100 steps, showing its step."""
    step = nice_step(end / 100)
    places = max(0, -math.floor(math.log10(step) + 1e-9))
    top = math.ceil(end / step - 1e-9) * step
    return SliderRange(
        start=step,
        end=float(f"{top:.12g}"),
        step=step,
        number_format="0" if places == 0 else "0." + "0" * places,
    )


def _snap(value: float, slider: SliderRange) -> float:
    """``value`` rounded to the slider's step, inside its range."""
    snapped = round(value / slider.step) * slider.step
    return float(f"{min(max(snapped, slider.start), slider.end):.12g}")
