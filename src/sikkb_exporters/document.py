"""A printed report as a neutral document: letterhead, header block, tables, charts, signatures.

Each layout (``bkkbn``, ``kota``, ``kecamatan``, ``kelurahan``) turns a report into a
:class:`Document`; one XLSX writer and one PDF writer render every document. So the numbers of the
XLSX and the PDF of a report are the same by construction, and a new layout is only a function.

Cell values are ``int`` (a count), :class:`Pct` (a percentage, undefined when its denominator is 0),
``str`` (text), ``None`` (missing: printed ``–``) or :data:`NA` (not applicable: a greyed cell).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Literal

import attrs

from sikkb.periods import Period
from sikkb.rules.engine import Finding
from sikkb_exporters.config import Logo

__all__ = [
    "NA",
    "Block",
    "Chart",
    "Document",
    "NotApplicable",
    "Paragraph",
    "Pct",
    "Row",
    "RowStyle",
    "Signature",
    "Table",
    "Value",
]


class NotApplicable(enum.Enum):
    """The greyed-out cell of a form (a method that needs a place, in the no-place column)."""

    NA = "NA"

    def __str__(self) -> str:
        return ""


NA = NotApplicable.NA


@attrs.frozen
class Pct:
    """A percentage; ``None`` when not defined (zero denominator)."""

    value: float | None


Value = int | Pct | str | None | NotApplicable
RowStyle = Literal["normal", "total", "subheading"]


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _values(value: Iterable[Value]) -> tuple[Value, ...]:
    return tuple(value)


def _keys(value: Iterable[str | None]) -> tuple[str | None, ...]:
    return tuple(value)


def _series(
    value: Iterable[tuple[str, Iterable[float | None]]],
) -> tuple[tuple[str, tuple[float | None, ...]], ...]:
    return tuple((n, tuple(v)) for n, v in value)


def _pairs(value: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Row:
    """One table row: its cells (number and label columns included) and, per cell, the report item
    key it shows (``None`` for labels), so tests can compare an export with its report."""

    cells: tuple[Value, ...] = attrs.field(converter=_values)
    keys: tuple[str | None, ...] = attrs.field(converter=_keys, default=())
    style: RowStyle = "normal"


def _rows(value: Iterable[Row]) -> tuple[Row, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Table:
    """A titled table with numbered columns, like the paper forms.

    Attributes:
        title: the section heading (``V. PUS DAN KESERTAAN BER-KB``).
        columns: column headings.
        rows: the rows.
        numbered: print the column numbers ``(1) (2) ...`` under the headings.
        sheet: put this table on its own XLSX sheet of that name (frozen headings); ``None`` keeps
            it on the report's main sheet.
        note: a line printed under the table.
    """

    title: str
    columns: tuple[str, ...] = attrs.field(converter=_strs)
    rows: tuple[Row, ...] = attrs.field(converter=_rows)
    numbered: bool = True
    sheet: str | None = None
    note: str = ""

    def __attrs_post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(
                    f"table {self.title!r}: a row has {len(row.cells)} cells for "
                    f"{len(self.columns)} columns"
                )


@attrs.frozen(kw_only=True)
class Chart:
    """A chart: bar (one bar per category), pie (shares) or line (a series over periods).

    Attributes:
        kind: ``bar``, ``pie`` or ``line``.
        title: the caption.
        categories: the x-axis labels (or the pie slices).
        series: (name, values) pairs, one value per category; ``None`` is a gap.
        unit: ``"%"`` for percentages, ``""`` for counts.
    """

    kind: Literal["bar", "pie", "line"]
    title: str
    categories: tuple[str, ...] = attrs.field(converter=_strs)
    series: tuple[tuple[str, tuple[float | None, ...]], ...] = attrs.field(converter=_series)
    unit: str = ""


@attrs.frozen(kw_only=True)
class Paragraph:
    """A line or two of text (a heading when ``heading``)."""

    text: str
    heading: bool = False


Block = Table | Chart | Paragraph


def _blocks(value: Iterable[Block]) -> tuple[Block, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Signature:
    """A signature block: ``Mengetahui,`` / title / (space) / name / NIP."""

    jabatan: str
    nama: str
    nip: str = ""
    sk: str = ""
    above: str = ""  # "Mengetahui," or the place and date


def _signatures(value: Iterable[Signature]) -> tuple[Signature, ...]:
    return tuple(value)


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Document:
    """A printed report, ready for a writer.

    Attributes:
        layout: the layout's name (``bkkbn-desa``), used in CSS classes and tests.
        form: the form code printed top right (``F/I/Dal/13``), or ``""``.
        title, subtitle: the heading lines.
        kop: letterhead lines, first the government then the office.
        logo: the letterhead image.
        header: (label, value) pairs of the header block (``BULAN``, ``Oktober``).
        notices: lines printed right under the header block, before the first table (what the
            reader must know before reading the numbers); none by default.
        blocks: tables, charts and paragraphs, in order.
        signatures: the signature blocks, left to right.
        tembusan: the copy list.
        period: the report's period (its first day dates the file's metadata).
        region_code: the reporting unit.
        accent: the accent colour.
        findings: what the layout noticed (a missing signer is a WARNING).
    """

    layout: str
    form: str = ""
    title: str
    subtitle: str = ""
    kop: tuple[str, ...] = attrs.field(converter=_strs, default=())
    logo: Logo | None = None
    header: tuple[tuple[str, str], ...] = attrs.field(converter=_pairs, default=())
    notices: tuple[str, ...] = attrs.field(converter=_strs, default=())
    blocks: tuple[Block, ...] = attrs.field(converter=_blocks, default=())
    signatures: tuple[Signature, ...] = attrs.field(converter=_signatures, default=())
    tembusan: tuple[str, ...] = attrs.field(converter=_strs, default=())
    period: Period
    region_code: str
    accent: str = "#1f4e79"
    findings: tuple[Finding, ...] = attrs.field(converter=_findings, default=())

    @property
    def timestamp(self) -> dt.datetime:
        """The fixed date written into file metadata: the first day after the period, midnight UTC
        (reports are made once a month is over), so reruns give the same file."""
        nxt = self.period.next().first_day
        return dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=dt.UTC)

    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    def charts(self) -> tuple[Chart, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Chart))
