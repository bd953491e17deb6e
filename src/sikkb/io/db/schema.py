"""The database schema, as code: every sikkb table is defined once here, and :func:`~sikkb.io.db.engine.migrate` creates
or upgrades it.

Tables (all prefixed ``sikkb_``, so they can live beside an application's own):

``sikkb_schema``
    One row per applied migration (``version``, ``description``, ``applied_at``): the schema's
    version is the highest.
``sikkb_event``
    The report lifecycle's events, append-only. Beside the event itself (``unit``, ``period``,
    ``kind``, ``role``, ``at``, ``reason``, ``content_hash``) each row holds its position in its
    report's life (``seq`` = 1, 2, …) and a copy of the previous event's ``seq``, ``kind`` and
    time (``prev_seq``, ``prev_kind``, ``prev_at_us``). With those, the lifecycle's structure is
    enforced by the database itself, whoever writes:

    - ``UNIQUE (unit, period, seq)``: two writers cannot both append the n-th event of a report;
      the second fails and sikkb re-checks it against the new state. So there is never more than
      one ``SUBMITTED`` waiting for verification, whatever the number of processes or hosts;
    - a foreign key from ``(unit, period, prev_seq, prev_kind, prev_at_us)`` to the previous row,
      and a ``CHECK`` that the pair (previous kind, kind) is a transition the lifecycle allows:
      no ``VERIFIED`` without a ``SUBMITTED`` just before it, nothing after ``DISSEMINATED``, the
      first event a ``SUBMITTED``; and events in time order;
    - ``CHECK``: a ``RETURNED`` has a non-empty reason, a ``SUBMITTED`` a content hash; ``at``
      is written with its UTC offset (an aware time);
    - triggers refuse ``UPDATE``, ``DELETE`` (and ``TRUNCATE`` on PostgreSQL): events are
      append-only.

    Which role may record which event and the submission deadline are SOP data; sikkb checks them
    in the same transaction before inserting (:meth:`SqlEventStore.record
    <sikkb.io.db.SqlEventStore.record>`).
``sikkb_register_keluarga``, ``…_pus``, ``…_institusi``, ``…_kegiatan``
    A register in format v1 (optional): one text column per column of the format (values as a
    PPKBD typed them, so the reader's findings are the same as for a file), plus ``period`` and
    ``row_id``. ``(period, row_id)`` is the primary key and the row number of every finding.
``sikkb_report_value``
    A month's reports and recaps in long form for dashboards: ``region``, ``period``, ``item``
    (the data element), ``disaggregation``, ``value``, ``level``; primary key
    ``(period, region, item, disaggregation)``.

Migrations are forward-only and numbered; :func:`~sikkb.io.db.engine.migrate` applies the missing ones in one
transaction each, under a lock (PostgreSQL advisory lock, SQLite ``BEGIN IMMEDIATE``) so that
several processes starting at once migrate once. A new database gets the current tables directly
and is stamped with the latest version (as Alembic's ``create_all`` + ``stamp head``).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import sqlalchemy as sa

from sikkb.io.columns import COLUMNS
from sikkb.register import TABLES
from sikkb.sop.lifecycle import EventKind, ReportState, ReportStatus

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "events",
    "metadata",
    "register_tables",
    "report_values",
    "schema_versions",
]

metadata = sa.MetaData()

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: INTEGER PRIMARY KEY = rowid
_KINDS = ", ".join(f"'{k.code}'" for k in EventKind)


def _transitions_check() -> str:
    """The lifecycle's transitions as SQL, from the lifecycle itself (one source of truth)."""
    pairs = []
    for status in ReportStatus:
        if status is ReportStatus.DRAFT:
            continue
        allowed = attrs.evolve(ReportState.draft("36.71", "2000-01"), status=status).allowed()
        if allowed:
            kinds = ", ".join(f"'{k.code}'" for k in sorted(allowed, key=lambda k: k.code))
            pairs.append(f"(prev_kind = '{status.code}' AND kind IN ({kinds}))")
    first = ReportState.draft("36.71", "2000-01").allowed()
    (first_kind,) = first
    return (
        f"(seq = 1 AND prev_seq IS NULL AND prev_kind IS NULL AND prev_at_us IS NULL "
        f"AND kind = '{first_kind.code}') OR "
        f"(seq > 1 AND prev_seq = seq - 1 AND prev_kind IS NOT NULL AND prev_at_us IS NOT NULL "
        f"AND prev_at_us <= at_us AND ({' OR '.join(pairs)}))"
    )


#: The lifecycle's events (see the module docstring for what the constraints enforce).
events = sa.Table(
    "sikkb_event",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("unit", sa.String(16), nullable=False),
    sa.Column("period", sa.String(7), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("role", sa.String(64), nullable=False),
    sa.Column("at", sa.String(40), nullable=False, comment="ISO 8601 with its UTC offset"),
    sa.Column("at_us", sa.BigInteger, nullable=False, comment="at, microseconds since 1970 UTC"),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("content_hash", sa.String(71), nullable=True),
    sa.Column("prev_seq", sa.Integer, nullable=True),
    sa.Column("prev_kind", sa.String(16), nullable=True),
    sa.Column("prev_at_us", sa.BigInteger, nullable=True),
    sa.UniqueConstraint("unit", "period", "seq", name="uq_sikkb_event_position"),
    sa.UniqueConstraint("unit", "period", "seq", "kind", "at_us", name="uq_sikkb_event_link"),
    sa.ForeignKeyConstraint(
        ["unit", "period", "prev_seq", "prev_kind", "prev_at_us"],
        [
            "sikkb_event.unit",
            "sikkb_event.period",
            "sikkb_event.seq",
            "sikkb_event.kind",
            "sikkb_event.at_us",
        ],
        name="fk_sikkb_event_previous",
    ),
    sa.CheckConstraint(f"kind IN ({_KINDS})", name="ck_sikkb_event_kind"),
    sa.CheckConstraint(_transitions_check(), name="ck_sikkb_event_transition"),
    sa.CheckConstraint(
        "kind <> 'RETURNED' OR (reason IS NOT NULL AND length(trim(reason)) > 0)",
        name="ck_sikkb_event_return_reason",
    ),
    sa.CheckConstraint(
        "kind <> 'SUBMITTED' OR content_hash IS NOT NULL", name="ck_sikkb_event_submit_hash"
    ),
    sa.CheckConstraint(
        "content_hash IS NULL OR (length(content_hash) = 71 AND substr(content_hash, 1, 7) = 'sha256:')",
        name="ck_sikkb_event_hash",
    ),
    sa.CheckConstraint(
        "length(at) >= 25 AND substr(at, length(at) - 5, 1) IN ('+', '-') "
        "AND substr(at, length(at) - 2, 1) = ':' AND substr(at, 11, 1) = 'T'",
        name="ck_sikkb_event_aware",
    ),
    sa.CheckConstraint(
        "length(period) = 7 AND substr(period, 5, 1) = '-'", name="ck_sikkb_event_period"
    ),
    sa.CheckConstraint("length(unit) >= 2", name="ck_sikkb_event_unit"),
    sa.Index("ix_sikkb_event_period", "period"),
    comment="sikkb report lifecycle events (append-only)",
)

_APPEND_ONLY_PG = sa.DDL(  # type: ignore[no-untyped-call]
    """
CREATE OR REPLACE FUNCTION sikkb_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'sikkb: % on % is refused: lifecycle events are append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER sikkb_event_append_only BEFORE UPDATE OR DELETE ON sikkb_event
  FOR EACH ROW EXECUTE FUNCTION sikkb_refuse_change();
CREATE TRIGGER sikkb_event_no_truncate BEFORE TRUNCATE ON sikkb_event
  FOR EACH STATEMENT EXECUTE FUNCTION sikkb_refuse_change();
""".replace("%", "%%")
)
_SQLITE_TRIGGERS = (
    "CREATE TRIGGER sikkb_event_no_update BEFORE UPDATE ON sikkb_event BEGIN "
    "SELECT RAISE(ABORT, 'sikkb: UPDATE on sikkb_event is refused: lifecycle events are "
    "append-only'); END",
    "CREATE TRIGGER sikkb_event_no_delete BEFORE DELETE ON sikkb_event BEGIN "
    "SELECT RAISE(ABORT, 'sikkb: DELETE on sikkb_event is refused: lifecycle events are "
    "append-only'); END",
    # the foreign key again, for connections that did not switch SQLite's foreign keys on
    "CREATE TRIGGER sikkb_event_previous BEFORE INSERT ON sikkb_event "
    "WHEN NEW.seq > 1 AND NOT EXISTS (SELECT 1 FROM sikkb_event p WHERE p.unit = NEW.unit "
    "AND p.period = NEW.period AND p.seq = NEW.prev_seq AND p.kind = NEW.prev_kind "
    "AND p.at_us = NEW.prev_at_us) BEGIN "
    "SELECT RAISE(ABORT, 'sikkb: FOREIGN KEY fk_sikkb_event_previous: the previous event is not "
    "stored'); END",
)
sa.event.listen(events, "after_create", _APPEND_ONLY_PG.execute_if(dialect="postgresql"))
for _ddl in _SQLITE_TRIGGERS:
    sa.event.listen(
        events,
        "after_create",
        sa.DDL(_ddl).execute_if(dialect="sqlite"),  # type: ignore[no-untyped-call]
    )


def _register_table(table: str) -> sa.Table:
    return sa.Table(
        f"sikkb_register_{table}",
        metadata,
        sa.Column("period", sa.String(7), primary_key=True, comment="reporting month, YYYY-MM"),
        sa.Column(
            "row_id",
            sa.Integer,
            primary_key=True,
            autoincrement=False,
            comment="row number of findings",
        ),
        *(sa.Column(c.name, sa.Text, nullable=True, comment=c.note.en) for c in COLUMNS[table]),
        comment=f"sikkb register format v1, table {table}",
    )


#: Table name of the format (``"pus"``) → its database table (``sikkb_register_pus``).
register_tables: dict[str, sa.Table] = {t: _register_table(t) for t in TABLES}

#: A month's reports and recaps in long form (one row per region, item and disaggregation).
report_values = sa.Table(
    "sikkb_report_value",
    metadata,
    sa.Column("period", sa.String(7), primary_key=True),
    sa.Column("region", sa.String(16), primary_key=True),
    sa.Column("item", sa.String(64), primary_key=True, comment="data element (pa, pus, ...)"),
    sa.Column("disaggregation", sa.String(128), primary_key=True, comment="'' for the total"),
    sa.Column("value", sa.BigInteger, nullable=False),
    sa.Column("level", sa.String(16), nullable=False, comment="kelurahan, kecamatan, kabkota"),
    comment="sikkb monthly reports and recaps, long form",
)

#: The applied migrations.
schema_versions = sa.Table(
    "sikkb_schema",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column(
        "applied_at",
        sa.DateTime(timezone=True),
        nullable=False,
        server_default=sa.func.current_timestamp(),
    ),
)


@attrs.frozen
class Migration:
    """One forward-only step of the schema.

    Attributes:
        version: its number (1, 2, …); applied in order, each once.
        description: what it changes, in English.
        apply: the change, run inside the migration's transaction.
    """

    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _v1(conn: sa.Connection) -> None:
    metadata.create_all(conn, tables=[events, *register_tables.values(), report_values])


#: Every migration, in order. A later one alters the tables (and the definitions above always
#: describe the latest version).
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "lifecycle events, register format v1 tables, report values", _v1),
)

#: The version this sikkb writes and reads.
SCHEMA_VERSION = MIGRATIONS[-1].version
