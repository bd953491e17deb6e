"""Benchmark exporting the full city set: 104 kelurahan, 13 kecamatan and the city, XLSX and PDF.

Builds three months of the deterministic demo city (:mod:`sikkb.demo`, small scale: export time
does not depend on the register's size, only on the reports'), then writes with
:meth:`Registry.export_many` into a temporary folder and times it:

- ``unit``: the report each unit receives (SOP step 6): ``kelurahan-*`` for the 104 kelurahan,
  ``kecamatan-*`` for the 13 kecamatan, ``kota-*`` for the city — 118 XLSX + 118 PDF;
- ``bkkbn``: the BKKBN forms of the same 118 units (F/I/Dal, Rek.Kec, Rek.Kab) — 118 XLSX + 118 PDF.

Goal (issue 5): the ``unit`` set in ≤ 60 s on this machine. A progress line is printed to stderr
(the same callback the CLI's progress bar uses).

Run: ``python benchmarks/bench_export.py`` (``nox -s bench``); ``--sets unit`` for one set,
``--workers 1`` to compare with a single process, ``--markdown`` for a table row.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from sikkb.demo import demo_months
from sikkb.periods import Period
from sikkb.regions import Tingkat, kota_tangerang
from sikkb.report import Recap, VillageReport
from sikkb_exporters import ExportJob, ExportResult, ReportBundle, make_registry

PERIOD = Period(2026, 10)
SETS = {
    "unit": {
        Tingkat.KELURAHAN: "kelurahan",
        Tingkat.KECAMATAN: "kecamatan",
        Tingkat.KOTA: "kota",
    },
    "bkkbn": {Tingkat.KELURAHAN: "bkkbn", Tingkat.KECAMATAN: "bkkbn", Tingkat.KOTA: "bkkbn"},
}


def city_bundles(scale: float) -> list[ReportBundle]:
    """The bundles of the last month: every kelurahan, every kecamatan, the city; with history."""
    table = kota_tangerang()
    months = []
    for reg in demo_months(PERIOD, 3, scale=scale):
        villages = VillageReport.all_from_register(reg, exclude_invalid=True)
        months.append((villages, Recap.build_tree("36.71", reg.period, villages, table)))
    villages, tree = months[-1]
    past = [t for _, t in months[:-1]]
    past_villages = [{v.region: v for v in vs} for vs, _ in months[:-1]]
    out = [ReportBundle(report=tree["36.71"], history=[t["36.71"] for t in past])]
    out += [
        ReportBundle(report=tree[k.code], history=[t[k.code] for t in past])
        for k in table.kecamatan("36.71")
    ]
    out += [ReportBundle(report=v, history=[p[v.region] for p in past_villages]) for v in villages]
    return out


def jobs_for(bundles: list[ReportBundle], which: str, out: Path) -> list[ExportJob]:
    jobs = []
    for b in bundles:
        layout = SETS[which][b.level]
        for fmt in ("xlsx", "pdf"):
            path = out / which / f"{b.region_code.replace('.', '')}-{layout}.{fmt}"
            jobs.append(ExportJob(report=b, path=path, exporter=f"{layout}-{fmt}"))
    return jobs


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _progress(label: str) -> object:
    start = time.perf_counter()

    def show(done: int, total: int, result: ExportResult) -> None:
        elapsed = time.perf_counter() - start
        bar = "#" * (30 * done // total)
        sys.stderr.write(f"\r{label:<6} [{bar:<30}] {done}/{total} {elapsed:5.1f} s")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=["unit", "bkkbn"])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--markdown", action="store_true", help="print table rows for the docs")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    bundles = city_bundles(args.scale)
    setup = time.perf_counter() - t0
    registry = make_registry(load_entrypoints=False)
    rows = []
    with tempfile.TemporaryDirectory(prefix="sikkb-bench-") as tmp:
        for which in args.sets:
            jobs = jobs_for(bundles, which, Path(tmp))
            for folder in {j.path.parent for j in jobs}:
                folder.mkdir(parents=True, exist_ok=True)
            start, cpu0 = time.perf_counter(), _cpu()
            results = registry.export_many(jobs, workers=args.workers, progress=_progress(which))  # type: ignore[arg-type]
            wall, cpu = time.perf_counter() - start, _cpu() - cpu0
            pdf = [r for r in results if r.path.suffix == ".pdf"]
            size = sum(r.size for r in results) / 1e6
            rows.append((which, len(results), len(pdf), wall, cpu, size))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"setup (demo city, 3 months, reports and recaps): {setup:.1f} s; workers={args.workers}; "
          f"cores={os.cpu_count()}; load average at the end {load:.1f}")  # fmt: skip
    for which, n, n_pdf, wall, cpu, size in rows:
        print(f"{which:<6} {n} files ({n_pdf} PDF) in {wall:.1f} s wall, {cpu:.1f} s CPU "
              f"(≈ {cpu / args.workers:.1f} s on {args.workers} idle cores), {size:.1f} MB")  # fmt: skip
    if args.markdown:
        print("\n| set | files | PDF | workers | wall (s) | CPU (s) | CPU / workers (s) | MB |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for which, n, n_pdf, wall, cpu, size in rows:
            print(f"| {which} | {n} | {n_pdf} | {args.workers} | {wall:.1f} | {cpu:.1f} "
                  f"| {cpu / args.workers:.1f} | {size:.1f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
