"""What teachkit knows about a model: its record in a case study and what its builder returns.

* :class:`~teachkit.models.entry.ModelEntry`: one model of a case study as one record (name,
  builder, hyperparameters and group parameters, what it is true for, its options).
* :class:`~teachkit.models.spec.BuiltModel`: the ``pm.Model`` a builder made, with its
  :class:`~teachkit.models.spec.ModelSpec`.

Models are built by case and name with :func:`teachkit.pipeline.build_model`; the builders
themselves live in each case study's ``models`` module.
"""

from teachkit.models.entry import ModelEntry
from teachkit.models.spec import BuiltModel, ModelSpec

__all__ = ["BuiltModel", "ModelEntry", "ModelSpec"]
