"""Benchmark reading the city's register from an XLSX workbook: record reader against calamine (#10).

The workbook is the city's synthetic clean month (:mod:`sikkb.columnar.synthetic`, seeded, 400,400
families, about 324,000 PUS), written once with :func:`sikkb.io.write_register_xlsx` (dates as
date cells, text as text, as ``sikkb demo`` writes ``data/register-2026-10.xlsx``), or any workbook
given with ``--workbook`` (e.g. the demo's). It is then read, interleaved ``--runs`` times, by

- ``records``: ``read_register(path, period, engine="records")``: the hardened streaming parser,
  one record per row;
- ``calamine``: ``read_register(path, period, engine="columnar")``: the record reader's checks and
  scan, calamine's parse and the columnar typing (:mod:`sikkb.columnar.xlsx`).

Wall times (one process, median of the runs) and their ratio are printed; both results must be
equal (findings, counts, untyped rows, every table).

Run: ``python benchmarks/bench_xlsx.py`` (``nox -s bench``); ``--runs 3`` by default.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sikkb.columnar.synthetic import synthetic_register
from sikkb.columnar.xlsx import available
from sikkb.io import write_register_xlsx
from sikkb.io.reader import ReadResult, read_register
from sikkb.periods import Period
from sikkb.regions import kota_tangerang
from sikkb.register import TABLES

PERIOD = Period(2026, 10)
CITY_FAMILIES = 400_400


def _workbook(folder: Path) -> Path:
    path = folder / "register-city.xlsx"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        codes = [r.code for r in kota_tangerang().kelurahan()]
        reg = synthetic_register(PERIOD, codes, families=CITY_FAMILIES, seed=10)
        write_register_xlsx(reg.to_register(), path)
    return path


def _same(a: ReadResult, b: ReadResult) -> bool:
    return (
        a.findings == b.findings
        and a.counts == b.counts
        and a.untyped == b.untyped
        and all(a.register.table(t) == b.register.table(t) for t in TABLES)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workbook", type=Path, default=None)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "sikkb-bench")
    args, _ = parser.parse_known_args(argv)  # nox passes every benchmark the same arguments
    if not available():
        print("python-calamine is not installed: pip install 'sikkb[polars]'")
        return 1
    path = args.workbook or _workbook(args.data)
    times: dict[str, list[float]] = {"records": [], "calamine": []}
    results: dict[str, ReadResult] = {}
    for run in range(args.runs):
        order = ["records", "calamine"] if run % 2 == 0 else ["calamine", "records"]
        for name in order:
            engine = "records" if name == "records" else "columnar"
            start = time.perf_counter()
            results[name] = read_register(path, PERIOD, engine=engine)
            times[name].append(time.perf_counter() - start)
    records, calamine = (statistics.median(times[n]) for n in ("records", "calamine"))
    rows = sum(c.rows for c in results["records"].counts)
    print(f"XLSX {path.name}: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB")
    print(
        f"  records  {records:6.1f} s   (runs: {', '.join(f'{t:.1f}' for t in times['records'])})"
    )
    print(
        f"  calamine {calamine:6.1f} s   (runs: {', '.join(f'{t:.1f}' for t in times['calamine'])})"
    )
    print(f"  ratio records / calamine: {records / calamine:.1f} x")
    same = _same(results["records"], results["calamine"])
    print(f"  same result: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
