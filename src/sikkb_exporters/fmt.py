"""Indonesian number formatting and formula-injection-safe text for the exporters.

Example:
    >>> angka(1234567), persen(56.71), persen(None), angka(None)
    ('1.234.567', '56,7 %', '–', '–')
    >>> csv_safe("=HYPERLINK(1)"), csv_safe("-12"), csv_safe("Cibodas")
    ("'=HYPERLINK(1)", "'-12", 'Cibodas')
"""

from __future__ import annotations

import datetime as dt

from sikkb.periods import MONTHS_ID

__all__ = ["DASH", "FORMULA_START", "angka", "csv_safe", "is_formula_like", "persen", "tanggal"]

#: What an undefined or missing number prints as.
DASH = "–"
#: First characters a spreadsheet may read as a formula (OWASP CSV injection), plus tab and CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def angka(value: int | float | None, decimals: int = 0) -> str:
    """A number the Indonesian way: ``.`` groups thousands, ``,`` marks decimals."""
    if value is None:
        return DASH
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def persen(value: float | None, decimals: int = 1) -> str:
    """A percentage: ``56,7 %``; ``–`` when not defined (zero denominator)."""
    return DASH if value is None else f"{angka(value, decimals)} %"


def tanggal(day: dt.date) -> str:
    """``5 November 2026``."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_safe(text: str) -> str:
    """Prefix text a spreadsheet would read as a formula with ``'`` (OWASP CSV injection advice)."""
    return "'" + text if is_formula_like(text) else text
