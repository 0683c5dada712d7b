"""Site-wide pieces of teachkit's documentation build.

* The lecture pages (``lectures/*.py``, read through jupytext) get a note under their title
  saying with which settings they were executed for this build.
* The executed pages run in the ``teachkit-docs`` kernel (``_ext/kernels``): the ordinary
  IPython kernel with its own log at ERROR level, so the build's console shows no kernel
  chatter ("running over TCP without encryption"), only what matters.
* The pages that need executing are executed several at a time (``TEACHKIT_DOCS_JOBS``,
  default: the number of CPUs) before Sphinx reads them one by one; Sphinx then finds their
  outputs in myst-nb's cache. A page whose execution fails is left to myst-nb, which runs it
  again and reports the error.
* The HTML build gets ``explorer.html``, the interactive explorer with the covarying model's
  fit on the Beijing data (from the fit store), linked from the explorer's guide page.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from tempfile import TemporaryDirectory

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

KERNELS = Path(__file__).resolve().parent
KERNEL = "teachkit-docs"


def quick() -> bool:
    """True when the lectures (and the explorer's fit) use quick settings."""
    return os.environ.get("TEACHKIT_QUICK") == "1"


def fit_settings() -> dict[str, int]:
    """Sampler settings of the lecture's fits in this build (as the lectures choose them)."""
    return {"draws": 300, "tune": 300, "chains": 2} if quick() else {}


def lecture_note(docname: str) -> str:
    """The note (a percent-format markdown cell) put under a lecture page's title."""
    script = f"lectures/{Path(docname).name}.py"
    if quick():
        how = (
            "in quick mode (`TEACHKIT_QUICK=1`: 2 chains of 300 draws), so its numbers are "
            "rougher than in class"
        )
    else:
        how = "with the lecture's settings (4 chains of 1000 draws), its fits from the fit store"
    text = [
        "```{note}",
        f"This page is `{script}`, executed when this site was built, {how}. To run it "
        "yourself, see {doc}`../guide/teaching`.",
        "```",
    ]
    return "# %% [markdown]\n" + "".join(f"# {line}\n" for line in text) + "\n"


def read_lecture(text: str, **kwargs):
    """Read a lecture script (jupytext percent format) as a notebook with a Python kernel.

    The scripts carry no kernelspec (they are scripts first); myst-nb needs one to choose the
    kernel (``nb_kernel_rgx_aliases`` then picks the quiet one) and the code's lexer.
    """
    import jupytext

    notebook = jupytext.reads(text, fmt="py:percent")
    notebook.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }  # fmt: skip
    return notebook


def add_lecture_note(app, docname: str, source: list[str]) -> None:
    """Insert :func:`lecture_note` after the first cell of a lecture script."""
    if not docname.startswith("lectures/") or docname.endswith("index"):
        return
    text = source[0]
    first = text.find("# %%")
    second = text.find("\n# %%", first + 1)
    if first < 0 or second < 0:
        LOGGER.warning("lecture %s has no second cell to put the note before", docname)
        return
    source[0] = text[: second + 1] + lecture_note(docname) + text[second + 1 :]


def _notebook(env, docname: str):
    """The page as myst-nb will execute it (its reader, the lecture note, the kernel alias)."""
    from myst_nb.core.read import create_nb_reader

    config = env.mystnb_config
    path = env.doc2path(docname)
    text = [Path(path).read_text(encoding="utf-8")]
    reader = create_nb_reader(str(path), env.myst_config, config, text[0])
    if reader is None:
        return None
    add_lecture_note(None, docname, text)
    notebook = reader.read(text[0])
    if not any(cell.cell_type == "code" for cell in notebook.cells):
        return None
    kernel = notebook.metadata.get("kernelspec", {}).get("name")
    for pattern, alias in config.kernel_rgx_aliases.items():
        if kernel is not None and re.fullmatch(pattern, kernel):
            notebook.metadata["kernelspec"]["name"] = alias
            break
    return path, reader.read_fmt, notebook


def execute_in_parallel(app, env, docnames: list[str]) -> None:
    """Execute the pages Sphinx is about to read, several at a time, into myst-nb's cache."""
    config = env.mystnb_config
    jobs = int(os.environ.get("TEACHKIT_DOCS_JOBS") or os.cpu_count() or 1)
    if config.execution_mode != "cache" or jobs < 2:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    cache = get_cache(config.execution_cache_path)
    pending = []
    for docname in docnames:
        found = _notebook(env, docname)
        if found is None:
            continue
        try:
            cache.match_cache_notebook(found[2])
        except KeyError:
            pending.append((docname, *found))
    if len(pending) < 2:
        return
    # the lectures take longest: start them first
    pending.sort(key=lambda item: not item[0].startswith("lectures/"))

    def execute(notebook):
        with TemporaryDirectory() as cwd:
            return single_nb_execution(
                notebook, cwd=cwd, timeout=config.execution_timeout,
                allow_errors=config.execution_allow_errors, meta_override=True,
            )  # fmt: skip

    LOGGER.info("executing %d pages, %d at a time", len(pending), jobs)
    with ThreadPoolExecutor(jobs) as pool:
        futures = {pool.submit(execute, item[3]): item for item in pending}
        for future in as_completed(futures):
            docname, path, read_fmt, notebook = futures[future]
            result = future.result()
            if result.err is not None:
                LOGGER.info("%s: failed; myst-nb runs it again and reports why", docname)
                continue
            LOGGER.info("%s: executed in %.1f s", docname, result.time)
            args = {"read_data": read_fmt} if read_fmt is not None else {}
            stage = cache.add_nb_to_project(str(path), **args)
            bundle = CacheBundleIn(notebook, stage.uri, data={"execution_seconds": result.time})
            cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


def write_explorer(app, exception) -> None:
    """Write ``explorer.html`` into the HTML output, with the covarying model's real fit."""
    if exception is not None or app.builder.format != "html":
        return
    from teachkit.explorer import build_explorer, posterior_from_idata
    from teachkit.figures import FigureContext

    ctx = FigureContext("real", status=LOGGER.info, **fit_settings())
    idata = ctx.fit("ozone", "covarying")
    posterior = posterior_from_idata(idata, ctx.data("ozone"), source="Beijing")
    page = build_explorer(Path(app.outdir) / "explorer.html", data="beijing", posterior=posterior)
    LOGGER.info("wrote the explorer page: %s", page)


def setup(app):
    """Connect the pieces."""
    path = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(KERNELS), path]))
    app.connect("source-read", add_lecture_note)
    app.connect("env-before-read-docs", execute_in_parallel)
    app.connect("build-finished", write_explorer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
