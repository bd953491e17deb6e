"""Raw tables: what a register file source (XLSX or CSV) hands to the reader before typing."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import attrs

__all__ = ["BrokenTableError", "RawTable", "near", "normalise_name"]


@attrs.frozen(kw_only=True)
class RawTable:
    """One table of a register file, untyped.

    Attributes:
        table: the register table name (``"pus"``).
        source: where it came from, for findings (``"pus.csv"``, ``"register.xlsx:pus"``).
        header: the cells of row 1, as read.
        rows: ``(row number, cells)`` pairs of the data rows (row 2 on), produced lazily; a source
            that cannot go on raises :class:`~sikkb.errors.RegisterFileError`, or
            :class:`BrokenTableError` when only this table is lost.
    """

    table: str
    source: str
    header: tuple[object, ...]
    rows: Iterable[tuple[int, Sequence[object]]] = attrs.field(eq=False, repr=False)


class BrokenTableError(Exception):
    """A source cannot read the rest of one table (internal: turned into a finding).

    Attributes:
        row: the last row read.
        reason: why, in English.
    """

    def __init__(self, row: int, reason: str) -> None:
        self.row = row
        self.reason = reason
        super().__init__(f"after row {row}: {reason}")


def normalise_name(text: object) -> str:
    """A header or table name as the format writes it: trimmed, lower case, ``_`` for spaces."""
    if text is None:
        return ""
    s = str(text).strip().lower()
    return "_".join(s.replace("-", " ").split())


def near(word: str, choices: Sequence[str]) -> str | None:
    """The choice nearest to ``word`` (for 'did you mean'), or ``None``."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if found:
        return found[0]
    if len(word) < 3:
        return None
    contained = [c for c in choices if word in c or (len(c) >= 3 and c in word)]
    return contained[0] if contained else None
