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
