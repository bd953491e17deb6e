"""Render a :class:`~sikkb_exporters.document.Document` as an XLSX workbook (openpyxl).

openpyxl is imported inside :func:`write_xlsx` only. Numbers are written as numbers (counts with a
thousands format, percentages as fractions with a ``0.0%`` format), text that a spreadsheet would
read as a formula is forced to text (``t="inlineStr"`` plus the quote prefix), the zip entries and
document properties carry the report's date, not the clock: the same document gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO, Any

from sikkb_exporters.document import NA, Chart, Document, Paragraph, Pct, Row, Table, Value
from sikkb_exporters.errors import MissingExtraError
from sikkb_exporters.fmt import DASH, is_formula_like

__all__ = ["write_xlsx"]

MAIN_SHEET = "Laporan"
CHART_SHEET = "Grafik"
CHART_DATA_SHEET = "Data Grafik"
COUNT_FORMAT = "#,##0"
PCT_FORMAT = "0.0%"


def _require(exporter: str) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MissingExtraError(exporter, "xlsx", "openpyxl") from None
    return openpyxl


class _FixedTimeZip(zipfile.ZipFile):
    """A ZipFile whose entries carry a fixed timestamp (openpyxl would stamp them with the clock)."""

    fixed: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.fixed)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """openpyxl writes worksheets from temporary files: keep their content, not their mtime."""
        with open(filename, "rb") as f:
            self.writestr(str(arcname or filename), f.read())


def write_xlsx(doc: Document, stream: IO[bytes], *, exporter: str = "xlsx") -> None:
    """Write ``doc`` as an XLSX workbook to the binary ``stream``.

    Raises:
        MissingExtraError: openpyxl is not installed (``pip install 'sikkb[xlsx]'``).
    """
    openpyxl = _require(exporter)
    from openpyxl.writer.excel import ExcelWriter

    wb = openpyxl.Workbook()
    _Sheets(wb, doc).fill()
    stamp = doc.timestamp.replace(tzinfo=None)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "sikkb"
    wb.properties.lastModifiedBy = "sikkb"
    wb.properties.title = doc.title
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.fixed = (stamp.year, stamp.month, stamp.day, 0, 0, 0)
    ExcelWriter(wb, archive).save()  # closes the archive
    stream.write(buffer.getvalue())


def put(ws: Any, row: int, col: int, value: Value, *, bold: bool = False) -> Any:
    """Write one value into a cell: numbers as numbers, text forced to text, NA greyed."""
    from openpyxl.styles import Font, PatternFill

    cell = ws.cell(row=row, column=col)
    if value is NA:
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    elif value is None:
        cell.value = DASH
        cell.alignment = _center()
    elif isinstance(value, Pct):
        if value.value is None:
            cell.value = DASH
            cell.alignment = _center()
        else:
            cell.value = value.value / 100
            cell.number_format = PCT_FORMAT
    elif isinstance(value, bool):  # pragma: no cover - never produced by the layouts
        cell.value = str(value)
    elif isinstance(value, int | float):
        cell.value = value
        cell.number_format = COUNT_FORMAT
    else:
        text = str(value)
        cell.value = text
        if is_formula_like(text):
            cell.data_type = "s"
            cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell


def _center() -> Any:
    from openpyxl.styles import Alignment

    return Alignment(horizontal="center", vertical="center", wrap_text=True)


class _Sheets:
    def __init__(self, wb: Any, doc: Document) -> None:
        from openpyxl.styles import Border, PatternFill, Side

        self.wb = wb
        self.doc = doc
        self.main = wb.active
        self.main.title = MAIN_SHEET
        self.row = 1
        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.head_fill = PatternFill("solid", fgColor="DDEBF7")
        self.total_fill = PatternFill("solid", fgColor="F2F2F2")
        self.width = max([len(t.columns) for t in doc.tables()] + [4])
        self.chart_data_row = 1

    def fill(self) -> None:
        ws = self.main
        ws.column_dimensions["A"].width = 7
        ws.column_dimensions["B"].width = 42
        for i in range(3, self.width + 1):
            ws.column_dimensions[_letter(i)].width = 13
        self._letterhead()
        for block in self.doc.blocks:
            if isinstance(block, Table):
                if block.sheet is None:
                    self._table(ws, block)
                else:
                    self._sheet_table(block)
            elif isinstance(block, Chart):
                self._chart(block)
            elif isinstance(block, Paragraph):
                put(ws, self.row, 1, block.text, bold=block.heading)
                self.row += 1 if not block.heading else 2
        self._signatures()
        ws.page_setup.orientation = "landscape" if self.width > 8 else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True

    def _merged(self, text: str, *, bold: bool = False, size: int = 11) -> None:
        from openpyxl.styles import Font

        cell = put(self.main, self.row, 1, text)
        cell.font = Font(bold=bold, size=size)
        cell.alignment = _center()
        self.main.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=self.width
        )
        self.row += 1

    def _letterhead(self) -> None:
        doc = self.doc
        if doc.form:
            put(self.main, self.row, self.width, doc.form, bold=True)
            self.row += 1
        for i, line in enumerate(doc.kop):
            self._merged(line, bold=i < 2, size=12 if i < 2 else 9)
        if doc.kop:
            self.row += 1
        self._merged(doc.title, bold=True, size=13)
        if doc.subtitle:
            self._merged(doc.subtitle, bold=True)
        self.row += 1
        for label, value in doc.header:
            put(self.main, self.row, 1, label, bold=True)
            put(self.main, self.row, 2, f": {value}")
            self.row += 1
        for line in doc.notices:
            put(self.main, self.row, 1, line, bold=True)
            self.row += 1
        self.row += 1

    def _heading_rows(self, ws: Any, table: Table, start: int) -> int:
        from openpyxl.styles import Font

        r = start
        for j, label in enumerate(table.columns, start=1):
            cell = put(ws, r, j, label)
            cell.font = Font(bold=True)
            cell.fill = self.head_fill
            cell.border = self.border
            cell.alignment = _center()
        ws.row_dimensions[r].height = 32
        r += 1
        if table.numbered:
            for j in range(1, len(table.columns) + 1):
                cell = put(ws, r, j, f"({j})")
                cell.alignment = _center()
                cell.border = self.border
                cell.font = Font(italic=True, size=8)
            r += 1
        return r

    def _rows(self, ws: Any, rows: tuple[Row, ...], start: int) -> int:
        from openpyxl.styles import Font

        r = start
        for row in rows:
            for j, value in enumerate(row.cells, start=1):
                cell = put(ws, r, j, value, bold=row.style != "normal")
                cell.border = self.border
                if row.style == "total":
                    cell.fill = self.total_fill
                if row.style == "subheading":
                    cell.font = Font(bold=True, italic=True)
            r += 1
        return r

    def _table(self, ws: Any, table: Table) -> None:
        put(ws, self.row, 1, table.title, bold=True)
        self.row = self._heading_rows(ws, table, self.row + 1)
        self.row = self._rows(ws, table.rows, self.row)
        if table.note:
            put(ws, self.row, 1, table.note)
            self.row += 1
        self.row += 1

    def _sheet_table(self, table: Table) -> None:
        ws = self.wb.create_sheet(_sheet_name(table.sheet or table.title))
        put(ws, 1, 1, table.title, bold=True)
        put(ws, 2, 1, f"{self.doc.subtitle}".strip() or self.doc.title)
        first = self._heading_rows(ws, table, 4)
        self._rows(ws, table.rows, first)
        ws.freeze_panes = ws.cell(row=first, column=3)
        ws.column_dimensions["A"].width = 7
        ws.column_dimensions["B"].width = 30
        for i in range(3, len(table.columns) + 1):
            ws.column_dimensions[_letter(i)].width = 13
        if table.note:
            put(ws, first + len(table.rows) + 1, 1, table.note)

    def _chart(self, chart: Chart) -> None:
        from openpyxl.chart import BarChart, LineChart, PieChart, Reference

        if CHART_DATA_SHEET not in self.wb.sheetnames:
            self.wb.create_sheet(CHART_SHEET)
            self.wb.create_sheet(CHART_DATA_SHEET)
        data_ws = self.wb[CHART_DATA_SHEET]
        top = self.chart_data_row
        put(data_ws, top, 1, chart.title, bold=True)
        for j, (name, _) in enumerate(chart.series, start=2):
            put(data_ws, top + 1, j, name, bold=True)
        for i, category in enumerate(chart.categories):
            put(data_ws, top + 2 + i, 1, category)
            for j, (_, values) in enumerate(chart.series, start=2):
                v = values[i]
                cell = data_ws.cell(row=top + 2 + i, column=j, value=v)
                if v is not None:
                    cell.number_format = "0.0" if chart.unit == "%" else COUNT_FORMAT
        last = top + 1 + len(chart.categories)
        kinds = {"bar": BarChart, "line": LineChart, "pie": PieChart}
        xl = kinds[chart.kind]()
        xl.title = chart.title
        data = Reference(
            data_ws, min_col=2, max_col=1 + len(chart.series), min_row=top + 1, max_row=last
        )
        cats = Reference(data_ws, min_col=1, min_row=top + 2, max_row=last)
        xl.add_data(data, titles_from_data=True)
        xl.set_categories(cats)
        xl.width, xl.height = 22, 10
        if chart.kind != "pie":
            xl.y_axis.title = "%" if chart.unit == "%" else ""
            xl.y_axis.delete = False
            xl.x_axis.delete = False
        chart_ws = self.wb[CHART_SHEET]
        n = len(chart_ws._charts)
        chart_ws.add_chart(xl, f"A{1 + n * 22}")
        self.chart_data_row = last + 2

    def _signatures(self) -> None:
        doc = self.doc
        ws = self.main
        if doc.signatures:
            self.row += 1
            cols = (
                [2, max(3, self.width - 2)]
                if len(doc.signatures) == 2
                else [max(3, self.width - 2)]
            )
            top = self.row
            for sig, col in zip(doc.signatures, cols, strict=False):
                r = top
                for text, bold in ((sig.above, False), (sig.jabatan, True)):
                    if text:
                        put(ws, r, col, text, bold=bold)
                        r += 1
                r += 3
                put(ws, r, col, sig.nama, bold=True)
                r += 1
                if sig.nip:
                    put(ws, r, col, f"NIP. {sig.nip}")
                    r += 1
                if sig.sk:
                    put(ws, r, col, sig.sk)
                    r += 1
                self.row = max(self.row, r)
            self.row += 1
        if doc.tembusan:
            put(ws, self.row, 1, "Tembusan:", bold=True)
            self.row += 1
            for i, line in enumerate(doc.tembusan, start=1):
                put(ws, self.row, 1, f"{i}.")
                put(ws, self.row, 2, line)
                self.row += 1


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


def _sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return cleaned[:31] or "Tabel"
