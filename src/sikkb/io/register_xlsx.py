"""Register tables from an XLSX workbook (one sheet per table), as raw tables.

Before anything parses the file it is checked: the signature must be a zip (a PDF, an old ``.xls`` or
an encrypted workbook — an OLE compound file — are refused by name); the zip must open (a truncated
or corrupt one is refused); its parts may not exceed the limits on count, total uncompressed size
and compression ratio (zip bombs); it must hold ``xl/workbook.xml``. The sheets are then read by
a hardened streaming reader (:mod:`sikkb.io.xlsx_stream`): values only, a formula's cached value,
never evaluated; no DTD or entity is accepted.
"""

from __future__ import annotations

import contextlib
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sikkb.errors import RegisterFileError
from sikkb.io.limits import Limits
from sikkb.io.raw import RawTable, near, normalise_name
from sikkb.io.reader_rules import reader_finding
from sikkb.register import TABLES
from sikkb.rules.engine import Finding, Location

__all__ = ["INSTRUCTION_SHEETS", "check_xlsx", "open_workbook", "unreadable_sheet", "xlsx_tables"]

#: Sheets the reader skips without a finding (the template's instructions).
INSTRUCTION_SHEETS = frozenset({"petunjuk", "instructions", "daftar_kode"})

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refuse(path: str, en: str, id_: str, hint_en: str, hint_id: str) -> RegisterFileError:
    return RegisterFileError(path, en, reason_id=id_, hint=hint_en, hint_id=hint_id)


def _not_a_workbook(path: str, head: bytes) -> RegisterFileError:
    if head.startswith(_OLE):
        return _refuse(
            path,
            "the workbook is encrypted (password protected) or in the old .xls format",
            "workbook terenkripsi (berkata sandi) atau berformat .xls lama",
            "open it in Excel, remove the password (File > Info > Protect Workbook) and save as .xlsx",
            "buka di Excel, hapus kata sandi (File > Info > Protect Workbook), simpan sebagai .xlsx",
        )
    if head.startswith(b"%PDF"):
        what_en, what_id = "a PDF document", "dokumen PDF"
    elif head.lstrip().startswith(b"<"):
        what_en, what_id = "an HTML or XML file", "berkas HTML atau XML"
    elif not head:
        what_en, what_id = "an empty file", "berkas kosong"
    else:
        what_en, what_id = "not a zip file", "bukan berkas zip"
    return _refuse(
        path,
        f"this is not an XLSX workbook ({what_en})",
        f"ini bukan workbook XLSX ({what_id})",
        "give the register as an .xlsx workbook (Excel: Save As > Excel Workbook) or a CSV folder",
        "serahkan register sebagai workbook .xlsx (Excel: Save As > Excel Workbook) atau folder CSV",
    )


def check_xlsx(path: Path, limits: Limits) -> None:
    """Refuse a file that is not a safe XLSX workbook; return quietly otherwise.

    Raises:
        RegisterFileError: naming what the file is or which limit it breaks.
    """
    p = str(path)
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as e:
        raise _refuse(p, f"cannot open the file ({e.strerror})", "berkas tidak dapat dibuka",
                      "check the path", "periksa nama dan letak berkas") from e  # fmt: skip
    if not head.startswith(b"PK"):
        raise _not_a_workbook(p, head)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except Exception as e:  # BadZipFile, NotImplementedError (odd versions), OSError, ...
        raise _refuse(
            p,
            f"the workbook is damaged or truncated ({e})",
            "workbook rusak atau terpotong",
            "copy the file again from its source, or open and re-save it in Excel",
            "salin ulang berkas dari sumbernya, atau buka lalu simpan ulang di Excel",
        ) from e
    _check_parts(p, infos, limits)


def _check_parts(p: str, infos: Sequence[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_zip_members:
        raise _refuse(
            p,
            f"the workbook has {len(infos):,} parts, over the limit of {limits.max_zip_members:,}",
            f"workbook berisi {len(infos):,} bagian, melebihi batas {limits.max_zip_members:,}",
            "this is not a normal register workbook", "ini bukan workbook register yang wajar",
        )  # fmt: skip
    if any(i.flag_bits & 0x1 for i in infos):
        raise _refuse(p, "the zip is encrypted", "zip terenkripsi",
                      "save the workbook without a password", "simpan workbook tanpa kata sandi")  # fmt: skip
    total = sum(i.file_size for i in infos)
    if total > limits.max_decompressed_bytes:
        raise _refuse(
            p,
            f"the workbook unpacks to {total:,} bytes, over the limit of "
            f"{limits.max_decompressed_bytes:,} (a zip bomb or a far too large register)",
            f"workbook mengembang menjadi {total:,} byte, melebihi batas "
            f"{limits.max_decompressed_bytes:,} (bom zip atau register terlalu besar)",
            "split the register per kecamatan, or raise Limits.max_decompressed_bytes",
            "pisahkan register per kecamatan, atau naikkan Limits.max_decompressed_bytes",
        )
    for i in infos:
        if i.file_size > limits.ratio_threshold_bytes and i.file_size > limits.max_ratio * max(
            i.compress_size, 1
        ):
            ratio = i.file_size // max(i.compress_size, 1)
            raise _refuse(
                p,
                f"part {i.filename} is compressed {ratio:,} times (limit {limits.max_ratio}): "
                "a zip bomb",
                f"bagian {i.filename} termampatkan {ratio:,} kali (batas {limits.max_ratio}): "
                "bom zip",
                "this is not a normal register workbook; do not open it",
                "ini bukan workbook register yang wajar; jangan dibuka",
            )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        what = "a Word document" if "word/document.xml" in names else "a zip file"
        raise _refuse(
            p,
            f"this is {what}, not an Excel workbook (no xl/workbook.xml)",
            "ini bukan workbook Excel (tidak ada xl/workbook.xml)",
            "give the register as an .xlsx workbook",
            "serahkan register sebagai workbook .xlsx",
        )


def _unopenable(path: str, e: Exception) -> RegisterFileError:
    """The refusal of a workbook that passed the checks but cannot be opened."""
    return _refuse(
        path,
        f"the workbook cannot be opened ({type(e).__name__}: {str(e)[:200]})",
        f"workbook tidak dapat dibuka ({type(e).__name__})",
        "open and re-save the workbook in Excel",
        "buka lalu simpan ulang workbook di Excel",
    )


def unreadable_sheet(path: str, title: str, e: Exception) -> RegisterFileError:
    """The refusal of a sheet whose XML cannot be read (damaged, or hostile such as entities)."""
    return _refuse(
        path,
        f"sheet {title!r} cannot be read ({type(e).__name__}: {str(e)[:200]})",
        f"lembar {title!r} tidak dapat dibaca ({type(e).__name__})",
        "open and re-save the workbook in Excel",
        "buka lalu simpan ulang workbook di Excel",
    )


def _sheet_rows(
    path: str, rows: Iterator[tuple[int, list[object]]], title: str
) -> Iterator[tuple[int, Sequence[object]]]:
    try:
        yield from rows
    except RegisterFileError:
        raise
    except Exception as e:  # expat, zlib, zip CRC and unsafe-XML errors alike
        raise unreadable_sheet(path, title, e) from e


@contextlib.contextmanager
def xlsx_tables(path: Path, limits: Limits) -> Iterator[tuple[list[RawTable], list[Finding]]]:
    """Open a workbook; yield its raw tables and the findings about its sheets; close it.

    Sheets are streamed by :class:`~sikkb.io.xlsx_stream.Workbook` (values only, cached formula
    results, dates from the cells' number formats). Sheet names are matched to tables trimmed and
    in any case. The instructions sheets (:data:`INSTRUCTION_SHEETS`) are skipped silently; any other
    sheet gets an INFO finding.

    Raises:
        RegisterFileError: for a file that is not a safe, readable workbook.
    """
    from sikkb.io.xlsx_stream import Workbook

    check_xlsx(path, limits)
    p = str(path)
    try:
        import defusedxml  # noqa: F401  (the small parts are parsed with it)
    except ImportError as e:
        raise _refuse(
            p,
            "reading a workbook needs the xlsx extra (defusedxml)",
            "membaca workbook memerlukan paket tambahan xlsx (defusedxml)",
            "pip install 'sikkb[xlsx]'",
            "pip install 'sikkb[xlsx]'",
        ) from e
    try:
        zf = zipfile.ZipFile(path)
    except Exception as e:  # it opened in check_xlsx; changed since, or damaged: refuse
        raise _refuse(p, f"the workbook cannot be opened ({type(e).__name__})",
                      "workbook tidak dapat dibuka", "copy the file again",
                      "salin ulang berkasnya") from e  # fmt: skip
    with zf:
        try:
            wb = Workbook(zf)
        except Exception as e:  # damaged, hostile or missing parts: refuse, never a traceback
            raise _unopenable(p, e) from e
        tables: list[RawTable] = []
        notes: list[Finding] = []
        seen: dict[str, str] = {}
        for title, part in wb.sheets:
            name = normalise_name(title)
            source = f"{path.name}:{title}"
            if name in INSTRUCTION_SHEETS:
                continue
            if name not in TABLES:
                guess = near(name, list(TABLES))
                notes.append(
                    reader_finding(
                        "baca-lembar-lain",
                        Location(source=source),
                        name=f"'{title}'",
                        near=f" ({guess}?)" if guess else "",
                    )
                )
                continue
            if name in seen:
                notes.append(
                    reader_finding(
                        "baca-tabel-ganda",
                        Location(source=source, table=name),
                        table=name,
                        name=f"{seen[name]}, {title}",
                    )
                )
                continue
            seen[name] = title
            if part is None:
                raise unreadable_sheet(p, title, KeyError("the sheet's part is missing"))
            rows = _sheet_rows(p, wb.rows(part, max_columns=limits.max_columns), title)
            first = next(rows, None)
            header: tuple[object, ...] = ()
            if first is not None and first[0] == 1:
                header = tuple(first[1])
            elif first is not None:
                rows = itertools.chain([first], rows)
            tables.append(RawTable(table=name, source=source, header=header, rows=rows))
        yield tables, notes


@contextlib.contextmanager
def open_workbook(path: Path) -> Iterator[Any]:
    """Open a checked workbook (:func:`check_xlsx`) read-only with cached values; close it after.

    Raises:
        RegisterFileError: openpyxl cannot open it.
    """
    import openpyxl  # edge dependency: imported only when a workbook is read

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged workbook
        raise _unopenable(str(path), e) from e
    try:
        yield wb
    finally:
        wb.close()
