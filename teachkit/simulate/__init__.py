"""Known-truth simulators of the lecture's case studies.

Each returns a frozen :class:`Simulation` whose ``data`` has the columns of the real data set
of its case and whose ``truth`` holds every planted parameter under its canonical name. The
simulators live with their case studies; ``teachkit.simulate.ozone`` and
``teachkit.simulate.grants`` are the same modules under the names notebooks import.
"""

from teachkit.cases.grants.simulate import simulate_grants
from teachkit.cases.ozone.simulate import simulate_ozone, simulate_spatial_ozone
from teachkit.simulation import Simulation

__all__ = ["Simulation", "simulate_grants", "simulate_ozone", "simulate_spatial_ozone"]
