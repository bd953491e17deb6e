"""Hostile and broken files: a clear refusal (RegisterFileError) or finding, never a traceback."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikkb.codes import Poktan
from sikkb.errors import RegisterFileError, SikkbError
from sikkb.io.limits import Limits
from sikkb.io.reader import ReadResult, read_register
from sikkb.rules.engine import Severity

openpyxl = pytest.importorskip("openpyxl")


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


MINIMAL = {
    "keluarga": [["kode_keluarga", "kode_wilayah", "rw", "rt"], ["KK-1", "3671071003", 1, 2]],
    "pus": [["kode_keluarga", "nik_istri", "tanggal_lahir_istri", "status_kb", "tempat_pelayanan"]],
    "institusi": [["kode_institusi", "jenis", "kode_wilayah"]],
}


def read_or_refusal(path: Path) -> ReadResult | RegisterFileError:
    """The read result, or the refusal; any other exception propagates (and fails the test)."""
    try:
        return read_register(path, "2026-10")
    except RegisterFileError as e:
        return e


def refused(path: Path, limits: Limits | None = None) -> RegisterFileError:
    with pytest.raises(RegisterFileError) as info:
        read_register(path, "2026-10", limits=limits)
    err = info.value
    assert isinstance(err, SikkbError)
    assert isinstance(err, ValueError)
    assert err.path.startswith(str(path))
    assert err.reason
    assert err.reason_id
    return err


def test_renamed_pdf(tmp_path: Path) -> None:
    p = tmp_path / "register.xlsx"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    err = refused(p)
    assert "PDF" in err.reason
    assert "PDF" in err.reason_id
    assert err.hint


def test_encrypted_workbook_signature(tmp_path: Path) -> None:
    p = tmp_path / "register.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    err = refused(p)
    assert "encrypted" in err.reason
    assert "password" in err.hint


def test_truncated_workbook(tmp_path: Path) -> None:
    full = workbook(tmp_path / "full.xlsx", MINIMAL).read_bytes()
    p = tmp_path / "register.xlsx"
    p.write_bytes(full[: len(full) // 2])
    err = refused(p)
    assert "damaged or truncated" in err.reason


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "register.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    assert "Word document" in refused(p).reason


def test_empty_and_html_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert "empty" in refused(empty).reason
    html = tmp_path / "export.xlsx"
    html.write_bytes(b"<html><table><tr><td>pus</td></tr></table></html>")
    assert "HTML" in refused(html).reason


def _bomb(path: Path, size: int) -> Path:
    """A workbook whose sheet XML is ``size`` bytes of highly compressible rows."""
    good = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.title = "pus"
    wb.save(good)
    row = b'<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>'
    body = row * (size // len(row))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<sheetData></sheetData>", b"<sheetData>" + body + b"</sheetData>"
                )
                assert body in data
            dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return path


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    p = _bomb(tmp_path / "bomb.xlsx", 30 * 1024 * 1024)
    assert p.stat().st_size < 200_000  # 30 MB in well under 0.2 MB
    err = refused(p)
    assert "zip bomb" in err.reason
    assert "sheet1.xml" in err.reason


def test_zip_bomb_by_total_size(tmp_path: Path) -> None:
    p = _bomb(tmp_path / "big.xlsx", 3 * 1024 * 1024)
    err = refused(p, Limits(max_decompressed_bytes=1024 * 1024, max_ratio=10**6))
    assert "over the limit" in err.reason


def edit_first_sheet(good: Path, path: Path, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of workbook ``good`` whose first sheet's XML went through ``edit``."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            dst.writestr(item, data)
    return path


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    doctype = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    p = edit_first_sheet(
        workbook(tmp_path / "good.xlsx", MINIMAL),
        tmp_path / "laughs.xlsx",
        lambda data: doctype + data.replace(b"<v>", b"<v>&b;", 1),
    )
    err = refused(p)
    assert "cannot be" in err.reason
    causes, c = [], err.__cause__
    while c is not None:
        causes.append(type(c).__name__)
        c = c.__cause__ or c.__context__
    assert "UnsafeXMLError" in causes  # the hardened sheet parser refused the DTD


def dtd_workbook(tmp: Path) -> Path:
    """A valid workbook whose workbook part declares a DTD with an external entity."""
    good = workbook(tmp / "good.xlsx", MINIMAL)
    p = tmp / "dtd.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(p, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data
            dst.writestr(item, data)
    return p


def test_dtd_in_the_workbook_part_is_refused(tmp_path: Path) -> None:
    err = refused(dtd_workbook(tmp_path))
    assert "DTDForbidden" in repr(err.__cause__)  # defusedxml


def test_sheet_over_the_row_limit_is_an_error_finding(tmp_path: Path) -> None:
    sheets = dict(MINIMAL)
    sheets["keluarga"] = [MINIMAL["keluarga"][0]] + [
        [f"KK-{i}", "3671071003", 1, 2] for i in range(12)
    ]
    p = workbook(tmp_path / "register.xlsx", sheets)
    result = read_register(p, "2026-10", limits=Limits(max_rows=10))
    (f,) = result.findings.by_rule("baca-batas-baris")
    assert f.severity is Severity.ERROR
    assert f.location.source == "register.xlsx:keluarga"
    assert "10" in f.message.en
    assert result.register.keluarga == ()
    assert result.count("keluarga").refused


def test_declared_dimension_is_not_trusted(tmp_path: Path) -> None:
    sheets = dict(MINIMAL)
    sheets["keluarga"] = [MINIMAL["keluarga"][0]] + [
        [f"KK-{i}", "3671071003", 1, 2] for i in range(5)
    ]
    declared = (b'<dimension ref="A1:D6" />', b'<dimension ref="A1:D2" />')
    p = edit_first_sheet(
        workbook(tmp_path / "good.xlsx", sheets),
        tmp_path / "lying.xlsx",
        lambda data: data.replace(*declared),
    )
    assert declared[1] in zipfile.ZipFile(p).read("xl/worksheets/sheet1.xml")
    result = read_register(p, "2026-10")
    assert len(result.register.keluarga) == 5


def test_csv_folder_refuses_binary_files(tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "pus.csv").write_bytes(b"%PDF-1.4 ...")
    err = refused(folder / "pus.csv")  # one CSV file is not a register
    assert "folder" in err.reason
    err = refused(folder)
    assert "PDF" in err.reason
    assert err.path.endswith("pus.csv")
    (folder / "pus.csv").write_bytes(b"kode_keluarga\x00\x00\x01")
    assert "NUL" in refused(folder).reason


def test_csv_over_the_size_limit(tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "pus.csv").write_text("kode_keluarga\n" + "KK\n" * 1000)
    assert "over the limit" in refused(folder, Limits(max_csv_bytes=100)).reason


def test_missing_path(tmp_path: Path) -> None:
    assert "no such" in refused(tmp_path / "nope.xlsx").reason


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_traceback(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "x.xlsx"
    p.write_bytes(data)
    with pytest.raises(RegisterFileError):
        read_register(p, "2026-10")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(
        st.sampled_from(["kode_keluarga", "nik_istri", "status_kb", "x", ""]), max_size=6
    ),
    cells=st.lists(
        st.lists(
            st.text(
                st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=12
            ),
            max_size=7,
        ),
        max_size=6,
    ),
)
def test_arbitrary_csv_text_gives_findings_not_exceptions(
    tmp_path: Path, header: list[str], cells: list[list[str]]
) -> None:
    import csv

    folder = tmp_path / "reg"
    folder.mkdir(exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(cells)
    (folder / "pus.csv").write_text(buf.getvalue(), encoding="utf-8")
    result = read_register(folder, "2026-10")
    c = result.count("pus")
    assert (
        c.typed + c.untyped
        == c.rows
        == len(result.register.pus) + sum(u.table == "pus" for u in result.untyped)
    )
    for u in result.untyped:
        assert any(f.severity is Severity.ERROR for f in u.findings)


def typed_cell_sheets(wife_name: str = "Ani") -> dict[str, list[list[Any]]]:
    """Typed cells (numbers, a datetime, an Excel serial, booleans), a NIK stored as a number,
    loosely named sheets, an instructions sheet and an unknown one; ``wife_name`` is cell C2 of PUS."""
    return {
        "PETUNJUK": [["Cara mengisi"], ["..."]],
        "Keluarga ": [
            ["kode_keluarga", "kode_wilayah", "rw", "rt", "anggota_bkr"],
            ["KK-1", 3671071003, 1.0, 2, True],
        ],
        "PUS": [
            ["kode_keluarga", "nik_istri", "nama_istri", "tanggal_lahir_istri", "status_kb",
             "tempat_pelayanan", "nik_suami", "peserta_baru"],
            ["KK-1", "3671074508950001", wife_name, datetime.datetime(1995, 8, 5), "pil", "swasta",
             3671070101800001, 1],
            ["KK-1", "3671074101900002", "<b>Ani</b>", 34916, "IAT", None, None, None],
        ],
        "institusi": [["kode_institusi", "jenis", "kode_wilayah", "lapor"], ["I-1", "bkb", "3671071003", "Y"]],
        "Catatan": [["apa saja"]],
    }  # fmt: skip


def test_xlsx_cells_typed_and_sheets_matched_loosely(tmp_path: Path) -> None:
    sheets = typed_cell_sheets(wife_name='=HYPERLINK("x")')
    p = workbook(tmp_path / "reg.xlsx", sheets)
    wb = openpyxl.load_workbook(p)
    wb["PUS"]["C2"].data_type = "s"  # formula-like text, stored as text
    wb.save(p)
    result = read_register(p, "2026-10")
    got = sorted(
        (
            (f.rule_id, f.location.source, f.location.row, f.location.column)
            for f in result.findings
        ),
        key=str,
    )
    assert got == sorted([
        ("baca-lembar-lain", "reg.xlsx:Catatan", None, None),
        ("baca-tanggal", "reg.xlsx:PUS", 3, "tanggal_lahir_istri"),
        ("baca-teks-jadi-angka", "reg.xlsx:PUS", 2, "nik_suami"),
    ], key=str)  # fmt: skip
    (serial,) = result.findings.by_rule("baca-tanggal")
    assert "05/08/1995" in serial.hint.en  # Excel serial 34916 = 5 August 1995
    (nik,) = result.findings.by_rule("baca-teks-jadi-angka")
    assert nik.location.value == "367107******0001"
    (k,) = result.register.keluarga
    assert (k.kode_wilayah, k.rw, k.rt, k.anggota) == (
        "36.71.07.1003",
        1,
        2,
        frozenset({Poktan.BKR}),
    )
    (i,) = result.register.institusi
    assert i.lapor is True
    assert result.register.pus == ()
    assert {u.row for u in result.untyped} == {2, 3}
    assert next(u for u in result.untyped if u.row == 2).get("nama_istri") == '=HYPERLINK("x")'


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_workbooks_are_refused_or_read_never_traceback(
    tmp_path: Path, data: st.DataObject
) -> None:
    good = tmp_path / "good.xlsx"
    if not good.exists():
        sheets = dict(MINIMAL)
        sheets["keluarga"] = [MINIMAL["keluarga"][0]] + [
            [f"KK-{i}", "3671071003", 1, 2] for i in range(30)
        ]
        workbook(good, sheets)
    raw = bytearray(good.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(4, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    p = tmp_path / "damaged.xlsx"
    p.write_bytes(bytes(raw))
    outcome = read_or_refusal(p)
    if isinstance(outcome, RegisterFileError):
        assert outcome.reason
        assert outcome.reason_id
    else:
        assert outcome.count("keluarga").rows <= 31


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_xml_inside_a_valid_zip_never_tracebacks(
    tmp_path: Path, data: st.DataObject
) -> None:
    good = tmp_path / "good.xlsx"
    if not good.exists():
        workbook(good, MINIMAL)
    with zipfile.ZipFile(good) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    target = data.draw(st.sampled_from(sorted(n for n in parts if n.endswith((".xml", ".rels")))))
    xml = bytearray(parts[target])
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(xml) - 1))
        xml[i : i + data.draw(st.integers(0, 3))] = data.draw(
            st.sampled_from([b"<", b">", b"&", b'"', b"x", b"9", b""])
        )
    p = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, bytes(xml) if name == target else body)
    outcome = read_or_refusal(p)
    assert not isinstance(outcome, RegisterFileError) or outcome.reason


def test_folder_without_csv_files_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    workbook(folder / "register.xlsx", MINIMAL)
    err = refused(folder)
    assert "no CSV file" in err.reason
    assert "register.xlsx" in err.reason


def test_boolean_cells_in_number_columns_are_errors_even_after_ones(tmp_path: Path) -> None:
    sheets = dict(MINIMAL)
    sheets["institusi"] = [
        ["kode_institusi", "jenis", "kode_wilayah", "jumlah_pertemuan", "lapor"],
        ["I-1", "BKB", "3671071003", 1, 1],
        ["I-2", "BKB", "3671071003", True, True],
    ]
    result = read_register(workbook(tmp_path / "r.xlsx", sheets), "2026-10")
    (f,) = result.findings
    assert (f.rule_id, f.location.row, f.location.column) == ("baca-angka", 3, "jumlah_pertemuan")
    assert [(i.jumlah_pertemuan, i.lapor) for i in result.register.institusi] == [(1, True)]
