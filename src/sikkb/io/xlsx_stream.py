"""A fast, hardened, read-only streaming reader of XLSX worksheets (values only).

openpyxl parses every cell into objects; for a register of a few hundred thousand rows that takes
minutes. This reader streams a sheet's XML through expat and yields plain row values — text,
numbers, booleans, dates (from the cell's number format) — as fast as expat can go. It reads what a
register needs and nothing else: no styles beyond date detection, no formulas (a formula cell gives
its cached value, like openpyxl's ``data_only``), no rich-text formatting.

Hardening: the small parts (workbook, relationships, styles) are parsed with defusedxml; the large
ones (shared strings, sheets) are streamed through expat with the same guard defusedxml installs —
any DTD, entity declaration or external entity is refused — so a "billion laughs" or external-entity
file cannot expand. Zip-level limits (size, ratio) are checked before by
:func:`sikkb.io.register_xlsx.check_xlsx`; every part is read through zipfile, which stops at the
declared size and checks the CRC.

Example:
    >>> excel_date(45000, date1904=False)
    datetime.datetime(2023, 3, 15, 0, 0)
    >>> is_date_format("dd/mm/yyyy"), is_date_format('0.00"d"'), is_date_format("[Red]0")
    (True, False, False)
"""

from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.parsers import expat

__all__ = ["UnsafeXMLError", "Workbook", "excel_date", "is_date_format"]

_CHUNK = 1 << 16
#: Built-in number formats that are dates or times (ECMA-376 18.8.30; 27-36 and 50-58 are the
#: East Asian date formats Excel maps by locale).
_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_EPOCH_1900 = datetime.datetime(1899, 12, 30)
_EPOCH_1904 = datetime.datetime(1904, 1, 1)


class UnsafeXMLError(ValueError):
    """An XML part holds a DTD or an entity declaration (refused: it could expand or reach out)."""


def is_date_format(code: str) -> bool:
    """Whether an Excel number format code shows a date or time."""
    stripped = _QUOTED.sub("", code).lower()
    if stripped in ("general", "@", ""):
        return False
    return any(ch in stripped for ch in "dmyhs")


def excel_date(serial: float, *, date1904: bool) -> datetime.datetime:
    """An Excel date serial as a datetime (seconds rounded)."""
    epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
    return epoch + datetime.timedelta(seconds=round(serial * 86400))


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _refuse(*args: Any) -> Any:
    raise UnsafeXMLError("XML with a DTD or entity declarations is refused")


def _hardened_parser() -> Any:
    p = expat.ParserCreate()
    p.StartDoctypeDeclHandler = _refuse
    p.EntityDeclHandler = _refuse
    p.UnparsedEntityDeclHandler = _refuse
    p.ExternalEntityRefHandler = _refuse
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.buffer_text = True
    return p


def _small_tree(data: bytes) -> Any:
    import defusedxml.ElementTree as safe_et  # edge dependency (the xlsx extra)

    return safe_et.fromstring(data, forbid_dtd=True)


def _tag(el: Any) -> str:
    return str(el.tag).rpartition("}")[2]


def _attr(el: Any, name: str) -> str | None:
    for k, v in el.attrib.items():
        if k == name or k.rpartition("}")[2] == name:
            return str(v)
    return None


class Workbook:
    """The sheets of an open XLSX zip and their rows.

    Args:
        zf: the open zip (checked by :func:`~sikkb.io.register_xlsx.check_xlsx`).
    """

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self._zf = zf
        names = set(zf.namelist())
        wb = _small_tree(zf.read("xl/workbook.xml"))
        rels_path = "xl/_rels/workbook.xml.rels"
        targets: dict[str, str] = {}
        if rels_path in names:
            for rel in _small_tree(zf.read(rels_path)).iter():
                if _tag(rel) == "Relationship":
                    rid, target = _attr(rel, "Id"), _attr(rel, "Target")
                    if rid and target:
                        targets[rid] = _resolve(target)
        self.date1904 = False
        self.sheets: list[tuple[str, str | None]] = []
        for el in wb.iter():
            tag = _tag(el)
            if tag == "workbookPr":
                self.date1904 = (_attr(el, "date1904") or "").lower() in ("1", "true")
            elif tag == "sheet":
                rid = _attr(el, "id")
                part = targets.get(rid or "")
                self.sheets.append((_attr(el, "name") or "", part if part in names else None))
        self._date_styles = self._read_styles(names)
        self._strings: list[str] | None = None
        self._names = names

    def _read_styles(self, names: set[str]) -> frozenset[int]:
        if "xl/styles.xml" not in names:
            return frozenset()
        tree = _small_tree(self._zf.read("xl/styles.xml"))
        custom: dict[int, str] = {}
        dates: set[int] = set()
        for el in tree.iter():
            if _tag(el) == "numFmt":
                fid = _attr(el, "numFmtId")
                if fid is not None and fid.isdigit():
                    custom[int(fid)] = _attr(el, "formatCode") or ""
            elif _tag(el) == "cellXfs":
                for i, xf in enumerate(x for x in el if _tag(x) == "xf"):
                    fid = _attr(xf, "numFmtId") or "0"
                    n = int(fid) if fid.isdigit() else 0
                    if n in _BUILTIN_DATES or (n in custom and is_date_format(custom[n])):
                        dates.add(i)
        return frozenset(dates)

    def _shared_strings(self) -> list[str]:
        if self._strings is not None:
            return self._strings
        strings: list[str] = []
        part = "xl/sharedStrings.xml"
        if part in self._names:
            parts: list[str] = []
            state = {"in_t": False, "skip": 0}

            def start(name: str, attrs: Any) -> None:
                tag = _local(name)
                if tag == "si":
                    parts.clear()
                elif tag == "t" and not state["skip"]:
                    state["in_t"] = True
                elif tag in ("rPh", "phoneticPr"):
                    state["skip"] += 1

            def end(name: str) -> None:
                tag = _local(name)
                if tag == "si":
                    strings.append("".join(parts))
                elif tag == "t":
                    state["in_t"] = False
                elif tag in ("rPh", "phoneticPr"):
                    state["skip"] -= 1

            def text(data: str) -> None:
                if state["in_t"]:
                    parts.append(data)

            p = _hardened_parser()
            p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, text
            with self._zf.open(part) as f:
                while chunk := f.read(_CHUNK):
                    p.Parse(chunk, False)
            p.Parse(b"", True)
        self._strings = strings
        return strings

    def rows(
        self, part: str | None, *, max_columns: int, min_row: int = 1
    ) -> Iterator[tuple[int, list[object]]]:
        """``(row number, values)`` of a sheet part, in file order; empty rows are not yielded.

        Values are ``str``, ``int``/``float``, ``bool``, ``datetime.datetime`` or ``None``; the list
        is as long as the last non-empty cell (at most ``max_columns``).
        """
        if part is None:
            return
        strings = self._shared_strings()
        dates, date1904 = self._date_styles, self.date1904
        done: list[tuple[int, list[object]]] = []
        col_cache: dict[str, int] = {}
        local_names: dict[str, str] = {}
        row_no = col = style = 0
        cell_type = "n"
        cells: list[object] | None = None
        texts: list[str] | None = None
        collecting = False

        def local(name: str) -> str:
            tag = local_names.get(name)
            if tag is None:
                tag = local_names[name] = _local(name)
            return tag

        def column(ref: str) -> int:
            letters = ref.rstrip("0123456789")
            n = col_cache.get(letters)
            if n is None:
                n = 0
                for ch in letters.upper():
                    n = n * 26 + (ord(ch) - 64)
                col_cache[letters] = n
            return n

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row_no, col, style, cell_type, cells, texts, collecting
            tag = local_names.get(name) or local(name)
            if tag == "c":
                ref = attrs.get("r")
                col = column(ref) if ref else col + 1
                cell_type = attrs.get("t", "n")
                s = attrs.get("s")
                style = int(s) if s and s.isdigit() else 0
                texts = None
            elif tag == "v" or tag == "t":
                if texts is None:
                    texts = []
                collecting = True
            elif tag == "row":
                r = attrs.get("r")
                row_no = int(r) if r and r.isdigit() else row_no + 1
                cells = []
                col = 0
            elif tag == "f" or tag == "rPh":
                collecting = False

        def end(name: str) -> None:
            nonlocal cells, collecting
            tag = local_names.get(name) or local(name)
            if tag == "v" or tag == "t":
                collecting = False
            elif tag == "c":
                if col > max_columns or texts is None or cells is None:
                    return
                value = _value("".join(texts), cell_type, style)
                if value is None:
                    return
                if len(cells) < col:
                    cells.extend([None] * (col - len(cells)))
                cells[col - 1] = value
            elif tag == "row":
                if cells and row_no >= min_row:
                    done.append((row_no, cells))
                cells = None

        def text(data: str) -> None:
            if collecting and texts is not None:
                texts.append(data)

        def _value(raw: str, t: str, style: int) -> object:
            if t == "s":
                i = int(raw) if raw.isdigit() else -1
                return strings[i] if 0 <= i < len(strings) else None
            if t == "inlineStr" or t == "str" or t == "e":
                return raw
            if t == "b":
                return raw.strip() in ("1", "true")
            if t == "d":
                try:
                    return datetime.datetime.fromisoformat(raw.strip())
                except ValueError:
                    return raw
            if raw == "":
                return None
            try:
                number: float = float(raw)
            except ValueError:
                return raw
            if style in dates:
                try:
                    return excel_date(number, date1904=date1904)
                except OverflowError:
                    return number
            if number.is_integer() and "e" not in raw.lower() and "." not in raw:
                return int(raw)
            return number

        p = _hardened_parser()
        p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, text
        with self._zf.open(part) as f:
            while chunk := f.read(_CHUNK):
                p.Parse(chunk, False)
                if done:
                    yield from done
                    done.clear()
        p.Parse(b"", True)
        yield from done


def _resolve(target: str) -> str:
    """A relationship target of ``xl/workbook.xml`` as a zip member name."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))
