"""The `sikkb` command: exit codes, messages in both languages, and no traceback ever."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from tests.cli.helpers import run
from tests.io.writers import write_csv_folder

from sikkb.cli import EXIT_ERRORS, EXIT_INPUT, EXIT_OK, main
from sikkb.demo import demo_city
from sikkb.periods import Period

OCT = Period(2026, 10)
KELURAHAN = "36.71.01.1001"  # Sukarasa, kecamatan Tangerang


@pytest.fixture(scope="module")
def small_register():  # type: ignore[no-untyped-def]
    return demo_city(OCT, scale=0.01, kelurahan=["36.71.01"])


@pytest.fixture
def valid_folder(tmp_path: Path, small_register) -> Path:  # type: ignore[no-untyped-def]
    return write_csv_folder(small_register, tmp_path / "register")


@pytest.fixture
def broken_folder(tmp_path: Path, small_register) -> Path:  # type: ignore[no-untyped-def]
    """The valid register with one PUS row broken: a method that needs a place, without one."""
    pus = list(small_register.pus)
    i = next(i for i, p in enumerate(pus) if p.metode is not None and p.metode.needs_place)
    pus[i] = attrs.evolve(pus[i], tempat_pelayanan=None)
    broken = attrs.evolve(small_register, pus=tuple(pus))
    return write_csv_folder(broken, tmp_path / "broken")


def test_schedule_october_2026_calendar_days(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schedule", "--period", "2026-10")
    assert code == EXIT_OK
    assert "Oktober 2026" in out
    # Steps 1-3 run 1-15 November, step 4 on the 16th, steps 5 and 6 on the 17th (SOP 050/391).
    assert "1. 2026-11-01 … 2026-11-15" in out
    assert "4. 2026-11-16 … 2026-11-16" in out
    assert "6. 2026-11-17 … 2026-11-17" in out


def test_schedule_json_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schedule", "--period", "2026-10", "--json", "--lang", "en")
    data = json.loads(out)
    assert code == EXIT_OK
    assert data["due"] == "2026-11-17"
    assert [s["step"] for s in data["steps"]] == [1, 2, 3, 4, 5, 6]


def test_validate_valid_register_exits_0(
    capsys: pytest.CaptureFixture[str], valid_folder: Path
) -> None:
    code, out, err = run(capsys, "validate", str(valid_folder), "--period", "2026-10")
    assert code == EXIT_OK, out + err
    assert "0 galat" in out
    assert "Register valid" in err


def test_validate_names_row_column_and_fix(
    capsys: pytest.CaptureFixture[str], broken_folder: Path
) -> None:
    code, out, _err = run(capsys, "validate", str(broken_folder), "--period", "2026-10")
    assert code == EXIT_ERRORS
    line = next(x for x in out.splitlines() if x.startswith("[ERROR]"))
    assert "pus" in line and "baris" in line and "tempat_pelayanan" in line and "saran:" in line
    code, out, _ = run(
        capsys, "validate", str(broken_folder), "--period", "2026-10", "--lang", "en"
    )
    assert "row" in out and "hint:" in out and "1 errors" in out


def test_validate_json_for_other_programs(
    capsys: pytest.CaptureFixture[str], broken_folder: Path
) -> None:
    code, out, _ = run(capsys, "validate", str(broken_folder), "--period", "2026-10", "--json")
    data = json.loads(out)
    assert code == EXIT_ERRORS and data["ok"] is False
    errors = [f for f in data["findings"] if f["severity"] == "ERROR"]
    assert len(errors) == 1
    assert errors[0]["table"] == "pus" and errors[0]["column"] == "tempat_pelayanan"
    assert errors[0]["message"]["id"] and errors[0]["message"]["en"]


def test_severity_override_and_disable(
    capsys: pytest.CaptureFixture[str], broken_folder: Path
) -> None:
    code, out, _ = run(capsys, "validate", str(broken_folder), "--period", "2026-10", "--json")
    rule = next(f["rule"] for f in json.loads(out)["findings"] if f["severity"] == "ERROR")
    code, _, _ = run(capsys, "validate", str(broken_folder), "--period", "2026-10",
                     "--severity", f"{rule}=WARNING")  # fmt: skip
    assert code == EXIT_OK
    code, _, _ = run(
        capsys, "validate", str(broken_folder), "--period", "2026-10", "--disable", rule
    )
    assert code == EXIT_OK
    code, _, err = run(
        capsys, "validate", str(broken_folder), "--period", "2026-10", "--disable", "no-such-rule"
    )
    assert code == EXIT_INPUT and "no-such-rule" in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["validate", "does-not-exist.xlsx", "--period", "2026-10"], "does-not-exist"),
        (["validate", "{folder}", "--period", "2026-13"], "2026-13"),
        (["schedule", "--period", "kemarin"], "kemarin"),
        (
            ["report", "{folder}", "--period", "2026-10", "--out", "{out}", "-e", "no-such"],
            "no-such",
        ),
    ],
)
def test_input_errors_exit_2_without_traceback(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    valid_folder: Path,
    argv: list[str],
    needle: str,
) -> None:
    args = [a.format(folder=valid_folder, out=tmp_path / "out") for a in argv]
    code, _out, err = run(capsys, *args)
    assert code == EXIT_INPUT
    assert needle in err


def test_a_renamed_pdf_is_refused_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fake = tmp_path / "register.xlsx"
    fake.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    code, _, err = run(capsys, "validate", str(fake), "--period", "2026-10")
    assert code == EXIT_INPUT
    assert "register.xlsx" in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["validate"])
    assert e.value.code == EXIT_INPUT
    assert main([]) == EXIT_INPUT


def test_report_refuses_rows_with_errors_unless_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, broken_folder: Path
) -> None:
    out_dir = tmp_path / "out"
    code, _, err = run(capsys, "report", str(broken_folder), "--period", "2026-10", "--out", str(out_dir),
                       "-e", "json", "-e", "csv")  # fmt: skip
    assert code == EXIT_ERRORS
    assert "--exclude-invalid" in err
    assert not out_dir.exists() or not any(out_dir.rglob("*.json"))
    code, out, err = run(capsys, "report", str(broken_folder), "--period", "2026-10", "--out", str(out_dir),
                         "-e", "json", "-e", "csv", "--exclude-invalid", "--json")  # fmt: skip
    assert code == EXIT_OK, err
    data = json.loads(out)
    assert data["rows_excluded"] == {"pus": 1}
    names = sorted(Path(f["path"]).name for f in data["files"])
    # 8 kelurahan of kecamatan Tangerang + the kecamatan + the kota, each as JSON and CSV.
    assert len(names) == 2 * (8 + 1 + 1)
    assert all(Path(f["path"]).stat().st_size > 0 for f in data["files"])


def test_report_never_overwrites_unless_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, valid_folder: Path
) -> None:
    argv = ["report", str(valid_folder), "--period", "2026-10", "--out", str(tmp_path / "o"), "-e", "json",
            "--level", "kota"]  # fmt: skip
    assert run(capsys, *argv)[0] == EXIT_OK
    code, _, err = run(capsys, *argv)
    assert code == EXIT_INPUT and "overwrite" in err.lower()
    assert run(capsys, *argv, "--overwrite")[0] == EXIT_OK


def test_exporters_lists_builtins_with_their_plugin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exporters", "--json")
    names = {e["name"]: e for e in json.loads(out)["exporters"]}
    assert code == EXIT_OK
    for name in ("bkkbn-xlsx", "bkkbn-pdf", "kota-xlsx", "kota-pdf", "kecamatan-pdf", "kelurahan-xlsx",
                 "json", "csv", "adx"):  # fmt: skip
        assert name in names
    assert "sikkb-builtin" in names["json"]["plugin"]


def test_template_is_read_back(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    code, _, _ = run(capsys, "template", "register", "--out", str(path), "--kelurahan", KELURAHAN)
    assert code == EXIT_OK and path.exists()
    # A blank template is a register with no rows: nothing to report, and no error.
    code, out, _ = run(capsys, "validate", str(path), "--period", "2026-10", "--json")
    data = json.loads(out)
    assert code == EXIT_OK and data["ok"] is True
    code, _, _err = run(capsys, "template", "register", "--out", str(path))
    assert code == EXIT_INPUT


def test_status_from_an_event_log(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import datetime as dt

    from sikkb.io.eventlog import append_event
    from sikkb.sop import EventKind, LifecycleEvent, content_hash

    wib = dt.timezone(dt.timedelta(hours=7))
    log = tmp_path / "events.jsonl"
    append_event(log, LifecycleEvent(unit=KELURAHAN, period=OCT, kind=EventKind.SUBMITTED, role="PPKBD",
                                     at=dt.datetime(2026, 11, 10, 9, 0, tzinfo=wib),
                                     content_hash=content_hash({"pus": 10})))  # fmt: skip
    code, out, _ = run(capsys, "status", "--period", "2026-10", "--events", str(log), "--as-of", "2026-11-20",
                       "--json")  # fmt: skip
    assert code == EXIT_OK
    data = json.loads(out)
    city = next(r for r in data["rates"] if r["code"] == "36.71")
    assert city["step"] == 4  # the SOP's report step: the PPKBD's submission
    assert (city["expected"], city["actual"], city["actual_on_time"]) == (104, 1, 1)
    # 103 kelurahan never submitted: steps 1-4 are overdue for each of them.
    assert len([r for r in data["overdue"] if r["step"] == 1]) == 103


def test_python_dash_m_works() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "sikkb", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("sikkb ")


def test_the_program_exits_with_everything_written(tmp_path: Path) -> None:
    """``python -m sikkb`` ends with os._exit (no teardown): standard output must still arrive
    whole and every file listed must be on disk whole, the XLSX ones written by worker
    processes included."""
    proc = subprocess.run(
        [sys.executable, "-m", "sikkb", "--json", "demo", "--out", str(tmp_path / "d"),
         "--scale", "0.005", "--kelurahan-reports", "sample", "-e", "json", "-e", "kota-xlsx"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # the whole JSON, flushed before the exit
    assert data["ok"] is True
    written = {f["path"]: f["bytes"] for f in data["files"]}
    assert any(p.endswith(".xlsx") for p in written) and any(p.endswith(".json") for p in written)
    for path, size in written.items():
        assert Path(path).stat().st_size == size
    assert not list((tmp_path / "d").rglob("*.part"))


def test_demo_writes_the_city_set(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "demo"
    argv = [
        "demo",
        "--out",
        str(out_dir),
        "--scale",
        "0.005",
        "--months",
        "2",
        "--kelurahan-reports",
        "none",
    ]
    code, out, err = run(capsys, *argv, "--json")
    assert code == EXIT_OK, err
    files = [Path(f["path"]) for f in json.loads(out)["files"]]
    # The city (Rek.Kab + the Walikota's report) and 13 kecamatan (Rek.Kec + the Camat's), XLSX and PDF.
    assert len(files) == 4 + 13 * 4
    assert all(p.stat().st_size > 0 for p in files)
    assert {p.suffix for p in files} == {".pdf", ".xlsx"}
    index = (out_dir / "DAFTAR-ISI.txt").read_text(encoding="utf-8")
    assert index.startswith("DATA CONTOH") and "2 bulan" in index
    data = json.loads(out)["data"]
    assert data == {
        "xlsx": str(out_dir / "data" / "register-2026-10.xlsx"),
        "csv": str(out_dir / "data" / "register-2026-10-csv"),
        "events": str(out_dir / "data" / "peristiwa-2026-10.jsonl"),
    }
    assert all(Path(p).exists() for p in data.values())
    assert run(capsys, *argv)[0] == EXIT_INPUT  # never overwrites without --overwrite


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, "narenas:1"),
        (
            "dirty_decay_ms:500,muzzy_decay_ms:1000",
            "dirty_decay_ms:500,muzzy_decay_ms:1000,narenas:1",
        ),
        ("narenas:4", "narenas:4"),  # the user's choice stays
    ],
)
def test_the_program_asks_polars_allocator_for_one_arena_per_two_cores(
    monkeypatch: pytest.MonkeyPatch, before: str | None, after: str
) -> None:
    cli_main = importlib.import_module("sikkb.cli.main")  # the package's main is the function

    monkeypatch.delitem(sys.modules, "polars", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    if before is None:
        monkeypatch.delenv("_RJEM_MALLOC_CONF", raising=False)
    else:
        monkeypatch.setenv("_RJEM_MALLOC_CONF", before)
    cli_main._tune_allocator()
    assert os.environ["_RJEM_MALLOC_CONF"] == after


def test_the_allocator_is_left_alone_once_polars_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    cli_main = importlib.import_module("sikkb.cli.main")  # the package's main is the function

    pytest.importorskip("polars")
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "dirty_decay_ms:500")
    cli_main._tune_allocator()  # too late: jemalloc read the variable when Polars was loaded
    assert os.environ["_RJEM_MALLOC_CONF"] == "dirty_decay_ms:500"
