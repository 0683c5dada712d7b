"""Posterior draws by canonical name, chains pooled: the one way teachkit reads a posterior.

``draws(idata, "alpha")`` gives every draw of ``alpha`` with chains and draws flattened into
the first axis (shape (n_draws, n_stations)); ``draws(idata, "alpha[3]")`` one entry by the
label of its coordinate (a station id, ``f``/``m``, a discipline name).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import arviz as az

__all__ = ["draws", "split_name"]

_INDEXED = re.compile(r"^(?P<var>\w+)\[(?P<label>.+)\]$")


def split_name(name: str) -> tuple[str, str | None]:
    """``"alpha[3]"`` -> ``("alpha", "3")``; ``"rho"`` -> ``("rho", None)``.

    Examples
    --------
    >>> split_name("beta[Physics]"), split_name("rho")
    (('beta', 'Physics'), ('rho', None))
    """
    match = _INDEXED.match(name)
    return (match["var"], match["label"]) if match else (name, None)


def draws(idata: az.InferenceData, name: str) -> np.ndarray:
    """All draws of a variable or of one labelled entry, chains concatenated.

    Parameters
    ----------
    idata : arviz.InferenceData
        With a ``posterior`` group.
    name : str
        A variable (``"alpha"``) or an entry (``"alpha[3]"``, ``"alpha[f]"``).

    Returns
    -------
    ndarray
        Shape ``(chains * draws, *other_dims)`` for a variable (``other_dims``: the
        variable's dims besides chain and draw), ``(chains * draws,)`` for an entry.

    Raises
    ------
    KeyError
        If the posterior has no such variable or label.
    """
    post = idata.posterior
    var, label = split_name(name)
    if var not in post:
        raise KeyError(f"the posterior has no {var!r}; it has {', '.join(map(str, post))}")
    values = post[var]
    if label is None:
        array = values.to_numpy()
        return array.reshape(-1, *array.shape[2:])
    (dim,) = [d for d in values.dims if d not in ("chain", "draw")]
    labels = [str(c) for c in values[dim].to_numpy()]
    if label not in labels:
        raise KeyError(f"{var} has no entry {label!r}; its {dim} labels are {', '.join(labels)}")
    return values.isel({dim: labels.index(label)}).to_numpy().ravel()
