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
