"""A third-party exporter that fails is reported as that plugin's failure; the others still write.

The plugin ``rusak`` (``tests/cli/plugins``, distribution ``sikkb-rusak 0.1``) is found through
the ``sikkb`` entry-point group when its folder is on the path; ``$RUSAK_MODE`` chooses how its
exporter fails. The command runs in a subprocess: one mode kills its own process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.io.writers import write_csv_folder

from sikkb.demo import demo_city
from sikkb.periods import Period

PLUGINS = Path(__file__).parent / "plugins"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    register = demo_city(Period(2026, 10), scale=0.01, kelurahan=["36.71.01"])
    return write_csv_folder(register, tmp_path_factory.mktemp("plugins") / "register")


def sikkb(*argv: str, mode: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SIKKB_PLUGINS", "SIKKB_DISABLE_PLUGIN_AUTOLOAD")
    }
    environ.update(PYTHONPATH=os.pathsep.join([str(PLUGINS), *sys.path]), RUSAK_MODE=mode, **env)
    return subprocess.run([sys.executable, "-m", "sikkb", *argv], capture_output=True, text=True,
                          env=environ, timeout=300)  # fmt: skip


def report(
    folder: Path, out: Path, *more: str, mode: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return sikkb("report", str(folder), "--period", "2026-10", "--out", str(out), "-e", "csv",
                 "-e", "rusak", "--level", "kota", "--level", "kecamatan", *more, mode=mode, **env)  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "words_id", "words_en"),
    [
        ("raise", "ValueError: the template has no table", "ValueError: the template has no table"),
        ("exit", "memanggil SystemExit(0)", "called SystemExit(0)"),
        ("return", "write() mengembalikan sesuatu yang tidak sah", "returned int, not None"),
        ("kill", "proses pekerja berhenti mendadak", "the worker process died"),
        ("extra", "pip install 'sikkb-rusak[grafik]'", "pip install 'sikkb-rusak[grafik]'"),
    ],
)
def test_a_failing_exporter_fails_its_files_only_and_the_run_exits_2(
    folder: Path, tmp_path: Path, mode: str, words_id: str, words_en: str
) -> None:
    proc = report(folder, tmp_path / "id", mode=mode)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "laporkan ke pengelola" not in proc.stderr
    for unit in ("36.71 Kota Tangerang", "36.71.01 Tangerang"):
        assert (
            f"GAGAL: eksporter rusak (plugin 'rusak' (distribusi sikkb-rusak 0.1)) untuk {unit}"
            in proc.stderr
        )
    assert words_id in proc.stderr
    assert "2 berkas GAGAL ditulis, 2 berkas ditulis" in proc.stderr
    assert "--disable-plugin (rusak)" in proc.stderr
    written = sorted(p.name for p in (tmp_path / "id").rglob("*") if p.is_file())
    assert written == sorted(["3671_kota-tangerang_csv.csv", "367101_tangerang_csv.csv"])

    proc = report(folder, tmp_path / "en", "--json", "--lang", "en", mode=mode)
    assert proc.returncode == 2
    result = json.loads(proc.stdout)
    assert result["ok"] is False and result["exit_code"] == 2
    assert sorted(Path(f["path"]).name for f in result["files"]) == written
    failed = result["failed"]
    assert sorted(Path(f["path"]).name for f in failed) == sorted(
        ["3671_kota-tangerang_rusak.txt", "367101_tangerang_rusak.txt"])  # fmt: skip
    assert {(f["exporter"], f["plugin_name"]) for f in failed} == {("rusak", "rusak")}
    assert all("sikkb-rusak 0.1" in f["plugin"] for f in failed)
    assert all(words_en in f["message"]["en"] and f["message"]["id"] for f in failed)


def test_a_plugin_that_cannot_load_is_translated_and_can_be_switched_off(
    folder: Path, tmp_path: Path
) -> None:
    proc = sikkb("report", str(folder), "--period", "2026-10", "--out", str(tmp_path / "a"),
                 "-e", "csv", "--level", "kota", mode="load")  # fmt: skip
    assert proc.returncode == 2
    assert "plugin 'rusak' (distribusi sikkb-rusak 0.1) gagal dimuat" in proc.stderr
    assert "the plugin cannot start" in proc.stderr and "--disable-plugin rusak" in proc.stderr
    assert not (tmp_path / "a").exists()
    proc = sikkb("report", str(folder), "--period", "2026-10", "--out", str(tmp_path / "b"),
                 "-e", "csv", "--level", "kota", "--disable-plugin", "rusak", mode="load")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "b" / "kota" / "3671_kota-tangerang_csv.csv").is_file()
    # the allow-list: only the plugins named load (the built-ins always do)
    proc = sikkb("exporters", "--json", mode="load", SIKKB_PLUGINS="markdown")
    assert proc.returncode == 0, proc.stderr
    names = {e["name"] for e in json.loads(proc.stdout)["exporters"]}
    assert "markdown" in names and "csv" in names and "rusak" not in names


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_worker_processes_die_with_the_main_process(folder: Path, tmp_path: Path) -> None:
    environ = dict(os.environ, PYTHONPATH=os.pathsep.join([str(PLUGINS), *sys.path]),
                   RUSAK_MODE="sleep")  # fmt: skip
    code = (
        "import time, sikkb_rusak\n"
        "from sikkb_exporters import make_registry, ExportJob\n"
        "from sikkb.demo import demo_city\nfrom sikkb.pipeline import build_month\n"
        "import sikkb_rusak as r\n"
        "def slow(bundle, stream):\n    time.sleep(600)\n"
        "r.write.__code__ = slow.__code__\n"
        "m = build_month(demo_city('2026-10', scale=0.002, kelurahan=['36.71.01']))\n"
        f"jobs = [ExportJob(report=m.top, path='{tmp_path}/f%d.txt' % i, exporter='rusak') for i in range(4)]\n"
        "make_registry().export_all(jobs, workers=2)\n"
    )
    main = subprocess.Popen([sys.executable, "-c", code], env=environ)
    try:
        children: list[int] = []
        for _ in range(1800):  # up to three minutes on a busy machine
            time.sleep(0.1)
            children = _children(main.pid)
            if len(children) >= 2:
                break
        assert len(children) >= 2, "the pool did not start"
        os.kill(main.pid, signal.SIGKILL)  # a worker not yet initialised exits when it starts
        main.wait(30)
        for _ in range(300):
            if not any(_alive(pid) for pid in children):
                break
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children), "a worker outlived the main process"
    finally:
        if main.poll() is None:
            main.kill()


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
