"""The README's examples run as written: its Python example and its three CLI lines, on the demo's
register and event log (the demo itself at a small scale, XLSX only, to keep the test quick)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def _sikkb(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    argv = line.split()
    assert argv[0] == "sikkb", line
    return subprocess.run([sys.executable, "-m", "sikkb", *argv[1:]], cwd=cwd, text=True,
                          capture_output=True, timeout=600, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("openpyxl")
    pytest.importorskip("weasyprint")
    cwd = tmp_path_factory.mktemp("readme")
    done = _sikkb("sikkb demo --out sikkb-demo --scale 0.01 --months 1 --kelurahan-reports none "
                  "-e kota-xlsx --quiet", cwd)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return cwd


def test_the_readme_shows_three_cli_lines_on_the_demo_data() -> None:
    lines = [ln for b in _blocks("bash") for ln in b.splitlines() if ln.startswith("sikkb ")]
    assert [ln.split()[1] for ln in lines] == ["validate", "report", "status"]
    assert all("sikkb-demo/data/" in ln for ln in lines)


def test_the_three_cli_lines_run_as_written(demo_dir: Path) -> None:
    lines = [ln for b in _blocks("bash") for ln in b.splitlines() if ln.startswith("sikkb ")]
    validate, report, status = (_sikkb(ln, demo_dir) for ln in lines)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "0 galat" in validate.stdout
    assert report.returncode == 0, report.stdout + report.stderr
    written = sorted(p.name for p in (demo_dir / "laporan" / "kota").iterdir())
    assert written == [f"3671_kota-tangerang_{n}" for n in
                       ("bkkbn-pdf.pdf", "bkkbn-xlsx.xlsx", "kota-pdf.pdf", "kota-xlsx.xlsx")]  # fmt: skip
    assert status.returncode == 0, status.stdout + status.stderr
    # a line per kecamatan (13) and one for the city, whose 104 kelurahan are expected
    rate_lines = [ln for ln in status.stdout.splitlines() if "langkah 4:" in ln]
    assert len(rate_lines) == 14, status.stdout
    assert re.search(r"36\.71 .*/104 melapor \(\d+,\d %\)", status.stdout), status.stdout


def test_the_readme_python_example_runs_as_written(demo_dir: Path) -> None:
    (code,) = _blocks("python")
    done = subprocess.run([sys.executable, "-c", code], cwd=demo_dir, text=True,
                          capture_output=True, timeout=600, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    pa, pus = (int(x) for x in done.stdout.split()[-2:])
    events = (demo_dir / "sikkb-demo" / "data" / "peristiwa-2026-10.jsonl").read_text()
    assert all(json.loads(line)["period"] == "2026-10" for line in events.splitlines())
    assert 0 < pa < pus
    assert (demo_dir / "rek-kab.pdf").read_bytes().startswith(b"%PDF")


def test_the_demo_writes_the_register_it_reported_as_xlsx_and_csv(demo_dir: Path) -> None:
    from sikkb.demo import demo_city
    from sikkb.io.reader import read_register

    data = demo_dir / "sikkb-demo" / "data"
    # the month is built from the kelurahan whose report was received (submitted) by the demo's
    # "as of" date, so the register written holds those, each as the demo city generates it
    events = [
        json.loads(line) for line in (data / "peristiwa-2026-10.jsonl").read_text().splitlines()
    ]
    submitted = {e["unit"] for e in events if e["kind"] == "SUBMITTED"}
    kelurahan = read_register(data / "register-2026-10-csv", "2026-10").register.kelurahan_codes
    assert 80 < len(kelurahan) < 104 and set(kelurahan) <= submitted
    expected = demo_city("2026-10", scale=0.01, kelurahan=kelurahan)
    for path in (data / "register-2026-10.xlsx", data / "register-2026-10-csv"):
        read = read_register(path, "2026-10")
        assert not read.findings.has_errors, path
        for table in ("keluarga", "pus", "institusi", "kegiatan"):
            got = [attrs_without_row(r) for r in read.register.table(table)]
            assert got == [attrs_without_row(r) for r in expected.table(table)], (path, table)
    index = (demo_dir / "sikkb-demo" / "DAFTAR-ISI.txt").read_text(encoding="utf-8")
    assert "data/register-2026-10.xlsx" in index and "data/peristiwa-2026-10.jsonl" in index


def attrs_without_row(record: object) -> dict[str, object]:
    import attrs

    return {k: v for k, v in attrs.asdict(record, recurse=False).items() if k != "row"}
