"""The SOP as data: definitions, calendars, schedules, the report lifecycle, and timeliness.

A Dinas's SOP (Kota Tangerang's 050/391 C-SKIT ships with sikkb) gives the steps of the monthly
cycle, who does them, how many days each takes and what each waits for. From it:

- :func:`schedule` dates every step of a period's cycle (calendar or working days);
- the lifecycle (:func:`replay`, :func:`transition`) folds a report's event log into its state;
- :class:`ReportingCycle` tells, as of a date, which units did which step on time, the reporting
  rates per kecamatan and city, and whom to remind.

Everything here is pure: no clock (functions take ``as_of``), no files. The event log's JSON Lines
file is read and written by :mod:`sikkb.io.eventlog`.

Example:
    >>> import datetime as dt
    >>> from sikkb.periods import Period
    >>> sop = kota_tangerang_sop()
    >>> s = schedule(sop, Calendar(), Period(2026, 10))
    >>> s.step(4).due, s.due
    (datetime.date(2026, 11, 16), datetime.date(2026, 11, 17))
    >>> cycle = ReportingCycle(sop=sop, period=Period(2026, 10), units=["36.71.07.1003"])
    >>> [(r.step, r.lane, r.days) for r in cycle.overdue(dt.date(2026, 11, 16))]
    [(1, 'PPKBD', 1), (2, 'PPKBD', 1), (3, 'PPKBD', 1)]
"""

from __future__ import annotations

from sikkb.sop.calendars import Calendar, DayCount, cuti_bersama_from_holidays
from sikkb.sop.definition import (
    SOP,
    Approver,
    CycleRules,
    EventRoles,
    Lane,
    LegalBasis,
    Step,
    kota_tangerang_sop,
)
from sikkb.sop.lifecycle import (
    EventKind,
    LifecycleEvent,
    ReportKey,
    ReportState,
    ReportStatus,
    RoleTable,
    content_hash,
    replay,
    replay_all,
    transition,
)
from sikkb.sop.schedule import Schedule, ScheduledStep, schedule
from sikkb.sop.timeliness import (
    Reminder,
    ReportingCycle,
    ReportingRate,
    StepStatus,
    Timeliness,
    Unit,
    reporting_rates,
)

__all__ = [
    "SOP",
    "Approver",
    "Calendar",
    "CycleRules",
    "DayCount",
    "EventKind",
    "EventRoles",
    "Lane",
    "LegalBasis",
    "LifecycleEvent",
    "Reminder",
    "ReportKey",
    "ReportState",
    "ReportStatus",
    "ReportingCycle",
    "ReportingRate",
    "RoleTable",
    "Schedule",
    "ScheduledStep",
    "Step",
    "StepStatus",
    "Timeliness",
    "Unit",
    "content_hash",
    "cuti_bersama_from_holidays",
    "kota_tangerang_sop",
    "replay",
    "replay_all",
    "reporting_rates",
    "schedule",
    "transition",
]
