"""Property: a register written to CSV or XLSX and read back is the same register."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.io.strategies import registers
from tests.io.writers import write_csv_folder, write_xlsx

from sikkb.io.reader import read_register
from sikkb.register import TABLES, Register


def assert_same(result_register: Register, register: Register) -> None:
    for table in TABLES:
        assert result_register.table(table) == register.table(table), table


@settings(max_examples=40)
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
