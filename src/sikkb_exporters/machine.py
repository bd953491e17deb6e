"""Machine-readable exports: JSON (the converter's form), CSV in long form, and IHE ADX XML.

A report written with rows of the register left out (``--exclude-invalid``,
:attr:`ReportBundle.excluded <sikkb_exporters.bundle.ReportBundle.excluded>`) carries them as
data in all three: the JSON gains a key ``excluded`` (``[{"table", "rows", "reasons"}]``; read it
back with :func:`read_json`), the CSV lines with item ``baris_dikeluarkan`` (disaggregation: the
table, or ``table.rule``), the ADX a group of data set ``FIDAL_DIKELUARKAN`` with the same counts.

All three are byte-for-byte deterministic: the same report gives the same bytes. None holds a name
or a NIK: reports carry region codes and counts only.

ADX (the aggregate data exchange DHIS2 imports): one ``<group>`` per reporting unit with values
(a village report: its kelurahan; a recap: each child row that reported), ``orgUnit`` = the plain
Kemendagri code, ``period`` = ``YYYY-MM-01/P1M``, ``dataSet`` = ``FIDAL``. Each reported item is a
``<dataValue>``: a detailed cell has ``dataElement`` = its element code (``pa``) and its
disaggregation as attributes (``METODE="SUNTIK" TEMPAT="PEMERINTAH"``); a total of the form has
``dataElement`` = element + ``_JUMLAH`` (``pa_JUMLAH METODE="SUNTIK"``), so receivers that sum the
details themselves can skip them. The schema is shipped as the package asset ``adx.xsd``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sikkb.codes import AlasanBukanPeserta, Metode, Poktan, TempatPelayanan
from sikkb.convert import make_converter, to_json
from sikkb.outcome import Exclusion
from sikkb.report import TANPA_TEMPAT, Recap, VillageReport, item, split_key
from sikkb_exporters.bundle import Report, ReportBundle
from sikkb_exporters.fmt import csv_safe

__all__ = [
    "ADX_NAMESPACE",
    "CSV_COLUMNS",
    "adx_categories",
    "excluded_rows",
    "json_form",
    "read_json",
    "write_adx",
    "write_csv",
    "write_json",
]

ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"
CSV_COLUMNS = ("region", "period", "item", "disaggregation", "value")
DATA_SET = "FIDAL"

_CATEGORY: dict[str, str] = {m.code: "METODE" for m in Metode}
_CATEGORY |= {t.code: "TEMPAT" for t in TempatPelayanan} | {TANPA_TEMPAT: "TEMPAT"}
_CATEGORY |= {a.code: "ALASAN" for a in AlasanBukanPeserta}
_CATEGORY |= {p.code: "POKTAN" for p in Poktan}


def json_form(report: Report) -> Any:
    """The report in the converter's form (:func:`sikkb.convert.make_converter`)."""
    return make_converter().unstructure(report)


EXCLUDED_ITEM = "baris_dikeluarkan"


def excluded_rows(bundle: ReportBundle) -> Iterator[tuple[str, str | None, int]]:
    """``(table, rule or None for the table's total, rows)`` of the rows left out."""
    for e in bundle.excluded:
        yield e.table, None, e.rows
        for rule, n in e.reasons:
            yield e.table, rule, n


def write_json(bundle: ReportBundle, stream: IO[bytes]) -> None:
    """The report as canonical JSON (:func:`sikkb.convert.to_json`: sorted keys, no insignificant
    spaces, UTF-8), one trailing newline; ``sikkb.convert.from_json(text, VillageReport)`` (or
    ``Recap``) reads it back, or :func:`read_json` when rows were left out."""
    text = to_json(bundle.report)
    if bundle.excluded:
        data = json.loads(text)
        data["excluded"] = [
            {"table": e.table, "rows": e.rows, "reasons": [list(r) for r in e.reasons]}
            for e in bundle.excluded
        ]
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    stream.write((text + "\n").encode("utf-8"))


def read_json(text: str | bytes, cls: type[Any]) -> tuple[Any, tuple[Exclusion, ...]]:
    """A report written by :func:`write_json` and the rows it left out (empty when none were)."""
    data = json.loads(text)
    excluded = tuple(
        Exclusion(table=e["table"], rows=e["rows"], reasons=[tuple(r) for r in e["reasons"]])
        for e in data.pop("excluded", [])
    )
    return make_converter().structure(data, cls), excluded


def _units(report: Report) -> Iterator[tuple[str, tuple[tuple[str, int], ...]]]:
    """(region, values) of every unit the report holds numbers for, in code order."""
    if isinstance(report, VillageReport):
        if report.values:
            yield report.region, report.values
    else:
        for row in report.rows:
            if row.reported and row.values:
                yield row.region, row.values


def long_rows(report: Report) -> Iterator[tuple[str, str, str, str, int]]:
    """(region, period, item, disaggregation, value): a recap gives its child rows, then its total."""
    units: Iterable[tuple[str, tuple[tuple[str, int], ...]]] = _units(report)
    if isinstance(report, Recap):
        units = [*units, (report.region, report.total)]
    for region, values in units:
        for key, v in values:
            element, disaggregation = split_key(key)
            yield region, report.period.iso, element, disaggregation, v


def write_csv(bundle: ReportBundle, stream: IO[bytes]) -> None:
    """The report in long form: one line per (region, item) with a value; UTF-8, CRLF line ends.

    Text cells a spreadsheet would read as a formula are prefixed with ``'`` (OWASP).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in long_rows(bundle.report):
        writer.writerow([csv_safe(c) if isinstance(c, str) else c for c in row])
    for table, rule, n in excluded_rows(bundle):
        where = table if rule is None else f"{table}.{rule}"
        writer.writerow([bundle.report.region, bundle.period.iso, EXCLUDED_ITEM, where, n])
    stream.write(buffer.getvalue().encode("utf-8"))


def adx_categories(key: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """An item key as (ADX data element, (category, option) pairs).

    >>> adx_categories("pa.SUNTIK.PEMERINTAH")
    ('pa', (('METODE', 'SUNTIK'), ('TEMPAT', 'PEMERINTAH')))
    >>> adx_categories("institusi_ada.BKB"), adx_categories("pus")
    (('institusi_ada', (('INSTITUSI', 'BKB'),)), ('pus_JUMLAH', ()))
    """
    element, disaggregation = split_key(key)
    parts = disaggregation.split(".") if disaggregation else []
    if element.startswith("institusi_"):
        cats = tuple(("INSTITUSI", p) for p in parts)
    else:
        cats = tuple((_CATEGORY[p], p) for p in parts)
    code = f"{element}_JUMLAH" if item(key).is_total else element
    return code, cats


def write_adx(bundle: ReportBundle, stream: IO[bytes]) -> None:
    """The report as an IHE ADX message (namespace ``urn:ihe:qrph:adx:2015``)."""
    from xml.sax.saxutils import quoteattr  # here: it loads urllib, ssl and socket (10-15 ms)

    report = bundle.report
    nxt = report.period.next().first_day
    exported = f"{nxt.isoformat()}T00:00:00Z"
    period = f"{report.period.first_day.isoformat()}/P1M"
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<adx xmlns="{ADX_NAMESPACE}" exported="{exported}">',
    ]
    for region, values in _units(report):
        org = region.replace(".", "")
        out.append(f'  <group orgUnit={quoteattr(org)} period="{period}" dataSet="{DATA_SET}">')
        for key, v in values:
            code, cats = adx_categories(key)
            attrs = "".join(f" {c}={quoteattr(o)}" for c, o in cats)
            out.append(f'    <dataValue dataElement={quoteattr(code)} value="{int(v)}"{attrs}/>')
        out.append("  </group>")
    if bundle.excluded:
        org = report.region.replace(".", "")
        out.append(f'  <group orgUnit="{org}" period="{period}" dataSet="{DATA_SET}_DIKELUARKAN">')
        for table, rule, n in excluded_rows(bundle):
            code = EXCLUDED_ITEM if rule is not None else f"{EXCLUDED_ITEM}_JUMLAH"
            why = f" ALASAN={quoteattr(rule)}" if rule is not None else ""
            out.append(
                f'    <dataValue dataElement="{code}" value="{n}" TABEL={quoteattr(table)}{why}/>'
            )
        out.append("  </group>")
    out.append("</adx>")
    stream.write(("\n".join(out) + "\n").encode("utf-8"))
