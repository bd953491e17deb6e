"""The rule engine: rules are data, running them returns findings and never raises.

A :class:`Rule` has an id, a severity, a bilingual title, message and hint (templates with
``{placeholders}``), the items it reads, tunable parameters, and a ``check`` function that yields
:class:`Hit` values (where, and the placeholders' values). :func:`run_rules` turns hits into
:class:`Finding` records, sorted deterministically; a rule whose check crashes becomes an ERROR
finding ``rule-crashed`` naming the rule, so one bad rule never hides the others.

A :class:`RuleSet` is what callers configure: change a rule's severity or parameters, switch it off,
add their own rules — without editing the package.

Example:
    >>> rule = Rule(
    ...     id="contoh-positif", severity=Severity.ERROR, subject="angka",
    ...     title=Text("Angka positif", "Positive number"),
    ...     message=Text("Angka {value} negatif", "Number {value} is negative"),
    ...     hint=Text("Isi angka nol atau lebih", "Enter zero or more"),
    ...     check=lambda xs, ctx: (Hit(Location(row=i + 2), value=x) for i, x in enumerate(xs) if x < 0),
    ... )
    >>> findings = run_rules(RuleSet([rule]), [3, -1], RuleContext())
    >>> [(f.rule_id, f.location.row, f.message.en) for f in findings]
    [('contoh-positif', 3, 'Number -1 is negative')]
    >>> run_rules(RuleSet([rule]).with_severity("contoh-positif", "WARNING"), [-2], RuleContext()).errors
    ()
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal

import attrs

from sikkb.errors import SikkbError
from sikkb.i18n import Text
from sikkb.periods import Period
from sikkb.regions import RegionTable

__all__ = [
    "Finding",
    "Findings",
    "Hit",
    "Location",
    "Rule",
    "RuleContext",
    "RuleSet",
    "Severity",
    "UnknownRuleError",
    "run_rules",
]


class UnknownRuleError(SikkbError, KeyError):
    """A rule id given to a :class:`RuleSet` is not in it.

    Attributes:
        rule_id: the id given.
        known: the ids the set has.
    """

    def __init__(self, rule_id: str, known: Iterable[str]) -> None:
        self.rule_id = rule_id
        self.known = tuple(sorted(known))
        super().__init__(f"no rule {rule_id!r} in this rule set (known: {', '.join(self.known)})")

    def __str__(self) -> str:
        return str(self.args[0])


class Severity(enum.Enum):
    """How bad a finding is. ERROR blocks a report; WARNING and INFO do not."""

    ERROR = "ERROR"
    WARNING = "WARNING"
    INFO = "INFO"

    @property
    def rank(self) -> int:
        return ("ERROR", "WARNING", "INFO").index(self.value)

    @property
    def label_id(self) -> str:
        return {"ERROR": "Galat", "WARNING": "Peringatan", "INFO": "Info"}[self.value]

    @property
    def label_en(self) -> str:
        return self.value.capitalize()

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).strip().upper())
        except ValueError:
            raise ValueError(f"severity must be ERROR, WARNING or INFO, not {value!r}") from None


@attrs.frozen(kw_only=True)
class Location:
    """Where a finding is: a cell of a register table, or an item of a report.

    Every part is optional; a finding fills in what it knows. ``value`` is the offending value as
    text, already masked when it is personal data.
    """

    source: str | None = None
    table: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    region: str | None = None
    period: Period | None = None
    item: str | None = None

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.source or "", self.table or "", self.row or 0, self.column or "",
            self.region or "", str(self.period or ""), self.item or "", self.value or "",
        )  # fmt: skip

    def describe(self, lang: str = "id") -> str:
        """``pus baris 12, kolom nik_istri`` / ``pus row 12, column nik_istri``."""
        words = {"row": ("baris", "row"), "column": ("kolom", "column"), "region": ("wilayah", "region"),
                 "item": ("butir", "item"), "period": ("periode", "period")}  # fmt: skip
        i = 1 if lang == "en" else 0
        parts = [p for p in (self.source, self.table) if p]
        for name in ("row", "column", "region", "period", "item"):
            v = getattr(self, name)
            if v is not None:
                parts.append(f"{words[name][i]} {v}")
        return ", ".join(parts)


@attrs.frozen(init=False)  # the __init__ below takes the placeholders as keywords
class Hit:
    """What a rule's check yields: a location and the values for the message placeholders.

    ``found`` and ``expected`` are optional short texts that tell what was seen and what should be.
    """

    location: Location
    params: Mapping[str, Any]
    found: str | None = None
    expected: str | None = None

    def __init__(
        self,
        location: Location,
        *,
        found: str | None = None,
        expected: str | None = None,
        **params: Any,
    ) -> None:
        self.__attrs_init__(location, dict(params), found, expected)


@attrs.frozen(kw_only=True)
class RuleContext:
    """What a check may consult besides its subject.

    Attributes:
        regions: the region table codes are checked against.
        params: the running rule's parameters (filled in by :func:`run_rules` from the rule set).
        extra: anything else a rule pack documents (for example a report's history).
    """

    regions: RegionTable | None = None
    params: Mapping[str, Any] = attrs.field(factory=dict)
    extra: Mapping[str, Any] = attrs.field(factory=dict)


def _severity(value: str | Severity) -> Severity:
    return Severity.parse(value)


def _str_tuple(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _rule_tuple(items: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(items)


def _text(value: Text | tuple[str, str]) -> Text:
    if isinstance(value, Text):
        return value
    if isinstance(value, tuple) and len(value) == 2:
        return Text(*value)
    raise TypeError(f"a rule's texts are Text or (id, en) pairs, not {value!r}")


@attrs.frozen(kw_only=True)
class Rule:
    """A validation rule, as data.

    ``title``, ``message`` and ``hint`` are :class:`~sikkb.i18n.Text` values; a pair of strings
    (Indonesian first, then English) is accepted too.

    Attributes:
        id: stable identifier, kebab-case (``nik-istri-perempuan``).
        severity: default severity.
        subject: what the rule checks (``"register"``, ``"report"``, ``"recap"``, ``"series"``, ...).
        title: one-line name for the rule catalogue.
        message: the finding's message template.
        hint: how to fix it.
        reads: the columns or report items the rule reads (``"pus.nik_istri"``).
        params: default values of the tunable parameters.
        check: ``(subject, context) -> Iterable[Hit]``.
    """

    id: str
    severity: Severity = attrs.field(converter=_severity)
    subject: str
    title: Text = attrs.field(converter=_text)
    message: Text = attrs.field(converter=_text)
    hint: Text = attrs.field(converter=_text)
    check: Callable[[Any, RuleContext], Iterable[Hit]] = attrs.field(eq=False, repr=False)
    reads: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    params: Mapping[str, Any] = attrs.field(factory=dict, eq=False)

    def finding(
        self,
        location: Location,
        /,
        *,
        found: str | None = None,
        expected: str | None = None,
        **params: Any,
    ) -> Finding:
        """This rule's finding at ``location``, its message and hint filled with ``params``."""
        return Finding(
            rule_id=self.id,
            severity=self.severity,
            location=location,
            message=self.message.format(**params),
            hint=self.hint.format(**params),
            found=found,
            expected=expected,
        )


@attrs.frozen(kw_only=True)
class Finding:
    """One problem found: which rule, how bad, where, what, and how to fix it."""

    rule_id: str
    severity: Severity
    location: Location
    message: Text
    hint: Text
    found: str | None = None
    expected: str | None = None

    def sort_key(self) -> tuple[Any, ...]:
        return (self.severity.rank, *self.location.sort_key(), self.rule_id, self.message.en)

    def describe(self, lang: str = "id") -> str:
        """One line for a terminal or a log: ``[ERROR] pus, baris 3, kolom nik_istri: ... (saran: ...)``."""
        sev = self.severity.value
        hint = ("hint" if lang == "en" else "saran") + ": " + self.hint.get(lang)
        return f"[{sev}] {self.location.describe(lang)}: {self.message.get(lang)} ({hint}) [{self.rule_id}]"


def _sorted_findings(items: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(items, key=Finding.sort_key))


def _str_frozenset(items: Iterable[str]) -> frozenset[str]:
    return frozenset(items)


@attrs.frozen
class Findings:
    """The findings of a rule run, sorted: errors first, then by location."""

    items: tuple[Finding, ...] = attrs.field(converter=_sorted_findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __add__(self, other: Findings) -> Findings:
        return Findings(self.items + other.items)

    def of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.items if f.severity is severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return self.of(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return self.of(Severity.WARNING)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.items)

    def by_rule(self, rule_id: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.items if f.rule_id == rule_id)

    def counts(self) -> Mapping[Severity, int]:
        c = Counter(f.severity for f in self.items)
        return {s: c.get(s, 0) for s in Severity}

    def error_rows(self) -> Mapping[str, frozenset[int]]:
        """Table → rows that carry at least one ERROR finding (what ``exclude_invalid`` leaves out)."""
        out: dict[str, set[int]] = {}
        for f in self.errors:
            if f.location.table and f.location.row is not None:
                out.setdefault(f.location.table, set()).add(f.location.row)
        return {k: frozenset(v) for k, v in out.items()}

    # -- notebooks -------------------------------------------------------------------------------

    def to_pandas(self, form: Literal["long", "wide"] = "long", **options: Any) -> Any:
        """This object as a pandas data frame (see :func:`sikkb.views.frames.to_pandas`)."""
        from sikkb.views.frames import to_pandas

        return to_pandas(self, form, **options)

    def to_polars(self, form: Literal["long", "wide"] = "long", **options: Any) -> Any:
        """This object as a polars data frame (see :func:`sikkb.views.frames.to_polars`)."""
        from sikkb.views.frames import to_polars

        return to_polars(self, form, **options)

    def _repr_html_(self) -> str:
        from sikkb.views.display import findings_html

        return findings_html(self)


_CRASH = Text(
    "Aturan {rule} gagal dijalankan ({error}); temuan lain tetap dilaporkan",
    "Rule {rule} failed to run ({error}); other findings are still reported",
)
_CRASH_HINT = Text(
    "Laporkan ke pengelola sikkb beserta data yang diperiksa",
    "Report this to the sikkb maintainers together with the data checked",
)


@attrs.frozen
class RuleSet:
    """An ordered set of rules with the caller's overrides.

    Every change returns a new set; unknown rule ids are refused with :class:`UnknownRuleError`.
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rule_tuple)
    disabled: frozenset[str] = attrs.field(default=frozenset(), converter=_str_frozenset)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for r in self.rules:
            if r.id in seen:
                raise ValueError(f"two rules share the id {r.id!r}")
            seen.add(r.id)

    def __iter__(self) -> Iterator[Rule]:
        return (r for r in self.rules if r.id not in self.disabled)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, rule_id: object) -> bool:
        return any(r.id == rule_id for r in self.rules)

    def get(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise UnknownRuleError(rule_id, (r.id for r in self.rules))

    def _replace(self, rule_id: str, **changes: Any) -> RuleSet:
        old = self.get(rule_id)
        return attrs.evolve(
            self, rules=[attrs.evolve(r, **changes) if r is old else r for r in self.rules]
        )

    def with_severity(self, rule_id: str, severity: Severity | str) -> RuleSet:
        return self._replace(rule_id, severity=Severity.parse(severity))

    def with_params(self, rule_id: str, **params: Any) -> RuleSet:
        """Change a rule's parameters; only names the rule declares are accepted."""
        old = self.get(rule_id)
        unknown = sorted(set(params) - set(old.params))
        if unknown:
            raise UnknownRuleError(
                f"{rule_id}:{','.join(unknown)}", (f"{rule_id}:{p}" for p in old.params)
            )
        return self._replace(rule_id, params={**old.params, **params})

    def without(self, *rule_ids: str) -> RuleSet:
        for rid in rule_ids:
            self.get(rid)
        return attrs.evolve(self, disabled=self.disabled | set(rule_ids))

    def enable(self, *rule_ids: str) -> RuleSet:
        for rid in rule_ids:
            self.get(rid)
        return attrs.evolve(self, disabled=self.disabled - set(rule_ids))

    def plus(self, *rules: Rule | Iterable[Rule]) -> RuleSet:
        """This set with more rules (the caller's own) appended."""
        extra: list[Rule] = []
        for r in rules:
            extra.extend([r] if isinstance(r, Rule) else r)
        return attrs.evolve(self, rules=self.rules + tuple(extra))

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        """Every rule, switched off or not (for the catalogue)."""
        return self.rules


def run_rules(
    rules: RuleSet | Iterable[Rule], subject: Any, context: RuleContext | None = None
) -> Findings:
    """Run every enabled rule on ``subject``; return the findings. Never raises for a rule's sake."""
    context = context or RuleContext()
    out: list[Finding] = []
    for rule in rules:
        ctx = attrs.evolve(context, params=dict(rule.params))
        try:
            for hit in rule.check(subject, ctx):
                out.append(
                    rule.finding(hit.location, found=hit.found, expected=hit.expected, **hit.params)
                )
        except Exception as e:  # a broken rule must not hide the others
            out.append(
                Finding(
                    rule_id="rule-crashed",
                    severity=Severity.ERROR,
                    location=Location(item=rule.id),
                    message=_CRASH.format(rule=rule.id, error=type(e).__name__),
                    hint=_CRASH_HINT,
                )
            )
    return Findings(out)
