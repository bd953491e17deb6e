"""What every document of a report set prints about the set itself, shared by all layouts.

- the "as of" line: the date coverage and timeliness are counted as of (one per report set);
- the rows left out: how many rows of which register table were not counted, and why
  (``--exclude-invalid``);
- for a kelurahan's own documents, its report's status as of that date.

Layouts call :func:`notices` once (their common document constructor puts the lines in
:attr:`Document.notices <sikkb_exporters.document.Document.notices>`) and, for the
figures, :func:`coverage_counts`, :func:`unit_rates` and :func:`not_reported`, which read the
shared :class:`~sikkb.sop.asof.ReportingStatus` when the bundle has one.
"""

from __future__ import annotations

from collections.abc import Sequence

from sikkb.outcome import FORMS
from sikkb.regions import Tingkat
from sikkb.report import Recap, VillageReport
from sikkb_exporters.bundle import ReportBundle
from sikkb_exporters.fmt import tanggal

__all__ = ["as_of_text", "coverage_counts", "excluded_text", "not_reported", "notices"]

_SOURCE = {
    "events": "log peristiwa laporan (SOP)",
    "reports": "laporan yang ada dalam data ini (tanpa log peristiwa: ketepatan waktu tidak diketahui)",
}


def as_of_text(bundle: ReportBundle) -> str:
    """``Cakupan dan ketepatan waktu laporan per 20 November 2026 (sumber: ...).``; ``""`` without."""
    status = bundle.status
    if status is None:
        return ""
    return (
        f"Cakupan dan ketepatan waktu laporan per {tanggal(status.as_of)} "
        f"(sumber: {_SOURCE.get(status.source, status.source)})."
    )


def excluded_text(bundle: ReportBundle) -> str:
    """The rows left out, by table and rule; ``""`` when none were."""
    if not bundle.excluded:
        return ""
    parts = []
    for e in bundle.excluded:
        why = ", ".join(f"{rule}: {n}" for rule, n in e.reasons)
        what = (
            f"formulir F/I/Dal {e.rows}" if e.table == FORMS else f"tabel {e.table} {e.rows} baris"
        )
        parts.append(f"{what} ({why})")
    text = (
        "PERHATIAN: baris register (atau formulir) yang memuat galat TIDAK dihitung dalam laporan bulan ini "
        f"(--exclude-invalid): {'; '.join(parts)}. Angka laporan ini tanpa baris tersebut."
    )
    report = bundle.report
    if isinstance(report, VillageReport):
        own = ", ".join(f"tabel {t} {n} baris" for t, n in report.rows_excluded)
        text += f" Dari kelurahan ini: {own or 'tidak ada'}."
    return text


def _own_status(bundle: ReportBundle) -> str:
    status = bundle.status
    if status is None or bundle.level is not Tingkat.KELURAHAN:
        return ""
    r = status.rate(bundle.region_code)
    if r is None:
        return ""
    if not r.actual:
        state = "belum masuk"
    elif not status.timed:
        state = "masuk"
    else:
        state = "masuk tepat waktu" if r.actual_on_time else "masuk terlambat"
    return f"Laporan kelurahan ini per {tanggal(status.as_of)}: {state}."


def notices(bundle: ReportBundle) -> tuple[str, ...]:
    """The lines every document of the set prints under its header block (``Document.notices``)."""
    texts = [excluded_text(bundle), as_of_text(bundle), _own_status(bundle)]
    return tuple(t for t in texts if t)


def coverage_counts(bundle: ReportBundle, recap: Recap, tingkat: Tingkat) -> tuple[int, int]:
    """(units expected, units reported) at one level below ``recap``, from the shared status."""
    status = bundle.status
    own = recap.coverage_at(tingkat)
    if status is None:
        return (own.expected, own.reported) if own is not None else (0, 0)
    if tingkat is Tingkat.KELURAHAN:
        r = status.rate(recap.region)
        return (r.expected, r.actual) if r is not None else (0, 0)
    units = [
        r for r in status.rates if r.tingkat is tingkat and r.code.startswith(recap.region + ".")
    ]
    return len(units), sum(1 for r in units if r.actual)


def not_reported(bundle: ReportBundle, recap: Recap) -> Sequence[str]:
    """The child units of ``recap`` without a report, from the shared status when there is one."""
    status = bundle.status
    if status is None:
        return recap.not_reported
    return tuple(r.code for r in status.children(recap.region) if not r.actual)
