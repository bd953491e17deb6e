"""``has_duplicates``: the hash pre-check never hides a repeated value (nulls count as one).
``join_first``: the join on hashes gives the text join's result (first row of a repeated key)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

pl = pytest.importorskip("polars")

from sikkb.columnar.tables import has_duplicates, join_first  # noqa: E402


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


KEYS = st.lists(st.sampled_from(["K1", "K2", "K3", "", None]), max_size=8)


@given(left=KEYS, right=KEYS, how=st.sampled_from(["left", "inner"]))
def test_join_first_is_the_text_join_to_the_first_row(
    left: list[str | None], right: list[str | None], how: str
) -> None:
    """Keys twice in ``right`` (matched or not), nulls on either side: always the text join."""
    lf = pl.DataFrame(
        {"k": left, "i": list(range(len(left)))}, schema={"k": pl.String, "i": pl.Int64}
    )
    rf = pl.DataFrame(
        {"k": right, "pos": list(range(len(right)))}, schema={"k": pl.String, "pos": pl.Int64}
    )
    got = join_first(lf, rf, "k", how=how, maintain_order="left")  # type: ignore[arg-type]
    first = rf.unique("k", keep="first", maintain_order=True)
    expected = lf.join(first, on="k", how=how, maintain_order="left")  # type: ignore[arg-type]
    assert got.select("k", "i", "pos").equals(expected.select("k", "i", "pos"))
