"""Compiled models kept for the life of the process, so a refit with new data skips compiling.

nutpie compiles a PyMC model with numba, about 10 s per model structure and process, and that
cannot be cached across processes (numba's ``cache=True`` does not apply to the generated
log-density functions). A compiled model can take new values of its data containers
(``with_data``) without compiling again, so :func:`teachkit.inference.fit` keeps one per
sampler and model structure (:attr:`teachkit.models.ModelSpec.structure`) in
:data:`COMPILED_MODELS`. Some data are folded into the compiled code (for example integer index
arrays); an entry remembers them and is reused only when they are unchanged. Threads that fit
in parallel (local SBC jobs) hold :attr:`CompiledModelCache.lock` while they look up or compile,
so a structure is compiled once, not once per thread.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["COMPILED_MODELS", "CompiledModelCache"]


@dataclass
class _Entry:
    compiled: Any
    frozen: dict[str, np.ndarray]


@dataclass
class CompiledModelCache:
    """Compiled models by (sampler, model structure), with hit and miss counts.

    Examples
    --------
    >>> cache = CompiledModelCache()
    >>> cache.get("nutpie", ("m",), {"n": np.arange(3)}) is None
    True
    >>> cache.put("nutpie", ("m",), "compiled", frozen={"n": np.arange(3)})
    >>> cache.get("nutpie", ("m",), {"n": np.arange(3)}), cache.hits, cache.misses
    ('compiled', 1, 1)
    >>> cache.get("nutpie", ("m",), {"n": np.arange(4)}) is None  # folded-in data changed
    True
    >>> cache.clear(); len(cache)
    0
    """

    hits: int = 0
    misses: int = 0
    #: Held by a fit while it looks a model up and, on a miss, compiles and keeps it.
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)
    _entries: dict[tuple[str, Hashable], _Entry] = field(default_factory=dict, repr=False)

    def get(self, sampler: str, structure: Hashable, data: Mapping[str, np.ndarray]) -> Any:
        """The compiled model for ``structure``, or None (a miss).

        A miss also when the data folded into the compiled code differ from ``data``.
        """
        entry = self._entries.get((sampler, structure))
        if entry is not None and all(
            name in data and np.array_equal(data[name], value)
            for name, value in entry.frozen.items()
        ):
            self.hits += 1
            return entry.compiled
        self.misses += 1
        return None

    def put(
        self,
        sampler: str,
        structure: Hashable,
        compiled: Any,
        *,
        frozen: Mapping[str, np.ndarray] | None = None,
    ) -> None:
        """Keep ``compiled``; ``frozen`` are the data values folded into its code."""
        kept = {k: np.array(v, copy=True) for k, v in (frozen or {}).items()}
        self._entries[(sampler, structure)] = _Entry(compiled, kept)

    def clear(self) -> None:
        """Forget every compiled model (the next fit of each structure compiles again)."""
        self._entries.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)


#: The process's compiled models, used by :func:`teachkit.inference.fit`.
COMPILED_MODELS = CompiledModelCache()
