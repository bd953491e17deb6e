"""Indonesian number formatting and formula-injection-safe text for the exporters.

Example:
    >>> angka(1234567), persen(56.71), persen(None), angka(None)
    ('1.234.567', '56,7 %', '–', '–')
    >>> csv_safe("=HYPERLINK(1)"), csv_safe("-12"), csv_safe("Cibodas")
    ("'=HYPERLINK(1)", "'-12", 'Cibodas')
"""

from __future__ import annotations

import datetime as dt

from sikkb.i18n import DASH, angka, persen
from sikkb.periods import MONTHS_ID

__all__ = ["DASH", "FORMULA_START", "angka", "csv_safe", "is_formula_like", "persen", "tanggal"]

#: First characters a spreadsheet may read as a formula (OWASP CSV injection), plus tab and CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def tanggal(day: dt.date) -> str:
    """``5 November 2026``."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_safe(text: str) -> str:
    """Prefix text a spreadsheet would read as a formula with ``'`` (OWASP CSV injection advice)."""
    return "'" + text if is_formula_like(text) else text
