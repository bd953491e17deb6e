"""One "as of" for a report set: coverage and timeliness counted once, for one stated date.

Every document of a report set (Rek.Kec, Rek.Kab, the Walikota's and the Camat's reports, the
kelurahan feedback) prints the same :class:`ReportingStatus`: the date it counts as of, and per
kelurahan, kecamatan and kota the reports expected, received, on time, late and missing. It is
computed once per run, from one of two sources:

- an event log (:meth:`ReportingStatus.from_cycle`): a report is *received* when the SOP's report
  step is done as of the date (on time or late);
- the reports themselves (:meth:`ReportingStatus.from_reports`), when no event log is given: a
  report is received when the run has it; on time and late are then unknown (``None``).

Example:
    >>> import datetime as dt
    >>> from sikkb.sop.asof import ReportingStatus
    >>> s = ReportingStatus.from_reports(["36.71.01.1001"], ["36.71.01.1001", "36.71.01.1002"],
    ...                                  as_of=dt.date(2026, 11, 20))
    >>> r = s.rate("36.71.01")
    >>> r.expected, r.actual, s.timed, s.received
    (2, 1, False, frozenset({'36.71.01.1001'}))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from sikkb.regions import Tingkat
from sikkb.sop.timeliness import ReportingCycle, ReportingRate, Timeliness, reporting_rates

__all__ = ["ReportingStatus"]


def _rates(value: Iterable[ReportingRate]) -> tuple[ReportingRate, ...]:
    return tuple(sorted(value, key=lambda r: (r.code.count("."), r.code)))


@attrs.frozen(kw_only=True)
class ReportingStatus:
    """Coverage and timeliness of one report set as of one date.

    Attributes:
        as_of: the date every figure is counted as of (printed on every document).
        source: ``"events"`` (from an event log) or ``"reports"`` (from the reports the run has).
        rates: one :class:`~sikkb.sop.timeliness.ReportingRate` per kelurahan (expected 1), per
            kecamatan and for the kota, kota last; for the ``"reports"`` source ``actual_on_time``
            is 0 and :attr:`timed` is false (on time is not known).
    """

    as_of: dt.date
    source: str
    rates: tuple[ReportingRate, ...] = attrs.field(converter=_rates)

    @property
    def timed(self) -> bool:
        """Whether on time and late are known (an event log was given)."""
        return self.source == "events"

    @property
    def received(self) -> frozenset[str]:
        """The kelurahan whose report counts as received."""
        return frozenset(r.code for r in self.rates if r.tingkat is Tingkat.KELURAHAN and r.actual)

    def rate(self, code: str) -> ReportingRate | None:
        """The figures of one unit (kelurahan, kecamatan or kota); ``None`` if none are expected."""
        for r in self.rates:
            if r.code == code:
                return r
        return None

    def children(self, code: str) -> tuple[ReportingRate, ...]:
        """The figures of the units directly under ``code``, in code order."""
        depth = code.count(".") + 1
        return tuple(
            r for r in self.rates if r.code.startswith(code + ".") and r.code.count(".") == depth
        )

    @classmethod
    def from_cycle(
        cls, cycle: ReportingCycle, as_of: dt.date, *, step: int | None = None
    ) -> ReportingStatus:
        """From an event log: the SOP's report step (or ``step``) of every expected kelurahan."""
        number = step if step is not None else cycle.sop.report_step
        if number is None:
            raise ValueError("the SOP has no step completed by SUBMITTED; name the step to count")
        statuses = [s for s in cycle.statuses(as_of) if s.step == number]
        own = [
            ReportingRate(
                code=s.unit,
                tingkat=Tingkat(s.unit.count(".") + 1),
                step=number,
                expected=1,
                actual=int(s.status.done),
                actual_on_time=int(s.status is Timeliness.ON_TIME),
                missing=int(s.status is Timeliness.MISSING),
            )
            for s in statuses
        ]
        return cls(
            as_of=as_of,
            source="events",
            rates=[*own, *reporting_rates(statuses, step=number)],
        )

    @classmethod
    def from_reports(
        cls, received: Iterable[str], expected: Iterable[str], *, as_of: dt.date
    ) -> ReportingStatus:
        """Without an event log: a kelurahan's report is received when the run has it.

        Args:
            received: kelurahan codes the run has a report of (register rows or a form).
            expected: every kelurahan expected to report.
            as_of: the date of the run.
        """
        got = set(received)
        counts: dict[str, list[int]] = {}
        own = []
        for code in sorted(set(expected)):
            has = int(code in got)
            own.append(
                ReportingRate(
                    code=code,
                    tingkat=Tingkat(code.count(".") + 1),
                    step=0,
                    expected=1,
                    actual=has,
                    actual_on_time=0,
                    missing=0,
                )
            )
            parts = code.split(".")
            for up in (".".join(parts[:3]), ".".join(parts[:2])):
                c = counts.setdefault(up, [0, 0])
                c[0] += 1
                c[1] += has
        up_rates = [
            ReportingRate(code=code, tingkat=Tingkat(code.count(".") + 1), step=0,
                          expected=e, actual=a, actual_on_time=0, missing=0)
            for code, (e, a) in counts.items()
        ]  # fmt: skip
        return cls(as_of=as_of, source="reports", rates=[*own, *up_rates])
