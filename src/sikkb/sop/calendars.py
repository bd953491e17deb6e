"""Calendars: how the days of an SOP step are counted.

The SOP writes durations in "HARI" (days). By default they are calendar days, every day counts.
A Dinas may count working days instead: Monday to Friday, less the Indonesian public holidays (from
the ``holidays`` package) and the collective-leave days (*cuti bersama*) the government declares
each year, which the Dinas configures as data (:attr:`Calendar.cuti_bersama`), plus any extra
regional days off.

Example:
    >>> import datetime as dt
    >>> cal = Calendar.working(cuti_bersama=["2026-03-18", "2026-03-20", "2026-03-23", "2026-03-24"])
    >>> cal.is_counted(dt.date(2026, 3, 19))  # Nyepi
    False
    >>> cal.roll_forward(dt.date(2026, 3, 18))  # cuti, Nyepi, cuti, Idul Fitri x2, cuti, cuti
    datetime.date(2026, 3, 25)
    >>> cal.due_date(dt.date(2026, 3, 2), 15)
    datetime.date(2026, 3, 27)
    >>> Calendar().due_date(dt.date(2026, 11, 1), 15)
    datetime.date(2026, 11, 15)
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from sikkb.codes import CodeEnum
from sikkb.errors import InvalidRecordError, InvalidSOPError
from sikkb.sop._labels import with_labels

__all__ = ["Calendar", "DayCount", "cuti_bersama_from_holidays"]

#: Weekday names accepted in a calendar file, ISO order (Monday = 0, as :meth:`datetime.date.weekday`).
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")

#: The longest run of days off a working-day calendar may have (guards against a calendar where
#: no day is ever a working day).
_MAX_DAYS_OFF = 366


@with_labels(
    {
        "CALENDAR": ("hari kalender", "calendar days"),
        "WORKING": ("hari kerja", "working days"),
    }
)
class DayCount(CodeEnum):
    """How an SOP's "days" are counted."""

    CALENDAR = "CALENDAR"
    WORKING = "WORKING"


def _to_day_count(value: DayCount | str) -> DayCount:
    return DayCount.parse(value, kind="day count")


def _to_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidRecordError("Calendar", "date", value, "expected a date, not a datetime")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidRecordError("Calendar", "date", value, "expected a date such as '2026-03-18'")


def _to_dates(values: Iterable[dt.date | str]) -> frozenset[dt.date]:
    return frozenset(_to_date(v) for v in values)


def _to_weekdays(values: Iterable[int | str]) -> frozenset[int]:
    out = set()
    for v in values:
        if isinstance(v, str) and v.strip().upper()[:3] in WEEKDAYS:
            out.add(WEEKDAYS.index(v.strip().upper()[:3]))
        elif isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 6:
            out.add(v)
        else:
            raise InvalidRecordError(
                "Calendar", "weekend", v, "expected a weekday 0-6 (Monday = 0) or a name 'SAT'"
            )
    return frozenset(out)


@functools.lru_cache(maxsize=64)
def _public_holidays(country: str, year: int) -> frozenset[dt.date]:
    import holidays  # local: only working-day calendars need it

    return frozenset(holidays.country_holidays(country, years=year).keys())


def cuti_bersama_from_holidays(year: int, country: str = "ID") -> tuple[dt.date, ...]:
    """The collective-leave days the ``holidays`` package knows for a year, to seed a config.

    The package lists them in its ``government`` category ("Joint Holiday"). They are *not* used
    unless a Dinas puts them into :attr:`Calendar.cuti_bersama`: the decree (SKB) of each year is
    the source, and the package may lag behind it.
    """
    import holidays

    everything = holidays.country_holidays(country, years=year, categories=("public", "government"))
    return tuple(sorted(set(everything) - _public_holidays(country, year)))


@attrs.frozen(kw_only=True)
class Calendar:
    """How days are counted when scheduling SOP steps.

    Attributes:
        counting: calendar days (every day counts; the default) or working days.
        country: the ``holidays`` package's country code whose public holidays are days off in a
            working-day calendar (``"ID"``); ``None`` for none.
        weekend: the weekdays off (``date.weekday()`` numbers; Saturday and Sunday by default).
        cuti_bersama: collective-leave days configured by the Dinas for each year.
        extra_holidays: any other days off (regional holidays, office closures).
    """

    counting: DayCount = attrs.field(default=DayCount.CALENDAR, converter=_to_day_count)
    country: str | None = "ID"
    weekend: frozenset[int] = attrs.field(default=frozenset({5, 6}), converter=_to_weekdays)
    cuti_bersama: frozenset[dt.date] = attrs.field(default=frozenset(), converter=_to_dates)
    extra_holidays: frozenset[dt.date] = attrs.field(default=frozenset(), converter=_to_dates)

    @weekend.validator
    def _check_weekend(
        self, attribute: attrs.Attribute[frozenset[int]], value: frozenset[int]
    ) -> None:
        if len(value) >= 7:
            raise InvalidRecordError("Calendar", "weekend", sorted(value), "no working day left")

    @classmethod
    def working(
        cls,
        *,
        cuti_bersama: Iterable[dt.date | str] = (),
        extra_holidays: Iterable[dt.date | str] = (),
        country: str | None = "ID",
    ) -> Calendar:
        """A working-day calendar: Monday-Friday less public holidays and the given days off."""
        return cls(
            counting=DayCount.WORKING,
            country=country,
            cuti_bersama=_to_dates(cuti_bersama),
            extra_holidays=_to_dates(extra_holidays),
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "<calendar>") -> Calendar:
        """A calendar from a ``[calendar]`` table (see ``docs/sop.md``).

        Keys (all optional): ``counting`` (``"CALENDAR"`` or ``"WORKING"``), ``country``
        (``""`` for none), ``weekend`` (names such as ``"SAT"``), ``cuti_bersama`` and
        ``extra_holidays`` (lists of dates).

        Raises:
            InvalidSOPError: naming the source and the key at fault.
        """
        known = {"counting", "country", "weekend", "cuti_bersama", "extra_holidays"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidSOPError(
                source, f"unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(known))}",
                field="calendar",
            )  # fmt: skip
        kwargs: dict[str, Any] = {}
        for key in ("counting", "weekend", "cuti_bersama", "extra_holidays"):
            if key in data:
                kwargs[key] = data[key]
        if "country" in data:
            kwargs["country"] = data["country"] or None
        try:
            return cls(**kwargs)
        except (ValueError, TypeError) as e:
            raise InvalidSOPError(source, str(e), field="calendar") from e

    @classmethod
    def from_toml(cls, text: str, *, source: str = "<string>") -> Calendar:
        """A calendar from TOML text holding a ``[calendar]`` table (a Dinas's yearly config)."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InvalidSOPError(source, f"not valid TOML: {e}") from e
        table = data.get("calendar")
        if not isinstance(table, dict):
            raise InvalidSOPError(source, "expected a [calendar] table", field="calendar")
        return cls.from_mapping(table, source=source)

    def with_cuti_bersama(self, days: Iterable[dt.date | str]) -> Calendar:
        """This calendar with more collective-leave days (e.g. the next year's decree)."""
        return attrs.evolve(self, cuti_bersama=self.cuti_bersama | _to_dates(days))

    def public_holidays(self, year: int) -> frozenset[dt.date]:
        """The public holidays of ``year`` (empty when :attr:`country` is ``None``)."""
        return _public_holidays(self.country, year) if self.country else frozenset()

    def is_day_off(self, day: dt.date) -> bool:
        """Whether ``day`` is a weekend day, public holiday, cuti bersama or extra holiday.

        This holds whatever :attr:`counting` is; :meth:`is_counted` is what scheduling uses.
        """
        return (
            day.weekday() in self.weekend
            or day in self.cuti_bersama
            or day in self.extra_holidays
            or day in self.public_holidays(day.year)
        )

    def is_counted(self, day: dt.date) -> bool:
        """Whether ``day`` counts as one of a step's days."""
        return self.counting is DayCount.CALENDAR or not self.is_day_off(day)

    def roll_forward(self, day: dt.date) -> dt.date:
        """``day`` if it counts, else the first counted day after it."""
        for _ in range(_MAX_DAYS_OFF):
            if self.is_counted(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError(f"no working day within {_MAX_DAYS_OFF} days of {day.isoformat()}")

    def due_date(self, start: dt.date, days: int) -> dt.date:
        """The last day of a step of ``days`` counted days that starts on ``start``.

        ``start`` is the step's first day (rolled forward if it does not count); the step is due on
        its ``days``-th counted day, so a one-day step is due on the day it starts.

        Raises:
            ValueError: if ``days`` is less than 1.
        """
        if days < 1:
            raise ValueError(f"a step lasts at least 1 day, not {days}")
        day = self.roll_forward(start)
        if self.counting is DayCount.CALENDAR:
            return day + dt.timedelta(days=days - 1)
        for _ in range(days - 1):
            day = self.roll_forward(day + dt.timedelta(days=1))
        return day
