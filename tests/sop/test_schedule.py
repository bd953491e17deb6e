"""The schedule: hand-worked dates, and the properties of the issue."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.sop.strategies import calendars, periods, sops

from sikkb.periods import Period
from sikkb.sop import Calendar, CycleRules, DayCount, kota_tangerang_sop, schedule

D = dt.date
SOP = kota_tangerang_sop()
# The cuti bersama of the Idul Fitri and Nyepi 2026 decree used in the examples.
CUTI_2026 = [D(2026, 3, 18), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24)]


def dates_of(s: object) -> dict[int, tuple[dt.date, dt.date]]:
    return {step.number: (step.start, step.due) for step in s.steps}  # type: ignore[attr-defined]


def test_october_2026_calendar_days() -> None:
    # Anchor: the first day after October = Sunday 1 November 2026 (calendar days: weekends count).
    # Steps 1-3 (15 days each, parallel): 1 Nov + 15 - 1 = 15 Nov.
    # Step 4 (1 day) starts the day after 1-3 are due: 16 Nov, due the same day.
    # Steps 5 and 6 (1 day each) follow 4: 17 Nov.
    s = schedule(SOP, Calendar(), Period(2026, 10))
    assert dates_of(s) == {
        1: (D(2026, 11, 1), D(2026, 11, 15)),
        2: (D(2026, 11, 1), D(2026, 11, 15)),
        3: (D(2026, 11, 1), D(2026, 11, 15)),
        4: (D(2026, 11, 16), D(2026, 11, 16)),
        5: (D(2026, 11, 17), D(2026, 11, 17)),
        6: (D(2026, 11, 17), D(2026, 11, 17)),
    }
    assert (s.start, s.due, s.anchor) == (D(2026, 11, 1), D(2026, 11, 17), D(2026, 11, 1))
    assert s.counting is DayCount.CALENDAR
    assert s.step(4).on_time_until == D(2026, 11, 16)  # timely_days = 0
    assert s.step(4).locked_after is None  # the SOP never locks
    assert s.locked_after() is None


def test_february_2026_working_days_with_idul_fitri_and_cuti_bersama() -> None:
    # The cycle of February 2026 starts on the anchor Sunday 1 March 2026 -> first working day
    # Monday 2 March. March 2026: Nyepi Thu 19 (public holiday), Idul Fitri Sat 21 and Sun 22
    # (public holidays, on a weekend anyway), cuti bersama Wed 18, Fri 20, Mon 23, Tue 24.
    # Working days from 2 March: 2 3 4 5 6 (5), 9 10 11 12 13 (10), 16 17 (12), then 18-24 are all
    # off, 25 26 27 (15). Steps 1-3: 2 March to Friday 27 March.
    # Step 4: the next working day after 27 March is Monday 30 March (28, 29 are a weekend).
    # Steps 5 and 6: Tuesday 31 March.
    cal = Calendar.working(cuti_bersama=CUTI_2026)
    s = schedule(SOP, cal, Period(2026, 2))
    assert dates_of(s) == {
        1: (D(2026, 3, 2), D(2026, 3, 27)),
        2: (D(2026, 3, 2), D(2026, 3, 27)),
        3: (D(2026, 3, 2), D(2026, 3, 27)),
        4: (D(2026, 3, 30), D(2026, 3, 30)),
        5: (D(2026, 3, 31), D(2026, 3, 31)),
        6: (D(2026, 3, 31), D(2026, 3, 31)),
    }
    assert s.anchor == D(2026, 3, 1)  # before rolling forward
    assert s.counting is DayCount.WORKING


def test_february_2026_working_days_without_cuti_bersama() -> None:
    # The same month with no cuti configured: only Nyepi (Thu 19) is off during the week.
    # Working days from 2 March: 2-6 (5), 9-13 (10), 16 17 18 (13), 20 (14), 23 (15).
    # Steps 1-3 due Monday 23 March; step 4 on Tuesday 24; steps 5 and 6 on Wednesday 25.
    s = schedule(SOP, Calendar.working(), Period(2026, 2))
    assert dates_of(s)[1] == (D(2026, 3, 2), D(2026, 3, 23))
    assert dates_of(s)[4] == (D(2026, 3, 24), D(2026, 3, 24))
    assert dates_of(s)[5] == dates_of(s)[6] == (D(2026, 3, 25), D(2026, 3, 25))


def test_december_crosses_the_year_and_new_year_is_a_holiday() -> None:
    # December 2026's cycle is anchored on Friday 1 January 2027, New Year's Day.
    # Calendar days: 1-15 January, 16, 17.
    s = schedule(SOP, Calendar(), Period(2026, 12))
    assert dates_of(s)[1] == (D(2027, 1, 1), D(2027, 1, 15))
    assert dates_of(s)[6] == (D(2027, 1, 17), D(2027, 1, 17))
    # Working days: 1 Jan is a holiday, 2-3 a weekend: start Monday 4 January. Tuesday 5 January
    # 2027 is Isra' Mi'raj (holidays package). 15 working days: 4 (1), 6-8 (4), 11-15 (9),
    # 18-22 (14), 25 (15). Step 4 on Tuesday 26, steps 5 and 6 on Wednesday 27 January.
    w = schedule(SOP, Calendar.working(), Period(2026, 12))
    assert D(2027, 1, 5) in Calendar.working().public_holidays(2027)
    assert dates_of(w)[1] == (D(2027, 1, 4), D(2027, 1, 25))
    assert dates_of(w)[4] == (D(2027, 1, 26), D(2027, 1, 26))
    assert dates_of(w)[6] == (D(2027, 1, 27), D(2027, 1, 27))


def test_anchor_and_cut_offs_are_configurable() -> None:
    # Start on the 5th of the next month: steps 1-3 run 5-19 November, 4 on the 20th, 5 and 6 on
    # the 21st. Three days' grace: on time until the 24th for step 6; locked 10 days after due.
    rules = CycleRules(anchor_day=5, timely_days=3, expiry_days=10)
    s = schedule(SOP.with_cycle(rules), Calendar(), Period(2026, 10))
    assert dates_of(s)[1] == (D(2026, 11, 5), D(2026, 11, 19))
    assert dates_of(s)[4] == (D(2026, 11, 20), D(2026, 11, 20))
    assert dates_of(s)[6] == (D(2026, 11, 21), D(2026, 11, 21))
    assert s.step(6).on_time_until == D(2026, 11, 24)
    assert s.step(4).locked_after == D(2026, 11, 30)
    # Submissions (steps 1-4) lock after the latest of their lock dates: step 4's.
    assert s.locked_after() == D(2026, 11, 30)


def test_anchor_day_is_clamped_to_the_month() -> None:
    # Anchor day 31 in a 28-day February (the January 2026 cycle): 28 February.
    s = schedule(SOP.with_cycle(CycleRules(anchor_day=31)), Calendar(), Period(2026, 1))
    assert s.anchor == D(2026, 2, 28)
    assert dates_of(s)[1] == (D(2026, 2, 28), D(2026, 3, 14))


def test_lengthening_a_step_moves_its_successors() -> None:
    # Step 2 takes 20 days instead of 15: 1-20 November; step 4 waits for it (21st), 5/6 on 22nd.
    s = schedule(SOP.with_duration(2, 20), Calendar(), Period(2026, 10))
    assert dates_of(s)[1] == (D(2026, 11, 1), D(2026, 11, 15))
    assert dates_of(s)[2] == (D(2026, 11, 1), D(2026, 11, 20))
    assert dates_of(s)[4] == (D(2026, 11, 21), D(2026, 11, 21))
    assert dates_of(s)[5] == (D(2026, 11, 22), D(2026, 11, 22))


def test_schedule_uses_the_sops_own_calendar_when_asked() -> None:
    sop = SOP.with_calendar(Calendar.working(cuti_bersama=CUTI_2026))
    assert schedule(sop, sop.calendar, Period(2026, 2)) == schedule(
        SOP, Calendar.working(cuti_bersama=CUTI_2026), Period(2026, 2)
    )


@settings(max_examples=60)
@given(sop=sops(), calendar=calendars(), period=periods())
def test_no_step_starts_or_is_due_before_the_period_ends(sop, calendar, period) -> None:
    s = schedule(sop, calendar, period)
    for step in s.steps:
        assert period.last_day < step.start <= step.due
        assert step.due <= step.on_time_until
        assert step.locked_after is None or step.on_time_until <= step.locked_after


@settings(max_examples=60)
@given(sop=sops(), calendar=calendars(), period=periods())
def test_every_step_follows_its_dependencies_and_lasts_its_duration(sop, calendar, period) -> None:
    s = schedule(sop, calendar, period)
    for step in s.steps:
        for d in step.depends_on:
            assert s.step(d).due < step.start
        counted = sum(
            calendar.is_counted(step.start + dt.timedelta(days=i))
            for i in range((step.due - step.start).days + 1)
        )
        assert counted == sop.step(step.number).duration_days
        # the longest path: a step starts on the first counted day it can
        earliest = (
            max(s.step(d).due for d in step.depends_on) + dt.timedelta(days=1)
            if step.depends_on
            else s.anchor
        )
        assert step.start == calendar.roll_forward(earliest)


@settings(max_examples=60)
@given(
    sop=sops(),
    calendar=calendars(),
    period=periods(),
    pick=st.integers(0, 100),
    extra=st.integers(0, 30),
)
def test_lengthening_a_step_never_brings_a_due_date_earlier(
    sop, calendar, period, pick, extra
) -> None:
    step = sop.steps[pick % len(sop.steps)]
    before = schedule(sop, calendar, period)
    after = schedule(sop.with_duration(step.number, step.duration_days + extra), calendar, period)
    for old, new in zip(before.steps, after.steps, strict=True):
        assert old.number == new.number
        assert new.start >= old.start
        assert new.due >= old.due
    assert after.due >= before.due


@settings(max_examples=60)
@given(sop=sops(), calendar=calendars(working=st.just(True)), period=periods())
def test_working_days_never_start_or_end_on_a_day_off(sop, calendar, period) -> None:
    s = schedule(sop, calendar, period)
    public = calendar.public_holidays(period.year) | calendar.public_holidays(period.year + 1)
    for step in s.steps:
        for day in (step.start, step.due):
            assert day.weekday() < 5
            assert day not in public
            assert day not in calendar.cuti_bersama
            assert day not in calendar.extra_holidays


@settings(max_examples=30)
@given(sop=sops(), calendar=calendars(), period=periods())
def test_schedule_is_a_pure_function(sop, calendar, period) -> None:
    again = attrs.evolve(sop)  # an equal, separately built SOP
    assert schedule(sop, calendar, period) == schedule(again, calendar, period)
