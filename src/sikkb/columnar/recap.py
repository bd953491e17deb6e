"""Recaps of many regions at once, as group-bys over village items — up to the national total.

:meth:`sikkb.report.Recap.build_tree` builds one :class:`~sikkb.report.Recap` object per region:
right for a city's 14 recaps, too slow for the country's 7,850 (7,300 kecamatan, 514 kab/kota,
38 provinces and the nation). :func:`recap_frames` computes the same totals and coverage for
every region of every level from the frame of :func:`sikkb.columnar.village.village_items` (one
row per kelurahan that reported) in a few group-bys, and :func:`recap_of` turns one region's rows
back into the :class:`~sikkb.report.Recap` the record code builds — which is how the equality of
the two is tested.

Each level's frame has, per region of the region table at that level (in code order):
``kode_wilayah``, every item (:data:`~sikkb.columnar.village.ITEM_KEYS`; the sum over the
kelurahan below that reported it, null when none did — not reported is never zero), and per
level below it ``expected_<level>`` (units the region table has there) and ``reported_<level>``
(units with at least one reporting kelurahan beneath). The national level is one row, code
:data:`NATIONAL`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from sikkb.columnar.village import ITEM_KEYS
from sikkb.periods import Period
from sikkb.regions import RegionTable, Tingkat
from sikkb.report.recap import Coverage, Recap, RecapRow

__all__ = ["LEVELS", "NATIONAL", "recap_frames", "recap_of"]

#: The code sikkb gives the country as a whole (the row of the ``"nasional"`` level).
NATIONAL = "00"
#: The recap levels from the bottom up, each with the length of its dotted code (``None`` for the country).
LEVELS: dict[str, int | None] = {"kecamatan": 8, "kota": 5, "provinsi": 2, "nasional": None}
_TIER_NAMES = {
    Tingkat.KELURAHAN: "kelurahan",
    Tingkat.KECAMATAN: "kecamatan",
    Tingkat.KOTA: "kota",
    Tingkat.PROVINSI: "provinsi",
}
_WIDTH = {"kelurahan": 13, "kecamatan": 8, "kota": 5, "provinsi": 2}
_BELOW = ("provinsi", "kota", "kecamatan", "kelurahan")


def _unit(code: pl.Expr, level: str) -> pl.Expr:
    width = LEVELS[level]
    return code.str.slice(0, width) if width is not None else pl.lit(NATIONAL)


def recap_frames(
    villages: pl.DataFrame, regions: RegionTable, *, levels: Iterable[str] = tuple(LEVELS)
) -> dict[str, pl.DataFrame]:
    """Every region's recap at each of ``levels`` (see the module), from village items.

    Args:
        villages: rows of :func:`~sikkb.columnar.village.village_items` — one per kelurahan that
            reported (its ``kode_wilayah`` must be in ``regions``).
        regions: the region table: which units each level expects.
        levels: which of :data:`LEVELS` to compute.

    Raises:
        KeyError: a kelurahan of ``villages`` is not in ``regions``.
    """
    units = pl.DataFrame(
        {
            "kode_wilayah": [r.code for r in regions],
            "tier": [_TIER_NAMES[r.tingkat] for r in regions],
        },
        schema={"kode_wilayah": pl.String, "tier": pl.String},
    )
    known = set(units.filter(pl.col("tier") == "kelurahan").get_column("kode_wilayah"))
    stray = [c for c in villages.get_column("kode_wilayah").to_list() if c not in known]
    if stray:
        raise KeyError(f"kelurahan not in the region table: {', '.join(stray[:5])}")
    code = pl.col("kode_wilayah")
    reported_kel = villages.select("kode_wilayah").unique()
    out: dict[str, pl.DataFrame] = {}
    for level in levels:
        width = LEVELS[level]
        if width is None:
            frame = pl.DataFrame({"kode_wilayah": [NATIONAL]})
        else:
            frame = (
                units.filter(pl.col("tier") == level).select("kode_wilayah").sort("kode_wilayah")
            )
        sums = villages.group_by(_unit(code, level).alias("kode_wilayah")).agg(
            pl.when(pl.col(k).count() > 0).then(pl.col(k).sum()).alias(k) for k in ITEM_KEYS
        )
        frame = frame.join(sums, on="kode_wilayah", how="left", coalesce=True)
        below = _BELOW[_BELOW.index(level) + 1 :] if level != "nasional" else _BELOW
        for tier in below:
            width_below = _WIDTH[tier]
            expected = (
                units.filter(pl.col("tier") == tier)
                .group_by(_unit(code, level).alias("kode_wilayah"))
                .agg(pl.len().cast(pl.Int64).alias(f"expected_{tier}"))
            )
            reported = (
                reported_kel.select(code.str.slice(0, width_below).alias("_u"))
                .unique()
                .group_by(_unit(pl.col("_u"), level).alias("kode_wilayah"))
                .agg(pl.len().cast(pl.Int64).alias(f"reported_{tier}"))
            )
            frame = frame.join(expected, on="kode_wilayah", how="left", coalesce=True).join(
                reported, on="kode_wilayah", how="left", coalesce=True
            )
            frame = frame.with_columns(pl.col(f"expected_{tier}", f"reported_{tier}").fill_null(0))
        out[level] = frame
    return out


def recap_of(
    code: str,
    period: Period,
    frames: Mapping[str, pl.DataFrame],
    villages: pl.DataFrame,
    regions: RegionTable,
) -> Recap:
    """The :class:`~sikkb.report.Recap` of region ``code`` (kecamatan, kab/kota or province) from
    :func:`recap_frames` and the village items they were computed from."""
    region = regions.get(code)
    level = _TIER_NAMES[region.tingkat]
    child_level = _TIER_NAMES[region.tingkat.child] if region.tingkat.child else "kelurahan"
    children = [r.code for r in regions.children(region.code)]
    source = villages if child_level == "kelurahan" else frames[child_level]
    by_code = {
        row["kode_wilayah"]: row
        for row in source.filter(pl.col("kode_wilayah").is_in(children)).iter_rows(named=True)
    }
    rows = []
    for c in children:
        row = by_code.get(c)
        values = {k: row[k] for k in ITEM_KEYS if row is not None and row[k] is not None}
        reported = row is not None and (
            child_level == "kelurahan" or row[f"reported_{_BELOW[-1]}"] > 0
        )
        rows.append(RecapRow(region=c, reported=reported, values=values if reported else {}))
    this = frames[level].filter(pl.col("kode_wilayah") == region.code).row(0, named=True)
    total = {k: this[k] for k in ITEM_KEYS if this[k] is not None}
    coverage = [
        Coverage(
            tingkat=t,
            expected=this[f"expected_{_TIER_NAMES[t]}"],
            reported=this[f"reported_{_TIER_NAMES[t]}"],
        )
        for t in Tingkat
        if t.value > region.tingkat.value and this[f"expected_{_TIER_NAMES[t]}"]
    ]
    return Recap(region=region.code, period=period, rows=rows, total=total, coverage=coverage)
