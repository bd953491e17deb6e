"""A month's reports and recaps as rows of ``sikkb_report_value``, for dashboards.

The rows are the CSV exporter's long form (``sikkb_exporters.machine.long_rows``: region,
period, item, disaggregation, value), one per reported number of every village report and of every
recap's own total, with the region's level. An item that is not reported has no row (never a 0).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from sikkb.io.db.engine import Bind, Database
from sikkb.io.db.schema import report_values
from sikkb.pipeline import MonthlyReports
from sikkb.regions import tingkat_of

__all__ = ["month_rows", "read_report_values", "write_month_db"]


def month_rows(month: MonthlyReports) -> list[dict[str, Any]]:
    """The rows of ``sikkb_report_value`` for one month: every village report's numbers and every
    recap's total, each once."""
    from sikkb_exporters.machine import long_rows

    out: list[dict[str, Any]] = []
    reports: list[Any] = [*month.villages, *month.recaps.values()]
    for report in reports:
        for region, period, item, disaggregation, value in long_rows(report):
            if region != report.region:  # a recap's child rows are the child reports' own rows
                continue
            out.append({
                "period": period, "region": region, "item": item,
                "disaggregation": disaggregation, "value": value,
                "level": tingkat_of(region).name.lower(),
            })  # fmt: skip
    return out


def write_month_db(bind: Bind, month: MonthlyReports) -> int:
    """Write (replace) a month's report values; returns the number of rows written.

    The month's earlier rows are deleted and the new ones inserted in one transaction, so a
    dashboard never sees half a month.

    Raises:
        DatabaseError: the database refuses the rows (the schema must exist:
            :func:`~sikkb.io.db.migrate`).
    """
    rows = month_rows(month)
    db = Database(bind)
    try:
        with db.transaction() as conn:
            conn.execute(sa.delete(report_values).where(report_values.c.period == month.period.iso))
            if rows:
                conn.execute(sa.insert(report_values), rows)
    except sa.exc.SQLAlchemyError as e:
        raise db.error(e, "writing the report values", "menulis nilai laporan") from e
    finally:
        db.close()
    return len(rows)


def read_report_values(bind: Bind, period: str | None = None) -> list[dict[str, Any]]:
    """The stored report values (of ``period``), ordered by period, region, item."""
    t = report_values
    query = sa.select(t).order_by(t.c.period, t.c.region, t.c.item, t.c.disaggregation)
    if period is not None:
        query = query.where(t.c.period == period)
    db = Database(bind)
    try:
        with db.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
    except sa.exc.SQLAlchemyError as e:
        raise db.error(e, "reading the report values", "membaca nilai laporan") from e
    finally:
        db.close()
