"""Village reports (F/I/Dal) from a :class:`ColumnarRegister`, as group-bys.

The record engine tallies each kelurahan's rows by their attributes (status, place, PB, the family's
Poktan memberships and welfare stage, ...) and turns the tallies into items
(``sikkb.report.village``). Here the same tallies come from one group-by per table over all
kelurahan; turning them into items is the record engine's own code, so both engines share the
derivation and its refusals (rows with errors, rows that cannot be counted).

Attribution follows the record engine exactly: a PUS belongs to the kelurahan of the *first* row
(in table order) of its family; a kelurahan's first ``kegiatan`` row counts; rows with ERROR
findings are left out (and counted) when asked, and a PUS whose family row is left out in its
kelurahan is left out too.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import polars as pl

from sikkb.codes import Poktan, TahapanKS
from sikkb.columnar.tables import FLAGS, ColumnarRegister, has_duplicates
from sikkb.periods import Period
from sikkb.register import Kegiatan
from sikkb.report.village import VillageReport, _report, _Tally

__all__ = ["village_reports"]

_SASARAN = tuple(c for c, (s, _) in FLAGS.items() if s)
_ANGGOTA = tuple(c for c, (s, _) in FLAGS.items() if not s)


def _bad(rows: frozenset[int]) -> pl.Expr:
    if not rows:
        return pl.lit(False)
    return pl.col("row").is_in(sorted(rows)).fill_null(False)


_KPS_KS1 = [t.code for t in TahapanKS if t.kps_ks1]


def _mask(columns: tuple[str, ...]) -> pl.Expr:
    """The flags of ``columns`` as one small integer (bit i = column i), for cheap group keys."""
    return pl.sum_horizontal(
        pl.col(c).cast(pl.UInt16) * (1 << i) for i, c in enumerate(columns)
    ).alias("_mask")


@functools.cache
def _poktans(mask: int, columns: tuple[str, ...]) -> frozenset[Poktan]:
    return frozenset(FLAGS[c][1] for i, c in enumerate(columns) if mask >> i & 1)


#: What the derivation reads of a family's welfare stage: KPS/KS1 or not. Tallies keep a
#: representative (``KPS`` or ``None``) instead of the stage, so there are fewer groups.
_STAGE = (
    pl.when(pl.col("tahapan_ks").is_in(_KPS_KS1))
    .then(pl.lit("KPS"))
    .otherwise(pl.lit(None, pl.String))
).alias("tahapan_ks")


def _tallies(
    reg: ColumnarRegister, codes: list[str], errors: Mapping[str, frozenset[int]]
) -> dict[str, _Tally]:
    tallies = {c: _Tally() for c in codes}
    none: frozenset[int] = frozenset()
    wanted = list(codes)
    here = pl.col("kode_wilayah").is_in(wanted)

    ins = reg.tables["institusi"].lazy().filter(here)
    ins = ins.with_columns(_bad(errors.get("institusi", none)).alias("_bad"))
    good_ins = ins.filter(~pl.col("_bad"))
    kel_all = reg.tables["keluarga"].lazy()
    kel = kel_all.filter(here).with_columns(_bad(errors.get("keluarga", none)).alias("_bad"))
    dropped = kel.filter("_bad").select("kode_wilayah", "kode_keluarga")
    families = kel.filter(~pl.col("_bad")).select(
        "kode_wilayah", _mask(_SASARAN + _ANGGOTA), _STAGE
    )
    # PUS: attributed through the first family row of their code (table order), any kelurahan.
    first = kel_all.select("kode_keluarga", "kode_wilayah", _mask(_ANGGOTA), _STAGE)
    if has_duplicates(reg.tables["keluarga"].get_column("kode_keluarga")):
        first = first.unique("kode_keluarga", keep="first", maintain_order=True)
    pus = (
        reg.tables["pus"]
        .lazy()
        .select("kode_keluarga", "status_kb", "tempat_pelayanan", "peserta_baru", "row")
        .join(first.filter(here), on="kode_keluarga", how="inner")
        .join(
            dropped.with_columns(pl.lit(True).alias("_dropped")),
            on=["kode_wilayah", "kode_keluarga"],
            how="left",
        )
        .with_columns(
            (_bad(errors.get("pus", none)) | pl.col("_dropped").fill_null(False)).alias("_bad")
        )
    )
    keg = (
        reg.tables["kegiatan"]
        .lazy()
        .filter(here)
        .unique("kode_wilayah", keep="first", maintain_order=True)
        .with_columns(_bad(errors.get("kegiatan", none)).alias("_bad"))
    )
    ckeys = ["status_kb", "tempat_pelayanan", "peserta_baru", "_mask", "tahapan_ks"]
    (ins_left, ins_groups, meetings, kel_left, fam_groups, pus_left, couples, keg_rows) = (
        pl.collect_all(
            [
                ins.filter("_bad").group_by("kode_wilayah").len(),
                good_ins.group_by("kode_wilayah", "jenis", "lapor").len(),
                good_ins.filter(pl.col("jumlah_pertemuan") > 0)
                .group_by("kode_wilayah", "jenis")
                .agg(pl.col("jumlah_pertemuan").sum()),
                dropped.group_by("kode_wilayah").len(),
                families.group_by("kode_wilayah", "_mask", "tahapan_ks").len(),
                pus.filter("_bad").group_by("kode_wilayah").len(),
                pus.filter(~pl.col("_bad")).group_by("kode_wilayah", *ckeys).len(),
                keg,
            ]
        )
    )
    for code, n in ins_left.iter_rows():
        tallies[code].left["institusi"] += n
    for code, jenis, lapor, n in ins_groups.iter_rows():
        tallies[code].institutions[jenis, lapor] += n
    for code, jenis, n in meetings.iter_rows():
        tallies[code].meetings[jenis] += n
    for code, n in kel_left.iter_rows():
        tallies[code].left["keluarga"] += n
    n_sasaran = len(_SASARAN)
    for code, mask, tahapan, n in fam_groups.iter_rows():
        sasaran = _poktans(mask & ((1 << n_sasaran) - 1), _SASARAN)
        anggota = _poktans(mask >> n_sasaran, _ANGGOTA)
        tallies[code].families[sasaran, anggota, tahapan] += n
    for code, n in pus_left.iter_rows():
        tallies[code].left["pus"] += n
    for code, status, place, pb, mask, tahapan, n in couples.iter_rows():
        tallies[code].couples[status, place, pb, _poktans(mask, _ANGGOTA), tahapan] += n
    for d in keg_rows.iter_rows(named=True):
        t = tallies[d["kode_wilayah"]]
        t.kegiatan_seen = True
        if d["_bad"]:
            t.left["kegiatan"] += 1
        else:
            t.kegiatan = Kegiatan(
                kode_wilayah=d["kode_wilayah"], rakor=d["rakor"], penyuluhan=d["penyuluhan"],
                kie_kit=d["kie_kit"], tokoh_aktif=d["tokoh_aktif"], row=d["row"],
            )  # fmt: skip
    return tallies


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
    wanted = sorted(set(codes))
    tallies = _tallies(reg, wanted, errors or {})
    period: Period = reg.period
    out = []
    for c in wanted:
        out.append(_report(c, period, tallies[c], exclude_invalid))
    return tuple(out)
