"""Shared test configuration: hypothesis profiles (add shared fixtures below)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# "dev" (default): random, quick. "ci": derandomised (same examples every run) and no deadline,
# so a slow shared runner never fails a test on timing. Select with HYPOTHESIS_PROFILE=ci, or CI=true.
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=50,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
_default = "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))


# -- engines ---------------------------------------------------------------------------------------
# The example tests of the pipeline, the reports, the reader, the rules and the command line run on
# both engines (issue 10): with "columnar" the default engine of read_register/build_month/the CLI
# is the columnar one, and the rule tests' validate_register checks through the columnar rules.

import importlib.util  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

ENGINE_TESTS = (
    "tests/test_pipeline.py",
    "tests/report/",
    "tests/io/test_reader.py",
    "tests/io/test_roundtrip.py",
    "tests/io/test_hostile.py",
    "tests/rules/test_register_rules.py",
    "tests/cli/",
)
ENGINES = ["records"] + (["columnar"] if importlib.util.find_spec("polars") else [])


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    path = metafunc.definition.path.as_posix()
    if any(f"/{t}" in path or path.endswith(t) for t in ENGINE_TESTS):
        metafunc.fixturenames.append("engine")
        metafunc.parametrize("engine", ENGINES, indirect=True, scope="module")


def _columnar_validate(register: Any, **kwargs: Any) -> Any:
    from sikkb.columnar.rules import validate_columnar
    from sikkb.columnar.tables import ColumnarRegister

    return validate_columnar(ColumnarRegister.from_register(register), **kwargs).to_findings()


@pytest.fixture(scope="module")
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """The engine the module's tests run on (see ENGINE_TESTS)."""
    name: str = getattr(request, "param", "records")
    with pytest.MonkeyPatch.context() as mp:
        import sikkb.columnar

        mp.setattr(sikkb.columnar, "default_engine", lambda: name)
        module = request.module
        if name == "columnar" and getattr(module, "validate_register", None) is not None:
            mp.setattr(module, "validate_register", _columnar_validate)
        yield name
