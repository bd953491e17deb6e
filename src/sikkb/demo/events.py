"""The demo city's report lifecycle: :func:`~sikkb.demo.demo_events` (submissions, returns, verification)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sikkb.demo.generator import DEMO_LABEL, DEMO_SEED, _selected
from sikkb.periods import Period
from sikkb.regions import kota_tangerang

if TYPE_CHECKING:
    from sikkb.sop import SOP, LifecycleEvent

__all__ = ["demo_events"]


_RETURN_REASON = "DATA CONTOH: PA tidak sama dengan jumlah per metode; mohon diperiksa"


def demo_events(
    period: Period | str,
    *,
    seed: int = DEMO_SEED,
    kelurahan: Iterable[str] | None = None,
    sop: SOP | None = None,
) -> tuple[LifecycleEvent, ...]:
    """The demo city's report lifecycle events for one period (DATA CONTOH, synthetic).

    Each kelurahan's PPKBD submits its F/I/Dal report: most before the SOP's on-time cut-off, some
    after it, a few not at all. The Tim DP3AP2KB verifies most reports a few days later, returns
    about one in ten for correction (the PPKBD resubmits), and forwards and disseminates the
    verified ones after the SOP's due dates. Times are working hours in the SOP's time zone,
    drawn from the seed: no clock is read. Feed the events to
    :class:`sikkb.sop.ReportingCycle` for timeliness and reporting rates.

    Args:
        period: the reporting month.
        seed: same seed, same events.
        kelurahan: as for :func:`demo_city`.
        sop: the SOP whose schedule and roles to follow (default: Kota Tangerang's).

    Returns:
        The events, report by report (in time order within each report).
    """
    from sikkb.sop import EventKind, LifecycleEvent, content_hash, kota_tangerang_sop, schedule

    period = Period.parse(period) if isinstance(period, str) else period
    sop = kota_tangerang_sop() if sop is None else sop
    plan = schedule(sop, sop.calendar, period)
    by_kind: dict[EventKind, list[datetime.date]] = {}
    for step in plan.steps:
        by_kind.setdefault(step.completed_by, []).append(step.on_time_until)
    submit_by = max(by_kind.get(EventKind.SUBMITTED, [plan.due]))
    forward_on = max(by_kind.get(EventKind.FORWARDED, [plan.due]))
    tz = sop.tzinfo

    def role(kind: EventKind, preferred: str) -> str:
        allowed = sop.roles.get(kind, frozenset())
        return preferred if preferred in allowed or not allowed else sorted(allowed)[0]

    ppkbd = role(EventKind.SUBMITTED, "PPKBD")
    tim = {k: role(k, "TIM_DP3AP2KB") for k in EventKind if k is not EventKind.SUBMITTED}
    out: list[LifecycleEvent] = []
    for region, _ in _selected(kota_tangerang(), seed, kelurahan):
        rng = random.Random(f"sikkb-demo:{seed}:{region.code}:events:{period.iso}")
        # (kind, day, reason, content hash) of this report's events, in order
        steps: list[tuple[EventKind, datetime.date, str | None, str | None]] = []
        u = rng.random()
        if u < 0.05:  # not submitted
            continue
        if u < 0.87:
            day = submit_by - datetime.timedelta(days=rng.randint(0, 10))
        else:
            day = submit_by + datetime.timedelta(days=rng.randint(1, 6))
        day = max(day, period.last_day + datetime.timedelta(days=1))
        digest = content_hash(f"{DEMO_LABEL} {region.code} {period.iso} seed={seed}")
        steps.append((EventKind.SUBMITTED, day, None, digest))
        day += datetime.timedelta(days=rng.randint(1, 3))
        if rng.random() < 0.10:
            steps.append((EventKind.RETURNED, day, _RETURN_REASON, None))
            day += datetime.timedelta(days=rng.randint(1, 3))
            digest = content_hash(f"{DEMO_LABEL} {region.code} {period.iso} seed={seed} r2")
            steps.append((EventKind.SUBMITTED, day, None, digest))
            day += datetime.timedelta(days=rng.randint(1, 2))
        if rng.random() >= 0.08:  # else: not verified yet
            steps.append((EventKind.VERIFIED, day, None, digest))
            day = max(day, forward_on - datetime.timedelta(days=rng.randint(0, 1)))
            steps.append((EventKind.FORWARDED, day, None, None))
            day += datetime.timedelta(days=1 if rng.random() < 0.15 else 0)
            steps.append((EventKind.DISSEMINATED, day, None, None))
        last: datetime.datetime | None = None
        for kind, day, reason, sent in steps:
            when = datetime.datetime.combine(
                day, datetime.time(rng.randint(8, 15), rng.randrange(60)), tzinfo=tz
            )
            if last is not None and when <= last:  # same day: keep the order
                when = last + datetime.timedelta(minutes=rng.randint(5, 90))
            last = when
            out.append(
                LifecycleEvent(
                    unit=region.code,
                    period=period,
                    kind=kind,
                    role=ppkbd if kind is EventKind.SUBMITTED else tim[kind],
                    at=when,
                    reason=reason,
                    content_hash=sent,
                )
            )
    return tuple(out)
