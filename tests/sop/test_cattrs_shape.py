"""The SOP area's records have plain shapes a cattrs converter can round-trip.

The project's converter (``sikkb.convert``) is built elsewhere; this test uses cattrs' stock JSON
converter (dates and datetimes as ISO text, sets as lists), with no hook for any sikkb record.
"""

from __future__ import annotations

import datetime as dt

from cattrs.preconf.json import make_converter
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.sop.strategies import WIB, calendars, events, periods, report_logs, sops

from sikkb.periods import Period
from sikkb.sop import (
    SOP,
    LifecycleEvent,
    ReportingCycle,
    ReportingRate,
    ReportState,
    Schedule,
    StepStatus,
    kota_tangerang_sop,
    replay,
    schedule,
)

C = make_converter()


def round_trip(value: object, cls: type) -> object:
    return C.loads(C.dumps(value), cls)


def test_the_shipped_sop_round_trips() -> None:
    sop = kota_tangerang_sop()
    assert round_trip(sop, SOP) == sop


@settings(max_examples=25)
@given(sop=sops(), calendar=calendars(), period=periods())
def test_sops_and_schedules_round_trip(sop: SOP, calendar: object, period: Period) -> None:
    assert round_trip(sop, SOP) == sop
    s = schedule(sop, calendar, period)  # type: ignore[arg-type]
    assert round_trip(s, Schedule) == s


@settings(max_examples=25)
@given(event=events())
def test_events_round_trip(event: LifecycleEvent) -> None:
    assert round_trip(event, LifecycleEvent) == event


@settings(max_examples=15)
@given(data=st.data())
def test_states_statuses_and_rates_round_trip(data: st.DataObject) -> None:
    sop, period = kota_tangerang_sop(), Period(2026, 10)
    start = dt.datetime(2026, 11, 3, tzinfo=WIB)
    log = data.draw(report_logs(unit="36.71.07.1003", period=period, start=start))
    state = replay(log, roles=sop.roles, unit="36.71.07.1003", period=period)
    assert round_trip(state, ReportState) == state
    cycle = ReportingCycle(sop=sop, period=period, units=["36.71.07.1003"], events=log)
    as_of = data.draw(st.dates(min_value=dt.date(2026, 11, 1), max_value=dt.date(2026, 12, 31)))
    for status in cycle.statuses(as_of):
        assert round_trip(status, StepStatus) == status
    for rate in cycle.rates(as_of):
        assert round_trip(rate, ReportingRate) == rate
