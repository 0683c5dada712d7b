"""The fit store: fits saved on disk under a key of everything that determines their draws.

The role ``file=`` with ``file_refit = "on_change"`` plays in brms: a fit is sampled once and
read back by every later identical request, in any process, and sampled again as soon as
anything that determines its draws changes. The key (:class:`FitKey`) holds the case, model,
the model's options (as the case resolved them), a fingerprint of the data's values, the
sampler settings (:class:`~teachkit.samplers.SamplerSettings`), a hash of the source of
teachkit's model and sampling code (not only its version string) and the versions of the
libraries that draw (PyMC, PyTensor, nutpie, numpy).

Each entry is up to four files named after the key's :attr:`FitKey.stem`, each written
atomically:

* ``<stem>.nc``: the ``InferenceData`` as netCDF, without the pointwise group LOO needs
  (:data:`teachkit.loo.POINTWISE_GROUP`, 0.5 GB for a Beijing fit);
* ``<stem>.json``: a small JSON record of the fit (its summary table and diagnostics, as
  ``teachkit fit --json`` writes it), so a repeated ``teachkit fit`` prints from it without
  importing PyMC or ArviZ;
* ``<stem>.loo.nc``: the fit's pointwise ELPD data (PSIS-LOO's elpd_i and Pareto k per
  observation and its totals, :func:`teachkit.loo.elpd_to_dataset`), added the first time
  the fit's LOO is asked for (:meth:`FitStore.elpd`), so the log-likelihood is computed once
  per fit, not once per ``compare``;
* ``<stem>.manifest.json``: the size and sha256 checksum of each of the others, written last
  (again when the ELPD data are added). Its presence means the entry is complete.

**The store checks what it reads.** Before an entry is used, every file its manifest lists
is checked against its size and checksum (hashing a few MB takes milliseconds). An entry
that is incomplete (no manifest, a file missing), truncated, emptied, garbled or unreadable
is reported in one :class:`~teachkit.errors.DamagedFitWarning` (one line: the entry, what
is wrong, where it went), moved into the store's ``damaged/`` folder (never deleted) and
treated as missing, so the caller fits it again. The command line prints that warning as
one ``teachkit: warning: ...`` line on stderr.

The store lives in the user's cache folder (``platformdirs.user_cache_dir("teachkit")/fits``,
e.g. ``~/.cache/teachkit/fits`` on Linux) unless the environment variable
``TEACHKIT_FIT_STORE`` or an explicit folder says otherwise.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teachkit.errors import DamagedFitWarning, TeachkitError
from teachkit.files import atomic_write, write_json
from teachkit.loo import POINTWISE_GROUP, elpd_from_dataset, elpd_to_dataset

if TYPE_CHECKING:
    import arviz as az
    from arviz.stats.stats_utils import ELPDData

    from teachkit.cases.base import CaseStudy
    from teachkit.samplers import SamplerSettings

__all__ = [
    "DAMAGED",
    "ENV_VAR",
    "DamagedFitWarning",
    "FitKey",
    "FitStore",
    "code_hash",
    "default_store_dir",
    "library_versions",
]

#: Environment variable naming the fit store's folder.
ENV_VAR = "TEACHKIT_FIT_STORE"
#: The store's subfolder that damaged entries are moved into.
DAMAGED = "damaged"
#: The suffix of each file of an entry, by role; the manifest's comes last.
_SUFFIXES = {"fit": ".nc", "record": ".json", "elpd": ".loo.nc"}
_MANIFEST = ".manifest.json"
#: Errors reading a file that passed its checksum can still raise (written by a bug, say).
_READ_ERRORS = (OSError, ValueError, KeyError, RuntimeError, EOFError)
#: Libraries whose version can change the draws.
_DRAWING_LIBRARIES = ("pymc", "pytensor", "nutpie", "numpy")
#: teachkit's generic modules whose source can change the draws of every case.
_GENERIC_CODE = (
    "teachkit.inference",
    "teachkit.samplers",
    "teachkit.models.spec",
    "teachkit.compiled",
)


def default_store_dir() -> Path:
    """``$TEACHKIT_FIT_STORE``, else the user's cache folder for teachkit, plus ``fits``."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("teachkit")) / "fits"


def code_hash(modules: tuple[str, ...]) -> str:
    """Hash of the source files of ``modules`` (found without importing those not yet imported).

    Examples
    --------
    >>> len(code_hash(("teachkit.inference",)))
    16
    """
    digest = hashlib.sha256()
    for name in modules:
        module = sys.modules.get(name)
        origin = getattr(module, "__file__", None)
        if origin is None:
            spec = importlib.util.find_spec(name)
            if spec is None or spec.origin is None:
                raise ModuleNotFoundError(name)
            origin = spec.origin
        digest.update(name.encode())
        digest.update(Path(origin).read_bytes())
    return digest.hexdigest()[:16]


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that draw (read from metadata, not imported)."""
    return {name: metadata.version(name) for name in _DRAWING_LIBRARIES}


@dataclass(frozen=True)
class FitKey:
    """Everything that determines a fit's draws.

    Examples
    --------
    >>> a = FitKey("grants", "gender", {}, "d1", "nutpie", 1000, 1000, 4, 5)
    >>> a.digest() == FitKey(**{**a.__dict__, "seed": 6}).digest()
    False
    """

    case: str
    model: str
    options: dict[str, str | None]
    data_hash: str
    sampler: str
    draws: int
    tune: int
    chains: int
    seed: int
    target_accept: float = 0.9
    code: str = ""
    versions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_fit(
        cls,
        case: CaseStudy,
        model: str,
        options: dict[str, str | None],
        data_hash: str,
        settings: SamplerSettings,
    ) -> FitKey:
        """The key of a fit of ``case``'s ``model`` with resolved ``options``."""
        return cls(
            case=case.name,
            model=model,
            options=dict(options),
            data_hash=data_hash,
            sampler=settings.sampler,
            draws=settings.draws,
            tune=settings.tune,
            chains=settings.chains,
            seed=-1 if settings.seed is None else settings.seed,
            target_accept=float(settings.target_accept),
            code=code_hash((*_GENERIC_CODE, *case.model_code())),
            versions=library_versions(),
        )

    def digest(self) -> str:
        """A short, stable hash of every field."""
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    @property
    def stem(self) -> str:
        """File name without suffix: readable case and model, then the digest."""
        return f"{self.case}-{self.model}-{self.digest()}"


class FitStore:
    """A folder of stored fits, each checked against its manifest before it is read.

    Parameters
    ----------
    root : path, optional
        The folder (created when the first fit is saved); default :func:`default_store_dir`.

    Notes
    -----
    A damaged entry is reported by a :class:`~teachkit.errors.DamagedFitWarning`, moved into
    ``root / "damaged"`` and treated as missing (see the module's description).
    """

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root).expanduser() if root is not None else default_store_dir()
        #: Manifests checked in this process, by stem, with the (size, mtime) of the manifest
        #: and of each file it lists then: a file changed since is checked again.
        self._checked: dict[str, tuple[tuple[tuple[int, int], ...], dict[str, Any]]] = {}

    def __repr__(self) -> str:
        return f"FitStore({str(self.root)!r})"

    def path(self, key: FitKey) -> Path:
        """The netCDF file of ``key``'s fit."""
        return self.root / f"{key.stem}{_SUFFIXES['fit']}"

    def record_path(self, key: FitKey) -> Path:
        """The JSON record of ``key``'s fit."""
        return self.root / f"{key.stem}{_SUFFIXES['record']}"

    def elpd_path(self, key: FitKey) -> Path:
        """The netCDF file of ``key``'s pointwise ELPD data (present once computed)."""
        return self.root / f"{key.stem}{_SUFFIXES['elpd']}"

    def manifest_path(self, key: FitKey) -> Path:
        """The manifest of ``key``'s entry: each file's size and sha256, written last."""
        return self.root / f"{key.stem}{_MANIFEST}"

    def __contains__(self, key: FitKey) -> bool:
        """Whether the store has a complete, undamaged entry for ``key`` (checked)."""
        return self._check(key) is not None

    def load_record(self, key: FitKey) -> dict[str, Any] | None:
        """The stored record, or None when the store has no complete, undamaged entry."""
        if self._check(key) is None:
            return None
        try:
            record = json.loads(self.record_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            self._damaged(key, f"its record cannot be read ({_reason(err)})")
            return None
        if not isinstance(record, dict):
            self._damaged(key, "its record is not a JSON object")
            return None
        return record

    def load(self, key: FitKey) -> az.InferenceData | None:
        """The stored fit, or None (also when the entry was found damaged and moved aside)."""
        import arviz as az

        if self._check(key) is None:
            return None
        try:
            return az.from_netcdf(self.path(key))
        except _READ_ERRORS as err:
            self._damaged(key, f"its fit cannot be read ({_reason(err)})")
            return None

    def load_elpd(self, key: FitKey) -> ELPDData | None:
        """The stored pointwise ELPD data of ``key``'s fit, or None when not computed yet."""
        import xarray as xr

        manifest = self._check(key)
        if manifest is None or self.elpd_path(key).name not in manifest["files"]:
            return None
        try:
            return elpd_from_dataset(xr.load_dataset(self.elpd_path(key)))
        except (*_READ_ERRORS, TeachkitError) as err:
            self._damaged(key, f"its LOO data cannot be read ({_reason(err)})")
            return None

    def elpd(self, key: FitKey, compute: Callable[[], ELPDData]) -> ELPDData:
        """``key``'s stored ELPD data, or ``compute()``, which is then stored with the fit.

        ``compute`` is called only when the store has none (a new fit, or a fit stored before
        its LOO was asked for); the caller passes what knows the case, e.g.
        ``lambda: teachkit.loo.elpd_data(idata, case)``.
        """
        stored = self.load_elpd(key)
        if stored is not None:
            return stored
        value = compute()
        self.save_elpd(key, value)
        return value

    def save(self, key: FitKey, idata: az.InferenceData, record: dict[str, Any]) -> Path:
        """Store a fit and its record atomically, then their manifest; return the netCDF path.

        The pointwise group LOO needs (0.5 GB for a Beijing fit) is not stored, and ELPD data
        of an earlier fit under the same key are dropped.
        """
        groups = [g for g in idata.groups() if g != POINTWISE_GROUP]
        self._checked.pop(key.stem, None)
        # a failed write leaves the previous entry whole (and its manifest matching it)
        path = atomic_write(self.path(key), lambda p: idata.to_netcdf(str(p), groups=groups))
        write_json(record, self.record_path(key))
        self._write_manifest(key, [self.path(key), self.record_path(key)])
        self.elpd_path(key).unlink(missing_ok=True)  # the previous fit's, listed no more
        return path

    def save_elpd(self, key: FitKey, elpd: ELPDData) -> Path | None:
        """Store ``key``'s pointwise ELPD data beside its fit; None when there is no entry."""
        manifest = self._check(key)
        if manifest is None:
            return None
        dataset = elpd_to_dataset(elpd)
        path = atomic_write(self.elpd_path(key), lambda p: dataset.to_netcdf(p))
        listed = [self.root / name for name in manifest["files"] if name != path.name]
        self._write_manifest(key, [*listed, path])
        return path

    def clear(self) -> int:
        """Delete every stored fit (not the ``damaged/`` folder); return how many there were."""
        if not self.root.is_dir():
            return 0
        stems = {_stem(p.name) for p in self.root.iterdir() if p.is_file()}
        stems.discard(None)
        for stem in stems:
            for suffix in (*_SUFFIXES.values(), _MANIFEST):
                (self.root / f"{stem}{suffix}").unlink(missing_ok=True)
        self._checked.clear()
        return len(stems)

    # --- checking ------------------------------------------------------------------------

    def _write_manifest(self, key: FitKey, paths: list[Path]) -> None:
        files = {p.name: {"bytes": p.stat().st_size, "sha256": _sha256(p)} for p in paths}
        manifest = {"format": 1, "files": files}
        write_json(manifest, self.manifest_path(key))
        self._checked[key.stem] = (self._signatures(key, manifest), manifest)

    def _check(self, key: FitKey) -> dict[str, Any] | None:
        """The entry's manifest when every file it lists matches; None when absent or damaged.

        A damaged entry is reported and moved aside (:meth:`_damaged`).
        """
        manifest_path = self.manifest_path(key)
        try:
            signature = _signature(manifest_path)
        except OSError:
            present = [p for p in (self.path(key), self.record_path(key)) if p.is_file()]
            if present:
                files = " and ".join(_role(p.name, key.stem) for p in present)
                self._damaged(key, f"it has no manifest, only {files}")
            return None
        cached = self._checked.get(key.stem)
        if cached is not None and cached[0][0] == signature:
            try:
                if self._signatures(key, cached[1]) == cached[0]:
                    return cached[1]
            except OSError:
                pass  # a file has gone: checked below
        problem = None
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            files = manifest["files"]
            if not isinstance(files, dict) or not files:
                raise ValueError("it lists no files")
        except (OSError, ValueError, KeyError, TypeError) as err:
            self._damaged(key, f"its manifest cannot be read ({_reason(err)})")
            return None
        for name in (self.path(key).name, self.record_path(key).name):
            if name not in files:
                problem = f"its manifest does not list {_role(name, key.stem)}"
        for name, expected in files.items():
            if problem is not None:
                break
            problem = _file_problem(self.root / name, _role(name, key.stem), expected)
        if problem is not None:
            self._damaged(key, problem)
            return None
        self._checked[key.stem] = (self._signatures(key, manifest), manifest)
        return manifest

    def _signatures(self, key: FitKey, manifest: dict[str, Any]) -> tuple[tuple[int, int], ...]:
        """(size, mtime) of the manifest, then of each file it lists (OSError when one is gone)."""
        listed = [self.root / name for name in manifest["files"]]
        return tuple(_signature(p) for p in (self.manifest_path(key), *listed))

    def _damaged(self, key: FitKey, problem: str) -> None:
        """Report a damaged entry in one warning line and move its files into ``damaged/``."""
        self._checked.pop(key.stem, None)
        folder = self.root / DAMAGED / key.stem
        n = 1
        while folder.exists():
            n += 1
            folder = self.root / DAMAGED / f"{key.stem}-{n}"
        moved = False
        for suffix in (*_SUFFIXES.values(), _MANIFEST):
            source = self.root / f"{key.stem}{suffix}"
            if source.is_file():
                folder.mkdir(parents=True, exist_ok=True)
                os.replace(source, folder / source.name)
                moved = True
        where = f"moved to {folder}" if moved else "nothing left to move"
        warnings.warn(
            f"damaged fit-store entry {key.case}/{key.model} ({key.stem}): {problem}; {where}; "
            "it will be fitted again",
            DamagedFitWarning,
            stacklevel=4,
        )


def _stem(name: str) -> str | None:
    """The entry stem of a store file's name, or None for a file that is not one."""
    for suffix in sorted((*_SUFFIXES.values(), _MANIFEST), key=len, reverse=True):
        if name.endswith(suffix) and not name.startswith("."):
            return name[: -len(suffix)]
    return None


def _signature(path: Path) -> tuple[int, int]:
    """A file's size and modification time in ns (raises OSError when it is missing)."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _role(name: str, stem: str) -> str:
    """A file of an entry named by what follows the stem (``.nc``, ``.json``, ``.loo.nc``)."""
    return f"its {name[len(stem) :]} file" if name.startswith(stem) else name


def _file_problem(path: Path, label: str, expected: Any) -> str | None:
    """What is wrong with one file of an entry against its manifest line, or None."""
    try:
        size = path.stat().st_size
        if not isinstance(expected, dict):
            return f"its manifest line for {label} cannot be read"
        if size == 0 and expected.get("bytes") != 0:
            return f"{label} is empty"
        if size != expected.get("bytes"):
            return f"{label} has {size} bytes, its manifest says {expected.get('bytes')}"
        if _sha256(path) != expected.get("sha256"):
            return f"{label} does not match its sha256 checksum"
    except FileNotFoundError:
        return f"{label} is missing"
    except OSError as err:
        return f"{label} cannot be read ({_reason(err)})"
    return None


def _reason(err: BaseException) -> str:
    """An exception as one short line."""
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 200 else text[:197] + "..."
