"""Issue #11's hostile cases, through the command: exit code, the words of the message, the files.

The contract (docs/cli.md): any ERROR finding means exit 1 and no report written, unless
``--exclude-invalid`` is given; then the rows are left out and every document says so, except when
an ERROR names no row (a missing table or column, a table over a limit, an empty register).
"""

from __future__ import annotations

import csv
import json
import os
import stat
import threading
from pathlib import Path

import openpyxl
import pytest
from tests.cli.helpers import run
from tests.io.writers import write_csv_folder, write_xlsx

from sikkb.cli import EXIT_ERRORS, EXIT_INPUT, EXIT_OK, main
from sikkb.demo import demo_city
from sikkb.periods import Period

OCT = Period(2026, 10)


@pytest.fixture(scope="module")
def register():  # type: ignore[no-untyped-def]
    return demo_city(OCT, scale=0.01, kelurahan=["36.71.01"])


@pytest.fixture
def folder(tmp_path: Path, register) -> Path:  # type: ignore[no-untyped-def]
    return write_csv_folder(register, tmp_path / "register")


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell of a CSV table (``row`` counts like a spreadsheet: header = 1)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def files_in(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file()) if out.exists() else []


def report(capsys: pytest.CaptureFixture[str], source: Path, out: Path, *more: str):  # type: ignore[no-untyped-def]
    return run(capsys, "report", str(source), "--period", "2026-10", "--out", str(out),
               "-e", "csv", "-e", "kota-xlsx", "--level", "kota", *more)  # fmt: skip


# --- part 1: ERROR findings of the reader stop the report --------------------------------------


def test_a_missing_sheet_is_refused_even_with_exclude_invalid(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, register
) -> None:  # type: ignore[no-untyped-def]
    book = write_xlsx(register, tmp_path / "register.xlsx")
    wb = openpyxl.load_workbook(book)
    del wb["pus"]
    wb.save(book)
    for more in ((), ("--exclude-invalid",)):
        code, out, err = report(capsys, book, tmp_path / "out", *more)
        assert code == EXIT_ERRORS
        assert "baca-tabel-wajib-hilang" in out and "Tabel wajib pus tidak ada" in out
        assert "register.xlsx, pus" in err and "Laporan TIDAK ditulis" in err
        assert files_in(tmp_path / "out") == []


def test_a_misspelled_required_column_names_the_column_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    text = (folder / "pus.csv").read_text(encoding="utf-8").replace("status_kb", "stauts_kb", 1)
    (folder / "pus.csv").write_text(text, encoding="utf-8")
    code, out, err = report(capsys, folder, tmp_path / "out", "--exclude-invalid", "--lang", "en")
    assert code == EXIT_ERRORS
    assert "Required column status_kb is missing from table pus" in out
    assert "column 'stauts_kb' may be meant" in out
    assert "Leaving rows out cannot fix this" in err
    assert files_in(tmp_path / "out") == []


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "rule"),
    [
        ("pus", 2, "kode_keluarga", "KK-TIDAK-ADA", "pus-keluarga-ada"),  # a PUS without family
        (
            "keluarga",
            2,
            "kode_wilayah",
            "36.71.99.1001",
            "kode-wilayah-dikenal",
        ),  # outside the city
        ("pus", 3, "status_kb", "SUNTK", "baca-kode-tidak-dikenal"),  # a method typo
        ("pus", 2, "tanggal_lahir_istri", "30/02/1990", "baca-tanggal"),  # 30 February
        ("pus", 2, "nama_istri", "x" * 1_001, "baca-sel-terlalu-panjang"),  # over the cell limit
    ],
)
def test_a_row_error_refuses_the_report_then_excluded_rows_are_stated_on_every_document(
    capsys: pytest.CaptureFixture[str],
    folder: Path,
    tmp_path: Path,
    table: str,
    row: int,
    column: str,
    value: str,
    rule: str,
) -> None:
    edit_csv(folder / f"{table}.csv", row, column, value)
    code, out, err = report(capsys, folder, tmp_path / "refused")
    assert code == EXIT_ERRORS
    assert (rule in out and f"{table}.csv" in out) or f"{table}, baris {row}" in out
    assert "--exclude-invalid" in err and "Laporan TIDAK ditulis" in err
    assert files_in(tmp_path / "refused") == []

    out_dir = tmp_path / "excluded"
    code, out, err = report(capsys, folder, out_dir, "--exclude-invalid", "--json")
    assert code == EXIT_OK, err
    result = json.loads(out)
    assert result["excluded"][0]["table"] == table and result["excluded"][0]["rows"] >= 1
    assert rule in result["excluded"][0]["reasons"]
    csv_file, xlsx_file = (Path(f["path"]) for f in result["files"])
    lines = csv_file.read_text(encoding="utf-8").splitlines()
    assert f"36.71,2026-10,baris_dikeluarkan,{table}.{rule}," in "\n".join(lines)
    wb = openpyxl.load_workbook(xlsx_file)
    text = " ".join(str(c) for ws in wb for r in ws.iter_rows(values_only=True) for c in r if c)
    assert "TIDAK dihitung" in text and f"tabel {table}" in text and rule in text


def test_rows_left_out_are_stated_on_the_kelurahan_report_with_its_own_count(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path, register
) -> None:  # type: ignore[no-untyped-def]
    # row 3 of pus.csv is the register's second PUS; its family says which kelurahan it is in
    family = register.keluarga_by_kode[register.pus[1].kode_keluarga]
    edit_csv(folder / "pus.csv", 3, "status_kb", "SUNTK")
    edit_csv(folder / "pus.csv", 4, "status_kb", "SUNTK")
    code, out, err = run(capsys, "report", str(folder), "--period", "2026-10", "--out",
                         str(tmp_path / "o"), "-e", "kelurahan-xlsx", "-e", "json",
                         "--level", "kelurahan", "--exclude-invalid", "--json")  # fmt: skip
    assert code == EXIT_OK, err
    files = [Path(f["path"]) for f in json.loads(out)["files"]]
    code_plain = family.kode_wilayah.replace(".", "")
    xlsx = next(p for p in files if p.name.startswith(code_plain) and p.suffix == ".xlsx")
    wb = openpyxl.load_workbook(xlsx)
    text = " ".join(str(c) for ws in wb for r in ws.iter_rows(values_only=True) for c in r if c)
    n_here = sum(
        1
        for p in register.pus[1:3]
        if register.keluarga_by_kode[p.kode_keluarga].kode_wilayah == family.kode_wilayah
    )
    assert "tabel pus 2 baris (baca-kode-tidak-dikenal: 2)" in text
    assert f"Dari kelurahan ini: tabel pus {n_here} baris" in text
    data = json.loads(
        next(p for p in files if p.name.startswith(code_plain) and p.suffix == ".json").read_text()
    )
    assert data["excluded"] == [
        {"table": "pus", "rows": 2, "reasons": [["baca-kode-tidak-dikenal", 2]]}
    ]


def test_a_table_over_max_rows_writes_nothing(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    code, out, _ = report(capsys, folder, tmp_path / "out", "--max-rows", "3", "--exclude-invalid")
    assert code == EXIT_ERRORS
    assert "baca-batas-baris" in out and "lebih dari 3 baris" in out
    assert "register-kosong" not in out  # the refused tables say why; no second, wrong reason
    assert files_in(tmp_path / "out") == []


def test_validate_without_a_register_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "--period", "2026-10", "--lang", "en")
    assert code == EXIT_ERRORS
    assert "register-kosong" in out and "holds no data rows" in out
    assert "Register is valid" not in out + err


def test_a_blank_template_neither_validates_nor_reports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blank = tmp_path / "blank.xlsx"
    assert run(capsys, "template", "register", "--out", str(blank))[0] == EXIT_OK
    code, out, _ = run(capsys, "validate", str(blank), "--period", "2026-10")
    assert code == EXIT_ERRORS and "register-kosong" in out
    code, out, _ = report(capsys, blank, tmp_path / "out", "--exclude-invalid")
    assert code == EXIT_ERRORS and "Register tidak berisi satu baris data pun" in out
    assert files_in(tmp_path / "out") == []


def test_validate_accepts_exclude_invalid_and_answers_what_report_would_do(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    edit_csv(folder / "pus.csv", 3, "status_kb", "SUNTK")
    code, _, err = run(capsys, "validate", str(folder), "--period", "2026-10")
    assert code == EXIT_ERRORS and "--exclude-invalid" in err
    code, out, err = run(capsys, "validate", str(folder), "--period", "2026-10",
                         "--exclude-invalid", "--json")  # fmt: skip
    assert code == EXIT_OK
    result = json.loads(out)
    assert result["exit_code"] == 0
    assert result["rows_excluded"] == [
        {"table": "pus", "rows": 1, "reasons": {"baca-kode-tidak-dikenal": 1}}
    ]


def test_report_json_lists_each_warning_once(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    # no configuration: the kota report has no signer, address or logo, which both of its
    # exporters warn about
    code, out, _ = run(capsys, "report", str(folder), "--period", "2026-10", "--out",
                       str(tmp_path / "o"), "-e", "kota-xlsx", "-e", "kota-pdf", "--level", "kota",
                       "--json")  # fmt: skip
    assert code == EXIT_OK
    warnings = json.loads(out)["warnings"]
    assert sorted(w["rule"] for w in warnings) == [
        "kop-alamat-belum-diisi", "kop-logo-belum-diisi", "penandatangan-belum-diisi",
    ]  # fmt: skip


# --- part 4: only regular files in, nothing outside --out ---------------------------------------


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _no_hang(fn):  # type: ignore[no-untyped-def]
    """Run ``fn`` in a thread; fail (instead of hanging the suite) if it has not ended in 60 s."""
    result: list[object] = []
    t = threading.Thread(target=lambda: result.append(fn()), daemon=True)
    t.start()
    t.join(60)
    assert not t.is_alive(), "the command hangs on a FIFO"
    return result[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_register_or_event_log_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    fifo = _fifo(tmp_path / "register.xlsx")
    code = _no_hang(lambda: main(["validate", str(fifo), "--period", "2026-10"]))
    _, err = capsys.readouterr()
    assert code == EXIT_INPUT and "register.xlsx" in err and "pipa bernama (FIFO)" in err
    events = _fifo(tmp_path / "events.jsonl")
    code = _no_hang(lambda: main(["report", str(folder), "--period", "2026-10", "--out",
                                  str(tmp_path / "o"), "--events", str(events), "--lang", "en"]))  # fmt: skip
    _, err = capsys.readouterr()
    assert code == EXIT_INPUT and "events.jsonl" in err and "named pipe (FIFO)" in err
    (folder / "pus.csv").unlink()
    _fifo(folder / "pus.csv")
    code = _no_hang(lambda: main(["validate", str(folder), "--period", "2026-10"]))
    _, err = capsys.readouterr()
    assert code == EXIT_INPUT and "pus.csv" in err
    assert files_in(tmp_path / "o") == []


def test_dev_zero_as_event_log_is_refused_not_read(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    code, _, err = run(capsys, "report", str(folder), "--period", "2026-10", "--out",
                       str(tmp_path / "o"), "--events", "/dev/zero")  # fmt: skip
    assert code == EXIT_INPUT and "/dev/zero" in err and "perangkat karakter" in err


def test_an_event_log_over_the_size_limit_is_refused(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    import sikkb.io.eventlog

    monkeypatch.setattr(sikkb.io.eventlog, "MAX_EVENT_LOG_BYTES", 100)
    log = tmp_path / "events.jsonl"
    log.write_text("\n" * 101, encoding="utf-8")
    code, _, err = run(capsys, "report", str(folder), "--period", "2026-10", "--out",
                       str(tmp_path / "o"), "--events", str(log), "--lang", "en")  # fmt: skip
    assert code == EXIT_INPUT and "events.jsonl" in err and "larger than 100 bytes" in err


def test_a_planted_symlink_in_out_is_refused(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    elsewhere = tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "kota").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = report(capsys, folder, out)
    assert code == EXIT_INPUT
    assert "kota" in err and "di luar folder keluaran" in err
    assert list(elsewhere.iterdir()) == []


def test_leftover_part_files_are_removed_by_the_next_run(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "kota").mkdir(parents=True)
    leftover = out / "kota" / ".3671_kota-tangerang_csv.csv.k2j4h1.part"
    leftover.write_bytes(b"half a report")
    other = out / "kota" / ".someone-elses.txt.abc.part"  # not a file this run writes: kept
    other.write_bytes(b"")
    code, out_text, err = report(capsys, folder, out, "--json")
    assert code == EXIT_OK, err
    assert not leftover.exists() and other.exists()
    assert all(not Path(f["path"]).name.endswith(".part") for f in json.loads(out_text)["files"])
    assert stat.S_ISREG((out / "kota" / "3671_kota-tangerang_csv.csv").stat().st_mode)


def test_a_form_left_out_is_stated_on_the_documents(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    from tests.cli.test_cli_inputs import form

    # PUS typed as 60, but PA (10) + HAMIL (3) = 13: the form breaks an identity of the report
    bad = form(
        capsys, tmp_path, {"pa.SUNTIK.PEMERINTAH": 10, "bukan_peserta.HAMIL": 3, "pus": 60}, "bad"
    )
    code, out, err = run(capsys, "report", str(folder), "--form", str(bad), "--period", "2026-10",
                         "--out", str(tmp_path / "o"), "-e", "csv", "-e", "kota-xlsx", "--level",
                         "kota", "--exclude-invalid", "--json")  # fmt: skip
    assert code == EXIT_OK, err
    result = json.loads(out)
    assert [e["table"] for e in result["excluded"]] == ["formulir"]
    assert result["excluded"][0]["rows"] == 1
    files = {Path(f["path"]).suffix: Path(f["path"]) for f in result["files"]}
    wb = openpyxl.load_workbook(files[".xlsx"])
    text = " ".join(str(c) for ws in wb for r in ws.iter_rows(values_only=True) for c in r if c)
    assert "TIDAK dihitung" in text and "formulir F/I/Dal 1 (" in text
    assert "baris_dikeluarkan,formulir," in files[".csv"].read_text(encoding="utf-8")
