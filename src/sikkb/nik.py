"""NIK, the 16-digit national identity number: parse, validate, mask.

Layout: province (2) kab/kota (2) kecamatan (2) of first issue, birth date DDMMYY with 40 added to
DD for women, serial (4, never ``0000``). There is no check digit. NIK is personal data (UU 27/2022):
row-level output shows it masked (:func:`mask_nik`), aggregate output never.

Example:
    >>> n = NIK.parse("3671074508950001")
    >>> n.female, n.birth_day, n.birth_month, n.birth_yy, n.region_prefix
    (True, 5, 8, 95, '36.71.07')
    >>> n.birth_date(on_or_before=datetime.date(2026, 10, 31))
    datetime.date(1995, 8, 5)
    >>> mask_nik("3671074508950001")
    '367107******0001'
"""

from __future__ import annotations

import datetime
import re

import attrs

from sikkb.errors import InvalidNIKError

__all__ = ["NIK", "PROVINCE_CODES", "mask_nik", "nik_problem"]

#: Kemendagri province codes (including the Papua provinces created in 2022).
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
     61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96}
)  # fmt: skip

_DIGITS16 = re.compile(r"[0-9]{16}")  # ASCII digits: a NIK from an ID card has no others
# One pass for the common case: a well-formed NIK whose birth day (women: day + 40) is at most 28,
# so valid in every month. Anything else takes the detailed path that says what is wrong.
_FAST_VALID = re.compile(
    "(?:" + "|".join(str(c) for c in sorted(PROVINCE_CODES)) + r")"
    r"(?!00)\d\d(?!00)\d\d"
    r"(?:0[1-9]|1\d|2[0-8]|4[1-9]|5\d|6[0-8])"
    r"(?:0[1-9]|1[0-2])\d\d(?!0000)\d{4}"
)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # Feb 29 allowed: century unknown


def mask_nik(value: object) -> str:
    """Mask a NIK for row-level output: ``367107******0001`` (region prefix and serial kept).

    Anything that is not 16 characters is masked entirely except its length, so that a malformed
    NIK echoed in a finding never leaks more than a well-formed one would.
    """
    s = "" if value is None else str(value).strip()
    if len(s) == 16:
        return s[:6] + "*" * 6 + s[12:]
    return "*" * len(s)


def nik_problem(value: object) -> str | None:
    """Why ``value`` is not a NIK (English), or ``None`` when it is well formed."""
    if not isinstance(value, str):
        return "a NIK is text of 16 digits"
    if len(value) == 16 and _FAST_VALID.fullmatch(value):
        return None
    s = value.strip()
    if not _DIGITS16.fullmatch(s):
        if all(ch in "0123456789" for ch in s):
            return f"a NIK has 16 digits, this one has {len(s)}"
        if any(ch.isdigit() and ch not in "0123456789" for ch in s):
            return "a NIK is written with the digits 0-9"
        return "a NIK has only digits"
    if int(s[0:2]) not in PROVINCE_CODES:
        return f"{s[0:2]} is not a province code"
    if s[2:4] == "00":
        return "the kab/kota code cannot be 00"
    if s[4:6] == "00":
        return "the kecamatan code cannot be 00"
    day, month = int(s[6:8]), int(s[8:10])
    if not 1 <= month <= 12:
        return f"birth month {month:02d} does not exist"
    real_day = day - 40 if day > 40 else day
    if not (1 <= day <= 31 or 41 <= day <= 71) or not 1 <= real_day <= _DAYS_IN_MONTH[month - 1]:
        return f"birth day {day:02d} does not exist in month {month:02d} (women: day + 40)"
    if s[12:16] == "0000":
        return "the serial number cannot be 0000"
    return None


@attrs.frozen
class NIK:
    """A well-formed NIK. Its ``repr`` is masked; ``str()`` gives the full number."""

    value: str = attrs.field(repr=mask_nik)

    @value.validator
    def _check(self, attribute: attrs.Attribute[str], value: str) -> None:
        problem = nik_problem(value)
        if problem is not None:
            raise InvalidNIKError(str(value), problem)

    @classmethod
    def parse(cls, text: str) -> NIK:
        """Parse (trimming spaces).

        Raises:
            InvalidNIKError: with the reason, the value masked.
        """
        return cls(text.strip() if isinstance(text, str) else text)

    @property
    def region_prefix(self) -> str:
        """Kecamatan of first issue, dotted (``36.71.07``)."""
        s = self.value
        return f"{s[0:2]}.{s[2:4]}.{s[4:6]}"

    @property
    def female(self) -> bool:
        return int(self.value[6:8]) > 40

    @property
    def birth_day(self) -> int:
        d = int(self.value[6:8])
        return d - 40 if d > 40 else d

    @property
    def birth_month(self) -> int:
        return int(self.value[8:10])

    @property
    def birth_yy(self) -> int:
        """Two-digit birth year."""
        return int(self.value[10:12])

    @property
    def serial(self) -> str:
        return self.value[12:16]

    def birth_date(self, *, on_or_before: datetime.date) -> datetime.date | None:
        """The latest date matching the NIK's DDMMYY that is not after ``on_or_before``.

        ``None`` for 29 February in a century that makes it impossible.
        """
        year = (on_or_before.year // 100) * 100 + self.birth_yy
        for y in (year, year - 100, year - 200):
            try:
                d = datetime.date(y, self.birth_month, self.birth_day)
            except ValueError:
                continue
            if d <= on_or_before:
                return d
        return None

    def matches_birth_date(self, date: datetime.date) -> bool:
        """Whether the NIK's DDMMYY agrees with ``date``."""
        return (self.birth_day, self.birth_month, self.birth_yy) == (
            date.day,
            date.month,
            date.year % 100,
        )

    @property
    def masked(self) -> str:
        return mask_nik(self.value)

    def __str__(self) -> str:
        return self.value
