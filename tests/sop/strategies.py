"""Hypothesis strategies for the SOP area: SOPs, calendars, periods, lifecycle events and logs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

import attrs
from hypothesis import strategies as st

from sikkb.periods import Period
from sikkb.sop import (
    SOP,
    Calendar,
    CycleRules,
    EventKind,
    LifecycleEvent,
    Step,
    content_hash,
    kota_tangerang_sop,
)

WIB = dt.timezone(dt.timedelta(hours=7))

#: The lifecycle as the tests understand it, written independently of the code under test.
MODEL_NEXT: dict[str, dict[str, str]] = {
    "DRAFT": {"SUBMITTED": "SUBMITTED"},
    "SUBMITTED": {"VERIFIED": "VERIFIED", "RETURNED": "RETURNED"},
    "RETURNED": {"SUBMITTED": "SUBMITTED"},
    "VERIFIED": {"FORWARDED": "FORWARDED"},
    "FORWARDED": {"DISSEMINATED": "DISSEMINATED"},
    "DISSEMINATED": {},
}
#: Who may record what in Kota Tangerang's SOP.
MODEL_ROLES: dict[str, set[str]] = {
    "SUBMITTED": {"PPKBD"},
    "RETURNED": {"TIM_DP3AP2KB", "BIDANG_KB"},
    "VERIFIED": {"TIM_DP3AP2KB", "BIDANG_KB"},
    "FORWARDED": {"TIM_DP3AP2KB", "BIDANG_KB"},
    "DISSEMINATED": {"TIM_DP3AP2KB", "BIDANG_KB"},
}
T = TypeVar("T")
LANES = ("WALIKOTA", "KECAMATAN", "BIDANG_KB", "BKKBN", "TIM_DP3AP2KB", "PPKBD")


def _or(given: st.SearchStrategy[T] | None, default: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    return default if given is None else given


def periods(*, years: st.SearchStrategy[int] | None = None) -> st.SearchStrategy[Period]:
    return st.builds(Period, _or(years, st.integers(2024, 2027)), st.integers(1, 12))


def dates(
    *, min_value: dt.date = dt.date(2024, 1, 1), max_value: dt.date = dt.date(2028, 12, 31)
) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=min_value, max_value=max_value)


def calendars(
    *,
    working: st.SearchStrategy[bool] | None = None,
    days_off: st.SearchStrategy[dt.date] | None = None,
) -> st.SearchStrategy[Calendar]:
    """Calendar- or working-day calendars with random cuti bersama and extra holidays."""
    return st.builds(
        lambda w, cuti, extra: Calendar(
            counting="WORKING" if w else "CALENDAR", cuti_bersama=cuti, extra_holidays=extra
        ),
        _or(working, st.booleans()),
        st.frozensets(_or(days_off, dates()), max_size=25),
        st.frozensets(_or(days_off, dates()), max_size=5),
    )


def cycle_rules(
    *,
    month_offsets: st.SearchStrategy[int] | None = None,
    anchor_days: st.SearchStrategy[int] | None = None,
) -> st.SearchStrategy[CycleRules]:
    return st.builds(
        lambda offset, day, timely, extra: CycleRules(
            anchor_month_offset=offset,
            anchor_day=day,
            timely_days=timely,
            expiry_days=None if extra is None else timely + extra,
        ),
        _or(month_offsets, st.integers(1, 2)),
        _or(anchor_days, st.integers(1, 31)),
        st.integers(0, 10),
        st.none() | st.integers(0, 30),
    )


@st.composite
def sops(
    draw: st.DrawFn,
    *,
    sizes: st.SearchStrategy[int] | None = None,
    durations: st.SearchStrategy[int] | None = None,
    cycles: st.SearchStrategy[CycleRules] | None = None,
) -> SOP:
    """Random SOPs: a random DAG of steps (numbered in a shuffled order, so dependencies may point
    to higher numbers) with durations, on Kota Tangerang's lanes and roles."""
    base = kota_tangerang_sop()
    n = draw(_or(sizes, st.integers(1, 7)))
    numbers = draw(st.permutations(list(range(1, n + 1))))
    # lifecycle ranks must not decrease along dependencies: draw them sorted by position
    kinds = sorted(
        draw(st.lists(st.sampled_from([0, 1, 2, 3]), min_size=n, max_size=n)),
    )
    order = [EventKind.SUBMITTED, EventKind.VERIFIED, EventKind.FORWARDED, EventKind.DISSEMINATED]
    steps = []
    for position in range(n):
        earlier = numbers[:position]
        deps = draw(st.lists(st.sampled_from(earlier), unique=True)) if earlier else []
        lane = draw(st.sampled_from(LANES))
        steps.append(
            Step(
                number=numbers[position],
                activity_id=f"Kegiatan {numbers[position]}",
                activity_en=f"Activity {numbers[position]}",
                lanes=(lane,),
                responsible=lane,
                duration_days=draw(_or(durations, st.integers(1, 20))),
                depends_on=tuple(deps),
                completed_by=order[kinds[position]],
            )
        )
    return attrs.evolve(base, steps=tuple(steps), cycle=draw(_or(cycles, cycle_rules())))


def hashes() -> st.SearchStrategy[str]:
    return st.binary(max_size=16).map(content_hash)


def timestamps(
    *, start: dt.datetime = dt.datetime(2026, 11, 1, tzinfo=WIB)
) -> st.SearchStrategy[dt.datetime]:
    offsets = st.sampled_from([dt.UTC, WIB, dt.timezone(dt.timedelta(hours=8))])
    return st.builds(
        lambda minutes, micro, tz: (
            start + dt.timedelta(minutes=minutes, microseconds=micro)
        ).astimezone(tz),
        st.integers(0, 60 * 24 * 60),
        st.integers(0, 999_999),
        offsets,
    )


def events(
    *,
    units: st.SearchStrategy[str] | None = None,
    months: st.SearchStrategy[Period] | None = None,
    kinds: st.SearchStrategy[EventKind] | None = None,
    roles: st.SearchStrategy[str] | None = None,
    reasons: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[LifecycleEvent]:
    """Single, well-formed events (not necessarily allowed in any particular state)."""
    return st.builds(
        LifecycleEvent,
        unit=_or(units, st.sampled_from(["36.71.07.1003", "3671011001", "36.71.13"])),
        period=_or(months, periods()),
        kind=_or(kinds, st.sampled_from(list(EventKind))),
        role=_or(roles, st.sampled_from(LANES)),
        at=timestamps(),
        reason=_or(reasons, st.none() | st.text(max_size=40)),
        content_hash=st.none() | hashes(),
    )


@st.composite
def report_logs(
    draw: st.DrawFn,
    *,
    unit: str,
    period: Period,
    start: dt.datetime,
    max_events: int = 8,
) -> list[LifecycleEvent]:
    """A valid event log of one report: a random walk through the lifecycle model, with
    increasing times starting at ``start`` (gaps of up to three days)."""
    state, at, log = "DRAFT", start, []
    for _ in range(draw(st.integers(0, max_events))):
        choices = sorted(MODEL_NEXT[state])
        if not choices:
            break
        kind = draw(st.sampled_from(choices))
        at = at + dt.timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
        log.append(
            LifecycleEvent(
                unit=unit,
                period=period,
                kind=kind,
                role=sorted(MODEL_ROLES[kind])[0],
                at=at,
                reason="angka PUS tidak cocok" if kind == "RETURNED" else None,
                content_hash=content_hash(len(log)) if kind == "SUBMITTED" else None,
            )
        )
        state = MODEL_NEXT[state][kind]
    return log


def interleave(logs: Sequence[Sequence[LifecycleEvent]]) -> list[LifecycleEvent]:
    """Merge several reports' logs by time (each keeps its own order)."""
    return sorted((e for log in logs for e in log), key=lambda e: e.at)
