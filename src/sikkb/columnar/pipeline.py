"""The columnar half of :func:`sikkb.pipeline.build_month`: findings, then village reports."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import polars as pl

from sikkb.columnar.findings import FindingsTable
from sikkb.columnar.rules import validate_columnar
from sikkb.columnar.tables import ColumnarRegister
from sikkb.columnar.village import reports_of_items, village_items
from sikkb.regions import RegionTable
from sikkb.register import Register
from sikkb.report import VillageReport
from sikkb.rules.engine import Findings, RuleSet

__all__ = ["as_columnar", "month_findings_table", "month_villages", "start_clean_items"]


def as_columnar(register: Register | ColumnarRegister) -> ColumnarRegister:
    """The register as columns (a record register is converted once)."""
    if isinstance(register, ColumnarRegister):
        return register
    return ColumnarRegister.from_register(register)


def month_findings_table(
    register: ColumnarRegister, regions: RegionTable, rules: RuleSet | None
) -> FindingsTable:
    """The register rule pack's findings (as :func:`sikkb.rules.register.validate_register`),
    as a table."""
    return validate_columnar(register, regions=regions, rules=rules)


def _families(reg: ColumnarRegister, codes: Sequence[str]) -> dict[str, str]:
    """kode_keluarga → kelurahan of its first row (table order), for the codes asked about."""
    if not codes:
        return {}
    first = (
        reg.tables["keluarga"]
        .filter(pl.col("kode_keluarga").is_in(list(codes)))
        .unique("kode_keluarga", keep="first", maintain_order=True)
    )
    return dict(first.select("kode_keluarga", "kode_wilayah").iter_rows())


def _codes(register: ColumnarRegister, known: Collection[str]) -> list[str]:
    return [c for c in register.kelurahan_codes if c in known]


def start_clean_items(
    register: ColumnarRegister, known: Collection[str]
) -> Future[pl.DataFrame] | None:
    """Start computing the village items of the ``known`` kelurahan on a second thread, as they are
    when no row has an ERROR finding (``None`` on one core).

    Most months have no such row, and then the items do not depend on the findings: the rules
    (main thread) and the items (this thread) run at once, each in Polars' kernels for most of
    its time. :func:`month_villages` takes the items from here when the findings allow it and
    computes them again otherwise.
    """
    if (os.cpu_count() or 1) < 2:
        return None
    codes = _codes(register, known)
    register.family_of_pus()  # shared by the rules and the items: computed once, before both
    pool = ThreadPoolExecutor(1, thread_name_prefix="sikkb-villages")
    try:
        return pool.submit(village_items, register, codes, {})
    finally:
        pool.shutdown(wait=False)


def month_villages(
    register: ColumnarRegister,
    known: Collection[str],
    findings: Findings,
    *,
    exclude_invalid: bool,
    unreadable: Sequence[object],
    clean: Future[pl.DataFrame] | None = None,
) -> tuple[tuple[VillageReport, ...], Mapping[str, str]]:
    """The village reports of the ``known`` kelurahan, and the families unreadable PUS rows
    name (kode_keluarga → kelurahan).

    ``clean``: the items :func:`start_clean_items` started, used when no row has an ERROR finding.
    """
    errors = findings.error_rows()
    if clean is not None and not any(errors.values()):
        items = clean.result()
    else:
        items = village_items(register, _codes(register, known), errors)
    villages = reports_of_items(items, register.period, exclude_invalid=exclude_invalid)
    wanted = sorted(
        {
            str(row.get("kode_keluarga") or "").strip()  # type: ignore[attr-defined]
            for row in unreadable
            if getattr(row, "table", None) == "pus"
        }
    )
    return villages, _families(register, wanted)
