"""The streaming XLSX reader on hand-written workbook XML (what Excel and LibreOffice write)."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import pytest

from sikkb.io.reader import read_register
from sikkb.io.xlsx_stream import UnsafeXMLError, Workbook, excel_date, is_date_format

NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def build(path: Path, sheets: dict[str, str], *, shared: list[str], date1904: bool = False) -> Path:
    """A workbook with the ``x:`` prefix, shared strings (rich text) and a custom date style."""
    names = list(sheets)
    wb = (
        f'<?xml version="1.0"?><x:workbook {NS} {R_NS}>'
        f'<x:workbookPr date1904="{int(date1904)}"/><x:sheets>'
        + "".join(
            f'<x:sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1)
        )
        + "</x:sheets></x:workbook>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="worksheet" Target="/xl/worksheets/s{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + "</Relationships>"
    )
    styles = (
        f'<x:styleSheet {NS}><x:numFmts><x:numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/>'
        '</x:numFmts><x:cellXfs><x:xf numFmtId="0"/><x:xf numFmtId="164"/><x:xf numFmtId="49"/>'
        "</x:cellXfs></x:styleSheet>"
    )
    sst = f"<x:sst {NS}>" + "".join(shared) + "</x:sst>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", wb)
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        zf.writestr("xl/styles.xml", styles)
        zf.writestr("xl/sharedStrings.xml", sst)
        for i, body in enumerate(sheets.values(), 1):
            zf.writestr(
                f"xl/worksheets/s{i}.xml",
                f"<x:worksheet {NS}><x:sheetData>{body}</x:sheetData></x:worksheet>",
            )
    return path


def s(text: str) -> str:
    return f"<x:si><x:t>{text}</x:t></x:si>"


SHARED = [
    s("kode_keluarga"), s("kode_wilayah"), s("rw"), s("rt"),  # 0-3
    s("KK-1"),  # 4
    # rich text with a phonetic run that must not be read
    '<x:si><x:r><x:t>KK</x:t></x:r><x:r><x:t xml:space="preserve">-2 </x:t></x:r>'
    "<x:rPh><x:t>ignored</x:t></x:rPh></x:si>",  # 5
    s("nik_istri"), s("tanggal_lahir_istri"), s("status_kb"), s("tempat_pelayanan"),  # 6-9
    s("Suntik"), s("PEMERINTAH"), s("3671074508950001"), s("&lt;b&gt;&amp;"),  # 10-13
    s("nama_istri"), s("kode_institusi"), s("jenis"),  # 14-16
]  # fmt: skip


def c(ref: str, value: str, t: str | None = None, s_: int | None = None) -> str:
    attrs = f' r="{ref}"' + (f' t="{t}"' if t else "") + (f' s="{s_}"' if s_ is not None else "")
    return f"<x:c{attrs}><x:v>{value}</x:v></x:c>"


def test_excel_style_workbook(tmp_path: Path) -> None:
    keluarga = (
        '<x:row r="1">' + c("A1", "0", "s") + c("B1", "1", "s") + c("C1", "2", "s") + c("D1", "3", "s") + "</x:row>"
        '<x:row r="2">' + c("A2", "4", "s") + c("B2", "3671071003") + c("C2", "1") + c("D2", "2") + "</x:row>"
        # row 3 is missing; row 4 has cells without r attributes and a cached formula result
        '<x:row r="4"><x:c t="s"><x:v>5</x:v></x:c><x:c t="str"><x:f>A1</x:f><x:v>36.71.07.1003</x:v></x:c>'
        "<x:c><x:v>3</x:v></x:c><x:c><x:v>4</x:v></x:c></x:row>"
    )  # fmt: skip
    pus = (
        '<x:row r="1">' + "".join(c(f"{col}1", str(i), "s") for col, i in zip("ABCDEF", [0, 6, 7, 8, 9, 14], strict=True)) + "</x:row>"
        '<x:row r="2">' + c("A2", "4", "s") + c("B2", "12", "s") + c("C2", "34916", s_=1) + c("D2", "10", "s")
        + c("E2", "11", "s") + c("F2", "13", "s") + "</x:row>"
        '<x:row r="3">' + c("A3", "4", "s") + c("B3", "3671074101900002", "inlineStr").replace("<x:v>3671074101900002</x:v>", "<x:is><x:t>3671074101900002</x:t></x:is>")
        + c("C3", "1990-01-01T00:00:00", "d") + c("D3", "#N/A", "e") + "</x:row>"
    )  # fmt: skip
    institusi = (
        '<x:row r="1">' + c("A1", "15", "s") + c("B1", "16", "s") + c("C1", "1", "s") + "</x:row>"
    )
    path = build(
        tmp_path / "excel.xlsx",
        {"keluarga": keluarga, "PUS": pus, "institusi": institusi},
        shared=SHARED,
    )
    result = read_register(path, "2026-10")
    assert [(f.rule_id, f.location.row, f.location.column) for f in result.findings] == [
        ("baca-kode-tidak-dikenal", 3, "status_kb")
    ]
    k1, k2 = result.register.keluarga
    assert (k1.kode_keluarga, k1.kode_wilayah, k1.rw, k1.rt, k1.row) == (
        "KK-1",
        "36.71.07.1003",
        1,
        2,
        2,
    )
    assert (k2.kode_keluarga, k2.kode_wilayah, k2.rw, k2.rt, k2.row) == (
        "KK-2",
        "36.71.07.1003",
        3,
        4,
        4,
    )
    (p,) = result.register.pus
    assert p.tanggal_lahir_istri == datetime.date(1995, 8, 5)
    assert p.nik_istri == "3671074508950001"
    assert p.nama_istri == "<b>&"
    assert p.status_kb.code == "SUNTIK"
    (untyped,) = result.untyped
    assert untyped.get("tanggal_lahir_istri") == datetime.datetime(1990, 1, 1)


def test_date1904_and_columns_beyond_the_limit(tmp_path: Path) -> None:
    body = (
        '<x:row r="1">'
        + c("A1", "0", "s")
        + c("ZZ1", "1", "s")
        + "</x:row>"
        + '<x:row r="2">'
        + c("A2", "0", s_=1)
        + "</x:row>"
    )
    path = build(tmp_path / "d.xlsx", {"x": body}, shared=SHARED, date1904=True)
    with zipfile.ZipFile(path) as zf:
        wb = Workbook(zf)
        assert wb.date1904
        rows = list(wb.rows(wb.sheets[0][1], max_columns=10))
    assert rows == [(1, ["kode_keluarga"]), (2, [datetime.datetime(1904, 1, 1)])]


def test_entities_in_shared_strings_are_refused(tmp_path: Path) -> None:
    path = build(tmp_path / "e.xlsx", {"keluarga": ""}, shared=[s("x")])
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.replace(b">x<", b">&a;<")
            dst.writestr(item, data)
    with zipfile.ZipFile(evil) as zf:
        wb = Workbook(zf)
        with pytest.raises(UnsafeXMLError):
            list(wb.rows(wb.sheets[0][1], max_columns=10))


def test_helpers() -> None:
    assert excel_date(1, date1904=False) == datetime.datetime(1899, 12, 31)
    assert excel_date(0.5, date1904=True) == datetime.datetime(1904, 1, 1, 12)
    assert is_date_format("yyyy-mm-dd h:mm")
    assert not is_date_format("General")
    assert not is_date_format("#,##0")


def test_a_sheet_whose_part_is_missing_is_refused(tmp_path: Path) -> None:
    from sikkb.errors import RegisterFileError

    path = build(tmp_path / "m.xlsx", {"keluarga": ""}, shared=[s("x")])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/s1.xml":
                dst.writestr(item, src.read(item.filename))
    with pytest.raises(RegisterFileError, match="part is missing"):
        read_register(broken, "2026-10")
