"""The fit store: fits saved on disk under a key of everything that determines their draws.

The role ``file=`` with ``file_refit = "on_change"`` plays in brms: a fit is sampled once and
read back by every later identical request, in any process, and sampled again as soon as
anything that determines its draws changes. The key (:class:`FitKey`) holds the case, model,
the model's options (as the case resolved them), a fingerprint of the data's values, the
sampler settings (:class:`~teachkit.samplers.SamplerSettings`), a hash of the source of
teachkit's model and sampling code (not only its version string) and the versions of the
libraries that draw (PyMC, PyTensor, nutpie, numpy).

Each entry is two files, written atomically in this order: the ``InferenceData`` as netCDF
(without the pointwise group LOO needs, :data:`teachkit.loo.POINTWISE_GROUP`, which is
recomputed from the draws) and a small JSON record of the fit (its summary table and
diagnostics, as ``teachkit fit --json`` writes it). The record is written last, so its
presence means the entry is complete; a repeated ``teachkit fit`` prints from it without
importing PyMC or ArviZ.

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
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teachkit.files import atomic_write, write_json
from teachkit.loo import POINTWISE_GROUP

if TYPE_CHECKING:
    import arviz as az

    from teachkit.cases.base import CaseStudy
    from teachkit.samplers import SamplerSettings

__all__ = ["ENV_VAR", "FitKey", "FitStore", "code_hash", "default_store_dir", "library_versions"]

#: Environment variable naming the fit store's folder.
ENV_VAR = "TEACHKIT_FIT_STORE"
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
    """A folder of stored fits.

    Parameters
    ----------
    root : path, optional
        The folder (created when the first fit is saved); default :func:`default_store_dir`.
    """

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root).expanduser() if root is not None else default_store_dir()

    def __repr__(self) -> str:
        return f"FitStore({str(self.root)!r})"

    def path(self, key: FitKey) -> Path:
        """The netCDF file of ``key``'s fit."""
        return self.root / f"{key.stem}.nc"

    def record_path(self, key: FitKey) -> Path:
        """The JSON record of ``key``'s fit."""
        return self.root / f"{key.stem}.json"

    def __contains__(self, key: FitKey) -> bool:
        return self.record_path(key).is_file() and self.path(key).is_file()

    def load_record(self, key: FitKey) -> dict[str, Any] | None:
        """The stored record, or None when the store has no complete entry for ``key``."""
        if key not in self:
            return None
        try:
            return json.loads(self.record_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # unreadable: treated as missing, the fit is made again

    def load(self, key: FitKey) -> az.InferenceData | None:
        """The stored fit, or None."""
        import arviz as az

        if key not in self:
            return None
        return az.from_netcdf(self.path(key))

    def save(self, key: FitKey, idata: az.InferenceData, record: dict[str, Any]) -> Path:
        """Store a fit and its record atomically; return the netCDF path.

        The pointwise group LOO needs (0.5 GB for a Beijing fit) is not stored.
        """
        groups = [g for g in idata.groups() if g != POINTWISE_GROUP]
        path = atomic_write(self.path(key), lambda p: idata.to_netcdf(str(p), groups=groups))
        write_json(record, self.record_path(key))
        return path

    def clear(self) -> int:
        """Delete every stored fit; return how many entries there were."""
        entries = list(self.root.glob("*.json")) if self.root.is_dir() else []
        for record in entries:
            record.unlink(missing_ok=True)
            record.with_suffix(".nc").unlink(missing_ok=True)
        return len(entries)
