"""The project's exception hierarchy.

Exceptions are for programming errors and refused operations; problems in the data a user gave are
*findings* (see :mod:`sikkb.rules`). Every exception inherits :class:`SikkbError` and the builtin that
matches it, carries structured attributes, and names the thing that went wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "DatabaseError",
    "EventLogError",
    "FormReportError",
    "InputFileError",
    "InvalidCodeError",
    "InvalidNIKError",
    "InvalidPeriodError",
    "InvalidRecordError",
    "InvalidRegionTableError",
    "InvalidSOPError",
    "LifecycleError",
    "OptionalDependencyError",
    "RecapInputError",
    "RegisterFileError",
    "RegisterRowsError",
    "ReportRefusedError",
    "SikkbError",
    "UnknownItemError",
    "UnknownRegionError",
]


def _rebuild(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """Unpickle a sikkb exception without calling its ``__init__`` (whose signature differs)."""
    e = cls.__new__(cls, *args)
    e.args = args
    for key, value in state.items():
        setattr(e, key, value)  # ImportError's name and path are slots, not __dict__ entries
    return e


class SikkbError(Exception):
    """Base class of every error raised by sikkb.

    Every sikkb exception survives pickling (a worker process raises it, the main process
    reports it) and compares equal to its copy: same class, same ``args``, same attributes.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        state = dict(self.__dict__)
        if isinstance(self, ImportError):  # kept in C slots, not in __dict__
            state.update(name=self.name, path=self.path)
        return (_rebuild, (type(self), self.args, state))

    def _state(self) -> tuple[Any, ...]:
        return (type(self), self.args, self.__dict__, getattr(self, "name", None))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SikkbError):
            return NotImplemented
        return self._state() == other._state()

    def __hash__(self) -> int:
        return hash((type(self), repr(self.args)))


class InvalidRecordError(SikkbError, ValueError):
    """A record was constructed from an invalid value.

    Attributes:
        record: the record type's name (``"Pus"``).
        field: the field's name (``"nik_istri"``).
        value: the value that was refused.
        reason: why, in English.
        suggestions: valid values near the one given, best first (may be empty).
    """

    def __init__(
        self, record: str, field: str, value: Any, reason: str, suggestions: Sequence[str] = ()
    ) -> None:
        self.record = record
        self.field = field
        self.value = value
        self.reason = reason
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"{record}.{field} = {value!r}: {reason}{hint}")


class InvalidCodeError(SikkbError, ValueError):
    """A code is not one of an enumeration's codes.

    Attributes:
        kind: what the code names (``"status_kb"``).
        value: the code given.
        suggestions: the nearest valid codes, best first.
    """

    def __init__(self, kind: str, value: Any, suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.value = value
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {kind} code {value!r}{hint}")


class InvalidNIKError(SikkbError, ValueError):
    """A string is not a valid NIK.

    Attributes:
        value: the string given (never printed in full: NIK is personal data).
        reason: why, in English.
    """

    def __init__(self, value: str, reason: str) -> None:
        self.value = value
        self.reason = reason
        from sikkb.nik import mask_nik  # local: nik imports errors

        super().__init__(f"invalid NIK {mask_nik(value)!r}: {reason}")


class InvalidPeriodError(SikkbError, ValueError):
    """A string or number does not name a reporting period.

    Attributes:
        value: what was given.
        reason: why, in English.
    """

    def __init__(self, value: Any, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"invalid period {value!r}: {reason}")


class UnknownRegionError(SikkbError, LookupError):
    """A region code is well formed but not in the region table.

    Attributes:
        code: the code looked up (dotted form).
        suggestions: nearest known codes with their names, best first (``"36.71.07.1003 Panunggangan"``).
    """

    def __init__(self, code: str, suggestions: Sequence[str] = ()) -> None:
        self.code = code
        self.suggestions = tuple(suggestions)
        hint = f"; nearest known: {'; '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"unknown region code {code!r}{hint}")

    def __str__(self) -> str:  # LookupError would quote the message
        return str(self.args[0])


class InvalidRegionTableError(SikkbError, ValueError):
    """A region table (CSV) is inconsistent.

    Attributes:
        problems: one line per problem, each naming the row and code.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid region table:\n" + "\n".join(f"- {p}" for p in self.problems))


class InvalidSOPError(SikkbError, ValueError):
    """An SOP definition (a TOML file or mapping) cannot be loaded.

    Attributes:
        source: the file (or ``"<string>"``) the definition came from.
        reason: what is wrong, in English.
        step: the number of the step at fault, when one is (else ``None``).
        field: the key at fault (``"depends_on"``), when one is (else ``None``).
    """

    def __init__(
        self, source: str, reason: str, *, step: int | None = None, field: str | None = None
    ) -> None:
        self.source = source
        self.reason = reason
        self.step = step
        self.field = field
        where = "".join(
            [f" step {step}:" if step is not None else "", f" {field}:" if field else ""]
        )
        super().__init__(f"{source}:{where} {reason}")


class LifecycleError(SikkbError, ValueError):
    """A report lifecycle event is not allowed in the report's current state.

    Attributes:
        state: the report's state when the event was refused (``"DRAFT"``).
        event: the kind of the refused event (``"VERIFIED"``).
        reason: why, in English.
        reason_id: why, in Indonesian (shown to a Dinas officer first).
        unit: the region code of the reporting unit, when known.
        period: the reporting period (``"2026-10"``), when known.
    """

    def __init__(
        self,
        state: str,
        event: str,
        reason: str,
        *,
        reason_id: str = "",
        unit: str | None = None,
        period: str | None = None,
    ) -> None:
        self.state = state
        self.event = event
        self.reason = reason
        self.reason_id = reason_id or reason
        self.unit = unit
        self.period = period
        report = f" for {unit} {period}" if unit else ""
        super().__init__(f"cannot record {event}{report} in state {state}: {reason}")


class EventLogError(SikkbError, ValueError):
    """An event log file (JSON Lines) cannot be read or appended to.

    Attributes:
        path: the file.
        line: the 1-based line number at fault (``None`` for the file as a whole).
        reason: what is wrong, in English.
    """

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class RegisterFileError(SikkbError, ValueError):
    """A register file (XLSX workbook or folder of CSV files) is refused before any row is read.

    Raised for files that are not what they claim to be (a renamed PDF, an encrypted workbook, a
    corrupt or truncated zip), that exceed a safety limit (a zip bomb), or that cannot be opened.
    Problems *inside* a readable file are findings, not this error.

    Attributes:
        path: the file or folder.
        reason: what is wrong, in English.
        reason_id: what is wrong, in Indonesian (shown to a Dinas officer first).
        hint: how to fix it, in English.
        hint_id: how to fix it, in Indonesian.
    """

    def __init__(
        self, path: str, reason: str, *, reason_id: str = "", hint: str = "", hint_id: str = ""
    ) -> None:
        self.path = path
        self.reason = reason
        self.reason_id = reason_id or reason
        self.hint = hint
        self.hint_id = hint_id or hint
        super().__init__(f"{path}: {reason}" + (f" ({hint})" if hint else ""))


class InputFileError(RegisterFileError):
    """An input (register, form, event log, configuration) is refused before it is opened.

    Raised for a path that is not a regular file (a FIFO, a device, a socket) and for a file over
    a size limit; same attributes as :class:`RegisterFileError`.
    """


class UnknownItemError(SikkbError, KeyError):
    """A report item (data element × disaggregation) is not in the item catalogue.

    Attributes:
        key: the item key given (``"pa.SUNTK"``).
        suggestions: the nearest catalogue keys, best first.
    """

    def __init__(self, key: str, suggestions: Sequence[str] = ()) -> None:
        self.key = key
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown report item {key!r}{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class RegisterRowsError(SikkbError, ValueError):
    """A village report was refused because register rows carry errors.

    A row with an error is never counted silently: fix the rows, or pass the findings with
    ``exclude_invalid=True`` to leave them out (the report then says how many were left out).

    Attributes:
        kode_wilayah: the kelurahan whose report was refused.
        rows: table name → number of rows with errors (``{"pus": 3}``).
        reason: why, in English.
    """

    def __init__(self, kode_wilayah: str, rows: dict[str, int], reason: str) -> None:
        self.kode_wilayah = kode_wilayah
        self.rows = dict(rows)
        self.reason = reason
        counts = ", ".join(f"{n} row(s) of {t}" for t, n in sorted(self.rows.items()))
        super().__init__(f"report for {kode_wilayah} refused: {counts} {reason}")


class RecapInputError(SikkbError, ValueError):
    """A recap was refused because a child report does not fit it.

    Attributes:
        region: the recap's region code.
        child: the offending child's region code (``None`` when not about one child).
        reason: why, in English.
    """

    def __init__(self, region: str, child: str | None, reason: str) -> None:
        self.region = region
        self.child = child
        self.reason = reason
        who = f" child {child}:" if child else ""
        super().__init__(f"recap {region}:{who} {reason}")


class OptionalDependencyError(SikkbError, ImportError):
    """A feature needs an optional library (an extra of the distribution) that is not installed.

    Attributes:
        feature: what was asked for (``"to_pandas()"``).
        module: the library that failed to import (``"pandas"``).
        extra: the ``sikkb[...]`` extra that installs it (``"pandas"``).
    """

    def __init__(self, feature: str, module: str, extra: str) -> None:
        self.feature = feature
        self.module = module
        self.extra = extra
        super().__init__(
            f"{feature} needs {module}, which is not installed: pip install 'sikkb[{extra}]'",
            name=module,
        )


class FormReportError(SikkbError, ValueError):
    """A report typed into the F/I/Dal form was refused.

    A form whose numbers break an identity of the report (or that duplicates a kelurahan the register
    already covers) is never counted silently: fix the form, or leave it out explicitly.

    Attributes:
        kode_wilayah: the kelurahan of the form.
        reason: why, in English.
        reason_id: why, in Indonesian.
    """

    def __init__(self, kode_wilayah: str, reason: str, reason_id: str) -> None:
        self.kode_wilayah = kode_wilayah
        self.reason = reason
        self.reason_id = reason_id
        super().__init__(f"form report {kode_wilayah}: {reason}")


class DatabaseError(SikkbError, RuntimeError):
    """A database (an event store or a register in a database) cannot be used.

    Raised for a database that cannot be reached, refuses the login, has no sikkb schema or an
    older one, or refuses a write for a reason other than the report lifecycle (a lifecycle
    refusal is a :class:`LifecycleError`). The message never holds a password: ``source`` is the
    database URL with its password masked (``postgresql://sikkb:***@host/dinas``).

    Attributes:
        source: the database, its URL masked.
        reason: what is wrong, in English.
        reason_id: what is wrong, in Indonesian (shown to a Dinas officer first).
        hint: how to fix it, in English.
        hint_id: how to fix it, in Indonesian.
    """

    def __init__(
        self, source: str, reason: str, *, reason_id: str = "", hint: str = "", hint_id: str = ""
    ) -> None:
        self.source = source
        self.reason = reason
        self.reason_id = reason_id or reason
        self.hint = hint
        self.hint_id = hint_id or hint
        super().__init__(f"{source}: {reason}" + (f" ({hint})" if hint else ""))


class ReportRefusedError(RegisterRowsError):
    """No report was made: the run's findings hold ERROR findings (see :mod:`sikkb.outcome`).

    Raised by :func:`sikkb.pipeline.build_month` when any finding is an ERROR and rows were not
    asked to be left out, or when an ERROR names no row (a missing table or required column, a
    table over a limit, an empty register), which leaving rows out cannot answer.

    Attributes:
        kode_wilayah: the region the reports were for (the kab/kota).
        rows: table name → rows with ERROR findings.
        reason: why, in English.
        blocking: rule ids of the ERROR findings that name no row (empty when only rows are at fault).
        findings: every finding of the run (a :class:`sikkb.rules.engine.Findings`), to show the user.
    """

    def __init__(
        self,
        kode_wilayah: str,
        rows: dict[str, int],
        reason: str,
        *,
        blocking: Sequence[str] = (),
        findings: Any = None,
    ) -> None:
        super().__init__(kode_wilayah, rows, reason)
        self.blocking = tuple(blocking)
        self.findings = findings
