"""``has_duplicates``: the hash pre-check never hides a repeated value (nulls count as one)."""

from __future__ import annotations

import pytest

pl = pytest.importorskip("polars")

from sikkb.columnar.tables import has_duplicates  # noqa: E402


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], False),
        (["3671011001000001"], False),
        (["3671011001000001", "3671011001000002", None], False),
        (["3671011001000001", "3671011001000002", "3671011001000001"], True),
        (["a", None, "b", None], True),  # two empty keys are the same key, as is_duplicated says
    ],
)
def test_has_duplicates_agrees_with_is_duplicated(values: list[str | None], expected: bool) -> None:
    series = pl.Series(values, dtype=pl.String)
    assert has_duplicates(series) is expected
    assert bool(series.is_duplicated().any()) is expected
