"""The exporter-plugin how-to is installable as written: its three files build (with their own
backend, hatchling) into a wheel whose requirement accepts this sikkb, whose entry point sikkb
finds, and whose exporter conforms."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import sikkb

HOWTO = Path(__file__).resolve().parents[1] / "docs" / "howto" / "exporter-plugin.md"


def _files() -> dict[str, str]:
    text = HOWTO.read_text(encoding="utf-8")
    return dict(re.findall(r"```\{code-block\} \w+\n:caption: (\S+)\n\n(.*?)```", text, re.S))


def _install(files: dict[str, str], tmp: Path) -> tuple[dict[str, object], Path]:
    """Build the how-to's wheel with its own build backend (hatchling, PEP 517) and unpack it into
    a site folder, as an installer does with a pure-Python wheel."""
    project = tomllib.loads(files["pyproject.toml"])["project"]
    source, dist, site = tmp / "src", tmp / "dist", tmp / "site"
    for path, text in files.items():
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        (source / path).write_text(text, encoding="utf-8")
    dist.mkdir()
    build = subprocess.run(
        [sys.executable, "-c", f"import hatchling.build as b; print(b.build_wheel({str(dist)!r}))"],
        cwd=source, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    wheel = dist / build.stdout.strip().splitlines()[-1]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "sikkb_ringkasan/plugin.py" in names, names
        archive.extractall(site)
    return project, site


def test_the_howto_gives_the_three_files_of_a_distribution() -> None:
    files = _files()
    assert sorted(files) == [
        "pyproject.toml", "sikkb_ringkasan/__init__.py", "sikkb_ringkasan/plugin.py",
    ]  # fmt: skip
    build = tomllib.loads(files["pyproject.toml"])["build-system"]
    assert build["build-backend"] == "hatchling.build"


def test_its_requirement_accepts_this_sikkb_development_release() -> None:
    project = tomllib.loads(_files()["pyproject.toml"])["project"]
    (dep,) = project["dependencies"]
    req = Requirement(dep)
    assert req.name == "sikkb"
    assert req.specifier.contains(sikkb.__version__, prereleases=True), (dep, sikkb.__version__)


def test_sikkb_finds_the_installed_plugin_and_its_exporter_conforms(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    project, site = _install(_files(), tmp_path)
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])
    )
    env.pop("SIKKB_DISABLE_PLUGIN_AUTOLOAD", None)
    listed = subprocess.run([sys.executable, "-m", "sikkb", "exporters", "--json"], env=env,
                            capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    rows = {r["name"]: r for r in json.loads(listed.stdout)["exporters"]}
    assert "ringkasan-txt" in rows
    assert str(project["name"]) in rows["ringkasan-txt"]["plugin"]
    assert rows["ringkasan-txt"]["levels"] == ["kelurahan", "kecamatan", "kota"]
    check = ("from sikkb_ringkasan.plugin import RINGKASAN\n"
             "from sikkb_exporters.conformance import assert_conforms\n"
             "assert_conforms(RINGKASAN)\nprint('ok')\n")  # fmt: skip
    conforms = subprocess.run([sys.executable, "-c", check], env=env, capture_output=True,
                              text=True, timeout=300, check=False)  # fmt: skip
    assert conforms.returncode == 0 and conforms.stdout.strip() == "ok", conforms.stderr
