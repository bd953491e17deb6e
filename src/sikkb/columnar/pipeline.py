"""The columnar half of :func:`sikkb.pipeline.build_month`: findings, then village reports."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import polars as pl

from sikkb.columnar.findings import FindingsTable
from sikkb.columnar.rules import validate_columnar
from sikkb.columnar.tables import ColumnarRegister
from sikkb.columnar.village import village_reports
from sikkb.regions import RegionTable
from sikkb.register import Register
from sikkb.report import VillageReport
from sikkb.rules.engine import Findings, RuleSet

__all__ = ["as_columnar", "month_findings_table", "month_villages"]


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


def month_villages(
    register: ColumnarRegister,
    known: Collection[str],
    findings: Findings,
    *,
    exclude_invalid: bool,
    unreadable: Sequence[object],
) -> tuple[tuple[VillageReport, ...], Mapping[str, str]]:
    """The village reports of the ``known`` kelurahan, and the families unreadable PUS rows
    name (kode_keluarga → kelurahan)."""
    codes = [c for c in register.kelurahan_codes if c in known]
    villages = village_reports(
        register, codes, errors=findings.error_rows(), exclude_invalid=exclude_invalid
    )
    wanted = sorted(
        {
            str(row.get("kode_keluarga") or "").strip()  # type: ignore[attr-defined]
            for row in unreadable
            if getattr(row, "table", None) == "pus"
        }
    )
    return villages, _families(register, wanted)
