"""The month of a register kept in partitions — one folder per province — up to the national recap.

A country's register (about 70 million families and 38 million PUS) does not fit one machine's
memory as one table set, and need not: every finding but one kind, and every village report,
depends only on the rows of one kelurahan's province. :func:`month_by_partition` therefore reads
the partitions one at a time — each a register folder of its own (Parquet or CSV, the layout
:func:`~sikkb.columnar.read.read_columnar` reads) — runs every rule of the pack on it and keeps
only its findings (a :class:`~sikkb.columnar.findings.FindingsTable`), its village items
(:func:`~sikkb.columnar.village.village_items`, one row per kelurahan) and a 64-bit hash of its
unique keys. Memory is that of the largest partition plus those small results.

The kind that crosses partitions is uniqueness: a family code, a wife's NIK, an institution code
or a kelurahan's ``kegiatan`` row recorded in two partitions. After the last partition the key
hashes of all of them are compared; a key found in an earlier partition gets, on its first row
of each later partition, the same rule's ERROR finding, naming the earlier partition's row (a
later duplicate *within* a partition has its own partition's finding already) — so every
occurrence but the first in partition order carries exactly one finding, as in one table.

Then the outcome is decided as for any register (:meth:`FindingsTable.decide`): an ERROR and
rows not asked to be left out refuses the month (:class:`~sikkb.errors.ReportRefusedError`);
with ``exclude_invalid`` a partition that got findings of the cross-partition check is read again
and its village items recomputed without those rows. The recaps of every kecamatan, kab/kota,
province and of the country are group-bys over the village items
(:func:`~sikkb.columnar.recap.recap_frames`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import attrs
import polars as pl

from sikkb.columnar.findings import FINDINGS_SCHEMA, FindingsTable
from sikkb.columnar.read import read_columnar
from sikkb.columnar.recap import NATIONAL, recap_frames
from sikkb.columnar.rules import _Hits, _mask, _table, validate_columnar
from sikkb.columnar.tables import ColumnarRegister
from sikkb.columnar.village import ITEM_KEYS, LEFT_COLUMNS, UNCOUNTABLE, village_items
from sikkb.io.limits import Limits
from sikkb.outcome import Outcome
from sikkb.periods import Period
from sikkb.pipeline import refuse
from sikkb.regions import RegionTable
from sikkb.rules.engine import Rule, RuleSet
from sikkb.rules.register import register_rules

__all__ = ["CROSS_KEYS", "PartitionedMonth", "month_by_partition", "partitions_of"]

#: The uniqueness rules whose keys can meet in two partitions, each with its table and key column.
CROSS_KEYS: Mapping[str, tuple[str, str]] = {
    "kode-keluarga-unik": ("keluarga", "kode_keluarga"),
    "nik-istri-unik": ("pus", "nik_istri"),
    "kode-institusi-unik": ("institusi", "kode_institusi"),
    "kegiatan-wilayah-unik": ("kegiatan", "kode_wilayah"),
}


@attrs.frozen(kw_only=True)
class PartitionedMonth:
    """A month computed partition by partition.

    Attributes:
        period: the month.
        partitions: the partitions' names (their folder names), in the order read.
        findings: every finding of every partition (the reader's and the rules'; ``source`` names
            the partition) and of the cross-partition uniqueness check.
        outcome: what the contract decides from them (:func:`sikkb.outcome.decide`).
        villages: the village items of every kelurahan that has rows
            (:func:`~sikkb.columnar.village.village_items`), in code order.
        recaps: level → the recaps of every region of that level, up to ``"nasional"``
            (:func:`~sikkb.columnar.recap.recap_frames`).
        rows: table → rows read over all partitions.
    """

    period: Period
    partitions: tuple[str, ...]
    findings: FindingsTable
    outcome: Outcome
    villages: pl.DataFrame = attrs.field(eq=False)
    recaps: Mapping[str, pl.DataFrame] = attrs.field(eq=False)
    rows: Mapping[str, int]

    @property
    def national(self) -> dict[str, int | None]:
        """The national total, item key → value (``None`` where no kelurahan reported it)."""
        row = self.recaps["nasional"].row(0, named=True)
        return {k: v for k, v in row.items() if k != "kode_wilayah"}


def partitions_of(root: str | os.PathLike[str]) -> list[tuple[str, Path]]:
    """The partitions under ``root``: its subfolders (``36``, ``prov=36``, ...), by name."""
    base = Path(root)
    parts = sorted((p.name, p) for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not parts:
        raise FileNotFoundError(f"{base}: no partition folders (one folder per province)")
    return parts


@attrs.define
class _Partition:
    name: str
    findings: FindingsTable
    items: pl.DataFrame
    keys: dict[str, pl.DataFrame]
    rows: dict[str, int]


def _named(findings: FindingsTable, name: str) -> FindingsTable:
    """Findings with the partition's name in ``source`` (``36`` or ``36/pus.csv``)."""
    source = pl.col("source")
    named = pl.when(source.is_null()).then(pl.lit(name)).otherwise(pl.lit(name + "/") + source)
    return FindingsTable(findings.frame.with_columns(named.alias("source")))


def _key_hashes(reg: ColumnarRegister, index: int, rules: Iterable[str]) -> dict[str, pl.DataFrame]:
    out = {}
    for rule in rules:
        table, key = CROSS_KEYS[rule]
        out[rule] = (
            reg.tables[table]
            .filter(pl.col(key).is_not_null())
            .select(pl.col(key).hash().alias("h"), pl.lit(index, pl.UInt16).alias("part"))
            .unique("h")
        )
    return out


def _one(
    name: str,
    folder: Path,
    index: int,
    period: Period,
    regions: RegionTable,
    known: frozenset[str],
    rules: RuleSet,
    limits: Limits | None,
    cross: list[str],
    extra_errors: Mapping[str, frozenset[int]] | None = None,
) -> _Partition:
    result = read_columnar(folder, period, limits=limits)
    reg = result.columns
    assert reg is not None
    found = _named(validate_columnar(reg, regions=regions, rules=rules) + result.findings, name)
    errors = {t: set(rows) for t, rows in found.error_rows().items()}
    for t, rows in (extra_errors or {}).items():
        errors.setdefault(t, set()).update(rows)
    codes = [c for c in reg.kelurahan_codes if c in known]
    items = village_items(reg, codes, {t: frozenset(r) for t, r in errors.items()})
    counts = {c.table: c.rows for c in result.counts}
    return _Partition(name, found, items, _key_hashes(reg, index, cross), counts)


def _cross_findings(
    parts: list[tuple[str, Path]],
    hashes: Mapping[str, list[pl.DataFrame]],
    rules: Mapping[str, Rule],
    period: Period,
    limits: Limits | None,
) -> dict[int, FindingsTable]:
    """Findings of keys met in an earlier partition, per partition index."""
    suspects: dict[str, pl.DataFrame] = {}
    for rule_id, frames in hashes.items():
        every = pl.concat(frames)  # each partition's hashes once: a repeat is in two partitions
        if every.get_column("h").n_unique() == every.height:
            continue
        both = every.group_by("h").agg(pl.col("part").n_unique().alias("n"))
        hit = both.filter(pl.col("n") > 1).get_column("h")
        if hit.len():
            suspects[rule_id] = every.filter(pl.col("h").is_in(hit.implode()))
    if not suspects:
        return {}
    involved = sorted({int(p) for f in suspects.values() for p in f.get_column("part")})
    rows: dict[str, list[pl.DataFrame]] = {r: [] for r in suspects}
    for i in involved:
        name, folder = parts[i]
        reg = read_columnar(folder, period, limits=limits).columns
        assert reg is not None
        for rule_id, sus in suspects.items():
            table, key = CROSS_KEYS[rule_id]
            frame = reg.tables[table]
            if table == "pus":  # a couple's region: its family's, as the rules give it
                family = reg.family_of_pus(first_by_row=True)
                region = reg.tables["keluarga"].get_column("kode_wilayah").gather(family)
                frame = frame.with_columns(region.alias("_region"))
            else:
                frame = frame.with_columns(pl.col("kode_wilayah").alias("_region"))
            mine = sus.filter(pl.col("part") == i).get_column("h")
            frame = frame.filter(
                pl.col(key).is_not_null() & pl.col(key).hash().is_in(mine.implode())
            )
            rows[rule_id].append(
                frame.select(
                    pl.col(key).alias("_key"), "row", "_region", pl.lit(i, pl.Int64).alias("_part")
                ).with_columns(pl.lit(f"{name}/{table}").alias("_where"))
            )
    out: dict[int, list[pl.DataFrame]] = {}
    for rule_id, frames in rows.items():
        table, key = CROSS_KEYS[rule_id]
        rule = rules[rule_id]
        every = pl.concat(frames).sort("_part", pl.col("row").is_null(), "row")
        first_part = pl.col("_part").first().over("_key")
        first_row = pl.col("row").first().over("_key").cast(pl.String).fill_null("?")
        firsts = every.with_columns(
            first_part.alias("_first_part"),
            pl.concat_str(
                first_row, pl.lit(" ("), pl.col("_where").first().over("_key"), pl.lit(")")
            ).alias("_first"),
            pl.int_range(pl.len()).over("_key", "_part").alias("_k"),
        ).filter((pl.col("_part") > pl.col("_first_part")) & (pl.col("_k") == 0))
        value = _mask("_key") if table == "pus" else pl.col("_key")  # a NIK is masked
        for (part,), frame in firsts.partition_by("_part", as_dict=True).items():
            hits = _Hits(
                table, frame, pl.lit(key),
                value, pl.col("_region"),
                params={"value": value, "first": pl.col("_first")}, found=value,
            )  # fmt: skip
            out.setdefault(int(part), []).append(_table(rule, hits))
    return {
        part: _named(FindingsTable(pl.concat(frames)), parts[part][0])
        for part, frames in out.items()
    }


_WORKER: dict[str, Any] = {}


def _start_worker(shared: tuple[Any, ...]) -> None:
    _WORKER["shared"] = shared
    _WORKER["rules"] = register_rules()


def _in_worker(name: str, folder: str, index: int) -> _Partition:
    period, regions, known, limits, cross = _WORKER["shared"]
    return _one(name, Path(folder), index, period, regions, known, _WORKER["rules"], limits, cross)


def _in_processes(
    parts: list[tuple[str, Path]],
    workers: int,
    shared: tuple[Any, ...],
    progress: Callable[[str, int, int], None] | None,
) -> list[_Partition]:
    """Partitions computed in ``workers`` processes (the largest first), results in order."""
    # each worker gets its share of the cores (read by Polars when the spawned worker imports it)
    before = os.environ.get("POLARS_MAX_THREADS")
    os.environ["POLARS_MAX_THREADS"] = str(max(1, (os.cpu_count() or 1) // workers))
    try:
        return _run_pool(parts, workers, shared, progress)
    finally:
        if before is None:
            del os.environ["POLARS_MAX_THREADS"]
        else:
            os.environ["POLARS_MAX_THREADS"] = before


def _run_pool(
    parts: list[tuple[str, Path]],
    workers: int,
    shared: tuple[Any, ...],
    progress: Callable[[str, int, int], None] | None,
) -> list[_Partition]:
    context = multiprocessing.get_context("spawn")  # never fork a process running Polars' threads
    order = sorted(range(len(parts)), key=lambda i: -_size(parts[i][1]))
    out: dict[int, _Partition] = {}
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(shared,)
    ) as pool:
        futures = {pool.submit(_in_worker, parts[i][0], str(parts[i][1]), i): i for i in order}
        for future in as_completed(futures):
            i = futures[future]
            out[i] = future.result()
            if progress is not None:
                progress(parts[i][0], len(out), len(parts))
    return [out[i] for i in range(len(parts))]


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


def month_by_partition(
    root: str | os.PathLike[str],
    period: Period | str,
    regions: RegionTable,
    *,
    rules: RuleSet | None = None,
    exclude_invalid: bool = False,
    limits: Limits | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    workers: int = 1,
) -> PartitionedMonth:
    """The month of a register kept as one folder per partition under ``root`` (see the module).

    Args:
        root: the folder of partition folders (each a register: ``<table>.parquet`` or ``.csv``).
        period: the month.
        regions: the region table of every partition (e.g. the country's).
        rules: the register rule set (default: the pack).
        exclude_invalid: leave rows with ERROR findings out instead of refusing.
        limits: reader limits per partition (default: the columnar engine's).
        progress: called with (partition name, partitions done, partitions) after each.
        workers: partitions computed at once, each in a process of its own (``spawn``ed, with
            its share of the cores for Polars' threads): one process leaves part of the cores
            idle. Memory is then that of the ``workers`` largest partitions. The rule pack only:
            with ``rules`` given, partitions are computed in this process.

    Raises:
        ReportRefusedError: as :func:`sikkb.pipeline.build_month`: an ERROR finding and
            ``exclude_invalid`` false, or an ERROR that names no row. ``findings`` holds every
            finding as a :class:`~sikkb.columnar.findings.FindingsTable`.
    """
    period = period if isinstance(period, Period) else Period.parse(period)
    ruleset = rules if rules is not None else register_rules()
    enabled = {r.id: r for r in ruleset}
    cross = [r for r in CROSS_KEYS if r in enabled]
    parts = partitions_of(root)
    known = frozenset(r.code for r in regions.kelurahan())
    done: list[_Partition] = []
    if workers > 1 and rules is None:
        done = _in_processes(parts, workers, (period, regions, known, limits, cross), progress)
    else:
        for i, (name, folder) in enumerate(parts):
            done.append(_one(name, folder, i, period, regions, known, ruleset, limits, cross))
            if progress is not None:
                progress(name, i + 1, len(parts))
    rows: dict[str, int] = {}
    for part in done:
        for t, n in part.rows.items():
            rows[t] = rows.get(t, 0) + n
    hashes = {r: [p.keys[r] for p in done] for r in cross}
    extra = _cross_findings(parts, hashes, enabled, period, limits)
    findings = (
        FindingsTable.concat([p.findings for p in done] + list(extra.values()))
        if done
        else FindingsTable(pl.DataFrame(schema=dict(FINDINGS_SCHEMA)))
    )
    has_data = any(p.items.height for p in done)
    outcome = findings.decide(exclude_invalid=exclude_invalid, has_data=has_data)
    if not outcome.may_write:
        refuse(outcome, findings, NATIONAL)
    for i, table in extra.items():  # rows found twice across partitions are left out too
        name, folder = parts[i]
        done[i] = _one(name, folder, i, period, regions, known, ruleset, limits, [],
                       extra_errors=table.error_rows())  # fmt: skip
    villages = pl.concat([p.items for p in done]).sort("kode_wilayah")
    if villages.get_column("kode_wilayah").is_duplicated().any():
        # a kelurahan with rows in two partitions (a misfiled row): its counts add up, as the
        # rows would in one register; duplicate keys among them have their findings above
        villages = (
            villages.group_by("kode_wilayah")
            .agg(
                *(pl.when(pl.col(k).count() > 0).then(pl.col(k).sum()).alias(k)
                  for k in ITEM_KEYS),
                *(pl.col(c).sum() for c in (*LEFT_COLUMNS.values(), UNCOUNTABLE)),
            )
            .sort("kode_wilayah")
        )  # fmt: skip
    return PartitionedMonth(
        period=period,
        partitions=tuple(name for name, _ in parts),
        findings=findings,
        outcome=outcome,
        villages=villages,
        recaps=recap_frames(villages, regions),
        rows=rows,
    )
