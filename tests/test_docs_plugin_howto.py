"""The exporter-plugin how-to is installable as written: its three files make a distribution whose
requirement accepts this sikkb, whose entry point sikkb finds, and whose exporter conforms."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import sikkb

HOWTO = Path(__file__).resolve().parents[1] / "docs" / "howto" / "exporter-plugin.md"


def _files() -> dict[str, str]:
    text = HOWTO.read_text(encoding="utf-8")
    return dict(re.findall(r"```\{code-block\} \w+\n:caption: (\S+)\n\n(.*?)```", text, re.S))


def _install(files: dict[str, str], site: Path) -> dict[str, object]:
    """What installing the wheel puts in site-packages: the package and its dist-info."""
    project = tomllib.loads(files["pyproject.toml"])["project"]
    for path, text in files.items():
        if path.endswith(".py"):
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_text(text, encoding="utf-8")
    info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
        + "".join(f"Requires-Dist: {d}\n" for d in project["dependencies"]),
        encoding="utf-8",
    )
    entries = "".join(
        f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in points.items())
        for group, points in project["entry-points"].items()
    )
    (info / "entry_points.txt").write_text(entries, encoding="utf-8")
    return project


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
    site = tmp_path / "site"
    project = _install(_files(), site)
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
