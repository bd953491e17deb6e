"""Typing register cells: one converter per column kind, memoised for repeated values.

A converter takes a cell as read (text from CSV; text, number, boolean or datetime from XLSX) and
returns the typed value, or raises :class:`CellProblem` naming the reader finding kind
(``baca-...``) and its message parameters. Codes, dates and region codes repeat a lot, so their
conversions are memoised per column (bounded).

Example:
    >>> from sikkb.io.columns import column
    >>> convert = converter(column("pus", "tanggal_lahir_istri"))
    >>> convert("5/8/1995"), convert("1995-08-05")
    (datetime.date(1995, 8, 5), datetime.date(1995, 8, 5))
    >>> try:
    ...     converter(column("pus", "status_kb"))("SUNTK")
    ... except CellProblem as p:
    ...     print(p.rule_id, p.params["suggest"].en.strip())
    baca-kode-tidak-dikenal Did you mean SUNTIK?
    >>> shown(column("pus", "nik_istri"), "3671074508950001")
    '367107******0001'
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any

from sikkb.codes import CodeEnum, parse_status_kb
from sikkb.errors import InvalidCodeError
from sikkb.i18n import Text
from sikkb.io.columns import Column, aliases_of
from sikkb.nik import mask_nik
from sikkb.regions import parse_region_code

__all__ = ["EXPECTED", "CellProblem", "converter", "is_empty", "shown"]


class CellProblem(Exception):
    """A cell that cannot be typed: the finding kind and its message parameters."""

    def __init__(self, rule_id: str, **params: Any) -> None:
        self.rule_id = rule_id
        self.params = params


_TRUE = frozenset({"Y", "YA", "1", "TRUE", "BENAR"})
_FALSE = frozenset({"T", "TIDAK", "N", "0", "FALSE", "SALAH"})
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})([/\-.])(\d{1,2})\2(\d{4})(?: 00:00(?::00)?)?$")
_INT = re.compile(r"^[+-]?\d+(?:[.,]0)?$")  # "1.000" is ambiguous (Indonesian thousands): refused
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+\d+$")
_CACHE_MAX = 50_000


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    return str(value)


def _number_cell(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _key(col: Column) -> Callable[[object], object]:
    def slow(value: object) -> object:
        if is_empty(value):
            raise CellProblem("baca-wajib-kosong")
        if _number_cell(value) and abs(value) >= 10**15:  # type: ignore[arg-type]
            raise CellProblem("baca-teks-jadi-angka")
        text = _as_text(value)
        if _SCIENTIFIC.match(text):
            raise CellProblem("baca-teks-jadi-angka")
        return text

    def parse(value: object) -> object:
        if type(value) is str:
            text = value.strip()
            if text and not ("+" in text and _SCIENTIFIC.match(text)):
                return text
        return slow(value)

    return parse


def _text(col: Column) -> Callable[[object], object]:
    def parse(value: object) -> object:
        if type(value) is str:
            return value.strip() or None
        if value is None:
            return None
        return _as_text(value) or None

    return parse


def _nik(col: Column) -> Callable[[object], object]:
    def slow(value: object) -> object:
        if is_empty(value):
            if col.required:
                raise CellProblem("baca-wajib-kosong")
            return None
        if _number_cell(value):
            raise CellProblem("baca-teks-jadi-angka")
        text = _as_text(value)
        if _SCIENTIFIC.match(text):
            raise CellProblem("baca-teks-jadi-angka")
        return text

    def parse(value: object) -> object:
        if type(value) is str:
            text = value.strip()
            if text.isdigit():
                return text
        return slow(value)

    return parse


def _cached(convert: Callable[[object], object]) -> Callable[[object], object]:
    """Memoise a conversion of repeated cell values (codes, dates, region codes)."""
    cache: dict[object, object] = {}
    get = cache.get
    miss = object()

    def parse(value: object) -> object:
        if value is True or value is False:  # True == 1: never share a cache entry with 1
            return convert(value)
        found = get(value, miss)
        if found is not miss:
            return found
        result = convert(value)
        if len(cache) < _CACHE_MAX:
            cache[value] = result
        return result

    return parse


def _optional(col: Column, convert: Callable[[object], object]) -> Callable[[object], object]:
    def parse(value: object) -> object:
        if is_empty(value):
            if col.required:
                raise CellProblem("baca-wajib-kosong")
            return col.default
        return convert(value)

    return _cached(parse)


def _region(col: Column) -> Callable[[object], object]:
    def convert(value: object) -> object:
        try:
            return parse_region_code(_as_text(value), field=col.name)
        except InvalidCodeError:
            raise CellProblem("baca-kode-wilayah") from None

    return _optional(col, convert)


_INT64 = 2**63


def _int(col: Column) -> Callable[[object], object]:
    minimum = (
        Text(f" ≥ {col.minimum}", f" ≥ {col.minimum}") if col.minimum is not None else Text("", "")
    )

    most = f"{_INT64 - 1:,}"
    in_range = Text(
        f"{minimum.id}, paling besar {most.replace(',', '.')}", f"{minimum.en}, at most {most}"
    )

    def convert(value: object) -> object:
        n: int
        if isinstance(value, bool):
            raise CellProblem("baca-angka", minimum=minimum)
        if isinstance(value, int):
            n = value
        elif isinstance(value, float) and value.is_integer():
            n = int(value)
        elif isinstance(value, str) and _INT.match(text := value.strip()):
            n = int(re.split(r"[.,]", text)[0])
        else:
            raise CellProblem("baca-angka", minimum=minimum)
        if col.minimum is not None and n < col.minimum:
            raise CellProblem("baca-angka", minimum=minimum)
        if not -_INT64 <= n < _INT64:  # beyond any register's numbers, and a column's 64 bits
            raise CellProblem("baca-angka", minimum=in_range)
        return n

    return _optional(col, convert)


def _bool(col: Column) -> Callable[[object], object]:
    def convert(value: object) -> object:
        if isinstance(value, bool):
            return value
        if _number_cell(value) and value in (0, 1):
            return value == 1
        text = _as_text(value).upper()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellProblem("baca-boolean")

    return _optional(col, convert)


def _excel_serial(value: float) -> datetime.date | None:
    if 1 <= value < 2_958_466:
        return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
    return None


def _date(col: Column) -> Callable[[object], object]:
    def convert(value: object) -> object:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if _number_cell(value):
            serial = _excel_serial(float(value))  # type: ignore[arg-type]
            extra = (
                Text(
                    f"; angka {value} sebagai tanggal Excel = {serial:%d/%m/%Y}, format selnya "
                    "sebagai tanggal bila itu maksudnya",
                    f"; the number {value} as an Excel date is {serial:%d/%m/%Y}, format the cell "
                    "as a date if that is meant",
                )
                if serial
                else Text("", "")
            )
            raise CellProblem("baca-tanggal", extra=extra)
        text = _as_text(value)
        try:
            if m := _ISO.match(text):
                return datetime.date(int(m[1]), int(m[2]), int(m[3]))
            if m := _DMY.match(text):
                return datetime.date(int(m[4]), int(m[3]), int(m[1]))
        except ValueError:
            pass
        raise CellProblem("baca-tanggal", extra=Text("", ""))

    return _optional(col, convert)


def _code(col: Column) -> Callable[[object], object]:
    enum_cls = col.enum

    def convert(value: object) -> object:
        text = _as_text(value)
        try:
            if col.kind == "status_kb":
                return parse_status_kb(text)
            assert enum_cls is not None
            member: CodeEnum = enum_cls.parse(text, kind=col.name)
            return member
        except InvalidCodeError as e:
            near_codes = [c for c in e.suggestions if c in col.codes]
            if not near_codes:
                targets = aliases_of(col)
                near_codes = list(dict.fromkeys(targets[c] for c in e.suggestions if c in targets))
            suggest = (
                Text(
                    f"Maksud Anda {' atau '.join(near_codes)}? ",
                    f"Did you mean {' or '.join(near_codes)}? ",
                )
                if near_codes
                else Text("", "")
            )
            raise CellProblem(
                "baca-kode-tidak-dikenal", suggest=suggest, codes=", ".join(col.codes)
            ) from None

    return _optional(col, convert)


_PARSERS: Mapping[str, Callable[[Column], Callable[[object], object]]] = {
    "key": _key,
    "text": _text,
    "name": _text,
    "nik": _nik,
    "region": _region,
    "int": _int,
    "count": _int,
    "bool": _bool,
    "date": _date,
    "code": _code,
    "status_kb": _code,
}

#: What a column kind expects, for the hint of an empty required cell.
EXPECTED: Mapping[str, Text] = {
    "key": Text("teks", "text"),
    "nik": Text("16 digit NIK, diketik sebagai teks", "the 16-digit NIK, typed as text"),
    "region": Text("kode wilayah 10 digit", "a 10-digit region code"),
    "int": Text("bilangan bulat", "a whole number"),
    "count": Text("bilangan bulat", "a whole number"),
    "date": Text("tanggal HH/BB/TTTT", "a date DD/MM/YYYY"),
    "code": Text("salah satu kode", "one of the codes"),
    "status_kb": Text("metode KB atau alasan", "a method or a reason"),
}


def shown(col: Column | None, value: object, limit: int = 80) -> str | None:
    """A cell value as a finding may show it: NIK masked, names hidden, long text cut."""
    if value is None:
        return None
    text = _as_text(value)
    if (col is not None and col.kind == "nik") or (len(text) == 16 and text.isdigit()):
        return mask_nik(text)
    if col is not None and col.kind == "name":
        return f"({len(value) if isinstance(value, str) else len(text)} karakter)"
    return text if len(text) <= limit else text[:limit] + "…"


def converter(col: Column) -> Callable[[object], object]:
    """A new converter for the cells of ``col`` (with its own memo)."""
    return _PARSERS[col.kind](col)
