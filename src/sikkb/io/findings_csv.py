"""Every finding of a run as a CSV file (``--findings out.csv``): one row per finding.

The columns are :data:`FINDING_COLUMNS`; values are as the findings hold them (a NIK is already
masked). Both engines write the same file for the same findings: the columnar engine from its
findings table, the record engine from :class:`~sikkb.rules.Findings`.

Example:
    >>> from sikkb.rules.engine import Finding, Findings, Location, Severity
    >>> from sikkb.i18n import Text
    >>> f = Finding(rule_id="umur-istri", severity=Severity.ERROR,
    ...             location=Location(table="pus", row=7), message=Text("a", "b"), hint=Text("c", "d"))
    >>> finding_row(f)[:5]
    ('umur-istri', 'ERROR', None, 'pus', 7)
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sikkb.rules.engine import Finding

__all__ = ["FINDING_COLUMNS", "finding_row", "write_findings_csv"]

#: The columns of a findings file, in order.
FINDING_COLUMNS = (
    "rule", "severity", "source", "table", "row", "column", "value", "region", "period", "item",
    "message_id", "message_en", "hint_id", "hint_en", "found", "expected",
)  # fmt: skip


def finding_row(f: Finding) -> tuple[Any, ...]:
    """A finding as the values of :data:`FINDING_COLUMNS`."""
    loc = f.location
    return (
        f.rule_id, f.severity.value, loc.source, loc.table, loc.row, loc.column, loc.value,
        loc.region, None if loc.period is None else loc.period.iso, loc.item, f.message.id,
        f.message.en, f.hint.id, f.hint.en, f.found, f.expected,
    )  # fmt: skip


def write_findings_csv(findings: Iterable[Finding], path: str | Path) -> Path:
    """Write ``findings`` (in their order) to a UTF-8 CSV file; return its path.

    A findings table of the columnar engine writes itself (``FindingsTable.write_csv``), with the
    same columns and values.
    """
    p = Path(path)
    with p.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(FINDING_COLUMNS)
        for f in findings:
            w.writerow(["" if v is None else v for v in finding_row(f)])
    return p
