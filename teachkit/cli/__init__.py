"""The ``teachkit`` command line: thin commands that call the library.

:mod:`teachkit.cli.app` holds the app, the options the commands share and :func:`main`; the
commands live in one module per theme (``maths``, ``data``, ``fitting``, ``calibration``,
``figures``, ``explorer``, ``lectures``), imported here in the lecture's order (the order of
``teachkit --help``).

User mistakes (an unknown option, a number that does not parse, a value out of range, a file
that cannot be read) end with one line on stderr and exit code 2, never a traceback: the
library raises :class:`~teachkit.errors.TeachkitError` for them, and that is the only error
:func:`main` catches. Any other exception is a bug and keeps its traceback. Heavy imports
(matplotlib, and PyMC for the model commands) happen inside the commands, so ``teachkit
--help`` and the demos start fast.
"""

from teachkit.cli.app import app, main

# Importing a command module registers its commands on ``app``; the order of these imports is
# the order of ``teachkit --help``, so the formatter must not sort them.
# isort: off
from teachkit.cli import maths  # noqa: F401
from teachkit.cli import data  # noqa: F401
from teachkit.cli import fitting  # noqa: F401
from teachkit.cli import calibration  # noqa: F401
from teachkit.cli import figures  # noqa: F401
from teachkit.cli import explorer  # noqa: F401
from teachkit.cli import lectures  # noqa: F401

# isort: on

__all__ = ["app", "main"]
