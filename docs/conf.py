"""Sphinx configuration of teachkit's documentation site.

Build it from the repository's root (``pip install -e ".[docs]"`` first)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The site documents the checkout it is in: this folder's parent goes first on ``sys.path`` (and
on ``PYTHONPATH``, so the notebook kernels import the same teachkit). The user-guide pages
and the two lectures are executed while the site is built (myst-nb, several pages at a time:
``_ext/teachkit_site.py``); their outputs are cached in ``docs/_build/.jupyter_cache`` (quick
mode: ``.jupyter_cache-quick``) and reused until a page's code changes.

Environment variables:

``TEACHKIT_QUICK=1``
    The lectures sample few draws (their quick mode), as the test of this build does.
``TEACHKIT_DOCS_EXECUTE``
    myst-nb's execution mode: ``cache`` (default), ``force`` (run every page again, one at a
    time) or ``off`` (no outputs; for a quick look at the text).
``TEACHKIT_DOCS_JOBS``
    How many pages execute at once (default: the number of CPUs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path[:0] = [str(ROOT), str(DOCS / "_ext")]
# Kernels started by myst-nb inherit the environment: the same teachkit, and the docs' helpers.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT), str(DOCS / "_ext"), *filter(None, [os.environ.get("PYTHONPATH")])]
)

import teachkit  # noqa: E402
import teachkit_api  # noqa: E402

QUICK = os.environ.get("TEACHKIT_QUICK") == "1"

# -- Project -------------------------------------------------------------------------------

project = "teachkit"
author = "teachkit's authors"
copyright = "teachkit's authors, MIT licence"
version = release = teachkit.__version__

# -- Sources -------------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
    "sphinx_copybutton",
    "teachkit_api",
    "teachkit_gallery",
    "teachkit_site",
]
templates_path = ["_templates"]
root_doc = "index"
# The lectures are jupytext percent scripts (symbolic links to lectures/*.py): myst-nb reads
# them through jupytext. Every other .py file here is code, not a page.
nb_custom_formats = {".py": "teachkit_site.read_lecture"}
exclude_patterns = ["_build", "_ext", "_templates", "conf.py", "**.ipynb_checkpoints"]
suppress_warnings = []

# -- MyST and notebook execution -----------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
nb_execution_mode = os.environ.get("TEACHKIT_DOCS_EXECUTE", "cache")
nb_execution_timeout = 1800  # a full lecture cell fits three models
nb_execution_in_temp = True  # the lectures write their figures to ./lecture-figures
nb_execution_raise_on_error = True  # a page whose code fails breaks the build
nb_execution_show_tb = True
nb_output_stderr = "warn"  # anything on stderr (a warning, a progress bar) fails -W
nb_merge_streams = True
nb_kernel_rgx_aliases = {".*": "teachkit-docs"}  # docs/_ext/kernels: a quiet kernel log

# -- API reference -------------------------------------------------------------------------

autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types
autodoc_preserve_defaults = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
add_module_names = False

# -- HTML ----------------------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"teachkit {release}"
html_static_path = ["_static"]
html_css_files = ["teachkit.css"]
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    "navigation_with_keys": False,
}
# Pages without sub-pages have nothing to show in the left sidebar.
html_sidebars = {page: [] for page in ("index", "getting-started", "gallery", "design")}
html_sidebars["lectures/*"] = []  # two pages: the room goes to their code and figures
html_show_sourcelink = False


def _config_inited(app, config) -> None:
    """Generate the API pages; keep quick and full lecture outputs in separate caches."""
    teachkit_api.write_api_sources(app.srcdir)
    if not config.nb_execution_cache_path:
        name = ".jupyter_cache-quick" if QUICK else ".jupyter_cache"
        config.nb_execution_cache_path = str(Path(app.outdir).parent / name)


def setup(app) -> None:
    """Hook the generated sources in before Sphinx looks for pages."""
    app.connect("config-inited", _config_inited, priority=400)
