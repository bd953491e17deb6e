"""Sphinx configuration: MyST Markdown (and executed notebooks via myst-nb), autodoc, doctest."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import sikkb

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

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
    "sikkb_catalogue",  # docs/_ext: the rule catalogue, generated from the rule packs
    "sikkb_aliases",  # docs/_ext: references to re-exported names (sikkb.rules.Findings)
    "sikkb_er",  # docs/_ext: the database's ER picture, drawn from sikkb.io.db.schema
]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True

# Docstring examples run in the doctest builder as they would inside their module: with the public
# names (``__all__``) of every documented module in scope (no two of them share a name).
_DOCTEST_MODULES = [
    "sikkb.errors", "sikkb.periods", "sikkb.codes", "sikkb.regions", "sikkb.nik", "sikkb.register",
    "sikkb.i18n", "sikkb.rules.engine", "sikkb.rules.register", "sikkb.rules.report",
    "sikkb.report", "sikkb.report.village", "sikkb.report.recap", "sikkb.pipeline", "sikkb.sop",
    "sikkb.sop.definition", "sikkb.sop.calendars", "sikkb.sop.schedule", "sikkb.sop.lifecycle",
    "sikkb.sop.timeliness", "sikkb.demo", "sikkb.views.frames", "sikkb.views.display", "sikkb.views.charts", "sikkb.io.reader",
    "sikkb.io.raw", "sikkb.io.reader_rules", "sikkb.io.limits", "sikkb.io.eventlog",
    "sikkb.io.xlsx_stream", "sikkb.io.register_xlsx", "sikkb.io.sources", "sikkb.io.db",
    "sikkb_exporters", "sikkb_exporters.conformance", "sikkb_exporters.exporter",
    "sikkb.convert", "sikkb.io.columns", "sikkb.io.register_write",
    "sikkb.columnar", "sikkb.columnar.tables", "sikkb.columnar.findings", "sikkb.columnar.rules",
    "sikkb.columnar.synthetic", "sikkb.io.findings_csv", "sikkb.outcome",
]  # fmt: skip
doctest_global_setup = (
    "import datetime\n"
    + "\n".join(f"from {m} import *" for m in _DOCTEST_MODULES)
    # sikkb.columnar.xlsx's ``available`` would shadow sikkb.columnar's: its example's name only
    + "\nfrom sikkb.columnar.xlsx import agreed_format"
)

source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints", "README.md"]

autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
nitpicky = False
# Standard-library targets in signatures (Mapping, datetime.date...): not documented here.
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(collections\.abc|concurrent\.futures|datetime|enum|typing|types|io|os|pathlib|re|random"
        r"|html|zipfile)\..*",
    ),
    # pluggy's own types and the type variables / aliases of signatures
    (r"py:class", r"(pluggy\..*|_F|.*\.T|.*\.(WriteFn|RateLike|ItemValues)|WriteFn|RateLike)"),
    (r"py:class", r"sikkb[\w.]*\._\w+"),  # private helpers named in signatures
    (r"py:class", r"polars\..*"),  # Polars' data frames in the columnar engine's signatures
    (r"py:class", r"(sqlalchemy\..*|dt\..*|Bind)"),  # SQLAlchemy's types (its docs are not linked)
    (r"py:class", r"cattrs\..*"),  # cattrs' Converter in sikkb.convert's signatures
]

# The Python inventory is fetched only on request (SIKKB_DOCS_INTERSPHINX=1): an unreachable URL is
# an untyped warning that suppress_warnings cannot silence, so an offline build would fail under -W.
intersphinx_mapping = (
    {"python": ("https://docs.python.org/3", None)}
    if os.environ.get("SIKKB_DOCS_INTERSPHINX")
    else {}
)
intersphinx_disabled_reftypes = ["*"]
intersphinx_timeout = 1

html_theme = "furo"
html_title = f"sikkb {release}"
html_static_path = ["_static"]
language = "en"
suppress_warnings = ["intersphinx"]
