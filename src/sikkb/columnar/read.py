"""Reading a register into a :class:`ColumnarRegister`: CSV with Polars' reader, Parquet, XLSX.

The contract is the record reader's (:func:`sikkb.io.reader.read_register`): the same typed values,
the same untyped rows, the same findings with the same messages, the same refusals. The work is
split so that the common case is vectorised and every unusual row gets the record reader's own
treatment:

- a CSV file is checked as the record reader checks it (size, binary content, ``sep=`` line,
  delimiter sniffed from the header) and parsed by Polars as text; a file Polars reads differently
  from Python's :mod:`csv` (not UTF-8, a lone carriage return, control characters the two trim
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
XLSX workbooks are read by the record reader (with its zip-bomb, entity and size protections) and
turned into tables.
"""

from __future__ import annotations

import csv
import io
import mmap
import os
import re
from collections.abc import Iterable, Sequence
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
from sikkb.io.reader_rules import reader_finding
from sikkb.io.register_csv import _SEP_LINE, decode_csv, sniff_delimiter, table_files
from sikkb.periods import Period
from sikkb.register import TABLES
from sikkb.rules.engine import Finding, Findings, Location

__all__ = ["read_columnar"]

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


def _typed(col: Column, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The typed values of ``raw`` and a mask of the cells the vectorised step does not accept."""
    name = col.name
    dtype = SCHEMAS_BY_KIND.get(col.kind, pl.String)
    if col.kind in _VALUE_KINDS:
        convert = converter(col)
        keys: list[Any] = []
        values: list[Any] = []
        refused: list[Any] = []
        for value in raw.unique().to_list():
            try:
                typed = convert(value)
            except CellProblem:
                refused.append(value)
                continue
            if value is None:
                continue  # a missing cell: filled below
            keys.append(value)
            values.append(typed._value_ if isinstance(typed, CodeEnum) else typed)
        if keys:
            out = pl.DataFrame({"v": raw}).select(
                pl.col("v").replace_strict(keys, values, default=None, return_dtype=dtype).alias(name)
            ).to_series()
        else:
            out = pl.repeat(None, raw.len(), dtype=dtype, eager=True).alias(name)
        if raw.null_count():
            missing = None if None in refused else convert(None)
            fill = missing._value_ if isinstance(missing, CodeEnum) else missing
            out = out.set(raw.is_null(), fill) if fill is not None else out
        bad = raw.is_in([v for v in refused if v is not None])
        if None in refused:
            bad = bad | raw.is_null()
        return out, bad.fill_null(False)
    text = raw if raw.dtype == pl.String else raw.cast(pl.String)
    frame = pl.DataFrame({"v": text}).with_columns(pl.col("v").str.strip_chars().alias("s"))
    s = pl.col("s")
    empty = s.is_null() | (s == "")
    if col.kind == "key":
        bad = empty | (s.str.contains("+", literal=True) & s.str.contains(_SCIENTIFIC))
        value = s
    elif col.kind == "nik":
        bad = (empty & pl.lit(col.required)) | s.str.contains(_SCIENTIFIC)
        value = pl.when(empty).then(None).otherwise(s)
    else:  # text, name
        bad = pl.lit(False)
        value = pl.when(empty).then(None).otherwise(s)
    if raw.dtype != pl.String:  # a number where text belongs: the converter's own verdict
        bad = bad | pl.col("v").is_not_null()
    got = frame.select(value.alias(name), bad.fill_null(True).alias("bad"))
    return got.get_column(name), got.get_column("bad")


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


def _read_frame(
    raw: pl.DataFrame,
    *,
    table: str,
    source: str,
    header: tuple[object, ...],
    limits: Limits,
    text: bool,
) -> _Table:
    """Type a raw table (columns in file order, one per header cell) as the record reader does."""
    names = [normalise_name(h) for h in header]
    columns = COLUMNS[table]
    positions: dict[str, int] = {}
    for i, n in enumerate(names):
        if n and n not in positions:
            positions[n] = i
    cols = list(raw.columns)
    empty_row = pl.all_horizontal([_empty_cell(c, raw.schema[c]) for c in cols]) if cols else pl.lit(True)
    raw = raw.with_row_index("_i").with_columns(
        (pl.col("_i").cast(pl.Int64) + 2).alias("_row"), empty_row.alias("_empty")
    )
    data = raw.filter(~pl.col("_empty"))
    rows = data.height
    empty_raw = RawTable(table=table, source=source, header=header, rows=())
    if rows > limits.max_rows:
        result = _read_table(empty_raw, limits)
        return _Table(
            empty_table(table),
            _refused(
                result,
                reader_finding(
                    "baca-batas-baris",
                    Location(source=source, table=table),
                    table=table,
                    limit=f"{limits.max_rows:,}",
                ),
            ),
        )
    missing = [c for c in columns if c.required and c.name not in positions]
    typed: dict[str, pl.Series] = {}
    bad = pl.repeat(bool(missing), rows, dtype=pl.Boolean, eager=True).alias("bad")
    if not missing:
        for col in columns:
            if col.name not in positions:
                continue
            series = data.get_column(cols[positions[col.name]])
            if text or series.dtype == pl.String:
                length = series.cast(pl.String).str.len_chars().fill_null(0)
                bad = bad | (length > limits.max_cell_chars)
            values, refused = _typed(col, series)
            typed[col.name] = values
            bad = bad | refused
    slow = data.filter(bad)
    slow_rows = (
        (row, tuple(cells))
        for row, *cells in slow.select("_row", *cols).iter_rows()
    )
    result = _read_table(RawTable(table=table, source=source, header=header, rows=slow_rows), limits)
    if missing:
        frame = empty_table(table)
    else:
        good = ~bad
        out: dict[str, pl.Series] = {}
        for name, dtype in SCHEMAS[table].items():
            if name == "row":
                out[name] = data.get_column("_row").filter(good)
            elif name in typed:
                out[name] = typed[name].filter(good)
            else:
                default = _default(table, name)
                out[name] = pl.repeat(default, int(good.sum()), dtype=dtype, eager=True)
        frame = pl.DataFrame(out, schema=dict(SCHEMAS[table]))
    if result.records:
        frame = pl.concat([frame, frame_of_records(table, result.records)]).sort("row")
    result.count = attrs.evolve(
        result.count,
        rows=rows,
        typed=frame.height,
        untyped=len(result.untyped),
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
    size = path.stat().st_size
    if size > limits.max_csv_bytes:
        raise RegisterFileError(
            str(path),
            f"the file is {size:,} bytes, over the limit of {limits.max_csv_bytes:,}",
            reason_id=f"berkas berukuran {size:,} byte, melebihi batas {limits.max_csv_bytes:,}",
            hint="split the register, or raise Limits.max_csv_bytes",
            hint_id="pisahkan register, atau naikkan Limits.max_csv_bytes",
        )
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
    if os.path.getsize(path) and not _plain(path):
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
        header = tuple(next(csv.reader(io.StringIO(header_line, newline=""), delimiter=delimiter), []))
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
    if raw.height and max(
        (raw.get_column(c).str.len_bytes().max() or 0) for c in names
    ) >= _CSV_FIELD_LIMIT:  # type: ignore[operator]
        raise _Fallback  # Python's csv refuses such a field: the record reader says so
    return _read_frame(raw, table=table, source=path.name, header=header, limits=limits, text=True)


def _plain(path: Path) -> bool:
    """No byte that Polars and Python's csv read differently: lone CRs, controls 0x1C-0x1F."""
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        for b in (b"\x1c", b"\x1d", b"\x1e", b"\x1f"):
            if m.find(b) != -1:
                return False
        return m.find(b"\r") == -1 or _LONE_CR.search(m) is None  # type: ignore[call-overload]


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
        has_parquet = any(
            e.name.lower().endswith(".parquet") for e in os.scandir(p) if e.is_file()
        )
        if has_parquet and not has_csv:
            files, notes = table_files(p, ".parquet")
            tables = [(t, _parquet_table(f, t, limits)) for t, f in files]
        else:
            files, notes = table_files(p, ".csv")
            tables = [(t, _csv_table(f, t, limits, notes)) for t, f in files]
        return _assemble(tables, period, source=p.name or str(p), notes=notes)
    result = read_register(p, period, limits=limits, engine="records")
    return attrs.evolve(result, columns=ColumnarRegister.from_register(result.register))
