"""A hand-written Polars script computing a city month's F/I/Dal figures (the baseline of issue 10).

Reads the four CSV files of a register folder and computes, per kelurahan, what the village report
counts: institutions (ada/lapor) and meetings per jenis, Poktan targets and members, PUS by status,
PA by method x place, PB by method, PUS members of each Poktan and those using KB, UPPKA members of
welfare stage KPS/KS1, and section II from ``kegiatan``. No validation, no documents: the floor a
columnar engine is measured against. Prints the totals as JSON (so a run can be checked).

Run: ``python benchmarks/handwritten_polars.py FOLDER``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl
import polars.selectors as cs

METHODS = ("IUD", "MOW", "MOP", "KONDOM", "IMPLAN", "SUNTIK", "PIL", "MAL", "TRADISIONAL")
YES = ("Y", "YA", "1", "TRUE", "BENAR")


def _flag(name: str) -> pl.Expr:
    return pl.col(name).str.strip_chars().str.to_uppercase().is_in(YES).fill_null(False)


def main(folder: Path) -> dict[str, int]:
    read = {"infer_schema": False}
    kel = pl.scan_csv(folder / "keluarga.csv", **read).select(
        pl.col("kode_keluarga").str.strip_chars(),
        pl.col("kode_wilayah").str.replace_all(".", "", literal=True).alias("w"),
        pl.col("tahapan_ks").str.strip_chars().str.to_uppercase().is_in(["KPS", "KS1"]).alias("kps"),
        *[_flag(c).alias(c) for c in ("sasaran_bkb", "sasaran_bkr", "sasaran_bkl", "anggota_bkb",
                                      "anggota_bkr", "anggota_bkl", "anggota_uppka")],
    )  # fmt: skip
    pus = pl.scan_csv(folder / "pus.csv", **read).select(
        pl.col("kode_keluarga").str.strip_chars(),
        pl.col("status_kb").str.strip_chars().str.to_uppercase().alias("s"),
        pl.col("tempat_pelayanan").str.strip_chars().str.to_uppercase().fill_null("-").alias("t"),
        _flag("peserta_baru").alias("pb"),
    )
    ins = pl.scan_csv(folder / "institusi.csv", **read).select(
        pl.col("kode_wilayah").str.replace_all(".", "", literal=True).alias("w"),
        pl.col("jenis").str.strip_chars().str.to_uppercase(),
        _flag("lapor").alias("lapor"),
        pl.col("jumlah_pertemuan").cast(pl.Int64).fill_null(0),
    )
    keg = pl.scan_csv(folder / "kegiatan.csv", **read)
    fam = kel.group_by("w").agg(
        *[pl.col(c).sum() for c in ("sasaran_bkb", "sasaran_bkr", "sasaran_bkl", "anggota_bkb",
                                     "anggota_bkr", "anggota_bkl", "anggota_uppka")],
        (pl.col("anggota_uppka") & pl.col("kps")).sum().alias("anggota_kps_ks1"),
    )  # fmt: skip
    joined = pus.join(kel, on="kode_keluarga", how="inner")
    is_pa = pl.col("s").is_in(METHODS)
    couples = joined.group_by("w").agg(
        pl.len().alias("pus"),
        is_pa.sum().alias("pa"),
        *[(pl.col("s") == m).sum().alias(f"status_{m}") for m in (*METHODS, "HAMIL", "IAS", "IAT", "TIAL")],
        *[((pl.col("s") == m) & (pl.col("t") == t)).sum().alias(f"pa_{m}_{t}")
          for m in METHODS for t in ("PEMERINTAH", "SWASTA", "-")],
        *[((pl.col("s") == m) & pl.col("pb")).sum().alias(f"pb_{m}") for m in METHODS],
        *[pl.col(f"anggota_{p}").sum().alias(f"pus_anggota_{p}") for p in ("bkb", "bkr", "bkl", "uppka")],
        *[(pl.col(f"anggota_{p}") & is_pa).sum().alias(f"pus_anggota_kb_{p}") for p in ("bkb", "bkr", "bkl", "uppka")],
        (pl.col("anggota_uppka") & pl.col("kps")).sum().alias("pus_anggota_kps_ks1"),
        (pl.col("anggota_uppka") & pl.col("kps") & is_pa).sum().alias("pus_anggota_kb_kps_ks1"),
    )  # fmt: skip
    inst = ins.group_by("w", "jenis").agg(
        pl.len().alias("ada"), pl.col("lapor").sum(), pl.col("jumlah_pertemuan").sum()
    )
    frames = pl.collect_all([fam, couples, inst, keg])
    totals: dict[str, int] = {}
    for frame in frames[:3]:
        for name, value in (
            frame.select((cs.numeric() | cs.boolean()).cast(pl.Int64).sum())
            .row(0, named=True)
            .items()
        ):
            totals[name] = totals.get(name, 0) + int(value or 0)
    totals["kelurahan"] = frames[0].height
    totals["kegiatan_rows"] = frames[3].height
    return totals


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), sort_keys=True))
