"""Village reports (F/I/Dal) from a :class:`ColumnarRegister`, as group-bys.

The record engine tallies each kelurahan's rows by their attributes (status, place, PB, the family's
Poktan memberships and welfare stage, ...) and turns the tallies into items
(:mod:`sikkb.report.village`). Here the same tallies come from one group-by per table over all
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

from sikkb.codes import Poktan
from sikkb.columnar.tables import FLAGS, ColumnarRegister
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


@functools.cache
def _poktans(flags: tuple[bool, ...], columns: tuple[str, ...]) -> frozenset[Poktan]:
    return frozenset(FLAGS[c][1] for c, on in zip(columns, flags, strict=True) if on)


def _tallies(
    reg: ColumnarRegister, codes: list[str], errors: Mapping[str, frozenset[int]]
) -> dict[str, _Tally]:
    tallies = {c: _Tally() for c in codes}
    none: frozenset[int] = frozenset()
    wanted = list(codes)

    ins = reg.tables["institusi"].filter(pl.col("kode_wilayah").is_in(wanted))
    ins = ins.with_columns(_bad(errors.get("institusi", none)).alias("_bad"))
    for code, n in ins.filter("_bad").group_by("kode_wilayah").len().iter_rows():
        tallies[code].left["institusi"] += n
    good = ins.filter(~pl.col("_bad"))
    for code, jenis, lapor, n in good.group_by("kode_wilayah", "jenis", "lapor").len().iter_rows():
        tallies[code].institutions[jenis, lapor] += n
    meetings = (
        good.filter(pl.col("jumlah_pertemuan") > 0)
        .group_by("kode_wilayah", "jenis")
        .agg(pl.col("jumlah_pertemuan").sum())
    )
    for code, jenis, n in meetings.iter_rows():
        tallies[code].meetings[jenis] += n

    kel_all = reg.tables["keluarga"]
    kel = kel_all.filter(pl.col("kode_wilayah").is_in(wanted)).with_columns(
        _bad(errors.get("keluarga", none)).alias("_bad")
    )
    dropped = kel.filter("_bad").select("kode_wilayah", "kode_keluarga")
    for code, n in dropped.group_by("kode_wilayah").len().iter_rows():
        tallies[code].left["keluarga"] += n
    keys = [*_SASARAN, *_ANGGOTA, "tahapan_ks"]
    fam_groups = kel.filter(~pl.col("_bad")).group_by("kode_wilayah", *keys).len()
    for row in fam_groups.iter_rows():
        code, *flags, tahapan, n = row
        sasaran = _poktans(tuple(flags[: len(_SASARAN)]), _SASARAN)
        anggota = _poktans(tuple(flags[len(_SASARAN) :]), _ANGGOTA)
        tallies[code].families[sasaran, anggota, tahapan] += n

    # PUS: attributed through the first family row of their code (table order), any kelurahan.
    first = kel_all.select("kode_keluarga", "kode_wilayah", *_ANGGOTA, "tahapan_ks").unique(
        "kode_keluarga", keep="first", maintain_order=True
    )
    pus = (
        reg.tables["pus"]
        .select("kode_keluarga", "status_kb", "tempat_pelayanan", "peserta_baru", "row")
        .join(first.filter(pl.col("kode_wilayah").is_in(wanted)), on="kode_keluarga", how="inner")
        .join(
            dropped.with_columns(pl.lit(True).alias("_dropped")),
            on=["kode_wilayah", "kode_keluarga"],
            how="left",
        )
        .with_columns(
            (_bad(errors.get("pus", none)) | pl.col("_dropped").fill_null(False)).alias("_bad")
        )
    )
    for code, n in pus.filter("_bad").group_by("kode_wilayah").len().iter_rows():
        tallies[code].left["pus"] += n
    ckeys = ["status_kb", "tempat_pelayanan", "peserta_baru", *_ANGGOTA, "tahapan_ks"]
    for row in pus.filter(~pl.col("_bad")).group_by("kode_wilayah", *ckeys).len().iter_rows():
        code, status, place, pb, *rest = row
        anggota = _poktans(tuple(rest[: len(_ANGGOTA)]), _ANGGOTA)
        tahapan, n = rest[len(_ANGGOTA)], rest[-1]
        tallies[code].couples[status, place, pb, anggota, tahapan] += n

    keg = (
        reg.tables["kegiatan"]
        .filter(pl.col("kode_wilayah").is_in(wanted))
        .unique("kode_wilayah", keep="first", maintain_order=True)
        .with_columns(_bad(errors.get("kegiatan", none)).alias("_bad"))
    )
    for d in keg.iter_rows(named=True):
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
        RegisterRowsError: as :meth:`VillageReport.all_from_register`.
    """
    wanted = sorted(set(codes))
    tallies = _tallies(reg, wanted, errors or {})
    period: Period = reg.period
    out = []
    for c in wanted:
        out.append(_report(c, period, tallies[c], exclude_invalid))
    return tuple(out)
