"""Benchmark a province's month from Parquet, and what it says about the country (issue 10).

Builds the synthetic country's region table (:func:`sikkb.columnar.synthetic.synthetic_regions`:
38 provinces, 514 kab/kota, about 7,300 kecamatan, 83,700 desa/kelurahan), gives a province
``--families`` families (default 3.3 million, Banten's size; 0.54 PUS per family as in the
country), writes its register as Parquet (one file per table), then in a fresh process times
the columnar month from those files: reading, every rule of the pack, every village report and
every recap up to Rek.Prov — the work one partition of the national month does. Wall time and
peak RSS of that process are printed, with the national figure they extrapolate to (70 million
families computed province by province: time adds up, memory is the largest province's).

Run: ``python benchmarks/bench_province.py`` (``nox -s bench``); ``--families 14000000`` for a
Jawa Barat-sized province.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NATIONAL_FAMILIES = 70_000_000
LARGEST_PROVINCE_FAMILIES = 14_000_000  # Jawa Barat, about a fifth of the country

CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from sikkb.columnar.synthetic import synthetic_regions
from sikkb.columnar.read import read_columnar
from sikkb.columnar.rules import validate_columnar
from sikkb.columnar.village import village_reports
from sikkb.report import Recap
folder, province, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
regions = synthetic_regions(seed=seed)
t1 = time.perf_counter()
result = read_columnar(folder, "2026-10")
t2 = time.perf_counter()
findings = validate_columnar(result.columns, regions=regions)
t3 = time.perf_counter()
codes = [c for c in result.columns.kelurahan_codes if c.startswith(province + ".")]
villages = village_reports(result.columns, codes, errors=findings.error_rows())
t4 = time.perf_counter()
recaps = Recap.build_tree(province, result.columns.period, villages, regions)
t5 = time.perf_counter()
top = recaps[province]
print(json.dumps({
    "regions_s": t1 - t0, "read_s": t2 - t1, "rules_s": t3 - t2, "villages_s": t4 - t3,
    "recaps_s": t5 - t4, "month_s": t5 - t1,
    "rows": {t: f.height for t, f in result.columns.tables.items()},
    "findings": len(findings), "errors": findings.has_errors, "villages": len(villages),
    "recaps": len(recaps), "pus": top.value("pus"), "pa": top.value("pa"),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--families", type=int, default=3_300_000)
    parser.add_argument("--province", default="36")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "sikkb-bench")
    args = parser.parse_args(argv)

    from sikkb.columnar.synthetic import synthetic_regions, synthetic_register
    from sikkb.periods import Period

    folder = args.data / f"province-{args.province}-{args.families}"
    t0 = time.perf_counter()
    if not (folder / "pus.parquet").exists():
        regions = synthetic_regions(seed=args.seed)
        codes = [r.code for r in regions.kelurahan(args.province)]
        reg = synthetic_register(
            Period(2026, 10), codes, families=args.families, seed=args.seed, pus_share=38 / 70
        )
        reg.write_parquet(folder)
        del reg
    made = time.perf_counter() - t0
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), args.province, str(args.seed)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    r = json.loads(proc.stdout)
    size = sum(f.stat().st_size for f in folder.glob("*.parquet")) / 1e6
    scale = NATIONAL_FAMILIES / args.families
    print(f"province {args.province}: {r['rows']['keluarga']:,} families, {r['rows']['pus']:,} PUS, "
          f"{r['villages']:,} village reports, {r['recaps']:,} recaps; Parquet {size:.0f} MB "
          f"(generated in {made:.0f} s); cores={os.cpu_count()}, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"  read {r['read_s']:.1f} s, rules {r['rules_s']:.1f} s ({r['findings']} findings), "
          f"villages {r['villages_s']:.1f} s, recaps {r['recaps_s']:.1f} s: month {r['month_s']:.1f} s, "
          f"peak RSS {r['peak_rss_mb']:,.0f} MB (region table {r['regions_s']:.1f} s)")  # fmt: skip
    print(f"  national by extrapolation (x{scale:.1f} the rows, province by province): "
          f"about {r['month_s'] * scale:.0f} s; memory that of the largest province, about "
          f"{r['peak_rss_mb'] * LARGEST_PROVINCE_FAMILIES / args.families:,.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
