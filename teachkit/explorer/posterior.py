"""The covarying model's posterior, reduced to plain arrays the explorer can embed.

The page runs no PyMC: the command line loads a stored fit of the covarying model and turns
it into a :class:`RealPosterior` with :func:`posterior_from_idata` (thinned draws of the
hyperparameters and of each station's line, and a thinned sample of each station's days);
tab 5 of the page is drawn from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from teachkit.errors import TeachkitError

if TYPE_CHECKING:
    import arviz as az

__all__ = ["HYPERPARAMETERS", "RealPosterior", "posterior_from_idata"]

#: Scalar hyperparameters of the covarying model, besides rho.
HYPERPARAMETERS: tuple[str, ...] = ("mu_alpha", "mu_beta", "sigma_alpha", "sigma_beta", "sigma")
#: Default thinning: draws kept, and days kept per station.
MAX_DRAWS = 2000
POINTS_PER_STATION = 150


@dataclass(frozen=True, eq=False)
class RealPosterior:
    """Thinned posterior draws of the covarying model, and the days they were fitted to.

    All arrays are read-only float64 (``station_index`` int64) copies.

    Attributes
    ----------
    station_names : tuple of str
        The J station names, in the order of the columns of ``alpha`` and ``beta``.
    rho : ndarray of shape (n,)
        Draws of the correlation of intercepts and slopes, in [-1, 1].
    alpha, beta : ndarray of shape (n, J)
        Draws of each station's intercept and slope.
    mu_alpha, mu_beta, sigma_alpha, sigma_beta, sigma : ndarray of shape (n,)
        Draws of the population means and sds and of the residual sd.
    station_index : ndarray of int, shape (m,)
        Station (0..J-1) of each data point drawn under the lines.
    temp, log_ozone : ndarray of shape (m,)
        The data points: daily max temperature and log max ozone.
    eta : float
        The LKJ prior's eta (the lecture's model: 2).
    source : str
        What was fitted, shown on the page (e.g. "Beijing").

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> n, J = 100, 2
    >>> post = RealPosterior(
    ...     station_names=("A", "B"), rho=rng.uniform(-1, 0, n),
    ...     alpha=rng.normal(3.4, 0.1, (n, J)), beta=rng.normal(0.05, 0.01, (n, J)),
    ...     mu_alpha=np.full(n, 3.4), mu_beta=np.full(n, 0.05), sigma_alpha=np.full(n, 0.2),
    ...     sigma_beta=np.full(n, 0.01), sigma=np.full(n, 0.6),
    ...     station_index=[0, 1], temp=[10.0, 20.0], log_ozone=[3.9, 4.4])
    >>> post.n_draws, post.n_stations
    (100, 2)
    """

    station_names: tuple[str, ...]
    rho: NDArray[np.float64]
    alpha: NDArray[np.float64]
    beta: NDArray[np.float64]
    mu_alpha: NDArray[np.float64]
    mu_beta: NDArray[np.float64]
    sigma_alpha: NDArray[np.float64]
    sigma_beta: NDArray[np.float64]
    sigma: NDArray[np.float64]
    station_index: NDArray[np.int64]
    temp: NDArray[np.float64]
    log_ozone: NDArray[np.float64]
    eta: float = 2.0
    source: str = "Beijing"

    def __post_init__(self) -> None:
        names = tuple(str(s) for s in self.station_names)
        if not names:
            raise TeachkitError("station_names is empty; the posterior needs at least 1 station")
        object.__setattr__(self, "station_names", names)
        n_stations = len(names)
        rho = _frozen(self.rho, "rho", ndim=1)
        n = rho.size
        if n == 0:
            raise TeachkitError("the posterior has no draws")
        if np.any(np.abs(rho) > 1):
            raise TeachkitError("rho draws must lie in [-1, 1]")
        object.__setattr__(self, "rho", rho)
        for name in ("alpha", "beta"):
            arr = _frozen(getattr(self, name), name, ndim=2)
            if arr.shape != (n, n_stations):
                raise TeachkitError(
                    f"{name} must have shape (draws, stations) = {(n, n_stations)}, got {arr.shape}"
                )
            object.__setattr__(self, name, arr)
        for name in HYPERPARAMETERS:
            arr = _frozen(getattr(self, name), name, ndim=1)
            if arr.shape != (n,):
                raise TeachkitError(f"{name} must have {n} draws like rho, got shape {arr.shape}")
            object.__setattr__(self, name, arr)
        index = np.asarray(self.station_index)
        if index.ndim != 1 or (
            index.size
            and (
                not np.issubdtype(index.dtype, np.integer)
                or index.min() < 0
                or index.max() >= n_stations
            )
        ):
            raise TeachkitError(f"station_index must hold whole numbers in 0..{n_stations - 1}")
        index = index.astype(np.int64)
        index.setflags(write=False)
        object.__setattr__(self, "station_index", index)
        for name in ("temp", "log_ozone"):
            arr = _frozen(getattr(self, name), name, ndim=1)
            if arr.shape != index.shape:
                raise TeachkitError(f"{name} must have one value per station_index entry")
            object.__setattr__(self, name, arr)
        if not (np.isfinite(self.eta) and self.eta > 0):
            raise TeachkitError(f"eta must be a finite number > 0, got {self.eta!r}")

    @property
    def n_draws(self) -> int:
        """Number of posterior draws."""
        return int(self.rho.size)

    @property
    def n_stations(self) -> int:
        """Number of stations."""
        return len(self.station_names)


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
    >>> post.station_names, post.n_draws, post.station_index.tolist()
    (('A', 'B'), 60, [0, 0, 1])
    """
    if isinstance(max_draws, bool) or not isinstance(max_draws, int) or max_draws < 1:
        raise TeachkitError(f"max_draws must be a whole number >= 1, got {max_draws!r}")
    if (
        isinstance(points_per_station, bool)
        or not isinstance(points_per_station, int)
        or points_per_station < 0
    ):
        raise TeachkitError(
            f"points_per_station must be a whole number >= 0, got {points_per_station!r}"
        )
    posterior = getattr(idata, "posterior", None)
    if posterior is None:
        raise TeachkitError("idata has no posterior group")
    needed = ("alpha", "beta", "rho", *HYPERPARAMETERS)
    missing = [v for v in needed if v not in posterior]
    if missing:
        raise TeachkitError(
            f"the fit lacks {', '.join(missing)}; fit the covarying model "
            "(build_ozone_model(data, 'covarying'))"
        )
    missing_cols = [c for c in ("station", "station_id", "TEMP", "log_ozone") if c not in data]
    if missing_cols:
        raise TeachkitError(f"data lacks column(s) {', '.join(missing_cols)}")

    def draws(name: str) -> NDArray[np.float64]:
        var = posterior[name]
        other = [d for d in var.dims if d not in ("chain", "draw")]
        stacked = var.transpose("chain", "draw", *other).to_numpy()
        return stacked.reshape(-1, *stacked.shape[2:])

    rho = draws("rho")
    keep = np.unique(np.linspace(0, rho.size - 1, min(rho.size, max_draws)).round().astype(int))

    coord = [c.item() if hasattr(c, "item") else c for c in posterior["alpha"]["station"].values]
    names, ids = _station_names(coord, data)
    rng = np.random.default_rng(seed)
    index, temp, y = [], [], []
    for position, sid in enumerate(ids):
        rows = data[(data["station_id"] == sid) & data["TEMP"].notna() & data["log_ozone"].notna()]
        take = np.sort(rng.permutation(len(rows))[:points_per_station])
        index.append(np.full(take.size, position, dtype=np.int64))
        temp.append(rows["TEMP"].to_numpy(dtype=float)[take])
        y.append(rows["log_ozone"].to_numpy(dtype=float)[take])
    return RealPosterior(
        station_names=tuple(names),
        rho=rho[keep],
        alpha=draws("alpha")[keep],
        beta=draws("beta")[keep],
        station_index=np.concatenate(index),
        temp=np.concatenate(temp),
        log_ozone=np.concatenate(y),
        eta=eta,
        source=source,
        **{name: draws(name)[keep] for name in HYPERPARAMETERS},
    )


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
