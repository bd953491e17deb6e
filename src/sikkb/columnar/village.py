"""Village reports (F/I/Dal) from a :class:`ColumnarRegister`, as group-bys.

The record engine tallies each kelurahan's rows by their attributes and turns the tallies into
items (``sikkb.report.village``). Here every item of every kelurahan is computed at once, as
column expressions and group-bys over whole tables: :func:`village_items` gives one row per
kelurahan with every item of the catalogue (details and totals) and the rows left out per table.
:func:`village_reports` turns those rows into :class:`~sikkb.report.VillageReport` values through
the record engine's own ``sikkb.report.village.register_report`` (so a refusal is the same
refusal); recaps of many regions at once are group-bys over the same frame
(:mod:`sikkb.columnar.recap`).

Attribution follows the record engine exactly: a PUS belongs to the kelurahan of the *first* row
(in table order) of its family; a kelurahan's first ``kegiatan`` row counts; rows with ERROR
findings are left out (and counted) when asked, and a PUS whose family has a row left out in its
kelurahan is left out too; a PUS row the derivation cannot place (a method that needs a place
without one, a place or ``peserta_baru`` on a non-user) is left out as a row with errors.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping

import polars as pl

from sikkb.codes import JenisInstitusi, Metode, Poktan, TahapanKS
from sikkb.columnar.tables import FLAGS, ColumnarRegister
from sikkb.periods import Period
from sikkb.report.items import CATALOGUE, TANPA_TEMPAT
from sikkb.report.village import VillageReport, detail_keys, register_report

__all__ = [
    "ITEM_KEYS",
    "LEFT_COLUMNS",
    "UNCOUNTABLE",
    "reports_of_items",
    "village_items",
    "village_reports",
]

#: The item columns of :func:`village_items`, every item of the catalogue in form order.
ITEM_KEYS: tuple[str, ...] = tuple(it.key for it in CATALOGUE)
#: The columns of :func:`village_items` that count rows left out, per table.
LEFT_COLUMNS: dict[str, str] = {
    t: f"_left_{t}" for t in ("institusi", "keluarga", "pus", "kegiatan")
}
#: The column of :func:`village_items` counting PUS rows the derivation cannot place.
UNCOUNTABLE = "_uncountable"
_SECTION_II = ("rakor", "penyuluhan", "kie_kit", "tokoh_aktif")
_DETAILS = frozenset(detail_keys())
_ANGGOTA = {FLAGS[c][1].code: c for c, (s, _) in FLAGS.items() if not s}
_SASARAN = {FLAGS[c][1].code: c for c, (s, _) in FLAGS.items() if s}
_KPS_KS1 = [t.code for t in TahapanKS if t.kps_ks1]
_METHODS = [m.code for m in Metode]
_NEEDS_PLACE = [m.code for m in Metode if m.needs_place]
_UPPKA = Poktan.UPPKA.code


def _bad(rows: frozenset[int]) -> pl.Expr:
    if not rows:
        return pl.lit(False)
    return pl.col("row").is_in(sorted(rows)).fill_null(False)


def _count(predicate: pl.Expr, name: str) -> pl.Expr:
    return predicate.sum().cast(pl.Int64).alias(name)


def _institusi(ins: pl.LazyFrame) -> pl.LazyFrame:
    good = ~pl.col("_bad")
    jenis = pl.col("jenis")
    meetings = pl.col("jumlah_pertemuan").fill_null(0)
    aggs: list[pl.Expr] = [_count(pl.col("_bad"), LEFT_COLUMNS["institusi"])]
    for j in (x.code for x in JenisInstitusi):
        this = good & (jenis == j)
        aggs.append(_count(this, f"institusi_ada.{j}"))
        aggs.append(_count(this & pl.col("lapor"), f"institusi_lapor.{j}"))
        if f"pertemuan.{j}" in _DETAILS:
            aggs.append(meetings.filter(this).sum().cast(pl.Int64).alias(f"pertemuan.{j}"))
    return ins.group_by("kode_wilayah").agg(aggs)


def _keluarga(kel: pl.LazyFrame) -> pl.LazyFrame:
    good = ~pl.col("_bad")
    kps = pl.col("tahapan_ks").is_in(_KPS_KS1).fill_null(False)
    aggs = [_count(pl.col("_bad"), LEFT_COLUMNS["keluarga"])]
    aggs += [_count(good & pl.col(c), f"sasaran.{p}") for p, c in _SASARAN.items()]
    aggs += [_count(good & pl.col(c), f"anggota.{p}") for p, c in _ANGGOTA.items()]
    aggs.append(_count(good & kps & pl.col(_ANGGOTA[_UPPKA]), f"anggota_kps_ks1.{_UPPKA}"))
    return kel.group_by("kode_wilayah").agg(aggs)


def _countable() -> pl.Expr:
    status, place = pl.col("status_kb"), pl.col("tempat_pelayanan")
    is_pa = status.is_in(_METHODS)
    return (
        pl.when(is_pa)
        .then(place.is_not_null() | ~status.is_in(_NEEDS_PLACE))
        .otherwise(place.is_null() & ~pl.col("peserta_baru").fill_null(False))
    )


def _pus(pus: pl.LazyFrame) -> pl.LazyFrame:
    """The Poktan members among the couples, and the PUS rows left out."""
    bad, countable = pl.col("_bad"), pl.col("_countable")
    good = ~bad & countable
    pa = good & pl.col("status_kb").is_in(_METHODS)
    kps = pl.col("tahapan_ks").is_in(_KPS_KS1).fill_null(False)
    uppka = pl.col(_ANGGOTA[_UPPKA])
    aggs: list[pl.Expr] = [
        _count(bad | ~countable, LEFT_COLUMNS["pus"]),
        _count(~bad & ~countable, UNCOUNTABLE),
    ]
    for p, c in _ANGGOTA.items():
        aggs.append(_count(good & pl.col(c), f"pus_anggota.{p}"))
        aggs.append(_count(pa & pl.col(c), f"pus_anggota_kb.{p}"))
    aggs.append(_count(good & kps & uppka, f"pus_anggota_kps_ks1.{_UPPKA}"))
    aggs.append(_count(pa & kps & uppka, f"pus_anggota_kb_kps_ks1.{_UPPKA}"))
    return pus.group_by("kode_wilayah").agg(aggs)


def _pus_keys(pus: pl.LazyFrame) -> pl.LazyFrame:
    """(kode_wilayah, item key, n) of the PA, non-user and PB items."""
    good = pus.filter(~pl.col("_bad") & pl.col("_countable"))
    status = pl.col("status_kb")
    groups = good.group_by("kode_wilayah", "status_kb", "tempat_pelayanan", "peserta_baru").len()
    is_pa = status.is_in(_METHODS)
    place = pl.col("tempat_pelayanan").fill_null(TANPA_TEMPAT)
    main = groups.select(
        "kode_wilayah",
        pl.when(is_pa)
        .then(pl.concat_str(pl.lit("pa."), status, pl.lit("."), place))
        .otherwise(pl.concat_str(pl.lit("bukan_peserta."), status))
        .alias("key"),
        "len",
    )
    pb = groups.filter(is_pa & pl.col("peserta_baru").fill_null(False)).select(
        "kode_wilayah", pl.concat_str(pl.lit("pb."), status).alias("key"), "len"
    )
    return pl.concat([main, pb])


def _totals() -> list[list[pl.Expr]]:
    """The totals as expressions over the details, in stages (a stage reads only earlier ones).

    A total is the first of its decompositions whose parts are all known (``derive_totals``):
    ``+`` keeps a missing part missing, ``coalesce`` takes the first decomposition that is not.
    """
    done = set(_DETAILS)
    todo = [it for it in CATALOGUE if it.sums]
    stages: list[list[pl.Expr]] = []
    while todo:
        ready = [it for it in todo if all(p in done for parts in it.sums for p in parts)]
        if not ready:  # pragma: no cover - the catalogue's sums form a tree
            raise AssertionError(f"cyclic totals: {[it.key for it in todo]}")
        stages.append(
            [
                pl.coalesce(
                    functools.reduce(operator.add, (pl.col(p) for p in parts)) for parts in it.sums
                ).alias(it.key)
                for it in ready
            ]
        )
        done.update(it.key for it in ready)
        todo = [it for it in todo if it.key not in done]
    return stages


_TOTAL_STAGES = _totals()


def village_items(
    reg: ColumnarRegister, codes: Iterable[str], errors: Mapping[str, frozenset[int]]
) -> pl.DataFrame:
    """Every item of every kelurahan of ``codes``, one row each, in code order.

    Columns: ``kode_wilayah``, the items (:data:`ITEM_KEYS`, ``Int64``; null = not reported: a
    kelurahan without a usable ``kegiatan`` row reports no section II), and the rows left out per
    table (:data:`LEFT_COLUMNS`; ``_uncountable`` of them are PUS rows the derivation cannot place).

    Args:
        reg: the register.
        codes: the kelurahan (dotted).
        errors: table → rows with ERROR findings (``Findings.error_rows()``).
    """
    wanted = sorted(set(codes))
    none: frozenset[int] = frozenset()
    here = pl.col("kode_wilayah").is_in(wanted)
    ins = (
        reg.tables["institusi"]
        .lazy()
        .filter(here)
        .with_columns(_bad(errors.get("institusi", none)).alias("_bad"))
    )
    kel = (
        reg.tables["keluarga"]
        .lazy()
        .filter(here)
        .with_columns(_bad(errors.get("keluarga", none)).alias("_bad"))
    )
    dropped = kel.filter("_bad").select("kode_wilayah", "kode_keluarga").unique()
    # PUS: attributed through the first family row of their code (table order), any kelurahan
    family = reg.family_of_pus()
    kel_all = reg.tables["keluarga"]
    couples = (
        reg.tables["pus"]
        .select("kode_keluarga", "status_kb", "tempat_pelayanan", "peserta_baru", "row")
        .with_columns(
            kel_all.get_column(c).gather(family).alias(c)
            for c in ("kode_wilayah", "tahapan_ks", *_ANGGOTA.values())
        )
        .filter(pl.col("kode_wilayah").is_not_null() & here)  # null: no family row
    )
    if errors.get("keluarga"):
        couples = couples.join(
            dropped.with_columns(pl.lit(True).alias("_dropped")).collect(),
            on=["kode_wilayah", "kode_keluarga"],
            how="left",
        )
    else:
        couples = couples.with_columns(pl.lit(None, pl.Boolean).alias("_dropped"))
    pus = couples.lazy().with_columns(
        (_bad(errors.get("pus", none)) | pl.col("_dropped").fill_null(False)).alias("_bad"),
        _countable().alias("_countable"),
    )
    keg = (
        reg.tables["kegiatan"]
        .lazy()
        .filter(here)
        .unique("kode_wilayah", keep="first", maintain_order=True)
        .with_columns(_bad(errors.get("kegiatan", none)).alias("_bad"))
        .select(
            "kode_wilayah",
            *(pl.when(~pl.col("_bad")).then(pl.col(n)).alias(n) for n in _SECTION_II),
            pl.col("_bad").cast(pl.Int64).alias(LEFT_COLUMNS["kegiatan"]),
        )
    )
    wides = [_institusi(ins), _keluarga(kel), _pus(pus), keg]
    *parts, keys = pl.collect_all([*wides, _pus_keys(pus)])
    base = pl.DataFrame({"kode_wilayah": wanted}, schema={"kode_wilayah": pl.String})
    if keys.height:
        pivoted = keys.pivot(on="key", index="kode_wilayah", values="len", aggregate_function="sum")
        parts.append(pivoted)
    frame = base
    for part in parts:
        frame = frame.join(part, on="kode_wilayah", how="left", coalesce=True)
    counts = (*detail_keys(), *LEFT_COLUMNS.values(), UNCOUNTABLE)
    frame = frame.with_columns(
        *(
            (pl.col(k).fill_null(0) if k in frame.columns else pl.lit(0)).cast(pl.Int64).alias(k)
            for k in counts
            if k not in _SECTION_II
        )
    )
    for stage in _TOTAL_STAGES:
        frame = frame.with_columns(stage)
    return frame.select(
        "kode_wilayah",
        *(pl.col(k).cast(pl.Int64) for k in ITEM_KEYS),
        *LEFT_COLUMNS.values(),
        UNCOUNTABLE,
    )


def village_reports(
    reg: ColumnarRegister,
    codes: Iterable[str],
    *,
    errors: Mapping[str, frozenset[int]] | None = None,
    exclude_invalid: bool = False,
) -> tuple[VillageReport, ...]:
    """The reports of kelurahan ``codes`` (dotted), in code order, as the record engine derives them.

    Args:
        reg: the register.
        codes: the kelurahan to report.
        errors: table → rows with ERROR findings (``Findings.error_rows()``).
        exclude_invalid: leave such rows out (each report counts them) instead of refusing.

    Raises:
        RegisterRowsError: as :meth:`~sikkb.report.VillageReport.all_from_register`.
    """
    frame = village_items(reg, codes, errors or {})
    return reports_of_items(frame, reg.period, exclude_invalid=exclude_invalid)


def reports_of_items(
    frame: pl.DataFrame, period: Period, *, exclude_invalid: bool = False
) -> tuple[VillageReport, ...]:
    """:class:`~sikkb.report.VillageReport` values from rows of :func:`village_items`."""
    out = []
    n_items = len(ITEM_KEYS)
    tables = tuple(LEFT_COLUMNS)
    for code, *values in frame.iter_rows():
        items = {k: v for k, v in zip(ITEM_KEYS, values[:n_items], strict=True) if v is not None}
        left = dict(zip(tables, values[n_items : n_items + len(tables)], strict=True))
        uncountable = values[-1]
        out.append(register_report(code, period, items, left, uncountable, exclude_invalid))
    return tuple(out)
