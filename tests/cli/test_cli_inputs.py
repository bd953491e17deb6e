"""The `sikkb` command on what a Dinas officer hands it: filled templates, forms, hostile files."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.cli.helpers import run
from tests.io.test_hostile import _bomb

from sikkb.cli import EXIT_ERRORS, EXIT_INPUT, EXIT_OK

KEL = "36.71.07.1003"  # a kelurahan of kecamatan Karawaci
KEC = "36.71.07"


def fill(ws: Any, rows: list[dict[str, Any]]) -> None:
    names = [c.value for c in ws[1]]
    for r, values in enumerate(rows, start=2):
        for name, value in values.items():
            ws.cell(row=r, column=names.index(name) + 1, value=value)


def csv_values(path: Path, region: str) -> dict[str, int]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for r in rows:
        if r["region"] == region:
            key = r["item"] + (f".{r['disaggregation']}" if r["disaggregation"] else "")
            out[key] = int(r["value"])
    return out


def test_register_template_filled_and_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    template = tmp_path / "register.xlsx"
    assert (
        run(capsys, "template", "register", "--out", str(template), "--kelurahan", KEL)[0]
        == EXIT_OK
    )
    wb = openpyxl.load_workbook(template)
    fill(wb["keluarga"], [
        {"kode_keluarga": "KK-1", "kode_wilayah": KEL, "rw": 1, "rt": 1, "tahapan_ks": "KPS",
         "sasaran_bkb": "Y", "anggota_bkb": "Y"},
        {"kode_keluarga": "KK-2", "kode_wilayah": KEL, "rw": 1, "rt": 2, "tahapan_ks": "KS2"},
    ])  # fmt: skip
    fill(wb["pus"], [
        # SUNTIK from a government clinic, new this month; the name looks like a formula.
        {"kode_keluarga": "KK-1", "nik_istri": "3671074508950001", "nama_istri": "=HYPERLINK(\"x\")",
         "tanggal_lahir_istri": datetime.datetime(1995, 8, 5), "status_kb": "suntikan",
         "tempat_pelayanan": "PEMERINTAH", "peserta_baru": "Y"},
        {"kode_keluarga": "KK-2", "nik_istri": "3671074101900002",
         "tanggal_lahir_istri": datetime.datetime(1990, 1, 1), "status_kb": "IAT"},
        {"kode_keluarga": "KK-2", "nik_istri": "3671076006920004",
         "tanggal_lahir_istri": datetime.datetime(1992, 6, 20), "status_kb": "MAL"},
    ])  # fmt: skip
    wb["pus"]["C2"].data_type = "s"
    fill(
        wb["institusi"],
        [{"kode_institusi": "I-1", "jenis": "PPKBD", "kode_wilayah": KEL, "lapor": "Y"}],
    )
    fill(wb["kegiatan"], [{"rakor": 2, "penyuluhan": 1}])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)

    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "report", str(filled), "--period", "2026-10", "--out", str(out_dir),
                         "-e", "csv", "--level", "kelurahan", "--json")  # fmt: skip
    assert code == EXIT_OK, err
    [written] = json.loads(out)["files"]
    got = csv_values(Path(written["path"]), KEL)
    # Worked by hand: 3 PUS; PA = SUNTIK (government) + MAL (no place) = 2; 1 IAT; 1 PB (SUNTIK).
    assert got["pus"] == 3
    assert got["pa"] == 2
    assert got["pa.SUNTIK.PEMERINTAH"] == 1
    assert got["pa.MAL.TANPA_TEMPAT"] == 1
    assert got["pa.PEMERINTAH"] == 1 and got["pa.TANPA_TEMPAT"] == 1 and got["pa.SWASTA"] == 0
    assert got["bukan_peserta.IAT"] == 1
    assert got["pb"] == 1 and got["pb.SUNTIK"] == 1
    assert got["sasaran.BKB"] == 1 and got["anggota.BKB"] == 1 and got["pus_anggota_kb.BKB"] == 1
    assert got["institusi_ada.PPKBD"] == 1 and got["institusi_lapor.PPKBD"] == 1
    assert got["rakor"] == 2 and got["penyuluhan"] == 1
    assert "HYPERLINK" not in Path(written["path"]).read_text(
        encoding="utf-8"
    )  # aggregate: no names


def form(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, typed: dict[str, int], name: str
) -> Path:
    """A form template from the command, every detail cell filled (0 unless given), totals left empty
    unless given (then they are derived)."""
    from sikkb.report import CATALOGUE, not_applicable_keys

    blank = set(not_applicable_keys())
    values = {i.key: 0 for i in CATALOGUE if not i.is_total and i.key not in blank}
    values.update(typed)
    path = tmp_path / f"{name}.xlsx"
    code, _, _ = run(
        capsys, "template", "form", "--out", str(path), "--kelurahan", KEL, "--period", "2026-10"
    )
    assert code == EXIT_OK
    wb = openpyxl.load_workbook(path)
    ws = wb["F_I_DAL"]
    for row in ws.iter_rows(min_row=6):
        key = row[3].value + (f".{row[4].value}" if row[4].value else "")
        if key in values:
            row[5].value = values[key]
    wb.save(path)
    return path


def test_a_filled_form_is_reported_up_to_the_city(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    filled = form(capsys, tmp_path, {"pa.SUNTIK.PEMERINTAH": 30, "pa.PIL.SWASTA": 12, "pa.MAL.TANPA_TEMPAT": 2,
                                     "bukan_peserta.HAMIL": 3, "bukan_peserta.TIAL": 5}, "form")  # fmt: skip
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "report", "--form", str(filled), "--period", "2026-10", "--out", str(out_dir),
                         "-e", "csv", "--json")  # fmt: skip
    assert code == EXIT_OK, err
    paths = {Path(f["path"]).parent.name: Path(f["path"]) for f in json.loads(out)["files"]}
    city = csv_values(paths["kota"], "36.71")
    # PA = 30 + 12 + 2 = 44; PUS derived = PA + HAMIL + TIAL = 44 + 3 + 5 = 52.
    assert city["pa"] == 44
    assert city["pus"] == 52
    assert csv_values(paths["kecamatan"], KEC)["pa.SUNTIK"] == 30


def test_a_form_whose_totals_disagree_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # PUS typed as 60, but PA (10) + HAMIL (3) = 13: the identity PUS = PA + non-users is broken.
    filled = form(
        capsys, tmp_path, {"pa.SUNTIK.PEMERINTAH": 10, "bukan_peserta.HAMIL": 3, "pus": 60}, "bad"
    )
    code, out, err = run(capsys, "report", "--form", str(filled), "--period", "2026-10", "--out",
                         str(tmp_path / "out"), "-e", "csv")  # fmt: skip
    assert code == EXIT_ERRORS
    assert "pus" in out and "[ERROR]" in out
    assert "formulir" in err
    code, _, _ = run(capsys, "report", "--form", str(filled), "--period", "2026-10", "--out",
                     str(tmp_path / "out"), "-e", "csv", "--exclude-invalid")  # fmt: skip
    assert code == EXIT_OK  # left out explicitly: the kelurahan shows as not reported


def test_duplicate_nik_is_a_data_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "keluarga.csv").write_text(
        f"kode_keluarga;kode_wilayah;rw;rt\nKK-1;{KEL};1;1\n", encoding="utf-8-sig"
    )
    (folder / "pus.csv").write_text(
        "kode_keluarga;nik_istri;tanggal_lahir_istri;status_kb;tempat_pelayanan\n"
        "KK-1;3671074508950001;05/08/1995;PIL;SWASTA\n"
        "KK-1;3671074508950001;05/08/1995;SUNTK;SWASTA\n",
        encoding="utf-8-sig",
    )
    (folder / "institusi.csv").write_text("kode_institusi;jenis;kode_wilayah\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(folder), "--period", "2026-10", "--json")
    data = json.loads(out)
    assert code == EXIT_ERRORS
    by_rule = {f["rule"]: f for f in data["findings"]}
    # The second row's status is a near miss: the reader suggests the right code.
    typo = next(f for f in data["findings"] if f["column"] == "status_kb")
    assert typo["row"] == 3 and "SUNTIK" in typo["message"]["en"] + typo["hint"]["en"]
    assert "3671074508950001" not in out  # NIK is masked in every finding
    assert any(f["severity"] == "ERROR" for f in by_rule.values())


@pytest.mark.parametrize("kind", ["bomb", "encrypted", "truncated", "html"])
def test_hostile_files_are_refused_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "register.xlsx"
    if kind == "bomb":
        _bomb(path, 30 * 1024 * 1024)
    elif kind == "encrypted":
        path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512)
    elif kind == "truncated":
        wb = openpyxl.Workbook()
        wb.save(path)
        path.write_bytes(path.read_bytes()[:300])
    else:
        path.write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path), "--period", "2026-10")
    assert code == EXIT_INPUT
    assert "register.xlsx" in err


def register_folder(
    tmp_path: Path, pus_rows: list[str], keluarga_rows: list[str] | None = None
) -> Path:
    folder = tmp_path / "reg"
    folder.mkdir(exist_ok=True)
    keluarga = keluarga_rows or [f"KK-1;{KEL};1;1;Kepala Satu"]
    (folder / "keluarga.csv").write_text(
        "kode_keluarga;kode_wilayah;rw;rt;nama_kepala_keluarga\n" + "\n".join(keluarga) + "\n",
        encoding="utf-8-sig",
    )
    (folder / "pus.csv").write_text(
        "kode_keluarga;nik_istri;nama_istri;tanggal_lahir_istri;status_kb;tempat_pelayanan\n"
        + "\n".join(pus_rows)
        + "\n",
        encoding="utf-8-sig",
    )
    (folder / "institusi.csv").write_text("kode_institusi;jenis;kode_wilayah\n", encoding="utf-8")
    return folder


def test_wrong_types_are_findings_with_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = register_folder(
        tmp_path,
        ["KK-1;3671074508950001;Ani;5 Agustus 1995;PIL;SWASTA"],  # not a date
        [f"KK-1;{KEL};satu;1;Kepala"],  # rw is not a number
    )
    code, out, _ = run(capsys, "validate", str(folder), "--period", "2026-10", "--json")
    data = json.loads(out)
    assert code == EXIT_ERRORS
    where = {
        (f["table"], f["row"], f["column"]) for f in data["findings"] if f["severity"] == "ERROR"
    }
    assert ("keluarga", 2, "rw") in where
    assert ("pus", 2, "tanggal_lahir_istri") in where


def test_formula_and_html_names_stay_text_and_out_of_reports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = register_folder(
        tmp_path,
        ['KK-1;3671074508950001;=HYPERLINK("http://x");05/08/1995;PIL;SWASTA'],
        [f"KK-1;{KEL};1;1;<script>alert(1)</script>"],
    )
    assert run(capsys, "validate", str(folder), "--period", "2026-10")[0] == EXIT_OK
    code, out, err = run(capsys, "report", str(folder), "--period", "2026-10", "--out", str(tmp_path / "o"),
                         "-e", "json", "-e", "csv", "-e", "kelurahan-xlsx", "--level", "kelurahan", "--json")  # fmt: skip
    assert code == EXIT_OK, err
    for f in json.loads(out)["files"]:
        blob = Path(f["path"]).read_bytes()
        assert (
            b"HYPERLINK" not in blob and b"<script>" not in blob and b"3671074508950001" not in blob
        )


def test_a_table_over_the_row_limit_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = register_folder(
        tmp_path,
        [f"KK-1;36710745089500{i:02d};Ani;05/08/1995;PIL;SWASTA" for i in range(1, 4)],
    )
    code, out, _ = run(
        capsys, "validate", str(folder), "--period", "2026-10", "--max-rows", "2", "--json"
    )
    assert code == EXIT_ERRORS
    assert any(
        f["rule"] == "baca-batas-baris" and f["table"] == "pus" for f in json.loads(out)["findings"]
    )
    assert run(capsys, "validate", str(folder), "--period", "2026-10")[0] == EXIT_OK


def test_report_bundle_zip_holds_every_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import zipfile

    folder = register_folder(tmp_path, ["KK-1;3671074508950001;Ani;05/08/1995;PIL;SWASTA"])
    bundle = tmp_path / "laporan.zip"
    code, out, err = run(capsys, "report", str(folder), "--period", "2026-10", "--out", str(tmp_path / "o"),
                         "-e", "json", "--bundle", str(bundle), "--json")  # fmt: skip
    assert code == EXIT_OK, err
    files = json.loads(out)["files"]
    with zipfile.ZipFile(bundle) as z:
        names = sorted(z.namelist())
        assert names == sorted(str(Path(f["path"]).relative_to(tmp_path / "o")) for f in files)
        assert all(z.read(n) == Path(tmp_path / "o" / n).read_bytes() for n in names)
    # kelurahan + kecamatan + kota
    assert len(files) == 3
