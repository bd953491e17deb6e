"""Registers in a database: read them with the file reader's findings, write them as format v1 rows.

:func:`read_register_db` reads the register tables of one month from any SQLAlchemy connection —
sikkb's own format v1 tables (``sikkb_register_pus`` …, see :mod:`sikkb.io.db.schema`) or the
application's tables through a :class:`TableMapping` — and hands them to the same typing code as
the XLSX and CSV readers (:func:`sikkb.io.reader.read_tables`): the same findings with the same
messages, the same :class:`~sikkb.io.limits.Limits`. A finding's row number is the row's integer
primary key.

:func:`write_register_db` writes a :class:`~sikkb.register.Register` into the format v1 tables
(so the data of a template or a file can start an application's tables).

Example:
    >>> import tempfile, pathlib
    >>> from sikkb.demo import demo_city
    >>> from sikkb.periods import Period
    >>> from sikkb.io.db import migrate
    >>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'kb.db'}"
    >>> register = demo_city(Period(2026, 10), scale=0.001)
    >>> _ = migrate(url)
    >>> written = write_register_db(url, register)
    >>> written["pus"] == len(register.pus), sorted(written)
    (True, ['institusi', 'kegiatan', 'keluarga', 'pus'])
    >>> result = read_register_db(url, "2026-10")
    >>> len(result.register.pus) == len(register.pus), result.findings.has_errors
    (True, False)
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from sikkb.codes import CodeEnum, Poktan
from sikkb.errors import DatabaseError
from sikkb.i18n import Text
from sikkb.io.columns import COLUMNS, REQUIRED_TABLES
from sikkb.io.db.engine import Bind, Database
from sikkb.io.db.schema import register_tables
from sikkb.io.limits import Limits
from sikkb.io.raw import RawTable
from sikkb.io.reader import ReadResult, read_tables
from sikkb.io.reader_rules import reader_finding
from sikkb.periods import Period
from sikkb.register import TABLES, Register
from sikkb.rules.engine import Findings

__all__ = ["TableMapping", "read_register_db", "register_row", "write_register_db"]


@attrs.frozen(kw_only=True)
class TableMapping:
    """Where one register table lives in the application's database.

    Attributes:
        table: the database table (``"pus"`` of format v1 → e.g. ``"kb_pasangan"``).
        columns: format column name → the table's column name. Empty: the table's columns carry
            the format's names (and a column of another name gets the reader's "unknown column"
            finding). A required format column left out gets the "required column missing" finding.
        key: the integer primary key column; its value is the row number of every finding.
        period: the column holding the reporting month as ``YYYY-MM`` text; ``None`` when the
            table holds one month only.
        schema: the database schema (PostgreSQL), ``None`` for the default search path.

    Example:
        >>> m = TableMapping(table="kb_pasangan", key="id", period="bulan",
        ...                  columns={"kode_keluarga": "no_kk", "nik_istri": "nik_istri",
        ...                           "tanggal_lahir_istri": "tgl_lahir_istri",
        ...                           "status_kb": "metode_kb"})
        >>> m.columns["status_kb"]
        'metode_kb'
    """

    table: str
    columns: Mapping[str, str] = attrs.field(factory=dict)
    key: str = "row_id"
    period: str | None = "period"
    schema: str | None = None

    @property
    def shown(self) -> str:
        return f"{self.schema}.{self.table}" if self.schema else self.table


#: Format table → sikkb's own table of format v1.
V1_MAPPING: Mapping[str, TableMapping] = {
    t: TableMapping(table=register_tables[t].name) for t in TABLES
}


def _value(cell: object) -> object:
    """A database value as the reader's converters take it (they know str, int, float, date)."""
    if isinstance(cell, decimal.Decimal):
        return int(cell) if cell == cell.to_integral_value() else float(cell)
    return cell


def _raw_table(
    conn: sa.Connection, table: str, mapping: TableMapping, period: Period, limits: Limits
) -> RawTable | None:
    inspector = sa.inspect(conn)
    if not inspector.has_table(mapping.table, schema=mapping.schema):
        return None
    present = [c["name"] for c in inspector.get_columns(mapping.table, schema=mapping.schema)]
    for needed in (mapping.key, mapping.period):
        if needed is not None and needed not in present:
            raise DatabaseError(
                mapping.shown,
                f"the table has no column {needed!r} (the mapping's key or period column)",
                reason_id=f"tabel tidak memiliki kolom {needed!r} (kolom kunci atau periode "
                "pada pemetaan)",
                hint=f"columns: {', '.join(present)}",
            )
    if mapping.columns:
        wrong = [c for c in mapping.columns.values() if c not in present]
        if wrong:
            raise DatabaseError(
                mapping.shown,
                f"the mapping names column(s) the table does not have: {', '.join(wrong)}",
                reason_id=f"pemetaan menyebut kolom yang tidak ada di tabel: {', '.join(wrong)}",
                hint=f"columns: {', '.join(present)}",
            )
        pairs = list(mapping.columns.items())
    else:
        pairs = [(c, c) for c in present if c not in (mapping.key, mapping.period)]
    pairs = pairs[: limits.max_columns]
    db_table = sa.Table(mapping.table, sa.MetaData(), schema=mapping.schema)
    key: sa.ColumnClause[Any] = sa.column(mapping.key)
    query = sa.select(key, *(sa.column(c) for _, c in pairs)).select_from(db_table).order_by(key)
    if mapping.period is not None:
        query = query.where(sa.column(mapping.period) == str(period))

    def rows() -> Iterator[tuple[int, Sequence[object]]]:
        result = conn.execution_options(stream_results=True, yield_per=2000).execute(query)
        for row in result:
            number = row[0]
            if isinstance(number, bool) or not isinstance(number, int):
                raise DatabaseError(
                    mapping.shown,
                    f"the key column {mapping.key!r} holds {number!r}, not a whole number",
                    reason_id=f"kolom kunci {mapping.key!r} berisi {number!r}, bukan bilangan bulat",
                    hint="map an integer primary key as key=",
                    hint_id="petakan kunci primer bilangan bulat sebagai key=",
                )
            yield number, [_value(c) for c in row[1:]]

    return RawTable(
        table=table, source=mapping.shown, header=tuple(f for f, _ in pairs), rows=rows()
    )


def read_register_db(
    bind: Bind,
    period: Period | str,
    *,
    mapping: Mapping[str, TableMapping] | None = None,
    limits: Limits | None = None,
) -> ReadResult:
    """Read one month's register from a database.

    Args:
        bind: a database URL, or the application's Engine or Connection.
        period: the reporting month; rows of other months are not read.
        mapping: format table (``"keluarga"``, ``"pus"``, ``"institusi"``, ``"kegiatan"``) →
            where it lives; a table left out is looked for in sikkb's format v1 table. Default:
            the format v1 tables (``sikkb_register_*``).
        limits: as for the file reader (rows per table, columns, characters per cell).

    Returns:
        A :class:`~sikkb.io.reader.ReadResult`, with the same findings and messages as the file
        readers give for the same cells; row numbers are the rows' keys, sources the table names.

    Raises:
        DatabaseError: the database cannot be read, or a mapping names a column that is not there.
    """
    limits = limits or Limits()
    period = period if isinstance(period, Period) else Period.parse(period)
    tables = {**V1_MAPPING, **(mapping or {})}
    db = Database(bind)
    try:
        with db.reading() as conn:
            raws = [_raw_table(conn, t, tables[t], period, limits) for t in TABLES]
            result = read_tables(
                [r for r in raws if r is not None], period, source=db.name, limits=limits
            )
    except sa.exc.SQLAlchemyError as e:
        raise db.error(e, "reading the register", "membaca register") from e
    finally:
        db.close()
    return _database_wording(result, tables)


def _database_wording(result: ReadResult, tables: Mapping[str, TableMapping]) -> ReadResult:
    """A missing table's finding names the database table (the file reader names a file)."""
    findings = []
    for f in result.findings:
        table = f.location.table
        if f.rule_id == "baca-tabel-wajib-hilang" and table in REQUIRED_TABLES:
            name = tables[table].shown
            f = reader_finding(
                "baca-tabel-wajib-hilang",
                f.location,
                table=table,
                want=Text(
                    f"tabel basis data {name} (dibuat oleh sikkb.io.db.migrate())",
                    f"a database table {name} (sikkb.io.db.migrate() creates it)",
                ),
                near=Text("", ""),
            )
        findings.append(f)
    return attrs.evolve(result, findings=Findings(findings))


# --------------------------------------------------------------------------------------- writing


def _cell(value: object) -> str | None:
    """A typed value as format v1 text (what a PPKBD would type in the template)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Y" if value else "T"
    if isinstance(value, CodeEnum):
        return value.code
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def register_row(table: str, record: Any) -> dict[str, str | None]:
    """One record as the format v1 columns of ``table`` (text; Y/T; ISO dates; codes)."""
    out: dict[str, str | None] = {}
    for c in COLUMNS[table]:
        word, _, poktan = c.name.partition("_")
        if table == "keluarga" and word in ("sasaran", "anggota"):
            value: object = Poktan[poktan.upper()] in getattr(record, word)
        else:
            value = getattr(record, c.name)
        out[c.name] = _cell(value)
    return out


def write_register_db(bind: Bind, register: Register, *, replace: bool = True) -> dict[str, int]:
    """Write a register into the format v1 tables (``sikkb_register_*``) for its period.

    Rows keep their row numbers as ``row_id`` where the register has them (a register read from
    a file), else are numbered from 2 as a sheet would be.

    Args:
        bind: a database URL, or the application's Engine or Connection (the schema must exist:
            :func:`~sikkb.io.db.migrate`).
        register: the month's register.
        replace: first delete the rows of the register's period (else a row already there is an
            error).

    Returns:
        Rows written per table.

    Raises:
        DatabaseError: the database refuses the rows.
    """
    period = str(register.period)
    db = Database(bind)
    written: dict[str, int] = {}
    try:
        with db.transaction() as conn:
            for table in TABLES:
                t = register_tables[table]
                if replace:
                    conn.execute(sa.delete(t).where(t.c.period == period))
                records = register.table(table)
                numbers = [r.row for r in records]
                if None in numbers or len(set(numbers)) != len(numbers):
                    numbers = list(range(2, len(records) + 2))
                rows = [
                    {"period": period, "row_id": n, **register_row(table, r)}
                    for n, r in zip(numbers, records, strict=True)
                ]
                if rows:
                    conn.execute(sa.insert(t), rows)
                written[table] = len(rows)
    except sa.exc.SQLAlchemyError as e:
        raise db.error(e, "writing the register", "menulis register") from e
    finally:
        db.close()
    return written
