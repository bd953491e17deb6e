"""The JSON Lines event log: round trip, durability, torn and bad lines, checked recording."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.sop.strategies import WIB, events

from sikkb.errors import EventLogError, LifecycleError
from sikkb.io import eventlog
from sikkb.io.eventlog import (
    EventLog,
    append_event,
    event_from_dict,
    event_to_dict,
    read_events,
)
from sikkb.periods import Period
from sikkb.sop import LifecycleEvent, content_hash, kota_tangerang_sop

ROLES = kota_tangerang_sop().roles
H = content_hash({"pus": 120})
SUBMIT = LifecycleEvent(unit="36.71.07.1003", period="2026-10", kind="SUBMITTED", role="PPKBD",
                        at=dt.datetime(2026, 11, 9, 10, 30, tzinfo=WIB), content_hash=H)  # fmt: skip
VERIFY = LifecycleEvent(unit="36.71.07.1003", period="2026-10", kind="VERIFIED",
                        role="TIM_DP3AP2KB", at=dt.datetime(2026, 11, 12, 8, tzinfo=WIB))  # fmt: skip


def test_the_line_format(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    append_event(path, SUBMIT)
    assert path.read_text("utf-8") == (
        '{"v": 1, "unit": "36.71.07.1003", "period": "2026-10", "kind": "SUBMITTED", '
        '"role": "PPKBD", "at": "2026-11-09T10:30:00+07:00", "reason": null, '
        f'"content_hash": "{H}"}}\n'
    )
    assert read_events(path) == (SUBMIT,)


def test_appends_keep_order_and_non_ascii_text(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    ret = LifecycleEvent(unit="36.71.07.1003", period="2026-10", kind="RETURNED",
                         role="BIDANG_KB", at=dt.datetime(2026, 11, 10, tzinfo=dt.UTC),
                         reason="PUS ≠ PA + HAMIL + IAS + IAT + TIAL\n(baris 3)")  # fmt: skip
    for e in (SUBMIT, ret, VERIFY):
        append_event(path, e)
    assert read_events(path) == (SUBMIT, ret, VERIFY)
    assert len(path.read_bytes().splitlines()) == 3  # the newline in the reason is escaped
    assert "≠" in path.read_text("utf-8")


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(events(), max_size=8))
def test_write_then_read_gives_the_same_events(
    tmp_path: Path, written: list[LifecycleEvent]
) -> None:
    path = tmp_path / f"log-{os.urandom(6).hex()}.jsonl"
    for e in written:
        append_event(path, e)
    assert read_events(path, missing_ok=True) == tuple(written)
    for e in written:
        assert event_from_dict(json.loads(json.dumps(event_to_dict(e)))) == e


def test_a_torn_last_line_is_reported_never_dropped(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    append_event(path, SUBMIT)
    whole = path.read_bytes()
    torn = json.dumps(event_to_dict(VERIFY)).encode()[:40]
    path.write_bytes(whole + torn)
    with pytest.raises(EventLogError) as info:
        read_events(path)
    assert (info.value.path, info.value.line) == (str(path), 2)
    assert str(info.value).startswith(f"{path}:2: torn last line")
    # appending refuses too, and leaves the file as it was
    with pytest.raises(EventLogError, match="torn last line"):
        append_event(path, VERIFY)
    with pytest.raises(EventLogError, match="torn last line"):
        EventLog(path).record(VERIFY, roles=ROLES)
    assert path.read_bytes() == whole + torn


def test_a_complete_last_line_without_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(event_to_dict(SUBMIT)), "utf-8")  # no final newline
    assert read_events(path) == (SUBMIT,)
    append_event(path, VERIFY)
    assert read_events(path) == (SUBMIT, VERIFY)
    assert path.read_bytes().count(b"\n") == 2


def test_bad_lines_name_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    good = json.dumps(event_to_dict(SUBMIT))

    def error_for(line: str) -> EventLogError:
        path.write_text(f"{good}\n\n{line}\n{good}\n", "utf-8")
        with pytest.raises(EventLogError) as info:
            read_events(path)
        assert info.value.line == 3  # the blank line 2 is skipped, but counted
        return info.value

    assert "not valid JSON" in error_for("{not json").reason
    assert "expected a JSON object" in error_for("[1, 2]").reason
    data = event_to_dict(SUBMIT)
    assert (
        "missing key(s): at"
        in error_for(json.dumps({k: v for k, v in data.items() if k != "at"})).reason
    )
    assert "unknown key(s): actor" in error_for(json.dumps({**data, "actor": "x"})).reason
    assert "format version 2" in error_for(json.dumps({**data, "v": 2})).reason
    assert "ISO 8601" in error_for(json.dumps({**data, "at": "kemarin"})).reason
    assert "timezone-aware" in error_for(json.dumps({**data, "at": "2026-11-09T10:30:00"})).reason
    assert "event kind" in error_for(json.dumps({**data, "kind": "SENT"})).reason
    assert "unit: expected text" in error_for(json.dumps({**data, "unit": 3671071003})).reason
    assert "period" in error_for(json.dumps({**data, "period": "2026-13"})).reason
    path.write_bytes(good.encode() + b"\n" + b"\xff\xfe\n")
    with pytest.raises(EventLogError, match=r":2: not UTF-8"):
        read_events(path)


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "none.jsonl"
    with pytest.raises(FileNotFoundError):
        read_events(path)
    assert read_events(path, missing_ok=True) == ()
    assert EventLog(path).read() == ()
    assert not path.exists()


def test_appends_are_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(eventlog.os, "fsync", spy)
    path = tmp_path / "events.jsonl"
    append_event(path, SUBMIT)
    assert len(synced) == 2  # the new file's directory, then the file
    append_event(path, VERIFY)
    assert len(synced) == 3  # the file only


def test_record_checks_the_lifecycle_first(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "events.jsonl")
    with pytest.raises(LifecycleError, match="in state DRAFT"):
        log.record(VERIFY, roles=ROLES)
    assert log.read() == ()
    assert log.record(SUBMIT, roles=ROLES).status.code == "SUBMITTED"
    # another report in the same file does not affect this one
    other = LifecycleEvent(unit="36.71.01.1001", period=Period(2026, 10), kind="SUBMITTED",
                           role="PPKBD", at=SUBMIT.at, content_hash=H)  # fmt: skip
    assert log.record(other, roles=ROLES).status.code == "SUBMITTED"
    with pytest.raises(LifecycleError, match="role PPKBD may not record VERIFIED"):
        log.record(LifecycleEvent(unit=VERIFY.unit, period=VERIFY.period, kind="VERIFIED",
                                  role="PPKBD", at=VERIFY.at), roles=ROLES)  # fmt: skip
    state = log.record(VERIFY, roles=ROLES)
    assert state.verified_hash == H
    assert log.read() == (SUBMIT, other, VERIFY)
    assert repr(log) == f"EventLog({str(log.path)!r})"


def test_record_refuses_a_submission_after_the_lock(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "events.jsonl")
    closes = dt.datetime(2026, 11, 9, tzinfo=WIB)
    with pytest.raises(LifecycleError, match="closed"):
        log.record(SUBMIT, roles=ROLES, closes_at=closes)
    assert log.read() == ()
    assert log.record(SUBMIT, roles=ROLES, closes_at=closes + dt.timedelta(days=1))


def _append_many(path: str, worker: int, count: int) -> None:
    for i in range(count):
        append_event(path, LifecycleEvent(
            unit=f"36.71.0{worker + 1}.1001", period="2026-10", kind="SUBMITTED", role="PPKBD",
            at=dt.datetime(2026, 11, 1, tzinfo=WIB) + dt.timedelta(minutes=i),
            reason="x" * 3000,  # long lines: more than one page would tear without the lock
            content_hash=content_hash(i),
        ))  # fmt: skip


def test_concurrent_appends_do_not_interleave(tmp_path: Path) -> None:
    path = str(tmp_path / "events.jsonl")
    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    workers = [ctx.Process(target=_append_many, args=(path, w, 25)) for w in range(4)]
    for w in workers:
        w.start()
    while any(w.is_alive() for w in workers):
        read_events(path, missing_ok=True)  # raises if it ever sees a line still being written
    for w in workers:
        w.join()
        assert w.exitcode == 0
    written = read_events(path)
    assert len(written) == 100
    for unit in {e.unit for e in written}:
        mine = [e for e in written if e.unit == unit]
        assert [e.content_hash for e in mine] == [content_hash(i) for i in range(25)]
