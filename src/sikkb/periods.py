"""Reporting periods: the month every register and report belongs to, and its quarter and year.

Example:
    >>> p = Period.parse("2026-10")
    >>> p.first_day, p.last_day
    (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
    >>> p.label_id, p.label_en
    ('Oktober 2026', 'October 2026')
    >>> str(p.next()), str(p.quarter), p.quarter.months[-1] == Period(2026, 12)
    ('2026-11', '2026Q4', True)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

import attrs

from sikkb.errors import InvalidPeriodError

__all__ = ["MONTHS_EN", "MONTHS_ID", "Period", "Quarter"]

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_ISO = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*$")
_MY = re.compile(r"^\s*(\d{1,2})\s*[-/.]\s*(\d{4})\s*$")
_NAMED = re.compile(r"^\s*([A-Za-z]+)\s+(\d{4})\s*$")


def _check_year(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2999:
        raise InvalidPeriodError(value, f"{attribute.name} must be a year from 1900 to 2999")


@attrs.frozen(order=True)
class Period:
    """One calendar month, the unit of reporting (``BULAN``/``TAHUN`` on the forms).

    Ordered chronologically; ``str()`` gives the ISO form ``YYYY-MM``.
    """

    year: int = attrs.field(validator=_check_year)
    month: int = attrs.field()

    @month.validator
    def _check_month(self, attribute: attrs.Attribute[int], value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 12:
            raise InvalidPeriodError(value, "month must be 1 to 12")

    @classmethod
    def parse(cls, text: object) -> Period:
        """Parse ``2026-10``, ``2026/10``, ``10/2026`` or ``Oktober 2026`` / ``October 2026``."""
        if isinstance(text, Period):
            return text
        if not isinstance(text, str):
            raise InvalidPeriodError(text, "expected text such as '2026-10'")
        if m := _ISO.match(text):
            year, month = int(m[1]), int(m[2])
        elif m := _MY.match(text):
            month, year = int(m[1]), int(m[2])
        elif m := _NAMED.match(text):
            name = m[1].lower()
            names = [n.lower() for n in MONTHS_ID] + [n.lower() for n in MONTHS_EN]
            if name not in names:
                raise InvalidPeriodError(text, "unknown month name")
            month, year = names.index(name) % 12 + 1, int(m[2])
        else:
            raise InvalidPeriodError(text, "expected YYYY-MM, for example '2026-10'")
        if not 1 <= month <= 12:
            raise InvalidPeriodError(text, "month must be 1 to 12")
        return cls(year, month)

    @classmethod
    def containing(cls, day: dt.date) -> Period:
        """The period a date falls in."""
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def days(self) -> int:
        """Number of days in the month."""
        return calendar.monthrange(self.year, self.month)[1]

    def next(self) -> Period:
        return self + 1

    def previous(self) -> Period:
        return self - 1

    def __add__(self, months: int) -> Period:
        if not isinstance(months, int):
            return NotImplemented
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    def __sub__(self, months: int) -> Period:
        if not isinstance(months, int):
            return NotImplemented
        return self + (-months)

    def months_since(self, other: Period) -> int:
        """``self - other`` in months (positive when ``self`` is later)."""
        return (self.year - other.year) * 12 + self.month - other.month

    def range_to(self, last: Period) -> Iterator[Period]:
        """This period and every following one up to ``last`` inclusive."""
        p = self
        while p <= last:
            yield p
            p = p.next()

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.year, (self.month - 1) // 3 + 1)

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label_id(self) -> str:
        """Indonesian display, as on the forms (``Oktober 2026``)."""
        return f"{MONTHS_ID[self.month - 1]} {self.year}"

    @property
    def label_en(self) -> str:
        return f"{MONTHS_EN[self.month - 1]} {self.year}"

    @property
    def month_name_id(self) -> str:
        return MONTHS_ID[self.month - 1]

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id

    def __str__(self) -> str:
        return self.iso


@attrs.frozen(order=True)
class Quarter:
    """A calendar quarter (triwulan), ``2026Q4``."""

    year: int = attrs.field(validator=_check_year)
    number: int = attrs.field()

    @number.validator
    def _check_number(self, attribute: attrs.Attribute[int], value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4:
            raise InvalidPeriodError(value, "quarter must be 1 to 4")

    @property
    def months(self) -> tuple[Period, Period, Period]:
        first = Period(self.year, 3 * self.number - 2)
        return (first, first + 1, first + 2)

    @property
    def label_id(self) -> str:
        return f"Triwulan {('I', 'II', 'III', 'IV')[self.number - 1]} {self.year}"

    @property
    def label_en(self) -> str:
        return f"Q{self.number} {self.year}"

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"
