"""Known-truth simulators, one module per case study.

Each returns a frozen :class:`Simulation` whose ``data`` has the columns of the real data set of
its case and whose ``truth`` holds every planted parameter under its canonical name.
"""

from teachkit.simulate.grants import simulate_grants
from teachkit.simulate.ozone import simulate_ozone
from teachkit.simulate.simulation import Simulation

__all__ = ["Simulation", "simulate_grants", "simulate_ozone"]
