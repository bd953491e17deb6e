"""Tables and charts that several documents share: a recap table (one row per child unit and the
total), the summary of a report, the trend and method-mix charts, and the timeliness table."""

from __future__ import annotations

from collections.abc import Sequence

from sikkb.codes import Metode
from sikkb.periods import MONTHS_ID, Period
from sikkb.regions import Tingkat
from sikkb.report import Ratio, Recap
from sikkb.report import indicators as ind
from sikkb.report.series import Series
from sikkb_exporters.bundle import RateLike, Report, ReportBundle
from sikkb_exporters.document import Block, Chart, Document, Paragraph, Pct, Row, Table
from sikkb_exporters.fmt import persen
from sikkb_exporters.layouts.common import (
    CHILD_WORD,
    IND,
    INDICATORS,
    Source,
    cell_values,
    make_document,
    ratio,
    signature_block,
    tembusan_lines,
    value,
)
from sikkb_exporters.layouts.notices import coverage_counts, not_reported

__all__ = [
    "UNIT_COLUMNS",
    "area_blocks",
    "area_document",
    "method_mix_chart",
    "month_label",
    "recap_rows",
    "recap_table",
    "summary_table",
    "timeliness_table",
    "trend_chart",
    "year_series",
]


def recap_rows(bundle: ReportBundle, recap: Recap, keys: Sequence[str]) -> list[Row]:
    rows = [
        Row(
            cells=(str(i), bundle.name_of(r.region), *cell_values(r, keys)),
            keys=(None, r.region, *keys),
        )
        for i, r in enumerate(recap.rows, start=1)
    ]
    rows.append(
        Row(
            cells=("", "JUMLAH", *cell_values(recap, keys)),
            keys=(None, recap.region, *keys),
            style="total",
        )
    )
    return rows


def recap_table(
    bundle: ReportBundle,
    recap: Recap,
    title: str,
    columns: Sequence[tuple[str, str]],
    *,
    sheet: str | None = None,
    note: str = "",
) -> Table:
    child = CHILD_WORD[recap.child_tingkat]
    return Table(
        title=title,
        columns=("No", child, *(label for label, _ in columns)),
        rows=recap_rows(bundle, recap, [k for _, k in columns]),
        sheet=sheet,
        note=note,
    )


def summary_table(bundle: ReportBundle, title: str) -> Table:
    src = bundle.report
    counts = [
        ("Jumlah PUS", "pus"),
        ("Peserta KB aktif (PA)", "pa"),
        ("Peserta KB baru (PB)", "pb"),
    ]
    rows = [
        Row(cells=(str(i), label, value(src, key)), keys=(None, None, key))
        for i, (label, key) in enumerate(counts, start=1)
    ]
    rows.append(
        Row(
            cells=(str(len(rows) + 1), "Unmet need (IAT + TIAL)", ind.unmet_need(src)),
            keys=(None, None, "jumlah:unmet_need"),
        )
    )
    for indicator in INDICATORS:
        rows.append(
            Row(
                cells=(str(len(rows) + 1), indicator.label, ratio(src, indicator)),
                keys=(None, None, indicator.key),
            )
        )
    if bundle.ppm is not None:
        series = year_series(bundle)
        p = bundle.period
        months = f"{MONTHS_ID[0]} s.d. {p.month_name_id} {p.year}"
        rows.append(
            Row(
                cells=(str(len(rows) + 1), f"PB kumulatif {months}", series.ytd("pb", p)),
                keys=(None, None, "jumlah:pb_ytd"),
            )
        )
        rows.append(
            Row(
                cells=(str(len(rows) + 1), f"PB kumulatif / PPM {p.year}",
                       Pct(series.pb_vs_ppm(bundle.ppm, p).percent)),
                keys=(None, None, "indikator:pb_vs_ppm"),
            )
        )  # fmt: skip
    return Table(title=title, columns=("No", "Uraian", "Jumlah / %"), rows=rows)


def year_series(bundle: ReportBundle) -> Series:
    """The report and its history months of the same year, one per month (the report wins)."""
    by_month = {
        r.period: r
        for r in bundle.history
        if r.region == bundle.region_code and r.period.year == bundle.period.year
    }
    by_month[bundle.period] = bundle.report
    return Series.of([by_month[m] for m in sorted(by_month) if m <= bundle.period])


UNIT_COLUMNS = (
    ("PUS", "pus"), ("PA", "pa"), ("CPR", "indikator:cpr"), ("mCPR", "indikator:mcpr"), ("PB", "pb"),
    ("MKJP", "indikator:mkjp"), ("KB pria", "indikator:kb_pria"), ("Unmet need", "indikator:unmet_need"),
)  # fmt: skip


def month_label(p: Period) -> str:
    return f"{MONTHS_ID[p.month - 1][:3]} {p.year % 100:02d}"


def trend_chart(bundle: ReportBundle) -> Block:
    series: list[Report] = [
        r for r in bundle.history if r.region == bundle.region_code and r.period < bundle.period
    ]
    series.append(bundle.report)
    if len(series) < 2:
        return Paragraph(text="Tren bulanan: belum ada data bulan sebelumnya.")
    return Chart(
        kind="line",
        title="Tren CPR dan mCPR per bulan",
        categories=[month_label(r.period) for r in series],
        series=[
            (i.label.split(" ")[0], [ratio(r, i).value for r in series])
            for i in (IND["cpr"], IND["mcpr"])
        ],
        unit="%",
    )


def method_mix_chart(src: Source, title: str) -> Chart:
    return Chart(kind="pie", title=title, categories=[m.label_id for m in Metode],
                 series=[("PA", [float(v) if (v := src.cell(f"pa.{m.code}").value) is not None else None for m in Metode])])  # fmt: skip


def _completeness(bundle: ReportBundle, recap: Recap) -> Block:
    """Without SOP data: the kelurahan reports received, per child recap when the bundle has them."""
    note = "Ketepatan waktu: data jadwal (SOP) tidak tersedia; kelengkapan dari laporan yang masuk."
    children = [c for c in bundle.children if c.region in {r.region for r in recap.rows}]
    cov = recap.coverage_at(Tingkat.KELURAHAN)
    if bundle.status is not None:  # the set's one count: every child, kelurahan included
        units = [(r.code, (r.expected, r.actual)) for r in bundle.status.children(recap.region)]
    else:
        units = [(ch.region, coverage_counts(bundle, ch, Tingkat.KELURAHAN)) for ch in children]
    own = coverage_counts(bundle, recap, Tingkat.KELURAHAN)
    if not units:
        if cov is None:
            return Paragraph(text=note)
        return Paragraph(
            text=f"Kelengkapan laporan kelurahan: {own[1]} dari {own[0]} "
            f"({persen(Ratio.of(own[1], own[0]).percent)}). {note}"
        )
    rows = []
    for i, (code, (expected, reported)) in enumerate([*units, (recap.region, own)], start=1):
        is_total = code == recap.region
        rows.append(
            Row(
                cells=("" if is_total else str(i), "JUMLAH" if is_total else bundle.name_of(code),
                       expected, reported, Pct(Ratio.of(reported, expected).percent)),
                keys=(None, code, "expected", "actual", "reporting_rate"),
                style="total" if is_total else "normal",
            )
        )  # fmt: skip
    return Table(
        title="D. KELENGKAPAN LAPORAN KELURAHAN",
        columns=(
            "No",
            CHILD_WORD[recap.child_tingkat],
            "Laporan seharusnya",
            "Laporan masuk",
            "Kelengkapan",
        ),
        rows=rows,
        sheet="Ketepatan",
        note=note,
    )


def timeliness_table(bundle: ReportBundle, recap: Recap) -> Block:
    child_codes = {r.region for r in recap.rows}
    given: Sequence[RateLike] = bundle.timeliness
    if bundle.status is not None:  # the set's one count, kelurahan rows included
        if not bundle.status.timed:
            return _completeness(bundle, recap)
        given = bundle.status.rates
    # one row per unit: rates of several SOP steps given together keep the earliest step's
    first: dict[str, RateLike] = {}
    for r in sorted(given, key=lambda r: (r.code, getattr(r, "step", 0))):
        first.setdefault(r.code, r)
    rates = [first[c] for c in sorted(child_codes) if c in first]
    total = [first[recap.region]] if recap.region in first else []
    if not rates and not total:
        return _completeness(bundle, recap)
    rows = []
    for i, r in enumerate([*rates, *total], start=1):
        is_total = r.code == recap.region
        rows.append(
            Row(
                cells=("" if is_total else str(i), "JUMLAH" if is_total else bundle.name_of(r.code), r.expected, r.actual, r.actual_on_time,
                       r.actual - r.actual_on_time, r.expected - r.actual, Pct(r.reporting_rate), Pct(r.on_time_rate)),
                keys=(None, r.code, "expected", "actual", "actual_on_time", "late", "not_received", "reporting_rate", "on_time_rate"),
                style="total" if is_total else "normal",
            )
        )  # fmt: skip
    return Table(
        title="D. KETEPATAN WAKTU DAN KELENGKAPAN LAPORAN",
        columns=(
            "No",
            CHILD_WORD[recap.child_tingkat],
            "Laporan seharusnya",
            "Laporan masuk",
            "Masuk tepat waktu",
            "Masuk terlambat",
            "Belum masuk",
            "Kelengkapan",
            "Ketepatan waktu",
        ),
        rows=rows,
        sheet="Ketepatan",
    )


def area_blocks(bundle: ReportBundle, recap: Recap) -> list[Block]:
    """The body of a kota or kecamatan report: A. totals, B. by child unit, C. charts, D. timeliness,
    and the child units that have not reported."""
    level = recap.tingkat
    child = CHILD_WORD[recap.child_tingkat]
    missing = [bundle.name_of(c) for c in not_reported(bundle, recap)]
    blocks: list[Block] = [
        summary_table(
            bundle, f"A. Capaian {level.label_id.lower()} bulan {bundle.period.label_id}"
        ),
        recap_table(
            bundle,
            recap,
            f"B. CAPAIAN PER {child.upper()}",
            UNIT_COLUMNS,
            sheet=f"Per {child.split('/')[0]}",
        ),
        Paragraph(text="C. GRAFIK", heading=True),
        Chart(
            kind="bar",
            title=f"CPR per {child.split('/')[0].lower()}",
            categories=[bundle.name_of(r.region) for r in recap.rows],
            series=[("CPR", [ratio(r, IND["cpr"]).value for r in recap.rows])],
            unit="%",
        ),
        method_mix_chart(recap, "Peserta KB aktif menurut metode (mix kontrasepsi)"),
        trend_chart(bundle),
        timeliness_table(bundle, recap),
    ]
    if missing:
        blocks.append(Paragraph(text=f"{child} yang belum melapor: {', '.join(missing)}."))
    return blocks


def area_document(
    bundle: ReportBundle, *, layout: str, title: str, to: str, above: str, copies: Sequence[str]
) -> Document:
    """A kota or kecamatan report: addressee line, :func:`area_blocks`, one signature, copies."""
    recap = bundle.report
    assert isinstance(recap, Recap)
    sig, findings = signature_block(bundle, recap.tingkat, recap.region, above=above)
    return make_document(
        bundle,
        layout=layout,
        title=title,
        subtitle=f"BULAN {bundle.period.label_id.upper()}",
        blocks=[Paragraph(text=to), *area_blocks(bundle, recap)],
        signatures=(sig,),
        tembusan=tembusan_lines(bundle, copies),
        findings=findings,
    )
