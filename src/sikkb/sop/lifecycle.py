"""The report lifecycle: an append-only log of events, folded into the report's state.

One report = one unit (a kelurahan's PPKBD, identified by region code) and one period. Its life::

    DRAFT --SUBMITTED--> SUBMITTED --VERIFIED--> VERIFIED --FORWARDED--> FORWARDED --DISSEMINATED--> DISSEMINATED
                             |   ^
                     RETURNED|   |SUBMITTED (resubmission)
                             v   |
                           RETURNED

- ``SUBMITTED`` (PPKBD) carries the content hash of the report sent; a resubmission after a return
  is the same event kind.
- ``VERIFIED`` or ``RETURNED`` (Tim DP3AP2KB / Bidang KB); a return needs a reason. A verification
  may repeat the hash it verified, which must then be the hash submitted.
- ``FORWARDED`` to BKKBN (SOP step 5), then ``DISSEMINATED`` to Walikota, kecamatan, kelurahan and
  Bidang KB (step 6).

Which roles (SOP lanes) may record which event is data of the SOP (:attr:`SOP.roles
<sikkb.sop.definition.SOP.roles>`), passed to :func:`transition` and :func:`replay` as ``roles``.
An event that is not allowed raises :class:`~sikkb.errors.LifecycleError` naming the state and why.
Events of one report must come in time order.

Example:
    >>> import datetime as dt
    >>> wib = dt.timezone(dt.timedelta(hours=7))
    >>> roles = {EventKind.SUBMITTED: {"PPKBD"}, EventKind.VERIFIED: {"TIM_DP3AP2KB"}}
    >>> h = content_hash({"pus": 120, "pa": 90})
    >>> events = [
    ...     LifecycleEvent(unit="3671071003", period="2026-10", kind="SUBMITTED", role="PPKBD",
    ...                    at=dt.datetime(2026, 11, 9, 10, tzinfo=wib), content_hash=h),
    ...     LifecycleEvent(unit="36.71.07.1003", period="2026-10", kind="VERIFIED",
    ...                    role="TIM_DP3AP2KB", at=dt.datetime(2026, 11, 12, 9, tzinfo=wib)),
    ... ]
    >>> state = replay(events, roles=roles)
    >>> state.status.label_id, state.modified_since_verification(content_hash({"pus": 121, "pa": 90}))
    ('Terverifikasi', True)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import attrs

from sikkb.codes import CodeEnum
from sikkb.errors import InvalidRecordError, LifecycleError
from sikkb.periods import Period
from sikkb.regions import parse_region_code
from sikkb.sop._labels import with_labels

__all__ = [
    "EventKind",
    "LifecycleEvent",
    "ReportKey",
    "ReportState",
    "ReportStatus",
    "RoleTable",
    "content_hash",
    "replay",
    "replay_all",
    "transition",
]


@with_labels(
    {
        "DRAFT": ("Draf", "Draft"),
        "SUBMITTED": ("Dikirim", "Submitted"),
        "RETURNED": ("Dikembalikan untuk perbaikan", "Returned for correction"),
        "VERIFIED": ("Terverifikasi", "Verified"),
        "FORWARDED": ("Diteruskan ke BKKBN", "Forwarded to BKKBN"),
        "DISSEMINATED": (
            "Disampaikan ke Walikota, Kecamatan, Kelurahan dan Bidang KB",
            "Disseminated to the Mayor, kecamatan, kelurahan and Bidang KB",
        ),
    }
)
class ReportStatus(CodeEnum):
    """The state of one report (one unit, one period), in lifecycle order."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    VERIFIED = "VERIFIED"
    FORWARDED = "FORWARDED"
    DISSEMINATED = "DISSEMINATED"


@with_labels(
    {
        "SUBMITTED": ("Kirim laporan", "Submit the report"),
        "RETURNED": ("Kembalikan untuk perbaikan", "Return for correction"),
        "VERIFIED": ("Verifikasi", "Verify"),
        "FORWARDED": ("Teruskan ke BKKBN", "Forward to BKKBN"),
        "DISSEMINATED": ("Sampaikan hasil", "Disseminate"),
    }
)
class EventKind(CodeEnum):
    """What happened to a report; each kind moves the report to the state of the same name."""

    SUBMITTED = "SUBMITTED"
    RETURNED = "RETURNED"
    VERIFIED = "VERIFIED"
    FORWARDED = "FORWARDED"
    DISSEMINATED = "DISSEMINATED"

    @property
    def target(self) -> ReportStatus:
        """The state this event leads to."""
        return ReportStatus(self.value)


#: The allowed transitions: state → event kinds it accepts.
_ALLOWED: dict[ReportStatus, frozenset[EventKind]] = {
    ReportStatus.DRAFT: frozenset({EventKind.SUBMITTED}),
    ReportStatus.SUBMITTED: frozenset({EventKind.VERIFIED, EventKind.RETURNED}),
    ReportStatus.RETURNED: frozenset({EventKind.SUBMITTED}),
    ReportStatus.VERIFIED: frozenset({EventKind.FORWARDED}),
    ReportStatus.FORWARDED: frozenset({EventKind.DISSEMINATED}),
    ReportStatus.DISSEMINATED: frozenset(),
}

#: Which roles (SOP lane codes) may record which event kind.
RoleTable = Mapping[EventKind, Collection[str]]

_HASH = re.compile(r"^sha256:[0-9a-f]{64}$")
_ROLE = re.compile(r"^[A-Z][A-Z0-9_]*$")


def content_hash(content: bytes | str | Any) -> str:
    """The content hash of a report: ``"sha256:"`` + the SHA-256 of its canonical JSON.

    ``bytes`` and ``str`` are taken as the already serialised canonical JSON (a ``str`` is encoded
    as UTF-8); any other value must be JSON-ready (dicts with string keys, lists, tuples, strings,
    numbers, booleans, ``None``) and is serialised canonically first: keys sorted, no spaces,
    UTF-8, no NaN or infinity. So ``content_hash({"b": 1, "a": 2}) == content_hash('{"a":2,"b":1}')``.

    >>> content_hash({"b": 1, "a": 2}) == content_hash(b'{"a":2,"b":1}')
    True
    >>> content_hash(b"")[:15]
    'sha256:e3b0c442'
    """
    if isinstance(content, bytes):
        data = content
    elif isinstance(content, str):
        data = content.encode("utf-8")
    else:
        text = json.dumps(
            content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
        data = text.encode("utf-8")
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _to_period(value: Period | str) -> Period:
    return value if isinstance(value, Period) else Period.parse(value)


def _to_kind(value: EventKind | str) -> EventKind:
    return EventKind.parse(value, kind="event kind")


def _to_role(value: str) -> str:
    return value.strip().upper() if isinstance(value, str) else value


def _to_reason(value: str | None) -> str | None:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


@attrs.frozen(kw_only=True)
class LifecycleEvent:
    """One event of a report's life: who did what to which report, when.

    Attributes:
        unit: the reporting unit's region code, dotted (plain codes are accepted and converted).
        period: the reporting period (``"2026-10"`` is accepted).
        kind: what happened.
        role: the actor's role: an SOP lane code such as ``"PPKBD"`` (upper-cased).
        at: when, as a timezone-aware datetime.
        reason: why (mandatory for ``RETURNED``; optional otherwise).
        content_hash: the report's content hash (:func:`content_hash`); mandatory for ``SUBMITTED``.
    """

    unit: str = attrs.field(converter=parse_region_code)
    period: Period = attrs.field(converter=_to_period)
    kind: EventKind = attrs.field(converter=_to_kind)
    role: str = attrs.field(converter=_to_role)
    at: dt.datetime = attrs.field()
    reason: str | None = attrs.field(default=None, converter=_to_reason)
    content_hash: str | None = attrs.field(default=None)

    @role.validator
    def _check_role(self, attribute: attrs.Attribute[str], value: str) -> None:
        if not isinstance(value, str) or not _ROLE.match(value):
            raise InvalidRecordError(
                "LifecycleEvent", "role", value, "expected a lane code such as 'PPKBD'"
            )

    @at.validator
    def _check_at(self, attribute: attrs.Attribute[dt.datetime], value: dt.datetime) -> None:
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            raise InvalidRecordError(
                "LifecycleEvent", "at", value, "expected a timezone-aware datetime"
            )

    @reason.validator
    def _check_reason(self, attribute: attrs.Attribute[str | None], value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise InvalidRecordError("LifecycleEvent", "reason", value, "expected text or None")

    @content_hash.validator
    def _check_hash(self, attribute: attrs.Attribute[str | None], value: str | None) -> None:
        if value is not None and (not isinstance(value, str) or not _HASH.match(value)):
            raise InvalidRecordError(
                "LifecycleEvent", "content_hash", value, "expected 'sha256:' and 64 hex digits"
            )

    @property
    def key(self) -> ReportKey:
        """The report this event belongs to."""
        return ReportKey(unit=self.unit, period=self.period)

    def local_date(self, tz: dt.tzinfo) -> dt.date:
        """The date of :attr:`at` in the time zone ``tz`` (the Dinas's, for deadlines)."""
        return self.at.astimezone(tz).date()


@attrs.frozen(kw_only=True, order=True)
class ReportKey:
    """Identifies one report: a unit's region code and a period."""

    unit: str = attrs.field(converter=parse_region_code)
    period: Period = attrs.field(converter=_to_period)


@attrs.frozen(kw_only=True)
class ReportState:
    """The state of one report: the fold of its events (:func:`replay`).

    Attributes:
        unit: the unit's region code.
        period: the reporting period.
        status: the lifecycle state.
        events: how many events were folded.
        submissions: how many times the report was submitted (first submission and resubmissions).
        submitted_hash: the content hash of the latest submission.
        verified_hash: the content hash that was verified (``None`` until verified).
        return_reason: the reason of the latest return (``None`` if never returned).
        updated_at: the time of the latest event (``None`` for a draft with no events).
    """

    unit: str = attrs.field(converter=parse_region_code)
    period: Period = attrs.field(converter=_to_period)
    status: ReportStatus = ReportStatus.DRAFT
    events: int = 0
    submissions: int = 0
    submitted_hash: str | None = None
    verified_hash: str | None = None
    return_reason: str | None = None
    updated_at: dt.datetime | None = None

    @classmethod
    def draft(cls, unit: str, period: Period | str) -> ReportState:
        """The state of a report nothing has happened to yet."""
        return cls(unit=unit, period=_to_period(period))

    @property
    def key(self) -> ReportKey:
        return ReportKey(unit=self.unit, period=self.period)

    def allowed(self) -> frozenset[EventKind]:
        """The event kinds this state accepts (before any role or reason check)."""
        return _ALLOWED[self.status]

    def modified_since_verification(self, current_hash: str) -> bool:
        """Whether a report's current content differs from the content that was verified.

        Args:
            current_hash: the :func:`content_hash` of the report as it is now.

        Returns:
            ``True`` if the report was verified and ``current_hash`` differs from the hash recorded
            at verification; ``False`` if it is unchanged or was never verified.
        """
        return self.verified_hash is not None and current_hash != self.verified_hash


def _refuse(state: ReportState, event: LifecycleEvent, reason_en: str, reason_id: str) -> None:
    raise LifecycleError(
        state.status.code,
        event.kind.code,
        reason_en,
        reason_id=reason_id,
        unit=event.unit,
        period=str(event.period),
    )


def transition(
    state: ReportState,
    event: LifecycleEvent,
    *,
    roles: RoleTable,
    closes_at: dt.datetime | None = None,
) -> ReportState:
    """The state after ``event``, or :class:`~sikkb.errors.LifecycleError` if it is not allowed.

    Args:
        state: the report's current state.
        event: the event to apply; it must belong to the same report.
        roles: which roles may record which event kind (usually ``sop.roles``). A kind missing
            from the table may be recorded by no one.
        closes_at: when submissions close (the SOP's ``expiry_days``; see
            :attr:`ReportingCycle.submissions_close_at
            <sikkb.sop.timeliness.ReportingCycle.submissions_close_at>`): a ``SUBMITTED`` event at
            or after it is refused. ``None`` = never. Only new events are checked this way:
            :func:`replay` does not take it, so a log stays readable when the setting changes.

    Raises:
        LifecycleError: naming the state and why: the event belongs to another report, comes
            before the previous event, is not allowed in this state, comes from a role that may not
            record it, is a return without a reason, a submission without a content hash or
            after submissions closed, or a verification of content other than the content
            submitted.
    """
    if event.key != state.key:
        _refuse(
            state,
            event,
            f"the event belongs to report {event.unit} {event.period}, "
            f"not {state.unit} {state.period}",
            f"kejadian ini milik laporan {event.unit} {event.period}, "
            f"bukan {state.unit} {state.period}",
        )
    if state.updated_at is not None and event.at < state.updated_at:
        _refuse(
            state,
            event,
            f"the event is dated {event.at.isoformat()}, before the previous event "
            f"({state.updated_at.isoformat()})",
            f"kejadian bertanggal {event.at.isoformat()}, sebelum kejadian sebelumnya "
            f"({state.updated_at.isoformat()})",
        )
    allowed = _ALLOWED[state.status]
    if event.kind not in allowed:
        expected = ", ".join(sorted(k.code for k in allowed)) or "nothing (the cycle is complete)"
        expected_id = ", ".join(sorted(k.code for k in allowed)) or "tidak ada (siklus selesai)"
        _refuse(
            state,
            event,
            f"a {state.status.code.lower()} report accepts {expected}",
            f"laporan berstatus {state.status.label_id} hanya menerima {expected_id}",
        )
    permitted = roles.get(event.kind, ())
    if event.role not in permitted:
        who = ", ".join(sorted(permitted)) or "no role"
        _refuse(
            state,
            event,
            f"role {event.role} may not record {event.kind.code} (allowed: {who})",
            f"peran {event.role} tidak boleh mencatat {event.kind.code} (yang boleh: {who})",
        )
    if closes_at is not None and event.kind is EventKind.SUBMITTED and event.at >= closes_at:
        _refuse(
            state,
            event,
            f"submissions for {event.period} closed at {closes_at.isoformat()}",
            f"pengiriman laporan {event.period} sudah ditutup pada {closes_at.isoformat()}",
        )
    submitted_hash, verified_hash = state.submitted_hash, state.verified_hash
    return_reason, submissions = state.return_reason, state.submissions
    if event.kind is EventKind.SUBMITTED:
        if event.content_hash is None:
            _refuse(
                state,
                event,
                "a submission must carry the report's content hash",
                "pengiriman laporan harus menyertakan hash isi laporan",
            )
        submitted_hash, submissions = event.content_hash, submissions + 1
    elif event.kind is EventKind.RETURNED:
        if event.reason is None:
            _refuse(
                state,
                event,
                "a returned report needs a reason",
                "laporan yang dikembalikan harus disertai alasan",
            )
        return_reason = event.reason
    elif event.kind is EventKind.VERIFIED:
        if event.content_hash is not None and event.content_hash != submitted_hash:
            _refuse(
                state,
                event,
                "the verified content hash is not the hash of the submitted report",
                "hash isi yang diverifikasi tidak sama dengan hash laporan yang dikirim",
            )
        verified_hash = submitted_hash
    return attrs.evolve(
        state,
        status=event.kind.target,
        events=state.events + 1,
        submissions=submissions,
        submitted_hash=submitted_hash,
        verified_hash=verified_hash,
        return_reason=return_reason,
        updated_at=event.at,
    )


def replay(
    events: Iterable[LifecycleEvent],
    *,
    roles: RoleTable,
    unit: str | None = None,
    period: Period | str | None = None,
) -> ReportState:
    """Fold one report's events, in log order, into its state.

    Args:
        events: the report's events (all for the same unit and period).
        roles: as for :func:`transition`.
        unit: the report's unit; needed only when ``events`` may be empty.
        period: the report's period; needed only when ``events`` may be empty.

    Raises:
        LifecycleError: at the first event that is not allowed.
        ValueError: if ``events`` is empty and ``unit`` or ``period`` is not given.
    """
    state: ReportState | None = None
    if unit is not None and period is not None:
        state = ReportState.draft(unit, period)
    for event in events:
        if state is None:
            state = ReportState.draft(event.unit, event.period)
        state = transition(state, event, roles=roles)
    if state is None:
        raise ValueError("replay() of no events needs unit= and period=")
    return state


def replay_all(
    events: Iterable[LifecycleEvent], *, roles: RoleTable
) -> dict[ReportKey, ReportState]:
    """Fold a log holding many reports' events into each report's state, keyed by report.

    The events of each report keep their order in the log; reports do not affect each other.

    Raises:
        LifecycleError: at the first event that is not allowed in its report.
    """
    states: dict[ReportKey, ReportState] = {}
    for event in events:
        key = event.key
        state = states.get(key) or ReportState.draft(key.unit, key.period)
        states[key] = transition(state, event, roles=roles)
    return states
