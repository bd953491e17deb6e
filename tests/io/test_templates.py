"""Templates: the register template reads back unchanged, and filled in gives the expected report."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from sikkb.codes import Metode
from sikkb.errors import RegisterFileError
from sikkb.io.columns import COLUMNS
from sikkb.io.reader import read_register
from sikkb.io.templates import FORM_SHEET, read_form, write_form_template, write_register_template
from sikkb.periods import Period
from sikkb.regions import kota_tangerang
from sikkb.register import TABLES
from sikkb.report import VillageReport

openpyxl = pytest.importorskip("openpyxl")

KEL = "36.71.07.1003"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "register.xlsx"
    return write_register_template(path, kelurahan=KEL.replace(".", ""), regions=kota_tangerang())


def test_blank_template_reads_back_without_findings(template: Path) -> None:
    result = read_register(template, "2026-10")
    assert list(result.findings) == []
    assert [(c.table, c.present, c.rows) for c in result.counts] == [
        ("keluarga", True, 0), ("pus", True, 0), ("institusi", True, 0), ("kegiatan", True, 1),
    ]  # fmt: skip
    (k,) = result.register.kegiatan  # the kelurahan's one kegiatan row, counts empty = 0
    assert (k.kode_wilayah, k.rakor, k.penyuluhan, k.kie_kit, k.tokoh_aktif) == (KEL, 0, 0, 0, 0)


def test_template_without_kelurahan_reads_back_empty(tmp_path: Path) -> None:
    result = read_register(write_register_template(tmp_path / "t.xlsx"), "2026-10")
    assert list(result.findings) == []
    assert all(c.rows == 0 for c in result.counts)


def test_template_structure(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["PETUNJUK", *TABLES, "DAFTAR_KODE"]
    name = kota_tangerang()[KEL].name
    assert name in " ".join(str(r[0].value) for r in wb["PETUNJUK"].iter_rows())
    for table in TABLES:
        ws = wb[table]
        columns = COLUMNS[table]
        assert [c.value for c in ws[1]] == [c.name for c in columns]
        assert ws.freeze_panes == "A2"
        validated: dict[str, str] = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                validated[ws.cell(row=1, column=rng.min_col).value] = dv.formula1
                assert (rng.min_row, rng.max_row) == (2, 1_048_576)
        for i, col in enumerate(columns, start=1):
            header = ws.cell(row=1, column=i)
            note = header.comment.text
            assert col.note.id in note
            assert ("WAJIB" in note) is col.required
            for code in col.codes:
                assert code in note
            letter = header.column_letter
            if col.kind in ("nik", "key", "region"):
                assert ws.column_dimensions[letter].number_format == "@"
                assert ws[f"{letter}2"].number_format == "@"
            if col.kind == "date":
                assert ws[f"{letter}2"].number_format == "DD/MM/YYYY"
            if col.kind == "bool":
                assert validated[col.name] == '"Y,T"'
            if col.kind in ("code", "status_kb"):
                assert validated[col.name].startswith("DAFTAR_KODE!$B$")
            if col.name == "kode_wilayah":
                assert validated[col.name] == f'"{KEL}"'
    codes = wb["DAFTAR_KODE"]
    listed = {(r[0].value, r[1].value) for r in codes.iter_rows(min_row=2) if r[0].value}
    assert ("status_kb", "TIAL") in listed
    assert ("tahapan_ks", "KS3+") in listed
    assert ("kode_wilayah", "36.71.09.1006") in listed  # every kelurahan of the region table


def fill(ws: Any, rows: list[dict[str, Any]], *, start: int = 2) -> None:
    names = [c.value for c in ws[1]]
    for r, values in enumerate(rows, start=start):
        for name, value in values.items():
            ws.cell(row=r, column=names.index(name) + 1, value=value)


def test_filled_template_gives_the_expected_report(template: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(template)
    fill(wb["keluarga"], [
        {"kode_keluarga": "KK-1", "kode_wilayah": KEL, "rw": 1, "rt": 1, "tahapan_ks": "KPS",
         "sasaran_bkb": "Y", "anggota_bkb": "Y", "anggota_uppka": "Y"},
        {"kode_keluarga": "KK-2", "kode_wilayah": KEL, "rw": 1, "rt": 2, "tahapan_ks": "KS2",
         "sasaran_bkb": "Y", "anggota_bkb": "T", "anggota_uppka": "Y"},
        {"kode_keluarga": "KK-3", "kode_wilayah": KEL, "rw": 2, "rt": 1, "tahapan_ks": "KS1",
         "sasaran_bkr": "Y", "anggota_bkr": "Y"},
    ])  # fmt: skip
    fill(wb["pus"], [
        {"kode_keluarga": "KK-1", "nik_istri": "3671074508950001", "nama_istri": "=SUM(A1)",
         "tanggal_lahir_istri": datetime.datetime(1995, 8, 5), "status_kb": "SUNTIK",
         "tempat_pelayanan": "PEMERINTAH", "peserta_baru": "Y", "jumlah_anak": 2},
        {"kode_keluarga": "KK-2", "nik_istri": "3671074101900002",
         "tanggal_lahir_istri": datetime.datetime(1990, 1, 1), "status_kb": "PIL",
         "tempat_pelayanan": "SWASTA"},
        {"kode_keluarga": "KK-3", "nik_istri": "3671075203880003",
         "tanggal_lahir_istri": datetime.datetime(1988, 3, 12), "status_kb": "HAMIL"},
        {"kode_keluarga": "KK-3", "nik_istri": "3671076006920004",
         "tanggal_lahir_istri": datetime.datetime(1992, 6, 20), "status_kb": "MAL"},
    ])  # fmt: skip
    wb["pus"]["C2"].data_type = "s"  # a name that looks like a formula, typed as text
    fill(wb["institusi"], [
        {"kode_institusi": "I-1", "jenis": "PPKBD", "kode_wilayah": KEL, "lapor": "Y"},
        {"kode_institusi": "I-2", "jenis": "BKB", "kode_wilayah": KEL, "lapor": "Y",
         "jumlah_pertemuan": 2},
        {"kode_institusi": "I-3", "jenis": "BKR", "kode_wilayah": KEL, "lapor": "T"},
        {"kode_institusi": "I-4", "jenis": "UPPKA", "kode_wilayah": KEL, "lapor": "Y",
         "jumlah_pertemuan": 1},
    ])  # fmt: skip
    fill(wb["kegiatan"], [{"rakor": 1, "penyuluhan": 3}])
    path = tmp_path / "filled.xlsx"
    wb.save(path)

    result = read_register(path, "2026-10")
    assert list(result.findings) == []
    assert [c.typed for c in result.counts] == [3, 4, 4, 1]
    assert result.register.pus[0].nama_istri == "=SUM(A1)"
    assert result.register.pus[3].metode is Metode.MAL
    report = VillageReport.from_register(result.register, KEL)
    expected = {
        "pus": 4, "pa": 3, "pa.SUNTIK.PEMERINTAH": 1, "pa.PIL.SWASTA": 1,
        "pa.MAL.TANPA_TEMPAT": 1, "pa.PEMERINTAH": 1, "pa.SWASTA": 1, "pa.TANPA_TEMPAT": 1,
        "pa.IUD": 0, "bukan_peserta.HAMIL": 1, "bukan_peserta.IAT": 0, "pb": 1, "pb.SUNTIK": 1,
        "institusi_ada.PPKBD": 1, "institusi_lapor.PPKBD": 1, "institusi_ada.BKR": 1,
        "institusi_lapor.BKR": 0, "rakor": 1, "penyuluhan": 3, "kie_kit": 0,
        "sasaran.BKB": 2, "anggota.BKB": 1, "pus_anggota.BKB": 1, "pus_anggota_kb.BKB": 1,
        "pertemuan.BKB": 2, "sasaran.BKR": 1, "anggota.BKR": 1, "pus_anggota.BKR": 2,
        "pus_anggota_kb.BKR": 1, "pertemuan.BKR": 0, "anggota.UPPKA": 2,
        "anggota_kps_ks1.UPPKA": 1, "pus_anggota.UPPKA": 2, "pus_anggota_kb.UPPKA": 2,
        "pus_anggota_kps_ks1.UPPKA": 1, "pus_anggota_kb_kps_ks1.UPPKA": 1, "pertemuan.UPPKA": 1,
    }  # fmt: skip
    got = report.as_dict()
    assert {k: got.get(k) for k in expected} == expected


# ------------------------------------------------------------------------------------- form


def fill_form(path: Path, values: dict[str, object], out: Path, **meta: object) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb[FORM_SHEET]
    for row in ws.iter_rows(min_row=6):
        key = row[3].value + (f".{row[4].value}" if row[4].value else "")
        if key in values:
            row[5].value = values[key]
    for r in (2, 3):
        if ws.cell(row=r, column=1).value in meta:
            ws.cell(row=r, column=2).value = meta[ws.cell(row=r, column=1).value]
    wb.save(out)
    return out


def test_form_template_has_one_row_per_catalogue_item(tmp_path: Path) -> None:
    from sikkb.report import CATALOGUE

    path = write_form_template(tmp_path / "f.xlsx", kelurahan=KEL, period="2026-10")
    ws = openpyxl.load_workbook(path)[FORM_SHEET]
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    assert [(r[3], r[4] or "") for r in rows] == [(i.element, i.disaggregation) for i in CATALOGUE]
    assert [r[2] for r in rows] == [i.label.id for i in CATALOGUE]
    blank = read_form(path)
    assert list(blank.findings) == []
    assert blank.report == VillageReport.from_form(KEL, Period(2026, 10), {})


def test_filled_form_gives_the_report_and_totals_are_derived(tmp_path: Path) -> None:
    blank = write_form_template(tmp_path / "f.xlsx", kelurahan=KEL, period=Period(2026, 10))
    typed = {"pa.SUNTIK.PEMERINTAH": 5, "pa.SUNTIK.SWASTA": 2, "pa.PIL.SWASTA": 3, "pa.PIL.PEMERINTAH": 0,
             "bukan_peserta.HAMIL": 1, "rakor": 2, "pa.MAL.TANPA_TEMPAT": 0}  # fmt: skip
    result = read_form(fill_form(blank, typed, tmp_path / "filled.xlsx"))
    assert list(result.findings) == []
    report = result.report
    assert report.region == KEL
    assert report.period == Period(2026, 10)
    assert report.value("pa", "SUNTIK") == 7
    assert report.value("pa", "PIL") == 3
    assert report.value("pa", "SWASTA") is None  # its other parts were not reported
    assert report.value("rakor") == 2
    assert report.value("pb") is None  # not reported


def test_form_round_trip_of_a_register_report(template: Path, tmp_path: Path) -> None:
    report = VillageReport.from_form(KEL, Period(2026, 10), {"pa.IUD.PEMERINTAH": 4, "pus": 9})
    blank = write_form_template(tmp_path / "f.xlsx", kelurahan=KEL, period="2026-10")
    back = read_form(fill_form(blank, report.as_dict(), tmp_path / "filled.xlsx")).report
    assert back == report


def test_form_problems_are_findings(tmp_path: Path) -> None:
    blank = write_form_template(tmp_path / "f.xlsx", kelurahan=KEL, period="2026-10")
    bad = fill_form(blank, {"pa.IUD.PEMERINTAH": "tiga", "rakor": -1}, tmp_path / "bad.xlsx",
                    kode_wilayah="36.71", periode="Oktober")  # fmt: skip
    result = read_form(bad)
    assert result.report is None
    got = sorted((f.rule_id, f.location.column, f.location.item) for f in result.findings)
    assert got == [
        ("baca-angka", "nilai", "pa.IUD.PEMERINTAH"),
        ("baca-angka", "nilai", "rakor"),
        ("baca-form-kepala", "kode_wilayah", None),
        ("baca-form-kepala", "periode", None),
    ]


def test_register_is_not_a_form(template: Path) -> None:
    with pytest.raises(RegisterFileError, match="F_I_DAL"):
        read_form(template)


def test_template_for_a_region_record(tmp_path: Path) -> None:
    region = kota_tangerang()["36.71.09.1006"]
    path = write_register_template(tmp_path / "t.xlsx", kelurahan=region, rows=10)
    wb = openpyxl.load_workbook(path)
    assert "Jatiuwung (36.71.09.1006)" in str(wb["PETUNJUK"]["A2"].value)
    assert wb["kegiatan"]["A2"].value == "36.71.09.1006"
    assert wb["pus"]["B11"].number_format == "@"
    assert wb["pus"]["B12"].number_format != "@"  # beyond `rows`, the column format applies
    assert wb["pus"].column_dimensions["B"].number_format == "@"
    (k,) = read_register(path, "2026-10").register.kegiatan
    assert k.kode_wilayah == "36.71.09.1006"
