"""Write registers to files the way a kelurahan would (test helpers, not library code)."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Any

from sikkb.codes import CodeEnum, Poktan
from sikkb.io.columns import COLUMNS
from sikkb.register import TABLES, Register


def cell(record: Any, column: str) -> Any:
    """The typed value of ``column`` for ``record`` (booleans, codes and dates still typed)."""
    for word, attr in (("sasaran", "sasaran"), ("anggota", "anggota")):
        if column.startswith(word + "_"):
            return Poktan[column.split("_", 1)[1].upper()] in getattr(record, attr)
    return getattr(record, column)


def text_cell(value: Any, *, date_format: str = "%Y-%m-%d", plain_region: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "T"
    if isinstance(value, CodeEnum):
        return value.code
    if isinstance(value, datetime.date):
        return value.strftime(date_format)
    if plain_region and isinstance(value, str) and value.count(".") == 3:
        return value.replace(".", "")
    return str(value)


def write_csv_folder(
    register: Register,
    folder: Path,
    *,
    delimiter: str = ",",
    bom: bool = False,
    date_format: str = "%Y-%m-%d",
    plain_region: bool = False,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        names = [c.name for c in COLUMNS[table]]
        with (folder / f"{table}.csv").open("w", encoding="utf-8-sig" if bom else "utf-8",
                                            newline="") as f:  # fmt: skip
            w = csv.writer(f, delimiter=delimiter)
            w.writerow(names)
            for rec in register.table(table):
                w.writerow(
                    [
                        text_cell(cell(rec, n), date_format=date_format, plain_region=plain_region)
                        for n in names
                    ]
                )
    return folder


def write_xlsx(
    register: Register, path: Path, *, extra_sheets: dict[str, list[list[Any]]] | None = None
) -> Path:
    """Write a workbook with typed cells: dates as date cells, booleans as Y/T, text as text."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in TABLES:
        ws = wb.create_sheet(table)
        names = [c.name for c in COLUMNS[table]]
        ws.append(names)
        for rec in register.table(table):
            row = []
            for n in names:
                v = cell(rec, n)
                if isinstance(v, bool):
                    v = "Y" if v else "T"
                elif isinstance(v, CodeEnum):
                    v = v.code
                row.append(v)
            ws.append(row)
            for c in ws[ws.max_row]:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"  # formula-like text stays text
    for name, rows in (extra_sheets or {}).items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path
