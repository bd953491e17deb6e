"""Benchmark the national month from Parquet partitions (issue 10): 70 million families.

Builds (once, cached under ``--data``) the synthetic country: the region table of
:func:`sikkb.columnar.synthetic.synthetic_regions` (38 provinces, 514 kab/kota, 7,300 kecamatan,
83,700 desa/kelurahan) and ``--families`` families (default 70 million; 0.54 PUS per family, 38
million PUS) shared among the provinces by their number of villages, written as one Parquet
register folder per province (:func:`~sikkb.columnar.synthetic.write_country`). Then, in a fresh
process, times :func:`sikkb.columnar.partitioned.month_by_partition`: every partition read, every
rule of the pack run, every village report computed, the cross-partition uniqueness check, and
the recaps of every kecamatan, kab/kota, province and the country. Prints wall time, CPU time and
the process's peak RSS (``wait4``), and the national PUS and PA totals.

Run: ``python benchmarks/bench_national.py`` (``nox -s bench``); ``--families 7000000`` for a
tenth of the country.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CHILD = """
import json, sys, time
t0 = time.perf_counter()
from sikkb.columnar.partitioned import month_by_partition
from sikkb.columnar.synthetic import synthetic_regions
root, seed, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
regions = synthetic_regions(seed=seed)
t1 = time.perf_counter()
seen = []
def progress(name, done, total):
    seen.append((name, round(time.perf_counter() - t1, 1)))
month = month_by_partition(root, "2026-10", regions, progress=progress, workers=workers)
t2 = time.perf_counter()
n = month.national
print(json.dumps({
    "regions_s": t1 - t0, "month_s": t2 - t1, "partitions": len(month.partitions),
    "rows": dict(month.rows), "findings": len(month.findings), "exit_code": month.outcome.exit_code,
    "villages": month.villages.height,
    "recaps": {k: f.height for k, f in month.recaps.items()},
    "pus": n["pus"], "pa": n["pa"], "progress": seen,
}))
"""


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants (from /proc), in KiB."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        pid = int(entry)
        parent[pid] = int(fields["PPid"])
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(p for p, pp in parent.items() if pp == pid)
    return total


def _sample_tree(pid: int, peak: list[int]) -> None:
    while os.path.exists(f"/proc/{pid}") and _tree_rss_kb(pid):
        peak[0] = max(peak[0], _tree_rss_kb(pid))
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--families", type=int, default=70_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "sikkb-bench")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="partitions computed at once")
    args = parser.parse_args(argv)

    root = args.data / f"national-{args.families}"
    if not (root / ".done").exists():
        from sikkb.columnar.synthetic import synthetic_regions, write_country
        from sikkb.periods import Period

        t0 = time.perf_counter()
        regions = synthetic_regions(seed=args.seed)
        write_country(root, Period(2026, 10), regions, families=args.families, seed=args.seed)
        (root / ".done").write_text("")
        print(f"generated {args.families:,} families in {time.perf_counter() - t0:.0f} s")
    size = sum(f.stat().st_size for f in root.rglob("*.parquet")) / 1e6
    for _ in range(args.runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(root), str(args.seed), str(args.workers)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        peak = [0]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peak), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
        if status != 0:
            raise SystemExit(err[-3000:])
        r = json.loads(out)
        print(f"national month: {r['rows'].get('keluarga', 0):,} families, "
              f"{r['rows'].get('pus', 0):,} PUS in {r['partitions']} partitions ({size:,.0f} MB "
              f"Parquet); {r['villages']:,} village reports, recaps {r['recaps']}; "
              f"{r['findings']} findings, exit {r['exit_code']}; PUS {r['pus']:,}, PA {r['pa']:,}")  # fmt: skip
        print(f"  wall {wall:.1f} s (month {r['month_s']:.1f} s, region table {r['regions_s']:.1f} s,"
              f" imports and start the rest), CPU {children.ru_utime + children.ru_stime:.1f} s "
              f"(all processes), peak RSS {usage.ru_maxrss / 1024:,.0f} MB (main process), "
              f"{peak[0] / 1024:,.0f} MB (all processes together, sampled every 0.2 s); "
              f"workers={args.workers}, cores={os.cpu_count()}, load {os.getloadavg()[0]:.1f}")  # fmt: skip
        slowest = max(
            (b - a, name)
            for (name, b), (_, a) in zip(r["progress"], [("", 0.0), *r["progress"]], strict=False)
        )
        last = r["progress"][-1][1]
        print(f"  slowest partition: {slowest[1]} ({slowest[0]:.1f} s); all partitions done at "
              f"{last:.1f} s, then {r['month_s'] - last:.1f} s for the cross-partition check, "
              "the village table and the recaps")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
