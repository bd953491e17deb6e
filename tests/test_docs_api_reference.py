"""The API reference is complete: every name in ``__all__`` of every public module is documented in
docs/api.md (by an ``automodule`` that shows its members, or by a directive naming it)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import sikkb
import sikkb_exporters

API = Path(__file__).resolve().parents[1] / "docs" / "api.md"

#: Modules whose ``__all__`` is not API, and why.
NOT_API = {
    "sikkb.cli": "the command line: documented in docs/cli.md",
    "sikkb.io.cells": "the reader's cell conversion (internal to sikkb.io.reader)",
    "sikkb.io.register_csv": "the reader's CSV parsing (internal to sikkb.io.reader)",
    "sikkb_exporters.builtin": "the built-in exporters' implementation (reached by the registry)",
    "sikkb_exporters.layouts": "the built-in documents' layouts (reached by the registry)",
    "sikkb_exporters.machine": "the built-in JSON/CSV/ADX writers (reached by the registry)",
    "sikkb_exporters.pdf": "the built-in PDF writer (reached by the registry)",
    "sikkb_exporters.svg": "the built-in PDF's charts (reached by the registry)",
    "sikkb_exporters.xlsx": "the built-in XLSX writer (reached by the registry)",
    "sikkb_exporters.fmt": "the built-in exporters' formatting (the core's is sikkb.i18n)",
}


def _public_modules() -> list[str]:
    out = []
    for pkg in (sikkb, sikkb_exporters):
        names = [
            pkg.__name__,
            *(m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")),
        ]
        for name in names:
            parts = name.split(".")
            if any(p.startswith("_") for p in parts):
                continue
            if any(name == m or name.startswith(m + ".") for m in NOT_API):
                continue
            out.append(name)
    return out


def _documented() -> set[str]:
    """Fully qualified names the reference documents, as autodoc would render them."""
    text = API.read_text(encoding="utf-8")
    names: set[str] = set()
    for block in re.split(r"\n(?=\.\. )", text):
        head = re.match(r"\.\. (auto\w+|py:\w+):: (\S+)", block)
        if not head:
            continue
        kind, target = head.groups()
        options = dict(re.findall(r"^\s+:([\w-]+):\s*(.*)$", block, re.M))
        if kind.startswith("py:"):
            names.add(f"{options['module']}.{target}" if "module" in options else target)
            continue
        if kind != "automodule":
            names.add(target)
            continue
        if "no-members" in options:
            continue
        module = importlib.import_module(target)
        # like autodoc with the project's default options: every name of ``__all__``
        members = getattr(module, "__all__", [])
        excluded = {m.strip() for m in options.get("exclude-members", "").split(",") if m.strip()}
        names |= {f"{target}.{m}" for m in members if m not in excluded}
    return names


def _objects(names: set[str]) -> set[int]:
    """The objects documented (a name re-exported elsewhere counts once documented anywhere)."""
    out = set()
    for full in names:
        module, _, attr = full.rpartition(".")
        try:
            out.add(id(getattr(importlib.import_module(module), attr)))
        except (ImportError, AttributeError):
            continue
    return out


def test_every_public_name_is_in_the_api_reference() -> None:
    documented = _documented()
    objects = _objects(documented)
    missing = []
    for name in _public_modules():
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            value = getattr(module, attr)
            if f"{name}.{attr}" in documented:
                continue
            if id(value) in objects:
                continue  # the same object, documented where it is re-exported
            missing.append(f"{name}.{attr}")
    assert not missing, "not in docs/api.md: " + ", ".join(missing)


def test_the_reference_documents_the_methods_users_reported_missing() -> None:
    """Methods without a docstring are left out by autodoc: these have one."""
    from sikkb.pipeline import MonthlyReports
    from sikkb.report import VillageReport
    from sikkb.rules import Findings

    for owner, methods in (
        (Findings, ("of", "errors", "warnings", "counts", "by_rule")),
        (MonthlyReports, ("village",)),
        (VillageReport, ("value", "cell")),
    ):
        for method in methods:
            assert (getattr(owner, method).__doc__ or "").strip(), f"{owner.__name__}.{method}"
    assert "sikkb.convert" in re.findall(r"automodule:: (\S+)", API.read_text())
