"""The contract decides the same on findings as objects and on findings as a table.

:meth:`FindingsTable.decide` must give :func:`sikkb.outcome.decide`'s outcome — exit code, whether
anything may be written, the blocking findings and the rows left out per table and rule — for any
mix of findings: errors on rows, errors naming a table but no row, errors about a report item or a
region, warnings, and the same row broken by several rules.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sikkb.columnar.findings import FindingsTable
from sikkb.i18n import Text
from sikkb.outcome import decide
from sikkb.periods import Period
from sikkb.rules.engine import Finding, Findings, Location, Severity

_TABLES = st.sampled_from([None, "keluarga", "pus", "institusi", "kegiatan", "lain"])


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    table = draw(_TABLES)
    return Finding(
        rule_id=draw(st.sampled_from(["umur-istri", "baca-tanggal", "nik-istri-unik", "x"])),
        severity=draw(st.sampled_from(list(Severity))),
        location=Location(
            source=draw(st.sampled_from([None, "pus.csv"])),
            table=table,
            row=draw(st.none() | st.integers(2, 6)),
            region=draw(st.sampled_from([None, "36.71.01.1001"])),
            period=draw(st.sampled_from([None, Period(2026, 10)])),
            item=draw(st.sampled_from([None, "pa"])),
        ),
        message=Text(draw(st.sampled_from(["a", "b"])), "m"),
        hint=Text("h", "h"),
    )


@settings(max_examples=300, deadline=None)
@given(items=st.lists(findings(), max_size=12), exclude=st.booleans(), has_data=st.booleans())
def test_the_table_decides_as_the_objects(
    items: list[Finding], exclude: bool, has_data: bool
) -> None:
    objects = Findings(items)
    table = FindingsTable.from_findings(objects)
    want = decide(objects, exclude_invalid=exclude, has_data=has_data)
    got = table.decide(exclude_invalid=exclude, has_data=has_data)
    assert (got.exit_code, got.may_write, got.exclude_invalid) == (
        want.exit_code,
        want.may_write,
        want.exclude_invalid,
    )
    assert sorted(got.blocking, key=Finding.sort_key) == sorted(want.blocking, key=Finding.sort_key)
    assert got.excluded == want.excluded


def test_an_error_without_a_row_blocks_even_when_rows_are_left_out() -> None:
    no_row = Finding(
        rule_id="baca-kolom-wajib-hilang",
        severity=Severity.ERROR,
        location=Location(source="pus.csv", table="pus"),
        message=Text("kolom hilang", "column missing"),
        hint=Text("tambahkan", "add it"),
    )
    on_row = Finding(
        rule_id="umur-istri",
        severity=Severity.ERROR,
        location=Location(table="pus", row=7),
        message=Text("umur", "age"),
        hint=Text("periksa", "check"),
    )
    table = FindingsTable.from_findings([on_row, on_row, no_row])
    outcome = table.decide(exclude_invalid=True)
    assert (outcome.exit_code, outcome.may_write) == (1, False)
    assert [f.rule_id for f in outcome.blocking] == ["baca-kolom-wajib-hilang"]
    rows_only = FindingsTable.from_findings([on_row]).decide(exclude_invalid=True)
    assert rows_only.may_write and rows_only.excluded[0].rows == 1
    assert rows_only.excluded[0].reasons == (("umur-istri", 1),)
