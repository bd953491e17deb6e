"""Findings as a table: one row per finding, sorted as :class:`~sikkb.rules.Findings` sorts them.

A rule violated by 200,000 rows gives 200,000 findings; the record engine builds a
:class:`~sikkb.rules.Finding` object for each. :class:`FindingsTable` keeps them as columns
(rule, severity, where, message and hint in both languages, found, expected) and builds objects
only for what is looked at: the counts, the rows with errors, a page (:meth:`FindingsTable.page`),
or every finding on request (:meth:`FindingsTable.to_findings`). :meth:`FindingsTable.write_csv`
writes them all out with the columns of :data:`FINDINGS_SCHEMA`.

Example:
    >>> from sikkb.i18n import Text
    >>> from sikkb.rules.engine import Finding, Findings, Location, Severity
    >>> f = Finding(rule_id="umur-istri", severity=Severity.ERROR,
    ...             location=Location(table="pus", row=7, column="tanggal_lahir_istri"),
    ...             message=Text("Umur 51", "Age 51"), hint=Text("Periksa", "Check"))
    >>> table = FindingsTable.from_findings(Findings([f]))
    >>> len(table), table.has_errors, dict(table.error_rows())
    (1, True, {'pus': frozenset({7})})
    >>> table.to_findings().items == (f,)
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import polars as pl

from sikkb.i18n import Text
from sikkb.io.findings_csv import FINDING_COLUMNS, finding_row
from sikkb.outcome import Exclusion, Outcome, decide_counted
from sikkb.periods import Period
from sikkb.register import TABLES
from sikkb.rules.engine import Finding, Findings, Location, Severity

__all__ = ["FINDINGS_SCHEMA", "FindingsTable"]

#: The columns of a findings table (and of ``--findings out.csv``), in order.
FINDINGS_SCHEMA: Mapping[str, Any] = {
    name: (pl.Int64 if name == "row" else pl.String) for name in FINDING_COLUMNS
}

_RANK = {"ERROR": 0, "WARNING": 1, "INFO": 2}


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    """Sort as :meth:`Finding.sort_key` does (strings by code point, missing parts as ``""``/0)."""
    if frame.height < 2:
        return frame
    keys = [
        pl.col("severity").replace_strict(_RANK, return_dtype=pl.Int8),
        *(pl.col(c).fill_null("") for c in ("source", "table")),
        pl.col("row").fill_null(0),
        *(pl.col(c).fill_null("") for c in ("column", "region", "period", "item", "value")),
        pl.col("rule"),
        pl.col("message_en"),
    ]
    return frame.sort(keys, maintain_order=True)


def _period(value: str | None) -> Period | None:
    return None if value is None else Period.parse(value)


@attrs.frozen
class FindingsTable:
    """Findings as a Polars table, sorted: errors first, then by location (as :class:`Findings`).

    Attributes:
        frame: one row per finding, the columns of :data:`FINDINGS_SCHEMA`.
    """

    frame: pl.DataFrame = attrs.field(converter=_sorted, eq=False)

    @classmethod
    def empty(cls) -> FindingsTable:
        return cls(pl.DataFrame(schema=dict(FINDINGS_SCHEMA)))

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> FindingsTable:
        rows = [finding_row(f) for f in findings]
        return cls(pl.DataFrame(rows, schema=dict(FINDINGS_SCHEMA), orient="row"))

    @classmethod
    def concat(cls, tables: Iterable[FindingsTable]) -> FindingsTable:
        frames = [t.frame for t in tables if t.frame.height]
        return cls(pl.concat(frames) if frames else pl.DataFrame(schema=dict(FINDINGS_SCHEMA)))

    def __add__(self, other: FindingsTable | Findings) -> FindingsTable:
        right = other if isinstance(other, FindingsTable) else FindingsTable.from_findings(other)
        return FindingsTable.concat([self, right])

    def __len__(self) -> int:
        return self.frame.height

    def __bool__(self) -> bool:
        return self.frame.height > 0

    def __iter__(self) -> Iterator[Finding]:
        """Every finding in order, built one at a time."""
        for start in range(0, self.frame.height, 10_000):
            yield from self.page(start, 10_000)

    def counts(self) -> Mapping[Severity, int]:
        """Findings per severity (every severity present, 0 when none)."""
        got = dict(self.frame.group_by("severity").len().iter_rows())
        return {s: int(got.get(s.value, 0)) for s in Severity}

    @property
    def has_errors(self) -> bool:
        return bool(self.frame.height) and bool((self.frame["severity"] == "ERROR").any())

    def error_rows(self) -> Mapping[str, frozenset[int]]:
        """Table → rows that carry at least one ERROR finding (as :meth:`Findings.error_rows`)."""
        bad = self.frame.filter(
            (pl.col("severity") == "ERROR")
            & pl.col("table").is_not_null()
            & pl.col("row").is_not_null()
        )
        out: dict[str, frozenset[int]] = {}
        for table, rows in bad.group_by("table").agg(pl.col("row").unique()).iter_rows():
            out[table] = frozenset(rows)
        return out

    def blocking(self) -> tuple[Finding, ...]:
        """The ERROR findings that name no row, which leaving rows out cannot answer
        (:func:`sikkb.outcome.decide`): a table without a row, or neither table, region nor item."""
        no_row = (
            pl.when(pl.col("table").is_not_null())
            .then(pl.col("row").is_null())
            .otherwise(pl.col("region").is_null() & pl.col("item").is_null())
        )
        part = self.frame.filter((pl.col("severity") == "ERROR") & no_row)
        return tuple(_finding(d) for d in part.iter_rows())

    def exclusions(self) -> tuple[Exclusion, ...]:
        """Per table, the rows with ERROR findings and, per rule, how many (as the rows left out
        by :func:`sikkb.outcome.decide`)."""
        bad = self.frame.filter(
            (pl.col("severity") == "ERROR")
            & pl.col("table").is_not_null()
            & pl.col("row").is_not_null()
        ).select("table", "row", "rule")
        rows = dict(bad.group_by("table").agg(pl.col("row").n_unique()).iter_rows())
        why: dict[str, list[tuple[str, int]]] = {}
        for table, rule, n in (
            bad.group_by("table", "rule").agg(pl.col("row").n_unique()).iter_rows()
        ):
            why.setdefault(table, []).append((rule, n))
        order = [t for t in TABLES if t in rows] + sorted(t for t in rows if t not in TABLES)
        return tuple(
            Exclusion(
                table=t,
                rows=rows[t],
                reasons=sorted(why[t], key=lambda kv: (-kv[1], kv[0])),
            )
            for t in order
        )

    def decide(self, *, exclude_invalid: bool, has_data: bool = True) -> Outcome:
        """:func:`sikkb.outcome.decide` on these findings, without an object per finding."""
        return decide_counted(
            has_errors=self.has_errors,
            blocking=self.blocking(),
            excluded=self.exclusions,
            exclude_invalid=exclude_invalid,
            has_data=has_data,
        )

    def summary(self) -> pl.DataFrame:
        """Findings per rule and severity, most frequent first: ``rule, severity, n``."""
        return (
            self.frame.group_by("rule", "severity")
            .len("n")
            .sort(["n", "rule"], descending=[True, False])
        )

    def page(self, start: int = 0, size: int = 40) -> tuple[Finding, ...]:
        """``size`` findings from position ``start`` (in order), as :class:`Finding` objects."""
        part = self.frame.slice(start, size)
        return tuple(_finding(d) for d in part.iter_rows())

    def to_findings(self) -> Findings:
        """Every finding as objects (a :class:`Findings`)."""
        return Findings(_finding(d) for d in self.frame.iter_rows())

    def write_csv(self, path: str | Path) -> Path:
        """Write every finding to a UTF-8 CSV file with the columns of :data:`FINDINGS_SCHEMA`."""
        p = Path(path)
        self.frame.write_csv(p)
        return p


def _finding(row: tuple[Any, ...]) -> Finding:
    (rule, severity, source, table, r, column, value, region, period, item, mid, men, hid, hen,
     found, expected) = row  # fmt: skip
    return Finding(
        rule_id=rule,
        severity=Severity(severity),
        location=Location(
            source=source, table=table, row=r, column=column, value=value, region=region,
            period=_period(period), item=item,
        ),
        message=Text(mid, men),
        hint=Text(hid, hen),
        found=found,
        expected=expected,
    )  # fmt: skip
