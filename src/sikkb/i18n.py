"""Bilingual text: everything shown to a Dinas officer is Indonesian first, English too."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

__all__ = ["DASH", "LANGS", "Lang", "Text", "angka", "persen"]

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")


@attrs.frozen
class Text:
    """A text in Indonesian (``id``) and English (``en``).

    ``format()`` fills ``{placeholders}`` in both; a value that is itself a :class:`Text` is filled in
    the matching language.

    >>> t = Text("{n} baris {what}", "{n} rows {what}").format(n=3, what=Text("salah", "wrong"))
    >>> t.id, t.en, t.get("en")
    ('3 baris salah', '3 rows wrong', '3 rows wrong')
    """

    id: str
    en: str

    def get(self, lang: str = "id") -> str:
        return self.en if lang == "en" else self.id

    def format(self, **params: Any) -> Text:
        return Text(_fill(self.id, params, "id"), _fill(self.en, params, "en"))

    def __str__(self) -> str:
        return self.id


def _fill(template: str, params: Mapping[str, Any], lang: str) -> str:
    values = {k: (v.get(lang) if isinstance(v, Text) else v) for k, v in params.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template  # a template/param mismatch must not hide the finding itself


#: What an undefined or missing number prints as.
DASH = "–"


def angka(value: int | float | None, decimals: int = 0) -> str:
    """A number the Indonesian way: ``.`` groups thousands, ``,`` marks decimals.

    Every number sikkb prints — in reports and on the terminal, in either language — uses this
    one format, so a figure reads the same wherever an officer meets it.

    >>> angka(1234567), angka(41.666, 1), angka(None)
    ('1.234.567', '41,7', '–')
    """
    if value is None:
        return DASH
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def persen(value: float | None, decimals: int = 1) -> str:
    """A percentage: ``56,7 %``; ``–`` when not defined (zero denominator).

    >>> persen(56.71), persen(100.0, 0), persen(None)
    ('56,7 %', '100 %', '–')
    """
    return DASH if value is None else f"{angka(value, decimals)} %"
