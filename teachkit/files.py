"""Reading users' files and writing teachkit's own, the one way teachkit does both.

* :func:`atomic_write` writes every file teachkit makes (CSV, JSON, netCDF, figures, HTML):
  to a temporary file in the target folder, then renamed over the target, so a reader (or a
  user after Ctrl-C or a crash) finds either the complete previous file or the complete new
  one, never half a file. ``os.replace`` is atomic on POSIX and Windows when both names are on
  the same file system, which is why the temporary file lives in the target folder.
* :func:`read_table` reads a user's CSV file and turns every way that can fail (no such file,
  an empty file, a binary file, a delimiter that cannot be guessed) into one
  :class:`~teachkit.errors.TeachkitError` line.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from teachkit.errors import TeachkitError

__all__ = ["atomic_write", "read_table", "shipped_data", "write_csv", "write_json", "write_text"]


def atomic_write(path: str | Path, write: Callable[[Path], Any]) -> Path:
    """Write ``path`` through ``write(temporary_path)``, then rename the result into place.

    The parent folder is created when missing. The temporary file has the target's suffix
    (matplotlib and netCDF writers choose the format from it) and is removed if ``write``
    fails, so a failed or interrupted write leaves any previous file untouched. The file gets
    the permissions a plain ``open`` would give it (0666 less the umask), not the private ones
    of a temporary file.

    Parameters
    ----------
    path : path
        The file to write.
    write : callable
        Writes the complete content to the path it is given.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    TeachkitError
        When the folder cannot be made or the file cannot be written (a folder in the way, no
        permission, a full disk), saying which path and why.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a" / "note.txt", lambda p: p.write_text("hi")).read_text()
    'hi'
    """
    target = Path(path)
    if target.is_dir():
        raise TeachkitError(f"cannot write {target}: it is a folder; give a file name")
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.stem}-", suffix=target.suffix
        )
        os.close(handle)
        tmp = Path(name)
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
        tmp = None
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise TeachkitError(f"cannot write {target}: {reason}") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return target


def _umask() -> int:
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(text: str, path: str | Path) -> Path:
    """Write UTF-8 text atomically."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_json(record: Any, path: str | Path) -> Path:
    """Write a record as indented, strict JSON (NaN or infinity is a bug: it raises)."""
    return write_text(json.dumps(record, indent=2, allow_nan=False) + "\n", path)


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as CSV the one way teachkit does: no index, Unix line ends, ISO dates.

    Deterministic (the same frame always gives the same bytes) and atomic.
    """
    return atomic_write(
        path,
        lambda p: frame.to_csv(p, index=False, lineterminator="\n", date_format="%Y-%m-%d"),
    )


#: The delimiters a user's table may use.
DELIMITERS = ",;"


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a user's CSV file, comma- or semicolon-separated (the delimiter is sniffed).

    Raises
    ------
    TeachkitError
        One line when the file is missing, empty, has a header but no rows, is not text (or
        not UTF-8 text, naming the first byte that is not), or
        is not a table separated by one of :data:`DELIMITERS`.
    """
    p = Path(path)
    if not p.is_file():
        raise TeachkitError(f"no such file: {p}")
    with p.open("rb") as handle:
        head = handle.read(64 * 1024)
    if b"\x00" in head:  # a binary file: an image, a spreadsheet's own format
        raise TeachkitError(f"{p.name} is not a text file; give a CSV table")
    try:
        sample = _utf8_head(head)
        if not sample.strip():
            raise TeachkitError(f"{p.name} cannot be read as a CSV table: the file is empty")
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        frame = pd.read_csv(p, sep=delimiter, encoding="utf-8-sig")
    except (_NotUtf8, UnicodeDecodeError) as err:  # the first 64 kB, or further on
        where = (
            f" (byte {err.byte:#04x} at position {err.position})"
            if isinstance(err, _NotUtf8)
            else ""
        )
        raise TeachkitError(
            f"{p.name} is not UTF-8 text{where}; save it as UTF-8 CSV (a spreadsheet's 'CSV UTF-8')"
        ) from None
    except csv.Error:
        raise TeachkitError(
            f"{p.name} cannot be read as a CSV table: separate its columns with commas or "
            "semicolons"
        ) from None
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise TeachkitError(f"{p.name} cannot be read as a CSV table: {reason}") from None
    if frame.empty:
        raise TeachkitError(f"{p.name} has a header but no rows")
    return frame


class _NotUtf8(Exception):
    """A byte that is not UTF-8, at a position of the file."""

    def __init__(self, position: int, byte: int) -> None:
        super().__init__(position, byte)
        self.position, self.byte = position, byte


def _utf8_head(head: bytes) -> str:
    """The first bytes of a file as UTF-8 text (a character cut at the end is left out).

    Raises :class:`_NotUtf8` with the first byte that is not UTF-8 and its position.
    """
    text = head.removeprefix(codecs.BOM_UTF8)
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.end == len(text):
            return text[: err.start].decode("utf-8")
        raise _NotUtf8(len(head) - len(text) + err.start, text[err.start]) from None


def shipped_data(name: str) -> Path:
    """Path of a data file shipped with teachkit (inside the wheel, else the checkout's data/).

    The files live in the repository's ``data/`` folder and are copied into the wheel as
    ``teachkit/data``, so both a source checkout and ``pip install .`` find them.
    """
    from importlib import resources

    packaged = Path(str(resources.files("teachkit"))) / "data" / name
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / name
