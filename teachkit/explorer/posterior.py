"""The covarying model's posterior, reduced to plain arrays the explorer can embed.

The page runs no PyMC: the command line loads a stored fit of the covarying model and turns
it into a :class:`RealPosterior` (thinned draws of the hyperparameters and of each group's
line, and a thinned sample of each group's rows); tab 5 of the page is drawn from it. A fit of
the ozone case becomes one with :func:`posterior_from_idata` (stations, days, temperature and
log ozone), a fit of the grouped case on a user's table with
:func:`teachkit.explorer.grouped.posterior_from_grouped` (through :func:`reduce_posterior`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from teachkit.errors import TeachkitError
from teachkit.explorer.labels import LECTURE_DIGITS, OZONE_LABELS, Labels, decimals

if TYPE_CHECKING:
    import arviz as az

__all__ = [
    "HYPERPARAMETERS",
    "RealPosterior",
    "check_thinning",
    "covarying_posterior",
    "group_coord",
    "posterior_from_idata",
    "reduce_posterior",
]

#: Scalar hyperparameters of the covarying model, besides rho.
HYPERPARAMETERS: tuple[str, ...] = ("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "sigma")
#: Default thinning: draws kept, and rows kept per group.
MAX_DRAWS = 2000
POINTS_PER_STATION = 150


@dataclass(frozen=True, eq=False)
class RealPosterior:
    """Thinned posterior draws of the covarying model, and the rows they were fitted to.

    All arrays are read-only float64 (``group_index`` int64) copies.

    Attributes
    ----------
    group_names : tuple of str
        The J groups' labels, in the order of the columns of ``alpha`` and ``beta``.
    rho : ndarray of shape (n,)
        Draws of the correlation of intercepts and slopes, in [-1, 1].
    alpha, beta : ndarray of shape (n, J)
        Draws of each group's intercept (at x = ``x_center``) and slope.
    mu_alpha, mu_beta, sigma_alpha, sigma_beta, sigma : ndarray of shape (n,)
        Draws of the population means and sds and of the residual sd.
    group_index : ndarray of int, shape (m,)
        Group (0..J-1) of each data point drawn under the lines.
    x, y : ndarray of shape (m,)
        The data points (the lecture: daily max temperature and log max ozone), x in the
        table's own units.
    eta : float
        The LKJ prior's eta (the lecture's model: 2).
    source : str
        What was fitted, shown on the page (e.g. "Beijing").
    labels : Labels
        What the page calls the axes, the groups and their rows.
    x_center : float
        The lines are alpha_j + beta_j (x - x_center) (0 unless x was centred for the fit).
    digits : mapping
        Decimals of the readouts, by parameter (:data:`~teachkit.explorer.labels.LECTURE_DIGITS`'
        keys).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> n, J = 100, 2
    >>> post = RealPosterior(
    ...     group_names=("A", "B"), rho=rng.uniform(-1, 0, n),
    ...     alpha=rng.normal(3.4, 0.1, (n, J)), beta=rng.normal(0.05, 0.01, (n, J)),
    ...     mu_alpha=np.full(n, 3.4), mu_beta=np.full(n, 0.05), sigma_alpha=np.full(n, 0.2),
    ...     sigma_beta=np.full(n, 0.01), sigma=np.full(n, 0.6),
    ...     group_index=[0, 1], x=[10.0, 20.0], y=[3.9, 4.4])
    >>> post.n_draws, post.n_groups
    (100, 2)
    """

    group_names: tuple[str, ...]
    rho: NDArray[np.float64]
    alpha: NDArray[np.float64]
    beta: NDArray[np.float64]
    mu_alpha: NDArray[np.float64]
    mu_beta: NDArray[np.float64]
    sigma_alpha: NDArray[np.float64]
    sigma_beta: NDArray[np.float64]
    sigma: NDArray[np.float64]
    group_index: NDArray[np.int64]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    eta: float = 2.0
    source: str = "Beijing"
    labels: Labels = OZONE_LABELS
    x_center: float = 0.0
    digits: Mapping[str, int] = field(default_factory=lambda: dict(LECTURE_DIGITS))

    def __post_init__(self) -> None:
        names = tuple(str(s) for s in self.group_names)
        if not names:
            raise TeachkitError("group_names is empty; the posterior needs at least 1 group")
        object.__setattr__(self, "group_names", names)
        n_groups = len(names)
        rho = _frozen(self.rho, "rho", ndim=1)
        n = rho.size
        if n == 0:
            raise TeachkitError("the posterior has no draws")
        if np.any(np.abs(rho) > 1):
            raise TeachkitError("rho draws must lie in [-1, 1]")
        object.__setattr__(self, "rho", rho)
        for name in ("alpha", "beta"):
            arr = _frozen(getattr(self, name), name, ndim=2)
            if arr.shape != (n, n_groups):
                raise TeachkitError(
                    f"{name} must have shape (draws, groups) = {(n, n_groups)}, got {arr.shape}"
                )
            object.__setattr__(self, name, arr)
        for name in HYPERPARAMETERS:
            arr = _frozen(getattr(self, name), name, ndim=1)
            if arr.shape != (n,):
                raise TeachkitError(f"{name} must have {n} draws like rho, got shape {arr.shape}")
            object.__setattr__(self, name, arr)
        index = np.asarray(self.group_index)
        if index.ndim != 1 or (
            index.size
            and (
                not np.issubdtype(index.dtype, np.integer)
                or index.min() < 0
                or index.max() >= n_groups
            )
        ):
            raise TeachkitError(f"group_index must hold whole numbers in 0..{n_groups - 1}")
        index = index.astype(np.int64)
        index.setflags(write=False)
        object.__setattr__(self, "group_index", index)
        for name in ("x", "y"):
            arr = _frozen(getattr(self, name), name, ndim=1)
            if arr.shape != index.shape:
                raise TeachkitError(f"{name} must have one value per group_index entry")
            object.__setattr__(self, name, arr)
        if not (np.isfinite(self.eta) and self.eta > 0):
            raise TeachkitError(f"eta must be a finite number > 0, got {self.eta!r}")
        if not np.isfinite(self.x_center):
            raise TeachkitError(f"x_center must be a finite number, got {self.x_center!r}")
        lacking = sorted(set(LECTURE_DIGITS) - set(self.digits))
        if lacking:
            raise TeachkitError(f"digits lacks {', '.join(lacking)}")
        object.__setattr__(self, "digits", dict(self.digits))

    @property
    def n_draws(self) -> int:
        """Number of posterior draws."""
        return int(self.rho.size)

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return len(self.group_names)


def posterior_from_idata(
    idata: az.InferenceData | Any,
    data: pd.DataFrame,
    *,
    max_draws: int = MAX_DRAWS,
    points_per_station: int = POINTS_PER_STATION,
    seed: int = 0,
    eta: float = 2.0,
    source: str = "Beijing",
) -> RealPosterior:
    """Reduce a fit of the covarying ozone model to a :class:`RealPosterior`.

    Parameters
    ----------
    idata : arviz.InferenceData
        A fit of ``build_ozone_model(data, "covarying")``: its ``posterior`` group has
        ``alpha`` and ``beta`` with dims (chain, draw, station), and ``rho``, ``mu_alpha``,
        ``mu_beta``, ``sigma_alpha``, ``sigma_beta``, ``sigma`` with dims (chain, draw).
    data : DataFrame
        The table it was fitted to, with columns ``station``, ``station_id``, ``TEMP``,
        ``log_ozone``; the ``station`` coordinate of the fit holds its station ids (or names).
    max_draws : int
        Keep at most this many draws, evenly spaced over all chains.
    points_per_station : int
        Keep at most this many days per station (a seeded random sample) to draw under the
        lines.
    seed : int
        Seed of that sample.
    eta, source : float, str
        Stored on the result (see :class:`RealPosterior`).

    Returns
    -------
    RealPosterior

    Raises
    ------
    TeachkitError
        If a variable is missing or the stations of the fit are not in ``data``.

    Examples
    --------
    >>> import arviz as az
    >>> rng = np.random.default_rng(1)
    >>> frame = pd.DataFrame({"station": ["A", "A", "B"], "station_id": [0, 0, 1],
    ...                       "TEMP": [10.0, 20.0, 15.0], "log_ozone": [3.9, 4.4, 4.1]})
    >>> shape = (2, 50)
    >>> idata = az.from_dict(
    ...     posterior={"alpha": rng.normal(3.4, 0.1, (*shape, 2)),
    ...                "beta": rng.normal(0.05, 0.01, (*shape, 2)),
    ...                "rho": rng.uniform(-1, 0, shape), "mu_alpha": rng.normal(3.4, 0.1, shape),
    ...                "mu_beta": rng.normal(0.05, 0.01, shape),
    ...                "sigma_alpha": rng.uniform(0.1, 0.3, shape),
    ...                "sigma_beta": rng.uniform(0.0, 0.01, shape),
    ...                "sigma": rng.uniform(0.5, 0.7, shape)},
    ...     coords={"station": [0, 1]}, dims={"alpha": ["station"], "beta": ["station"]})
    >>> post = posterior_from_idata(idata, frame, max_draws=60)
    >>> post.group_names, post.n_draws, post.group_index.tolist()
    (('A', 'B'), 60, [0, 0, 1])
    """
    check_thinning(max_draws, points_per_station, "points_per_station")
    posterior = covarying_posterior(idata)
    missing_cols = [c for c in ("station", "station_id", "TEMP", "log_ozone") if c not in data]
    if missing_cols:
        raise TeachkitError(f"data lacks column(s) {', '.join(missing_cols)}")
    names, ids = _station_names(group_coord(posterior), data)
    complete = data["TEMP"].notna() & data["log_ozone"].notna()
    groups = []
    for name, sid in zip(names, ids, strict=True):
        rows = data[(data["station_id"] == sid) & complete]
        groups.append((name, rows["TEMP"].to_numpy(dtype=float), rows["log_ozone"]))
    return reduce_posterior(
        posterior,
        groups,
        max_draws=max_draws,
        points_per_group=points_per_station,
        seed=seed,
        eta=eta,
        source=source,
    )


def reduce_posterior(
    posterior: Any,
    groups: Sequence[tuple[str, NDArray[np.float64], pd.Series]],
    *,
    max_draws: int,
    points_per_group: int,
    seed: int,
    eta: float,
    source: str,
    labels: Labels = OZONE_LABELS,
    x_center: float = 0.0,
    scaled_digits: bool = False,
) -> RealPosterior:
    """Thin the draws and each group's rows into a RealPosterior.

    ``groups`` holds each group's (label, x, y) in the order of the fit's group coordinate;
    with ``scaled_digits`` the readouts' decimals follow the posterior's spread, else they are
    the lecture's.
    """

    def draws(name: str) -> NDArray[np.float64]:
        var = posterior[name]
        other = [d for d in var.dims if d not in ("chain", "draw")]
        stacked = var.transpose("chain", "draw", *other).to_numpy()
        return stacked.reshape(-1, *stacked.shape[2:])

    rho = draws("rho")
    keep = np.unique(np.linspace(0, rho.size - 1, min(rho.size, max_draws)).round().astype(int))
    rng = np.random.default_rng(seed)
    index, xs, ys = [], [], []
    for position, (_, x, y) in enumerate(groups):
        take = np.sort(rng.permutation(len(x))[:points_per_group])
        index.append(np.full(take.size, position, dtype=np.int64))
        xs.append(np.asarray(x, dtype=float)[take])
        ys.append(y.to_numpy(dtype=float)[take])
    kept = {name: draws(name)[keep] for name in ("alpha", "beta", *HYPERPARAMETERS)}
    return RealPosterior(
        group_names=tuple(name for name, _, _ in groups),
        rho=rho[keep],
        group_index=np.concatenate(index),
        x=np.concatenate(xs),
        y=np.concatenate(ys),
        eta=eta,
        source=source,
        labels=labels,
        x_center=x_center,
        digits=_digits(kept) if scaled_digits else dict(LECTURE_DIGITS),
        **kept,
    )


def _digits(kept: Mapping[str, NDArray[np.float64]]) -> dict[str, int]:
    """Decimals showing two significant digits of each parameter's posterior sd."""
    out = {name: decimals(float(np.std(kept[name]))) for name in HYPERPARAMETERS}
    for name in ("alpha", "beta"):
        out[name] = decimals(float(np.mean(np.std(kept[name], axis=0))))
    return out


def check_thinning(max_draws: object, points: object, points_name: str) -> None:
    """One-line errors for thinning settings that are not whole numbers in range."""
    if isinstance(max_draws, bool) or not isinstance(max_draws, int) or max_draws < 1:
        raise TeachkitError(f"max_draws must be a whole number >= 1, got {max_draws!r}")
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise TeachkitError(f"{points_name} must be a whole number >= 0, got {points!r}")


def covarying_posterior(idata: Any) -> Any:
    """The posterior group of a covarying fit, or a one-line error naming what it lacks."""
    posterior = getattr(idata, "posterior", None)
    if posterior is None:
        raise TeachkitError("idata has no posterior group")
    needed = ("alpha", "beta", "rho", *HYPERPARAMETERS)
    missing = [v for v in needed if v not in posterior]
    if missing:
        raise TeachkitError(
            f"the fit lacks {', '.join(missing)}; fit the covarying model "
            "(build_ozone_model(data, 'covarying') or the grouped case's 'covarying')"
        )
    return posterior


def group_coord(posterior: Any) -> list[Any]:
    """The labels of the groups of ``alpha`` (its one dimension besides chain and draw)."""
    (dim,) = [d for d in posterior["alpha"].dims if d not in ("chain", "draw")]
    return [c.item() if hasattr(c, "item") else c for c in posterior["alpha"][dim].values]


def _station_names(coord: Sequence[Any], data: pd.DataFrame) -> tuple[list[str], list[int]]:
    """Names and ids of the fit's stations: the coordinate holds station ids or names."""
    pairs = data[["station_id", "station"]].drop_duplicates()
    by_id = {int(i): str(s) for i, s in zip(pairs["station_id"], pairs["station"], strict=True)}
    by_name = {s: i for i, s in by_id.items()}
    names, ids = [], []
    for c in coord:
        if isinstance(c, str) and c in by_name:
            names.append(c)
            ids.append(by_name[c])
        elif not isinstance(c, str) and int(c) in by_id:
            names.append(by_id[int(c)])
            ids.append(int(c))
        else:
            raise TeachkitError(f"station {c!r} of the fit is not in the data")
    return names, ids


def _frozen(values: ArrayLike, name: str, *, ndim: int) -> NDArray[np.float64]:
    """A read-only float64 copy of ``values`` with ``ndim`` dimensions, all finite."""
    arr = np.array(values, dtype=float)
    if arr.ndim != ndim:
        raise TeachkitError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise TeachkitError(f"{name} has NaN or infinite values")
    arr.setflags(write=False)
    return arr
