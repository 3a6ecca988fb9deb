"""Sphinx configuration of the accessmap documentation site (``make docs``).

The site is built offline from the repository alone: the API reference is generated from the
package (every module of ``src/accessmap`` and its ``__all__``), the methods pages are the
Markdown files of ``docs/``, and the notebooks are rendered by myst-nb without executing them.
Executed copies come from ``make docs-notebooks`` (``docs/execute_notebooks.py``, outputs in
``docs/_build/executed``); a notebook without an up-to-date executed copy is shown stripped.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(DOCS))

from apigen import write_api_pages, write_notebook_pages  # noqa: E402

import accessmap  # noqa: E402

project = "accessmap"
author = "accessmap developers"
copyright = "2026, accessmap developers"
release = accessmap.__version__
version = release
language = "en"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
    "numpydoc",
]

GENERATED = DOCS / "_gen"
write_api_pages(GENERATED / "api")
write_notebook_pages(
    GENERATED / "notebooks", notebooks=ROOT / "notebooks", executed=DOCS / "_build" / "executed"
)

exclude_patterns = ["_build", "**.ipynb_checkpoints", "img/README*"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"

# Notebooks are never executed by Sphinx: see ``make docs-notebooks``.
nb_execution_mode = "off"
nb_merge_streams = True
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath", "colon_fence"]

autodoc_default_options = {"members": False, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_preserve_defaults = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

html_theme = "furo"
html_title = f"accessmap {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
html_copy_source = False
