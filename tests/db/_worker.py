"""A separate process recording lifecycle events (run by tests/db/test_event_stores.py).

``race SOURCE WORKER N SEED``: record N events on a few shared reports as fast as possible and
print, as JSON, one ``[verdict, event, detail]`` per attempt: ``["stored", event, position]`` (the
position of the event in its report's log, from the returned state) or ``["refused", event,
state]`` (the state named by the LifecycleError).

``crash SOURCE 0 1 0``: record one VERIFIED of report 36.71.07.1003 and stop inside the
transaction, after the check (and, in a database, after the INSERT) but before the commit; print
``PAUSED`` and wait to be killed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from typing import Any

from sikkb.errors import LifecycleError
from sikkb.io.eventlog import event_to_dict
from sikkb.io.sources import open_event_store
from sikkb.sop import LifecycleEvent, content_hash, kota_tangerang_sop

ROLES = kota_tangerang_sop().roles
UNITS = [f"36.71.07.10{i:02d}" for i in range(1, 21)]  # 20 reports shared by every worker
KINDS = ["SUBMITTED", "RETURNED", "VERIFIED", "FORWARDED", "DISSEMINATED"]
WEIGHTS = [6, 4, 3, 2, 1]
RIGHT_ROLE = {"SUBMITTED": "PPKBD"}


def race(source: str, worker: int, n: int, seed: int) -> None:
    rng = random.Random(seed * 1000 + worker)
    out: list[list[Any]] = []
    with open_event_store(source) as store:
        for i in range(n):
            kind = rng.choices(KINDS, WEIGHTS)[0]
            role = RIGHT_ROLE.get(kind, rng.choice(["TIM_DP3AP2KB", "BIDANG_KB"]))
            if rng.random() < 0.03:
                role = "CAMAT"  # a role that may record nothing
            reason = f"w{worker}-{i}: angka PA salah" if kind == "RETURNED" else None
            if kind == "RETURNED" and rng.random() < 0.05:
                reason = None  # a return without a reason
            event = LifecycleEvent(
                unit=rng.choice(UNITS),
                period="2026-10",
                kind=kind,
                role=role,
                at=dt.datetime.now(dt.UTC),
                reason=reason,
                content_hash=content_hash(f"w{worker}-{i}") if kind == "SUBMITTED" else None,
            )
            try:
                state = store.record(event, roles=ROLES)
                out.append(["stored", event_to_dict(event), state.events])
            except LifecycleError as e:
                out.append(["refused", event_to_dict(event), e.state])
    json.dump(out, sys.stdout)


def _pause(*args: Any, **kwargs: Any) -> None:
    print("PAUSED", flush=True)
    time.sleep(600)


def crash(source: str) -> None:
    store = open_event_store(source)
    db = getattr(store, "db", None)
    if db is not None:  # a database: stop after the INSERT, before the COMMIT reaches the server
        import sqlalchemy as sa

        sa.event.listen(db.bind, "commit", _pause)
    else:  # the JSON Lines file: stop with the file locked, after reading and checking
        import sikkb.io.eventlog as eventlog

        real = eventlog.transition

        def checked_then_pause(*args: Any, **kwargs: Any) -> Any:
            state = real(*args, **kwargs)
            _pause()
            return state

        eventlog.transition = checked_then_pause  # type: ignore[assignment]
    tz = dt.timezone(dt.timedelta(hours=7))
    store.record(
        LifecycleEvent(unit="36.71.07.1003", period="2026-10", kind="VERIFIED",
                       role="BIDANG_KB", at=dt.datetime(2026, 11, 10, 15, tzinfo=tz)),
        roles=ROLES,
    )  # fmt: skip
    raise SystemExit("the pause was not reached")


if __name__ == "__main__":
    mode, src, w, count, s = sys.argv[1:6]
    if mode == "race":
        race(src, int(w), int(count), int(s))
    else:
        crash(src)
