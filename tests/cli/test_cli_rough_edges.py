"""The command line's rough edges a new user met (issue #13), each fixed and kept fixed."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli.helpers import run

from sikkb.cli import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, main
from sikkb.cli import _messages as M
from sikkb.cli._ui import UI, Progress, percent_done
from sikkb.cli.main import EXIT_PIPE


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as e:
        main(list(argv))
    assert e.value.code == EXIT_INPUT
    out, err = capsys.readouterr()
    return out + err


# --- global options before or after the subcommand -------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--lang", "en", "--json", "schedule", "--period", "2026-10"],
        ["schedule", "--period", "2026-10", "--lang", "en", "--json"],
        ["--json", "schedule", "--lang", "en", "--period", "2026-10"],
    ],
)
def test_global_options_go_before_or_after_the_subcommand(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, _ = run(capsys, *argv)
    assert code == EXIT_OK
    assert json.loads(out)["due"] == "2026-11-17"


def test_an_option_before_the_subcommand_is_not_undone_by_its_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--lang", "en", "schedule", "--period", "2026-10")
    assert code == EXIT_OK
    assert out.startswith("SOP 050/391 C-SKIT schedule for period October 2026")


def test_lang_en_help_before_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["--lang", "en", "--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: sikkb") and "show this help message and exit" in out


# --- a closed pipe --------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_a_closed_pipe_ends_quietly(extra: list[str]) -> None:
    """``sikkb schedule ... | head -0``: the reader is gone before sikkb writes."""
    proc = subprocess.Popen([sys.executable, "-m", "sikkb", "schedule", "--period", "2026-10",
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the interpreter has even started: every write meets EPIPE
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == EXIT_PIPE
    assert err == ""


# --- Indonesian everywhere in Indonesian mode --------------------------------------------------


def test_argparse_speaks_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    text = usage_error(capsys, "schedule", "--period", "2026-10", "--bogus")
    assert "argumen tidak dikenal: --bogus" in text and "penggunaan: sikkb" in text
    assert "unrecognized" not in text and "usage:" not in text
    text = usage_error(capsys, "report", "--period", "2026-10", "--out", "x", "--level", "kab")
    assert "pilihan 'kab' tidak valid" in text and "invalid choice" not in text
    text = usage_error(capsys, "status", "--period", "2026-10")
    assert "argumen berikut wajib diisi: --events" in text and "required" not in text
    text = usage_error(capsys, "demo", "--months", "dua")
    assert "nilai int tidak valid: 'dua'" in text


def test_argparse_speaks_english_with_lang_en(capsys: pytest.CaptureFixture[str]) -> None:
    text = usage_error(capsys, "report", "--lang", "en", "--period", "2026-10", "--out", "x",
                       "--level", "kab")  # fmt: skip
    assert "invalid choice: 'kab'" in text and "sikkb report: error:" in text


def test_missing_inputs_are_said_in_indonesian(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "report", "--period", "2026-10", "--out", str(tmp_path / "out"))
    assert code == EXIT_INPUT
    assert "berikan paling sedikit satu register (REGISTER) atau formulir terisi" in err
    assert "give at least" not in err
    code, _, err = run(capsys, "template", "form", "--out", str(tmp_path / "f.xlsx"))
    assert code == EXIT_INPUT
    assert "templat formulir memerlukan --kelurahan dan --period" in err and "needs" not in err
    from sikkb.demo import demo_city
    from sikkb.io.register_write import write_register_csv

    reg = write_register_csv(demo_city("2026-10", scale=0.002, kelurahan=["36.71.07.1003"]),
                             tmp_path / "reg")  # fmt: skip
    code, _, err = run(capsys, "validate", str(reg), "--period", "2026-10",
                       "--severity", "umur-istri")  # fmt: skip
    assert code == EXIT_INPUT and "--severity ditulis ATURAN=TINGKAT" in err


def test_a_bad_event_log_is_said_in_indonesian(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text('{"v": 1, "unit": \n', encoding="utf-8")
    argv = ["status", "--period", "2026-10", "--events", str(log), "--as-of", "2026-11-20"]
    code, _, err = run(capsys, *argv)
    assert code == EXIT_INPUT
    assert f"log peristiwa {log}:1: bukan JSON yang valid (kolom 18)" in err
    assert "Expecting" not in err and "not valid JSON" not in err
    code, _, err = run(capsys, *argv, "--lang", "en")
    assert "not valid JSON (Expecting value, column 18)" in err
    code, _, err = run(capsys, "status", "--period", "2026-10", "--events", str(log),
                       "--as-of", "20-11-2026")  # fmt: skip
    assert code == EXIT_INPUT and "--as-of '20-11-2026' bukan tanggal: tulis YYYY-MM-DD" in err


# --- one number format ------------------------------------------------------------------------


def test_status_prints_percentages_the_indonesian_way(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from sikkb.demo import demo_events
    from sikkb.io.eventlog import write_events

    log = write_events(tmp_path / "log.jsonl", demo_events("2026-10", kelurahan=["36.71.02"]))
    code, out, _ = run(capsys, "status", "--period", "2026-10", "--events", str(log),
                       "--as-of", "2026-11-20")  # fmt: skip
    assert code == EXIT_OK
    # Jatiuwung has 6 kelurahan, all 6 submitted in this seed; 5 of them on time (5/6 = 83,3 %)
    assert "langkah 4: 6/6 melapor (100,0 %), tepat waktu 5 (83,3 %)" in out
    assert "." not in out.split("36.71.02", 1)[1].split("\n")[0].split("melapor")[1]
    for lang in ("id", "en"):
        code, out, _ = run(capsys, "status", "--period", "2026-10", "--events", str(log),
                           "--as-of", "2026-11-20", "--lang", lang)  # fmt: skip
        assert not re.search(r"\d%", out) and "(100,0 %)" in out


def test_counts_in_messages_are_grouped_the_indonesian_way_and_singular_when_one() -> None:
    en, id_ = UI(lang="en"), UI(lang="id")
    assert en.t(M.READ_DONE, path="r.xlsx", rows=12345, bad=1) == (
        "r.xlsx: 12.345 rows read (1 row could not be read)"
    )
    assert en.t(M.READ_DONE, path="r.xlsx", rows=1, bad=0) == "r.xlsx: 1 row read (0 rows could not be read)"  # fmt: skip
    assert id_.t(M.READ_DONE, path="r.xlsx", rows=1, bad=0) == "r.xlsx: 1 baris dibaca (0 baris tidak dapat dibaca)"  # fmt: skip
    assert en.t(M.WROTE, n=1, out="o") == "1 file written to o"
    assert id_.t(M.WROTE, n=1234, out="o") == "1.234 berkas ditulis ke o"


def test_validate_says_1_row_not_1_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from sikkb.demo import demo_city
    from sikkb.io.register_write import write_register_csv

    reg = demo_city("2026-10", scale=0.002, kelurahan=["36.71.07.1003"])
    folder = write_register_csv(reg, tmp_path / "reg")
    code, _, err = run(capsys, "validate", str(folder), "--period", "2026-10", "--lang", "en")
    rows = len(reg.keluarga) + len(reg.pus) + len(reg.institusi) + len(reg.kegiatan)
    assert code == EXIT_OK
    assert f"{rows} rows read (0 rows could not be read)" in err
    assert "1 rows" not in err


# --- progress -------------------------------------------------------------------------------


def test_progress_rounds_and_reaches_100_only_when_done() -> None:
    assert [percent_done(d, 12) for d in (1, 5, 6, 11, 12)] == [8, 42, 50, 92, 100]
    assert percent_done(999, 1000) == 99 and percent_done(0, 3) == 0
    stream = io.StringIO()
    with Progress(12, "Menulis", stream=stream) as p:
        for _ in range(12):
            p.advance()
    lines = stream.getvalue().splitlines()
    assert "Menulis: 5/12 (42 %)" in lines and lines[-1] == "Menulis: 12/12 (100 %)"
    stream = io.StringIO()
    with Progress(2000, "Menulis", stream=stream) as p:
        p.advance(1999)
    assert stream.getvalue() == "Menulis: 1.999/2.000 (99 %)\n"


# --- output folders ---------------------------------------------------------------------------


def test_demo_refuses_an_existing_output_before_building_anything(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sikkb.demo

    def not_now(*args: object, **kwargs: object) -> None:
        raise AssertionError("the demo city was built before the refusal")

    monkeypatch.setattr(sikkb.demo, "demo_months", not_now)
    out = tmp_path / "sikkb-demo"
    (out / "kota").mkdir(parents=True)
    code, _, err = run(capsys, "demo", "--out", str(out))
    assert code == EXIT_INPUT
    assert f"folder {out} sudah berisi keluaran demo (kota); pakai --overwrite" in err
    (out / "catatan-saya.txt").write_text("mine")  # a folder with other files is fine ...
    (out / "kota").rmdir()
    code, _, err = run(capsys, "demo", "--out", str(out), "--quiet")  # ... so the building starts
    assert code == EXIT_INTERNAL and "(AssertionError)" in err


@pytest.mark.parametrize("exists", [True, False])
def test_out_naming_a_file_is_refused_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exists: bool
) -> None:
    target = tmp_path / "x.xlsx"
    if exists:
        target.write_bytes(b"")
    code, _, err = run(capsys, "report", str(tmp_path), "--period", "2026-10",
                       "--out", str(target), "--lang", "en")  # fmt: skip
    assert code == EXIT_INPUT
    assert "x.xlsx/kecamatan" not in err
    expected = "this is a file, not a folder" if exists else "--out is the output folder, not a .xlsx file name"  # fmt: skip
    assert expected in err and "--bundle" in err


# --- a sample register ------------------------------------------------------------------------


def test_template_register_sample_is_a_valid_small_register(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("openpyxl")
    from sikkb.demo import demo_city
    from sikkb.io.reader import read_register

    out = tmp_path / "contoh.xlsx"
    code, _, _ = run(capsys, "template", "register", "--sample", "--out", str(out))
    assert code == EXIT_OK
    read = read_register(out, "2026-10")
    assert not read.findings.has_errors
    expected = demo_city("2026-10", scale=0.01, kelurahan=["36.71.01.1001"])
    assert [p.nik_istri for p in read.register.pus] == [p.nik_istri for p in expected.pus]
    assert len(read.register.keluarga) == len(expected.keluarga) > 10
    assert read.register.kelurahan_codes == ("36.71.01.1001",)
    code, _, err = run(capsys, "validate", str(out), "--period", "2026-10")
    assert code == EXIT_OK and "Register valid" in err
