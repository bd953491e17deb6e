"""Read a register (format v1) from an XLSX workbook or a folder of CSV files.

:func:`read_register` returns a :class:`ReadResult`: the :class:`~sikkb.register.Register` of every
row that could be typed into a record, the rows that could not (kept verbatim, with their findings:
nothing read is lost), every finding of the file at once, and the row counts per table.

Problems inside a readable file are findings with rule ids ``baca-...`` (listed in
:data:`~sikkb.io.reader_rules.READER_RULES`); a file that cannot be read safely at all (a renamed
PDF, an encrypted or corrupt workbook, a zip bomb, a file over a limit) is refused with
:class:`~sikkb.errors.RegisterFileError`. Whether rows with errors are left out of a report is the
caller's decision: :meth:`ReadResult.error_rows` says which rows they are.

Cells are read as the format says: text trimmed, empty = missing; booleans ``Y``/``YA``/``1``/
``TRUE`` and ``T``/``TIDAK``/``N``/``0``/``FALSE`` (empty = no); codes in any case with the aliases
of :data:`sikkb.codes.ALIASES`; dates ``YYYY-MM-DD``, ``DD/MM/YYYY``, ``DD-MM-YYYY`` (day and month
may have one digit) or a date cell; region codes dotted or plain. A NIK or No. KK stored as an
Excel number is an error, since Excel keeps only 15 digits. Formula-like or HTML text is text.

Example:
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "keluarga.csv").write_text(
    ...     "kode_keluarga;kode_wilayah;rw;rt;anggota_bkb\\nKK-1;3671071003;1;2;Y\\n", "utf-8-sig")
    >>> _ = (folder / "pus.csv").write_text(
    ...     "kode_keluarga,nik_istri,tanggal_lahir_istri,status_kb,tempat_pelayanan\\n"
    ...     "KK-1,3671074508950001,05/08/1995,suntik,pemerintah\\n"
    ...     "KK-1,3671074101900002,01-01-1990,SUNTK,\\n", "utf-8")
    >>> _ = (folder / "institusi.csv").write_text("kode_institusi,jenis,kode_wilayah\\n", "utf-8")
    >>> result = read_register(folder, "2026-10")
    >>> len(result.register.keluarga), len(result.register.pus), len(result.untyped)
    (1, 1, 1)
    >>> f = result.findings.errors[0]
    >>> f.rule_id, f.location.source, f.location.row, f.location.column, f.hint.en[:22]
    ('baca-kode-tidak-dikenal', 'pus.csv', 3, 'status_kb', 'Did you mean SUNTIK? V')
    >>> dict(result.error_rows())
    {'pus': frozenset({3})}
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from sikkb.codes import Poktan
from sikkb.errors import InvalidRecordError, RegisterFileError
from sikkb.i18n import Text
from sikkb.io.cells import EXPECTED, CellProblem, converter, is_empty, shown
from sikkb.io.columns import COLUMNS, REQUIRED_TABLES, Column
from sikkb.io.files import require_regular
from sikkb.io.limits import Limits
from sikkb.io.raw import BrokenTableError, RawTable, near, normalise_name
from sikkb.io.reader_rules import reader_finding, row_limit_finding
from sikkb.io.register_csv import csv_tables
from sikkb.io.register_xlsx import xlsx_tables
from sikkb.periods import Period
from sikkb.register import TABLES, Institusi, Kegiatan, Keluarga, Pus, Register
from sikkb.rules.engine import Finding, Findings, Location

__all__ = ["ReadResult", "TableCount", "UntypedRow", "read_register", "read_tables"]


@attrs.frozen(kw_only=True)
class UntypedRow:
    """A row that could not be typed into a record, kept as read.

    Attributes:
        table: the register table (``"pus"``).
        row: the spreadsheet row (header = row 1).
        cells: ``(column name, value as read)`` pairs, in file order (personal data included: an
            untyped row is kept, not shown; its ``repr`` shows no cell).
        findings: why it could not be typed.
    """

    table: str
    row: int
    cells: tuple[tuple[str, object], ...] = attrs.field(repr=False)
    findings: tuple[Finding, ...] = attrs.field(repr=False)

    def get(self, column: str) -> object:
        """The value read in ``column`` (``None`` when the row has no such column)."""
        for name, value in self.cells:
            if name == column:
                return value
        return None


@attrs.frozen(kw_only=True)
class TableCount:
    """How many rows of one table were read.

    Attributes:
        table: the register table.
        present: the file has the table.
        rows: non-empty data rows read (empty rows are skipped).
        typed: rows typed into records (in the register).
        untyped: rows kept verbatim because they could not be typed.
        refused: the table was not read at all (over the row limit, or a broken CSV).
    """

    table: str
    present: bool = False
    rows: int = 0
    typed: int = 0
    untyped: int = 0
    refused: bool = False


@attrs.frozen(kw_only=True)
class ReadResult:
    """What reading a register file gave.

    Attributes:
        register: every row that could be typed, as records (read by the columnar engine, the
            records are built on first use from ``columns``).
        untyped: every row that could not, kept verbatim with its findings.
        findings: every finding of the file (reader kinds ``baca-...``).
        counts: rows per table, in the order of the format.
        source: the file or folder name.
        columns: the typed rows as a :class:`~sikkb.columnar.tables.ColumnarRegister` when the
            columnar engine read the file (``None`` for the records engine).
    """

    _register: Register | None = attrs.field(alias="register", default=None)
    untyped: tuple[UntypedRow, ...]
    findings: Findings
    counts: tuple[TableCount, ...]
    source: str
    columns: Any = attrs.field(default=None, eq=False, repr=False)
    _built: dict[str, Register] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    @property
    def register(self) -> Register:
        if self._register is not None:
            return self._register
        if "register" not in self._built:
            self._built["register"] = self.columns.to_register()
        return self._built["register"]

    def __repr__(self) -> str:
        """A short summary (rows, untyped rows, findings) — never a row (no personal data)."""
        c = self.findings.counts()
        found = ", ".join(f"{s.value}={n}" for s, n in c.items())
        rows = sum(t.rows for t in self.counts)
        return (
            f"ReadResult(source={self.source!r}, rows={rows}, untyped={len(self.untyped)}, "
            f"findings=[{found}], register={self.register!r})"
        )

    def _repr_html_(self) -> str:
        """Notebook view: see :func:`sikkb.views.display.read_result_html`."""
        from sikkb.views.display import read_result_html

        return read_result_html(self)

    def count(self, table: str) -> TableCount:
        """The row counts of ``table``."""
        for c in self.counts:
            if c.table == table:
                return c
        raise KeyError(table)

    @property
    def has_errors(self) -> bool:
        return self.findings.has_errors

    def error_rows(self, extra: Findings | None = None) -> Mapping[str, frozenset[int]]:
        """Table → rows with an ERROR finding (untyped rows included).

        Args:
            extra: more findings about the same register (the register rule pack's); their ERROR
                rows are added.

        This is what a report built with invalid rows left out leaves out; per table, ``len()`` of
        each set is the number to state.
        """
        out: dict[str, set[int]] = {}
        for u in self.untyped:
            out.setdefault(u.table, set()).add(u.row)
        for findings in (self.findings, extra or Findings(())):
            for table, rows in findings.error_rows().items():
                out.setdefault(table, set()).update(rows)
        return {t: frozenset(out[t]) for t in TABLES if t in out}

    def without_error_rows(self, extra: Findings | None = None) -> Register:
        """The register without the rows of :meth:`error_rows` (typed rows with rule errors)."""
        return self.register.without_rows(self.error_rows(extra))


# --------------------------------------------------------------------------------------- records

_NO_TEXT = Text("", "")
_FLAG_POKTAN = {"bkb": Poktan.BKB, "bkr": Poktan.BKR, "bkl": Poktan.BKL, "uppka": Poktan.UPPKA}


def _build_keluarga(v: Mapping[str, Any], row: int) -> Keluarga:
    def flags(word: str) -> frozenset[Poktan]:
        return frozenset(p for s, p in _FLAG_POKTAN.items() if v.get(f"{word}_{s}"))

    return Keluarga(
        kode_keluarga=v["kode_keluarga"],
        kode_wilayah=v["kode_wilayah"],
        rw=v["rw"],
        rt=v["rt"],
        nama_kepala_keluarga=v.get("nama_kepala_keluarga"),
        tahapan_ks=v.get("tahapan_ks"),
        sasaran=flags("sasaran"),
        anggota=flags("anggota"),
        row=row,
    )


def _simple(record: type[Any]) -> Callable[[Mapping[str, Any], int], Any]:
    def build(v: Mapping[str, Any], row: int) -> Any:
        return record(**v, row=row)

    return build


_BUILDERS: Mapping[str, Callable[[Mapping[str, Any], int], Any]] = {
    "keluarga": _build_keluarga,
    "pus": _simple(Pus),
    "institusi": _simple(Institusi),
    "kegiatan": _simple(Kegiatan),
}


# --------------------------------------------------------------------------------------- tables


@attrs.define
class _TableResult:
    records: list[Any] = attrs.Factory(list)
    untyped: list[UntypedRow] = attrs.Factory(list)
    findings: list[Finding] = attrs.Factory(list)
    count: TableCount = attrs.Factory(lambda: TableCount(table=""))


def _header_findings(
    raw: RawTable, names: Sequence[str]
) -> tuple[dict[str, int], list[Finding], list[Column]]:
    """Match the header to the table's columns: positions, findings, missing required columns."""
    columns = COLUMNS[raw.table]
    known = [c.name for c in columns]
    positions: dict[str, int] = {}
    findings: list[Finding] = []
    counts: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            continue
        counts[name] = counts.get(name, 0) + 1
        if name in positions:
            continue
        if name in known:
            positions[name] = i
            continue
        guess = near(name, known)
        findings.append(
            reader_finding(
                "baca-kolom-tidak-dikenal",
                Location(source=raw.source, table=raw.table, column=shown(None, raw.header[i])),
                column=shown(None, raw.header[i]) or "",
                table=raw.table,
                known=", ".join(known),
                near=Text(f"Maksud Anda {guess}? ", f"Did you mean {guess}? ")
                if guess
                else _NO_TEXT,
            )
        )
    for name, n in counts.items():
        if n > 1 and name in known:
            findings.append(
                reader_finding(
                    "baca-kolom-ganda",
                    Location(source=raw.source, table=raw.table, column=name),
                    column=name,
                    n=n,
                    table=raw.table,
                )
            )
    missing = [c for c in columns if c.required and c.name not in positions]
    unknown = [n for n in names if n and n not in known]
    for c in missing:
        guess = near(c.name, unknown)
        findings.append(
            reader_finding(
                "baca-kolom-wajib-hilang",
                Location(source=raw.source, table=raw.table, column=c.name),
                column=c.name,
                table=raw.table,
                near=Text(
                    f"; kolom '{guess}' mungkin maksudnya, ganti namanya",
                    f"; column '{guess}' may be meant, rename it",
                )
                if guess
                else _NO_TEXT,
            )
        )
    return positions, findings, missing


def _read_table(raw: RawTable, limits: Limits) -> _TableResult:
    out = _TableResult(count=TableCount(table=raw.table, present=True))
    columns = COLUMNS[raw.table]
    names = [normalise_name(h) for h in raw.header]
    header_names = [str(h).strip() if h is not None else "" for h in raw.header]
    if not any(names):
        out.findings.append(
            reader_finding(
                "baca-tabel-kosong", Location(source=raw.source, table=raw.table), table=raw.table
            )
        )
    positions, header_findings, missing = _header_findings(raw, names)
    out.findings.extend(header_findings)
    missing_findings = tuple(f for f in header_findings if f.rule_id == "baca-kolom-wajib-hilang")
    parsers = [(c, positions[c.name], converter(c)) for c in columns if c.name in positions]
    build = _BUILDERS[raw.table]
    width = len(names)
    max_chars = limits.max_cell_chars
    source, table = raw.source, raw.table
    rows = typed = beyond = 0
    records, untyped = out.records, out.untyped
    defaults = {c.name: c.default for c in columns if c.name in positions}
    try:
        for row, cells in raw.rows:
            try:  # fast path: a row of text (CSV)
                joined = "".join(cells)  # type: ignore[arg-type]
                if not joined or joined.isspace():
                    continue
                check_length = len(joined) > max_chars
            except TypeError:  # a row of typed cells (XLSX)
                if all(is_empty(c) for c in cells):
                    continue
                check_length = True
            rows += 1
            if rows > limits.max_rows:
                return _refused(out, row_limit_finding(source, table, limits.max_rows))
            if len(cells) < width:
                cells = (*cells, *((None,) * (width - len(cells))))
            elif len(cells) > width and any(not is_empty(c) for c in cells[width:]):
                beyond += 1
            values = defaults.copy()
            problems: list[Finding] = []
            for col, pos, parse in parsers:
                value = cells[pos]
                if check_length and type(value) is str and len(value) > max_chars:
                    problems.append(
                        reader_finding(
                            "baca-sel-terlalu-panjang",
                            Location(
                                source=source,
                                table=table,
                                row=row,
                                column=col.name,
                                value=shown(col, value),
                            ),
                            column=col.name,
                            length=f"{len(value):,}",
                            limit=f"{max_chars:,}",
                        )
                    )
                    continue
                try:
                    values[col.name] = parse(value)
                except CellProblem as bad:
                    problems.append(_cell_finding(bad, col, source, table, row, value))
            if missing:
                problems.extend(missing_findings)
            if not problems:
                try:
                    records.append(build(values, row))
                    typed += 1
                    continue
                except InvalidRecordError as e:
                    problems.append(
                        reader_finding(
                            "baca-baris-tidak-valid",
                            Location(source=source, table=table, row=row, column=e.field),
                            record=e.record,
                            reason=e.reason,
                            column=e.field,
                        )
                    )
            untyped.append(
                UntypedRow(
                    table=table,
                    row=row,
                    cells=tuple(zip(header_names, cells, strict=False)),
                    findings=tuple(problems),
                )
            )
            out.findings.extend(f for f in problems if f.rule_id != "baca-kolom-wajib-hilang")
    except BrokenTableError as e:
        return _refused(
            out,
            reader_finding(
                "baca-csv-rusak",
                Location(source=source, table=table, row=e.row),
                row=e.row,
                reason=e.reason,
                table=table,
            ),
        )
    if beyond:
        out.findings.append(
            reader_finding(
                "baca-sel-tanpa-kolom", Location(source=source, table=table), n=f"{beyond:,}"
            )
        )
    out.count = attrs.evolve(out.count, rows=rows, typed=typed, untyped=len(untyped))
    return out


def _cell_finding(
    bad: CellProblem, col: Column, source: str, table: str, row: int, value: object
) -> Finding:
    where = shown(col, value)
    return reader_finding(
        bad.rule_id,
        Location(source=source, table=table, row=row, column=col.name, value=where),
        column=col.name,
        value=where or "",
        want=EXPECTED.get(col.kind, _NO_TEXT),
        **bad.params,
    )


def _refused(out: _TableResult, finding: Finding) -> _TableResult:
    """A table not read at all: no records, no untyped rows; one ERROR finding says why."""
    out.findings = [f for f in out.findings if f.location.row in (None, 1)] + [finding]
    out.records.clear()
    out.untyped.clear()
    out.count = attrs.evolve(out.count, refused=True)
    return out


def read_tables(
    tables: Iterable[RawTable],
    period: Period | str,
    *,
    source: str,
    limits: Limits | None = None,
    notes: Iterable[Finding] = (),
) -> ReadResult:
    """Type raw tables into a :class:`ReadResult` (the part of :func:`read_register` after the file).

    Useful for sources other than files (a database, a web form): build :class:`~sikkb.io.raw.RawTable` values
    and pass them here.
    """
    limits = limits or Limits()
    period = period if isinstance(period, Period) else Period.parse(period)
    findings: list[Finding] = list(notes)
    results: dict[str, _TableResult] = {}
    for raw in tables:
        if raw.table in results:
            continue
        results[raw.table] = _read_table(raw, limits)
    for table in REQUIRED_TABLES:
        if table not in results:
            findings.append(_missing_table(table, source, findings))
    for r in results.values():
        findings.extend(r.findings)
    register = Register(
        period=period,
        source=source,
        **{t: tuple(results[t].records) if t in results else () for t in TABLES},
    )
    return ReadResult(
        register=register,
        untyped=tuple(u for t in TABLES if t in results for u in results[t].untyped),
        findings=Findings(findings),
        counts=tuple(results[t].count if t in results else TableCount(table=t) for t in TABLES),
        source=source,
    )


def _missing_table(table: str, source: str, findings: Sequence[Finding]) -> Finding:
    csv_folder = not source.lower().endswith((".xlsx", ".xlsm"))
    expected = (
        Text(f"berkas {table}.csv", f"a file {table}.csv")
        if csv_folder
        else Text(f"lembar bernama {table}", f"a sheet named {table}")
    )
    others = [
        f.location.source or ""
        for f in findings
        if f.rule_id == "baca-lembar-lain" and f.location.source
    ]
    others = [o.split(":", 1)[-1].removesuffix(".csv") for o in others]
    guess = near(table, [normalise_name(o) for o in others])
    return reader_finding(
        "baca-tabel-wajib-hilang",
        Location(source=source, table=table),
        table=table,
        want=expected,
        near=Text(f"; ganti nama '{guess}'?", f"; rename '{guess}'?") if guess else _NO_TEXT,
    )


def read_register(
    path: str | os.PathLike[str],
    period: Period | str,
    *,
    limits: Limits | None = None,
    engine: str | None = None,
) -> ReadResult:
    """Read a register in format v1 from an XLSX workbook or a folder of CSV files.

    Args:
        path: an ``.xlsx`` workbook (one sheet per table) or a folder holding ``<table>.csv``
            (the columnar engine also reads a folder of ``<table>.parquet``).
        period: the reporting month (``Period`` or ``"2026-10"``); it is not a column.
        limits: safety limits (default: :meth:`Limits.for_engine <sikkb.io.limits.Limits.for_engine>`).
        engine: ``"columnar"`` (Polars; the default where polars is installed) or ``"records"``
            (one object per row; the reference). Both give the same values, untyped rows and
            findings; the columnar result holds its rows in ``columns`` and builds ``register``
            on first use.

    Returns:
        The typed register, the untyped rows, every finding, and the counts per table.

    Raises:
        RegisterFileError: the file is refused: missing, not a workbook or CSV folder, encrypted,
            damaged, or over a size limit. Problems inside a readable file are findings instead.
    """
    from sikkb.columnar import resolve_engine

    if resolve_engine(engine) == "columnar":
        from sikkb.columnar.read import read_columnar

        return read_columnar(path, period, limits=limits)
    limits = limits or Limits()
    p = Path(path)
    if p.is_dir():
        tables, notes = csv_tables(p, limits)
        return read_tables(tables, period, source=p.name or str(p), limits=limits, notes=notes)
    if not p.exists():
        raise RegisterFileError(
            str(p),
            "no such file or folder",
            reason_id="berkas atau folder tidak ada",
            hint="check the path",
            hint_id="periksa nama dan letak berkas",
        )
    require_regular(p, what="register", what_id="register")
    if p.suffix.lower() == ".csv":
        raise RegisterFileError(
            str(p),
            "a CSV register is a folder of <table>.csv files, not one file",
            reason_id="register CSV adalah folder berisi berkas <tabel>.csv, bukan satu berkas",
            hint=f"give the folder {p.parent}",
            hint_id=f"berikan foldernya: {p.parent}",
        )
    with xlsx_tables(p, limits) as (tables, notes):
        return read_tables(tables, period, source=p.name, limits=limits, notes=notes)
