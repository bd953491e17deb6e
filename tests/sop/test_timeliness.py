"""Timeliness and completeness: hand-worked statuses, rates and reminders; rate properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.sop.strategies import WIB, interleave, report_logs

from sikkb.errors import LifecycleError
from sikkb.periods import Period
from sikkb.regions import Tingkat
from sikkb.sop import (
    CycleRules,
    LifecycleEvent,
    ReportingCycle,
    ReportingRate,
    Timeliness,
    Unit,
    content_hash,
    kota_tangerang_sop,
    reporting_rates,
)

SOP = kota_tangerang_sop()
P = Period(2026, 10)
D = dt.date
A, B, C = "36.71.07.1003", "36.71.07.1004", "36.71.01.1001"  # A, B in kecamatan 07; C in 01
H = content_hash({"pus": 1})

# October 2026, calendar days: steps 1-3 due 15 Nov, step 4 due 16 Nov, steps 5-6 due 17 Nov.


def ev(unit: str, kind: str, when: dt.datetime, **kw: object) -> LifecycleEvent:
    role = {"SUBMITTED": "PPKBD"}.get(kind, "TIM_DP3AP2KB")
    if kind == "SUBMITTED":
        kw.setdefault("content_hash", H)
    return LifecycleEvent(unit=unit, period=P, kind=kind, role=role, at=when, **kw)  # type: ignore[arg-type]


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=WIB)


EVENTS = [
    # A: submitted 10 Nov, verified 12, forwarded 17 (on time), disseminated 18 (a day late)
    ev(A, "SUBMITTED", at(10)),
    ev(A, "VERIFIED", at(12)),
    ev(A, "FORWARDED", at(17)),
    ev(A, "DISSEMINATED", at(18)),
    # B: submitted 16 Nov: late for steps 1-3 (due 15th), on time for step 4 (due 16th)
    ev(B, "SUBMITTED", at(16)),
    # C: nothing
]


def cycle(events: list[LifecycleEvent] = EVENTS, **kw: object) -> ReportingCycle:
    return ReportingCycle(sop=SOP, period=P, units=[A, B, Unit(code=C, level="kelurahan")],
                          events=events, **kw)  # type: ignore[arg-type]  # fmt: skip


def table(c: ReportingCycle, as_of: dt.date) -> dict[tuple[str, int], str]:
    return {(s.unit, s.step): s.status.code for s in c.statuses(as_of)}


def test_statuses_as_of_20_november() -> None:
    t = table(cycle(), D(2026, 11, 20))
    assert [t[(A, n)] for n in range(1, 7)] == ["ON_TIME"] * 5 + ["LATE"]
    assert [t[(B, n)] for n in range(1, 7)] == ["LATE"] * 3 + ["ON_TIME"] + ["MISSING"] * 2
    assert [t[(C, n)] for n in range(1, 7)] == ["MISSING"] * 6


def test_statuses_as_of_an_earlier_date_ignore_later_events() -> None:
    # As of 15 November A had submitted (10th) and been verified; B and C had nothing yet, and
    # nothing was past its cut-off: steps 1-3 are due that very day.
    t = table(cycle(), D(2026, 11, 15))
    assert [t[(A, n)] for n in range(1, 7)] == ["ON_TIME"] * 4 + ["PENDING"] * 2
    assert [t[(B, n)] for n in range(1, 7)] == ["PENDING"] * 6
    # On the 16th, steps 1-3 of C are missing; B's submission that day makes 1-3 late, 4 on time.
    t = table(cycle(), D(2026, 11, 16))
    assert [t[(C, n)] for n in range(1, 7)] == ["MISSING"] * 3 + ["PENDING"] * 3
    assert [t[(B, n)] for n in range(1, 5)] == ["LATE"] * 3 + ["ON_TIME"]


def test_status_records_carry_the_dates_and_lane() -> None:
    s = next(s for s in cycle().statuses(D(2026, 11, 20)) if (s.unit, s.step) == (A, 6))
    assert (s.due, s.on_time_until, s.done_on) == (
        D(2026, 11, 17),
        D(2026, 11, 17),
        D(2026, 11, 18),
    )
    assert (s.lane, s.period, s.status, s.locked) == ("TIM_DP3AP2KB", P, Timeliness.LATE, False)
    assert s.status.label_id == "Terlambat"


def test_rates_per_kecamatan_and_city() -> None:
    # The report step is 4. As of 20 Nov: kecamatan 01 expects C only, which is missing;
    # kecamatan 07 expects A (on time) and B (on time for step 4); the city expects all three.
    rows = cycle().rates(D(2026, 11, 20))
    assert [
        (r.code, r.tingkat, r.expected, r.actual, r.actual_on_time, r.missing) for r in rows
    ] == [
        ("36.71.01", Tingkat.KECAMATAN, 1, 0, 0, 1),
        ("36.71.07", Tingkat.KECAMATAN, 2, 2, 2, 0),
        ("36.71", Tingkat.KOTA, 3, 2, 2, 1),
    ]
    assert [r.reporting_rate for r in rows] == [0.0, 100.0, pytest.approx(200 / 3)]
    assert [r.on_time_rate for r in rows] == [0.0, 100.0, pytest.approx(200 / 3)]
    # Step 1: B was late, so kecamatan 07 reported 100 % but only 50 % on time.
    k07 = cycle().rates(D(2026, 11, 20), step=1)[1]
    assert (k07.reporting_rate, k07.on_time_rate, k07.late, k07.pending) == (100.0, 50.0, 1, 0)


def test_rates_with_a_parent_mapping() -> None:
    # Place A under kecamatan 01 instead of its code prefix.
    rows = cycle().rates(D(2026, 11, 20), parents={"3671071003": "36.71.01"})
    assert [(r.code, r.expected, r.actual) for r in rows] == [
        ("36.71.01", 2, 1),
        ("36.71.07", 1, 1),
        ("36.71", 3, 2),
    ]


def test_a_ratio_over_nothing_is_undefined_not_zero() -> None:
    empty = ReportingRate(code="36.71.01", tingkat=Tingkat.KECAMATAN, step=4, expected=0,
                          actual=0, actual_on_time=0, missing=0)  # fmt: skip
    assert empty.reporting_rate is None
    assert empty.on_time_rate is None
    assert reporting_rates([], step=4) == ()
    with pytest.raises(ValueError, match="actual_on_time <= actual <= expected"):
        ReportingRate(code="36.71", tingkat=Tingkat.KOTA, step=4, expected=1, actual=2,
                      actual_on_time=0, missing=0)  # fmt: skip


def test_a_returned_report_is_not_submitted_until_resubmitted() -> None:
    events = [
        ev(C, "SUBMITTED", at(10)),
        ev(C, "RETURNED", at(12), reason="PA per metode tidak sama dengan total PA"),
        ev(C, "SUBMITTED", at(20)),
    ]
    c = cycle(events)
    assert table(c, D(2026, 11, 11))[(C, 1)] == "ON_TIME"
    assert table(c, D(2026, 11, 13))[(C, 1)] == "PENDING"  # returned; due on the 15th
    assert table(c, D(2026, 11, 16))[(C, 1)] == "MISSING"
    assert table(c, D(2026, 11, 16))[(C, 4)] == "PENDING"
    assert table(c, D(2026, 11, 20))[(C, 1)] == "LATE"  # the resubmission decides
    assert c.states(D(2026, 11, 13))[C].status.code == "RETURNED"
    assert c.states()[C].submissions == 2


def test_event_dates_are_local_to_the_dinas() -> None:
    # 15 Nov 23:30 WIB is 16:30 UTC the same day: on time for step 1.
    # 15 Nov 17:30 UTC is 16 Nov 00:30 WIB: late.
    on_time = ev(C, "SUBMITTED", dt.datetime(2026, 11, 15, 16, 30, tzinfo=dt.UTC))
    late = ev(C, "SUBMITTED", dt.datetime(2026, 11, 15, 17, 30, tzinfo=dt.UTC))
    assert table(cycle([on_time]), D(2026, 11, 20))[(C, 1)] == "ON_TIME"
    assert table(cycle([late]), D(2026, 11, 20))[(C, 1)] == "LATE"
    # and as of the 15th the later one has not happened yet
    assert table(cycle([late]), D(2026, 11, 15))[(C, 1)] == "PENDING"


def test_grace_days_and_lock() -> None:
    # Two days' grace, locked five days after due: step 4 (due 16 Nov) is on time until the 18th,
    # locked after the 21st; submissions close at midnight starting 22 Nov (WIB).
    c = ReportingCycle(sop=SOP.with_cycle(CycleRules(timely_days=2, expiry_days=5)), period=P,
                       units=[C], events=[ev(C, "SUBMITTED", at(18))])  # fmt: skip
    t = table(c, D(2026, 11, 20))
    assert [t[(C, n)] for n in range(1, 5)] == ["LATE"] * 3 + ["ON_TIME"]  # 1-3: until the 17th
    assert c.submissions_close_at == dt.datetime(2026, 11, 22, tzinfo=WIB)
    locked = {s.step: s.locked for s in c.statuses(D(2026, 11, 21))}
    assert locked[1] is True  # steps 1-3: due 15th + 5 = locked after the 20th
    assert locked[4] is False
    assert {s.step: s.locked for s in c.statuses(D(2026, 11, 22))}[4] is True
    assert cycle().submissions_close_at is None


def test_overdue_and_due_soon() -> None:
    c = cycle()
    # As of 16 Nov: C has done nothing: steps 1-3 are a day overdue. B submitted that day.
    overdue = c.overdue(D(2026, 11, 16))
    assert [(r.unit, r.step, r.lane, r.days, r.waiting_on) for r in overdue] == [
        (C, 1, "PPKBD", 1, ()),
        (C, 2, "PPKBD", 1, ()),
        (C, 3, "PPKBD", 1, ()),
    ]
    # Due within a day of the 16th: C's step 4 today; steps 5 and 6 of B and C tomorrow (A has
    # forwarded and disseminated later, which 16 Nov does not know yet). C's 5 and 6 wait for 4.
    soon = c.due_soon(D(2026, 11, 16), 1)
    assert [(r.unit, r.step, r.lane, r.days, r.waiting_on) for r in soon] == [
        (C, 4, "PPKBD", 0, (1, 2, 3)),
        (C, 5, "TIM_DP3AP2KB", 1, (4,)),
        (A, 5, "TIM_DP3AP2KB", 1, ()),
        (B, 5, "TIM_DP3AP2KB", 1, ()),
        (C, 6, "TIM_DP3AP2KB", 1, (4,)),
        (A, 6, "TIM_DP3AP2KB", 1, ()),
        (B, 6, "TIM_DP3AP2KB", 1, ()),
    ]  # earliest due first, then by step, then by unit code
    assert c.due_soon(D(2026, 11, 1), 3) == ()
    with pytest.raises(ValueError, match="negative"):
        c.due_soon(D(2026, 11, 1), -1)
    # As of 20 Nov, B's 5 and 6 and all of C's are overdue; A's are done.
    late = c.overdue(D(2026, 11, 20))
    assert {(r.unit, r.step) for r in late} == {(B, 5), (B, 6)} | {(C, n) for n in range(1, 7)}
    assert next(r for r in late if (r.unit, r.step) == (B, 5)).days == 3


def test_the_cycle_refuses_a_broken_log_and_ignores_other_periods() -> None:
    with pytest.raises(LifecycleError, match="in state DRAFT"):
        cycle([ev(A, "VERIFIED", at(10))])
    other_period = LifecycleEvent(unit=C, period="2026-09", kind="SUBMITTED", role="PPKBD",
                                  at=at(1), content_hash=H)  # fmt: skip
    assert table(cycle([other_period]), D(2026, 11, 20))[(C, 1)] == "MISSING"
    stranger = ev("36.71.13.1001", "SUBMITTED", at(10))
    assert cycle([stranger]).unexpected_units == ("36.71.13.1001",)
    with pytest.raises(ValueError, match=r"units repeat: 36\.71\.07\.1003"):
        ReportingCycle(sop=SOP, period=P, units=[A, "3671071003"])


def test_rates_need_a_known_step() -> None:
    with pytest.raises(KeyError):
        cycle().rates(D(2026, 11, 20), step=9)


KELURAHAN = [
    "36.71.01.1001", "36.71.01.1002", "36.71.07.1003", "36.71.07.1004", "36.71.09.1006", "36.71.13.1005"
]  # fmt: skip


@st.composite
def cycles(draw: st.DrawFn) -> tuple[ReportingCycle, dt.date]:
    codes = draw(st.lists(st.sampled_from(KELURAHAN), unique=True))
    start = dt.datetime(2026, 11, 1, tzinfo=WIB) + dt.timedelta(hours=draw(st.integers(-48, 400)))
    logs = [draw(report_logs(unit=c, period=P, start=start)) for c in codes]
    as_of = draw(st.dates(min_value=D(2026, 10, 25), max_value=D(2026, 12, 31)))
    return ReportingCycle(sop=SOP, period=P, units=codes, events=interleave(logs)), as_of


@settings(max_examples=40)
@given(cycles(), st.sampled_from([1, 4, 5, 6]))
def test_rates_stay_within_bounds(generated: tuple[ReportingCycle, dt.date], step: int) -> None:
    c, as_of = generated
    statuses = c.statuses(as_of)
    assert len(statuses) == len(c.units) * len(SOP.steps)
    for s in statuses:
        assert (s.done_on is not None) == s.status.done
        assert s.done_on is None or s.done_on <= as_of
        if s.status is Timeliness.PENDING:
            assert as_of <= s.on_time_until
        if s.status is Timeliness.MISSING:
            assert as_of > s.on_time_until
    rows = c.rates(as_of, step=step)
    for r in rows:
        assert 0 <= r.actual_on_time <= r.actual <= r.expected
        for rate in (r.reporting_rate, r.on_time_rate):
            assert rate is None if r.expected == 0 else 0.0 <= rate <= 100.0
        assert (
            r.on_time_rate is None or r.reporting_rate is None or r.on_time_rate <= r.reporting_rate
        )
    city = [r for r in rows if r.tingkat is Tingkat.KOTA]
    kecamatan = [r for r in rows if r.tingkat is Tingkat.KECAMATAN]
    if c.units:
        # the city's counts are the sum of its kecamatan's
        assert len(city) == 1
        assert city[0].expected == sum(r.expected for r in kecamatan) == len(c.units)
        assert city[0].actual == sum(r.actual for r in kecamatan)
        assert city[0].actual_on_time == sum(r.actual_on_time for r in kecamatan)
        assert city[0].missing == sum(r.missing for r in kecamatan)
    # a reminder is never for a step that is done
    done = {(s.unit, s.step) for s in statuses if s.status.done}
    assert not done & {(r.unit, r.step) for r in c.overdue(as_of)}
    assert not done & {(r.unit, r.step) for r in c.due_soon(as_of, 5)}
