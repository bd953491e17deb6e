"""Two engines, one contract: the columnar engine gives what the record engine gives.

For generated registers — valid ones, and ones broken for every rule of the pack (invalid rows,
boundary ages, missing places, orphans, duplicates, unknown and non-kelurahan region codes, empty
kelurahan), in any row order, with the caller's rule overrides — both engines give equal findings
(rule, severity, table, row, column, value, messages, hints), village reports (values and rows left
out), recaps, indicators, and the same refusal. For generated files — every delimiter, BOM, date
format, and hostile cells — both readers give the same register, untyped rows, findings and counts.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import strategies as shared
from tests.io import strategies as io_strategies
from tests.io.writers import cell, text_cell

pytest.importorskip("polars")

from sikkb.columnar.tables import ColumnarRegister
from sikkb.errors import RegisterRowsError
from sikkb.io.columns import COLUMNS
from sikkb.io.reader import ReadResult, read_register
from sikkb.periods import Period
from sikkb.pipeline import MonthlyReports, build_month
from sikkb.register import TABLES, Register
from sikkb.report.indicators import Indicators, recap_indicators
from sikkb.rules.engine import Hit, Location, Rule, RuleSet
from sikkb.rules.register import register_rules


def _own_rule() -> Rule:
    """A rule of the caller's own: the columnar engine runs it on the records."""
    return Rule(
        id="anak-banyak-info", severity="INFO", subject="register",
        title=("Banyak anak", "Many children"), message=("{n} anak", "{n} children"),
        hint=("Periksa", "Check"),
        check=lambda reg, ctx: (
            Hit(Location(table="pus", row=p.row, column="jumlah_anak"), n=p.jumlah_anak)
            for p in reg.pus if (p.jumlah_anak or 0) >= 3
        ),
    )  # fmt: skip


RULE_SETS = st.sampled_from(
    [
        None,
        register_rules()
        .with_severity("jumlah-anak-wajar", "ERROR")
        .with_params("umur-istri", min_age=16, max_age=45),
        register_rules().without("nik-istri-wilayah", "kode-wilayah-dikenal"),
        register_rules().plus(_own_rule()).with_severity("umur-istri", "WARNING"),
    ]
)


def _month(register: Register, engine: str, **kw: Any) -> MonthlyReports | RegisterRowsError:
    try:
        return build_month(register, engine=engine, **kw)
    except RegisterRowsError as e:
        return e


def assert_same_month(
    a: MonthlyReports | RegisterRowsError, b: MonthlyReports | RegisterRowsError
) -> None:
    if isinstance(a, RegisterRowsError) or isinstance(b, RegisterRowsError):
        assert type(a) is type(b), (a, b)
        assert (a.kode_wilayah, str(a)) == (b.kode_wilayah, str(b))  # type: ignore[union-attr]
        return
    assert a.findings == b.findings
    assert [(f.rule_id, f.location.table, f.location.row, f.location.column, f.location.value)
            for f in a.findings] == [
        (f.rule_id, f.location.table, f.location.row, f.location.column, f.location.value)
        for f in b.findings
    ]  # fmt: skip
    assert a.villages == b.villages
    assert [v.rows_excluded for v in a.villages] == [v.rows_excluded for v in b.villages]
    assert [Indicators.of(v) for v in a.villages] == [Indicators.of(v) for v in b.villages]
    assert a.recaps == b.recaps
    assert [recap_indicators(r) for r in a.recaps.values()] == [
        recap_indicators(r) for r in b.recaps.values()
    ]
    assert dict(a.rows_excluded) == dict(b.rows_excluded)


@settings(max_examples=60)
@given(
    register=shared.any_registers().flatmap(shared.shuffled),
    exclude_invalid=st.booleans(),
    rules=RULE_SETS,
)
def test_both_engines_give_the_same_month(
    register: Register, exclude_invalid: bool, rules: RuleSet | None
) -> None:
    records = _month(register, "records", exclude_invalid=exclude_invalid, rules=rules)
    columnar = _month(register, "columnar", exclude_invalid=exclude_invalid, rules=rules)
    assert_same_month(records, columnar)
    # the columnar engine takes its own tables too
    columns = ColumnarRegister.from_register(register)
    assert columns.to_register() == register
    again = _month(columns, "columnar", exclude_invalid=exclude_invalid, rules=rules)  # type: ignore[arg-type]
    assert_same_month(records, again)


@settings(max_examples=40)
@given(
    register=shared.broken_registers(rule_id="nik-istri-unik")
    | shared.broken_registers(rule_id="pus-keluarga-ada")
    | shared.broken_registers(rule_id="umur-istri"),
    data=st.data(),
)
def test_rows_without_numbers_and_duplicates_are_attributed_alike(
    register: Register, data: st.DataObject
) -> None:
    """Records built in code have no row number; the first row (rows without a number last) wins."""
    drop = data.draw(st.sets(st.integers(0, 20)))
    tables = {
        t: tuple(
            attrs.evolve(r, row=None) if i in drop else r for i, r in enumerate(register.table(t))
        )
        for t in TABLES
    }
    register = attrs.evolve(register, **tables)
    assert_same_month(
        _month(register, "records", exclude_invalid=True),
        _month(register, "columnar", exclude_invalid=True),
    )


# ------------------------------------------------------------------------------------- reading

HOSTILE = st.sampled_from(
    ["", "  ", "SUNTK", "suntikan", "31/02/2020", "2020-13-01", "1.000", "3.67107E+15", "x" * 1001,
     "-1", "ya", "Y ", " 36.71.07.1003 ", "367107", "36.71", "abc", "\u00a0Y", "T", "0", "1e3",
     "05/08/1995", "1995-8-5", "pemerintah", "KS3+", "ks 1", "=SUM(A1)", "+62 812", "12,0", "999",
     "1000", "3671074508950001", "36710745089500", "KK-1", "\u3000", "Ya\u2003",
     "３６７１０７４５０８９５０００１", "\u0663\u0666\u0667\u0661074508950001",
     "12345678901234567890", "-9223372036854775809"]
)  # fmt: skip


@st.composite
def register_files(draw: st.DrawFn) -> tuple[Register, dict[str, list[list[str]]], str, bool]:
    """A register as CSV rows of text, with hostile cells, blank rows and odd columns."""
    register = draw(io_strategies.registers())
    date_format = draw(st.sampled_from(["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]))
    tables: dict[str, list[list[str]]] = {}
    for table in TABLES:
        names = [c.name for c in COLUMNS[table]]
        if draw(st.booleans()):  # an optional column left out
            optional = [c.name for c in COLUMNS[table] if not c.required]
            if optional:
                names.remove(draw(st.sampled_from(optional)))
        extra = draw(st.sampled_from([[], ["catatan"], ["Nik Istri "], ["status_kb"]]))
        rows = [[*names, *extra]]
        for rec in register.table(table):
            row = [text_cell(cell(rec, n), date_format=date_format) for n in names]
            row += ["?" for _ in extra]
            rows.append(row)
        for _ in range(draw(st.integers(0, 4))):  # hostile cells
            if len(rows) > 1:
                r = draw(st.integers(1, len(rows) - 1))
                c = draw(st.integers(0, len(names) - 1))
                rows[r][c] = draw(HOSTILE)
        if draw(st.integers(0, 3)) == 0 and len(rows) > 1:  # a short row (its last cells absent)
            r = draw(st.integers(1, len(rows) - 1))
            rows[r] = rows[r][: draw(st.integers(1, len(rows[r])))]
        if draw(st.booleans()) and len(rows) > 1:  # a blank row and a row of empty cells
            rows.insert(draw(st.integers(1, len(rows))), [""] * len(rows[0]))
        tables[table] = rows
    return register, tables, draw(st.sampled_from([",", ";"])), draw(st.booleans())


def _write(folder: Path, tables: dict[str, list[list[str]]], delimiter: str, bom: bool) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        with (folder / f"{table}.csv").open(
            "w", encoding="utf-8-sig" if bom else "utf-8", newline=""
        ) as f:
            csv.writer(f, delimiter=delimiter).writerows(rows)
    return folder


def assert_same_read(a: ReadResult, b: ReadResult) -> None:
    for table in TABLES:
        assert a.register.table(table) == b.register.table(table), table
    assert [(u.table, u.row, u.cells, u.findings) for u in a.untyped] == [
        (u.table, u.row, u.cells, u.findings) for u in b.untyped
    ]
    assert a.findings == b.findings
    assert a.counts == b.counts
    assert dict(a.error_rows()) == dict(b.error_rows())


@settings(max_examples=60)
@given(files=register_files())
def test_both_readers_read_a_csv_folder_alike(
    files: tuple[Register, dict[str, list[list[str]]], str, bool],
) -> None:
    register, tables, delimiter, bom = files
    with tempfile.TemporaryDirectory() as d:
        folder = _write(Path(d) / "reg", tables, delimiter, bom)
        records = read_register(folder, register.period, engine="records")
        columnar = read_register(folder, register.period, engine="columnar")
        assert columnar.columns is not None
        assert_same_read(records, columnar)
        assert_same_month(
            _month(records.register, "records", exclude_invalid=True, extra_findings=records.findings,
                   unreadable=records.untyped),
            _month(columnar.columns, "columnar", exclude_invalid=True,  # type: ignore[arg-type]
                   extra_findings=columnar.findings, unreadable=columnar.untyped),
        )  # fmt: skip


@settings(max_examples=40)
@given(register=shared.any_registers().flatmap(shared.shuffled), exclude_invalid=st.booleans())
def test_one_core_gives_the_month_two_give(register: Register, exclude_invalid: bool) -> None:
    """Rows broken for every rule: with two cores the village items computed beside the rules
    are used only when no row has an ERROR finding, so both give the same month."""
    columns = ColumnarRegister.from_register(register)
    months = []
    for cores in (1, 2):
        with mock.patch("os.cpu_count", return_value=cores):
            months.append(_month(columns, "columnar", exclude_invalid=exclude_invalid))  # type: ignore[arg-type]
    assert_same_month(*months)


@settings(max_examples=30)
@given(files=register_files(), exclude_invalid=st.booleans())
def test_one_core_gives_what_two_give(
    files: tuple[Register, dict[str, list[list[str]]], str, bool], exclude_invalid: bool
) -> None:
    """With a second core the columnar engine reads two tables at a time and computes the village
    items beside the rules (kept only when no row has an ERROR finding); with one it does each in
    turn. The two give the same tables, findings (in the same order), reports and refusals."""
    register, tables, delimiter, bom = files
    runs = []
    with tempfile.TemporaryDirectory() as d:
        folder = _write(Path(d) / "reg", tables, delimiter, bom)
        for cores in (1, 2):
            with mock.patch("os.cpu_count", return_value=cores):
                read = read_register(folder, register.period, engine="columnar")
                assert read.columns is not None
                month = _month(read.columns, "columnar", exclude_invalid=exclude_invalid,
                               extra_findings=read.findings, unreadable=read.untyped)  # fmt: skip
            runs.append((read, month))
    (one, month_one), (two, month_two) = runs
    assert one.columns is not None and two.columns is not None
    for t in TABLES:
        assert one.columns.tables[t].equals(two.columns.tables[t]), t
    assert_same_read(one, two)
    assert_same_month(month_one, month_two)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"kode_keluarga,kode_wilayah,rw,rt\r\nKK-1,3671071003,1\r2\r\n", id="lone-cr"),
        pytest.param(b"kode_keluarga,kode_wilayah,rw,rt\nKK-1,3671071003,1,2,9,9\n", id="wide-row"),
        pytest.param(b'kode_keluarga,kode_wilayah,rw,rt\nKK-1,"36710"71003,1,2\n', id="quotes"),
        pytest.param(
            "kode_keluarga,kode_wilayah,rw,rt\nKK-é,3671071003,1,2\n".encode("cp1252"), id="cp1252"
        ),
        pytest.param(
            "kode_keluarga,kode_wilayah,rw,rt\nKK-1,3671071003,1,2\n".encode("utf-16"), id="utf16"
        ),
        pytest.param(
            b"sep=;\nkode_keluarga;kode_wilayah;rw;rt\nKK-1;3671071003;1;2\n", id="sep-line"
        ),
        pytest.param(b"kode_keluarga,kode_wilayah,rw,rt\nKK-1\x1c,3671071003,1,2\n", id="control"),
        pytest.param(
            b"kode_keluarga,kode_wilayah,rw,rt\n   \nKK-1,3671071003,1,2\n", id="spaces-line"
        ),
        pytest.param(b"kode_keluarga,kode_wilayah\nKK-1,3671071003\n", id="missing-required"),
        pytest.param(b"", id="empty-file"),
        pytest.param(b"\n\n", id="blank-lines"),
    ],
)
def test_files_polars_reads_differently_are_read_alike(tmp_path: Path, content: bytes) -> None:
    """Files Polars and Python's csv module parse differently go to the record reader."""
    (tmp_path / "keluarga.csv").write_bytes(content)
    (tmp_path / "pus.csv").write_text("kode_keluarga,nik_istri,tanggal_lahir_istri,status_kb\n")
    assert_same_read(
        read_register(tmp_path, "2026-10", engine="records"),
        read_register(tmp_path, "2026-10", engine="columnar"),
    )


def test_limits_grow_with_the_engine(tmp_path: Path) -> None:
    from sikkb.io.limits import Limits

    rows = "".join(f"KK-{i},3671071003,1,2\n" for i in range(30))
    (tmp_path / "keluarga.csv").write_text("kode_keluarga,kode_wilayah,rw,rt\n" + rows)
    small = Limits(max_rows=10)
    for engine in ("records", "columnar"):
        result = read_register(tmp_path, "2026-10", engine=engine, limits=small)
        assert result.count("keluarga").refused
        assert [f.rule_id for f in result.findings if f.location.table == "keluarga"] == [
            "baca-batas-baris"
        ]
    assert Limits.for_engine("columnar").max_rows > Limits().max_rows
    assert Limits.for_engine("columnar").max_csv_bytes > Limits().max_csv_bytes


@settings(max_examples=20)
@given(register=shared.any_registers())
def test_parquet_tables_read_back_the_same(register: Register) -> None:
    with tempfile.TemporaryDirectory() as d:
        folder = ColumnarRegister.from_register(register).write_parquet(Path(d) / "reg")
        result = read_register(folder, register.period, engine="columnar")
    assert not result.findings
    for table in TABLES:
        got = result.register.table(table)
        assert len(got) == len(register.table(table))
        # a row number comes from the file's order; the values are the register's
        assert [attrs.evolve(r, row=None) for r in got] == [
            attrs.evolve(r, row=None) for r in register.table(table)
        ]


def test_an_empty_parquet_register_reads_as_empty(tmp_path: Path) -> None:
    reg = Register(period=Period(2026, 10))
    ColumnarRegister.from_register(reg).write_parquet(tmp_path)
    result = read_register(tmp_path, "2026-10", engine="columnar")
    assert [c.rows for c in result.counts] == [0, 0, 0, 0]
    assert not result.findings
