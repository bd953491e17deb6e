"""Views for notebooks, on top of the core: data frames, HTML and chart data of sikkb's records.

The core's records (reports, recaps, findings, schedules, registers) know nothing of data frames or
HTML; their ``to_pandas`` / ``to_polars`` / ``_repr_html_`` methods import this package only when
called. :mod:`sikkb.views.frames` turns records into pandas or polars data frames (or plain rows);
:mod:`sikkb.views.display` renders them as HTML tables; :mod:`sikkb.views.charts` gives the report
charts as data (:mod:`sikkb.plot` draws them).
"""

from __future__ import annotations

from sikkb.views.charts import ChartData
from sikkb.views.display import (
    MAX_FINDINGS,
    RECAP_COLUMNS,
    SEVERITY_COLOURS,
    findings_html,
    indicators_html,
    monthly_reports_html,
    ratio_html,
    read_result_html,
    recap_html,
    register_html,
    reporting_cycle_html,
    schedule_html,
    series_html,
    village_report_html,
)
from sikkb.views.frames import (
    INDICATOR_COLUMNS,
    Form,
    indicator_row,
    to_pandas,
    to_polars,
    to_records,
)

__all__ = [
    "INDICATOR_COLUMNS",
    "MAX_FINDINGS",
    "RECAP_COLUMNS",
    "SEVERITY_COLOURS",
    "ChartData",
    "Form",
    "findings_html",
    "indicator_row",
    "indicators_html",
    "monthly_reports_html",
    "ratio_html",
    "read_result_html",
    "recap_html",
    "register_html",
    "reporting_cycle_html",
    "schedule_html",
    "series_html",
    "to_pandas",
    "to_polars",
    "to_records",
    "village_report_html",
]
