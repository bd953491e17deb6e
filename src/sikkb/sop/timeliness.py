"""Timeliness and completeness: which units did which step, on time or late, as of a date.

A :class:`ReportingCycle` holds one period's SOP, calendar, expected units and event log. As of a
date it gives:

- each unit's status per step (:meth:`~ReportingCycle.statuses`): ``ON_TIME`` (done by the on-time
  cut-off), ``LATE`` (done after it), ``MISSING`` (not done, cut-off passed), ``PENDING`` (not done,
  cut-off not yet passed);
- reporting rates per kecamatan and city in DHIS2's terms (:meth:`~ReportingCycle.rates`);
- the steps to remind people of (:meth:`~ReportingCycle.overdue`, :meth:`~ReportingCycle.due_soon`),
  with the responsible lane.

Which event completes which step is SOP data (``completed_by`` of each step). For Kota Tangerang:

===================  =========================================
event                steps it completes for the unit
===================  =========================================
``SUBMITTED``        1, 2, 3, 4 (the PPKBD's recording steps)
``FORWARDED``        5 (report to BKKBN)
``DISSEMINATED``     6 (report to Walikota, kecamatan, ...)
===================  =========================================

A step is *done* on the local date (the SOP's ``utc_offset``) of the latest event that completes
it, provided no ``RETURNED`` came after that event. So a returned report counts as not submitted
until it is resubmitted, and the resubmission's date decides whether it was on time (DHIS2's rule
for a data set marked incomplete and completed again). Events after ``as_of`` are not seen, so a
past date gives the picture as it was then.

The on-time cut-off (``timely_days`` after the due date) is separate from the lock
(``expiry_days``): a step past its cut-off can still be done (late) until the lock.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import attrs

from sikkb.codes import CodeEnum
from sikkb.periods import Period
from sikkb.regions import Tingkat, parse_region_code
from sikkb.sop._labels import with_labels
from sikkb.sop.calendars import Calendar
from sikkb.sop.definition import SOP
from sikkb.sop.lifecycle import (
    EventKind,
    LifecycleEvent,
    ReportState,
    replay,
    replay_all,
)
from sikkb.sop.schedule import Schedule, ScheduledStep, schedule

__all__ = [
    "Reminder",
    "ReportingCycle",
    "ReportingRate",
    "StepStatus",
    "Timeliness",
    "Unit",
    "reporting_rates",
]


@with_labels(
    {
        "ON_TIME": ("Tepat waktu", "On time"),
        "LATE": ("Terlambat", "Late"),
        "MISSING": ("Belum masuk (lewat batas waktu)", "Missing (past the deadline)"),
        "PENDING": ("Belum jatuh tempo", "Not yet due"),
    }
)
class Timeliness(CodeEnum):
    """A unit's status for one step, as of a date."""

    ON_TIME = "ON_TIME"
    LATE = "LATE"
    MISSING = "MISSING"
    PENDING = "PENDING"

    @property
    def done(self) -> bool:
        """Whether the step was done (on time or late)."""
        return self in (Timeliness.ON_TIME, Timeliness.LATE)


@attrs.frozen(kw_only=True)
class Unit:
    """A reporting unit: a region code (dotted; plain is accepted) and an optional level word.

    ``level`` is informative (``"kelurahan"``); grouping uses the code or a parent mapping.
    """

    code: str = attrs.field(converter=parse_region_code)
    level: str | None = None


def _to_units(values: Iterable[Unit | str]) -> tuple[Unit, ...]:
    return tuple(v if isinstance(v, Unit) else Unit(code=v) for v in values)


@attrs.frozen(kw_only=True)
class StepStatus:
    """One unit's status for one step of one period, as of a date.

    Attributes:
        unit: the unit's region code.
        period: the reporting period.
        step: the step's number.
        lane: the responsible lane.
        due: the step's due date.
        on_time_until: its on-time cut-off.
        done_on: the date it was done (``None`` if not done as of the date).
        status: ON_TIME, LATE, MISSING or PENDING.
        locked: whether submissions were closed as of the date (``expiry_days`` passed).
    """

    unit: str
    period: Period
    step: int
    lane: str
    due: dt.date
    on_time_until: dt.date
    done_on: dt.date | None
    status: Timeliness
    locked: bool = False


@attrs.frozen(kw_only=True)
class Reminder:
    """A step a unit has not done, to remind the responsible lane of.

    Attributes:
        unit: the unit's region code.
        period: the reporting period.
        step: the step's number.
        lane: the lane responsible for the step.
        due: the step's due date.
        days: for an overdue step, days past the due date; for a step due soon, days left.
        waiting_on: the step's dependencies not yet done (the lane may be waiting on others).
    """

    unit: str
    period: Period
    step: int
    lane: str
    due: dt.date
    days: int
    waiting_on: tuple[int, ...] = ()


@attrs.frozen(kw_only=True)
class ReportingRate:
    """Completeness of one step over the units of one region, in DHIS2's terms.

    Attributes:
        code: the region (kecamatan, city) the row aggregates.
        tingkat: its level.
        step: the SOP step counted.
        expected: units expected to do the step (DHIS2 *expected reports*).
        actual: units that did it (*actual reports*).
        actual_on_time: units that did it on time (*actual reports on time*).
        missing: units past the cut-off without doing it.
    """

    code: str
    tingkat: Tingkat
    step: int
    expected: int
    actual: int
    actual_on_time: int
    missing: int = attrs.field()

    @missing.validator
    def _check_counts(self, attribute: attrs.Attribute[int], value: int) -> None:
        if not 0 <= self.actual_on_time <= self.actual <= self.expected:
            raise ValueError("counts must satisfy 0 <= actual_on_time <= actual <= expected")
        if not 0 <= value <= self.expected - self.actual:
            raise ValueError("missing must be between 0 and expected - actual")

    @property
    def late(self) -> int:
        return self.actual - self.actual_on_time

    @property
    def pending(self) -> int:
        return self.expected - self.actual - self.missing

    @property
    def reporting_rate(self) -> float | None:
        """``actual / expected × 100``; ``None`` (not defined) when nothing is expected."""
        return None if self.expected == 0 else 100.0 * self.actual / self.expected

    @property
    def on_time_rate(self) -> float | None:
        """``actual_on_time / expected × 100`` (DHIS2's *reporting rate on time*, over expected
        reports, not over actual ones); ``None`` when nothing is expected."""
        return None if self.expected == 0 else 100.0 * self.actual_on_time / self.expected


def _parent(code: str, parents: Mapping[str, str]) -> str | None:
    if code in parents:
        return parents[code]
    return code.rsplit(".", 1)[0] if "." in code else None


def reporting_rates(
    statuses: Iterable[StepStatus], *, step: int, parents: Mapping[str, str] | None = None
) -> tuple[ReportingRate, ...]:
    """Aggregate step statuses into reporting rates per parent region and grandparent region.

    For kelurahan units that is one row per kecamatan (sorted by code), then one per city.

    Args:
        statuses: unit statuses (of one period); only those of ``step`` are counted.
        step: the step to count.
        parents: child code → parent code, for units whose parent is not their code prefix;
            by default a code's parent is the code without its last segment (kelurahan
            ``36.71.07.1003`` → kecamatan ``36.71.07`` → city ``36.71``).
    """
    mapping = {parse_region_code(k): parse_region_code(v) for k, v in (parents or {}).items()}
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for st in statuses:
        if st.step != step:
            continue
        region: str | None = st.unit
        for depth in (1, 2):
            region = _parent(region, mapping) if region is not None else None
            if region is None:
                break
            c = counts[(depth, region)]
            c[0] += 1
            c[1] += st.status.done
            c[2] += st.status is Timeliness.ON_TIME
            c[3] += st.status is Timeliness.MISSING
    return tuple(
        ReportingRate(
            code=code,
            tingkat=Tingkat(code.count(".") + 1),
            step=step,
            expected=c[0],
            actual=c[1],
            actual_on_time=c[2],
            missing=c[3],
        )
        for (_, code), c in sorted(counts.items())
    )


def _done_dates(sop: SOP, events: Sequence[LifecycleEvent]) -> dict[EventKind, dt.date]:
    """For one report's events (in order), the date each completing event kind stands done."""
    tz = sop.tzinfo
    done: dict[EventKind, dt.date] = {}
    for e in events:
        if e.kind is EventKind.RETURNED:
            done.clear()  # a return undoes what was standing (in practice: the submission)
        else:
            done[e.kind] = e.local_date(tz)
    return done


def _to_events(values: Iterable[LifecycleEvent]) -> tuple[LifecycleEvent, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class ReportingCycle:
    """One period's cycle: the SOP, the calendar, the units expected to report, and the event log.

    Constructing one replays the log, so an event log that breaks the lifecycle is refused at once
    (:class:`~sikkb.errors.LifecycleError`). Events of other periods are ignored: a log may hold
    many periods.

    Attributes:
        sop: the SOP.
        period: the reporting period.
        units: the units expected to report (codes are accepted).
        events: the event log (any order across reports; in time order within one report).
        calendar: how days are counted; ``None`` for the SOP's own calendar.
    """

    sop: SOP
    period: Period
    units: tuple[Unit, ...] = attrs.field(converter=_to_units)
    events: tuple[LifecycleEvent, ...] = attrs.field(default=(), converter=_to_events)
    calendar: Calendar | None = None

    @units.validator
    def _check_units(
        self, attribute: attrs.Attribute[tuple[Unit, ...]], value: tuple[Unit, ...]
    ) -> None:
        codes = [u.code for u in value]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"units repeat: {', '.join(repeated)}")

    def __attrs_post_init__(self) -> None:
        replay_all(self._period_events(None), roles=self.sop.roles)

    @property
    def schedule(self) -> Schedule:
        """The period's schedule (the same for every unit)."""
        calendar = self.sop.calendar if self.calendar is None else self.calendar
        return schedule(self.sop, calendar, self.period)

    @property
    def submissions_close_at(self) -> dt.datetime | None:
        """The moment submissions close, if the SOP locks.

        That is the start of the day after the SOP's lock date (``expiry_days`` after the due
        dates of the steps ``SUBMITTED`` completes), in the SOP's time zone; ``None`` if the SOP
        never locks. Pass it to ``transition(..., closes_at=)`` or ``EventLog.record``.
        """
        last = self.schedule.locked_after(EventKind.SUBMITTED)
        if last is None:
            return None
        return dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=self.sop.tzinfo)

    @property
    def unexpected_units(self) -> tuple[str, ...]:
        """Codes of units with events for this period that are not among :attr:`units`."""
        expected = {u.code for u in self.units}
        return tuple(sorted({e.unit for e in self._period_events(None)} - expected))

    def _period_events(self, as_of: dt.date | None) -> list[LifecycleEvent]:
        tz = self.sop.tzinfo
        return [
            e
            for e in self.events
            if e.period == self.period and (as_of is None or e.local_date(tz) <= as_of)
        ]

    def _by_unit(self, as_of: dt.date | None) -> dict[str, list[LifecycleEvent]]:
        out: dict[str, list[LifecycleEvent]] = defaultdict(list)
        for e in self._period_events(as_of):
            out[e.unit].append(e)
        return out

    def states(self, as_of: dt.date | None = None) -> dict[str, ReportState]:
        """Each expected unit's report state as of the end of ``as_of`` (all events if ``None``)."""
        by_unit = self._by_unit(as_of)
        return {
            u.code: replay(by_unit.get(u.code, ()), roles=self.sop.roles, unit=u.code,
                           period=self.period)
            for u in self.units
        }  # fmt: skip

    def statuses(self, as_of: dt.date) -> tuple[StepStatus, ...]:
        """Every expected unit's status for every step as of the end of ``as_of``.

        Ordered by unit (as given), then step (SOP order).
        """
        sched = self.schedule
        by_unit = self._by_unit(as_of)
        out: list[StepStatus] = []
        for unit in self.units:
            done = _done_dates(self.sop, by_unit.get(unit.code, []))
            out.extend(self._status(unit.code, planned, done, as_of) for planned in sched.steps)
        return tuple(out)

    def _status(
        self, unit: str, planned: ScheduledStep, done: Mapping[EventKind, dt.date], as_of: dt.date
    ) -> StepStatus:
        done_on = done.get(planned.completed_by)
        if done_on is not None:
            status = Timeliness.ON_TIME if done_on <= planned.on_time_until else Timeliness.LATE
        elif as_of <= planned.on_time_until:
            status = Timeliness.PENDING
        else:
            status = Timeliness.MISSING
        return StepStatus(
            unit=unit,
            period=self.period,
            step=planned.number,
            lane=planned.responsible,
            due=planned.due,
            on_time_until=planned.on_time_until,
            done_on=done_on,
            status=status,
            locked=planned.locked_after is not None and as_of > planned.locked_after,
        )

    def rates(
        self,
        as_of: dt.date,
        *,
        step: int | None = None,
        parents: Mapping[str, str] | None = None,
    ) -> tuple[ReportingRate, ...]:
        """Reporting rates per kecamatan and city as of ``as_of`` (see :func:`reporting_rates`).

        Args:
            as_of: the date.
            step: the step to count; by default :attr:`SOP.report_step
                <sikkb.sop.definition.SOP.report_step>` (the unit's report came in).
            parents: child → parent codes, where the code prefix is not the parent.

        Raises:
            ValueError: if ``step`` is not given and the SOP has no report step.
        """
        number = step if step is not None else self.sop.report_step
        if number is None:
            raise ValueError("the SOP has no step completed by SUBMITTED; name the step to count")
        self.sop.step(number)  # KeyError for an unknown step
        return reporting_rates(self.statuses(as_of), step=number, parents=parents)

    def _reminders(self, as_of: dt.date, *, overdue: bool, days: int = 0) -> tuple[Reminder, ...]:
        statuses = self.statuses(as_of)
        undone = {(st.unit, st.step) for st in statuses if st.done_on is None}
        reminders = []
        for st in statuses:
            if st.done_on is not None:
                continue
            if overdue and st.due < as_of:
                count = (as_of - st.due).days
            elif not overdue and as_of <= st.due <= as_of + dt.timedelta(days=days):
                count = (st.due - as_of).days
            else:
                continue
            waiting = tuple(d for d in self.sop.step(st.step).depends_on if (st.unit, d) in undone)
            reminders.append(
                Reminder(unit=st.unit, period=st.period, step=st.step, lane=st.lane, due=st.due,
                         days=count, waiting_on=waiting)
            )  # fmt: skip
        return tuple(sorted(reminders, key=lambda r: (r.due, r.step, r.unit)))

    def overdue(self, as_of: dt.date) -> tuple[Reminder, ...]:
        """Steps past their due date and not done as of ``as_of``, earliest due first.

        ``Reminder.days`` is how many days past due; ``waiting_on`` lists undone dependencies.
        """
        return self._reminders(as_of, overdue=True)

    def due_soon(self, as_of: dt.date, days: int) -> tuple[Reminder, ...]:
        """Steps not done whose due date is from ``as_of`` to ``days`` days later, inclusive.

        ``Reminder.days`` is how many days are left (0 = due today).

        Raises:
            ValueError: if ``days`` is negative.
        """
        if days < 0:
            raise ValueError(f"days must not be negative, not {days}")
        return self._reminders(as_of, overdue=False, days=days)

    def __repr__(self) -> str:
        """A short summary: SOP, period, units and events."""
        return (
            f"ReportingCycle(sop={self.sop.number!r}, period={self.period.iso}, "
            f"units={len(self.units)}, events={len(self.events)})"
        )

    def _repr_html_(self) -> str:
        """Notebook view: see :func:`sikkb.views.display.reporting_cycle_html`."""
        from sikkb.views.display import reporting_cycle_html

        return reporting_cycle_html(self)
