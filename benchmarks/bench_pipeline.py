"""Benchmark the monthly pipeline at the size of Kota Tangerang (and 2x, 4x).

Builds a synthetic register (the deterministic demo city of :mod:`sikkb.demo`, or a fast local
generator when that module is missing), then times, as the median of ``--repeat`` runs on a fresh
copy of the register each time (so no cached lookup survives from one run to the next):

- ``rules``: the register rule pack (:func:`sikkb.rules.register.validate_register`);
- ``villages``: the 104 village reports (:meth:`VillageReport.all_from_register`);
- ``kec``: the 13 kecamatan recaps;
- ``kota``: the city recap;
- ``pipeline``: the sum of the four.

Wall-clock and CPU time (``time.process_time``) are both reported: on a shared, loaded machine the
wall time measures the other processes too; on an idle one the two agree.

Each scale runs in its own process, so ``peak RSS`` (``resource.getrusage``) is that scale's own:
``rss gen`` after generating the register, ``rss end`` at the end (the pipeline's share is the
difference). Goal (issue 3): pipeline ≤ 5 s wall and ≤ 1.5 GB peak RSS at 1x on a 2-core machine.

Run: ``python benchmarks/bench_pipeline.py`` (``nox -s bench``); ``--scales 1`` for one size,
``--markdown`` for a table to paste into docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import attrs

from sikkb.periods import Period
from sikkb.regions import Region, RegionTable, kota_tangerang
from sikkb.register import Institusi, Kegiatan, Keluarga, Pus, Register
from sikkb.report import Recap, VillageReport
from sikkb.rules.engine import Findings

PERIOD = Period(2026, 10)
STEPS = ("rules", "villages", "kec", "kota")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _local_register(scale: float, regions: RegionTable, seed: int = 2026) -> Register:
    """A fast, plain synthetic register when :mod:`sikkb.demo` is not available."""
    rng = random.Random(seed)
    statuses = ["SUNTIK"] * 30 + ["PIL"] * 12 + ["IMPLAN"] * 8 + ["IUD"] * 6 + ["KONDOM"] * 3
    statuses += ["MOW"] * 2 + ["MOP", "MAL", "TRADISIONAL"] + ["HAMIL"] * 3 + ["IAS"] * 4
    statuses += ["IAT"] * 5 + ["TIAL"] * 5
    keluarga: list[Keluarga] = []
    pus: list[Pus] = []
    institusi: list[Institusi] = []
    kegiatan: list[Kegiatan] = []
    for kel in regions.kelurahan():
        n_fam = int(3850 * scale)
        for i in range(n_fam):
            kk = f"{kel.plain_code}{i:06d}"
            anggota = frozenset(p for p in ("BKB", "BKR", "BKL", "UPPKA") if rng.random() < 0.08)
            keluarga.append(
                Keluarga(
                    kode_keluarga=kk,
                    kode_wilayah=kel.code,
                    rw=1 + i % 12,
                    rt=1 + i % 9,
                    tahapan_ks=rng.choice(("KPS", "KS1", "KS2", "KS3", None)),
                    anggota=anggota,
                    sasaran=frozenset(p for p in anggota if p != "UPPKA"),
                )
            )
            if rng.random() < 0.81:
                status = rng.choice(statuses)
                method = status not in ("HAMIL", "IAS", "IAT", "TIAL")
                place = (
                    rng.choice(("PEMERINTAH", "SWASTA"))
                    if method and status not in ("MAL", "TRADISIONAL")
                    else None
                )
                n = len(pus)  # a unique (birth date, serial) per wife: NIKs are unique
                born = datetime.date(1980 + n // 9999 % 20, 1 + n % 12, 1 + n % 28)
                nik = f"{kel.plain_code[:6]}{born.day + 40:02d}{born:%m%y}{n % 9999 + 1:04d}"
                pus.append(
                    Pus(
                        kode_keluarga=kk,
                        nik_istri=nik,
                        tanggal_lahir_istri=born,
                        status_kb=status,
                        tempat_pelayanan=place,
                        peserta_baru=method and rng.random() < 0.02,
                    )
                )
        for j in range(int(58 * scale)):
            institusi.append(
                Institusi(
                    kode_institusi=f"{kel.plain_code}-{j}",
                    jenis=rng.choice(("SUB_PPKBD", "KELOMPOK_KB", "BKB", "BKR", "BKL", "UPPKA")),
                    kode_wilayah=kel.code,
                    lapor=rng.random() < 0.9,
                    jumlah_pertemuan=rng.randint(0, 2),
                )
            )
        kegiatan.append(Kegiatan(kode_wilayah=kel.code, rakor=1, penyuluhan=rng.randint(0, 8)))
    tables: dict[str, Any] = {
        "keluarga": keluarga, "pus": pus, "institusi": institusi, "kegiatan": kegiatan
    }  # fmt: skip
    return Register(period=PERIOD, **tables)


def _register(scale: float, regions: RegionTable) -> tuple[Register, str]:
    try:
        from sikkb.demo import demo_city
    except ImportError:
        return _local_register(scale, regions), "local generator"
    return demo_city(PERIOD, scale=scale), "sikkb.demo.demo_city"


def _rule_runner(regions: RegionTable) -> Callable[[Register], Findings] | None:
    try:
        from sikkb.rules.register import validate_register
    except ImportError:
        return None

    def run(reg: Register) -> Findings:
        return validate_register(reg, regions=regions)

    return run


def _kecamatan_recaps(
    villages: tuple[VillageReport, ...], kecamatan: tuple[Region, ...], regions: RegionTable
) -> list[Recap]:
    by_kec: dict[str, list[VillageReport]] = {}
    for v in villages:
        by_kec.setdefault(v.region.rsplit(".", 1)[0], []).append(v)
    return [Recap.build(k.code, PERIOD, by_kec.get(k.code, ()), regions) for k in kecamatan]


def one_scale(scale: float, repeat: int) -> dict[str, Any]:
    """Generate, then time every step ``repeat`` times; return the figures."""
    regions = kota_tangerang()
    t0 = time.perf_counter()
    reg, generator = _register(scale, regions)
    gen_s = time.perf_counter() - t0
    rss_gen = _peak_rss_mb()
    run_rules = _rule_runner(regions)
    times: dict[str, list[float]] = {s: [] for s in STEPS}
    cpus: dict[str, list[float]] = {s: [] for s in STEPS}
    kecamatan = regions.kecamatan("36.71")
    n_findings = 0

    def timed(step: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        c, t = time.process_time(), time.perf_counter()
        out = fn(*args, **kwargs)
        times[step].append(time.perf_counter() - t)
        cpus[step].append(time.process_time() - c)
        return out

    for _ in range(repeat):
        fresh = attrs.evolve(reg)  # a new instance: no cached lookups from the previous run
        findings: Findings = (
            timed("rules", run_rules, fresh) if run_rules is not None else Findings(())
        )
        n_findings = len(findings)
        villages: tuple[VillageReport, ...] = timed(
            "villages",
            VillageReport.all_from_register,
            fresh,
            findings=findings,
            exclude_invalid=True,
        )
        kec: list[Recap] = timed("kec", _kecamatan_recaps, villages, kecamatan, regions)
        city: Recap = timed("kota", Recap.build, "36.71", PERIOD, kec, regions)
        assert city.value("pus") == sum(v.value("pus") or 0 for v in villages)
    med = {s: statistics.median(ts) for s, ts in times.items()}
    return {
        "scale": scale,
        "generator": generator,
        "families": len(reg.keluarga),
        "pus": len(reg.pus),
        "institusi": len(reg.institusi),
        "kelurahan": len(villages),
        "findings": n_findings,
        "generate_s": gen_s,
        **{f"{s}_s": med[s] for s in STEPS},
        **{f"{s}_cpu_s": statistics.median(cs) for s, cs in cpus.items()},
        "pipeline_s": sum(med.values()),
        "pipeline_min_s": min(sum(ts[i] for ts in times.values()) for i in range(repeat)),
        "pipeline_cpu_s": statistics.median(
            sum(cs[i] for cs in cpus.values()) for i in range(repeat)
        ),
        "load_average": os.getloadavg()[0],
        "rss_gen_mb": rss_gen,
        "rss_end_mb": _peak_rss_mb(),
        "repeat": repeat,
    }


COLUMNS = (
    ("scale", "scale", "{:g}x"),
    ("families", "families", "{:,}"),
    ("pus", "PUS", "{:,}"),
    ("institusi", "institutions", "{:,}"),
    ("generate_s", "generate s", "{:.1f}"),
    ("rules_s", "rules s", "{:.2f}"),
    ("rules_cpu_s", "rules CPU s", "{:.2f}"),
    ("villages_s", "villages s", "{:.2f}"),
    ("villages_cpu_s", "villages CPU s", "{:.2f}"),
    ("kec_s", "13 kec s", "{:.3f}"),
    ("kota_s", "kota s", "{:.3f}"),
    ("pipeline_s", "pipeline s", "{:.2f}"),
    ("pipeline_cpu_s", "pipeline CPU s", "{:.2f}"),
    ("rss_gen_mb", "peak RSS after gen MB", "{:,.0f}"),
    ("rss_end_mb", "peak RSS MB", "{:,.0f}"),
)


def table(rows: list[dict[str, Any]], markdown: bool) -> str:
    cells = [[fmt.format(r[key]) for key, _, fmt in COLUMNS] for r in rows]
    heads = [h for _, h, _ in COLUMNS]
    if markdown:
        lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += ["| " + " | ".join(c) + " |" for c in cells]
        return "\n".join(lines)
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    out = ["  ".join(h.rjust(w) for h, w in zip(heads, widths, strict=True))]
    out += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 2.0, 4.0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per scale (median reported)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--json", action="store_true", help="print JSON lines instead")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)  # child process: one scale
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(one_scale(args.one, args.repeat)))
        return 0
    rows = []
    for scale in args.scales:
        print(f"scale {scale:g}x ...", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(scale), "--repeat", str(args.repeat)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    if args.json:
        for r in rows:
            print(json.dumps(r))
    else:
        print(table(rows, args.markdown))
        print(
            f"\n{rows[0]['generator']}; median of {args.repeat} runs; {os.cpu_count()} CPUs; "
            f"Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
