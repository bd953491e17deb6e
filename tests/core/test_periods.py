"""Periods: parsing, calendar arithmetic, quarters, labels."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import periods

from sikkb.errors import InvalidPeriodError, SikkbError
from sikkb.periods import Period, Quarter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10", Period(2026, 10)),
        ("2026/1", Period(2026, 1)),
        (" 10/2026 ", Period(2026, 10)),
        ("Oktober 2026", Period(2026, 10)),
        ("october 2026", Period(2026, 10)),
        ("Februari 2024", Period(2024, 2)),
    ],
)
def test_parse_accepts_the_written_forms(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "Oktobre 2026", "2026", "", "1899-05"])
def test_parse_refuses_with_a_project_error(text: str) -> None:
    with pytest.raises(InvalidPeriodError) as e:
        Period.parse(text)
    assert isinstance(e.value, SikkbError)
    assert isinstance(e.value, ValueError)


def test_days_and_labels_worked_by_hand() -> None:
    feb = Period.parse("2024-02")
    assert (feb.first_day, feb.last_day, feb.days) == (
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 29),
        29,
    )
    assert Period(2026, 10).label_id == "Oktober 2026"
    assert Period(2026, 10).label_en == "October 2026"
    assert str(Period(2026, 1)) == "2026-01"
    assert Period(2026, 12).next() == Period(2027, 1)
    assert Period(2026, 1).previous() == Period(2025, 12)


def test_quarters_worked_by_hand() -> None:
    assert Period(2026, 10).quarter == Quarter(2026, 4)
    assert Period(2026, 3).quarter == Quarter(2026, 1)
    assert str(Quarter(2026, 4)) == "2026Q4"
    assert Quarter(2026, 2).months == (Period(2026, 4), Period(2026, 5), Period(2026, 6))
    assert Quarter(2026, 4).label_id == "Triwulan IV 2026"


@given(periods())
def test_iso_text_round_trips(p: Period) -> None:
    assert Period.parse(p.iso) == p
    assert Period.parse(p.label_id) == p
    assert Period.parse(p.label_en) == p


@given(periods(), st.integers(-500, 500))
def test_month_arithmetic(p: Period, n: int) -> None:
    q = p + n
    assert q.months_since(p) == n
    assert q - n == p
    assert (q > p) == (n > 0)
    assert p.next().previous() == p


@given(periods())
def test_first_and_last_day_bracket_the_month(p: Period) -> None:
    assert p.first_day.day == 1
    assert (p.last_day - p.first_day).days + 1 == p.days
    assert Period.containing(p.last_day) == p
    assert Period.containing(p.last_day + datetime.timedelta(days=1)) == p.next()
    assert p in p.quarter.months


@given(periods(), periods())
def test_order_is_chronological(a: Period, b: Period) -> None:
    assert (a < b) == (a.first_day < b.first_day)
    assert list(a.range_to(b)) == ([a + i for i in range(b.months_since(a) + 1)] if a <= b else [])
