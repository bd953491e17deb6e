"""Reading an XLSX register for the columnar engine with calamine (``python-calamine``).

The record reader streams each sheet through a hardened expat parser in Python, one cell at a time
(:mod:`sikkb.io.xlsx_stream`). Here the sheets are read by calamine (Rust) into Python rows and
turned into one Polars column per header cell, which goes through the same vectorised typing as a
CSV file (``sikkb.columnar.read._read_frame``): values, untyped rows, findings and messages
are the record reader's by construction.

What stays the record reader's, unchanged:

- the file checks before anything parses it (signature, zip damage, part count, total size,
  compression ratio, ``xl/workbook.xml``), the small parts read with defusedxml, the sheet names
  matched to tables, the other sheets' findings and each table's header row: all come from
  :func:`sikkb.io.register_xlsx.xlsx_tables`, as for the record reader;
- each sheet calamine reads (and the shared strings) is first parsed whole by the record reader's hardened expat parser
  (no handlers: DTDs, entities and malformed XML are refused exactly where the record reader
  refuses them) and scanned for what calamine reads differently (below); the row count is
  checked against :class:`~sikkb.io.limits.Limits` and far-away cell references are refused
  before calamine, which holds a sheet as a dense grid, sees them.

A sheet goes to the record reader's own code, whole, when calamine would not give the record
reader's values: error cells (``#N/A``, which calamine reads as empty), ISO date cells,
formula text results, ``_xHHHH_`` escapes and character references, text with leading or
trailing spaces not marked ``xml:space="preserve"`` (calamine trims it), empty strings, numbers
written as ``3.0`` or ``1E3``, times and durations, dates before March 1900 (the 1900 leap-year
bug) or with fractions of a second, integers beyond 2**53, unusual markup (prefixed element
names, cells or rows without a reference, columns past Z). The whole workbook does when its
number formats are not read alike (calamine and the record reader decide "this cell is a date"
from the format with different rules: only the formats both read the same way are allowed) or it
uses the 1904 date system. A single row whose cells calamine types differently from the rest of
their column (a number in a text column) is typed by the record reader's row code.

Example:
    >>> agreed_format(14, None), agreed_format(0, None), agreed_format(30, None)
    (True, True, False)
    >>> agreed_format(164, "dd/mm/yyyy"), agreed_format(165, "0.00"), agreed_format(166, "[h]:mm")
    (True, True, False)
"""

from __future__ import annotations

import datetime
import importlib.util
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import polars as pl

from sikkb.columnar.read import _from_records, _read_frame, _Table
from sikkb.columnar.tables import frame_of_records
from sikkb.io.columns import COLUMNS
from sikkb.io.files import not_regular
from sikkb.io.limits import Limits
from sikkb.io.raw import RawTable, normalise_name
from sikkb.io.reader import _read_table, _TableResult
from sikkb.io.register_xlsx import xlsx_tables
from sikkb.io.xlsx_stream import Workbook, _attr, _hardened_parser, _resolve, _small_tree, _tag
from sikkb.rules.engine import Finding

__all__ = ["agreed_format", "available", "read_xlsx"]

_CHUNK = 1 << 20
_MAX_TAIL = 1 << 20
#: Built-in number formats calamine reads as numbers but the record reader as dates (East Asian
#: date formats): a workbook using them is read by the record reader.
_DISPUTED_BUILTINS = frozenset([*range(27, 37), *range(50, 59)])
_DATE_CODE = re.compile(r"^(?:\[\$-[0-9A-Fa-f]+\])?[dmyDMY][dmyhsDMYHS:/\-. ,\\]*$")
_NUMBER_CODE = re.compile(r"^(?:General|@|[0#?,.%\s()+\-/$]*(?:[Ee][+-][0#]+)?)$")
#: What calamine reads differently from the record reader (any match: the record reader reads the
#: sheet). One pattern per leading literal, so that each search skips ahead to its literal.
_ODD = tuple(
    re.compile(p)
    for p in (
        # text: edge spaces without xml:space="preserve" (calamine trims them), empty strings
        rb"<t(?:/>|></t>|\s[^>]*/>|\s[^>]*></t>|>[ \t\r\n]|>[^<]*[ \t\r\n]</t>)",
        rb"<si(?:\s*/>|></si>)",
        rb"_x[0-9A-Fa-f]{4}_",  # an escaped character: calamine decodes it
        rb"&#",  # a character reference
        # values: 3.0, 1E3, text (true, inf), empty
        rb"<v(?:\s*/>|></v>|>[^<]*[^-+0-9.<]|>[-+]?[0-9]*\.0*</v>)",
        rb't="(?:e|d|str)"',  # error cells, ISO date cells, formula text
        # cells and rows without a reference, past column Z, past row 999,999
        rb'<c(?:>| (?:[^r]|r[^=]|r=[^"])| r="[A-Z]{2})',
        rb'<row(?:>| (?:[^r]|r[^=]|r=[^"])| r="[0-9]{7})',
    )
)
_ROW = b'<row r="'
_EXACT = 2**53
_FIRST_DAY = datetime.datetime(1900, 3, 1)  # before it, calamine and Excel count days differently
_LAST_SERIAL = 2_958_466  # a date-styled number from here is a number to the record reader


def available() -> bool:
    """Whether calamine is installed (``pip install python-calamine``, part of the polars extra)."""
    return importlib.util.find_spec("python_calamine") is not None


def agreed_format(num_fmt_id: int, code: str | None) -> bool:
    """Whether calamine and the record reader agree on whether a number format is a date.

    Args:
        num_fmt_id: the format's id (below 164: built in).
        code: the format code when the workbook defines it, else ``None``.
    """
    if code is None:
        return num_fmt_id not in _DISPUTED_BUILTINS
    if num_fmt_id < 164:
        return False  # a built-in id redefined: the two readers look it up differently
    return bool(_DATE_CODE.match(code) or _NUMBER_CODE.match(code))


def _formats_agree(zf: zipfile.ZipFile) -> bool:
    if "xl/styles.xml" not in zf.namelist():
        return True
    tree = _small_tree(zf.read("xl/styles.xml"))
    custom: dict[int, str] = {}
    used: list[int] = []
    for el in tree.iter():
        if _tag(el) == "numFmt":
            fid = _attr(el, "numFmtId") or ""
            if not fid.isdigit():
                return False
            custom[int(fid)] = _attr(el, "formatCode") or ""
        elif _tag(el) == "cellXfs":
            for xf in el:
                if _tag(xf) == "xf":
                    fid = _attr(xf, "numFmtId") or "0"
                    if not fid.isdigit():
                        return False
                    used.append(int(fid))
    return all(agreed_format(n, custom.get(n)) for n in used)


def _strings_part(zf: zipfile.ZipFile) -> str | bool | None:
    """The shared strings part both readers read (``None``: none), or ``False`` when calamine
    would read another part than the record reader's ``xl/sharedStrings.xml``."""
    names = set(zf.namelist())
    targets: list[str] = []
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in _small_tree(zf.read("xl/_rels/workbook.xml.rels")).iter():
            kind = _attr(rel, "Type") or ""
            if _tag(rel) == "Relationship" and kind.endswith("/sharedStrings"):
                targets.append(_resolve(_attr(rel, "Target") or ""))
    own = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else None
    if targets != ([own] if own else []):
        return False
    return own


@attrs.define
class _Book:
    """The workbook as the record reader opened it, and calamine's view of it (opened lazily)."""

    path: Path
    zf: zipfile.ZipFile
    parts: dict[str, str | None]
    limits: Limits
    calamine: Any = None
    broken: bool = False

    def grid(self, title: str) -> list[list[Any]] | None:
        if self.broken:
            return None
        try:
            if self.calamine is None:
                from python_calamine import CalamineWorkbook

                self.calamine = CalamineWorkbook.from_path(str(self.path))
            rows: list[list[Any]] = self.calamine.get_sheet_by_name(title).to_python(
                skip_empty_area=False
            )
        except Exception:  # calamine cannot read it: the record reader says why (or reads it)
            self.broken = True
            return None
        return rows

    def plain(self, part: str) -> bool:
        """Whether the record reader's parser accepts the part and calamine reads it alike."""
        parser = _hardened_parser()
        rows = last = 0
        tail = b""
        try:
            with self.zf.open(part) as f:
                while chunk := f.read(_CHUNK):
                    parser.Parse(chunk, False)
                    text = tail + chunk
                    if any(odd.search(text) for odd in _ODD):
                        return False
                    # what may continue into the next chunk: from the last two tags on
                    cut = max(text.rfind(b"<", 0, max(text.rfind(b"<"), 0)), 0)
                    tail = text[cut:]
                    if len(tail) > _MAX_TAIL:
                        return False  # a text of megabytes: the record reader's business
                    rows += text.count(b"<row ", 0, cut)
                    at = text.rfind(_ROW)
                    if at >= 0:
                        number = text[at + len(_ROW) : text.find(b'"', at + len(_ROW))]
                        last = max(last, int(number) if number.isdigit() else 0)
                parser.Parse(b"", True)
        except Exception:  # refused or damaged: the record reader refuses it the same way
            return False
        rows += tail.count(b"<row ")
        # a sheet over the row limit is refused by the record reader as it streams; calamine
        # holds a sheet as a dense grid: no far-away last row on a nearly empty sheet
        return rows - 1 <= self.limits.max_rows and last <= 2 * rows + 1_000


def read_xlsx(path: Path, limits: Limits) -> tuple[list[tuple[str, _Table]], list[Finding]] | None:
    """Read a workbook's tables with calamine; ``None`` when calamine is not installed or ``path``
    is not a file the record reader would open (it then refuses it as it does today).

    Raises:
        RegisterFileError: as :func:`sikkb.io.read_register` does for the same file.
    """
    if not available() or not path.exists() or not_regular(path) is not None:
        return None
    if path.suffix.lower() == ".csv":
        return None
    with xlsx_tables(path, limits) as (raws, notes), zipfile.ZipFile(path) as zf:
        wb = Workbook(zf)
        titles = [t for t, _ in wb.sheets]
        book = _Book(path=path, zf=zf, parts=dict(wb.sheets), limits=limits)
        strings = _strings_part(zf) if raws else None
        alike = (
            not wb.date1904
            and len(set(titles)) == len(titles)
            and _formats_agree(zf)
            and strings is not False
            and (not isinstance(strings, str) or book.plain(strings))
        )
        tables = [(raw.table, _table(raw, book) if alike else _records(raw, limits))
                  for raw in raws]  # fmt: skip
    return tables, notes


def _records(raw: RawTable, limits: Limits) -> _Table:
    """The record reader's reading of a table (its rows streamed by the hardened parser)."""
    return _from_records(_read_table(raw, limits), raw.table)


def _table(raw: RawTable, book: _Book) -> _Table:
    title = raw.source[len(book.path.name) + 1 :]
    part = book.parts.get(title)
    if not raw.header or part is None or not book.plain(part):
        return _records(raw, book.limits)
    grid = book.grid(title)
    if grid is None:
        return _records(raw, book.limits)
    table = _from_grid(raw, grid, book.limits)
    return table if table is not None else _records(raw, book.limits)


# ----------------------------------------------------------------------------------------- cells


class _Odd(Exception):
    """A value calamine gives differently from the record reader (internal)."""


def _datetime(value: datetime.date) -> datetime.datetime:
    """A calamine date cell as the record reader reads it."""
    if type(value) is datetime.date:
        value = datetime.datetime(value.year, value.month, value.day)
    assert isinstance(value, datetime.datetime)
    if value < _FIRST_DAY or value.microsecond:
        raise _Odd
    return value


def _cell(value: Any) -> Any:
    """A calamine cell as the record reader reads it."""
    kind = type(value)
    if kind is str:
        return value if value else None
    if kind is float:
        if value.is_integer():
            if abs(value) >= _EXACT:
                raise _Odd
            return int(value)
        return value
    if kind is datetime.date or kind is datetime.datetime:
        return _datetime(value)
    if kind is bool or kind is int:
        return value
    raise _Odd  # a time or a duration


_STR, _NUMBER, _BOOL, _DATE = "str", "number", "bool", "date"
_KINDS: dict[type, str] = {
    str: _STR, float: _NUMBER, int: _NUMBER, bool: _BOOL,
    datetime.date: _DATE, datetime.datetime: _DATE,
}  # fmt: skip


def _column(values: Sequence[Any], date_column: bool, odd: set[int]) -> pl.Series:
    """One column as a Polars series of one type; rows of a cell of another type go to ``odd``."""
    empty = values.count("")
    counts = dict.fromkeys((_STR, _NUMBER, _BOOL, _DATE), 0)
    for t, n in Counter(map(type, values)).items():
        kind = _KINDS.get(t)
        if kind is None:
            raise _Odd  # times and durations
        counts[kind] += n
    counts[_STR] -= empty
    kind = max(counts, key=lambda k: counts[k])
    if counts[kind] == 0:
        return pl.Series(values=[None] * len(values), dtype=pl.String)
    if counts[kind] + empty != len(values):  # cells of another type: their rows are odd
        odd.update(i for i, v in enumerate(values) if v != "" and _KINDS[type(v)] != kind)
        values = [v if v != "" and _KINDS[type(v)] == kind else None for v in values]
    if kind == _STR:
        text = pl.Series(values, dtype=pl.String)
        return text.set(text == "", None)
    if kind == _BOOL:
        return pl.Series(values, dtype=pl.Boolean, strict=False)
    if kind == _DATE:
        dates = pl.Series(values, dtype=pl.Datetime("us"), strict=False)
        if (dates < _FIRST_DAY).any() or (dates.dt.microsecond() != 0).any():
            raise _Odd  # the 1900 leap-year bug; fractions of a second the record reader rounds
        return dates
    numbers = pl.Series(values, dtype=pl.Float64, strict=False)
    whole = numbers == numbers.floor()
    if (numbers.filter(whole).abs() >= _EXACT).any():
        raise _Odd  # the record reader's integer is exact, calamine's float is not
    if whole.all():
        return numbers.cast(pl.Int64)
    if date_column:
        # "angka 45000" or "angka 45000.5" in a date column's message: each as the record reader
        if (numbers.filter(whole).abs() >= _LAST_SERIAL).any():
            raise _Odd  # a date-styled number past year 9999 is a float to the record reader
        odd.update(i for i, w in enumerate(whole) if w)
    return numbers


def _from_grid(raw: RawTable, grid: list[list[Any]], limits: Limits) -> _Table | None:
    """Type a sheet calamine read (``grid[0]`` is row 1, the header); ``None``: read it with
    the record reader instead."""
    width = len(raw.header)
    data = grid[1:]
    ncols = min(max((len(r) for r in grid), default=0), limits.max_columns)
    names = [normalise_name(h) for h in raw.header]
    dates = {c.name for c in COLUMNS[raw.table] if c.kind == "date"}
    odd: set[int] = set()
    if len(set(map(len, grid))) > 1:
        return None
    try:
        columns = list(zip(*data, strict=True)) if data else [() for _ in range(ncols)]
        series = {
            f"c{j}": _column(columns[j] if j < len(columns) else [""] * len(data),
                             names[j] in dates, odd)
            for j in range(width)
        }  # fmt: skip
        for j in range(width, ncols):
            odd.update(i for i, v in enumerate(columns[j]) if type(v) is not str or v.strip())
        slow_rows = [(i + 2, [_cell(v) for v in data[i][:ncols]]) for i in sorted(odd)]
    except _Odd:
        return None
    frame = pl.DataFrame(series, height=len(data))
    if odd:
        blank = pl.Series(range(len(data))).is_in(list(odd))
        frame = frame.with_columns(
            pl.when(blank).then(None).otherwise(pl.col(c)).alias(c) for c in frame.columns
        )
    fast = _read_frame(
        frame, table=raw.table, source=raw.source, header=raw.header, limits=limits, text=False
    )
    if not slow_rows:
        return fast
    slow = _read_table(
        RawTable(table=raw.table, source=raw.source, header=raw.header, rows=iter(slow_rows)),
        limits,
    )
    return _merge(fast, slow, raw.table)


def _merge(fast: _Table, slow: _TableResult, table: str) -> _Table:
    """One table from the vectorised rows and the rows the record reader's row code read."""
    result = fast.result

    def row(f: Finding) -> int:
        return f.location.row or 0

    header = [f for f in result.findings if f.location.row is None]
    rows = sorted(
        [f for f in result.findings if f.location.row is not None]
        + [f for f in slow.findings if f.location.row is not None],
        key=row,
    )
    beyond = [f for f in slow.findings if f.location.row is None and f not in header]
    result.findings = header + rows + beyond
    result.untyped = sorted([*result.untyped, *slow.untyped], key=lambda u: u.row)
    frame = fast.frame
    if slow.records:
        frame = pl.concat([frame, frame_of_records(table, slow.records)]).sort("row")
    result.count = attrs.evolve(
        result.count,
        rows=result.count.rows + slow.count.rows,
        typed=frame.height,
        untyped=len(result.untyped),
    )
    return _Table(frame, result)
