"""sikkb_exporters: the exporter plugin host and the built-in exporters.

Build a registry, then export a report (a :class:`~sikkb.report.VillageReport` or a
:class:`~sikkb.report.Recap`, or a :class:`ReportBundle` that adds configuration, history and
timeliness) with any registered exporter::

    registry = make_registry()
    result = registry.export(bundle, "out/kota-2026-10.pdf", exporter="kota-pdf")
    result.findings          # e.g. a WARNING when no signer is configured

Third-party exporters are plugins announced in the ``sikkb`` entry-point group; see
:mod:`sikkb_exporters.hookspecs` and ``docs/exporters.md``.
"""

from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.config import Logo, ReportConfig, ReportStyle, Signer, load_config
from sikkb_exporters.errors import (
    DuplicateExporterError,
    ExporterError,
    ExportFailedError,
    InvalidExporterError,
    MissingExtraError,
    OutputExistsError,
    PluginLoadError,
    ReportConfigError,
    UnknownExporterError,
    UnsafeOutputError,
    UnsafeResourceError,
    UnsupportedLevelError,
)
from sikkb_exporters.exporter import ALL_LEVELS, Exporter, level_name
from sikkb_exporters.hookspecs import hookimpl
from sikkb_exporters.registry import (
    ALLOW_ENV,
    AUTOLOAD_ENV,
    ENTRY_POINT_GROUP,
    ExportFailure,
    ExportJob,
    ExportResult,
    ExportRun,
    Registry,
    atomic_write,
    check_inside,
    make_registry,
    remove_stale_parts,
)

__all__ = [
    "ALLOW_ENV",
    "ALL_LEVELS",
    "AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "DuplicateExporterError",
    "ExportFailedError",
    "ExportFailure",
    "ExportJob",
    "ExportResult",
    "ExportRun",
    "Exporter",
    "ExporterError",
    "InvalidExporterError",
    "Logo",
    "MissingExtraError",
    "OutputExistsError",
    "PluginLoadError",
    "Registry",
    "ReportBundle",
    "ReportConfig",
    "ReportConfigError",
    "ReportStyle",
    "Signer",
    "UnknownExporterError",
    "UnsafeOutputError",
    "UnsafeResourceError",
    "UnsupportedLevelError",
    "atomic_write",
    "check_inside",
    "hookimpl",
    "level_name",
    "load_config",
    "make_registry",
    "remove_stale_parts",
]
