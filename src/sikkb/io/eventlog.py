"""The report lifecycle's event log as a JSON Lines file: append-only, one event per line.

Each line is one JSON object (format version 1, described in ``docs/sop.md``)::

    {"v": 1, "unit": "36.71.07.1003", "period": "2026-10", "kind": "SUBMITTED", "role": "PPKBD",
     "at": "2026-11-09T10:00:00+07:00", "reason": null, "content_hash": "sha256:9f86…"}

(on one line in the file). The core (:mod:`sikkb.sop.lifecycle`) only sees
:class:`~sikkb.sop.lifecycle.LifecycleEvent` records; this module turns them into lines and back.

Durability and safety:

- an append writes the whole line with one ``write`` on a file opened for appending, then
  ``flush`` and ``os.fsync``; a new file's directory is fsync-ed too;
- while appending (and while :meth:`EventLog.record` reads, checks and appends) the file is locked
  exclusively with ``flock`` where the platform has it, and readers take a shared lock, so
  processes neither interleave lines nor read a line being written;
- a last line without its newline that is not a complete JSON object is a *torn* line (a write was
  interrupted): reading and appending raise :class:`~sikkb.errors.EventLogError` naming the file
  and line, and never drop it. A complete last line that only lacks its newline is accepted (JSON
  Lines allows it); an append then adds the newline first.
- any other bad line (not JSON, not an event) is an error naming the file, the line and the key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sikkb.errors import EventLogError
from sikkb.io.files import not_regular
from sikkb.periods import Period
from sikkb.sop.lifecycle import (
    LifecycleEvent,
    ReportState,
    RoleTable,
    replay,
    transition,
)

try:  # POSIX only; elsewhere appends rely on O_APPEND alone
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "FORMAT_VERSION",
    "MAX_EVENT_LOG_BYTES",
    "EventLog",
    "append_event",
    "event_from_dict",
    "event_to_dict",
    "read_events",
]

#: The version written in every line's ``"v"``.
FORMAT_VERSION = 1

_KEYS = ("v", "unit", "period", "kind", "role", "at", "reason", "content_hash")
_REQUIRED = ("v", "unit", "period", "kind", "role", "at")


def event_to_dict(event: LifecycleEvent) -> dict[str, Any]:
    """The JSON object of one event (format version 1)."""
    return {
        "v": FORMAT_VERSION,
        "unit": event.unit,
        "period": str(event.period),
        "kind": event.kind.code,
        "role": event.role,
        "at": event.at.isoformat(),
        "reason": event.reason,
        "content_hash": event.content_hash,
    }


def event_from_dict(
    data: object, *, path: str = "<event>", line: int | None = None
) -> LifecycleEvent:
    """The event a JSON object describes.

    Raises:
        EventLogError: naming ``path``, ``line`` and the key at fault.
    """
    if not isinstance(data, dict):
        raise EventLogError(path, line, f"expected a JSON object, not {type(data).__name__}")
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise EventLogError(path, line, f"unknown key(s): {', '.join(unknown)}")
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise EventLogError(path, line, f"missing key(s): {', '.join(missing)}")
    if data["v"] != FORMAT_VERSION:
        raise EventLogError(
            path, line, f"format version {data['v']!r} is not supported (expected {FORMAT_VERSION})"
        )
    at = data["at"]
    try:
        at = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    except ValueError:
        raise EventLogError(path, line, f"at: {at!r} is not an ISO 8601 date and time") from None
    for key in ("unit", "period", "kind", "role"):
        if not isinstance(data[key], str):
            raise EventLogError(path, line, f"{key}: expected text, not {data[key]!r}")
    try:
        return LifecycleEvent(
            unit=data["unit"],
            period=data["period"],
            kind=data["kind"],
            role=data["role"],
            at=at,
            reason=data.get("reason"),
            content_hash=data.get("content_hash"),
        )
    except ValueError as e:
        raise EventLogError(path, line, str(e)) from e


def _encode(event: LifecycleEvent) -> bytes:
    return json.dumps(event_to_dict(event), ensure_ascii=False).encode("utf-8")


def _parse_line(raw: bytes, path: str, number: int) -> LifecycleEvent:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise EventLogError(path, number, f"not UTF-8 text: {e.reason}") from None
    except json.JSONDecodeError as e:
        raise EventLogError(path, number, f"not valid JSON ({e.msg}, column {e.colno})") from None
    return event_from_dict(data, path=path, line=number)


def _parse(content: bytes, path: str) -> tuple[LifecycleEvent, ...]:
    lines = content.split(b"\n")
    torn = lines.pop()  # b"" when the file ends with a newline
    events = [
        _parse_line(raw, path, number) for number, raw in enumerate(lines, start=1) if raw.strip()
    ]
    if torn.strip():
        events.append(_parse_unterminated(torn, path, len(lines) + 1))
    return tuple(events)


def _parse_unterminated(raw: bytes, path: str, number: int) -> LifecycleEvent:
    try:
        return _parse_line(raw, path, number)
    except EventLogError as e:
        raise EventLogError(
            path,
            number,
            f"torn last line: the file ends in the middle of a record (an interrupted write?): "
            f"{e.reason}; the line was kept: repair or remove it by hand",
        ) from None


#: Largest event log :func:`read_events` reads (bytes). A city's log grows by a few hundred events a
#: month (about 100 KB a year); a larger file is not an event log.
MAX_EVENT_LOG_BYTES = 64 * 1024 * 1024


def read_events(
    path: str | os.PathLike[str],
    *,
    missing_ok: bool = False,
    max_bytes: int | None = None,
) -> tuple[LifecycleEvent, ...]:
    """All events of a JSON Lines event log, in file order.

    Args:
        path: the file.
        missing_ok: return no events (instead of raising) when the file does not exist yet.
        max_bytes: the largest file read (default :data:`MAX_EVENT_LOG_BYTES`).

    Raises:
        EventLogError: for a bad line or a torn last line, naming the file and line; for a file
            that is not a regular file (a FIFO, a device) or is larger than ``max_bytes``.
        FileNotFoundError: if the file does not exist and ``missing_ok`` is false.
    """
    limit = MAX_EVENT_LOG_BYTES if max_bytes is None else max_bytes
    p = Path(path)
    why = not_regular(p)
    if why is not None:
        raise EventLogError(str(p), None, f"the event log is {why[0]}")
    try:
        f = p.open("rb")
    except FileNotFoundError:
        if missing_ok:
            return ()
        raise
    with f:
        _flock(f, shared=True)  # a reader never sees a line an appender is still writing
        content = f.read(limit + 1)
    if len(content) > limit:
        raise EventLogError(
            str(p), None, f"the event log is larger than {limit:,} bytes; is it the right file?"
        )
    return _parse(content, str(p))


def _flock(f: IO[bytes], *, shared: bool) -> None:
    """Lock ``f`` until it is closed (POSIX; a no-op elsewhere)."""
    if fcntl is not None:
        fcntl.flock(f.fileno(), fcntl.LOCK_SH if shared else fcntl.LOCK_EX)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[IO[bytes]]:
    """The file opened for reading and appending, created if missing, locked exclusively."""
    created = not path.exists()
    with path.open("a+b") as f:
        _flock(f, shared=False)
        if created:
            _fsync_dir(path.parent)
        yield f


def _fsync_dir(directory: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):  # pragma: no cover - Windows cannot open a directory
        return
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_all(f: IO[bytes]) -> bytes:
    f.seek(0)
    return f.read()


def _write(f: IO[bytes], event: LifecycleEvent, path: str) -> None:
    f.seek(0, os.SEEK_END)
    prefix = b""
    if f.tell() > 0:
        f.seek(-1, os.SEEK_END)
        if f.read(1) != b"\n":
            _parse(_read_all(f), path)  # raises on a torn last line; a complete one gets its \n
            prefix = b"\n"
    f.write(prefix + _encode(event) + b"\n")  # O_APPEND: always at the end
    f.flush()
    os.fsync(f.fileno())


def append_event(path: str | os.PathLike[str], event: LifecycleEvent) -> None:
    """Append one event to a JSON Lines event log (created if missing), durably.

    No lifecycle check is made (see :meth:`EventLog.record` for that).

    Raises:
        EventLogError: if the file ends in a torn line (nothing is written then).
    """
    p = Path(path)
    with _locked(p) as f:
        _write(f, event, str(p))


class EventLog:
    """A JSON Lines event log file: the event store of one machine's command line.

    It implements :class:`~sikkb.io.sources.EventStore` like the database stores
    (:class:`~sikkb.io.db.SqlEventStore`); processes on one machine are serialised by ``flock``
    (POSIX only: on Windows appends are not locked, use SQLite there).

    Example:
        >>> import datetime as dt, tempfile, pathlib
        >>> from sikkb.sop import kota_tangerang_sop, content_hash
        >>> log = EventLog(pathlib.Path(tempfile.mkdtemp()) / "events.jsonl")
        >>> wib = kota_tangerang_sop().tzinfo
        >>> state = log.record(
        ...     LifecycleEvent(unit="36.71.07.1003", period="2026-10", kind="SUBMITTED",
        ...                    role="PPKBD", at=dt.datetime(2026, 11, 9, 10, tzinfo=wib),
        ...                    content_hash=content_hash({"pus": 120})),
        ...     roles=kota_tangerang_sop().roles)
        >>> state.status.code, len(log.read())
        ('SUBMITTED', 1)
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"EventLog({str(self.path)!r})"

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> str:
        """The file, for messages."""
        return str(self.path)

    def close(self) -> None:
        """Nothing to release (every call opens and closes the file); for the store interface."""

    def read(self, *, period: Period | str | None = None) -> tuple[LifecycleEvent, ...]:
        """All events (of ``period`` only, when given), in file order; none if the file does not
        exist yet."""
        events = read_events(self.path, missing_ok=True)
        if period is None:
            return events
        wanted = period if isinstance(period, Period) else Period.parse(period)
        return tuple(e for e in events if e.period == wanted)

    def append(self, event: LifecycleEvent) -> None:
        """Append an event without a lifecycle check (see :func:`append_event`)."""
        append_event(self.path, event)

    def record(
        self,
        event: LifecycleEvent,
        *,
        roles: RoleTable,
        closes_at: dt.datetime | None = None,
    ) -> ReportState:
        """Check an event against its report's lifecycle, then append it; return the new state.

        The file stays locked from reading to appending, so the check holds when the line is
        written.

        Args:
            event: the event to record.
            roles: which roles may record which event kind (``sop.roles``).
            closes_at: when submissions close (``ReportingCycle.submissions_close_at``): a
                ``SUBMITTED`` event at or after it is refused. ``None`` = never.

        Raises:
            LifecycleError: if the event is not allowed (nothing is written).
            EventLogError: if the file has a bad or torn line (nothing is written).
        """
        with _locked(self.path) as f:
            events = _parse(_read_all(f), str(self.path))
            mine = [e for e in events if e.key == event.key]
            state = replay(mine, roles=roles, unit=event.unit, period=event.period)
            new_state = transition(state, event, roles=roles, closes_at=closes_at)
            _write(f, event, str(self.path))
        return new_state
