"""Synthetic registers at any size, built as columns: a city, a province, the whole country.

DATA CONTOH: every row is made up. :func:`synthetic_regions` builds a region table with the real
code structure (Kemendagri: 2-digit province codes, kab/kota 01-69 for kabupaten and 71-99 for
kota, 2-digit kecamatan, 4-digit desa/kelurahan starting 1 for a kelurahan and 2 for a desa), by
default Indonesia's size: 38 provinces, 514 kab/kota, about 7,300 kecamatan and 83,700
desa/kelurahan. :func:`synthetic_register` fills any set of kelurahan with families, couples,
institutions and activity counts whose every row passes the register rule pack (a clean month),
vectorised with NumPy: the country's 70 million families take about a minute.

Both are seeded: the same arguments give the same rows (for the same NumPy version).

Example:
    >>> from sikkb.periods import Period
    >>> from sikkb.regions import kota_tangerang
    >>> codes = [r.code for r in kota_tangerang().kelurahan()]
    >>> reg = synthetic_register(Period(2026, 10), codes, families=2_000, seed=1)
    >>> reg.tables["keluarga"].height, reg.tables["kegiatan"].height
    (2000, 104)
    >>> from sikkb.columnar.rules import validate_columnar
    >>> validate_columnar(reg).has_errors
    False
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl

from sikkb.codes import JenisInstitusi, Metode
from sikkb.columnar.tables import SCHEMAS, ColumnarRegister
from sikkb.nik import PROVINCE_CODES
from sikkb.periods import Period
from sikkb.regions import Region, RegionTable, Tingkat
from sikkb.rules.register import _years_before

__all__ = ["synthetic_regions", "synthetic_register", "write_country", "write_csv"]

#: status_kb and its share among PUS (a national mix: injectables and pills most common).
STATUS_MIX: dict[str, float] = {
    "SUNTIK": 0.28, "PIL": 0.12, "IMPLAN": 0.08, "IUD": 0.07, "MOW": 0.03, "MOP": 0.005,
    "KONDOM": 0.02, "MAL": 0.01, "TRADISIONAL": 0.025, "HAMIL": 0.06, "IAS": 0.11, "IAT": 0.10,
    "TIAL": 0.09,
}  # fmt: skip
TAHAPAN_MIX: dict[str, float] = {"KPS": 0.15, "KS1": 0.2, "KS2": 0.3, "KS3": 0.25, "KS3+": 0.1}
#: Institutions of one kelurahan (before the sub-PPKBD, one per RW).
INSTITUTIONS: tuple[tuple[str, int], ...] = (
    ("PPKBD", 1), ("KELOMPOK_KB", 28), ("BKB", 3), ("BKR", 2), ("BKL", 2), ("UPPKA", 3),
    ("PIKR", 1),
)  # fmt: skip
_RW = 12
_NEEDS_PLACE = frozenset(m.code for m in Metode if m.needs_place)
_POKTAN = frozenset(j.code for j in JenisInstitusi if j.is_poktan)


def synthetic_regions(
    *,
    provinces: int = 38,
    kabkota: int = 514,
    kecamatan: int = 7_300,
    desa: int = 83_700,
    seed: int = 2026,
) -> RegionTable:
    """A region table of the given size with the real code structure (names are ``CONTOH``)."""
    rng = np.random.default_rng(seed)
    prov_codes = [f"{c:02d}" for c in sorted(PROVINCE_CODES)][:provinces]

    def split(total: int, parts: int) -> list[int]:
        """``total`` in ``parts`` shares, each at least 1, uneven as real ones are."""
        weights = rng.lognormal(0.0, 0.6, parts)
        exact = weights / weights.sum() * (total - parts)
        shares = np.floor(exact).astype(int) + 1
        left = total - int(shares.sum())  # largest remainders get one more
        shares[np.argsort(exact - np.floor(exact))[::-1][:left]] += 1
        return [int(s) for s in shares]

    regions: list[Region] = []
    kk_per_prov = split(kabkota, len(prov_codes))
    kec_per_kk = split(kecamatan, kabkota)
    desa_per_kec = split(desa, kecamatan)
    k = c = 0
    for p, n_kk in zip(prov_codes, kk_per_prov, strict=True):
        regions.append(Region(code=p, name=f"Provinsi Contoh {p}", kind="provinsi"))
        n_kota = max(1, n_kk // 5)
        numbers = [f"{i:02d}" for i in range(1, n_kk - n_kota + 1)] + [
            f"{71 + i:02d}" for i in range(n_kota)
        ]
        for number in numbers:
            kota = number >= "71"
            code = f"{p}.{number}"
            regions.append(Region(code=code, name=f"{'Kota' if kota else 'Kabupaten'} Contoh "
                                  f"{code}", kind="kota" if kota else "kabupaten"))  # fmt: skip
            for kec in range(1, kec_per_kk[k] + 1):
                kec_code = f"{code}.{kec:02d}"
                regions.append(Region(code=kec_code, name=f"Kecamatan Contoh {kec_code}",
                                      kind="kecamatan"))  # fmt: skip
                for d in range(1, desa_per_kec[c] + 1):
                    first = "1" if kota else "2"
                    d_code = f"{kec_code}.{first}{d:03d}"
                    regions.append(Region(code=d_code, name=f"Desa Contoh {d_code}",
                                          kind="kelurahan" if kota else "desa"))  # fmt: skip
                c += 1
            k += 1
    return RegionTable(regions, source="synthetic")


def _choice(rng: np.random.Generator, mix: dict[str, float], n: int) -> np.ndarray:
    p = np.array(list(mix.values()))
    return np.array(list(mix), dtype=object)[rng.choice(len(mix), size=n, p=p / p.sum())]


def synthetic_register(
    period: Period,
    kelurahan: Sequence[str],
    *,
    families: int,
    seed: int = 2026,
    pus_share: float = 0.81,
) -> ColumnarRegister:
    """A clean month's register of ``families`` families spread over ``kelurahan`` (dotted codes).

    A share ``pus_share`` of families hold a PUS (0.81 is Kota Tangerang's; about 0.54 is the
    country's: 38 million PUS in 70 million families), every kelurahan has one PPKBD, a
    sub-PPKBD per RW, Kelompok KB and Poktan groups, and one ``kegiatan`` row. Every row passes
    the register rule pack.
    """
    rng = np.random.default_rng(seed)
    codes = np.array(sorted(kelurahan), dtype=object)
    n_kel = len(codes)
    weights = rng.lognormal(0.0, 0.35, n_kel)
    kel_of = np.sort(rng.choice(n_kel, size=families, p=weights / weights.sum()))
    starts = np.searchsorted(kel_of, np.arange(n_kel))
    serial = np.arange(families) - starts[kel_of] + 1
    plain = np.char.replace(codes.astype(str), ".", "")
    fam = pl.DataFrame(
        {
            "kel": codes[kel_of].astype(str),
            "plain": plain[kel_of],
            "serial": serial,
            "tahapan_ks": _choice(rng, TAHAPAN_MIX, families).astype(str),
            "rw": rng.integers(1, _RW + 1, families),
            "rt": rng.integers(1, 16, families),
        }
    )
    flags = {}
    for name, share in (("bkb", 0.35), ("bkr", 0.3), ("bkl", 0.2)):
        target = rng.random(families) < share
        flags[f"sasaran_{name}"] = target
        flags[f"anggota_{name}"] = target & (rng.random(families) < 0.4)
    flags["anggota_uppka"] = rng.random(families) < 0.05
    keluarga = (
        fam.select(
            pl.concat_str("plain", pl.col("serial").cast(pl.String).str.zfill(6)).alias(
                "kode_keluarga"
            ),
            pl.col("kel").alias("kode_wilayah"),
            "rw",
            "rt",
            pl.lit(None, pl.String).alias("nama_kepala_keluarga"),
            "tahapan_ks",
            *(pl.Series(k, v) for k, v in flags.items()),
            (pl.int_range(pl.len()) + 2).alias("row"),
        )
        .select(list(SCHEMAS["keluarga"]))
        .cast(pl.Schema(SCHEMAS["keluarga"]))
    )

    # one PUS for a share of families; the wife aged 15-49 on the last day of the month
    has = rng.random(families) < pus_share
    n_pus = int(has.sum())
    end = period.last_day
    youngest, too_old = _years_before(end, 15), _years_before(end, 50)
    lo, hi = (end - youngest).days, (end - too_old).days - 1
    wife_age_days = rng.integers(lo, hi + 1, n_pus)
    husband_gap = rng.integers(0, 3_650, n_pus)
    status = _choice(rng, STATUS_MIX, n_pus).astype(str)
    gov = rng.random(n_pus) < 0.6
    new = rng.random(n_pus) < 0.04
    pus = (
        keluarga.filter(pl.Series(has))
        .select(
            "kode_keluarga",
            pl.col("kode_wilayah")
            .str.replace_all(".", "", literal=True)
            .str.slice(0, 6)
            .alias("prefix"),
        )
        .with_columns(
            (pl.lit(end) - pl.duration(days=pl.lit(pl.Series(wife_age_days)))).alias(
                "tanggal_lahir_istri"
            ),
            pl.Series("status_kb", status),
            pl.Series("_gov", gov),
            pl.Series("_new", new),
            pl.Series("jumlah_anak", rng.integers(0, 6, n_pus)),
        )
        .with_columns(
            (
                pl.col("tanggal_lahir_istri") - pl.duration(days=pl.lit(pl.Series(husband_gap)))
            ).alias("_born_h")
        )
    )

    def nik(born: str, female: bool) -> pl.Expr:
        b = pl.col(born)
        day = b.dt.day() + (40 if female else 0)
        serial = pl.int_range(pl.len()).over("prefix", born) + 1
        return pl.concat_str(
            "prefix",
            day.cast(pl.String).str.zfill(2),
            b.dt.month().cast(pl.String).str.zfill(2),
            (b.dt.year() % 100).cast(pl.String).str.zfill(2),
            serial.cast(pl.String).str.zfill(4),
        )

    is_method = pl.col("status_kb").is_in(list(_NEEDS_PLACE))
    pus = pus.select(
        "kode_keluarga",
        nik("tanggal_lahir_istri", True).alias("nik_istri"),
        pl.lit(None, pl.String).alias("nama_istri"),
        "tanggal_lahir_istri",
        nik("_born_h", False).alias("nik_suami"),
        pl.lit(None, pl.String).alias("nama_suami"),
        "jumlah_anak",
        "status_kb",
        pl.when(is_method)
        .then(pl.when("_gov").then(pl.lit("PEMERINTAH")).otherwise(pl.lit("SWASTA")))
        .otherwise(pl.lit(None, pl.String))
        .alias("tempat_pelayanan"),
        (pl.col("_new") & pl.col("status_kb").is_in(Metode.codes())).alias("peserta_baru"),
        (pl.int_range(pl.len()) + 2).alias("row"),
    ).cast(pl.Schema(SCHEMAS["pus"]))

    template = [(j, i) for j, n in (*INSTITUTIONS, ("SUB_PPKBD", _RW)) for i in range(1, n + 1)]
    per = len(template)
    jenis = np.array([j for j, _ in template] * n_kel, dtype=object).astype(str)
    number = np.array([i for _, i in template] * n_kel)
    kel_idx = np.repeat(np.arange(n_kel), per)
    lapor = rng.random(n_kel * per) < 0.9
    meets = np.where(lapor & np.isin(jenis, list(_POKTAN)), rng.integers(0, 5, n_kel * per), 0)
    institusi = (
        pl.DataFrame(
            {
                "plain": plain[kel_idx],
                "kode_wilayah": codes[kel_idx].astype(str),
                "jenis": jenis,
                "n": number,
                "lapor": lapor,
                "jumlah_pertemuan": meets,
            }
        )
        .select(
            pl.concat_str(
                "plain", pl.lit("-"), "jenis", pl.lit("-"), pl.col("n").cast(pl.String).str.zfill(3)
            ).alias("kode_institusi"),
            "jenis",
            "kode_wilayah",
            pl.concat_str(
                pl.lit("Contoh "), "jenis", pl.lit(" "), pl.col("n").cast(pl.String)
            ).alias("nama"),
            pl.when(pl.col("jenis") == "SUB_PPKBD").then(pl.col("n")).otherwise(None).alias("rw"),
            pl.lit(None, pl.Int64).alias("rt"),
            "lapor",
            "jumlah_pertemuan",
            (pl.int_range(pl.len()) + 2).alias("row"),
        )
        .cast(pl.Schema(SCHEMAS["institusi"]))
    )

    kegiatan = pl.DataFrame(
        {
            "kode_wilayah": codes.astype(str),
            "rakor": rng.integers(0, 3, n_kel),
            "penyuluhan": rng.integers(0, 11, n_kel),
            "kie_kit": rng.integers(0, 5, n_kel),
            "tokoh_aktif": rng.integers(0, 16, n_kel),
            "row": np.arange(n_kel) + 2,
        }
    ).cast(pl.Schema(SCHEMAS["kegiatan"]))
    return ColumnarRegister(
        period=period,
        tables={"keluarga": keluarga, "pus": pus, "institusi": institusi, "kegiatan": kegiatan},
        source="synthetic",
    )


def write_csv(register: ColumnarRegister, folder: str | Path) -> Path:
    """Write a register as a CSV folder the way a kelurahan would (``Y``/``T``, ISO dates)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in register.tables.items():
        text = frame.drop("row").with_columns(
            pl.col(pl.Boolean).replace_strict({True: "Y", False: "T"}, return_dtype=pl.String)
        )
        text.write_csv(out / f"{name}.csv")
    return out


def write_country(
    root: str | Path,
    period: Period,
    regions: RegionTable,
    *,
    families: int,
    seed: int = 2026,
    pus_share: float = 38 / 70,
) -> Path:
    """Write a synthetic country as one Parquet register folder per province under ``root``.

    ``families`` are shared among the provinces in proportion to their desa/kelurahan (each
    province gets its own seed), so the largest partition is the province with the most villages.
    One province is generated at a time: memory is that of the largest.
    """
    out = Path(root)
    out.mkdir(parents=True, exist_ok=True)
    provinces = [r.code for r in regions.at(Tingkat.PROVINSI)]
    villages = {p: [r.code for r in regions.kelurahan(p)] for p in provinces}
    total = sum(len(v) for v in villages.values())
    given = 0
    for i, p in enumerate(provinces):
        share = (
            families - given
            if i == len(provinces) - 1
            else round(families * len(villages[p]) / total)
        )
        given += share
        reg = synthetic_register(
            period, villages[p], families=share, seed=seed + i, pus_share=pus_share
        )
        reg.write_parquet(out / p)
        del reg
    return out
