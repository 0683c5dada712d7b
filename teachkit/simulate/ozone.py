"""Known-truth ozone data: :mod:`teachkit.cases.ozone.simulate` under its older name."""

from teachkit.cases.ozone.simulate import (
    PEAK_DAY,
    STATION_TEMP_SD,
    exact_moment_effects,
    simulate_ozone,
    simulate_spatial_ozone,
    simulate_temperature,
)

__all__ = [
    "PEAK_DAY",
    "STATION_TEMP_SD",
    "exact_moment_effects",
    "simulate_ozone",
    "simulate_spatial_ozone",
    "simulate_temperature",
]
