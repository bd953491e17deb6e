"""The one rule that decides, from a run's findings, whether reports may be written.

``sikkb validate``, ``sikkb report`` and :func:`sikkb.pipeline.build_month` all decide through
:func:`decide`, whatever engine read the register or computed the findings:

- no ERROR finding: the reports are written, exit code 0;
- an ERROR finding and the caller did not ask to leave rows out: nothing is written, exit code 1;
- the caller asked to leave rows with errors out (``exclude_invalid``): if every ERROR finding names
  a row, those rows are left out, the reports are written and each states how many rows of which
  table were left out and why (:class:`Exclusion`), exit code 0; if an ERROR finding names no row
  (a missing table or required column, a table over the row limit, a broken CSV file, an empty
  register) there is nothing honest to report: nothing is written, exit code 1.

Example:
    >>> from sikkb.outcome import decide
    >>> from sikkb.rules.engine import Finding, Findings, Location, Severity
    >>> from sikkb.i18n import Text
    >>> def error(rule, table, row):
    ...     return Finding(rule_id=rule, severity=Severity.ERROR, message=Text("x", "x"),
    ...                    hint=Text("", ""), location=Location(table=table, row=row))
    >>> found = Findings((error("baca-tanggal", "pus", 3), error("baca-tanggal", "pus", 4)))
    >>> decide(found, exclude_invalid=False).exit_code
    1
    >>> o = decide(found, exclude_invalid=True)
    >>> o.exit_code, o.may_write, o.excluded[0].table, o.excluded[0].rows, o.excluded[0].reasons
    (0, True, 'pus', 2, (('baca-tanggal', 2),))
    >>> decide(found + Findings((error("baca-kolom-wajib-hilang", "pus", None),)),
    ...        exclude_invalid=True).may_write
    False
    >>> decide(Findings(()), exclude_invalid=False, has_data=False).blocking[0].rule_id
    'register-kosong'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from sikkb.i18n import Text
from sikkb.register import TABLES
from sikkb.rules.engine import Finding, Findings, Location, Severity

__all__ = [
    "EXIT_ERRORS",
    "EXIT_OK",
    "FORMS",
    "Exclusion",
    "Outcome",
    "combine",
    "decide",
    "decide_any",
    "decide_counted",
    "empty_register_finding",
    "forms_left_out",
    "with_blocking",
]

#: The :attr:`Exclusion.table` of F/I/Dal forms left out whole (``rows`` counts forms).
FORMS = "formulir"

EXIT_OK = 0
EXIT_ERRORS = 1


def _pairs(value: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple((str(k), int(n)) for k, n in value)


@attrs.frozen(kw_only=True)
class Exclusion:
    """Rows of one register table left out of the reports because they carry ERROR findings.

    Attributes:
        table: the register table (``"pus"``).
        rows: how many rows were left out.
        reasons: ``(rule id, rows)`` pairs, most rows first: why they were left out (a row with
            several errors counts under each of its rules).
    """

    table: str
    rows: int
    reasons: tuple[tuple[str, int], ...] = attrs.field(converter=_pairs, default=())

    def describe(self, lang: str = "id") -> str:
        """``pus: 2 baris (baca-tanggal 1, pus-tanpa-keluarga 1)``."""
        word = "rows" if lang == "en" else "baris"
        why = ", ".join(f"{rule} {n}" for rule, n in self.reasons)
        return f"{self.table}: {self.rows} {word}" + (f" ({why})" if why else "")


def _exclusions(value: Iterable[Exclusion]) -> tuple[Exclusion, ...]:
    return tuple(value)


def forms_left_out(per_form: Iterable[Findings]) -> tuple[Exclusion, ...]:
    """The :class:`Exclusion` of F/I/Dal forms left out whole, one :class:`Findings` per form.

    >>> from sikkb.outcome import forms_left_out
    >>> forms_left_out([])
    ()
    """
    forms = list(per_form)
    if not forms:
        return ()
    reasons: Counter[str] = Counter()
    for found in forms:
        reasons.update({f.rule_id for f in found.errors})
    ordered = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    return (Exclusion(table=FORMS, rows=len(forms), reasons=ordered),)


def combine(*groups: Iterable[Exclusion]) -> tuple[Exclusion, ...]:
    """Exclusions of several sources, one per table (rows and reasons added up), in table order."""
    rows: Counter[str] = Counter()
    reasons: dict[str, Counter[str]] = {}
    for group in groups:
        for e in group:
            rows[e.table] += e.rows
            reasons.setdefault(e.table, Counter()).update(dict(e.reasons))
    order = [t for t in (*TABLES, FORMS) if t in rows] + sorted(
        t for t in rows if t not in (*TABLES, FORMS)
    )
    return tuple(
        Exclusion(
            table=t,
            rows=rows[t],
            reasons=sorted(reasons[t].items(), key=lambda kv: (-kv[1], kv[0])),
        )
        for t in order
    )


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Outcome:
    """What a run may do with its findings (see the module docstring for the rule).

    Attributes:
        exit_code: 0 when reports may be written, 1 when they may not.
        may_write: reports may be written.
        exclude_invalid: the caller asked to leave rows with errors out.
        blocking: the ERROR findings that stop the run even with ``exclude_invalid`` (they name no
            row), plus the ``register-kosong`` finding of an empty register.
        excluded: per table, the rows left out and why (empty unless rows are left out).
    """

    exit_code: int
    may_write: bool
    exclude_invalid: bool
    blocking: tuple[Finding, ...] = attrs.field(converter=_findings, default=())
    excluded: tuple[Exclusion, ...] = attrs.field(converter=_exclusions, default=())

    @property
    def rows_excluded(self) -> Mapping[str, int]:
        """Table → rows left out."""
        return {e.table: e.rows for e in self.excluded}


def empty_register_finding(source: str = "register") -> Finding:
    """The ERROR finding of a run given no data rows at all (an empty register is not valid)."""
    return Finding(
        rule_id="register-kosong",
        severity=Severity.ERROR,
        location=Location(source=source),
        message=Text(
            "Register tidak berisi satu baris data pun; tidak ada yang dapat dilaporkan",
            "The register holds no data rows; there is nothing to report",
        ),
        hint=Text(
            "Berikan register yang terisi (berkas .xlsx atau folder CSV) atau formulir F/I/Dal",
            "Give a filled register (an .xlsx workbook or a CSV folder) or an F/I/Dal form",
        ),
    )


def _excluded(errors: Iterable[Finding]) -> tuple[Exclusion, ...]:
    rows: dict[str, set[int]] = {}
    why: dict[str, dict[str, set[int]]] = {}
    for f in errors:
        table, row = f.location.table, f.location.row
        if table is None or row is None:
            continue
        rows.setdefault(table, set()).add(row)
        why.setdefault(table, {}).setdefault(f.rule_id, set()).add(row)
    order = [t for t in TABLES if t in rows] + sorted(t for t in rows if t not in TABLES)
    return tuple(
        Exclusion(
            table=t,
            rows=len(rows[t]),
            reasons=sorted(
                Counter({r: len(s) for r, s in why[t].items()}).items(),
                key=lambda kv: (-kv[1], kv[0]),
            ),
        )
        for t in order
    )


def _blocks(f: Finding) -> bool:
    """An ERROR that leaving rows out cannot answer: it names no row of a table.

    A finding about a report item or region and no table (a form's numbers) is answered by leaving
    that form out, which the pipeline does; every other ERROR must name a table row.
    """
    loc = f.location
    if loc.table is not None:
        return loc.row is None
    return loc.region is None and loc.item is None


def decide(findings: Findings, *, exclude_invalid: bool, has_data: bool = True) -> Outcome:
    """The outcome of a run with these findings (the contract of the module docstring).

    Args:
        findings: every finding of the run: the reader's, the register rules', the forms'.
        exclude_invalid: the caller asked to leave rows with ERROR findings out.
        has_data: the run has at least one data row (or one form); an empty register is an error.
    """
    errors = list(findings.errors)
    return decide_counted(
        has_errors=bool(errors),
        blocking=tuple(f for f in errors if _blocks(f)),
        excluded=lambda: _excluded(errors),
        exclude_invalid=exclude_invalid,
        has_data=has_data,
    )


def decide_any(findings: Any, *, exclude_invalid: bool, has_data: bool = True) -> Outcome:
    """:func:`decide` on a :class:`Findings`, or on findings kept as a table (a
    :class:`sikkb.columnar.findings.FindingsTable`, which decides through :func:`decide_counted`)."""
    if isinstance(findings, Findings):
        return decide(findings, exclude_invalid=exclude_invalid, has_data=has_data)
    outcome: Outcome = findings.decide(exclude_invalid=exclude_invalid, has_data=has_data)
    return outcome


def with_blocking(findings: Any, outcome: Outcome) -> Any:
    """``findings`` (a :class:`Findings` or a findings table) with the outcome's blocking findings
    they lack (the ``register-kosong`` finding of an empty register)."""
    have = findings.items if isinstance(findings, Findings) else findings.blocking()
    missing = tuple(f for f in outcome.blocking if f not in have)
    return findings + Findings(missing) if missing else findings


def decide_counted(
    *,
    has_errors: bool,
    blocking: Iterable[Finding],
    excluded: Callable[[], Iterable[Exclusion]],
    exclude_invalid: bool,
    has_data: bool = True,
) -> Outcome:
    """:func:`decide` for findings kept as a table (:class:`sikkb.columnar.findings.FindingsTable`).

    Args:
        has_errors: some finding is an ERROR.
        blocking: the ERROR findings that name no row (see :func:`decide`).
        excluded: the rows with ERROR findings per table and rule (called only when rows are
            left out).
        exclude_invalid: as :func:`decide`.
        has_data: as :func:`decide`.
    """
    blocking = tuple(blocking)
    if not has_data and not blocking:  # tables refused or missing already say why it is empty
        blocking = (empty_register_finding(),)
    if not has_errors and not blocking:
        return Outcome(exit_code=EXIT_OK, may_write=True, exclude_invalid=exclude_invalid)
    if not exclude_invalid or blocking:
        return Outcome(
            exit_code=EXIT_ERRORS,
            may_write=False,
            exclude_invalid=exclude_invalid,
            blocking=blocking,
        )
    return Outcome(
        exit_code=EXIT_OK,
        may_write=True,
        exclude_invalid=True,
        excluded=excluded(),
    )
