"""Calendars: calendar days, working days with holidays and cuti bersama."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.sop.strategies import calendars, dates

from sikkb.errors import InvalidRecordError, InvalidSOPError
from sikkb.sop import Calendar, DayCount, cuti_bersama_from_holidays

D = dt.date
CUTI = Calendar.working(cuti_bersama=["2026-03-18", "2026-03-20", "2026-03-23", "2026-03-24"])


def test_calendar_days_count_every_day() -> None:
    cal = Calendar()
    assert cal.counting is DayCount.CALENDAR
    assert cal.is_counted(D(2026, 3, 21))  # Idul Fitri, a Saturday: still a calendar day
    assert cal.is_day_off(D(2026, 3, 21))
    assert cal.roll_forward(D(2026, 3, 21)) == D(2026, 3, 21)
    assert cal.due_date(D(2026, 11, 1), 1) == D(2026, 11, 1)
    assert cal.due_date(D(2026, 11, 1), 15) == D(2026, 11, 15)
    assert cal.due_date(D(2026, 12, 25), 15) == D(2027, 1, 8)


def test_working_days_skip_weekends_holidays_and_cuti_bersama() -> None:
    assert CUTI.counting is DayCount.WORKING
    assert CUTI.is_counted(D(2026, 3, 17))  # an ordinary Tuesday
    assert not CUTI.is_counted(D(2026, 3, 14))  # Saturday
    assert not CUTI.is_counted(D(2026, 3, 18))  # cuti bersama
    assert not CUTI.is_counted(D(2026, 3, 19))  # Nyepi, public holiday
    assert not CUTI.is_counted(D(2026, 3, 23))  # cuti bersama
    assert Calendar.working().is_counted(D(2026, 3, 23))  # ... but only when configured
    # Friday 13 March + 5 working days: 13, 16, 17, 25, 26 (18-24 all off).
    assert CUTI.due_date(D(2026, 3, 13), 5) == D(2026, 3, 26)
    # A start on a day off rolls forward first.
    assert CUTI.due_date(D(2026, 3, 21), 1) == D(2026, 3, 25)
    assert {D(2026, 3, 19), D(2026, 3, 21), D(2026, 3, 22)} <= CUTI.public_holidays(2026)


def test_no_public_holidays_without_a_country() -> None:
    cal = Calendar(counting="WORKING", country=None)
    assert cal.public_holidays(2026) == frozenset()
    assert cal.is_counted(D(2026, 3, 19))


def test_a_custom_weekend_and_extra_holidays() -> None:
    cal = Calendar(counting="WORKING", weekend=["FRI", "sat"], extra_holidays=["2026-11-02"])
    assert cal.weekend == frozenset({4, 5})
    assert cal.is_counted(D(2026, 11, 1))  # Sunday works here
    assert not cal.is_counted(D(2026, 11, 2))
    assert cal.with_cuti_bersama([D(2026, 11, 3)]).roll_forward(D(2026, 11, 2)) == D(2026, 11, 4)


def test_bad_calendars_are_refused() -> None:
    with pytest.raises(InvalidRecordError, match="no working day left"):
        Calendar(weekend=range(7))
    with pytest.raises(InvalidRecordError, match="weekday"):
        Calendar(weekend=["Jumat"])
    with pytest.raises(InvalidRecordError, match="expected a date"):
        Calendar(cuti_bersama=["18 Maret 2026"])
    with pytest.raises(ValueError, match="at least 1 day"):
        Calendar().due_date(D(2026, 3, 2), 0)
    everything_off = Calendar(
        counting="WORKING", country=None, extra_holidays=[D(2026, 1, 1) + dt.timedelta(days=i)
                                                          for i in range(400)]
    )  # fmt: skip
    with pytest.raises(ValueError, match="no working day"):
        everything_off.roll_forward(D(2026, 1, 1))


def test_a_calendar_file() -> None:
    text = """
[calendar]
counting = "WORKING"
cuti_bersama = [2026-03-18, "2026-03-20"]
weekend = ["SAT", "SUN"]
country = "ID"
"""
    cal = Calendar.from_toml(text, source="libur-2026.toml")
    assert cal.cuti_bersama == {D(2026, 3, 18), D(2026, 3, 20)}
    assert Calendar.from_mapping({"country": ""}).country is None
    with pytest.raises(InvalidSOPError, match=r"^libur\.toml: calendar: unknown key\(s\) cuti"):
        Calendar.from_toml("[calendar]\ncuti = []\n", source="libur.toml")
    with pytest.raises(InvalidSOPError, match="expected a \\[calendar\\] table"):
        Calendar.from_toml("counting = 'WORKING'\n", source="libur.toml")
    with pytest.raises(InvalidSOPError, match="not valid TOML"):
        Calendar.from_toml("[calendar\n", source="libur.toml")
    with pytest.raises(InvalidSOPError, match="day count"):
        Calendar.from_toml("[calendar]\ncounting = 'KERJA'\n", source="libur.toml")


def test_cuti_bersama_known_to_the_holidays_package() -> None:
    # The package's "government" category lists the joint holidays of 2026's decree; the Dinas
    # may copy them into its configuration.
    days = cuti_bersama_from_holidays(2026)
    assert {D(2026, 3, 18), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24)} <= set(days)
    assert D(2026, 3, 19) not in days  # Nyepi itself is a public holiday, not cuti
    assert list(days) == sorted(days)


@settings(max_examples=60)
@given(cal=calendars(), start=dates(), days=st.integers(1, 40))
def test_a_step_lasts_exactly_its_counted_days(cal: Calendar, start: dt.date, days: int) -> None:
    due = cal.due_date(start, days)
    first = cal.roll_forward(start)
    assert cal.is_counted(first)
    assert cal.is_counted(due)
    span = [first + dt.timedelta(days=i) for i in range((due - first).days + 1)]
    assert sum(cal.is_counted(d) for d in span) == days
    assert all(
        not cal.is_counted(start + dt.timedelta(days=i)) for i in range((first - start).days)
    )
