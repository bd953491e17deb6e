"""Benchmark the command line against a hand-written Polars script on the same CSV files (issue 10).

For each scale (1 = the city: 104 kelurahan, 400,400 families, about 324,000 PUS; 10 = ten times
that in the same kelurahan), a synthetic clean month (:mod:`sikkb.columnar.synthetic`, seeded) is
written once as a CSV folder; then, interleaved ``--runs`` times (the order alternating):

- ``sikkb``: ``python -m sikkb report FOLDER --period 2026-10 -e json --out OUT --quiet
  --overwrite`` with default options otherwise: every rule run, every village report, recap and
  JSON document written;
- ``polars``: ``python benchmarks/handwritten_polars.py FOLDER``: the same F/I/Dal figures, no
  validation, no documents (the floor).

Each run is its own process; wall time and peak RSS (``wait4``) are measured per process and the
median is reported with the ratios. Both print their PUS and PA totals, which must agree.
Bytecode is compiled beforehand (this machine sets ``PYTHONDONTWRITEBYTECODE``; an installed
package has its bytecode).

Targets: at scale 1, sikkb ≤ 2 x the script's wall time and peak RSS; at scale 10, ≤ 2 x its wall
time and ≤ 3 GB.

Run: ``python benchmarks/bench_columnar.py`` (``nox -s bench``); ``--scales 1`` for the city only,
``--markdown`` for table rows.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars

import sikkb
from sikkb.columnar.synthetic import synthetic_register, write_csv
from sikkb.periods import Period
from sikkb.regions import kota_tangerang

HERE = Path(__file__).parent
CITY_FAMILIES = 400_400


def _measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``cmd`` and wait for it with wait4, so its own peak RSS is known."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out.decode()


def _totals_sikkb(out: Path) -> tuple[int, int]:
    (kota,) = (out / "kota").glob("*_json.json")
    values = dict(json.loads(kota.read_text())["total"])
    return values["pus"], values["pa"]


def _data(folder: Path, scale: int) -> Path:
    target = folder / f"city-x{scale}"
    if not (target / "pus.csv").exists():
        codes = [r.code for r in kota_tangerang().kelurahan()]
        reg = synthetic_register(Period(2026, 10), codes, families=CITY_FAMILIES * scale, seed=10)
        write_csv(reg, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", nargs="+", type=int, default=[1, 10])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "sikkb-bench")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)

    for pkg in (Path(sikkb.__file__).parent, Path(polars.__file__).parent):
        compileall.compile_dir(pkg, quiet=1, workers=2)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    rows = []
    for scale in args.scales:
        folder = _data(args.data, scale)
        size = sum(f.stat().st_size for f in folder.glob("*.csv")) / 1e6
        with tempfile.TemporaryDirectory(prefix="sikkb-bench-out-") as out:
            ours = [sys.executable, "-m", "sikkb", "report", str(folder), "--period", "2026-10",
                    "-e", "json", "--out", out, "--quiet", "--overwrite"]  # fmt: skip
            theirs = [sys.executable, str(HERE / "handwritten_polars.py"), str(folder)]
            times: dict[str, list[float]] = {"sikkb": [], "polars": []}
            rss: dict[str, list[float]] = {"sikkb": [], "polars": []}
            for i in range(args.runs):
                order = [("sikkb", ours), ("polars", theirs)]
                for name, cmd in order if i % 2 == 0 else order[::-1]:
                    wall, peak, stdout = _measure(cmd, env)
                    times[name].append(wall)
                    rss[name].append(peak)
                    if name == "polars":
                        figures = json.loads(stdout)
                sys.stderr.write(f"x{scale} run {i + 1}/{args.runs}\n")
            ours_totals = _totals_sikkb(Path(out))
        theirs_totals = (figures["pus"], figures["pa"])
        if ours_totals != theirs_totals:
            raise SystemExit(f"x{scale}: sikkb {ours_totals} != polars script {theirs_totals}")
        med = {k: statistics.median(v) for k, v in times.items()}
        mem = {k: statistics.median(v) for k, v in rss.items()}
        rows.append((scale, size, ours_totals, med, mem))
    load = os.getloadavg()[0]
    print(f"cores={os.cpu_count()}; load average at the end {load:.1f}; runs={args.runs}; "
          f"polars {polars.__version__}")  # fmt: skip
    for scale, size, (pus, pa), med, mem in rows:
        print(
            f"x{scale}: {size:.0f} MB CSV, PUS {pus:,}, PA {pa:,}: sikkb {med['sikkb']:.2f} s "
            f"{mem['sikkb']:.0f} MB; polars {med['polars']:.2f} s {mem['polars']:.0f} MB; "
            f"ratio {med['sikkb'] / med['polars']:.2f} x time, {mem['sikkb'] / mem['polars']:.2f} x memory"
        )
    if args.markdown:
        print(
            "\n| scale | CSV MB | PUS | sikkb s | polars s | time ratio | sikkb MB | polars MB | memory ratio |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for scale, size, (pus, _), med, mem in rows:
            print(f"| {scale}x | {size:.0f} | {pus:,} | {med['sikkb']:.2f} | {med['polars']:.2f} "
                  f"| {med['sikkb'] / med['polars']:.2f} | {mem['sikkb']:.0f} | {mem['polars']:.0f} "
                  f"| {mem['sikkb'] / mem['polars']:.2f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
