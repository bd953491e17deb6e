"""Views for notebooks, on top of the core: data frames and HTML of sikkb's records.

The core's records (reports, recaps, findings, schedules, registers) know nothing of data frames or
HTML; their ``to_pandas`` / ``to_polars`` / ``_repr_html_`` methods import this package only when
called. :mod:`sikkb.views.frames` turns records into pandas or polars data frames (or plain rows);
:mod:`sikkb.views.display` renders them as HTML tables.
"""

from __future__ import annotations

from sikkb.views.display import (
    MAX_FINDINGS,
    RECAP_COLUMNS,
    SEVERITY_COLOURS,
    findings_html,
    monthly_reports_html,
    recap_html,
    schedule_html,
    village_report_html,
)
from sikkb.views.frames import Form, to_pandas, to_polars, to_records

__all__ = [
    "MAX_FINDINGS",
    "RECAP_COLUMNS",
    "SEVERITY_COLOURS",
    "Form",
    "findings_html",
    "monthly_reports_html",
    "recap_html",
    "schedule_html",
    "to_pandas",
    "to_polars",
    "to_records",
    "village_report_html",
]
