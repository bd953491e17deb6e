"""The same F/I/Dal figures as ``handwritten_polars.py``, in DuckDB SQL (engine choice, issue 10).

Run: ``python benchmarks/handwritten_duckdb.py FOLDER``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

METHODS = ("IUD", "MOW", "MOP", "KONDOM", "IMPLAN", "SUNTIK", "PIL", "MAL", "TRADISIONAL")
FLAGS = ("sasaran_bkb", "sasaran_bkr", "sasaran_bkl", "anggota_bkb", "anggota_bkr", "anggota_bkl",
         "anggota_uppka")  # fmt: skip


def _flag(c: str) -> str:
    return f"coalesce(upper(trim({c})) in ('Y','YA','1','TRUE','BENAR'), false)"


def main(folder: Path) -> dict[str, int]:
    con = duckdb.connect()
    csv = "read_csv('{}', all_varchar=true, header=true)"
    con.execute(
        "create temp view kel as select trim(kode_keluarga) k, replace(kode_wilayah,'.','') w, "
        "upper(trim(tahapan_ks)) in ('KPS','KS1') kps, "
        + ", ".join(f"{_flag(c)} {c}" for c in FLAGS)
        + f" from {csv.format(folder / 'keluarga.csv')}"
    )
    con.execute(
        f"create temp view pus as select trim(kode_keluarga) k, upper(trim(status_kb)) s, "
        f"coalesce(upper(trim(tempat_pelayanan)),'-') t, {_flag('peserta_baru')} pb "
        f"from {csv.format(folder / 'pus.csv')}"
    )
    pa = "s in (" + ",".join(f"'{m}'" for m in METHODS) + ")"
    cols = ["count(*) pus", f"sum(({pa})::int) pa"]
    cols += [f"sum((s='{m}')::int) status_{m}" for m in (*METHODS, "HAMIL", "IAS", "IAT", "TIAL")]
    cols += [f"sum((s='{m}' and t='{t}')::int) \"pa_{m}_{t}\"" for m in METHODS
             for t in ("PEMERINTAH", "SWASTA", "-")]  # fmt: skip
    cols += [f"sum((s='{m}' and pb)::int) pb_{m}" for m in METHODS]
    for p in ("bkb", "bkr", "bkl", "uppka"):
        cols += [f"sum(anggota_{p}::int) pus_anggota_{p}",
                 f"sum((anggota_{p} and {pa})::int) pus_anggota_kb_{p}"]  # fmt: skip
    cols += ["sum((anggota_uppka and kps)::int) pus_anggota_kps_ks1",
             f"sum((anggota_uppka and kps and {pa})::int) pus_anggota_kb_kps_ks1"]  # fmt: skip
    couples = con.execute(
        f"select w, {', '.join(cols)} from pus join kel using (k) group by w"
    ).fetchall()
    fam = con.execute(
        "select w, "
        + ", ".join(f"sum({c}::int) {c}" for c in FLAGS)
        + ", sum((anggota_uppka and kps)::int) anggota_kps_ks1 from kel group by w"
    ).fetchall()
    inst = con.execute(
        f"select replace(kode_wilayah,'.','') w, upper(trim(jenis)) j, count(*) ada, "
        f"sum({_flag('lapor')}::int) lapor, sum(coalesce(jumlah_pertemuan::bigint, 0)) pertemuan "
        f"from {csv.format(folder / 'institusi.csv')} group by all"
    ).fetchall()
    keg = con.execute(f"select count(*) from {csv.format(folder / 'kegiatan.csv')}").fetchone()
    return {
        "pus": sum(r[1] for r in couples),
        "pa": sum(r[2] for r in couples),
        "families_anggota_bkb": sum(r[4] for r in fam),
        "ada": sum(r[2] for r in inst),
        "kelurahan": len(fam),
        "kegiatan_rows": keg[0] if keg else 0,
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), sort_keys=True))
