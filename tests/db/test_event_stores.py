"""One contract, three event stores: the JSON Lines file, SQLite and PostgreSQL.

Every test here runs against each store (``source`` fixture); the PostgreSQL runs skip with a
visible reason when no server is configured.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tests.db.conftest import NO_POSTGRES, STORES, fresh_source, postgres_url
from tests.sop.strategies import LANES, MODEL_NEXT, MODEL_ROLES, WIB, hashes
from tests.sop.test_lifecycle import LifecycleMachine

from sikkb.errors import LifecycleError
from sikkb.io.eventlog import event_from_dict
from sikkb.io.sources import EventStore, open_event_store
from sikkb.periods import Period
from sikkb.sop import (
    EventKind,
    LifecycleEvent,
    content_hash,
    kota_tangerang_sop,
    replay,
    transition,
)

ROLES = kota_tangerang_sop().roles
UNIT = "36.71.07.1003"
OTHER = "36.71.01.1001"
P = Period(2026, 10)
H1 = content_hash({"pus": 120, "pa": 90})
H2 = content_hash({"pus": 121, "pa": 90})
WORKER = Path(__file__).with_name("_worker.py")


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def ev(kind: str, role: str, when: dt.datetime, unit: str = UNIT, **kw: object) -> LifecycleEvent:
    return LifecycleEvent(unit=unit, period=P, kind=kind, role=role, at=when, **kw)  # type: ignore[arg-type]


CYCLE = [
    ev("SUBMITTED", "PPKBD", at(10), content_hash=H1),
    ev("RETURNED", "TIM_DP3AP2KB", at(11), reason="PUS tidak sama dengan PA + bukan peserta"),
    ev("SUBMITTED", "PPKBD", at(12), content_hash=H2),
    ev("VERIFIED", "BIDANG_KB", at(13), content_hash=H2),
    ev("FORWARDED", "TIM_DP3AP2KB", at(17)),
    ev("DISSEMINATED", "TIM_DP3AP2KB", dt.datetime(2026, 11, 17, 7, 30, tzinfo=dt.UTC)),
]


def test_a_new_store_is_empty_and_is_an_event_store(source: str) -> None:
    with open_event_store(source) as store:
        assert isinstance(store, EventStore)
        assert store.read() == ()
        assert store.read(period="2026-10") == ()


def test_the_whole_cycle_is_stored_and_read_back_in_order(source: str) -> None:
    with open_event_store(source) as store:
        states = [store.record(e, roles=ROLES) for e in CYCLE]
        assert [s.status.code for s in states] == [e.kind.code for e in CYCLE]
        assert states[-1] == replay(CYCLE, roles=ROLES)
        assert store.read() == tuple(CYCLE)
    with open_event_store(source) as again:  # a new process would see the same
        events = again.read()
    assert events == tuple(CYCLE)
    # the time keeps its offset (WIB stays +07:00, UTC stays +00:00)
    assert [e.at.utcoffset() for e in events] == [e.at.utcoffset() for e in CYCLE]


def test_reports_are_independent_and_read_filters_by_period(source: str) -> None:
    other_period = LifecycleEvent(unit=UNIT, period="2026-09", kind="SUBMITTED", role="PPKBD",
                                  at=at(1), content_hash=H1)  # fmt: skip
    with open_event_store(source) as store:
        store.record(CYCLE[0], roles=ROLES)
        store.record(ev("SUBMITTED", "PPKBD", at(10, 10), unit=OTHER, content_hash=H2), roles=ROLES)
        store.record(other_period, roles=ROLES)
        store.record(CYCLE[1], roles=ROLES)
        assert len(store.read()) == 4
        assert store.read(period="2026-09") == (other_period,)
        assert [e.unit for e in store.read(period=P)] == [UNIT, OTHER, UNIT]


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (ev("VERIFIED", "BIDANG_KB", at(10)), "a draft report accepts SUBMITTED"),
        (ev("SUBMITTED", "BIDANG_KB", at(10), content_hash=H1), "role BIDANG_KB may not record"),
        (ev("SUBMITTED", "PPKBD", at(10)), "must carry the report's content hash"),
    ],
)
def test_a_refused_event_stores_nothing(source: str, event: LifecycleEvent, message: str) -> None:
    with open_event_store(source) as store:
        with pytest.raises(LifecycleError, match=message):
            store.record(event, roles=ROLES)
        assert store.read() == ()


def test_the_state_machine_refuses_in_every_store(source: str) -> None:
    with open_event_store(source) as store:
        store.record(CYCLE[0], roles=ROLES)
        with pytest.raises(LifecycleError, match="accepts RETURNED, VERIFIED") as info:
            store.record(ev("SUBMITTED", "PPKBD", at(10, 11), content_hash=H2), roles=ROLES)
        assert (info.value.state, info.value.event) == ("SUBMITTED", "SUBMITTED")
        with pytest.raises(LifecycleError, match="needs a reason"):
            store.record(ev("RETURNED", "BIDANG_KB", at(10, 12), reason="  "), roles=ROLES)
        with pytest.raises(LifecycleError, match="before the previous event"):
            store.record(ev("VERIFIED", "BIDANG_KB", at(9)), roles=ROLES)
        with pytest.raises(LifecycleError, match="closed at"):
            store.record(
                ev("SUBMITTED", "PPKBD", at(10, 13), unit=OTHER, content_hash=H1),
                roles=ROLES,
                closes_at=at(10, 13),
            )
        assert store.read() == (CYCLE[0],)


def test_append_skips_the_role_check(source: str) -> None:
    e = ev("SUBMITTED", "CAMAT", at(10), content_hash=H1)
    with open_event_store(source) as store:
        store.append(e)
        assert store.read() == (e,)


def test_describe_names_the_store_without_a_password(source: str) -> None:
    with open_event_store(source) as store:
        shown = store.describe()
    url = postgres_url() or ""
    if source.startswith("postgresql") and "@" in url and ":" in url.split("@")[0][13:]:
        password = url.split("@")[0].rsplit(":", 1)[1]
        assert password not in shown
        assert ":***@" in shown
    assert shown.split("?")[0].rsplit("/", 1)[-1] == source.split("?")[0].rsplit("/", 1)[-1]


# --- the hypothesis state machine, against each store --------------------------------------------


def _machine_for(kind: str) -> type[LifecycleMachine]:
    class StoreMachine(LifecycleMachine):
        def __init__(self) -> None:
            super().__init__()
            self._source = fresh_source(kind, self.tmp)
            self.log = open_event_store(self._source.__enter__())  # type: ignore[assignment]

        def teardown(self) -> None:
            self.log.close()
            self._source.__exit__(None, None, None)
            super().teardown()

    StoreMachine.__name__ = f"LifecycleMachine_{kind}"
    return StoreMachine


_skip_pg = pytest.mark.skipif(
    postgres_url() is None and os.environ.get("CI", "").lower() not in ("1", "true", "yes"),
    reason=NO_POSTGRES,
)
TestLifecycleSqlite = _machine_for("sqlite").TestCase
TestLifecyclePostgresql = _skip_pg(_machine_for("postgresql").TestCase)
for _case in (TestLifecycleSqlite, TestLifecyclePostgresql):
    _case.settings = LifecycleMachine.TestCase.settings  # type: ignore[attr-defined]


# --- concurrency and crashes: real processes ------------------------------------------------------


def _run_workers(source: str, workers: int, events: int, seed: int) -> list[list[list[object]]]:
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "race", source, str(w), str(events), str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(workers)
    ]
    outcomes = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
        outcomes.append(json.loads(out))
    return outcomes


def _position_refuses(log: list[LifecycleEvent], start: int, e: LifecycleEvent, state: str) -> bool:
    """Some prefix of the report's stored log, at least ``start`` long, is in ``state`` and
    refuses ``e``: the refusal is one the state machine gives."""
    for k in range(start, len(log) + 1):
        s = replay(log[:k], roles=ROLES, unit=e.unit, period=e.period)
        if s.status.code != state:
            continue
        try:
            transition(s, e, roles=ROLES)
        except LifecycleError:
            return True
    return False


@pytest.mark.parametrize("kind", STORES)
def test_four_processes_record_at_once_nothing_lost_or_doubled(kind: str, tmp_path: Path) -> None:
    workers, per_worker = 4, 200
    with fresh_source(kind, tmp_path) as source:
        with open_event_store(source) as store:  # creates the schema before the race
            assert store.read() == ()
        outcomes = _run_workers(source, workers, per_worker, seed=12)
        with open_event_store(source) as store:
            stored = list(store.read())
    assert sum(len(o) for o in outcomes) == workers * per_worker
    accepted = [event_from_dict(e) for o in outcomes for verdict, e, _ in o if verdict == "stored"]
    refused = sum(verdict == "refused" for o in outcomes for verdict, _, _ in o)
    # every event the workers were told was stored is stored, once; nothing else is
    key = lambda e: (e.unit, e.period, e.kind, e.role, e.at, e.reason, e.content_hash)  # noqa: E731
    assert Counter(map(key, stored)) == Counter(map(key, accepted))
    assert len(stored) == len(accepted) == workers * per_worker - refused
    assert 0 < refused < workers * per_worker  # the race had both outcomes
    # the stored log is one the state machine allows, report by report ...
    logs: dict[tuple[str, Period], list[LifecycleEvent]] = {}
    for e in stored:
        logs.setdefault((e.unit, e.period), []).append(e)
    for log in logs.values():
        replay(log, roles=ROLES)
    # ... each stored event sits at the position its writer was told, and each refusal is what
    # the state machine says at a position the writer could have seen
    for o in outcomes:
        seen: dict[str, int] = {}
        for verdict, data, detail in o:
            e = event_from_dict(data)
            log = logs.get((e.unit, e.period), [])
            if verdict == "stored":
                assert isinstance(detail, int) and log[detail - 1] == e
                seen[e.unit] = detail
            else:
                assert _position_refuses(log, seen.get(e.unit, 0), e, str(detail)), (e, detail)
    assert len(logs) >= 10 and len(stored) > len(logs)  # many reports went past their first event


@pytest.mark.parametrize("kind", STORES)
def test_a_process_killed_mid_transaction_leaves_the_store_consistent(
    kind: str, tmp_path: Path
) -> None:
    with fresh_source(kind, tmp_path) as source:
        with open_event_store(source) as store:
            store.record(CYCLE[0], roles=ROLES)
        victim = subprocess.Popen(
            [sys.executable, str(WORKER), "crash", source, "0", "1", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert victim.stdout is not None
        line = victim.stdout.readline()
        assert line.strip() == "PAUSED", victim.stderr.read() if victim.stderr else line
        os.kill(
            victim.pid, signal.SIGKILL
        )  # inside record(): read, checked, (inserted,) not committed
        victim.wait(timeout=60)
        assert victim.returncode == -signal.SIGKILL
        with open_event_store(source) as store:
            assert store.read() == (CYCLE[0],)  # the killed transaction left nothing
            state = store.record(CYCLE[1], roles=ROLES)  # and no lock is left behind
            assert state.status.code == "RETURNED"
            assert store.read() == tuple(CYCLE[:2])


def test_model_covers_every_kind() -> None:
    assert {k for nxt in MODEL_NEXT.values() for k in nxt} == {k.code for k in EventKind}


# --- one contract: the same events give the same answers in every store ---------------------------


@st.composite
def attempts(draw: st.DrawFn) -> list[LifecycleEvent]:
    """Events of two reports, allowed or not, mostly in time order (sometimes from the past)."""
    out: list[LifecycleEvent] = []
    now = at(1)
    for _ in range(draw(st.integers(1, 14))):
        now += dt.timedelta(minutes=draw(st.integers(-120, 3 * 24 * 60)))
        kind = draw(st.sampled_from(["SUBMITTED", "SUBMITTED", *(k.code for k in EventKind)]))
        if draw(st.integers(0, 3)):  # mostly what a real actor would send, so reports move on
            role = draw(st.sampled_from(sorted(MODEL_ROLES[kind])))
            reason = "angka PA salah" if kind == "RETURNED" else None
            digest = draw(hashes()) if kind == "SUBMITTED" else None
        else:  # anything at all
            role = draw(st.sampled_from([*LANES, "CAMAT"]))
            reason = draw(st.none() | st.sampled_from(["", "angka PA salah"]))
            digest = draw(st.none() | hashes())
        unit = draw(st.sampled_from([UNIT, OTHER]))
        out.append(ev(kind, role, now, unit=unit, reason=reason, content_hash=digest))
    return out


def _outcome(store: EventStore, e: LifecycleEvent) -> object:
    try:
        return store.record(e, roles=ROLES)
    except LifecycleError as err:
        return ("refused", err.state, err.event, err.reason, err.reason_id)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=attempts())
def test_every_store_gives_the_same_answers(tmp_path: Path, events: list[LifecycleEvent]) -> None:
    kinds = ["jsonl", "sqlite"] + (["postgresql"] if postgres_url() else [])
    with contextlib.ExitStack() as stack:
        stores = [stack.enter_context(open_event_store(stack.enter_context(fresh_source(k, tmp_path))))
                  for k in kinds]  # fmt: skip
        for e in events:
            outcomes = [_outcome(s, e) for s in stores]
            assert all(o == outcomes[0] for o in outcomes), (e, outcomes)
        reads = [s.read() for s in stores]
    assert all(r == reads[0] for r in reads)
    event(f"stored {min(len(reads[0]), 4)}+ events")
