"""Register tables from a folder of CSV files (``<table>.csv``), as raw tables.

Each file is checked before it is parsed: it must be text (a renamed workbook or PDF is refused),
no larger than :attr:`Limits.max_csv_bytes`. UTF-8 with or without BOM is read as is;
UTF-16 with a BOM too; anything else is read as Windows-1252 with a ``baca-encoding`` warning.
The delimiter (``,``, ``;`` or tab) is sniffed from the header line: the one that splits it into
the most known column names wins; an Excel ``sep=;`` first line sets it (and is not a row).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from sikkb.errors import RegisterFileError
from sikkb.io.columns import COLUMNS
from sikkb.io.files import require_regular
from sikkb.io.limits import Limits
from sikkb.io.raw import BrokenTableError, RawTable, near, normalise_name
from sikkb.io.reader_rules import reader_finding
from sikkb.register import TABLES
from sikkb.rules.engine import Finding, Location

__all__ = ["csv_tables", "decode_csv", "sniff_delimiter", "table_files"]

_BINARY_SIGNATURES = {
    b"PK\x03\x04": ("an XLSX workbook or other zip file", "sebuah workbook XLSX atau berkas zip"),
    b"%PDF": ("a PDF document", "sebuah dokumen PDF"),
    b"\xd0\xcf\x11\xe0": (
        "an old .xls or encrypted workbook",
        "workbook .xls lama atau terenkripsi",
    ),
}
_DELIMITERS = (",", ";", "\t")
_SEP_LINE = re.compile(r"^sep=[,;\t|]\r?$")


def decode_csv(data: bytes, *, path: str) -> tuple[str, int | None]:
    """Decode a CSV file's bytes.

    Returns:
        The text and, when it is not UTF-8 (read as Windows-1252), the 1-based line of the first
        undecodable byte; ``None`` when it decoded cleanly.

    Raises:
        RegisterFileError: for binary content (a renamed workbook or PDF, NUL bytes).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    for sig, (what_en, what_id) in _BINARY_SIGNATURES.items():
        if data.startswith(sig):
            raise RegisterFileError(
                path,
                f"this is {what_en}, not a CSV text file",
                reason_id=f"berkas ini {what_id}, bukan berkas teks CSV",
                hint="save the table from Excel as 'CSV UTF-8', or read the workbook itself",
                hint_id="simpan tabel dari Excel sebagai 'CSV UTF-8', atau baca workbook-nya langsung",
            )
    if b"\x00" in data[:65536]:
        raise RegisterFileError(
            path,
            "the file holds NUL bytes: it is binary, not a CSV text file",
            reason_id="berkas berisi byte NUL: berkas biner, bukan teks CSV",
            hint="save the table from Excel as 'CSV UTF-8'",
            hint_id="simpan tabel dari Excel sebagai 'CSV UTF-8'",
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return data.decode("cp1252", errors="replace"), line


def sniff_delimiter(first_line: str, known: Sequence[str]) -> str:
    """The delimiter that splits the header into the most known column names (``,`` on a tie)."""
    known_set = set(known)

    def score(d: str) -> tuple[int, int]:
        names = [normalise_name(h.strip('"')) for h in first_line.split(d)]
        return (sum(n in known_set for n in names), first_line.count(d))

    return max(_DELIMITERS, key=score)


def _rows(
    reader: Iterator[list[str]], *, max_columns: int
) -> Iterator[tuple[int, Sequence[object]]]:
    row = 1
    try:
        for cells in reader:
            row += 1
            yield row, cells[:max_columns]
    except csv.Error as e:
        raise BrokenTableError(row, str(e)) from e


def csv_tables(folder: Path, limits: Limits) -> tuple[list[RawTable], list[Finding]]:
    """The raw tables of a folder of CSV files, and the findings about the folder itself.

    Files whose name is not a table (``catatan.csv``) get an INFO finding; files that are not
    ``.csv`` are not looked at.

    Raises:
        RegisterFileError: for a file that is too large or binary.
    """
    files, notes = table_files(folder, ".csv")
    return [_read_csv_file(path, table, limits, notes) for table, path in files], notes


def table_files(folder: Path, suffix: str) -> tuple[list[tuple[str, Path]], list[Finding]]:
    """The ``(table, path)`` of each ``<table><suffix>`` file of a folder, and findings about the rest.

    Files whose name is not a table get an INFO finding, a second file for the same table a
    WARNING; files with another suffix are not looked at.

    Raises:
        RegisterFileError: the folder cannot be listed or holds no such file.
    """
    files: list[tuple[str, Path]] = []
    notes: list[Finding] = []
    seen: dict[str, str] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        raise RegisterFileError(
            str(folder), f"cannot list the folder ({e.strerror})", reason_id="folder tidak terbaca"
        ) from e
    for entry in entries:
        if entry.name.lower().endswith(suffix):
            require_regular(
                entry.path,
                what="CSV file" if suffix == ".csv" else "Parquet file",
                what_id="berkas CSV" if suffix == ".csv" else "berkas Parquet",
            )
    found = [e for e in entries if e.is_file() and e.name.lower().endswith(suffix)]
    if not found:
        workbooks = [e.name for e in entries if e.name.lower().endswith((".xlsx", ".xlsm"))]
        also_en = (
            f"; it holds {', '.join(workbooks)}: give that workbook instead" if workbooks else ""
        )
        also_id = (
            f"; folder berisi {', '.join(workbooks)}: berikan workbook itu" if workbooks else ""
        )
        raise RegisterFileError(
            str(folder),
            "the folder holds no CSV file (keluarga.csv, pus.csv, institusi.csv)" + also_en,
            reason_id="folder tidak berisi berkas CSV (keluarga.csv, pus.csv, institusi.csv)"
            + also_id,
            hint="give a folder with one <table>.csv per table, or an .xlsx workbook",
            hint_id="berikan folder berisi satu <tabel>.csv per tabel, atau workbook .xlsx",
        )
    for entry in found:
        table = normalise_name(entry.name[: -len(suffix)])
        if table not in TABLES:
            guess = near(table, list(TABLES))
            notes.append(
                reader_finding(
                    "baca-lembar-lain",
                    Location(source=entry.name),
                    name=entry.name,
                    near=f" ({guess}{suffix}?)" if guess else "",
                )
            )
            continue
        if table in seen:
            notes.append(
                reader_finding(
                    "baca-tabel-ganda",
                    Location(source=entry.name, table=table),
                    table=table,
                    name=f"{seen[table]}, {entry.name}",
                )
            )
            continue
        seen[table] = entry.name
        files.append((table, Path(entry.path)))
    return files, notes


def check_csv_size(path: Path, limits: Limits) -> None:
    """Refuse a CSV file larger than ``limits.max_csv_bytes`` (both engines' readers call this)."""
    size = path.stat().st_size
    if size > limits.max_csv_bytes:
        raise RegisterFileError(
            str(path),
            f"the file is {size:,} bytes, over the limit of {limits.max_csv_bytes:,}",
            reason_id=f"berkas berukuran {size:,} byte, melebihi batas {limits.max_csv_bytes:,}",
            hint="split the register, or raise Limits.max_csv_bytes",
            hint_id="pisahkan register, atau naikkan Limits.max_csv_bytes",
        )


def _read_csv_file(path: Path, table: str, limits: Limits, notes: list[Finding]) -> RawTable:
    check_csv_size(path, limits)
    data = path.read_bytes()
    text, bad_line = decode_csv(data, path=str(path))
    del data
    if bad_line is not None:
        notes.append(
            reader_finding("baca-encoding", Location(source=path.name, table=table), line=bad_line)
        )
    first_line, _, rest = text.partition("\n")
    if _SEP_LINE.match(first_line):  # Excel's "sep=;" directive: not a row when Excel opens it
        delimiter = first_line.strip()[4]
        text = rest
    else:
        delimiter = sniff_delimiter(first_line, [c.name for c in COLUMNS[table]])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = tuple(next(reader, [])[: limits.max_columns])
    except csv.Error as e:
        raise RegisterFileError(
            str(path),
            f"the header row cannot be parsed ({e})",
            reason_id="baris judul kolom tidak dapat diurai",
        ) from e
    return RawTable(
        table=table,
        source=path.name,
        header=header,
        rows=_rows(reader, max_columns=limits.max_columns),
    )
