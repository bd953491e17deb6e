"""The pure core stays light: importing it loads no plugin host, spreadsheet, PDF or dataframe library."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import sikkb

HEAVY = (
    "pluggy", "openpyxl", "weasyprint", "jinja2", "pandas", "polars", "matplotlib", "sikkb_exporters",
    "python_calamine",
)  # fmt: skip
EDGE = ("sikkb.io", "sikkb.cli")  # the imperative shell may import what it needs
# The columnar engine is an optional engine on Polars (the ``polars`` extra): its modules import
# it; nothing else in the core imports them at module level (checked below).
OPTIONAL = ("sikkb.columnar.",)
# ``python -m sikkb`` runs the command line when imported: it is edge code too.
SKIP = ("__main__",)

PROBE = """
import importlib, json, pkgutil, sys
import sikkb
names = sorted(
    m.name for m in pkgutil.walk_packages(sikkb.__path__, "sikkb.")
    if not any(m.name == e or m.name.startswith(e + ".") for e in EDGE)
    and not m.name.startswith(OPTIONAL)
    and m.name.rsplit(".", 1)[-1] not in SKIP
)
for name in names:
    importlib.import_module(name)
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
print(json.dumps({"modules": names, "heavy": loaded}))
"""


def _core_modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.walk_packages(sikkb.__path__, "sikkb.")
        if not any(m.name == e or m.name.startswith(e + ".") for e in EDGE)
        and not m.name.startswith(OPTIONAL)
        and m.name.rsplit(".", 1)[-1] not in SKIP
    )


def test_importing_every_core_module_loads_no_heavy_library() -> None:
    code = f"EDGE = {EDGE!r}\nHEAVY = {HEAVY!r}\nSKIP = {SKIP!r}\nOPTIONAL = {OPTIONAL!r}\n{PROBE}"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["heavy"] == [], report
    assert "sikkb.convert" in report["modules"]
    assert "sikkb.rules.register" in report["modules"]
    assert report["modules"] == _core_modules()  # every core module that exists was imported
    assert not any(m.startswith(EDGE) for m in report["modules"])


def test_import_sikkb_alone_is_light() -> None:
    code = f"import sys, sikkb; print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_the_pipeline_and_the_reader_load_polars_only_when_the_columnar_engine_runs() -> None:
    """``sikkb.columnar`` itself, the pipeline and the reader import no Polars: only running the
    columnar engine does."""
    code = (
        "import sys, sikkb, sikkb.columnar, sikkb.pipeline, sikkb.io.reader, sikkb.cli.commands; "
        "print('polars' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_the_package_names_load_on_first_use() -> None:
    """``import sikkb`` loads its API lazily: each name of ``__all__`` is in the lazy table and is
    the object of the module the table names."""
    import importlib

    lazy = sikkb._LAZY
    assert set(lazy) == set(sikkb.__all__) - {"__version__"}
    for name, module in lazy.items():
        assert getattr(sikkb, name) is getattr(importlib.import_module(module), name), name
    probe = "import sys, sikkb; print(sorted(m for m in sys.modules if m.startswith('sikkb.')))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"  # nothing loaded until a name is used
