"""Registers in a database read like files (same findings, same reports); report values as rows."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.db.conftest import DATABASES, fresh_source
from tests.io.strategies import registers
from tests.io.writers import write_csv_folder

from sikkb.demo import demo_city
from sikkb.errors import DatabaseError, ReportRefusedError
from sikkb.io.db import (
    TableMapping,
    create_engine,
    migrate,
    read_register_db,
    read_report_values,
    write_month_db,
    write_register_db,
)
from sikkb.io.db.schema import register_tables
from sikkb.io.limits import Limits
from sikkb.io.reader import ReadResult, read_register
from sikkb.periods import Period
from sikkb.pipeline import MonthlyReports, build_month
from sikkb.register import TABLES, Register
from sikkb.report.items import split_key
from sikkb.rules.engine import Finding

P = Period(2026, 10)

#: Cells a PPKBD gets wrong: unknown codes, impossible dates, numbers with separators, a NIK
#: typed as a number in scientific notation, empty required cells, an overlong paste.
BAD_CELLS = ["SUNTK", "31/02/2020", "1.000", "abc", "", " ", "3,67107E+15", "Y?", "-1",
             "36.71.99", "x" * 1200, "2026-13-01", "12,5"]  # fmt: skip


@pytest.fixture(params=DATABASES)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_source(request.param, tmp_path) as u:
        migrate(u)
        yield u


def load_csv_folder(url: str, folder: Path, period: Period) -> None:
    """Copy a CSV folder's cells as typed into the format v1 tables, row number = line number."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for table in TABLES:
                t = register_tables[table]
                conn.execute(sa.delete(t).where(t.c.period == str(period)))
                with (folder / f"{table}.csv").open(encoding="utf-8-sig", newline="") as f:
                    header, *rows = list(csv.reader(f))
                data = [
                    {"period": str(period), "row_id": n, **dict(zip(header, r, strict=True))}
                    for n, r in enumerate(rows, start=2)
                ]
                if data:
                    conn.execute(sa.insert(t), data)
    finally:
        engine.dispose()


def damage(folder: Path, edits: list[tuple[int, int, int, str]]) -> None:
    """Overwrite some cells of the CSV files with bad values."""
    for table_i, row_i, col_i, value in edits:
        path = folder / f"{list(TABLES)[table_i % len(TABLES)]}.csv"
        with path.open(encoding="utf-8", newline="") as f:
            header, *rows = list(csv.reader(f))
        if not rows:
            continue
        rows[row_i % len(rows)][col_i % len(header)] = value
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header, *rows])


def finding_key(f: Finding) -> tuple[Any, ...]:
    loc = f.location  # the source differs by design: pus.csv / sikkb_register_pus
    return (f.rule_id, f.severity, loc.table, loc.row, loc.column, loc.value, f.message, f.hint)


def assert_same_result(from_db: ReadResult, from_csv: ReadResult) -> None:
    assert [finding_key(f) for f in from_db.findings] == [finding_key(f) for f in from_csv.findings]
    assert from_db.counts == from_csv.counts
    assert [(u.table, u.row, u.cells) for u in from_db.untyped] == [
        (u.table, u.row, u.cells) for u in from_csv.untyped
    ]
    for table in TABLES:
        assert from_db.register.table(table) == from_csv.register.table(table), table


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    register=registers(max_rows=6),
    edits=st.lists(
        st.tuples(
            st.integers(0, 3), st.integers(0, 9), st.integers(0, 15), st.sampled_from(BAD_CELLS)
        ),
        max_size=6,
    ),
    max_rows=st.sampled_from([None, 3]),
)
def test_a_register_in_the_database_reads_like_the_same_csv_files(
    url: str, tmp_path_factory: pytest.TempPathFactory, register: Register,
    edits: list[tuple[int, int, int, str]], max_rows: int | None,
) -> None:  # fmt: skip
    folder = write_csv_folder(register, tmp_path_factory.mktemp("reg") / "reg")
    damage(folder, edits)
    limits = Limits(max_rows=max_rows) if max_rows else Limits()
    from_csv = read_register(folder, P, limits=limits)
    load_csv_folder(url, folder, P)
    from_db = read_register_db(url, P, limits=limits)
    assert_same_result(from_db, from_csv)
    # ... and the same month of reports, the same rows left out (or the same refusal)
    month_csv, month_db = month_of(from_csv), month_of(from_db)
    if isinstance(month_csv, ReportRefusedError) or isinstance(month_db, ReportRefusedError):
        assert isinstance(month_db, ReportRefusedError), month_db
        assert isinstance(month_csv, ReportRefusedError), month_csv
        assert (month_db.blocking, month_db.rows) == (month_csv.blocking, month_csv.rows)
        return
    assert month_db.villages == month_csv.villages
    assert month_db.recaps == month_csv.recaps
    assert month_db.rows_excluded == month_csv.rows_excluded


def month_of(result: ReadResult) -> MonthlyReports | ReportRefusedError:
    """The month built with rows with errors left out, or the refusal (an ERROR naming no row)."""
    try:
        return build_month(result.register, extra_findings=result.findings,
                           exclude_invalid=True, unreadable=result.untyped)  # fmt: skip
    except ReportRefusedError as e:
        return e


def test_write_then_read_gives_the_register_back(url: str) -> None:
    register = demo_city(P, scale=0.002)
    written = write_register_db(url, register)
    assert written == {t: len(register.table(t)) for t in TABLES}
    result = read_register_db(url, P)
    assert not result.findings.has_errors
    for table in TABLES:
        numbered = [attrs.evolve(r, row=i) for i, r in enumerate(register.table(table), start=2)]
        assert list(result.register.table(table)) == numbered
    # another month in the same tables is not read; writing again replaces
    write_register_db(url, Register(period=Period(2026, 9), pus=register.pus[:3],
                                    keluarga=register.keluarga))  # fmt: skip
    assert write_register_db(url, register) == written
    assert len(read_register_db(url, P).register.pus) == len(register.pus)
    assert len(read_register_db(url, "2026-09").register.pus) == 3


def test_the_application_tables_through_a_mapping(url: str) -> None:
    """An application's own table names, column names and types (integers, dates, booleans)."""
    register = demo_city(P, scale=0.001)
    write_register_db(url, register)
    expected = read_register_db(url, P)
    md = sa.MetaData()
    app = sa.Table("kb_pasangan", md, sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("bulan", sa.String(7)), sa.Column("no_kk", sa.String(40)),
                   sa.Column("nik_istri", sa.String(16)), sa.Column("tgl_lahir", sa.Date),
                   sa.Column("metode", sa.String(20)), sa.Column("tempat", sa.String(20)),
                   sa.Column("baru", sa.Boolean), sa.Column("anak", sa.Integer))  # fmt: skip
    engine = create_engine(url)
    try:
        md.create_all(engine)
        with engine.begin() as conn:
            conn.execute(sa.insert(app), [
                {"id": i, "bulan": "2026-10", "no_kk": p.kode_keluarga, "nik_istri": p.nik_istri,
                 "tgl_lahir": p.tanggal_lahir_istri, "metode": p.status_kb.code,
                 "tempat": p.tempat_pelayanan.code if p.tempat_pelayanan else None,
                 "baru": p.peserta_baru, "anak": p.jumlah_anak}
                for i, p in enumerate(register.pus, start=2)
            ])  # fmt: skip
            conn.execute(sa.insert(app).values(id=9000, bulan="2026-10", no_kk="KK-X",
                                               nik_istri="3671074508950001",
                                               tgl_lahir=dt.date(1995, 8, 5), metode="SUNTK",
                                               anak=-2))  # fmt: skip
        mapping = {"pus": TableMapping(table="kb_pasangan", key="id", period="bulan", columns={
            "kode_keluarga": "no_kk", "nik_istri": "nik_istri", "tanggal_lahir_istri": "tgl_lahir",
            "status_kb": "metode", "tempat_pelayanan": "tempat", "peserta_baru": "baru",
            "jumlah_anak": "anak"})}  # fmt: skip
        with engine.connect() as conn:  # the application's own connection
            result = read_register_db(conn, P, mapping=mapping)
            assert not conn.in_transaction()  # left as it was found
    finally:
        engine.dispose()
    unmapped = {"nama_istri": None, "nik_suami": None, "nama_suami": None}
    assert result.register.pus == tuple(attrs.evolve(p, **unmapped) for p in expected.register.pus)
    assert result.register.keluarga == expected.register.keluarga
    bad = [f for f in result.findings if f.location.table == "pus"]
    assert sorted((f.rule_id, f.location.row, f.location.column) for f in bad) == [
        ("baca-angka", 9000, "jumlah_anak"),
        ("baca-kode-tidak-dikenal", 9000, "status_kb"),
    ]
    assert {f.location.source for f in bad} == {"kb_pasangan"}
    assert "Did you mean SUNTIK?" in next(
        f.hint.en for f in bad if f.location.column == "status_kb"
    )


def test_a_mapping_naming_a_missing_column_is_refused(url: str) -> None:
    mapping = {"pus": TableMapping(table="sikkb_register_pus", columns={"status_kb": "metode"})}
    with pytest.raises(DatabaseError, match="does not have: metode"):
        read_register_db(url, P, mapping=mapping)


def test_missing_tables_are_findings_naming_the_database_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = read_register_db(url, P)
    missing = [f for f in result.findings if f.rule_id == "baca-tabel-wajib-hilang"]
    assert sorted(f.location.table or "" for f in missing) == ["institusi", "keluarga", "pus"]
    pus = next(f for f in missing if f.location.table == "pus")
    assert "a database table sikkb_register_pus" in pus.hint.en
    assert "tabel basis data sikkb_register_pus" in pus.hint.id


def test_a_month_of_reports_as_long_rows(url: str) -> None:
    month = build_month(demo_city(P, scale=0.002))
    n = write_month_db(url, month)
    rows = read_report_values(url, "2026-10")
    assert n == len(rows) > 0
    by_region: dict[str, dict[tuple[str, str], int]] = {}
    for r in rows:
        by_region.setdefault(r["region"], {})[(r["item"], r["disaggregation"])] = r["value"]
    # every village report's numbers, and every recap's total, each exactly once
    for v in month.villages:
        assert by_region[v.region] == {split_key(k): value for k, value in v.values}
    for code, recap in month.recaps.items():
        assert by_region[code] == {split_key(k): value for k, value in recap.total}
    assert set(by_region) == {v.region for v in month.villages} | set(month.recaps)
    assert Counter(r["level"] for r in rows if r["item"] == "pus" and r["disaggregation"] == "") == {
        "kelurahan": len(month.villages), "kecamatan": len(month.kecamatan), "kabkota": 1,
    }  # fmt: skip
    # the city's PUS is the sum of its villages' (worked out from the rows, not from the recap)
    pus = {r["region"]: r["value"] for r in rows if (r["item"], r["disaggregation"]) == ("pus", "")}
    assert pus["36.71"] == sum(pus[v.region] for v in month.villages)
    assert write_month_db(url, month) == n  # writing again replaces the month
    assert len(read_report_values(url)) == n
