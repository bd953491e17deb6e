"""Findings as a table: counted, paged and written out the same as the record engine's findings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

pytest.importorskip("polars")

from sikkb.cli.main import EXIT_ERRORS, main
from sikkb.columnar.findings import FindingsTable
from sikkb.columnar.rules import validate_columnar
from sikkb.columnar.synthetic import synthetic_register, write_csv
from sikkb.columnar.tables import ColumnarRegister
from sikkb.io.findings_csv import FINDING_COLUMNS, write_findings_csv
from sikkb.periods import Period
from sikkb.regions import kota_tangerang
from sikkb.rules.register import validate_register

N = 3_000


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> ColumnarRegister:
    """A register where every PUS is pregnant yet has a place of service: one ERROR per row."""
    import polars as pl

    codes = [r.code for r in kota_tangerang().kelurahan()][:3]
    reg = synthetic_register(Period(2026, 10), codes, families=N, seed=3)
    pus = reg.tables["pus"].with_columns(
        pl.lit("HAMIL").alias("status_kb"),
        pl.lit("SWASTA").alias("tempat_pelayanan"),
        pl.lit(False).alias("peserta_baru"),
    )
    return ColumnarRegister(period=reg.period, tables={**reg.tables, "pus": pus})


def test_the_table_counts_pages_and_lists_error_rows_like_the_findings(
    broken: ColumnarRegister,
) -> None:
    table = validate_columnar(broken)
    records = validate_register(broken.to_register())
    n = broken.tables["pus"].height
    assert len(table) == len(records) == n
    assert table.counts() == records.counts()
    assert table.has_errors and records.has_errors
    assert dict(table.error_rows()) == dict(records.error_rows())
    assert table.page(0, 40) == records.items[:40]
    assert table.page(n - 5, 40) == records.items[n - 5 :]
    assert tuple(table) == records.items
    assert table.summary().rows() == [("tempat-pelayanan-kosong", "ERROR", n)]
    assert FindingsTable.from_findings(records).to_findings() == records


def test_both_engines_write_the_same_findings_file(
    broken: ColumnarRegister, tmp_path: Path
) -> None:
    folder = write_csv(broken, tmp_path / "reg")
    out = {}
    for engine in ("records", "columnar"):
        path = tmp_path / f"{engine}.csv"
        code = main(["validate", str(folder), "--period", "2026-10", "--engine", engine,
                     "--findings", str(path), "--quiet"])  # fmt: skip
        assert code == EXIT_ERRORS
        out[engine] = path.read_bytes().decode("utf-8")
    assert out["records"] == out["columnar"]
    rows = list(csv.reader(out["columnar"].splitlines()))
    assert rows[0] == list(FINDING_COLUMNS)
    assert len(rows) == 1 + broken.tables["pus"].height
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["rule"] == "tempat-pelayanan-kosong"
    assert first["table"] == "pus" and first["row"] == "2" and first["value"] == "SWASTA"
    # the file the record engine's writer gives for the same findings is the same file
    again = write_findings_csv(validate_register(broken.to_register()), tmp_path / "again.csv")
    assert again.read_bytes().decode("utf-8") == out["columnar"]
