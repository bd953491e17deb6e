"""The columnar half of :func:`sikkb.pipeline.build_month`: findings and village reports."""

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

__all__ = ["columnar_month"]


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


def columnar_month(
    register: Register | ColumnarRegister,
    regions: RegionTable,
    known: Collection[str],
    *,
    rules: RuleSet | None,
    extra_findings: Findings | None,
    exclude_invalid: bool,
    unreadable: Sequence[object],
) -> tuple[Findings, tuple[VillageReport, ...], Mapping[str, str]]:
    """The findings, the village reports of the ``known`` kelurahan, and the families unreadable
    PUS rows name (kode_keluarga → kelurahan)."""
    reg = (
        register
        if isinstance(register, ColumnarRegister)
        else ColumnarRegister.from_register(register)
    )
    table: FindingsTable = validate_columnar(reg, regions=regions, rules=rules)
    findings = table.to_findings()
    if extra_findings is not None:
        findings = findings + extra_findings
    codes = [c for c in reg.kelurahan_codes if c in known]
    villages = village_reports(
        reg, codes, errors=findings.error_rows(), exclude_invalid=exclude_invalid
    )
    wanted = sorted(
        {
            str(row.get("kode_keluarga") or "").strip()  # type: ignore[attr-defined]
            for row in unreadable
            if getattr(row, "table", None) == "pus"
        }
    )
    return findings, villages, _families(reg, wanted)
