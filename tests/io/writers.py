"""Write registers to files the way a kelurahan would (test helpers over :mod:`sikkb.io.register_write`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sikkb.codes import CodeEnum
from sikkb.io.register_write import _text, cell_value, write_register_csv, write_register_xlsx
from sikkb.register import Register

cell = cell_value


def text_cell(value: Any, *, date_format: str = "%Y-%m-%d", plain_region: bool = False) -> str:
    """A typed cell as the text a CSV file holds: Y/T, the code of a code, dates in ``date_format``."""
    if isinstance(value, bool):
        value = "Y" if value else "T"
    elif isinstance(value, CodeEnum):
        value = value.code
    return _text(value, date_format, plain_region)


def write_csv_folder(
    register: Register,
    folder: Path,
    *,
    delimiter: str = ",",
    bom: bool = False,
    date_format: str = "%Y-%m-%d",
    plain_region: bool = False,
) -> Path:
    return write_register_csv(register, folder, delimiter=delimiter, bom=bom,
                              date_format=date_format, plain_region=plain_region)  # fmt: skip


def write_xlsx(
    register: Register, path: Path, *, extra_sheets: dict[str, list[list[Any]]] | None = None
) -> Path:
    """Write a workbook with typed cells: dates as date cells, booleans as Y/T, text as text."""
    return write_register_xlsx(register, path, extra_sheets=extra_sheets)
