"""Shared fixtures of the explorer tests: a synthetic posterior and Bokeh JSON decoding."""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from teachkit.explorer import RealPosterior

N_DRAWS = 600
STATIONS = ("Alpha", "Bravo", "Charlie", "Delta")


def synthetic_posterior(seed: int = 3) -> RealPosterior:
    """A RealPosterior from made-up numbers shaped like the Beijing fit (no PyMC)."""
    rng = np.random.default_rng(seed)
    n, j = N_DRAWS, len(STATIONS)
    rho = np.tanh(rng.normal(-1.5, 0.4, n))
    alpha = rng.normal(3.45, 0.18, j) + rng.normal(0, 0.05, (n, j))
    beta = rng.normal(0.054, 0.006, j) + rng.normal(0, 0.002, (n, j))
    index = np.repeat(np.arange(j), 30)
    temp = rng.uniform(-5, 35, index.size)
    y = alpha.mean(axis=0)[index] + beta.mean(axis=0)[index] * temp + rng.normal(0, 0.6, index.size)
    return RealPosterior(
        group_names=STATIONS,
        rho=rho,
        alpha=alpha,
        beta=beta,
        mu_alpha=rng.normal(3.45, 0.05, n),
        mu_beta=rng.normal(0.054, 0.002, n),
        sigma_alpha=np.abs(rng.normal(0.18, 0.03, n)),
        sigma_beta=np.abs(rng.normal(0.006, 0.001, n)),
        sigma=np.abs(rng.normal(0.6, 0.01, n)),
        group_index=index,
        x=temp,
        y=y,
        source="synthetic",
    )


@pytest.fixture(scope="session")
def posterior() -> RealPosterior:
    return synthetic_posterior()


def _decode(value: Any) -> Any:
    """Bokeh's serialised values (ndarrays as base64 bytes, maps) back to Python/numpy."""
    if isinstance(value, dict):
        kind = value.get("type")
        if kind == "ndarray":
            array = value["array"]
            if isinstance(array, dict) and array.get("type") == "bytes":
                raw = base64.b64decode(array["data"])
                if raw[:2] == b"\x1f\x8b":  # BokehJS inflates large arrays sent gzipped
                    raw = gzip.decompress(raw)
                return np.frombuffer(raw, dtype=value["dtype"]).reshape(value["shape"])
            return np.asarray(_decode(array), dtype=value["dtype"]).reshape(value["shape"])
        if kind == "map":
            return {k: _decode(v) for k, v in value.get("entries", [])}
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _embedded_models(html: str) -> dict[str, dict[str, Any]]:
    """Every named Bokeh model of the page's embedded document: name -> decoded attributes."""
    match = re.search(
        r'<script type="application/json" id="[^"]+">\s*(.*?)\s*</script>', html, re.S
    )
    assert match, "no embedded Bokeh document"
    docs = json.loads(match.group(1))
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            attrs = node.get("attributes")
            if node.get("type") == "object" and isinstance(attrs, dict) and "name" in attrs:
                found[attrs["name"]] = {k: _decode(v) for k, v in attrs.items()}
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(docs)
    return found


@pytest.fixture(scope="session")
def embedded_models() -> Callable[[str], dict[str, dict[str, Any]]]:
    """Decodes a page: every named Bokeh model of its document, name -> attributes."""
    return _embedded_models
