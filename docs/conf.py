"""Sphinx configuration: MyST Markdown (and executed notebooks via myst-nb), autodoc, doctest."""

from __future__ import annotations

import sikkb

project = "sikkb"
author = "sikkb maintainers"
copyright = "2026, sikkb maintainers"
release = sikkb.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True

source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "README.md"]

autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
nitpicky = False

intersphinx_mapping = {"python": ("https://docs.python.org/3", None)}
intersphinx_disabled_reftypes = ["*"]
intersphinx_timeout = 1

html_theme = "furo"
html_title = f"sikkb {release}"
html_static_path = ["_static"]
language = "en"
suppress_warnings = ["intersphinx"]
