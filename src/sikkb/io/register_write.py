"""Write a register to files in format v1: a folder of CSV files or an XLSX workbook.

What :func:`~sikkb.io.reader.read_register` reads, these write: one CSV file or sheet per table,
the format's column names in the first row, booleans as ``Y``/``T``, codes as their text codes,
dates as ISO dates (CSV) or date cells (XLSX), NIKs as text. Reading the files back gives the same
register (the tests check the round trip). ``sikkb demo`` uses them to write the register it
reported, so that ``sikkb validate`` and ``sikkb report`` can be tried on it.

Example:
    >>> import pathlib, tempfile
    >>> from sikkb.demo import demo_city
    >>> from sikkb.io import read_register
    >>> reg = demo_city("2026-10", scale=0.002, kelurahan=["36.71.07.1003"])
    >>> folder = write_register_csv(reg, pathlib.Path(tempfile.mkdtemp()) / "register")
    >>> sorted(p.name for p in folder.iterdir())
    ['institusi.csv', 'kegiatan.csv', 'keluarga.csv', 'pus.csv']
    >>> back = read_register(folder, "2026-10").register
    >>> [p.nik_istri for p in back.pus] == [p.nik_istri for p in reg.pus], back.pus[0].row
    (True, 2)
"""

from __future__ import annotations

import csv
import datetime
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sikkb.codes import CodeEnum, Poktan
from sikkb.io.columns import COLUMNS
from sikkb.register import TABLES, Register

__all__ = ["cell_value", "register_rows", "write_register_csv", "write_register_xlsx"]


def cell_value(record: Any, column: str) -> Any:
    """The typed value of ``column`` for ``record`` (booleans, codes and dates still typed).

    The Poktan columns (``sasaran_bkb``, ``anggota_uppka`` ...) are read from the record's sets.
    """
    for word in ("sasaran", "anggota"):
        if column.startswith(word + "_"):
            return Poktan[column.split("_", 1)[1].upper()] in getattr(record, word)
    return getattr(record, column)


def register_rows(register: Register, table: str) -> Iterator[list[Any]]:
    """The rows of one table as a spreadsheet holds them: header first, then one row per record.

    Booleans become ``Y``/``T`` and codes their text code; dates, numbers and text stay as they
    are; a missing value is ``None``.
    """
    names = [c.name for c in COLUMNS[table]]
    yield list(names)
    for rec in register.table(table):
        row: list[Any] = []
        for name in names:
            v = cell_value(rec, name)
            if isinstance(v, bool):
                v = "Y" if v else "T"
            elif isinstance(v, CodeEnum):
                v = v.code
            row.append(v)
        yield row


def _text(value: Any, date_format: str, plain_region: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime(date_format)
    if plain_region and isinstance(value, str) and value.count(".") == 3:
        return value.replace(".", "")
    return str(value)


def write_register_csv(
    register: Register,
    folder: str | os.PathLike[str],
    *,
    delimiter: str = ",",
    bom: bool = False,
    date_format: str = "%Y-%m-%d",
    plain_region: bool = False,
) -> Path:
    """Write ``register`` as a folder of CSV files (``keluarga.csv``, ``pus.csv`` ...).

    Args:
        register: the register.
        folder: the folder (created if needed; the four files in it are replaced).
        delimiter, bom, date_format, plain_region: how the files look (a comma, no byte-order
            mark, ISO dates and dotted region codes by default; a spreadsheet's ``;``, a BOM,
            ``%d/%m/%Y`` and plain codes are what a kelurahan's export may look like).

    Returns:
        The folder.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        with (out / f"{table}.csv").open(
            "w", encoding="utf-8-sig" if bom else "utf-8", newline=""
        ) as f:
            w = csv.writer(f, delimiter=delimiter)
            for row in register_rows(register, table):
                w.writerow([_text(v, date_format, plain_region) for v in row])
    return out


def write_register_xlsx(
    register: Register,
    path: str | os.PathLike[str],
    *,
    extra_sheets: dict[str, list[list[Any]]] | None = None,
) -> Path:
    """Write ``register`` as an XLSX workbook, one sheet per table (streamed: large registers fit).

    Dates are date cells, booleans ``Y``/``T``, NIKs and codes text; text that a spreadsheet would
    take for a formula (``=...``) is stored as text. Needs openpyxl (``pip install 'sikkb[xlsx]'``).

    Args:
        register: the register.
        path: the ``.xlsx`` file (replaced if it exists).
        extra_sheets: more sheets (name → rows) after the tables, e.g. notes.

    Returns:
        The path written.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    wb = openpyxl.Workbook(write_only=True)
    sheets = [(t, register_rows(register, t)) for t in TABLES]
    sheets += [(name, iter(rows)) for name, rows in (extra_sheets or {}).items()]
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            cells: list[Any] = []
            for v in row:
                if isinstance(v, str) and v.startswith("="):
                    c = WriteOnlyCell(ws, value=v)
                    c.data_type = "s"  # formula-like text stays text
                    v = c
                cells.append(v)
            ws.append(cells)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
