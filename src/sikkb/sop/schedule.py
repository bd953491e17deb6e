"""The schedule of one period's cycle: the start and due date of every SOP step.

:func:`schedule` is a pure function of the SOP, the calendar and the period. Every unit of a period
shares the same schedule (the SOP's durations do not depend on the unit).

The day convention:

- The cycle starts on the SOP's anchor (by default the first day after the reporting month), rolled
  forward to the first counted day (a working day, with a working-day calendar).
- A step without dependencies starts on that day; a step with dependencies starts on the first
  counted day after the latest due date among them (the longest path through the steps).
- A step of *N* days that starts on day *S* is **due on its N-th counted day**, *S* being the
  first: with calendar days, due = *S* + *N* − 1. The due date is the last day the step may be done.

With Kota Tangerang's SOP and calendar days, October 2026 runs: steps 1-3 from 1 to 15 November
2026, step 4 on 16 November, steps 5 and 6 on 17 November.

Example:
    >>> from sikkb.sop.definition import kota_tangerang_sop
    >>> s = schedule(kota_tangerang_sop(), Calendar(), Period(2026, 10))
    >>> [(n.number, n.start.day, n.due.day) for n in s.steps]
    [(1, 1, 15), (2, 1, 15), (3, 1, 15), (4, 16, 16), (5, 17, 17), (6, 17, 17)]
    >>> s.start.isoformat(), s.due.isoformat()
    ('2026-11-01', '2026-11-17')
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

from sikkb.periods import Period
from sikkb.sop.calendars import Calendar, DayCount
from sikkb.sop.definition import SOP
from sikkb.sop.lifecycle import EventKind

__all__ = ["Schedule", "ScheduledStep", "schedule"]

_ONE_DAY = dt.timedelta(days=1)


@attrs.frozen(kw_only=True)
class ScheduledStep:
    """One step's dates in one period's cycle.

    Attributes:
        number: the step's number in the SOP.
        start: the first day the step runs.
        due: the last day it may be done (its ``duration_days``-th counted day).
        on_time_until: the last day a completion counts as on time (``due`` + the SOP's
            ``timely_days``, calendar days).
        locked_after: the last day before submissions are refused (``due`` + ``expiry_days``),
            ``None`` if the SOP never locks.
        responsible: the lane that must do it.
        completed_by: the lifecycle event that completes it.
        depends_on: the steps it waits for.
    """

    number: int
    start: dt.date
    due: dt.date
    on_time_until: dt.date
    locked_after: dt.date | None = None
    responsible: str
    completed_by: EventKind
    depends_on: tuple[int, ...] = ()


@attrs.frozen(kw_only=True)
class Schedule:
    """The dates of one period's cycle under one SOP and calendar.

    Attributes:
        sop_number: the SOP's number.
        period: the reporting period.
        counting: how days were counted.
        anchor: the cycle's anchor date, before rolling forward to a counted day.
        steps: the scheduled steps, in SOP step order.
    """

    sop_number: str
    period: Period
    counting: DayCount
    anchor: dt.date
    steps: tuple[ScheduledStep, ...]

    @property
    def start(self) -> dt.date:
        """The first day of the cycle (the earliest step start)."""
        return min(s.start for s in self.steps)

    @property
    def due(self) -> dt.date:
        """The last day of the cycle (the latest due date)."""
        return max(s.due for s in self.steps)

    def step(self, number: int) -> ScheduledStep:
        """The dates of step ``number``.

        Raises:
            KeyError: if the SOP has no such step.
        """
        for s in self.steps:
            if s.number == number:
                return s
        raise KeyError(f"{self.sop_number} has no step {number}")

    def locked_after(self, kind: EventKind = EventKind.SUBMITTED) -> dt.date | None:
        """The last day an event of ``kind`` may be recorded, if the SOP locks (``expiry_days``).

        The latest lock date of the steps that ``kind`` completes; ``None`` if the SOP never locks
        or ``kind`` completes no step. Pass it to the event log's ``record(..., locked_after=...)``
        for submissions (data entry closes; later verification and forwarding stay possible).
        """
        dates = [s.locked_after for s in self.steps if s.completed_by is kind]
        if not dates or any(d is None for d in dates):
            return None
        return max(d for d in dates if d is not None)

    # -- notebooks -------------------------------------------------------------------------------

    def to_pandas(self, form: Literal["long", "wide"] = "long", **options: Any) -> Any:
        """This object as a pandas data frame (see :func:`sikkb.views.frames.to_pandas`)."""
        from sikkb.views.frames import to_pandas

        return to_pandas(self, form, **options)

    def to_polars(self, form: Literal["long", "wide"] = "long", **options: Any) -> Any:
        """This object as a polars data frame (see :func:`sikkb.views.frames.to_polars`)."""
        from sikkb.views.frames import to_polars

        return to_polars(self, form, **options)

    def _repr_html_(self) -> str:
        from sikkb.views.display import schedule_html

        return schedule_html(self)


def schedule(sop: SOP, calendar: Calendar, period: Period) -> Schedule:
    """The start and due dates of every step of ``sop`` for ``period``, counting days by ``calendar``.

    A pure function: no clock, no I/O. See the module docstring for the day convention.

    Args:
        sop: the SOP (its steps, dependencies and cycle rules).
        calendar: how days are counted (``sop.calendar`` is the SOP's own default).
        period: the reporting month.
    """
    rules = sop.cycle
    anchor = rules.anchor(period)
    dues: dict[int, dt.date] = {}
    dated: dict[int, ScheduledStep] = {}
    for number in sop.order:
        step = sop.step(number)
        # a step starts on the anchor, or the day after the last of its dependencies is due
        earliest = max(dues[d] for d in step.depends_on) + _ONE_DAY if step.depends_on else anchor
        start = calendar.roll_forward(earliest)
        due = calendar.due_date(start, step.duration_days)
        dues[number] = due
        dated[number] = ScheduledStep(
            number=number,
            start=start,
            due=due,
            on_time_until=due + dt.timedelta(days=rules.timely_days),
            locked_after=(
                None if rules.expiry_days is None else due + dt.timedelta(days=rules.expiry_days)
            ),
            responsible=step.responsible,
            completed_by=step.completed_by,
            depends_on=step.depends_on,
        )
    return Schedule(
        sop_number=sop.number,
        period=period,
        counting=calendar.counting,
        anchor=anchor,
        steps=tuple(dated[s.number] for s in sop.steps),
    )
