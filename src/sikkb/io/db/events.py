"""The report lifecycle's events in a database (SQLite or PostgreSQL), through SQLAlchemy Core.

:class:`SqlEventStore` keeps the same contract as the JSON Lines file
(:class:`~sikkb.io.eventlog.EventLog`); one test suite runs against both. What the database adds:
many processes on many hosts may record at once, and the lifecycle's structure is enforced by the
database's own constraints (:mod:`sikkb.io.db.schema`), so a writer that bypasses sikkb cannot
break it either.

How :meth:`SqlEventStore.record` stays correct under concurrency: in one transaction it reads the
report's events, checks the new event with :func:`~sikkb.sop.lifecycle.transition` (roles,
deadline, reason, hash, order), and inserts it as the report's next position (``seq``). If another
writer stored an event of the same report meanwhile, the insert breaks ``UNIQUE (unit, period,
seq)``: the transaction is rolled back and the check runs again against the new state, which then
either accepts the event after the other one or refuses it with a
:class:`~sikkb.errors.LifecycleError`. On SQLite, writers are serialised from the start of their
transaction (``BEGIN IMMEDIATE``). So N processes recording at once give exactly one of the
outcomes the state machine allows in some order, nothing lost, nothing twice.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import sqlalchemy as sa

from sikkb.io.db.engine import Bind, Database, require_schema
from sikkb.io.db.schema import events as T
from sikkb.periods import Period
from sikkb.sop.lifecycle import LifecycleEvent, ReportState, RoleTable, replay, transition

__all__ = ["SqlEventStore"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: How often a write is retried after losing a race (each retry re-checks the lifecycle).
_RETRIES = 200


def _at_text(at: dt.datetime) -> str:
    """``at`` in ISO 8601 with its offset (an offset with seconds is written in UTC)."""
    offset = at.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        at = at.astimezone(dt.UTC)
    text = at.isoformat()
    return text[:-6] + "+00:00" if text.endswith("Z") else text


def _micros(at: dt.datetime) -> int:
    delta = at - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _event(row: Any) -> LifecycleEvent:
    return LifecycleEvent(
        unit=row.unit,
        period=row.period,
        kind=row.kind,
        role=row.role,
        at=dt.datetime.fromisoformat(row.at),
        reason=row.reason,
        content_hash=row.content_hash,
    )


def _row(event: LifecycleEvent, seq: int, previous: Any | None) -> dict[str, Any]:
    return {
        "unit": event.unit,
        "period": str(event.period),
        "seq": seq,
        "kind": event.kind.code,
        "role": event.role,
        "at": _at_text(event.at),
        "at_us": _micros(event.at),
        "reason": event.reason,
        "content_hash": event.content_hash,
        "prev_seq": previous.seq if previous is not None else None,
        "prev_kind": previous.kind if previous is not None else None,
        "prev_at_us": previous.at_us if previous is not None else None,
    }


def _lost_race(e: sa.exc.DBAPIError) -> bool:
    """A unique-position clash or a busy SQLite: another writer was first; try again."""
    orig = e.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    text = str(orig)
    if sqlstate in ("23505", "40001", "40P01"):
        return "uq_sikkb_event_position" in text or sqlstate != "23505"
    return (
        "UNIQUE constraint failed: sikkb_event.unit, sikkb_event.period, sikkb_event.seq" in text
        or ("database is locked" in text)
    )


class SqlEventStore:
    """A lifecycle event store in a database: SQLite (a file, no server) or PostgreSQL.

    Args:
        bind: a URL (``sqlite:///sikkb.db``, ``postgresql://user@host/db``), or the application's
            SQLAlchemy Engine or Connection.
        create_schema: create or upgrade the sikkb tables (:func:`~sikkb.io.db.migrate`) first;
            without it the schema must already be at the current version (else
            :class:`~sikkb.errors.DatabaseError`).

    Example:
        >>> import datetime as dt, tempfile, pathlib
        >>> from sikkb.sop import kota_tangerang_sop, content_hash
        >>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'sikkb.db'}"
        >>> store = SqlEventStore(url, create_schema=True)
        >>> sop = kota_tangerang_sop()
        >>> state = store.record(
        ...     LifecycleEvent(unit="36.71.07.1003", period="2026-10", kind="SUBMITTED",
        ...                    role="PPKBD", at=dt.datetime(2026, 11, 9, 10, tzinfo=sop.tzinfo),
        ...                    content_hash=content_hash({"pus": 120})), roles=sop.roles)
        >>> state.status.code, len(store.read())
        ('SUBMITTED', 1)
        >>> store.close()
    """

    def __init__(self, bind: Bind, *, create_schema: bool = False) -> None:
        self.db = Database(bind)
        try:
            require_schema(self.db, create=create_schema)
        except BaseException:
            self.db.close()
            raise

    def __repr__(self) -> str:
        return f"SqlEventStore({self.db.name!r})"

    def __enter__(self) -> SqlEventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> str:
        return self.db.name

    def close(self) -> None:
        self.db.close()

    def read(self, *, period: Period | str | None = None) -> tuple[LifecycleEvent, ...]:
        """Every event (of ``period`` only, when given), in the order they were stored."""
        query = sa.select(T).order_by(T.c.id)
        if period is not None:
            query = query.where(T.c.period == str(Period.parse(str(period))))
        try:
            with self.db.reading() as conn:
                rows = conn.execute(query).all()
        except sa.exc.SQLAlchemyError as e:
            raise self.db.error(e, "reading the events", "membaca peristiwa laporan") from e
        return tuple(_event(r) for r in rows)

    def _last(self, conn: sa.Connection, event: LifecycleEvent) -> list[Any]:
        return list(
            conn.execute(
                sa.select(T)
                .where(T.c.unit == event.unit, T.c.period == str(event.period))
                .order_by(T.c.seq)
            ).all()
        )

    def record(
        self, event: LifecycleEvent, *, roles: RoleTable, closes_at: dt.datetime | None = None
    ) -> ReportState:
        """Check ``event`` against its report's state and store it, atomically; the new state.

        Raises:
            LifecycleError: the lifecycle does not allow the event (nothing is stored).
            DatabaseError: the database cannot be used, or refuses the row for another reason.
        """
        return self._write(event, roles=roles, closes_at=closes_at, check=True)

    def append(self, event: LifecycleEvent) -> None:
        """Store an event without the role and deadline checks (importing an old log); the
        database's constraints still hold (a transition the lifecycle forbids is refused).

        Raises:
            DatabaseError: the database refuses the event.
        """
        self._write(event, roles={}, closes_at=None, check=False)

    def _write(
        self,
        event: LifecycleEvent,
        *,
        roles: RoleTable,
        closes_at: dt.datetime | None,
        check: bool,
    ) -> ReportState:
        for attempt in range(_RETRIES):
            try:
                with self.db.transaction() as conn:
                    rows = self._last(conn, event)
                    state = ReportState.draft(event.unit, event.period)
                    if check:
                        state = replay(
                            [_event(r) for r in rows], roles=roles, unit=event.unit,
                            period=event.period,
                        )  # fmt: skip
                        state = transition(state, event, roles=roles, closes_at=closes_at)
                    conn.execute(
                        sa.insert(T), _row(event, len(rows) + 1, rows[-1] if rows else None)
                    )
                return state
            except sa.exc.DBAPIError as e:
                if _lost_race(e) and attempt + 1 < _RETRIES:
                    time.sleep(min(0.001 * (attempt + 1), 0.05))
                    continue
                raise self.db.error(
                    e,
                    f"storing {event.kind.code} of {event.unit} {event.period}",
                    f"menyimpan {event.kind.code} untuk {event.unit} {event.period}",
                ) from e
        raise AssertionError("unreachable")  # pragma: no cover
