"""Developer sessions. ``nox -s tests lint typing docs`` is what CI runs (see .ci/run)."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint", "typing", "docs"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = "3.11"
ROOT = Path(__file__).parent
EXAMPLE_PLUGIN = ROOT / "examples" / "sikkb-example-exporter"


def _install_project(session: nox.Session, extras: str) -> None:
    session.install("-e", f".[{extras}]")
    if EXAMPLE_PLUGIN.exists():
        # The example third-party exporter proves entry-point discovery end to end.
        session.install("-e", str(EXAMPLE_PLUGIN))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (hypothesis 'ci' profile when CI is set) and the docstring examples."""
    _install_project(session, "test,all")
    env = {"HYPOTHESIS_PROFILE": "ci"} if os.environ.get("CI") else {}
    session.run(
        "python", "-m", "pytest", "-p", "no:cacheprovider", "--doctest-modules", "src", "tests",
        *session.posargs, env=env,
    )  # fmt: skip


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff>=0.6")
    paths = ["src", "tests", "benchmarks", "examples", "noxfile.py", "docs/conf.py", "docs/_ext"]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session(python=PYTHON)
def typing(session: nox.Session) -> None:
    """mypy --strict over src/."""
    _install_project(session, "all,test")
    session.install("mypy>=1.10", "types-defusedxml")
    session.run("mypy", "--strict", "src/sikkb", "src/sikkb_exporters")


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the docs with warnings as errors, executing the notebook, then run their doctests."""
    _install_project(session, "docs,all")
    build = ROOT / "docs" / "_build"
    session.run(
        "sphinx-build", "-W", "--keep-going", "-n", "-b", "html", "docs", str(build / "html")
    )
    session.run(
        "sphinx-build", "-W", "--keep-going", "-b", "doctest", "docs", str(build / "doctest")
    )


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks (not part of the tests): pipeline and export timings, written to docs/performance.md."""
    _install_project(session, "all")
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        session.run("python", str(script), *session.posargs)
