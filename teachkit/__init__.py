"""teachkit: a toolkit for teaching Bayesian multilevel models."""

__version__ = "0.1.0"
