"""Property: a register written to CSV or XLSX and read back is the same register."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests import strategies as shared
from tests.io.strategies import registers
from tests.io.writers import write_csv_folder, write_xlsx

from sikkb.io.reader import read_register
from sikkb.register import TABLES, Register
from sikkb.rules.register import validate_register


def assert_same(result_register: Register, register: Register) -> None:
    for table in TABLES:
        assert result_register.table(table) == register.table(table), table


@settings(max_examples=30)
@given(
    register=registers(),
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
    date_format=st.sampled_from(["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]),
    plain_region=st.booleans(),
)
def test_csv_round_trip(
    register: Register, delimiter: str, bom: bool, date_format: str, plain_region: bool
) -> None:
    with tempfile.TemporaryDirectory() as d:
        folder = write_csv_folder(
            register, Path(d) / "reg", delimiter=delimiter, bom=bom, date_format=date_format,
            plain_region=plain_region,
        )  # fmt: skip
        result = read_register(folder, register.period)
    assert not result.findings, [f.describe("en") for f in result.findings]
    assert result.untyped == ()
    assert_same(result.register, register)
    assert [c.typed for c in result.counts] == [len(register.table(t)) for t in TABLES]


@settings(max_examples=15)
@given(register=registers(max_rows=5))
def test_xlsx_round_trip(register: Register) -> None:
    pytest.importorskip("openpyxl")
    with tempfile.TemporaryDirectory() as d:
        path = write_xlsx(register, Path(d) / "reg.xlsx", extra_sheets={"PETUNJUK": [["isi"]]})
        result = read_register(path, register.period)
    assert not result.findings, [f.describe("en") for f in result.findings]
    assert_same(result.register, register)


@settings(max_examples=10)
@given(register=shared.registers(), delimiter=st.sampled_from([",", ";"]))
def test_valid_registers_read_back_the_same_and_stay_valid(
    register: Register, delimiter: str
) -> None:
    """The shared strategy's valid registers survive CSV and XLSX; the rule pack still finds no error."""
    with tempfile.TemporaryDirectory() as d:
        from_csv = read_register(
            write_csv_folder(
                register, Path(d) / "reg", delimiter=delimiter, date_format="%d/%m/%Y"
            ),
            register.period,
        )
        from_xlsx = read_register(write_xlsx(register, Path(d) / "reg.xlsx"), register.period)
    for result in (from_csv, from_xlsx):
        assert not result.findings, [f.describe("en") for f in result.findings]
        assert_same(result.register, register)
        assert not validate_register(result.register).has_errors


def test_duplicate_nik_is_left_to_the_rule_pack(tmp_path: Path) -> None:
    pus = (
        "kode_keluarga,nik_istri,tanggal_lahir_istri,status_kb\n"
        "KK-1,3671074508950001,05/08/1995,IAT\n"
        "KK-1,3671074508950001,05/08/1995,IAT\n"
    )
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "keluarga.csv").write_text("kode_keluarga,kode_wilayah,rw,rt\nKK-1,3671071003,1,1\n")
    (folder / "pus.csv").write_text(pus)
    (folder / "institusi.csv").write_text("kode_institusi,jenis,kode_wilayah\n")
    result = read_register(folder, "2026-10")
    assert not result.findings
    rules = validate_register(result.register)
    dup = [f for f in rules.errors if f.location.row == 3 and f.location.column == "nik_istri"]
    assert dup, [f.describe("en") for f in rules]
    assert dict(result.error_rows(rules)).get("pus", frozenset()) >= {3}
