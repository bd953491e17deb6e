"""An SOP as data: its metadata, lanes, steps with durations and dependencies, and cycle rules.

Kota Tangerang's SOP 050/391 C-SKIT ships as ``sikkb/data/sop_3671.toml``
(:func:`kota_tangerang_sop`); another Dinas writes its own file in the same format (``docs/sop.md``)
and loads it with :meth:`SOP.from_toml`. A definition that cannot work (a dependency cycle, an
unknown step or lane, a duration under one day, a missing or mistyped key) raises
:class:`~sikkb.errors.InvalidSOPError` naming the file, the step and the key.

Example:
    >>> sop = kota_tangerang_sop()
    >>> sop.number, sop.effective.isoformat(), len(sop.steps)
    ('050/391 C-SKIT', '2020-03-02', 6)
    >>> [(s.number, s.duration_days, s.depends_on) for s in sop.steps][3:]
    [(4, 1, (1, 2, 3)), (5, 1, (4,)), (6, 1, (4,))]
    >>> sop.lane(sop.step(5).responsible).label_id
    'Tim DP3AP2KB'
"""

from __future__ import annotations

import datetime as dt
import functools
import graphlib
import importlib.resources
import re
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

import attrs

from sikkb.errors import InvalidSOPError
from sikkb.periods import Period
from sikkb.sop.calendars import Calendar
from sikkb.sop.lifecycle import EventKind

__all__ = [
    "SOP",
    "Approver",
    "CycleRules",
    "EventRoles",
    "Lane",
    "LegalBasis",
    "Step",
    "kota_tangerang_sop",
]

#: The version of the SOP file format this module reads.
FORMAT = 1

_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")
# The order in which lifecycle events happen; a step may not depend on a step completed later.
_EVENT_RANK = {
    EventKind.SUBMITTED: 1,
    EventKind.VERIFIED: 2,
    EventKind.FORWARDED: 3,
    EventKind.DISSEMINATED: 4,
}


@attrs.frozen(kw_only=True)
class Lane:
    """An actor of the SOP's flowchart (a swim lane), e.g. ``PPKBD`` or ``TIM_DP3AP2KB``."""

    code: str
    label_id: str
    label_en: str

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id


@attrs.frozen(kw_only=True)
class LegalBasis:
    """One entry of the SOP's legal basis (DASAR HUKUM)."""

    reference: str  # "UU No. 52 Tahun 2009"
    provision: str = ""  # "Pasal 49"
    summary: str = ""


@attrs.frozen(kw_only=True)
class Approver:
    """Who signed the SOP (DISAHKAN OLEH)."""

    position: str
    name: str
    nip: str | None = None


@attrs.frozen(kw_only=True)
class CycleRules:
    """When a period's cycle starts, and the on-time and lock settings.

    Attributes:
        anchor_month_offset: the month the cycle starts in, counted from the reporting month
            (1 = the next month). At least 1, so no step can be due before the period ends.
        anchor_day: the day of that month the cycle starts (clamped to the month's length).
        timely_days: calendar days after a step's due date that still count as on time (DHIS2's
            *timely days*, but counted from the step's due date).
        expiry_days: calendar days after a step's due date after which the unit can no longer
            submit (DHIS2's *expiry days*); ``None`` = never locked. At least ``timely_days``.
    """

    anchor_month_offset: int = 1
    anchor_day: int = 1
    timely_days: int = 0
    expiry_days: int | None = None

    def anchor(self, period: Period) -> dt.date:
        """The first day of the cycle that reports on ``period`` (before rolling to a working day).

        >>> CycleRules().anchor(Period(2026, 12))
        datetime.date(2027, 1, 1)
        >>> CycleRules(anchor_day=31).anchor(Period(2026, 1))
        datetime.date(2026, 2, 28)
        """
        month = period + self.anchor_month_offset
        return dt.date(month.year, month.month, min(self.anchor_day, month.days))


def _tuple_of_ints(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(values)


def _tuple_of_strs(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _to_kind(value: EventKind | str) -> EventKind:
    return EventKind.parse(value, kind="completed_by")


@attrs.frozen(kw_only=True)
class Step:
    """One step (KEGIATAN) of the SOP with its baku mutu.

    Attributes:
        number: the step's number in the SOP (its identity).
        activity_id: the activity as the SOP writes it (Indonesian).
        activity_en: the activity in English.
        lanes: the lanes (actor codes) the step involves.
        responsible: the lane that must do it (reminders go there); one of ``lanes``.
        kelengkapan: what the step needs (forms, equipment).
        duration_days: how many days it may take (counted by the calendar); at least 1.
        output_id: its output (Indonesian).
        output_en: its output (English).
        depends_on: the steps that must be finished before it starts.
        completed_by: the lifecycle event that marks the step done for a unit.
        note_id: the SOP's remark (KETERANGAN), if any.
    """

    number: int
    activity_id: str
    activity_en: str
    lanes: tuple[str, ...] = attrs.field(converter=_tuple_of_strs)
    responsible: str
    kelengkapan: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_strs)
    duration_days: int
    output_id: str = ""
    output_en: str = ""
    depends_on: tuple[int, ...] = attrs.field(default=(), converter=_tuple_of_ints)
    completed_by: EventKind = attrs.field(converter=_to_kind)
    note_id: str | None = None

    @property
    def label_id(self) -> str:
        return self.activity_id

    @property
    def label_en(self) -> str:
        return self.activity_en


@attrs.frozen(kw_only=True)
class EventRoles:
    """The roles (lane codes) that may record one kind of lifecycle event."""

    kind: EventKind = attrs.field(converter=_to_kind)
    roles: tuple[str, ...] = attrs.field(converter=_tuple_of_strs)


@attrs.frozen(kw_only=True)
class SOP:
    """A standard operating procedure: metadata, lanes, steps and the rules of its monthly cycle.

    Build one with :meth:`from_toml` / :meth:`from_mapping` or :func:`kota_tangerang_sop`.
    Constructing (or ``attrs.evolve``-ing) an SOP checks it as a whole: unique step numbers,
    known dependencies and lanes, no dependency cycle, durations of at least one day.

    Attributes:
        source: where the definition came from (a file name); not part of equality.
    """

    number: str
    name_id: str
    name_en: str
    institution: str
    institution_short: str = ""
    region: str = ""
    created: dt.date | None = None
    revised: dt.date | None = None
    effective: dt.date | None = None
    approver: Approver | None = None
    legal_basis: tuple[LegalBasis, ...] = ()
    related_decrees: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    recording: tuple[str, ...] = ()
    utc_offset: str = "+07:00"
    cycle: CycleRules = attrs.field(factory=CycleRules)
    calendar: Calendar = attrs.field(factory=Calendar)
    lanes: tuple[Lane, ...]
    event_roles: tuple[EventRoles, ...]
    steps: tuple[Step, ...]
    source: str = attrs.field(default="<sop>", eq=False)

    def __attrs_post_init__(self) -> None:
        _check(self)

    @classmethod
    def from_toml(cls, text: str | bytes, *, source: str = "<string>") -> SOP:
        """Load an SOP from the text of a TOML file (format: ``docs/sop.md``).

        Args:
            text: the file's content.
            source: the file's name, used in error messages.

        Raises:
            InvalidSOPError: naming the source, and the step and key at fault.
        """
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InvalidSOPError(source, f"not valid TOML: {e}") from e
        return cls.from_mapping(data, source=source)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "<mapping>") -> SOP:
        """Load an SOP from the mapping a TOML file parses to (see :meth:`from_toml`)."""
        return _parse(data, source)

    @property
    def tzinfo(self) -> dt.tzinfo:
        """The time zone in which event times are dated (``utc_offset``)."""
        m = _OFFSET.match(self.utc_offset)
        assert m is not None  # checked at construction
        minutes = int(m[2]) * 60 + int(m[3])
        return dt.timezone(dt.timedelta(minutes=-minutes if m[1] == "-" else minutes))

    @property
    def roles(self) -> dict[EventKind, frozenset[str]]:
        """Which roles may record which event kind, for :func:`~sikkb.sop.lifecycle.transition`."""
        return {r.kind: frozenset(r.roles) for r in self.event_roles}

    @property
    def order(self) -> tuple[int, ...]:
        """The step numbers in an order where every step comes after its dependencies."""
        return _order(self.steps, self.source)

    @property
    def report_step(self) -> int | None:
        """The step whose completion means a unit's report came in.

        That is the last step completed by ``SUBMITTED`` (step 4 in Kota Tangerang's SOP), or
        ``None`` if no step is.
        """
        submitted = [n for n in self.order if self.step(n).completed_by is EventKind.SUBMITTED]
        return submitted[-1] if submitted else None

    def step(self, number: int) -> Step:
        """The step with this number.

        Raises:
            KeyError: if there is none.
        """
        for s in self.steps:
            if s.number == number:
                return s
        raise KeyError(f"{self.number} has no step {number}")

    def lane(self, code: str) -> Lane:
        """The lane with this code.

        Raises:
            KeyError: if there is none.
        """
        for lane in self.lanes:
            if lane.code == code:
                return lane
        raise KeyError(f"{self.number} has no lane {code!r}")

    def steps_completed_by(self, kind: EventKind) -> tuple[int, ...]:
        """The numbers of the steps the event ``kind`` completes, in step order."""
        return tuple(s.number for s in self.steps if s.completed_by is kind)

    def with_duration(self, number: int, days: int) -> SOP:
        """This SOP with step ``number`` lasting ``days`` days."""
        steps = tuple(
            attrs.evolve(s, duration_days=days) if s.number == number else s for s in self.steps
        )
        return attrs.evolve(self, steps=steps)

    def with_calendar(self, calendar: Calendar) -> SOP:
        """This SOP with another default calendar (e.g. working days with this year's cuti)."""
        return attrs.evolve(self, calendar=calendar)

    def with_cycle(self, cycle: CycleRules) -> SOP:
        """This SOP with other cycle rules (anchor, on-time and lock settings)."""
        return attrs.evolve(self, cycle=cycle)


@functools.lru_cache(maxsize=1)
def kota_tangerang_sop() -> SOP:
    """Kota Tangerang's SOP "Laporan Pengendalian Lapangan" (No. 050/391 C-SKIT), shipped as data."""
    resource = importlib.resources.files("sikkb.data").joinpath("sop_3671.toml")
    return SOP.from_toml(resource.read_text(encoding="utf-8"), source="sikkb/data/sop_3671.toml")


# --- checking ------------------------------------------------------------------------------------


def _order(steps: tuple[Step, ...], source: str) -> tuple[int, ...]:
    sorter: graphlib.TopologicalSorter[int] = graphlib.TopologicalSorter()
    for s in sorted(steps, key=lambda s: s.number):
        sorter.add(s.number, *s.depends_on)
    try:
        return tuple(sorter.static_order())
    except graphlib.CycleError as e:
        cycle = list(e.args[1])
        path = " → ".join(str(n) for n in reversed(cycle))
        raise InvalidSOPError(
            source,
            f"dependency cycle (each step waits for the next): {path}",
            step=min(cycle[:-1]),
            field="depends_on",
        ) from None


def _check(sop: SOP) -> None:
    src = sop.source

    def fail(reason: str, *, step: int | None = None, field: str | None = None) -> NoReturn:
        raise InvalidSOPError(src, reason, step=step, field=field)

    if not sop.steps:
        fail("the SOP has no steps", field="steps")
    if not _OFFSET.match(sop.utc_offset):
        fail(f"{sop.utc_offset!r} is not an offset such as '+07:00'", field="utc_offset")
    lanes = [lane.code for lane in sop.lanes]
    for code in lanes:
        if not _CODE.match(code):
            fail(f"lane code {code!r} must be upper case letters, digits and _", field="lanes")
    if len(set(lanes)) != len(lanes):
        fail(f"lane codes repeat: {', '.join(lanes)}", field="lanes")
    rules = sop.cycle
    if rules.anchor_month_offset < 1:
        fail(
            "the cycle must start after the reporting month (1 or more)",
            field="cycle.anchor_month_offset",
        )
    if not 1 <= rules.anchor_day <= 31:
        fail("the anchor day must be 1 to 31", field="cycle.anchor_day")
    if rules.timely_days < 0:
        fail("timely_days must not be negative", field="cycle.timely_days")
    if rules.expiry_days is not None and rules.expiry_days < rules.timely_days:
        fail(
            f"expiry_days ({rules.expiry_days}) must be at least timely_days "
            f"({rules.timely_days}): a step cannot lock before it stops being on time",
            field="cycle.expiry_days",
        )
    for entry in sop.event_roles:
        for role in entry.roles:
            if role not in lanes:
                fail(
                    f"{entry.kind.code}: unknown lane {role!r} (lanes: {', '.join(lanes)})",
                    field="lifecycle.roles",
                )
    numbers = [s.number for s in sop.steps]
    for s in sop.steps:
        if not isinstance(s.number, int) or isinstance(s.number, bool) or s.number < 1:
            fail(f"step number {s.number!r} must be a whole number from 1", field="number")
        if numbers.count(s.number) > 1:
            fail("two steps have this number", step=s.number, field="number")
        if s.duration_days < 1:
            fail(
                f"duration_days is {s.duration_days}; a step lasts at least 1 day",
                step=s.number,
                field="duration_days",
            )
        if not s.lanes:
            fail("a step needs at least one lane", step=s.number, field="lanes")
        for code in s.lanes:
            if code not in lanes:
                fail(
                    f"unknown lane {code!r} (lanes: {', '.join(lanes)})",
                    step=s.number,
                    field="lanes",
                )
        if s.responsible not in s.lanes:
            fail(
                f"the responsible lane {s.responsible!r} is not one of the step's lanes "
                f"({', '.join(s.lanes)})",
                step=s.number,
                field="responsible",
            )
        if s.completed_by not in _EVENT_RANK:
            fail(
                f"{s.completed_by.code} does not complete a step; use one of "
                f"{', '.join(k.code for k in _EVENT_RANK)}",
                step=s.number,
                field="completed_by",
            )
        for d in s.depends_on:
            if d == s.number:
                fail("a step cannot depend on itself", step=s.number, field="depends_on")
            if d not in numbers:
                fail(
                    f"unknown step {d} (steps: {', '.join(map(str, sorted(numbers)))})",
                    step=s.number,
                    field="depends_on",
                )
            before = sop.step(d).completed_by
            if _EVENT_RANK.get(before, 0) > _EVENT_RANK[s.completed_by]:
                fail(
                    f"depends on step {d}, completed by {before.code}, which comes after "
                    f"{s.completed_by.code} in the report's lifecycle",
                    step=s.number,
                    field="depends_on",
                )
    _order(sop.steps, src)


# --- parsing -------------------------------------------------------------------------------------


class _Table:
    """Reads one TOML table, naming the source, step and key in every error."""

    def __init__(self, data: object, source: str, where: str, *, step: int | None = None) -> None:
        self.source, self.where, self.step = source, where, step
        if not isinstance(data, Mapping):
            self.fail(f"expected a table, not {type(data).__name__}", None)
        self.data: Mapping[str, Any] = data
        self.used: set[str] = set()

    def fail(self, reason: str, key: str | None) -> NoReturn:
        field = ".".join(p for p in (self.where, key) if p) or None
        raise InvalidSOPError(self.source, reason, step=self.step, field=field)

    def get(self, key: str, types: type | tuple[type, ...], required: bool) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                self.fail("missing required key", key)
            return None
        value = self.data[key]
        if isinstance(value, bool) and bool not in (
            types if isinstance(types, tuple) else (types,)
        ):
            self.fail(f"expected {_type_names(types)}, not {value!r}", key)
        if not isinstance(value, types):
            self.fail(f"expected {_type_names(types)}, not {value!r}", key)
        return value

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.get(key, str, required)
        return default if value is None else str(value)

    def integer(self, key: str) -> int:
        return int(self.get(key, int, True))

    def optional_integer(self, key: str) -> int | None:
        value = self.get(key, int, False)
        return None if value is None else int(value)

    def count(self, key: str, default: int) -> int:
        value = self.optional_integer(key)
        return default if value is None else value

    def date(self, key: str) -> dt.date | None:
        value = self.get(key, dt.date, False)
        if isinstance(value, dt.datetime):
            self.fail(f"expected a date such as 2020-03-02, not {value!r}", key)
        return value if isinstance(value, dt.date) else None

    def items(self, key: str, kind: type, *, required: bool = True) -> tuple[Any, ...]:
        value = self.get(key, list, required)
        if value is None:
            return ()
        for i, item in enumerate(value):
            if not isinstance(item, kind) or isinstance(item, bool):
                self.fail(f"item {i + 1} should be {_type_names(kind)}, not {item!r}", key)
        return tuple(value)

    def table(self, key: str, *, required: bool = True) -> _Table | None:
        value = self.get(key, dict, required)
        if value is None:
            return None
        return _Table(
            value, self.source, ".".join(p for p in (self.where, key) if p), step=self.step
        )

    def tables(self, key: str) -> list[_Table]:
        value = self.get(key, list, True)
        where = ".".join(p for p in (self.where, key) if p)
        return [_Table(v, self.source, f"{where}[{i + 1}]") for i, v in enumerate(value)]

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            self.fail(f"unknown key(s): {', '.join(unknown)}", None)


def _type_names(types: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", list: "a list", dict: "a table", dt.date: "a date"}
    seq = types if isinstance(types, tuple) else (types,)
    return " or ".join(names.get(t, t.__name__) for t in seq)


def _parse(data: Mapping[str, Any], source: str) -> SOP:
    root = _Table(data, source, "")
    fmt = root.integer("format")
    if fmt != FORMAT:
        root.fail(f"format {fmt} is not supported (this sikkb reads format {FORMAT})", "format")
    meta = root.table("sop")
    assert meta is not None
    approver_table = meta.table("approver", required=False)
    approver = None
    if approver_table is not None:
        approver = Approver(
            position=approver_table.text("position"),
            name=approver_table.text("name"),
            nip=approver_table.text("nip", required=False) or None,
        )
        approver_table.finish()
    legal = []
    if "legal_basis" in meta.data:
        for t in meta.tables("legal_basis"):
            legal.append(
                LegalBasis(
                    reference=t.text("reference"),
                    provision=t.text("provision", required=False),
                    summary=t.text("summary", required=False),
                )
            )
            t.finish()
    else:
        meta.used.add("legal_basis")
    fields: dict[str, Any] = {
        "number": meta.text("number"),
        "name_id": meta.text("name_id"),
        "name_en": meta.text("name_en"),
        "institution": meta.text("institution"),
        "institution_short": meta.text("institution_short", required=False),
        "region": meta.text("region", required=False),
        "created": meta.date("created"),
        "revised": meta.date("revised"),
        "effective": meta.date("effective"),
        "utc_offset": meta.text("utc_offset", required=False, default="+07:00"),
        "related_decrees": meta.items("related_decrees", str, required=False),
        "equipment": meta.items("equipment", str, required=False),
        "warnings": meta.items("warnings", str, required=False),
        "recording": meta.items("recording", str, required=False),
        "approver": approver,
        "legal_basis": tuple(legal),
    }
    meta.finish()

    cycle = root.table("cycle", required=False)
    if cycle is not None:
        rules = CycleRules(
            anchor_month_offset=cycle.count("anchor_month_offset", 1),
            anchor_day=cycle.count("anchor_day", 1),
            timely_days=cycle.count("timely_days", 0),
            expiry_days=cycle.optional_integer("expiry_days"),
        )
        cycle.finish()
        fields["cycle"] = rules
    calendar = root.get("calendar", dict, False)
    if calendar is not None:
        fields["calendar"] = Calendar.from_mapping(calendar, source=source)

    lanes = []
    for t in root.tables("lanes"):
        lanes.append(
            Lane(code=t.text("code"), label_id=t.text("label_id"), label_en=t.text("label_en"))
        )
        t.finish()

    lifecycle = root.table("lifecycle")
    assert lifecycle is not None
    role_table = lifecycle.table("roles")
    assert role_table is not None
    event_roles = []
    for key in role_table.data:
        kind = EventKind.__members__.get(key)
        if kind is None:
            role_table.fail(f"unknown event kind; expected {', '.join(EventKind.codes())}", key)
        event_roles.append(EventRoles(kind=kind, roles=role_table.items(key, str)))
    role_table.finish()
    lifecycle.finish()

    steps = [_parse_step(t) for t in root.tables("steps")]
    root.finish()
    return SOP(
        lanes=tuple(lanes),
        event_roles=tuple(event_roles),
        steps=tuple(steps),
        source=source,
        **fields,
    )


def _parse_step(t: _Table) -> Step:
    number = t.integer("number")
    t.step, t.where = number, ""  # from here on, errors name the step by its number
    completed_by = t.text("completed_by")
    if completed_by not in EventKind.__members__:
        t.fail(
            f"unknown event kind {completed_by!r}; expected one of "
            f"{', '.join(k.code for k in _EVENT_RANK)}",
            "completed_by",
        )
    duration = t.integer("duration_days")
    step = Step(
        number=number,
        activity_id=t.text("activity_id"),
        activity_en=t.text("activity_en"),
        lanes=t.items("lanes", str),
        responsible=t.text("responsible"),
        kelengkapan=t.items("kelengkapan", str, required=False),
        duration_days=duration,
        output_id=t.text("output_id", required=False),
        output_en=t.text("output_en", required=False),
        depends_on=t.items("depends_on", int, required=False),
        completed_by=completed_by,
        note_id=t.text("note_id", required=False) or None,
    )
    t.finish()
    return step
