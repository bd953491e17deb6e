"""sikkb: monthly family-planning field-control reports (Laporan Pengendalian Lapangan).

Data flows register → findings → report → recap → export. This package is the pure core: no files
(apart from its own package data), no network, no clock.
"""

from __future__ import annotations

from sikkb.errors import (
    InvalidCodeError,
    InvalidNIKError,
    InvalidPeriodError,
    InvalidRecordError,
    InvalidRegionTableError,
    SikkbError,
    UnknownRegionError,
)
from sikkb.periods import Period, Quarter

__version__ = "0.1.0.dev0"

__all__ = [
    "InvalidCodeError",
    "InvalidNIKError",
    "InvalidPeriodError",
    "InvalidRecordError",
    "InvalidRegionTableError",
    "Period",
    "Quarter",
    "SikkbError",
    "UnknownRegionError",
    "__version__",
]
