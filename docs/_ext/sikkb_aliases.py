"""Sphinx extension: resolve references to re-exported names to where they are documented.

sikkb's packages re-export their public names (``sikkb.rules.Findings`` is
``sikkb.rules.engine.Findings``); docstrings refer to either spelling, and to names of their own
module unqualified. The API reference documents each object once. When a Python reference finds no
target, this handler imports the object the reference names (relative to the current module
first), takes its defining module and qualified name, and links to that target if it is
documented. Anything else stays unresolved, so nitpicky builds still catch real mistakes.
"""

from __future__ import annotations

import importlib
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.nodes import make_refnode


def _import_object(path: str) -> tuple[Any, list[str]] | None:
    """The deepest object with a ``__module__`` along ``path``, and the parts after it."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        rest = parts[cut:]
        found: tuple[Any, list[str]] | None = None
        for i, name in enumerate(rest):
            try:
                obj = getattr(obj, name)
            except AttributeError:
                break
            if getattr(obj, "__module__", None) and getattr(obj, "__qualname__", None):
                found = (obj, rest[i + 1 :])
        return found
    return None


def _canonical(path: str) -> str | None:
    got = _import_object(path)
    if got is None:
        return None
    obj, rest = got
    return ".".join([obj.__module__, obj.__qualname__, *rest])


def resolve(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.reference | None:
    if node.get("refdomain") != "py":
        return None
    target = str(node.get("reftarget", "")).lstrip("~.")
    module = node.get("py:module")
    domain: Any = env.get_domain("py")
    candidates = ([f"{module}.{target}"] if module else []) + [target]
    for path in candidates:
        name = _canonical(path)
        if name and name in domain.objects:
            entry = domain.objects[name]
            return make_refnode(
                app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, name
            )
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("missing-reference", resolve)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
