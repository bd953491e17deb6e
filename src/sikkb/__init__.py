"""sikkb: monthly family-planning field-control reports (Laporan Pengendalian Lapangan).

Data flows **register → findings → report → recap → export**. This package is the pure core: no
files (apart from its own package data), no network, no clock. Reading files and the command line
live in :mod:`sikkb.io` and ``sikkb.cli``; exporters in the ``sikkb_exporters`` package.

The names below are the supported API; each module documents its own.

Example:
    >>> import sikkb
    >>> month = sikkb.build_month(sikkb.demo_city(sikkb.Period(2026, 10), scale=0.005))
    >>> month.top.value("pus") == sum(v.value("pus") for v in month.villages)
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sikkb.codes import (
        AlasanBukanPeserta,
        JenisInstitusi,
        Metode,
        Poktan,
        TahapanKS,
        TempatPelayanan,
        parse_status_kb,
    )
    from sikkb.convert import from_json, make_converter, to_json
    from sikkb.demo import demo_city, demo_months
    from sikkb.errors import (
        EventLogError,
        FormReportError,
        InvalidCodeError,
        InvalidNIKError,
        InvalidPeriodError,
        InvalidRecordError,
        InvalidRegionTableError,
        InvalidSOPError,
        LifecycleError,
        OptionalDependencyError,
        RecapInputError,
        RegisterFileError,
        RegisterRowsError,
        ReportRefusedError,
        SikkbError,
        UnknownItemError,
        UnknownRegionError,
        UnknownRuleError,
    )
    from sikkb.i18n import Text
    from sikkb.nik import NIK, mask_nik
    from sikkb.periods import Period, Quarter
    from sikkb.pipeline import MonthlyReports, build_month
    from sikkb.regions import Region, RegionTable, Tingkat, kota_tangerang, parse_region_code
    from sikkb.register import Institusi, Kegiatan, Keluarga, Pus, Register
    from sikkb.report import (
        CATALOGUE,
        Cell,
        CellStatus,
        Indicators,
        PPMTargets,
        Ratio,
        Recap,
        Series,
        VillageReport,
    )
    from sikkb.rules import (
        Finding,
        Findings,
        Location,
        Rule,
        RuleContext,
        RuleSet,
        Severity,
        register_rules,
        run_rules,
        validate_register,
    )
    from sikkb.rules.report import report_rules, validate_report
    from sikkb.sop import (
        SOP,
        Calendar,
        LifecycleEvent,
        ReportingCycle,
        content_hash,
        kota_tangerang_sop,
        schedule,
    )

#: Where each name of the API lives: loaded on first use (PEP 562), so ``import sikkb`` and the
#: command line load only the modules they need.
_LAZY: dict[str, str] = {
    "AlasanBukanPeserta": "sikkb.codes",
    "CATALOGUE": "sikkb.report",
    "Calendar": "sikkb.sop",
    "Cell": "sikkb.report",
    "CellStatus": "sikkb.report",
    "EventLogError": "sikkb.errors",
    "Finding": "sikkb.rules",
    "Findings": "sikkb.rules",
    "FormReportError": "sikkb.errors",
    "Indicators": "sikkb.report",
    "Institusi": "sikkb.register",
    "InvalidCodeError": "sikkb.errors",
    "InvalidNIKError": "sikkb.errors",
    "InvalidPeriodError": "sikkb.errors",
    "InvalidRecordError": "sikkb.errors",
    "InvalidRegionTableError": "sikkb.errors",
    "InvalidSOPError": "sikkb.errors",
    "JenisInstitusi": "sikkb.codes",
    "Kegiatan": "sikkb.register",
    "Keluarga": "sikkb.register",
    "LifecycleError": "sikkb.errors",
    "LifecycleEvent": "sikkb.sop",
    "Location": "sikkb.rules",
    "Metode": "sikkb.codes",
    "MonthlyReports": "sikkb.pipeline",
    "NIK": "sikkb.nik",
    "OptionalDependencyError": "sikkb.errors",
    "PPMTargets": "sikkb.report",
    "Period": "sikkb.periods",
    "Poktan": "sikkb.codes",
    "Pus": "sikkb.register",
    "Quarter": "sikkb.periods",
    "Ratio": "sikkb.report",
    "Recap": "sikkb.report",
    "RecapInputError": "sikkb.errors",
    "Region": "sikkb.regions",
    "RegionTable": "sikkb.regions",
    "Register": "sikkb.register",
    "RegisterFileError": "sikkb.errors",
    "RegisterRowsError": "sikkb.errors",
    "ReportRefusedError": "sikkb.errors",
    "ReportingCycle": "sikkb.sop",
    "Rule": "sikkb.rules",
    "RuleContext": "sikkb.rules",
    "RuleSet": "sikkb.rules",
    "SOP": "sikkb.sop",
    "Series": "sikkb.report",
    "Severity": "sikkb.rules",
    "SikkbError": "sikkb.errors",
    "TahapanKS": "sikkb.codes",
    "TempatPelayanan": "sikkb.codes",
    "Text": "sikkb.i18n",
    "Tingkat": "sikkb.regions",
    "UnknownItemError": "sikkb.errors",
    "UnknownRegionError": "sikkb.errors",
    "UnknownRuleError": "sikkb.errors",
    "VillageReport": "sikkb.report",
    "build_month": "sikkb.pipeline",
    "content_hash": "sikkb.sop",
    "demo_city": "sikkb.demo",
    "demo_months": "sikkb.demo",
    "from_json": "sikkb.convert",
    "kota_tangerang": "sikkb.regions",
    "kota_tangerang_sop": "sikkb.sop",
    "make_converter": "sikkb.convert",
    "mask_nik": "sikkb.nik",
    "parse_region_code": "sikkb.regions",
    "parse_status_kb": "sikkb.codes",
    "register_rules": "sikkb.rules",
    "report_rules": "sikkb.rules.report",
    "run_rules": "sikkb.rules",
    "schedule": "sikkb.sop",
    "to_json": "sikkb.convert",
    "validate_register": "sikkb.rules",
    "validate_report": "sikkb.rules.report",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sikkb' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0.dev0"

__all__ = [
    "CATALOGUE",
    "NIK",
    "SOP",
    "AlasanBukanPeserta",
    "Calendar",
    "Cell",
    "CellStatus",
    "EventLogError",
    "Finding",
    "Findings",
    "FormReportError",
    "Indicators",
    "Institusi",
    "InvalidCodeError",
    "InvalidNIKError",
    "InvalidPeriodError",
    "InvalidRecordError",
    "InvalidRegionTableError",
    "InvalidSOPError",
    "JenisInstitusi",
    "Kegiatan",
    "Keluarga",
    "LifecycleError",
    "LifecycleEvent",
    "Location",
    "Metode",
    "MonthlyReports",
    "OptionalDependencyError",
    "PPMTargets",
    "Period",
    "Poktan",
    "Pus",
    "Quarter",
    "Ratio",
    "Recap",
    "RecapInputError",
    "Region",
    "RegionTable",
    "Register",
    "RegisterFileError",
    "RegisterRowsError",
    "ReportRefusedError",
    "ReportingCycle",
    "Rule",
    "RuleContext",
    "RuleSet",
    "Series",
    "Severity",
    "SikkbError",
    "TahapanKS",
    "TempatPelayanan",
    "Text",
    "Tingkat",
    "UnknownItemError",
    "UnknownRegionError",
    "UnknownRuleError",
    "VillageReport",
    "__version__",
    "build_month",
    "content_hash",
    "demo_city",
    "demo_months",
    "from_json",
    "kota_tangerang",
    "kota_tangerang_sop",
    "make_converter",
    "mask_nik",
    "parse_region_code",
    "parse_status_kb",
    "register_rules",
    "report_rules",
    "run_rules",
    "schedule",
    "to_json",
    "validate_register",
    "validate_report",
]
