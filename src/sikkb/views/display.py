"""HTML for notebooks: reports, recaps, findings, schedules and a month's reports as tables.

Jupyter shows an object through its ``_repr_html_`` method; the records of sikkb delegate theirs to
the functions here, so a notebook shows a readable table with Indonesian labels (English in the
tooltip) instead of a wall of attrs reprs. Every text that comes from data — region names, finding
messages, values read from a file — is escaped with :func:`html.escape`: a hostile region name
cannot inject markup.

Numbers follow the paper forms: a cell that is not reported shows ``-``, a greyed-out cell ``x``,
never 0; percentages use the Indonesian decimal comma.

Example:
    >>> from sikkb.periods import Period
    >>> from sikkb.report import VillageReport
    >>> r = VillageReport.from_form("36.71.07.1003", Period(2026, 10), {"bukan_peserta.HAMIL": 2})
    >>> html = village_report_html(r)
    >>> "Karawaci Baru" in html, "V. PUS dan kesertaan ber-KB" in html, "<td class='num'>2</td>" in html
    (True, True, True)
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sikkb.regions import RegionTable, Tingkat, kota_tangerang
from sikkb.report.cells import Cell, Ratio
from sikkb.report.items import Section, item
from sikkb.report.recap import Recap
from sikkb.report.village import VillageReport
from sikkb.rules.engine import Finding, Severity

if TYPE_CHECKING:
    from sikkb.pipeline import MonthlyReports
    from sikkb.sop.schedule import Schedule

__all__ = [
    "MAX_FINDINGS",
    "RECAP_COLUMNS",
    "SEVERITY_COLOURS",
    "findings_html",
    "monthly_reports_html",
    "recap_html",
    "schedule_html",
    "village_report_html",
]

#: Findings shown before the table is cut (the rest are counted).
MAX_FINDINGS = 200

#: Colours of the severity badges (background, text).
SEVERITY_COLOURS = {
    Severity.ERROR: ("#fde2e1", "#9b1c1c"),
    Severity.WARNING: ("#fff4d6", "#8a5a00"),
    Severity.INFO: ("#e4eefc", "#1e4e8c"),
}

#: Items shown as the columns of a recap's table, as ``(key, short label)`` pairs.
RECAP_COLUMNS = (
    ("pus", "PUS"),
    ("pa", "PA"),
    ("bukan_peserta", "Bukan peserta"),
    ("pb", "PB"),
    ("institusi_lapor.PPKBD", "PPKBD lapor"),
)

_STYLE = (
    "<style>"
    ".sikkb table{border-collapse:collapse;margin:0.3em 0;font-size:0.9em}"
    ".sikkb th,.sikkb td{border:1px solid #d0d7de;padding:2px 8px;text-align:left}"
    ".sikkb td.num,.sikkb th.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".sikkb tr.total td{font-weight:bold;border-top:2px solid #57606a}"
    ".sikkb tr.sum td{font-weight:bold}"
    ".sikkb .muted{color:#6e7781;font-size:0.85em}"
    ".sikkb .badge{border-radius:3px;padding:0 4px;font-weight:bold}"
    ".sikkb summary{font-weight:bold;cursor:pointer}"
    ".sikkb code{white-space:nowrap}"
    "</style>"
)


def _e(value: object) -> str:
    """Escaped text of any value (``None`` → empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def _wrap(body: str) -> str:
    return f"<div class='sikkb'>{_STYLE}{body}</div>"


def _name(regions: RegionTable | None, code: str, *, plain: bool = False) -> str:
    """``Kelurahan Karawaci Baru`` (or ``Karawaci Baru`` when ``plain``); the code if unknown."""
    table = regions if regions is not None else kota_tangerang()
    if code in table:
        return table[code].name if plain else table[code].display
    return code


def _title(kind: str, code: str, period: object, regions: RegionTable | None) -> str:
    return (
        f"<h4>{_e(kind)} — {_e(_name(regions, code))} <span class='muted'>({_e(code)})</span>"
        f" — {_e(period)}</h4>"
    )


def _num(cell: Cell) -> str:
    return f"<td class='num'>{_e(cell.display())}</td>"


def _percent(r: Ratio) -> str:
    return f"<td class='num'>{_e(r.display())}</td>"


def _sections(
    sections: Sequence[tuple[Section, Sequence[tuple[Any, Cell]]]], open_sections: Iterable[Section]
) -> str:
    opened = set(open_sections)
    out = []
    for section, cells in sections:
        rows = "".join(
            f"<tr class='{'sum' if it.is_total else 'detail'}'>"
            f"<td title='{_e(it.label.en)}'>{_e(it.label.id)}</td>"
            f"<td class='muted'>{_e(it.key)}</td>{_num(cell)}</tr>"
            for it, cell in cells
        )
        table = (
            "<table><thead><tr><th>Butir</th><th>Kode</th><th class='num'>Jumlah</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
        flag = " open" if section in opened else ""
        out.append(
            f"<details{flag}><summary title='{_e(section.label_en)}'>{_e(section.label_id)}"
            f"</summary>{table}</details>"
        )
    return "".join(out)


def _headline(get: Any) -> str:
    pa, pus = get("pa").value, get("pus").value
    return (
        f"<p>PUS <b>{_e(get('pus').display())}</b> · PA <b>{_e(get('pa').display())}</b>"
        f" · CPR <b>{_e(Ratio.of(pa, pus).display())}</b> · PB <b>{_e(get('pb').display())}</b></p>"
    )


def village_report_html(report: VillageReport, *, regions: RegionTable | None = None) -> str:
    """The village report F/I/Dal as HTML: headline numbers, then sections I-V (V open).

    Args:
        report: the report.
        regions: the region table giving the kelurahan's name (default: Kota Tangerang's).
    """
    excluded = ""
    if report.rows_excluded:
        parts = ", ".join(f"{_e(t)}: {n}" for t, n in report.rows_excluded)
        excluded = f"<p class='muted'>Baris dikeluarkan (galat) / rows left out: {parts}</p>"
    body = (
        _title("F/I/Dal", report.region, report.period, regions)
        + _headline(report.cell)
        + excluded
        + _sections(report.sections(), [Section.V])
    )
    return _wrap(body)


def recap_html(recap: Recap, *, regions: RegionTable | None = None) -> str:
    """A recap as HTML: one row per child unit, the total, then the reporting coverage.

    The columns are the headline items of :data:`RECAP_COLUMNS` and the CPR; the full item list of
    the total follows in collapsed sections.
    """
    kind = {
        Tingkat.KECAMATAN: "Rek.Kec F/I/Dal",
        Tingkat.KABKOTA: "Rek.Kab/Kota F/I/Dal",
        Tingkat.PROVINSI: "Rekapitulasi Provinsi",
    }.get(recap.tingkat, "Rekapitulasi")
    head = "".join(
        f"<th class='num' title='{_e(item(k).label.en)}'>{_e(label)}</th>"
        for k, label in RECAP_COLUMNS
    )
    rows = []
    for r in recap.rows:
        cells = "".join(_num(r.cell(k)) for k, _ in RECAP_COLUMNS)
        lapor = "ya" if r.reported else "<b>belum</b>"
        rows.append(
            f"<tr><td>{_e(r.region)}</td><td>{_e(_name(regions, r.region, plain=True))}</td>"
            f"<td>{lapor}</td>"
            f"{cells}{_percent(Ratio.of(r.value('pa'), r.value('pus')))}</tr>"
        )
    total = "".join(_num(recap.cell(k)) for k, _ in RECAP_COLUMNS)
    reported = sum(1 for r in recap.rows if r.reported)
    rows.append(
        f"<tr class='total'><td colspan='2'>Jumlah</td><td>{reported}/{len(recap.rows)}</td>"
        f"{total}{_percent(Ratio.of(recap.value('pa'), recap.value('pus')))}</tr>"
    )
    child = recap.child_tingkat
    table = (
        f"<table><thead><tr><th>Kode</th><th>{_e(child.label_id)}</th><th>Lapor</th>{head}"
        f"<th class='num'>CPR</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    cov_rows = "".join(
        f"<tr><td title='{_e(c.tingkat.label_en)}'>{_e(c.tingkat.label_id)}</td>"
        f"<td class='num'>{c.expected}</td><td class='num'>{c.reported}</td>"
        f"{_percent(c.percent)}</tr>"
        for c in recap.coverage
    )
    coverage = (
        "<p><b>Cakupan laporan</b> <span class='muted'>(reporting coverage)</span></p>"
        "<table><thead><tr><th>Tingkat</th><th class='num'>Ada</th><th class='num'>Lapor</th>"
        f"<th class='num'>%</th></tr></thead><tbody>{cov_rows}</tbody></table>"
    )
    details = (
        "<details><summary>Rincian jumlah (I-V) / total by item</summary>"
        f"{_sections(recap.sections(), [])}</details>"
    )
    return _wrap(_title(kind, recap.region, recap.period, regions) + table + coverage + details)


def _badge(severity: Severity) -> str:
    bg, fg = SEVERITY_COLOURS[severity]
    return (
        f"<span class='badge' style='background:{bg};color:{fg}' title='{_e(severity.label_en)}'>"
        f"{_e(severity.label_id)}</span>"
    )


def findings_html(findings: Iterable[Finding], *, limit: int = MAX_FINDINGS) -> str:
    """Findings as HTML: counts per severity, then one row per finding (the first ``limit``).

    Each row gives the severity (coloured), where (table, row, column or region, item), the
    message in Indonesian with the English below it, the hint and the rule id.
    """
    items = list(findings)
    counts = {s: sum(1 for f in items if f.severity is s) for s in Severity}
    summary = " · ".join(f"{_badge(s)} {counts[s]}" for s in Severity)
    if not items:
        return _wrap(f"<p>Tidak ada temuan / no findings. {summary}</p>")
    rows = "".join(
        f"<tr><td>{_badge(f.severity)}</td><td>{_e(f.location.describe('id'))}</td>"
        f"<td>{_e(f.message.id)}<br><span class='muted'>{_e(f.message.en)}</span></td>"
        f"<td>{_e(f.hint.id)}<br><span class='muted'>{_e(f.hint.en)}</span></td>"
        f"<td><code>{_e(f.rule_id)}</code></td></tr>"
        for f in items[:limit]
    )
    more = (
        f"<p class='muted'>… dan {len(items) - limit} temuan lain / and {len(items) - limit} more"
        " (to_pandas() gives them all)</p>"
        if len(items) > limit
        else ""
    )
    table = (
        "<table><thead><tr><th>Tingkat</th><th>Lokasi</th><th>Pesan</th><th>Saran</th>"
        f"<th>Aturan</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    return _wrap(f"<p><b>{len(items)} temuan</b> · {summary}</p>{table}{more}")


def schedule_html(schedule: Schedule) -> str:
    """An SOP schedule as HTML: one row per step with its lane, start, due date and cut-offs."""
    rows = "".join(
        f"<tr><td class='num'>{s.number}</td><td>{_e(s.responsible)}</td>"
        f"<td>{_e(s.start.isoformat())}</td><td><b>{_e(s.due.isoformat())}</b></td>"
        f"<td>{_e(s.on_time_until.isoformat())}</td>"
        f"<td>{_e(s.locked_after.isoformat() if s.locked_after else '-')}</td>"
        f"<td title='{_e(s.completed_by.label_en)}'>{_e(s.completed_by.label_id)}</td>"
        f"<td>{_e(', '.join(str(d) for d in s.depends_on) or '-')}</td></tr>"
        for s in schedule.steps
    )
    counting = schedule.counting.label_id
    body = (
        f"<h4>Jadwal SOP {_e(schedule.sop_number)} — periode {_e(schedule.period)}</h4>"
        f"<p>{_e(counting)} · mulai {_e(schedule.start.isoformat())} · selesai "
        f"{_e(schedule.due.isoformat())}</p>"
        "<table><thead><tr><th class='num'>Langkah</th><th>Pelaksana</th><th>Mulai</th>"
        "<th>Batas waktu</th><th>Tepat waktu s.d.</th><th>Dikunci setelah</th>"
        f"<th>Selesai dengan</th><th>Menunggu</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    return _wrap(body)


def monthly_reports_html(
    month: MonthlyReports, *, regions: RegionTable | None = None, limit: int = 20
) -> str:
    """A month's reports as HTML: counts, the top recap (one row per kecamatan), the first findings."""
    counts = month.findings.counts()
    excluded = sum(month.rows_excluded.values())
    summary = (
        f"<h4>Laporan bulanan — {_e(_name(regions, month.top_code))} — {_e(month.period)}</h4>"
        f"<p>{len(month.villages)} laporan kelurahan (F/I/Dal) · {len(month.kecamatan)} Rek.Kec"
        f" · temuan: {' · '.join(f'{_badge(s)} {counts[s]}' for s in Severity)}"
        + (f" · {excluded} baris dikeluarkan" if excluded else "")
        + "</p>"
    )
    top = recap_html(month.top, regions=regions)
    found = (
        "<details><summary>Temuan / findings</summary>"
        f"{findings_html(month.findings, limit=limit)}</details>"
        if month.findings
        else ""
    )
    return _wrap(summary + top + found)
