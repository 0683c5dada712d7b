"""Normal data with a planted mean and sd."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from teachkit.simulation import Simulation


def simulate_toy(
    *, rng: Any = None, mu: float = 1.5, sigma: float = 2.0, n: int = 20
) -> Simulation:
    """``n`` draws of Normal(mu, sigma), and the planted mu and sigma."""
    y = np.random.default_rng(rng).normal(mu, sigma, n)
    return Simulation(pd.DataFrame({"y": y}), {"mu": mu, "sigma": sigma})
