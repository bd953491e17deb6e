"""The columnar XLSX reader (calamine) reads a workbook as the record reader does.

For generated registers written as workbooks — text, numbers, dates as date cells and as text,
booleans, numbers where text belongs (a NIK stored as a number), ``3.0`` in a count column, Excel
error cells, formulas, blank rows and rows of spaces, blank and duplicate header cells, columns
beyond the header — both engines give the same register, untyped rows, findings and counts. The
hostile workbooks of ``tests/io/test_hostile.py`` get the same refusal or result from both.
"""

from __future__ import annotations

import datetime
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from tests.columnar.test_engines import HOSTILE, assert_same_read
from tests.io import strategies as io_strategies
from tests.io.test_hostile import (
    MINIMAL,
    _bomb,
    dtd_workbook,
    edit_first_sheet,
    typed_cell_sheets,
    workbook,
)
from tests.io.writers import cell, write_xlsx

pytest.importorskip("polars")
pytest.importorskip("python_calamine")
from sikkb.codes import CodeEnum
from sikkb.columnar import xlsx
from sikkb.errors import RegisterFileError
from sikkb.io.columns import COLUMNS
from sikkb.io.limits import Limits
from sikkb.io.reader import ReadResult, read_register
from sikkb.register import TABLES, Register

openpyxl = pytest.importorskip("openpyxl")

TYPED_HOSTILE = st.sampled_from(
    [3671074508950001, 3671071003, 3.5, 3.0, 45000, 34916, -1, 0, 1, 1e15, 12345678901234567,
     True, False, datetime.datetime(2020, 1, 2), datetime.datetime(2020, 1, 2, 12, 30),
     datetime.date(1995, 8, 5), datetime.datetime(1900, 1, 5), datetime.time(6, 0),
     "#N/A", "#DIV/0!", "=SUM(1,2)", None, " Y ", "x\ny", "_x0041_"]
)  # fmt: skip


def _typed_cell(draw: st.DrawFn, value: Any) -> Any:
    """A register value as a kelurahan's workbook may hold it."""
    if isinstance(value, bool):
        return draw(st.sampled_from(["Y", "T"] if value else ["T", "N"]) | st.just(value))
    if isinstance(value, CodeEnum):
        return value.code
    if isinstance(value, datetime.date):
        return draw(
            st.sampled_from(
                [
                    datetime.datetime.combine(value, datetime.time()),
                    value,
                    value.strftime("%d/%m/%Y"),
                    value.isoformat(),
                ]
            )
        )
    if isinstance(value, int):
        return draw(st.sampled_from([value, float(value), str(value)]))
    if (
        isinstance(value, str)
        and value.isascii()
        and value.isdigit()
        and draw(st.integers(0, 9)) == 0
    ):
        return int(value)  # a NIK or a code stored as a number
    return value


@st.composite
def register_workbooks(draw: st.DrawFn) -> tuple[Register, dict[str, list[list[Any]]]]:
    """A register as workbook rows of typed cells, with hostile cells, blank rows, odd columns."""
    register = draw(io_strategies.registers())
    sheets: dict[str, list[list[Any]]] = {}
    for table in TABLES:
        names: list[str | None] = [c.name for c in COLUMNS[table]]
        if draw(st.booleans()):  # an optional column left out
            optional = [c.name for c in COLUMNS[table] if not c.required]
            if optional:
                names.remove(draw(st.sampled_from(optional)))
        extra = draw(st.sampled_from([[], ["catatan"], [None, "catatan"], ["Nik Istri "], [None]]))
        rows: list[list[Any]] = [[*names, *extra]]
        for rec in register.table(table):
            row = [_typed_cell(draw, cell(rec, n)) if n else None for n in names]
            row += [draw(st.sampled_from(["?", None, 7])) for _ in extra]
            rows.append(row)
        for _ in range(draw(st.integers(0, 4))):  # hostile cells
            if len(rows) > 1:
                r = draw(st.integers(1, len(rows) - 1))
                c = draw(st.integers(0, len(names) - 1))
                rows[r][c] = draw(HOSTILE | TYPED_HOSTILE)
        if draw(st.booleans()) and len(rows) > 1:  # a cell beyond the header
            rows[draw(st.integers(1, len(rows) - 1))] += [None, draw(st.sampled_from(["x", 5]))]
        for _ in range(draw(st.integers(0, 2))):  # a blank row, a row of spaces
            blank = draw(st.sampled_from([[None], ["  "] * len(names), [None, "\u3000"]]))
            rows.insert(draw(st.integers(1, len(rows))), blank)
        sheets[table] = rows
    return register, sheets


def _write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
    wb.save(path)
    return path


def _calamine_read(path: Path) -> tuple[ReadResult, int]:
    """The columnar engine's result and how many sheets calamine typed."""
    with mock.patch.object(xlsx, "_from_grid", wraps=xlsx._from_grid) as spy:
        result = read_register(path, "2026-10", engine="columnar")
    return result, sum(1 for c in spy.call_args_list if c)


@settings(max_examples=60, deadline=None)
@given(files=register_workbooks())
def test_both_readers_read_a_workbook_alike(
    files: tuple[Register, dict[str, list[list[Any]]]],
) -> None:
    register, sheets = files
    with tempfile.TemporaryDirectory() as d:
        path = _write_workbook(Path(d) / "register.xlsx", sheets)
        records = read_register(path, register.period, engine="records")
        columnar, typed = _calamine_read(path)
    event(f"sheets typed by calamine: {typed}")
    assert columnar.columns is not None
    assert_same_read(records, columnar)


@settings(max_examples=20, deadline=None)
@given(register=io_strategies.registers(), chunk=st.sampled_from([1 << 20, 61, 333]))
def test_the_writers_workbooks_are_typed_by_calamine(register: Register, chunk: int) -> None:
    """Workbooks written by sikkb take the fast path, every sheet (the scan before calamine,
    which reads a sheet in pieces, finds nothing odd wherever the pieces end)."""
    with tempfile.TemporaryDirectory() as d:
        path = write_xlsx(register, Path(d) / "register.xlsx")
        records = read_register(path, register.period, engine="records")
        with mock.patch.object(xlsx, "_CHUNK", chunk):
            columnar, typed = _calamine_read(path)
    assert typed == len(TABLES)
    assert_same_read(records, columnar)


@pytest.mark.parametrize("chunk", [1 << 20, 5, 16, 40])
def test_cells_calamine_reads_differently_are_found_across_pieces(
    tmp_path: Path, chunk: int
) -> None:
    """An edge space without xml:space (calamine trims it) sends the sheet to the record reader,
    wherever the scan's pieces end; the results are the record reader's."""
    sheets = {**MINIMAL, "keluarga": [MINIMAL["keluarga"][0], ["KK-1 ", "3671071003", 1, 2]]}
    path = edit_first_sheet(
        workbook(tmp_path / "good.xlsx", sheets),
        tmp_path / "r.xlsx",
        lambda data: data.replace(b'<t xml:space="preserve">KK-1 </t>', b"<t>KK-1 </t>"),
    )
    assert b"<t>KK-1 </t>" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    with mock.patch.object(xlsx, "_CHUNK", chunk):
        columnar, typed = _calamine_read(path)
    assert typed == 2  # pus and institusi; keluarga is the record reader's
    records = read_register(path, "2026-10", engine="records")
    assert_same_read(records, columnar)
    assert records.register.keluarga[0].kode_keluarga == "KK-1"


def _outcome(path: Path, engine: str, limits: Limits | None = None) -> Any:
    try:
        return read_register(path, "2026-10", engine=engine, limits=limits)
    except RegisterFileError as e:
        return e


def _same_outcome(path: Path, limits: Limits | None = None) -> ReadResult | RegisterFileError:
    records = _outcome(path, "records", limits)
    columnar = _outcome(path, "columnar", limits)
    assert type(records) is type(columnar)
    if isinstance(records, RegisterFileError):
        assert (str(records), records.reason, records.reason_id, records.hint) == (
            str(columnar), columnar.reason, columnar.reason_id, columnar.hint
        )  # fmt: skip
        assert type(records.__cause__) is type(columnar.__cause__)
    else:
        assert_same_read(records, columnar)
    result: ReadResult | RegisterFileError = columnar
    return result


def _laughs(tmp: Path) -> Path:
    doctype = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    return edit_first_sheet(
        workbook(tmp / "good.xlsx", MINIMAL),
        tmp / "laughs.xlsx",
        lambda data: doctype + data.replace(b"<v>", b"<v>&b;", 1),
    )


def _entity_late(tmp: Path) -> Path:
    return edit_first_sheet(
        workbook(tmp / "good.xlsx", MINIMAL),
        tmp / "entity.xlsx",
        lambda data: data.replace(b"<v>1</v>", b"<v>&x;</v>", 1),
    )


def _broken_tag(tmp: Path) -> Path:
    return edit_first_sheet(
        workbook(tmp / "good.xlsx", MINIMAL),
        tmp / "broken.xlsx",
        lambda data: data.replace(b"</row>", b"</rw>", 1),
    )


def _far_cell(tmp: Path) -> Path:
    return edit_first_sheet(
        workbook(tmp / "good.xlsx", MINIMAL),
        tmp / "far.xlsx",
        lambda data: data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" '
                                  b't="inlineStr"><is><t>x</t></is></c></row></sheetData>'),
    )  # fmt: skip


def _many_rows(tmp: Path) -> Path:
    sheets = dict(MINIMAL)
    sheets["keluarga"] = [MINIMAL["keluarga"][0]] + [
        [f"KK-{i}", "3671071003", 1, 2] for i in range(12)
    ]
    return workbook(tmp / "register.xlsx", sheets)


HOSTILE_WORKBOOKS: dict[str, tuple[Callable[[Path], Path], Limits | None]] = {
    "bomb-ratio": (lambda t: _bomb(t / "bomb.xlsx", 30 * 1024 * 1024), None),
    "bomb-size": (
        lambda t: _bomb(t / "big.xlsx", 3 * 1024 * 1024),
        Limits(max_decompressed_bytes=1024 * 1024, max_ratio=10**6),
    ),
    "entities": (_laughs, None),
    "undeclared-entity": (_entity_late, None),
    "broken-tag": (_broken_tag, None),
    "far-cell": (_far_cell, None),
    "dtd-in-workbook": (dtd_workbook, None),
    "too-many-rows": (_many_rows, Limits(max_rows=10)),
    "few-columns": (_many_rows, Limits(max_columns=2)),
    "pdf": (lambda t: _write(t / "r.xlsx", b"%PDF-1.4 ..."), None),
    "ole": (lambda t: _write(t / "r.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), None),
    "truncated": (lambda t: _write(t / "r.xlsx", workbook(t / "g.xlsx", MINIMAL).read_bytes()[:700]), None),
}  # fmt: skip


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE_WORKBOOKS))
def test_hostile_workbooks_get_the_same_outcome(tmp_path: Path, name: str) -> None:
    make, limits = HOSTILE_WORKBOOKS[name]
    outcome = _same_outcome(make(tmp_path), limits)
    expected_refusal = name not in ("too-many-rows", "few-columns", "far-cell")
    assert isinstance(outcome, RegisterFileError) is expected_refusal, outcome
    if name == "too-many-rows":
        assert isinstance(outcome, ReadResult)
        assert outcome.count("keluarga").refused
        assert [f.rule_id for f in outcome.findings if f.location.table == "keluarga"] == [
            "baca-batas-baris"
        ]


def test_the_cell_types_the_record_reader_knows(tmp_path: Path) -> None:
    """The example of tests/io: typed cells, a formula-like text, loosely named sheets."""
    sheets = typed_cell_sheets()
    result, typed = _calamine_read(workbook(tmp_path / "reg.xlsx", sheets))
    assert typed == 3
    outcome = _same_outcome(tmp_path / "reg.xlsx")
    assert isinstance(outcome, ReadResult)
    (serial,) = result.findings.by_rule("baca-tanggal")
    assert (serial.location.row, serial.location.column) == (3, "tanggal_lahir_istri")
    assert "angka 34916 " in serial.hint.id  # an Excel serial: 34916 = 5 August 1995
    assert "05/08/1995" in serial.hint.en
    (nik,) = result.findings.by_rule("baca-teks-jadi-angka")
    assert (nik.location.row, nik.location.value) == (2, "367107******0001")
    (k,) = result.register.keluarga
    assert (k.kode_wilayah, k.rw, k.rt) == ("36.71.07.1003", 1, 2)


@pytest.mark.parametrize(
    ("num_fmt", "code", "agreed"),
    [(0, None, True), (14, None, True), (22, None, True), (49, None, True), (30, None, False),
     (57, None, False), (164, "yyyy-mm-dd", True), (164, "dd/mm/yyyy", True),
     (164, "[$-421]dd mmmm yyyy", True), (164, "0.00", True), (164, "#,##0", True),
     (164, '0.00"d"', False), (164, "[h]:mm:ss", False), (164, "h:mm AM/PM", False),
     (14, "0.00", False)],
)  # fmt: skip
def test_number_formats_both_readers_read_alike(
    tmp_path: Path, num_fmt: int, code: str | None, agreed: bool
) -> None:
    """Where the formats are said to agree, a date and a number under each read the same."""
    assert xlsx.agreed_format(num_fmt, code) is agreed
    if not agreed:
        return
    fmt = code if code is not None else openpyxl.styles.numbers.BUILTIN_FORMATS[num_fmt]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "institusi"
    ws.append(["kode_institusi", "jenis", "kode_wilayah", "jumlah_pertemuan", "catatan"])
    for i, value in enumerate([45000, 3.5, 61, 2_958_465, datetime.datetime(2020, 1, 2)]):
        ws.append([f"I-{i}", "BKB", "3671071003", value, value])
        ws.cell(i + 2, 4).number_format = fmt
        ws.cell(i + 2, 5).number_format = fmt
    wb.save(tmp_path / "r.xlsx")
    _same_outcome(tmp_path / "r.xlsx")


def _with_shared_string(good: Path, path: Path, si: bytes) -> Path:
    """A copy of ``good`` whose cell A2 of the first sheet is shared string 0, ``si``."""
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="1">' + si + b"</sst>"
    )
    rel = (
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    kind = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<c r="A2" t="inlineStr"><is><t>[^<]*</t></is></c>',
                                  b'<c r="A2" t="s"><v>0</v></c>', data)  # fmt: skip
                assert n == 1
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", rel)
            elif item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", kind)
            dst.writestr(item, data)
        dst.writestr("xl/sharedStrings.xml", sst)
    return path


@pytest.mark.parametrize(
    ("si", "by_calamine"),
    [
        (b"<si><t>KK-1</t></si>", True),
        (b'<si><t xml:space="preserve"> KK-1 </t></si>', True),
        (b"<si><r><t>KK</t></r><r><t>-1</t></r></si>", True),
        (b"<si><t>KK-1 </t></si>", False),  # calamine trims it
        (b"<si><t>KK_x002D_1</t></si>", False),  # calamine decodes it
        (b"<si><t/></si>", False),  # an empty string
    ],
)
def test_shared_strings_are_read_alike(tmp_path: Path, si: bytes, by_calamine: bool) -> None:
    path = _with_shared_string(workbook(tmp_path / "good.xlsx", MINIMAL), tmp_path / "r.xlsx", si)
    outcome = _same_outcome(path)
    assert isinstance(outcome, ReadResult)
    _, typed = _calamine_read(path)
    assert typed == (3 if by_calamine else 0)


def test_without_calamine_the_record_reader_reads_the_workbook(tmp_path: Path) -> None:
    path = workbook(tmp_path / "r.xlsx", MINIMAL)
    with mock.patch.object(xlsx, "available", return_value=False):
        columnar, typed = _calamine_read(path)
    assert typed == 0
    assert columnar.columns is not None
    assert_same_read(read_register(path, "2026-10", engine="records"), columnar)
    assert [k.kode_keluarga for k in columnar.register.keluarga] == ["KK-1"]
