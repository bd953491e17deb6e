"""Reading a register into a :class:`ColumnarRegister`: CSV with Polars' reader, Parquet, XLSX.

The contract is the record reader's (:func:`sikkb.io.reader.read_register`): the same typed values,
the same untyped rows, the same findings with the same messages, the same refusals. The work is
split so that the common case is vectorised and every unusual row gets the record reader's own
treatment:

- a CSV file is checked as the record reader checks it (size, binary content, ``sep=`` line,
  delimiter sniffed from the header) and parsed by Polars as text; a file Polars reads differently
  from Python's ``csv`` (not UTF-8, a lone carriage return, control characters the two trim
  differently, a row wider than the header, broken quoting, a header over the column limit) is
  read by the record reader instead, whole;
- each column is typed as a column: keys, NIKs and free text by string expressions; every other
  kind (codes, dates, numbers, flags, region codes) by calling the record reader's own converter
  once per *distinct* value — so values and refusals are the record reader's by construction;
- a row with any cell the vectorised step does not accept (an empty required cell, a cell over
  the length limit, a value its converter refuses) is handed to the record reader's row code with
  its row number, which types it or keeps it verbatim with its findings.

Parquet (a folder of ``<table>.parquet``) is for registers too large for CSV; its columns may be
text or already typed (dates, integers, booleans); each value goes through the same converters.
XLSX workbooks are read by calamine where it is installed (:mod:`sikkb.columnar.xlsx`, behind the
record reader's zip-bomb, entity and size protections), else by the record reader and turned into
tables.
"""

from __future__ import annotations

import csv
import io
import mmap
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import polars as pl

from sikkb.codes import CodeEnum
from sikkb.columnar.tables import SCHEMAS, ColumnarRegister, empty_table, frame_of_records
from sikkb.errors import RegisterFileError
from sikkb.io.cells import CellProblem, converter
from sikkb.io.columns import COLUMNS, REQUIRED_TABLES, Column
from sikkb.io.limits import Limits
from sikkb.io.raw import RawTable, normalise_name
from sikkb.io.reader import (
    ReadResult,
    TableCount,
    UntypedRow,
    _missing_table,
    _read_table,
    _refused,
    _TableResult,
    read_register,
)
from sikkb.io.reader_rules import row_limit_finding
from sikkb.io.register_csv import (
    _SEP_LINE,
    _read_csv_file,
    check_csv_size,
    decode_csv,
    sniff_delimiter,
    table_files,
)
from sikkb.periods import Period
from sikkb.register import TABLES
from sikkb.rules.engine import Finding, Findings

__all__ = ["TWO_AT_ONCE_BYTES", "read_columnar"]

_HEAD = 1 << 16
_CSV_FIELD_LIMIT = csv.field_size_limit()
_VALUE_KINDS = frozenset({"region", "int", "count", "bool", "date", "code", "status_kb"})
_SCIENTIFIC = r"^\d+(?:[.,]\d+)?[eE]\+\d+$"
_LONE_CR = re.compile(rb"\r(?!\n)")


@attrs.define
class _Table:
    """One table read: typed rows, the record reader's result for the rest, the counts."""

    frame: pl.DataFrame
    result: _TableResult


class _Fallback(Exception):
    """This file is read by the record reader instead (internal)."""


# ------------------------------------------------------------------------------------- columns


def _value_map(col: Column, uniques: list[Any]) -> tuple[list[Any], list[Any], list[Any], Any]:
    """The record reader's converter on each distinct value: (values, typed, refused, missing).

    ``missing`` is what an absent cell (``None``) becomes; ``_REFUSED`` when it is refused.
    """
    convert = converter(col)
    keys: list[Any] = []
    values: list[Any] = []
    refused: list[Any] = []
    missing: Any = _REFUSED
    if col.kind == "date" and uniques:
        uniques = _iso_dates(uniques, keys, values)
    for value in uniques:
        try:
            typed = convert(value)
        except CellProblem:
            if value is not None:
                refused.append(value)
            continue
        typed = typed._value_ if isinstance(typed, CodeEnum) else typed
        if value is None:
            missing = typed
        else:
            keys.append(value)
            values.append(typed)
    return keys, values, refused, missing


_REFUSED = object()


def _iso_dates(uniques: list[Any], keys: list[Any], values: list[Any]) -> list[Any]:
    """Type the distinct ``YYYY-MM-DD`` texts of a date column at once (appended to ``keys`` and
    ``values``); return the others, for the converter.

    Exactly the converter's result: for such a text it is ``date(YYYY, MM, DD)``, and a text that
    is no date (``2020-02-30``) is left to the converter, which refuses it.
    """
    texts = pl.Series([u if isinstance(u, str) else None for u in uniques], dtype=pl.String)
    iso = texts.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$").fill_null(False)
    dates = texts.str.to_date("%Y-%m-%d", strict=False)
    done = (iso & dates.is_not_null()).to_list()
    keys.extend(t for t, ok in zip(texts.to_list(), done, strict=True) if ok)
    values.extend(d for d, ok in zip(dates.to_list(), done, strict=True) if ok)
    return [u for u, ok in zip(uniques, done, strict=True) if not ok]


def _typed(
    col: Column, source: str, dtype: Any, uniques: list[Any] | None, *, plus: bool = True
) -> tuple[pl.Expr, pl.Expr]:
    """The typed value of the cells of ``source`` and whether the vectorised step refuses a cell.

    ``uniques``: the column's distinct values, for the kinds typed value by value.
    """
    want = SCHEMAS_BY_KIND.get(col.kind, pl.String)
    c = pl.col(source)
    if uniques is not None:
        keys, values, refused, missing = _value_map(col, uniques)
        if not keys:
            value = pl.lit(None, want)
        elif dtype == want and all(
            type(k) is type(v) and k == v for k, v in zip(keys, values, strict=True)
        ):
            value = c  # each value is what the converter makes of it (refused ones are slow rows)
        elif len(keys) <= 4:  # a few distinct values (Y/T): comparisons beat a hash lookup
            value = pl.lit(None, want)
            for k, v in zip(reversed(keys), reversed(values), strict=True):
                value = pl.when(c == k).then(pl.lit(v, want)).otherwise(value)
        else:
            value = c.replace_strict(keys, values, default=None, return_dtype=want)
        bad = c.is_in(refused) if refused else pl.lit(False)
        if missing is _REFUSED:
            bad = bad | c.is_null()
        elif missing is not None:
            value = pl.when(c.is_null()).then(pl.lit(missing, want)).otherwise(value)
        return value, bad.fill_null(True)
    text = c if dtype == pl.String else c.cast(pl.String)
    s = text.str.strip_chars()
    empty = s.is_null() | (s == "")
    # Excel's scientific notation (3.67E+15) has a "+": without one in the column, no regex
    scientific = s.str.contains(_SCIENTIFIC) if plus else pl.lit(False)
    if col.kind == "key":
        bad = empty | scientific
        value = s
    elif col.kind == "nik":
        bad = (empty & pl.lit(col.required)) | scientific
        value = pl.when(empty).then(None).otherwise(s)
    else:  # text, name
        bad = pl.lit(False)
        value = pl.when(empty).then(None).otherwise(s)
    if dtype != pl.String:  # a number where text belongs: the converter's own verdict
        bad = bad | c.is_not_null()
    return value, bad.fill_null(True)


def _no_text(dtype: Any) -> bool:
    """Whether a column of ``dtype`` holds only integers, dates or flags (no text)."""
    return bool(dtype.is_integer() or dtype in (pl.Boolean, pl.Date))


SCHEMAS_BY_KIND: dict[str, Any] = {
    "int": pl.Int64,
    "count": pl.Int64,
    "bool": pl.Boolean,
    "date": pl.Date,
}


# --------------------------------------------------------------------------------------- tables


def _empty_cell(name: str, dtype: Any) -> pl.Expr:
    c = pl.col(name)
    if dtype == pl.String:
        return c.is_null() | (c.str.strip_chars() == "")
    return c.is_null()


def _empty_rows(raw: pl.DataFrame, cols: list[str]) -> pl.Expr | None:
    """Rows whose every cell is empty or blank (as the record reader skips them), as a mask on
    ``_i`` (``None``: there are none). Only rows whose first cell is empty are looked at whole
    (they are few)."""
    if not cols or not raw.height:
        return None
    first = _empty_cell(cols[0], raw.schema[cols[0]])
    if not raw.select(first.any()).item():
        return None
    candidates = raw.filter(first)
    empty = candidates.filter(
        pl.all_horizontal([_empty_cell(c, raw.schema[c]) for c in cols])
    ).get_column("_i")
    return pl.col("_i").is_in(empty.to_list()) if empty.len() else None


def _read_frame(
    raw: pl.DataFrame,
    *,
    table: str,
    source: str,
    header: tuple[object, ...],
    limits: Limits,
    text: bool,
    plus: bool = True,
    field_limit: int | None = None,
    exact: Callable[[set[int]], Mapping[int, tuple[object, ...]]] | None = None,
) -> _Table:
    """Type a raw table (columns in file order, one per header cell) as the record reader does.

    ``plus``: whether a cell may hold a "+" (``False`` when the file has none: no column is then
    scanned for one). ``field_limit``: a cell this long makes the file the record reader's
    (:class:`_Fallback`), as Python's ``csv`` refuses it. ``exact``: the record reader's cells of
    the given rows (for rows whose last cell Polars may have padded).
    """
    names = [normalise_name(h) for h in header]
    columns = COLUMNS[table]
    positions: dict[str, int] = {}
    for i, n in enumerate(names):
        if n and n not in positions:
            positions[n] = i
    cols = list(raw.columns)
    schema = raw.schema
    raw = raw.with_row_index("_i")
    empty_row = _empty_rows(raw, cols)
    missing = [c for c in columns if c.required and c.name not in positions]
    present = [c for c in columns if c.name in positions] if not missing else []
    by_value = [c for c in present if c.kind in _VALUE_KINDS]
    # one scan for what decides the work: longest cell, a "+" anywhere, the distinct values
    scan: list[Any] = [(0, False)] * len(cols) + [[]] * len(by_value)
    if raw.height:
        text_of = {c: pl.col(c).cast(pl.String) for c in cols}
        # a typed column (integers, dates, flags) holds no "+" and no cell over 32 characters
        short = {c for c in cols if _no_text(schema[c]) and limits.max_cell_chars >= 32}
        # a "+" only matters where Excel's scientific notation is refused: codes and NIKs
        coded = {cols[positions[c.name]] for c in present if c.kind in ("key", "nik")}
        has_plus = (
            text_of[c].str.contains("+", literal=True).any()
            if plus and c in coded and c not in short
            else pl.lit(False)
            for c in cols
        )
        scan = list(
            raw.select(
                *(
                    (text_of[c].str.len_bytes().max() if c not in short else pl.lit(0)).alias(
                        f"_len{i}"
                    )
                    for i, c in enumerate(cols)
                ),
                *(p.alias(f"_plus{i}") for i, p in enumerate(has_plus)),
                *(pl.col(cols[positions[c.name]]).unique().implode().alias(f"_u{i}")
                  for i, c in enumerate(by_value)),
            ).row(0)
        )  # fmt: skip
        width = len(cols)
        scan = [(scan[i], scan[width + i]) for i in range(width)] + scan[2 * width :]
    if field_limit is not None and any((most or 0) >= field_limit for most, _ in scan[: len(cols)]):
        raise _Fallback  # Python's csv refuses such a field: the record reader says so
    long_cells = {
        c for c, (most, _) in zip(cols, scan, strict=False) if (most or 0) > limits.max_cell_chars
    }
    plus_cols = {c for c, (_, p) in zip(cols, scan, strict=False) if p}
    uniques = {c.name: list(v) for c, v in zip(by_value, scan[len(cols) :], strict=True)}
    exprs: list[pl.Expr] = []
    bad: pl.Expr = pl.lit(bool(missing))
    for col in present:
        source_col = cols[positions[col.name]]
        value, refused = _typed(
            col, source_col, schema[source_col], uniques.get(col.name),
            plus=schema[source_col] != pl.String or source_col in plus_cols,
        )  # fmt: skip
        exprs.append(value.alias(f"_t_{col.name}"))
        bad = bad | refused
        if source_col in long_cells and (text or schema[source_col] == pl.String):
            too_long = pl.col(source_col).cast(pl.String).str.len_chars() > limits.max_cell_chars
            bad = bad | too_long.fill_null(False)
    kept = raw.lazy() if empty_row is None else raw.lazy().filter(~empty_row)  # no copy if none
    data = kept.with_columns(
        (pl.col("_i").cast(pl.Int64) + 2).alias("row"), bad.alias("_bad"), *exprs
    ).collect()
    rows = data.height
    if rows > limits.max_rows:
        result = _read_table(RawTable(table=table, source=source, header=header, rows=()), limits)
        return _Table(
            empty_table(table),
            _refused(result, row_limit_finding(source, table, limits.max_rows)),
        )
    any_bad = bool(data.get_column("_bad").any())
    slow = data.filter("_bad") if any_bad else data.clear()
    slow_rows: Iterable[tuple[int, tuple[object, ...]]] = (
        (row, tuple(cells)) for row, *cells in slow.select("row", *cols).iter_rows()
    )
    if exact is not None and any_bad:
        # Polars pads a short row with "" where Python's csv gives fewer cells: such rows are
        # kept verbatim, so they take their cells from the record reader's own parse
        listed = list(slow_rows)
        ragged = {row for row, cells in listed if cells and cells[-1] == ""}
        found = exact(ragged) if ragged else {}
        slow_rows = [(row, found.get(row, cells)) for row, cells in listed]
    result = _read_table(
        RawTable(table=table, source=source, header=header, rows=slow_rows), limits
    )
    if missing:
        frame = empty_table(table)
    else:
        typed_cols = {col.name for col in present}
        good = data.lazy().filter(~pl.col("_bad")) if any_bad else data.lazy()
        frame = good.select(
            *(
                pl.col(f"_t_{name}").alias(name)
                if name in typed_cols
                else pl.col("row")
                if name == "row"
                else pl.lit(_default(table, name), dtype).alias(name)
                for name, dtype in SCHEMAS[table].items()
            ),
        ).collect()
    if result.records:
        frame = pl.concat([frame, frame_of_records(table, result.records)]).sort("row")
    result.count = attrs.evolve(
        result.count, rows=rows, typed=frame.height, untyped=len(result.untyped)
    )
    result.records.clear()
    return _Table(frame, result)


def _default(table: str, name: str) -> Any:
    for c in COLUMNS[table]:
        if c.name == name:
            return c.default
    if name.startswith(("sasaran_", "anggota_")):
        return False
    return None


def _from_records(result: _TableResult, table: str) -> _Table:
    frame = frame_of_records(table, result.records)
    result.records.clear()
    return _Table(frame, result)


# ------------------------------------------------------------------------------------------ CSV


def _csv_table(path: Path, table: str, limits: Limits, notes: list[Finding]) -> _Table:
    check_csv_size(path, limits)
    try:
        return _csv_fast(path, table, limits)
    except _Fallback:
        from sikkb.io.register_csv import _read_csv_file

        raw = _read_csv_file(path, table, limits, notes)
        return _from_records(_read_table(raw, limits), table)


def _csv_fast(path: Path, table: str, limits: Limits) -> _Table:
    with path.open("rb") as f:
        head = f.read(_HEAD)
    decode_csv(head, path=str(path))  # refuses binary content as the record reader does
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Fallback
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        head_text = head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:
            raise _Fallback from e
        head_text = head[: e.start].decode("utf-8")
    plain, plus = _plain(path) if os.path.getsize(path) else (True, False)
    if not plain:
        raise _Fallback
    first_line, _, rest = head_text.partition("\n")
    skip = 1
    if _SEP_LINE.match(first_line):
        delimiter = first_line.strip()[4]
        head_text = rest
        skip = 2
    else:
        delimiter = sniff_delimiter(first_line, [c.name for c in COLUMNS[table]])
    header_line, newline, _ = head_text.partition("\n")
    if not newline and len(head) == _HEAD:
        raise _Fallback  # a header longer than the first 64 KiB
    try:
        header = tuple(
            next(csv.reader(io.StringIO(header_line, newline=""), delimiter=delimiter), [])
        )
    except csv.Error as e:
        raise _Fallback from e
    if '"' in header_line or len(header) > limits.max_columns or not header:
        raise _Fallback
    names = [f"c{i}" for i in range(len(header))]
    try:
        raw = pl.read_csv(
            path,
            has_header=False,
            skip_lines=skip,
            separator=delimiter,
            quote_char='"',
            schema=dict.fromkeys(names, pl.String),
            empty_string_is_null=False,
            encoding="utf8",
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, OSError, ValueError) as e:
        raise _Fallback from e
    return _read_frame(
        raw, table=table, source=path.name, header=header, limits=limits, text=True, plus=plus,
        field_limit=_CSV_FIELD_LIMIT, exact=lambda rows: _csv_cells(path, table, limits, rows),
    )  # fmt: skip


def _csv_cells(
    path: Path, table: str, limits: Limits, rows: set[int]
) -> dict[int, tuple[object, ...]]:
    """The cells of ``rows`` as the record reader parses them (its own parse of the file)."""
    raw = _read_csv_file(path, table, limits, [])
    out: dict[int, tuple[object, ...]] = {}
    for row, cells in raw.rows:
        if row in rows:
            out[row] = tuple(cells)
            if len(out) == len(rows):
                break
    return out


def _plain(path: Path) -> tuple[bool, bool]:
    """Whether the file has no byte that Polars and Python's csv read differently (lone CRs,
    controls 0x1C-0x1F), and whether it has a "+" anywhere."""
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        plus = m.find(b"+") != -1
        for b in (b"\x1c", b"\x1d", b"\x1e", b"\x1f"):
            if m.find(b) != -1:
                return False, plus
        return m.find(b"\r") == -1 or _LONE_CR.search(m) is None, plus


# -------------------------------------------------------------------------------------- Parquet


def _parquet_table(path: Path, table: str, limits: Limits) -> _Table:
    try:
        raw = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as e:
        raise RegisterFileError(
            str(path),
            f"the file is not a readable Parquet file ({type(e).__name__})",
            reason_id="berkas bukan berkas Parquet yang dapat dibaca",
            hint="write the table again with a Parquet writer (polars, pandas, DuckDB)",
            hint_id="tulis ulang tabelnya dengan penulis Parquet (polars, pandas, DuckDB)",
        ) from e
    header = tuple(raw.columns[: limits.max_columns])
    raw = raw.select(header)
    names = [f"c{i}" for i in range(len(header))]
    raw.columns = names
    return _read_frame(raw, table=table, source=path.name, header=header, limits=limits, text=False)


# ---------------------------------------------------------------------------------------- entry


#: The most bytes the two largest CSV files of a folder may hold for them to be read at once. A
#: table being typed takes about five times its CSV size; at ten times the city (478 MB of CSV)
#: two at once peaked 600 MB higher for 0.2 s saved (docs/performance.md).
TWO_AT_ONCE_BYTES = 128 * 2**20


def _each_table(
    files: Sequence[tuple[str, Path]],
    read: Callable[[Path, str, list[Finding]], _Table],
    notes: list[Finding],
    *,
    together: int = 0,
) -> list[tuple[str, _Table]]:
    """``read(path, table, notes)`` of every file, in ``files``' order, notes appended in that order.

    With two cores or more, and the two largest files holding at most ``together`` bytes, the
    files are read two at a time, the largest first: Polars' parse and typing release the GIL, so
    one table's Python steps overlap the other's kernels. The result, the notes and the first error
    raised are those of reading the files one after the other.
    """
    sizes = [_size(f) for _, f in files]
    order = sorted(range(len(files)), key=lambda i: -sizes[i])  # the largest first
    if len(files) < 2 or (os.cpu_count() or 1) < 2 or sum(sizes[i] for i in order[:2]) > together:
        return [(t, read(f, t, notes)) for t, f in files]
    from concurrent.futures import ThreadPoolExecutor

    own: list[list[Finding]] = [[] for _ in files]
    with ThreadPoolExecutor(2, thread_name_prefix="sikkb-read") as pool:
        futures = {i: pool.submit(read, files[i][1], files[i][0], own[i]) for i in order}
        tables = [(files[i][0], futures[i].result()) for i in range(len(files))]
    for found in own:
        notes.extend(found)
    return tables


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _assemble(
    tables: Sequence[tuple[str, _Table]],
    period: Period,
    *,
    source: str,
    notes: Iterable[Finding],
) -> ReadResult:
    findings: list[Finding] = list(notes)
    results: dict[str, _Table] = {}
    for name, t in tables:
        results.setdefault(name, t)
    for name in REQUIRED_TABLES:
        if name not in results:
            findings.append(_missing_table(name, source, findings))
    for t in results.values():
        findings.extend(t.result.findings)
    columns = ColumnarRegister(
        period=period,
        tables={n: results[n].frame if n in results else empty_table(n) for n in TABLES},
        source=source,
    )
    untyped: tuple[UntypedRow, ...] = tuple(
        u for n in TABLES if n in results for u in results[n].result.untyped
    )
    return ReadResult(
        untyped=untyped,
        findings=Findings(findings),
        counts=tuple(
            results[n].result.count if n in results else TableCount(table=n) for n in TABLES
        ),
        source=source,
        columns=columns,
    )


def read_columnar(
    path: str | os.PathLike[str], period: Period | str, *, limits: Limits | None = None
) -> ReadResult:
    """Read a register with the columnar engine (see :func:`sikkb.io.read_register`).

    Besides the record reader's inputs (a folder of CSV files, an XLSX workbook) this reads a
    folder of ``<table>.parquet`` files. The result's ``columns`` holds the typed tables; its
    ``register`` builds records from them on first use.
    """
    limits = limits or Limits.for_engine("columnar")
    period = period if isinstance(period, Period) else Period.parse(period)
    p = Path(path)
    if p.is_dir():
        has_csv = any(e.name.lower().endswith(".csv") for e in os.scandir(p) if e.is_file())
        has_parquet = any(e.name.lower().endswith(".parquet") for e in os.scandir(p) if e.is_file())
        if has_parquet and not has_csv:
            files, notes = table_files(p, ".parquet")
            tables = [(t, _parquet_table(f, t, limits)) for t, f in files]  # large: in turn
        else:
            files, notes = table_files(p, ".csv")
            tables = _each_table(
                files,
                lambda f, t, n: _csv_table(f, t, limits, n),
                notes,
                together=TWO_AT_ONCE_BYTES,
            )
        return _assemble(tables, period, source=p.name or str(p), notes=notes)
    from sikkb.columnar.xlsx import read_xlsx  # calamine, where installed

    read = read_xlsx(p, limits)
    if read is not None:
        return _assemble(read[0], period, source=p.name, notes=read[1])
    result = read_register(p, period, limits=limits, engine="records")
    return attrs.evolve(result, columns=ColumnarRegister.from_register(result.register))
