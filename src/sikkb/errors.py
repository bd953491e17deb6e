"""The project's exception hierarchy.

Exceptions are for programming errors and refused operations; problems in the data a user gave are
*findings* (see :mod:`sikkb.rules`). Every exception inherits :class:`SikkbError` and the builtin that
matches it, carries structured attributes, and names the thing that went wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "InvalidCodeError",
    "InvalidNIKError",
    "InvalidPeriodError",
    "InvalidRecordError",
    "InvalidRegionTableError",
    "SikkbError",
    "UnknownRegionError",
]


class SikkbError(Exception):
    """Base class of every error raised by sikkb."""


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
