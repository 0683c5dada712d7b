"""teachkit's error type: a mistake the user made and can fix.

Every check of user input in teachkit (an argument out of range, an unknown name, a file that
cannot be read as the table it should be) raises :class:`TeachkitError` with a one-line message
that says what is wrong and what is allowed. It subclasses :class:`ValueError`, so code that
catches ``ValueError`` keeps working. The command line turns exactly these errors into one line
on stderr and exit code 2; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

__all__ = ["DamagedFitWarning", "TeachkitError"]


class TeachkitError(ValueError):
    """A mistake in what the user asked for, with a one-line message saying what is allowed.

    Examples
    --------
    >>> raise TeachkitError("draws must be a whole number >= 1, got 0")
    Traceback (most recent call last):
    ...
    teachkit.errors.TeachkitError: draws must be a whole number >= 1, got 0
    """


class DamagedFitWarning(Warning):
    """A fit-store entry was damaged (truncated, emptied, garbled, incomplete, unreadable).

    A direct subclass of :class:`Warning`, not of :class:`UserWarning`, so code that silences
    library chatter by ignoring ``UserWarning`` (the figures do, for matplotlib's layout
    warnings) does not silence it.

    Its message is one line: the entry, what is wrong with it, and the ``damaged/`` folder its
    files were moved into; the fit is then made again. The command line prints it as one
    ``teachkit: warning: ...`` line on stderr.
    """
