"""One "as of" for a report set: `sikkb demo` writes documents that agree with each other.

Every coverage and timeliness figure of the set (Rek.Kab, the Walikota's report, each Rek.Kec and
Camat's report, the kelurahan feedback) is read back from the files written and compared with a
count made here, independently, from the demo's event log.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sikkb.cli import EXIT_OK, commands, main
from sikkb.demo import demo_events
from sikkb.periods import Period
from sikkb.regions import kota_tangerang
from sikkb.sop import EventKind, kota_tangerang_sop, schedule

OCT = Period(2026, 10)
# SOP 050/391: the October 2026 cycle is due on 17 November 2026; the demo counts three days later.
AS_OF = dt.date(2026, 11, 20)
AS_OF_TEXT = "per 20 November 2026"


def _independent_statuses() -> dict[str, str]:
    """Each kelurahan's report as of AS_OF from the raw events: on_time, late or missing.

    A report is on time when submitted by the on-time cut-off of the SOP's report step (step 4 of
    SOP 050/391, "laporan masuk": 16 November 2026 for October).
    """
    sop = kota_tangerang_sop()
    cut_off = schedule(sop, sop.calendar, OCT).step(4).on_time_until
    assert cut_off == dt.date(2026, 11, 16)
    by_unit: dict[str, list[Any]] = {}
    for e in demo_events(OCT):
        if e.local_date(sop.tzinfo) <= AS_OF:
            by_unit.setdefault(e.unit, []).append(e)
    out = {}
    for k in kota_tangerang().kelurahan():
        submitted: dt.date | None = None
        for e in sorted(by_unit.get(k.code, []), key=lambda e: e.at):
            if e.kind is EventKind.SUBMITTED:
                submitted = e.local_date(sop.tzinfo)
            elif e.kind is EventKind.RETURNED:
                submitted = None
        if submitted is None:
            out[k.code] = "missing"
        else:
            out[k.code] = "on_time" if submitted <= cut_off else "late"
    return out


def _rows(path: Path, sheet: str | None = None) -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path)
    sheets = [wb[sheet]] if sheet else list(wb)
    return [r for ws in sheets for r in ws.iter_rows(values_only=True)]


def _text(path: Path) -> str:
    return " ".join(str(c) for r in _rows(path) for c in r if c is not None)


def _coverage_kelurahan(path: Path) -> tuple[int, int]:
    """(expected, reported) of the Kelurahan/Desa row of a Rek's CAKUPAN LAPORAN table."""
    for r in _rows(path):
        cells = [c for c in r if c is not None]
        if len(cells) >= 4 and cells[1] == "Kelurahan/Desa" and isinstance(cells[2], int):
            return cells[2], cells[3]
    raise AssertionError(f"no coverage row in {path.name}")


def _timeliness(path: Path) -> tuple[list[tuple[Any, ...]], tuple[Any, ...]]:
    """The unit rows and the JUMLAH row of the Ketepatan sheet: (name, expected, received, on time,
    late, not received)."""
    units, total = [], None
    for r in _rows(path, "Ketepatan"):
        cells = [c for c in r if c is not None]
        if len(cells) >= 7 and cells[0] == "JUMLAH":
            total = ("JUMLAH", *cells[1:6])
        elif len(cells) >= 8 and str(cells[0]).isdigit() and isinstance(cells[2], int):
            units.append((cells[1], *cells[2:7]))
    assert total is not None, path.name
    return units, total


@pytest.fixture(scope="module")
def demo_set(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("set") / "demo"
    real = commands._exporter_names
    mp = pytest.MonkeyPatch()
    # the XLSX of each document (its PDF renders the same Document; PDFs only make this slower)
    mp.setattr(commands, "_exporter_names",
               lambda registry, req: [n for n in real(registry, req) if n.endswith("-xlsx")])  # fmt: skip
    stdout = io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout):
            code = main(["demo", "--out", str(out), "--scale", "0.003", "--months", "2",
                         "--kelurahan-reports", "sample", "--json", "-q"])  # fmt: skip
    finally:
        mp.undo()
    assert code == EXIT_OK
    summary = json.loads(stdout.getvalue())
    assert summary["as_of"] == AS_OF.isoformat() and not summary["failed"]
    files = {Path(f["path"]).name: Path(f["path"]) for f in summary["files"]}
    assert files == {p.name: p for p in out.rglob("*.xlsx")}
    return files


def test_every_document_prints_the_one_as_of_date(demo_set: dict[str, Path]) -> None:
    assert len(demo_set) > 20
    for name, path in demo_set.items():
        assert f"Cakupan dan ketepatan waktu laporan {AS_OF_TEXT}" in _text(path), name


def test_city_documents_agree_with_each_other_and_with_the_event_log(
    demo_set: dict[str, Path],
) -> None:
    statuses = _independent_statuses()
    counts = Counter(statuses.values())
    received = counts["on_time"] + counts["late"]
    assert 0 < received < 104  # the demo log has reports missing: the check is not trivial
    rek_kab = demo_set["3671_kota-tangerang_bkkbn-xlsx.xlsx"]
    walikota = demo_set["3671_kota-tangerang_kota-xlsx.xlsx"]
    assert _coverage_kelurahan(rek_kab) == (104, received)
    _, total = _timeliness(walikota)
    assert total == ("JUMLAH", 104, received, counts["on_time"], counts["late"], counts["missing"])


def test_each_kecamatan_rek_and_report_agree_and_list_every_kelurahan(
    demo_set: dict[str, Path],
) -> None:
    statuses = _independent_statuses()
    regions = kota_tangerang()
    checked = 0
    for kec in regions.kecamatan():
        plain = kec.code.replace(".", "")
        rek = next(
            (p for n, p in demo_set.items() if n.startswith(plain + "_") and "bkkbn" in n), None
        )
        camat = next(
            (p for n, p in demo_set.items() if n.startswith(plain + "_") and "kecamatan-xlsx" in n),
            None,
        )
        if rek is None:
            continue  # no kelurahan of it reported: no report for it
        assert camat is not None
        kel = regions.kelurahan(kec.code)
        mine = Counter(statuses[k.code] for k in kel)
        got = mine["on_time"] + mine["late"]
        assert _coverage_kelurahan(rek) == (len(kel), got)
        units, total = _timeliness(camat)
        assert total == ("JUMLAH", len(kel), got, mine["on_time"], mine["late"], mine["missing"])
        # one row per kelurahan, above the total, with its own status
        assert [u[0] for u in units] == [k.name for k in kel]
        for k, u in zip(kel, units, strict=True):
            s = statuses[k.code]
            assert u[1:] == (1, int(s != "missing"), int(s == "on_time"), int(s == "late"),
                             int(s == "missing")), k.name  # fmt: skip
        checked += 1
    assert checked >= 10


def test_each_kelurahan_document_states_its_own_report_status(demo_set: dict[str, Path]) -> None:
    statuses = _independent_statuses()
    words = {"on_time": "masuk tepat waktu", "late": "masuk terlambat"}
    seen = 0
    for k in kota_tangerang().kelurahan():
        plain = k.code.replace(".", "")
        for name, path in demo_set.items():
            if name.startswith(plain + "_") and "kelurahan-xlsx" in name:
                assert statuses[k.code] != "missing"  # a report not received is not in the set
                assert f"Laporan kelurahan ini {AS_OF_TEXT}: {words[statuses[k.code]]}." in _text(
                    path
                )
                seen += 1
    assert seen >= 5


def test_report_with_an_event_log_counts_as_of_the_date_and_warns_where_the_data_disagrees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.io.writers import write_csv_folder

    from sikkb.demo import demo_city
    from sikkb.io.eventlog import event_to_dict

    kec = "36.71.01"
    register = demo_city(OCT, scale=0.01, kelurahan=[kec])
    folder = write_csv_folder(register, tmp_path / "register")
    kelurahan = [k.code for k in kota_tangerang().kelurahan(kec)]
    silent = kelurahan[0]  # its data is in the register, its report is not in the log
    events = [e for e in demo_events(OCT, kelurahan=[kec]) if e.unit != silent]
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(event_to_dict(e)) + "\n" for e in events), encoding="utf-8")
    statuses = {k: s for k, s in _independent_statuses().items() if k in kelurahan}
    statuses[silent] = "missing"
    counts = Counter(statuses.values())
    code = main(["report", str(folder), "--period", "2026-10", "--out", str(tmp_path / "o"),
                 "-e", "bkkbn-xlsx", "-e", "kecamatan-xlsx", "--level", "kecamatan",
                 "--events", str(log), "--as-of", AS_OF.isoformat(), "--json"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == EXIT_OK, err
    assert f"{silent} ada dalam data, tetapi menurut log peristiwa laporannya belum diterima" in err
    files = {Path(f["path"]).name: Path(f["path"]) for f in json.loads(out)["files"]}
    rek = files["367101_tangerang_bkkbn-xlsx.xlsx"]
    camat = files["367101_tangerang_kecamatan-xlsx.xlsx"]
    received = counts["on_time"] + counts["late"]
    assert _coverage_kelurahan(rek) == (len(kelurahan), received)
    units, total = _timeliness(camat)
    assert total == ("JUMLAH", len(kelurahan), received, counts["on_time"], counts["late"],
                     counts["missing"])  # fmt: skip
    assert units[0][1:] == (1, 0, 0, 0, 1)  # the silent kelurahan: not received
    for path in (rek, camat):
        assert f"Cakupan dan ketepatan waktu laporan {AS_OF_TEXT} (sumber: log peristiwa" in _text(
            path
        )
