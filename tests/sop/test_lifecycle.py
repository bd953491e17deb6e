"""The report lifecycle: examples, content hashes, and a state machine beside a simple model."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from tests.sop.strategies import LANES, MODEL_NEXT, MODEL_ROLES, WIB, hashes, report_logs

from sikkb.errors import InvalidRecordError, LifecycleError
from sikkb.io.eventlog import EventLog
from sikkb.periods import Period
from sikkb.sop import (
    EventKind,
    LifecycleEvent,
    ReportKey,
    ReportState,
    ReportStatus,
    content_hash,
    kota_tangerang_sop,
    replay,
    replay_all,
    transition,
)

ROLES = kota_tangerang_sop().roles
UNIT = "36.71.07.1003"
P = Period(2026, 10)
H1 = content_hash({"pus": 120, "pa": 90})
H2 = content_hash({"pus": 121, "pa": 90})


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=WIB)


def ev(kind: str, role: str, when: dt.datetime, **kw: object) -> LifecycleEvent:
    return LifecycleEvent(unit=UNIT, period=P, kind=kind, role=role, at=when, **kw)  # type: ignore[arg-type]


def test_the_whole_cycle() -> None:
    log = [
        ev("SUBMITTED", "PPKBD", at(10), content_hash=H1),
        ev("RETURNED", "TIM_DP3AP2KB", at(11), reason="PUS tidak sama dengan PA + bukan peserta"),
        ev("SUBMITTED", "PPKBD", at(12), content_hash=H2),
        ev("VERIFIED", "BIDANG_KB", at(13), content_hash=H2),
        ev("FORWARDED", "TIM_DP3AP2KB", at(17)),
        ev("DISSEMINATED", "TIM_DP3AP2KB", at(17, 14)),
    ]
    state = replay(log, roles=ROLES)
    assert state == ReportState(
        unit=UNIT,
        period=P,
        status=ReportStatus.DISSEMINATED,
        events=6,
        submissions=2,
        submitted_hash=H2,
        verified_hash=H2,
        return_reason="PUS tidak sama dengan PA + bukan peserta",
        updated_at=at(17, 14),
    )
    assert state.allowed() == frozenset()
    assert not state.modified_since_verification(H2)
    assert state.modified_since_verification(H1)


def test_a_draft_accepts_only_a_submission() -> None:
    draft = ReportState.draft(UNIT, "2026-10")
    assert draft.status is ReportStatus.DRAFT
    assert draft.allowed() == {EventKind.SUBMITTED}
    with pytest.raises(LifecycleError) as info:
        transition(draft, ev("VERIFIED", "TIM_DP3AP2KB", at(10)), roles=ROLES)
    err = info.value
    assert (err.state, err.event, err.unit, err.period) == ("DRAFT", "VERIFIED", UNIT, "2026-10")
    assert "accepts SUBMITTED" in err.reason
    assert "Draf" in err.reason_id
    assert str(err) == (
        "cannot record VERIFIED for 36.71.07.1003 2026-10 in state DRAFT: "
        "a draft report accepts SUBMITTED"
    )


def test_a_return_needs_a_reason() -> None:
    submitted = transition(
        ReportState.draft(UNIT, P), ev("SUBMITTED", "PPKBD", at(10), content_hash=H1), roles=ROLES
    )
    for reason in (None, "", "   "):
        with pytest.raises(LifecycleError, match="needs a reason") as info:
            transition(submitted, ev("RETURNED", "BIDANG_KB", at(11), reason=reason), roles=ROLES)
        assert info.value.state == "SUBMITTED"
        assert info.value.reason_id == "laporan yang dikembalikan harus disertai alasan"


def test_roles_are_checked() -> None:
    draft = ReportState.draft(UNIT, P)
    with pytest.raises(LifecycleError, match="role TIM_DP3AP2KB may not record SUBMITTED"):
        transition(draft, ev("SUBMITTED", "TIM_DP3AP2KB", at(10), content_hash=H1), roles=ROLES)
    submitted = transition(draft, ev("SUBMITTED", "PPKBD", at(10), content_hash=H1), roles=ROLES)
    with pytest.raises(LifecycleError, match=r"allowed: BIDANG_KB, TIM_DP3AP2KB"):
        transition(submitted, ev("VERIFIED", "PPKBD", at(11)), roles=ROLES)
    with pytest.raises(LifecycleError, match="no role"):
        transition(submitted, ev("VERIFIED", "BIDANG_KB", at(11)), roles={})


def test_a_submission_needs_a_content_hash() -> None:
    with pytest.raises(LifecycleError, match="content hash"):
        transition(ReportState.draft(UNIT, P), ev("SUBMITTED", "PPKBD", at(10)), roles=ROLES)


def test_a_verification_must_be_of_the_submitted_content() -> None:
    submitted = replay([ev("SUBMITTED", "PPKBD", at(10), content_hash=H1)], roles=ROLES)
    with pytest.raises(LifecycleError, match="not the hash of the submitted report"):
        transition(submitted, ev("VERIFIED", "BIDANG_KB", at(11), content_hash=H2), roles=ROLES)
    verified = transition(submitted, ev("VERIFIED", "BIDANG_KB", at(11)), roles=ROLES)
    assert verified.verified_hash == H1  # no hash given: the submitted one is verified


def test_events_must_come_in_time_order() -> None:
    submitted = replay([ev("SUBMITTED", "PPKBD", at(10), content_hash=H1)], roles=ROLES)
    with pytest.raises(LifecycleError, match="before the previous event"):
        transition(submitted, ev("VERIFIED", "BIDANG_KB", at(9)), roles=ROLES)
    # the same instant written in another time zone is not earlier
    same = at(10).astimezone(dt.UTC)
    assert transition(submitted, ev("VERIFIED", "BIDANG_KB", same), roles=ROLES).status.code == (
        "VERIFIED"
    )


def test_an_event_of_another_report_is_refused() -> None:
    other = LifecycleEvent(unit="36.71.07.1004", period=P, kind="SUBMITTED", role="PPKBD",
                           at=at(10), content_hash=H1)  # fmt: skip
    with pytest.raises(LifecycleError, match=r"belongs to report 36\.71\.07\.1004 2026-10"):
        transition(ReportState.draft(UNIT, P), other, roles=ROLES)
    with pytest.raises(LifecycleError, match="belongs to report"):
        transition(ReportState.draft(UNIT, "2026-09"), ev("SUBMITTED", "PPKBD", at(10),
                                                          content_hash=H1), roles=ROLES)  # fmt: skip


def test_submissions_close() -> None:
    closes = dt.datetime(2026, 11, 22, tzinfo=WIB)
    draft = ReportState.draft(UNIT, P)
    late = ev("SUBMITTED", "PPKBD", closes, content_hash=H1)
    with pytest.raises(LifecycleError, match="closed at 2026-11-22T00:00:00\\+07:00"):
        transition(draft, late, roles=ROLES, closes_at=closes)
    just_in_time = ev("SUBMITTED", "PPKBD", closes - dt.timedelta(seconds=1), content_hash=H1)
    state = transition(draft, just_in_time, roles=ROLES, closes_at=closes)
    # the lock closes data entry only: verification after it is fine
    assert transition(state, ev("VERIFIED", "BIDANG_KB", at(25)), roles=ROLES, closes_at=closes)


def test_replay_of_nothing() -> None:
    assert replay([], roles=ROLES, unit="3671071003", period="2026-10") == ReportState.draft(
        UNIT, P
    )
    with pytest.raises(ValueError, match="needs unit= and period="):
        replay([], roles=ROLES)


def test_replay_all_keeps_reports_apart() -> None:
    other = "36.71.01.1001"
    log = [
        ev("SUBMITTED", "PPKBD", at(10), content_hash=H1),
        LifecycleEvent(unit=other, period=P, kind="SUBMITTED", role="PPKBD", at=at(11),
                       content_hash=H2),
        ev("VERIFIED", "BIDANG_KB", at(12)),
    ]  # fmt: skip
    states = replay_all(log, roles=ROLES)
    assert {k.unit: s.status.code for k, s in states.items()} == {
        UNIT: "VERIFIED",
        other: "SUBMITTED",
    }
    assert states[ReportKey(unit=other, period="2026-10")].submitted_hash == H2


def test_event_records_refuse_bad_values() -> None:
    with pytest.raises(InvalidRecordError, match="timezone-aware"):
        ev("SUBMITTED", "PPKBD", dt.datetime(2026, 11, 10, 9))
    with pytest.raises(InvalidRecordError, match="sha256"):
        ev("SUBMITTED", "PPKBD", at(10), content_hash="abc")
    with pytest.raises(InvalidRecordError, match="lane code"):
        ev("SUBMITTED", "ppkbd desa", at(10))
    with pytest.raises(ValueError, match="event kind"):
        ev("SENT", "PPKBD", at(10))
    e = LifecycleEvent(unit="3671071003", period="Oktober 2026", kind="submitted", role=" ppkbd ",
                       at=at(10), reason="  ")  # fmt: skip
    assert (e.unit, e.period, e.kind, e.role, e.reason) == (
        UNIT, P, EventKind.SUBMITTED, "PPKBD", None,
    )  # fmt: skip
    assert e.local_date(dt.timezone(dt.timedelta(hours=-5))) == dt.date(2026, 11, 9)


def test_content_hash_is_sha256_of_canonical_json() -> None:
    assert content_hash(b"") == "sha256:" + hashlib.sha256(b"").hexdigest()
    assert content_hash({"b": [1, 2.5], "a": "é"}) == (
        "sha256:" + hashlib.sha256('{"a":"é","b":[1,2.5]}'.encode()).hexdigest()
    )
    assert content_hash({"b": 1, "a": 2}) == content_hash({"a": 2, "b": 1})
    assert content_hash('{"a":2,"b":1}') == content_hash({"a": 2, "b": 1})
    assert content_hash((1, 2)) == content_hash([1, 2])
    assert content_hash({"pus": 120}) != content_hash({"pus": 121})
    with pytest.raises(ValueError, match="Out of range float"):
        content_hash({"x": float("nan")})


def test_labels_are_bilingual() -> None:
    assert ReportStatus.RETURNED.label_id == "Dikembalikan untuk perbaikan"
    assert ReportStatus.RETURNED.label("en") == "Returned for correction"
    assert EventKind.FORWARDED.label_id == "Teruskan ke BKKBN"
    assert all(s.label_id and s.label_en and s.label_id != s.code for s in ReportStatus)


@settings(max_examples=40)
@given(data=st.data())
def test_generated_valid_logs_replay(data: st.DataObject) -> None:
    log = data.draw(report_logs(unit=UNIT, period=P, start=at(1)))
    state = replay(log, roles=ROLES, unit=UNIT, period=P)
    assert state.events == len(log)
    assert state.submissions == sum(e.kind is EventKind.SUBMITTED for e in log)
    # every prefix is a valid log too, and folding it step by step gives the same states
    s = ReportState.draft(UNIT, P)
    for i, e in enumerate(log):
        s = transition(s, e, roles=ROLES)
        assert s == replay(log[: i + 1], roles=ROLES)


class LifecycleMachine(RuleBasedStateMachine):
    """Drives one report with arbitrary events beside a plain model of the lifecycle; every
    allowed event is also recorded in a JSON Lines log that must read back the same."""

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="sikkb-lifecycle-"))
        self.log = EventLog(self.tmp / "events.jsonl")
        self.events: list[LifecycleEvent] = []
        self.state = ReportState.draft(UNIT, P)
        self.now = at(1)
        # the model
        self.status = "DRAFT"
        self.submitted: str | None = None
        self.verified: str | None = None

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    @initialize()
    def start(self) -> None:
        assert self.log.read() == ()

    def model_allows(self, kind: str, role: str, reason: str | None, digest: str | None) -> bool:
        if kind not in MODEL_NEXT[self.status] or role not in MODEL_ROLES[kind]:
            return False
        if kind == "RETURNED" and not (reason and reason.strip()):
            return False
        if kind == "SUBMITTED" and digest is None:
            return False
        return not (kind == "VERIFIED" and digest is not None and digest != self.submitted)

    @rule(
        kind=st.sampled_from([k.code for k in EventKind]),
        role=st.sampled_from([*LANES, "CAMAT"]),
        reason=st.none() | st.sampled_from(["", " ", "angka PA salah", "formulir belum lengkap"]),
        digest=st.none() | hashes(),
        minutes=st.integers(0, 3 * 24 * 60),
        record=st.booleans(),
    )
    def event(
        self,
        kind: str,
        role: str,
        reason: str | None,
        digest: str | None,
        minutes: int,
        record: bool,
    ) -> None:
        when = self.now + dt.timedelta(minutes=minutes)
        e = ev(kind, role, when, reason=reason, content_hash=digest)
        if not self.model_allows(kind, role, reason, digest):
            attempt = self.log.record if record else functools.partial(transition, self.state)
            with pytest.raises(LifecycleError) as info:
                attempt(e, roles=ROLES)
            assert info.value.state == self.status
            assert info.value.event == kind
            return
        new = self.log.record(e, roles=ROLES) if record else transition(self.state, e, roles=ROLES)
        if not record:
            self.log.append(e)
        assert new == transition(self.state, e, roles=ROLES)
        self.state, self.now = new, when
        self.events.append(e)
        # the model
        self.status = MODEL_NEXT[self.status][kind]
        if kind == "SUBMITTED":
            self.submitted = digest
        if kind == "VERIFIED":
            self.verified = self.submitted

    @precondition(lambda self: MODEL_NEXT[self.status])
    @rule(data=st.data(), minutes=st.integers(0, 3 * 24 * 60), record=st.booleans())
    def allowed_event(self, data: st.DataObject, minutes: int, record: bool) -> None:
        """An event the model allows (so that the machine reaches every state)."""
        kind = data.draw(st.sampled_from(sorted(MODEL_NEXT[self.status])))
        role = data.draw(st.sampled_from(sorted(MODEL_ROLES[kind])))
        digest = data.draw(hashes()) if kind == "SUBMITTED" else None
        if kind == "VERIFIED":
            digest = data.draw(st.sampled_from([None, self.submitted]))
        reason = "angka PA salah" if kind == "RETURNED" else None
        self.event(kind, role, reason, digest, minutes, record)

    @precondition(lambda self: self.events)
    @rule(minutes=st.integers(1, 600))
    def event_from_the_past(self, minutes: int) -> None:
        kinds = sorted(MODEL_NEXT[self.status])
        if not kinds:
            return
        kind = kinds[0]
        earlier = self.now - dt.timedelta(minutes=minutes)
        e = ev(kind, sorted(MODEL_ROLES[kind])[0], earlier, reason="x", content_hash=H1)
        with pytest.raises(LifecycleError, match="before the previous event"):
            transition(self.state, e, roles=ROLES)

    @rule(digest=hashes())
    def check_modified_since_verification(self, digest: str) -> None:
        expected = self.verified is not None and digest != self.verified
        assert self.state.modified_since_verification(digest) is expected
        if self.verified is not None:
            assert not self.state.modified_since_verification(self.verified)

    @invariant()
    def state_equals_model(self) -> None:
        assert self.state.status.code == self.status
        assert self.state.submitted_hash == self.submitted
        assert self.state.verified_hash == self.verified
        assert self.state.allowed() == {EventKind(k) for k in MODEL_NEXT[self.status]}

    @invariant()
    def log_replays_to_the_same_state(self) -> None:
        assert replay(self.events, roles=ROLES, unit=UNIT, period=P) == self.state

    @invariant()
    def file_round_trips(self) -> None:
        assert self.log.read() == tuple(self.events)


LifecycleMachine.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None
)
TestLifecycle = LifecycleMachine.TestCase
