"""The month by partition gives what the record engine gives on each partition, plus the
cross-partition uniqueness findings, and recaps equal to the record code's up to the province.

Partitions are written as CSV folders so the record engine reads the very same files; keys are
copied from one partition into another (family codes, wives' NIKs, kelurahan ``kegiatan`` rows)
and rows are broken inside partitions, as hypothesis draws.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikkb.columnar.partitioned import CROSS_KEYS, month_by_partition
from sikkb.columnar.recap import recap_of
from sikkb.columnar.synthetic import synthetic_regions, synthetic_register, write_csv
from sikkb.columnar.tables import ColumnarRegister
from sikkb.columnar.village import reports_of_items
from sikkb.errors import ReportRefusedError
from sikkb.io.reader import read_register
from sikkb.periods import Period
from sikkb.report import Recap, VillageReport
from sikkb.rules.register import validate_register

PERIOD = Period(2026, 10)
REGIONS = synthetic_regions(provinces=3, kabkota=6, kecamatan=12, desa=30, seed=7)
PROVINCES = sorted({r.code for r in REGIONS if r.code.count(".") == 0})


def _country(root: Path, seed: int, copies: list[tuple[str, int, int, int]], broken: int) -> None:
    """Three province partitions as CSV; ``copies``: (table, from partition, to partition, row
    index) — the key of a row of one partition written over a row of another."""
    regs: list[ColumnarRegister] = []
    for i, p in enumerate(PROVINCES):
        codes = [r.code for r in REGIONS.kelurahan(p)]
        regs.append(synthetic_register(PERIOD, codes, families=60, seed=seed + i, pus_share=0.6))
    tables = [dict(r.tables) for r in regs]
    for table, src, dst, k in copies:
        _, key = next(v for v in CROSS_KEYS.values() if v[0] == table)
        source, target = tables[src][table], tables[dst][table]
        if not source.height or not target.height:
            continue
        value = source.get_column(key)[k % source.height]
        at = (k * 7) % target.height
        tables[dst][table] = target.with_columns(
            pl.when(pl.int_range(pl.len()) == at).then(pl.lit(value)).otherwise(pl.col(key))
            .alias(key)
        )  # fmt: skip
    if broken:  # a PUS row without a status in the first partition
        pus = tables[0]["pus"]
        tables[0]["pus"] = pus.with_columns(
            pl.when(pl.int_range(pl.len()) == broken % pus.height).then(pl.lit("XX"))
            .otherwise(pl.col("status_kb")).alias("status_kb")
        )  # fmt: skip
    for p, t in zip(PROVINCES, tables, strict=True):
        write_csv(ColumnarRegister(period=PERIOD, tables=t), root / p)


def _expected_cross(root: Path) -> set[tuple[str, str, str, int]]:
    """(rule, partition, table, row) of every cross-partition duplicate, by reading the files."""
    out = set()
    for rule, (table, key) in CROSS_KEYS.items():
        seen: dict[str, str] = {}
        for p in PROVINCES:
            frame = pl.read_csv(root / p / f"{table}.csv", infer_schema=False)
            here: dict[str, int] = {}
            for i, value in enumerate(frame.get_column(key).to_list()):
                if value is None or value.strip() == "":
                    continue
                here.setdefault(value.strip(), i + 2)
            for value, row in here.items():
                if value in seen:
                    out.add((rule, p, table, row))
            for value in here:
                seen.setdefault(value, p)
    return out


_SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@_SETTINGS
@given(
    seed=st.integers(0, 10_000),
    copies=st.lists(
        st.tuples(
            st.sampled_from(["keluarga", "pus", "institusi", "kegiatan"]),
            st.integers(0, 2),
            st.integers(0, 2),
            st.integers(0, 50),
        ),
        min_size=1,
        max_size=4,
    ),
    broken=st.integers(0, 3),
)
def test_partitions_give_the_record_engine_results(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    copies: list[tuple[str, int, int, int]],
    broken: int,
) -> None:
    root = tmp_path_factory.mktemp("country")
    _country(root, seed, copies, broken)
    month = month_by_partition(root, PERIOD, REGIONS, exclude_invalid=True)
    found = month.findings.frame
    known = {r.code for r in REGIONS.kelurahan()}

    reports: list[VillageReport] = []
    cross: set[tuple[str, str, str, int]] = set()
    for p in PROVINCES:
        # the record engine on the same files
        result = read_register(root / p, PERIOD, engine="records")
        record = (*validate_register(result.register, regions=REGIONS), *result.findings)
        mine = found.filter(pl.col("source").str.split("/").list.first() == p)
        is_cross = pl.col("rule").is_in(list(CROSS_KEYS)) & pl.col("message_en").str.ends_with(
            pl.concat_str(pl.lit("/"), pl.col("table"), pl.lit(")"))
        )
        cross |= {
            (r["rule"], p, r["table"], r["row"])
            for r in mine.filter(is_cross).iter_rows(named=True)
        }
        assert {
            (r["rule"], r["table"], r["row"], r["message_id"])
            for r in mine.filter(~is_cross).iter_rows(named=True)
        } == {(f.rule_id, f.location.table, f.location.row, f.message.id) for f in record}
        # its village reports, leaving out the rows with errors and the cross-partition rows
        bad: dict[str, set[int]] = {}
        for f in record:
            if f.severity.value == "ERROR" and f.location.table and f.location.row:
                bad.setdefault(f.location.table, set()).add(f.location.row)
        for _rule, part, table, row in cross:
            if part == p:
                bad.setdefault(table, set()).add(row)
        codes = [c for c in result.register.kelurahan_codes if c in known]
        reports.extend(
            VillageReport.all_from_register(
                result.register, findings=_Rows(bad), exclude_invalid=True, kelurahan=codes
            )
        )
    reports = _added_up(reports)
    assert cross == _expected_cross(root)

    got = reports_of_items(month.villages, PERIOD, exclude_invalid=True)
    by_code = {r.region: r for r in reports}
    assert [r.region for r in got] == sorted(by_code)
    for r in got:
        assert r == by_code[r.region]
        assert dict(r.rows_excluded) == dict(by_code[r.region].rows_excluded)

    # every region's recap is the record code's; the country is the sum of the provinces
    provinces = []
    for p in PROVINCES:
        mine_reports = [r for r in reports if r.region.startswith(p + ".")]
        tree = Recap.build_tree(p, PERIOD, mine_reports, REGIONS)
        for code, recap in tree.items():
            assert recap_of(code, PERIOD, month.recaps, month.villages, REGIONS) == recap
        provinces.append(tree[p])
    for key in ("pus", "pa", "pb", "bukan_peserta", "sasaran.BKB", "rakor"):
        values = [v for v in (t.value(key) for t in provinces) if v is not None]
        assert month.national[key] == (sum(values) if values else None)


def _added_up(reports: list[VillageReport]) -> list[VillageReport]:
    """One report per kelurahan: a kelurahan with rows in two partitions adds up."""
    values: dict[str, dict[str, int]] = {}
    left: dict[str, dict[str, int]] = {}
    for r in reports:
        v, n = values.setdefault(r.region, {}), left.setdefault(r.region, {})
        for k, x in r.values:
            v[k] = v.get(k, 0) + x
        for t, x in r.rows_excluded:
            n[t] = n.get(t, 0) + x
    return [
        VillageReport(region=c, period=PERIOD, values=values[c], rows_excluded=left[c])
        for c in sorted(values)
    ]


class _Rows:
    """What ``VillageReport.all_from_register`` reads of findings: the rows with errors."""

    def __init__(self, bad: dict[str, set[int]]) -> None:
        self._bad = {t: frozenset(r) for t, r in bad.items()}

    def error_rows(self) -> dict[str, frozenset[int]]:
        return self._bad


def test_a_key_in_two_partitions_refuses_the_month_unless_rows_are_left_out(
    tmp_path: Path,
) -> None:
    _country(tmp_path, 1, [("keluarga", 0, 2, 3)], 0)
    with pytest.raises(ReportRefusedError) as refused:
        month_by_partition(tmp_path, PERIOD, REGIONS)
    # the family row given another province's code, and the couple it leaves without a family
    assert refused.value.rows == {"keluarga": 1, "pus": 1}
    (finding,) = [f for f in refused.value.findings.page(0, 5) if f.location.table == "keluarga"]
    assert finding.rule_id == "kode-keluarga-unik"
    assert finding.location.source == PROVINCES[2]
    assert f"({PROVINCES[0]}/keluarga)" in finding.message.id
    month = month_by_partition(tmp_path, PERIOD, REGIONS, exclude_invalid=True)
    assert month.outcome.excluded[0].table == "keluarga"
    assert month.outcome.excluded[0].reasons == (("kode-keluarga-unik", 1),)
    assert month.rows["keluarga"] == 3 * 60


def test_worker_processes_give_the_same_month(tmp_path: Path) -> None:
    _country(tmp_path, 3, [("pus", 0, 1, 4), ("keluarga", 1, 2, 9)], 1)
    one = month_by_partition(tmp_path, PERIOD, REGIONS, exclude_invalid=True)
    two = month_by_partition(tmp_path, PERIOD, REGIONS, exclude_invalid=True, workers=2)
    assert one.findings.frame.equals(two.findings.frame)
    assert one.villages.equals(two.villages)
    assert all(one.recaps[k].equals(two.recaps[k]) for k in one.recaps)
    assert one.rows == two.rows and one.outcome == two.outcome
    assert len(one.findings) >= 3  # the two keys met twice and the broken status
