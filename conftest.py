"""Shared set-up for tests and doctests: the Agg backend, figures closed, a fit store per test.

Each test gets a fit store of its own, so no test reads a fit another test (or the user)
stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

# The recipes' toy case study is source that tests/test_recipes.py copies, edits and imports
# under its own name; it is not a module of the test suite (its doctests included).
collect_ignore_glob = ["tests/recipes/*"]


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(autouse=True)
def _own_fit_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """Point TEACHKIT_FIT_STORE (read by teachkit.store and by CLI subprocesses) at a new folder."""
    folder = tmp_path_factory.mktemp("fit-store")
    monkeypatch.setenv("TEACHKIT_FIT_STORE", str(folder))
    return folder
