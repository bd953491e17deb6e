"""Where the command line (and an application) reads from: a file path or a database URL.

One function per kind of source turns the text a user typed into the thing to read:

- :func:`open_event_store`: ``events.jsonl`` → the JSON Lines file
  (:class:`~sikkb.io.eventlog.EventLog`); ``sqlite:///sikkb.db`` or ``postgresql://…`` → a
  database store (:class:`~sikkb.io.db.SqlEventStore`, extra ``sikkb[db]``);
- :func:`read_register_source`: a workbook or CSV folder → :func:`~sikkb.io.reader.read_register`;
  a database URL → :func:`~sikkb.io.db.read_register_db`.

A URL's password is never shown: :func:`mask_url` replaces it with ``***`` wherever sikkb names the
source (progress lines, findings, errors, ``--json``). Credentials may also come from the
environment instead of the URL (``PGPASSWORD``, ``PGPASSFILE``, ``PGSERVICE`` for PostgreSQL).

This module imports no database library; the database modules load only when a URL is given.

Example:
    >>> is_database_url("postgresql://sikkb:rahasia@db.dinas.local/kb"), is_database_url("reg.xlsx")
    (True, False)
    >>> mask_url("postgresql://sikkb:rahasia@db.dinas.local/kb")
    'postgresql://sikkb:***@db.dinas.local/kb'
    >>> mask_secrets("login failed for rahasia", "postgresql://sikkb:rahasia@db/kb")
    'login failed for ***'
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable
from urllib.parse import unquote

from sikkb.periods import Period

if TYPE_CHECKING:
    import datetime as dt

    from sikkb.io.limits import Limits
    from sikkb.io.reader import ReadResult
    from sikkb.sop.lifecycle import LifecycleEvent, ReportState, RoleTable

__all__ = [
    "EventStore",
    "is_database_url",
    "mask_secrets",
    "mask_url",
    "open_event_store",
    "read_register_source",
]

#: ``scheme://`` or ``scheme+driver://`` of the databases sikkb knows.
_DB_URL = re.compile(r"^(sqlite|postgresql|postgres)(\+[a-z0-9_]+)?://", re.IGNORECASE)
_USERINFO = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.\-]*://)(?P<user>[^:@/]*):(?P<pw>[^@/]*)@", re.I)
_QUERY_SECRET = re.compile(r"(?i)([?&](?:password|sslpassword|passfile)=)[^&]*")


@runtime_checkable
class EventStore(Protocol):
    """Where a report lifecycle's events are kept: a JSON Lines file, SQLite or PostgreSQL.

    Every store gives the same answers (one shared test suite runs against each): events are
    append-only, :meth:`record` checks an event against its report's state and stores it in one
    step that concurrent writers cannot interleave, and :meth:`read` gives the events back in the
    order they were stored.
    """

    def read(self, *, period: Period | str | None = None) -> tuple[LifecycleEvent, ...]:
        """Every event (of ``period`` only, when given), in the order they were stored."""
        ...

    def record(
        self, event: LifecycleEvent, *, roles: RoleTable, closes_at: dt.datetime | None = None
    ) -> ReportState:
        """Check ``event`` against its report's state and store it; return the new state.

        Raises:
            LifecycleError: the lifecycle does not allow the event (nothing is stored).
        """
        ...

    def append(self, event: LifecycleEvent) -> None:
        """Store an event without the role and deadline checks (for importing an old log)."""
        ...

    def describe(self) -> str:
        """The store, for messages: a file path, or a database URL with its password masked."""
        ...

    def close(self) -> None:
        """Release what the store holds (connections); the store is not used afterwards."""
        ...

    def __enter__(self) -> EventStore: ...

    def __exit__(self, *exc: object) -> None: ...


def is_database_url(source: str | os.PathLike[str]) -> bool:
    """Whether ``source`` is a database URL sikkb can open (``sqlite:///…``, ``postgresql://…``)."""
    return isinstance(source, str) and _DB_URL.match(source.strip()) is not None


def mask_url(source: str | os.PathLike[str]) -> str:
    """``source`` as it may be shown: a URL's password (and password query options) as ``***``."""
    text = str(source)
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text, count=1)
    return _QUERY_SECRET.sub(r"\1***", text)


def _secrets(url: str) -> list[str]:
    found = []
    m = _USERINFO.match(url)
    if m and m["pw"]:
        found += [m["pw"], unquote(m["pw"])]
    found += [unquote(q.group(0).split("=", 1)[1]) for q in _QUERY_SECRET.finditer(url)]
    return sorted({s for s in found if len(s) >= 3}, key=len, reverse=True)


def mask_secrets(text: str, url: str) -> str:
    """``text`` (a driver's error message, say) with every secret of ``url`` replaced by ``***``."""
    for secret in _secrets(url):
        text = text.replace(secret, "***")
    return mask_url(text) if "://" in text else text


def open_event_store(
    source: str | os.PathLike[str], *, create_schema: bool = True, must_exist: bool = False
) -> EventStore:
    """The event store a path or database URL names.

    Args:
        source: a JSON Lines file (created on the first event), or a database URL:
            ``sqlite:///sikkb.db`` (a file, created with the schema when missing) or
            ``postgresql://user@host/db``.
        create_schema: create or upgrade a database's sikkb tables (:func:`sikkb.io.db.migrate`)
            when they are missing or older; with ``False`` they must be current already.
        must_exist: refuse a JSON Lines file or SQLite database file that does not exist yet
            (to read a log, where a missing file is a typing mistake) with
            :class:`FileNotFoundError`, instead of starting an empty store.

    Raises:
        DatabaseError: the database cannot be opened (the message masks the password).
        OptionalDependencyError: a URL is given but the ``db`` extra is not installed.
    """
    if is_database_url(source):
        from sikkb.io.db import SqlEventStore

        sqlite_file = _sqlite_file(str(source).strip())
        if must_exist and sqlite_file is not None and not sqlite_file.is_file():
            raise FileNotFoundError(2, "No such file or directory", str(sqlite_file))

        return SqlEventStore(str(source).strip(), create_schema=create_schema)
    from sikkb.io.eventlog import EventLog

    path = Path(source)
    if must_exist and not path.is_file():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    return EventLog(path)


def _sqlite_file(url: str) -> Path | None:
    """The file a ``sqlite:///path`` URL names (``None`` for other URLs and in-memory SQLite)."""
    scheme, _, rest = url.partition("://")
    if not scheme.lower().startswith("sqlite") or not rest.startswith("/") or rest == "/":
        return None
    path = rest[1:].split("?", 1)[0]
    return Path(unquote(path)) if path and path != ":memory:" else None


def read_register_source(
    source: str | os.PathLike[str], period: Period | str, *, limits: Limits | None = None
) -> ReadResult:
    """Read a register from a file or folder (:func:`~sikkb.io.reader.read_register`) or from a
    database URL holding the register tables of format v1 (:func:`~sikkb.io.db.read_register_db`).
    """
    if is_database_url(source):
        from sikkb.io.db import read_register_db

        sqlite_file = _sqlite_file(str(source).strip())
        if sqlite_file is not None and not sqlite_file.is_file():  # never create an empty one
            raise FileNotFoundError(2, "No such file or directory", str(sqlite_file))
        return read_register_db(str(source).strip(), period, limits=limits)
    from sikkb.io.reader import read_register

    return read_register(source, period, limits=limits)
