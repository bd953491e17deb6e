"""Blank XLSX templates: the register (format v1) and the F/I/Dal form for aggregate reporting.

:func:`write_register_template` writes one sheet per register table with the exact column names of
the format in row 1 (so :func:`~sikkb.io.reader.read_register` reads it back unchanged), an
Indonesian note on every header cell (what it holds, whether it is required, the values allowed),
dropdowns for every code and Y/T column, a date format for date columns and a text format for NIK
and code columns (so Excel does not turn a 16-digit NIK into ``3.67107E+15``), a frozen header row,
and two reference sheets the reader skips: ``PETUNJUK`` (instructions) and ``DAFTAR_KODE`` (code
lists with their meanings and accepted aliases).

:func:`write_form_template` writes the F/I/Dal form for a PPKBD who reports numbers only: one row
per item of the report catalogue (section, label, element, disaggregation, value);
:func:`read_form` reads a filled form back into a :class:`~sikkb.report.VillageReport`.

openpyxl is imported inside the functions: ``import sikkb.io.templates`` stays light.
"""

from __future__ import annotations

import datetime
import itertools
import os
from pathlib import Path
from typing import Any

import attrs

from sikkb.errors import InvalidCodeError, InvalidPeriodError, RegisterFileError
from sikkb.i18n import Text
from sikkb.io.columns import COLUMNS, Column, aliases_of
from sikkb.io.limits import Limits
from sikkb.io.reader_rules import reader_finding, row_limit_finding
from sikkb.periods import Period
from sikkb.regions import Region, RegionTable, parse_region_code
from sikkb.register import TABLES, Register
from sikkb.rules.engine import Finding, Findings, Location

__all__ = [
    "FORM_SHEET",
    "FormResult",
    "read_form",
    "write_form_template",
    "write_register_template",
]

#: Name of the form template's sheet.
FORM_SHEET = "F_I_DAL"

_TEXT_FORMAT = "@"
_DATE_FORMAT = "DD/MM/YYYY"
_LAST_ROW = 1_048_576
_REQUIRED_FILL = "FCE4D6"
_OPTIONAL_FILL = "E7E6E6"
_TOTAL_FILL = "F2F2F2"


def _kelurahan(kelurahan: Region | str | None, regions: RegionTable | None) -> Region | None:
    if kelurahan is None:
        return None
    if isinstance(kelurahan, Region):
        return kelurahan
    code = parse_region_code(kelurahan)
    if regions is not None and code in regions:
        return regions[code]
    return Region(code=code, name=code, kind="kelurahan")


def _note(col: Column) -> str:
    lines = [col.note.id, "WAJIB diisi." if col.required else "Boleh kosong."]
    if col.codes:
        lines.append("Pilihan: " + ", ".join(col.codes) + ".")
    aliases = aliases_of(col)
    if aliases:
        shown = ", ".join(f"{a.replace('_', ' ')}={c}" for a, c in aliases.items())
        lines.append(f"Juga diterima: {shown}.")
    lines.append(f"({col.note.en})")
    return "\n".join(lines)


def _prompt(col: Column) -> tuple[str, str]:
    title = col.name[:32]
    text = col.note.id
    return title, text if len(text) <= 250 else text[:249] + "…"


def _col_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(i))


def _list_validation(formula: str, col: Column) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    title, prompt = _prompt(col)
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Nilai tidak ada di daftar",
        error="Pilih dari daftar (lihat lembar DAFTAR_KODE). Lanjutkan hanya bila yakin.",
        showInputMessage=True,
        promptTitle=title,
        prompt=prompt,
    )


def _code_sheet(wb: Any, regions: RegionTable | None) -> dict[str, str]:
    """Write DAFTAR_KODE; return column name → range formula of its codes."""
    from openpyxl.styles import Font

    ws = wb.create_sheet("DAFTAR_KODE")
    ws.append(["kolom", "kode", "arti", "meaning", "juga diterima"])
    for c in ws[1]:
        c.font = Font(bold=True)
    ranges: dict[str, str] = {}
    done: set[str] = set()
    for table in TABLES:
        for col in COLUMNS[table]:
            if col.kind not in ("code", "status_kb") or col.name in done:
                continue
            done.add(col.name)
            first = ws.max_row + 1
            aliases = aliases_of(col)
            for code in col.codes:
                label = _code_label(col, code)
                also = ", ".join(a.replace("_", " ") for a, c in aliases.items() if c == code)
                ws.append([col.name, code, label.id, label.en, also])
            ranges[col.name] = f"DAFTAR_KODE!$B${first}:$B${ws.max_row}"
    if regions is not None:
        ws.append([])
        first = ws.max_row + 1
        for r in regions.kelurahan():
            parent = regions.parent(r.code)
            ws.append(["kode_wilayah", r.code, r.name, parent.display if parent else "", ""])
        ranges["kode_wilayah"] = f"DAFTAR_KODE!$B${first}:$B${ws.max_row}"
    for letter, width in zip("ABCDE", (20, 16, 34, 34, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    return ranges


def _code_label(col: Column, code: str) -> Text:
    from sikkb.codes import AlasanBukanPeserta, Metode

    enums = [Metode, AlasanBukanPeserta] if col.kind == "status_kb" else [col.enum]
    for e in enums:
        if e is None:
            continue
        try:
            member = e.parse(code)
        except InvalidCodeError:
            continue
        return Text(member.label_id, member.label_en)
    return Text(code, code)


def _instructions(wb: Any, kel: Region | None) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("PETUNJUK", 0)
    where = f"{kel.display} ({kel.code})" if kel else "(isi kode kelurahan di setiap baris)"
    lines: list[tuple[str, bool]] = [
        ("REGISTER KB KELURAHAN — format register v1 (sikkb)", True),
        (f"Kelurahan: {where}", False),
        ("", False),
        ("Cara mengisi", True),
        ("1. Satu lembar per tabel: keluarga, pus, institusi (wajib) dan kegiatan (boleh tidak diisi).", False),
        ("2. Jangan mengubah nama lembar atau judul kolom di baris 1. Urutan kolom boleh diubah; "
         "kolom tambahan diabaikan dengan peringatan.", False),
        ("3. Kolom berjudul jingga WAJIB diisi; kolom abu-abu boleh kosong. Arahkan kursor ke judul "
         "kolom untuk melihat penjelasannya.", False),
        ("4. Tanggal: HH/BB/TTTT (contoh 05/08/1995). Ya/tidak: Y atau T (kosong = T).", False),
        ("5. NIK dan No. KK diketik sebagai teks (kolomnya sudah berformat teks). Jangan tempel "
         "angka dari kolom berformat angka: Excel hanya menyimpan 15 digit.", False),
        ("6. Kode (status_kb, tempat_pelayanan, jenis, tahapan_ks) dipilih dari daftar; artinya ada "
         "di lembar DAFTAR_KODE.", False),
        ("7. tempat_pelayanan wajib untuk IUD, MOW, MOP, KONDOM, IMPLAN, SUNTIK, PIL; kosong untuk "
         "HAMIL, IAS, IAT, TIAL; boleh kosong untuk MAL dan TRADISIONAL.", False),
        ("8. Satu berkas = satu bulan laporan. Keadaan yang dicatat adalah keadaan akhir bulan.", False),
        ("9. Baris kosong dilewati. Baris dengan kesalahan dilaporkan dengan nomor barisnya.", False),
        ("", False),
        ("Data pribadi", True),
        ("NIK dan nama adalah data pribadi (UU 27/2022). Simpan berkas ini dengan aman; laporan "
         "agregat tidak pernah memuat NIK atau nama.", False),
        ("", False),
        ("Lembar PETUNJUK dan DAFTAR_KODE tidak dibaca sebagai data.", False),
        ("English: see the register format guide (docs/register-format.md).", False),
    ]  # fmt: skip
    for text, bold in lines:
        ws.append([text])
        cell = ws.cell(row=ws.max_row, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=12)
    ws.column_dimensions["A"].width = 120


def write_register_template(
    path: str | os.PathLike[str],
    *,
    kelurahan: Region | str | None = None,
    regions: RegionTable | None = None,
    rows: int = 1000,
    register: Register | None = None,
) -> Path:
    """Write a blank register workbook (format v1) for a kelurahan, or one filled with a register.

    Args:
        path: the ``.xlsx`` file to write (replaced if it exists).
        kelurahan: the kelurahan (a :class:`~sikkb.regions.Region` or its code). Its code is the
            only choice in the ``kode_wilayah`` dropdowns, is named on the instructions sheet, and
            fills the one ``kegiatan`` row. Empty data rows are not pre-filled: a row holding only
            a code would be read as an incomplete row.
        regions: a region table; without ``kelurahan`` its kelurahan codes become the
            ``kode_wilayah`` dropdown (listed with names on ``DAFTAR_KODE``); with it, the
            kelurahan's name is taken from it.
        rows: how many rows get the text and date formats cell by cell (beyond them the column
            format applies, which Excel honours for new cells).
        register: rows to fill in below the headers (``sikkb template register --sample`` fills
            in a small demo register, DATA CONTOH, to try the commands on); its ``kegiatan`` rows
            replace the kelurahan's empty one.

    Returns:
        The path written.
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    kel = _kelurahan(kelurahan, regions)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _instructions(wb, kel)
    sheets = {t: wb.create_sheet(t) for t in TABLES}
    ranges = _code_sheet(wb, regions)
    if kel is not None:
        ranges["kode_wilayah"] = f'"{kel.code}"'
    for table, ws in sheets.items():
        for i, col in enumerate(COLUMNS[table], start=1):
            letter = _col_letter(i)
            cell = ws.cell(row=1, column=i, value=col.name)
            cell.number_format = _TEXT_FORMAT
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
            fill = _REQUIRED_FILL if col.required else _OPTIONAL_FILL
            cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
            comment = Comment(_note(col), "sikkb")
            comment.width, comment.height = 360, 220
            cell.comment = comment
            dim = ws.column_dimensions[letter]
            dim.width = max(len(col.name) + 4, 14)
            number_format = _column_format(col)
            if number_format:
                dim.number_format = number_format
                for r in range(2, rows + 2):
                    ws.cell(row=r, column=i).number_format = number_format
            validation = _validation(col, ranges)
            if validation is not None:
                ws.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{_LAST_ROW}")
        ws.freeze_panes = "A2"
    if register is not None:
        from sikkb.io.register_write import register_rows

        for table, ws in sheets.items():
            for r, values in enumerate(
                itertools.islice(register_rows(register, table), 1, None), 2
            ):
                for c, value in enumerate(values, start=1):
                    cell = ws.cell(row=r, column=c, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # formula-like text stays text
    elif kel is not None:
        sheets["kegiatan"].cell(row=2, column=1, value=kel.code)
    wb.active = wb.sheetnames.index("PETUNJUK")
    wb.properties.creator = "sikkb"
    wb.properties.title = "Register KB (format v1)"
    out = Path(path)
    wb.save(out)
    return out


def _column_format(col: Column) -> str | None:
    if col.kind in ("key", "nik", "region", "code", "status_kb", "bool", "text", "name"):
        return _TEXT_FORMAT
    if col.kind == "date":
        return _DATE_FORMAT
    return None


def _validation(col: Column, ranges: dict[str, str]) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    if col.kind == "bool":
        return _list_validation('"Y,T"', col)
    if col.name in ranges:
        return _list_validation(ranges[col.name], col)
    if col.kind in ("int", "count"):
        title, prompt = _prompt(col)
        return DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1=str(col.minimum if col.minimum is not None else 0),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Bukan bilangan bulat",
            error="Isi bilangan bulat (0 atau lebih).",
            showInputMessage=True,
            promptTitle=title,
            prompt=prompt,
        )
    return None


# --------------------------------------------------------------------------------------- form


@attrs.frozen(kw_only=True)
class FormResult:
    """What reading a filled F/I/Dal form gave.

    Attributes:
        report: the village report, or ``None`` when the form cannot make one (no valid kelurahan
            or period, or a value with an error).
        findings: every problem of the form (reader kinds ``baca-form-...`` and ``baca-angka``).
        values: the numbers read, ``(item key, value)`` pairs (``None`` = not reported), even when
            ``report`` is ``None``.
    """

    report: Any
    findings: Findings
    values: tuple[tuple[str, int | None], ...] = ()


_FORM_HEADER = ("bagian", "no", "uraian", "elemen", "rincian", "nilai")


def write_form_template(
    path: str | os.PathLike[str],
    *,
    kelurahan: Region | str,
    period: Period | str,
    regions: RegionTable | None = None,
) -> Path:
    """Write the F/I/Dal form for a kelurahan and month: one row per item of the report catalogue.

    Detailed cells are to be filled; totals (shaded) may be left empty — they are then computed
    from their details; a total typed in is kept as typed (the report rules check it agrees).
    """
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from sikkb.report import CATALOGUE

    kel = _kelurahan(kelurahan, regions)
    assert kel is not None
    per = period if isinstance(period, Period) else Period.parse(period)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = FORM_SHEET
    ws.append([f"F/I/Dal — Laporan bulanan PPKBD — {kel.display}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["kode_wilayah", kel.code])
    ws.append(["periode", per.iso])
    ws.append(
        ["(Isi kolom 'nilai' saja. Baris abu-abu adalah jumlah: boleh kosong, dihitung otomatis.)"]
    )
    ws.append(list(_FORM_HEADER))
    for c in ws[2] + ws[3]:
        c.number_format = _TEXT_FORMAT
    for c in ws[5]:
        c.font = Font(bold=True)
    first = ws.max_row + 1
    shade = PatternFill("solid", start_color=_TOTAL_FILL, end_color=_TOTAL_FILL)
    for n, it in enumerate(CATALOGUE, start=1):
        ws.append([it.section.label_id, n, it.label.id, it.element, it.disaggregation, None])
        if it.is_total:
            for c in ws[ws.max_row]:
                c.fill = shade
    last = ws.max_row
    whole = DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
        showErrorMessage=True, errorTitle="Bukan bilangan bulat",
        error="Isi bilangan bulat (0 atau lebih), atau kosongkan bila tidak dilaporkan.",
    )  # fmt: skip
    ws.add_data_validation(whole)
    whole.add(f"F{first}:F{last}")
    ws["F5"].comment = Comment("Isi angka bulat ≥ 0; kosong = tidak dilaporkan.", "sikkb")
    for letter, width in zip("ABCDEF", (30, 5, 60, 22, 26, 10), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=first, max_row=last, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True)
    ws.freeze_panes = f"A{first}"
    wb.properties.creator = "sikkb"
    out = Path(path)
    wb.save(out)
    return out


def read_form(path: str | os.PathLike[str], *, limits: Limits | None = None) -> FormResult:
    """Read a filled F/I/Dal form (:func:`write_form_template`) into a village report.

    Empty values are *not reported*; totals left empty are derived from their details.

    Raises:
        RegisterFileError: the file is refused (not a workbook, damaged, over a limit, or it has no
            ``F_I_DAL`` sheet).
    """
    from sikkb.errors import InvalidRecordError, UnknownItemError
    from sikkb.io.register_xlsx import check_xlsx, open_workbook, unreadable_sheet
    from sikkb.report import VillageReport

    limits = limits or Limits()
    p = Path(path)
    if not p.is_file():
        raise RegisterFileError(str(p), "no such file", reason_id="berkas tidak ada")
    from sikkb.io.files import require_regular

    require_regular(p, what="form", what_id="formulir")
    check_xlsx(p, limits)
    findings: list[Finding] = []
    values: list[tuple[str, int | None]] = []
    meta: dict[str, object] = {}
    source = f"{p.name}:{FORM_SHEET}"
    with open_workbook(p) as wb:
        if FORM_SHEET not in wb.sheetnames:
            raise RegisterFileError(
                str(p),
                f"the workbook has no sheet {FORM_SHEET}: it is not an F/I/Dal form",
                reason_id=f"workbook tidak punya lembar {FORM_SHEET}: bukan formulir F/I/Dal",
                hint="write a blank form with write_form_template (sikkb template form)",
                hint_id="buat formulir kosong dengan sikkb template form",
            )
        try:
            header_row = _read_form_sheet(wb[FORM_SHEET], source, limits, meta, values, findings)
        except RegisterFileError:
            raise
        except Exception as e:  # a damaged or hostile sheet: refuse, never a traceback
            raise unreadable_sheet(str(p), FORM_SHEET, e) from e
    region = _form_region(meta.get("kode_wilayah"), source, findings)
    period = _form_period(meta.get("periode"), source, findings)
    if header_row is None:
        findings.append(
            reader_finding("baca-form-tanpa-tabel", Location(source=source, table=FORM_SHEET))
        )
    report = None
    if region and period and not any(f.severity.value == "ERROR" for f in findings):
        try:
            report = VillageReport.from_form(region, period, values)
        except UnknownItemError as e:
            findings.append(
                reader_finding(
                    "baca-form-butir",
                    Location(source=source, table=FORM_SHEET, item=e.key),
                    item=e.key,
                    near=", ".join(e.suggestions) or "-",
                )
            )
        except InvalidRecordError as e:
            findings.append(
                reader_finding(
                    "baca-form-butir",
                    Location(source=source, table=FORM_SHEET, item=e.field),
                    item=e.field,
                    near=e.reason,
                )
            )
    return FormResult(report=report, findings=Findings(findings), values=tuple(values))


def _read_form_sheet(
    ws: Any,
    source: str,
    limits: Limits,
    meta: dict[str, object],
    values: list[tuple[str, int | None]],
    findings: list[Finding],
) -> int | None:
    """Read the form's heading into ``meta`` and its items into ``values``; the header row."""
    from sikkb.report import item_key

    ws.reset_dimensions()
    header_row: int | None = None
    for r, row in enumerate(ws.iter_rows(max_col=6, values_only=True), start=1):
        if r > limits.max_rows:
            findings.append(row_limit_finding(source, FORM_SHEET, limits.max_rows))
            break
        cells = [*row, *(None,) * (6 - len(row))]
        if header_row is None:
            label = str(cells[0]).strip().lower() if cells[0] is not None else ""
            if label in ("kode_wilayah", "periode"):
                meta[label] = cells[1]
            elif label == "bagian" and str(cells[3]).strip().lower() == "elemen":
                header_row = r
            continue
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        key = item_key(str(cells[3] or "").strip(), str(cells[4] or "").strip())
        value = _form_value(cells[5])
        shown = None if cells[5] is None else str(cells[5])[:80]
        if isinstance(value, _FormBad):
            findings.append(
                reader_finding(
                    "baca-angka",
                    Location(
                        source=source,
                        table=FORM_SHEET,
                        row=r,
                        column="nilai",
                        item=key,
                        value=shown,
                    ),
                    column="nilai",
                    value=shown or "",
                    minimum=Text(" ≥ 0", " ≥ 0"),
                )
            )
            continue
        values.append((key, value))
    return header_row


class _FormBad:
    """Marker: a form value that is not a whole number ≥ 0."""


def _form_value(value: object) -> int | _FormBad | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return _FormBad()
    if isinstance(value, int):
        return value if value >= 0 else _FormBad()
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return _FormBad()


def _heading_problem(field: str, value: object, source: str) -> Finding:
    shown = None if value is None else str(value)[:80]
    where = Location(source=source, table=FORM_SHEET, column=field, value=shown)
    return reader_finding("baca-form-kepala", where, field=field)


def _form_region(value: object, source: str, findings: list[Finding]) -> str | None:
    try:
        code = parse_region_code(str(value).strip() if value is not None else "")
    except InvalidCodeError:
        code = None
    if code is None or code.count(".") != 3:
        findings.append(_heading_problem("kode_wilayah", value, source))
        return None
    return code


def _form_period(value: object, source: str, findings: list[Finding]) -> Period | None:
    if isinstance(value, datetime.date):
        return Period(value.year, value.month)
    if value is not None:
        try:
            return Period.parse(str(value).strip())
        except InvalidPeriodError:
            pass
    findings.append(_heading_problem("periode", value, source))
    return None
