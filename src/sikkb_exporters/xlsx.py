"""Render a :class:`~sikkb_exporters.document.Document` as an XLSX workbook (openpyxl).

openpyxl is imported inside :func:`write_xlsx` only. Numbers are written as numbers (counts with a
thousands format, percentages as fractions with a ``0.0%`` format), text that a spreadsheet would
read as a formula is forced to text (``t="inlineStr"`` plus the quote prefix), the zip entries and
document properties carry the report's date, not the clock: the same document gives the same bytes.

Every sheet is ready to print: A4, its orientation, fitted to the page width, heading rows repeated
on each page, a header (form code, region, period; DATA CONTOH for demo data) and a footer (page x of
y), frozen panes. A total row whose counts are the sum of the rows above is written as a ``SUM``
formula *with its value cached* in the file (openpyxl writes formulas without values, so the sheet
XML is completed on the way into the zip): a reader that does not recalculate sees the number, one
that does gets the same number.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO, Any

from sikkb_exporters.document import NA, Chart, Document, Paragraph, Pct, Row, Table, Value
from sikkb_exporters.errors import MissingExtraError
from sikkb_exporters.fmt import DASH, is_formula_like
from sikkb_exporters.svg import axis_ticks

__all__ = ["write_xlsx"]

MAIN_SHEET = "Laporan"
CHART_SHEET = "Grafik"
CHART_DATA_SHEET = "Data Grafik"
COUNT_FORMAT = "#,##0"
PCT_FORMAT = "0.0%"
SAMPLE_LABEL = "DATA CONTOH (sintetis) — bukan data sebenarnya / synthetic sample data, not real"
_SHEET_XML = re.compile(r"xl/worksheets/sheet(\d+)\.xml")


def _require(exporter: str) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MissingExtraError(exporter, "xlsx", "openpyxl") from None
    return openpyxl


class _FixedTimeZip(zipfile.ZipFile):
    """A ZipFile whose entries carry a fixed timestamp (openpyxl would stamp them with the clock)."""

    fixed: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)
    #: per worksheet number (1-based, openpyxl's ``sheetN.xml``): formula cell → cached value
    cached: dict[int, dict[str, int | float]]

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            m = _SHEET_XML.fullmatch(zinfo_or_arcname)
            if m and self.cached.get(int(m.group(1))):
                data = _cache_values(data, self.cached[int(m.group(1))])
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.fixed)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """openpyxl writes worksheets from temporary files: keep their content, not their mtime."""
        with open(filename, "rb") as f:
            self.writestr(str(arcname or filename), f.read())


def _cache_values(data: str | bytes, values: dict[str, int | float]) -> bytes:
    """Fill the empty ``<v/>`` openpyxl writes after each formula with the value computed here."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data

    def fill(m: re.Match[str]) -> str:
        value = values.get(m.group(2))
        if value is None:
            return m.group(0)
        return f"{m.group(1)}<v>{value}</v>"

    text = re.sub(r'(<c r="([A-Z]+[0-9]+)"[^>]*><f>[^<]*</f>)(?:<v\s*/>|<v></v>)', fill, text)
    return text.encode("utf-8")


def write_xlsx(doc: Document, stream: IO[bytes], *, exporter: str = "xlsx") -> None:
    """Write ``doc`` as an XLSX workbook to the binary ``stream``.

    Raises:
        MissingExtraError: openpyxl is not installed (``pip install 'sikkb[xlsx]'``).
    """
    openpyxl = _require(exporter)
    from openpyxl.writer.excel import ExcelWriter

    wb = openpyxl.Workbook()
    sheets = _Sheets(wb, doc)
    sheets.fill()
    stamp = doc.timestamp.replace(tzinfo=None)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "sikkb"
    wb.properties.lastModifiedBy = "sikkb"
    wb.properties.title = doc.title
    buffer = io.BytesIO()
    archive = _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.cached = {}
    archive.fixed = (stamp.year, stamp.month, stamp.day, 0, 0, 0)
    archive.cached = {
        wb.worksheets.index(ws) + 1: values for ws, values in sheets.cached.items() if values
    }
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
        self.top = 3 if doc.sample_data else 1  # first row of the chart sheets
        self.chart_data_row = self.top
        self.cached: dict[Any, dict[str, int | float]] = {}

    def fill(self) -> None:
        ws = self.main
        ws.column_dimensions["A"].width = 7
        ws.column_dimensions["B"].width = 42
        for i in range(3, self.width + 1):
            ws.column_dimensions[_letter(i)].width = 13
        self._letterhead()
        blocks = self.doc.blocks
        for i, block in enumerate(blocks):
            if isinstance(block, Table):
                if block.sheet is None:
                    self._table(ws, block)
                else:
                    name = self._sheet_table(block)
                    put(ws, self.row, 1, f'{block.title}: lihat lembar "{name}"', bold=True)
                    self.row += 2
            elif isinstance(block, Chart):
                self._chart(block)
            elif isinstance(block, Paragraph):
                text = block.text
                if block.heading and _charts_follow(blocks[i + 1 :]):
                    text = f'{text}: lihat lembar "{CHART_SHEET}"'  # never an empty heading
                put(ws, self.row, 1, text, bold=block.heading)
                self.row += 1 if not block.heading else 2
        self._signatures()
        ws.freeze_panes = "C1"  # the number and label columns stay in view
        self._print_setup(ws, landscape=self.width > 8)
        ws.print_options.horizontalCentered = True
        if CHART_SHEET in self.wb.sheetnames:
            for name in (CHART_SHEET, CHART_DATA_SHEET):
                chart_ws = self.wb[name]
                if self.doc.sample_data:
                    put(chart_ws, 1, 1, SAMPLE_LABEL, bold=True).font = _red()
                chart_ws.freeze_panes = chart_ws.cell(row=self.top, column=1)
                self._print_setup(chart_ws, landscape=False)

    def _print_setup(self, ws: Any, *, landscape: bool, title_rows: str | None = None) -> None:
        """A4, orientation, fit to the page width, repeated heading rows, header and footer."""
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if title_rows:
            ws.print_title_rows = title_rows
        doc = self.doc
        region = doc.header[-1][1] if doc.header else doc.region_code
        ws.oddHeader.left.text = _hf(doc.form or doc.title)
        ws.oddHeader.left.size = 8
        ws.oddHeader.right.text = _hf(f"{' '.join(region.split())} · {doc.period.label_id}")
        ws.oddHeader.right.size = 8
        if doc.sample_data:
            ws.oddHeader.center.text = _hf("DATA CONTOH (sintetis)")
            ws.oddHeader.center.font = "DejaVu Sans,Bold"
            ws.oddHeader.center.color = "B22222"
        ws.oddFooter.left.text = _hf(f"{doc.region_code} {doc.period.iso} sikkb")
        ws.oddFooter.left.size = 7
        ws.oddFooter.right.text = "Halaman &P dari &N"
        ws.oddFooter.right.size = 7

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
        if doc.sample_data:
            self._merged(SAMPLE_LABEL, bold=True)
            self.main.cell(row=self.row - 1, column=1).font = _red()
        if doc.form:
            put(self.main, self.row, self.width, doc.form, bold=True)
            self.row += 1
        for i, line in enumerate(doc.kop):
            self._merged(line, bold=i < 2, size=12 if i < 2 else 9)
            if not line:  # a missing address: a line to fill in by hand
                self._fill_line(self.main, self.row - 1, 2, self.width - 1)
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
        if doc.addressee:
            put(self.main, self.row, 1, f"Kepada Yth. {doc.addressee}")
            self.row += 1
        for line in doc.notices:
            put(self.main, self.row, 1, line, bold=True)
            self.row += 1
        self.row += 1

    def _fill_line(self, ws: Any, row: int, first: int, last: int) -> None:
        for col in range(first, last + 1):
            ws.cell(row=row, column=col).border = _bottom()

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
        first = start  # the first row a total adds up
        for row in rows:
            for j, value in enumerate(row.cells, start=1):
                if j == 1 and isinstance(value, str) and value.isdigit():
                    value = int(value)  # the "No" column: numbers, not text
                cell = put(ws, r, j, value, bold=row.style != "normal")
                if j == 1 and isinstance(value, int):
                    cell.number_format = "0"
                    cell.alignment = _center()
                cell.border = self.border
                if row.style == "total":
                    cell.fill = self.total_fill
                    if j > 2:
                        self._sum(ws, cell, value, first, r - 1)
                if row.style == "subheading":
                    cell.font = Font(bold=True, italic=True)
            r += 1
            if row.style == "total":
                first = r
        return r

    def _sum(self, ws: Any, cell: Any, value: Value, first: int, last: int) -> None:
        """A count in a total row becomes ``=SUM(...)`` of the rows above when that is what it is
        (the value is cached in the file); anything else stays a plain value."""
        if isinstance(value, bool) or not isinstance(value, int) or last < first:
            return
        col = cell.column_letter
        above = [ws[f"{col}{r}"].value for r in range(first, last + 1)]
        counts = [v for v in above if isinstance(v, int | float) and not isinstance(v, bool)]
        if not counts or sum(counts) != value:
            return
        cell.value = f"=SUM({col}{first}:{col}{last})"
        self.cached.setdefault(ws, {})[cell.coordinate] = value

    def _table(self, ws: Any, table: Table) -> None:
        put(ws, self.row, 1, table.title, bold=True)
        self.row = self._heading_rows(ws, table, self.row + 1)
        self.row = self._rows(ws, table.rows, self.row)
        if table.note:
            put(ws, self.row, 1, table.note)
            self.row += 1
        self.row += 1

    def _sheet_table(self, table: Table) -> str:
        ws = self.wb.create_sheet(_sheet_name(table.sheet or table.title))
        put(ws, 1, 1, table.title, bold=True)
        put(ws, 2, 1, f"{self.doc.subtitle}".strip() or self.doc.title)
        if self.doc.sample_data:
            put(ws, 3, 1, SAMPLE_LABEL, bold=True).font = _red()
        first = self._heading_rows(ws, table, 4)
        self._rows(ws, table.rows, first)
        ws.freeze_panes = ws.cell(row=first, column=3)
        ws.column_dimensions["A"].width = 7
        ws.column_dimensions["B"].width = 30
        for i in range(3, len(table.columns) + 1):
            ws.column_dimensions[_letter(i)].width = 13
        if table.note:
            put(ws, first + len(table.rows) + 1, 1, table.note)
        self._print_setup(ws, landscape=len(table.columns) > 8, title_rows=f"4:{first - 1}")
        return str(ws.title)

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
            present = [v for _, vs in chart.series for v in vs if v is not None]
            ticks = axis_ticks(present + ([0.0] if chart.kind == "bar" else []), chart.unit)
            xl.y_axis.scaling.min, xl.y_axis.scaling.max = ticks[0], ticks[-1]
            xl.y_axis.majorUnit = ticks[1] - ticks[0]
        chart_ws = self.wb[CHART_SHEET]
        n = len(chart_ws._charts)
        if n and n % 2 == 0:  # two charts a printed page, never one cut in half
            from openpyxl.worksheet.pagebreak import Break

            chart_ws.row_breaks.append(Break(id=self.top + n * 22 - 1))
        chart_ws.add_chart(xl, f"A{self.top + n * 22}")
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
                if sig.nama:
                    put(ws, r, col, sig.nama, bold=True)
                else:
                    self._fill_line(ws, r, col, col)
                r += 1
                if sig.nip or sig.nip_line:
                    put(ws, r, col, f"NIP. {sig.nip}" if sig.nip else "NIP.")
                    if not sig.nip:
                        ws.cell(row=r, column=col).border = _bottom()
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


def _charts_follow(blocks: tuple[Any, ...]) -> bool:
    """Whether the section starting here (up to the next heading or table) has charts, which
    live on the chart sheet."""
    for b in blocks:
        if isinstance(b, Table) or (isinstance(b, Paragraph) and b.heading):
            return False
        if isinstance(b, Chart):
            return True
    return False


def _hf(text: str) -> str:
    """Text for a header or footer: ``&`` is a code there."""
    return text.replace("&", "&&")


def _red() -> Any:
    from openpyxl.styles import Font

    return Font(bold=True, color="B22222")


def _bottom() -> Any:
    from openpyxl.styles import Border, Side

    return Border(bottom=Side(style="thin", color="000000"))


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


def _sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return cleaned[:31] or "Tabel"
