"""Every message the command line shows, Indonesian first."""

from __future__ import annotations

from sikkb.i18n import Text as T

READING = T("Membaca register {path} ...", "Reading register {path} ...")
READ_DONE = T("{path}: {rows} baris dibaca ({bad} baris tidak dapat dibaca)",
              "{path}: {rows} rows read ({bad} rows could not be read)")  # fmt: skip
FINDINGS_SUMMARY = T("Temuan: {errors} galat, {warnings} peringatan, {infos} info",
                     "Findings: {errors} errors, {warnings} warnings, {infos} info")  # fmt: skip
FINDINGS_MORE = T("... dan {n} temuan lain (pakai --all untuk melihat semua)",
                  "... and {n} more findings (use --all to see them all)")  # fmt: skip
VALID = T("Register valid: tidak ada galat.", "Register is valid: no errors.")
HAS_ERRORS = T(
    "Register memuat galat. Perbaiki baris yang disebut, atau jalankan dengan --exclude-invalid "
    "agar baris bergalat tidak dihitung (laporan akan menyebut jumlahnya).",
    "The register has errors. Fix the rows named, or run with --exclude-invalid to leave rows with "
    "errors out (the report will say how many).",
)
EXCLUDED = T(
    "Baris bergalat tidak dihitung (--exclude-invalid); setiap laporan menyebutnya: {detail}",
    "Rows with errors left out (--exclude-invalid); every report states it: {detail}",
)
BLOCKED = T(
    "Tidak ada laporan yang dapat dibuat: {where} bermasalah (lihat galat di atas). Baris tidak "
    "dapat dikeluarkan untuk ini; perbaiki register lalu jalankan lagi.",
    "No report can be made: {where} is at fault (see the errors above). Leaving rows out cannot "
    "fix this; correct the register and run again.",
)
NOT_WRITTEN = T("Laporan TIDAK ditulis.", "No report was written.")
EXPORT_FAILED = T(
    "GAGAL: eksporter {exporter} ({plugin}) untuk {unit}: {message}",
    "FAILED: exporter {exporter} ({plugin}) for {unit}: {message}",
)
FAILED_SUMMARY = T(
    "{failed} berkas GAGAL ditulis, {written} berkas ditulis ke {out}. Eksporter yang gagal: "
    "{exporters}. Matikan plugin yang rusak dengan --disable-plugin ({plugins}).",
    "{failed} files FAILED, {written} files written to {out}. Failed exporters: {exporters}. "
    "Switch a broken plugin off with --disable-plugin ({plugins}).",
)
WRITING = T("Menulis laporan", "Writing reports")
WROTE = T("{n} berkas ditulis ke {out}", "{n} files written to {out}")
WARN_EXPORT = T("Peringatan ekspor: {message}", "Export warning: {message}")
NO_EXPORTER = T(
    "Tidak ada eksporter terpasang untuk tingkat {level}.",
    "No installed exporter renders level {level}.",
)
DEMO_LABEL = T(
    "DATA CONTOH (sintetis) — bukan data sebenarnya. Kota Tangerang, {months} bulan s.d. {period}.",
    "SAMPLE DATA (synthetic) — not real data. Kota Tangerang, {months} months up to {period}.",
)
DEMO_GENERATING = T(
    "Membuat register contoh {period} ...", "Generating the sample register for {period} ..."
)
DEMO_DONE = T(
    "Selesai. Laporan contoh ada di {out} (lihat {index}).",
    "Done. The sample reports are in {out} (see {index}).",
)
TEMPLATE_WRITTEN = T("Templat ditulis: {path}", "Template written: {path}")
INPUT_ERROR = T("Galat masukan: {message}", "Input error: {message}")
INTERNAL_ERROR = T(
    "Galat internal sikkb ({kind}). Jalankan ulang dengan --debug untuk rinciannya dan laporkan ke pengelola.",
    "Internal sikkb error ({kind}). Run again with --debug for details and report it to the maintainers.",
)
INTERRUPTED = T("Dihentikan.", "Interrupted.")
EXPORTERS_HEADER = T("Eksporter terpasang:", "Installed exporters:")
SCHEDULE_HEADER = T("Jadwal SOP {sop} untuk periode {period} ({counting})",
                    "SOP {sop} schedule for period {period} ({counting})")  # fmt: skip
STATUS_HEADER = T("Ketepatan dan kelengkapan laporan {period} per {as_of}",
                  "Reporting timeliness and completeness, {period}, as of {as_of}")  # fmt: skip
OVERDUE_HEADER = T("Terlambat (perlu diingatkan):", "Overdue (to remind):")
DUE_SOON_HEADER = T("Jatuh tempo dalam {days} hari:", "Due within {days} days:")
NONE = T("(tidak ada)", "(none)")
RATE_LINE = T("langkah {step}: {actual}/{expected} melapor ({rate}), tepat waktu {on_time} ({on_time_rate})",
              "step {step}: {actual}/{expected} reported ({rate}), on time {on_time} ({on_time_rate})")  # fmt: skip
REMINDER_LINE = T("langkah {step} [{lane}] jatuh tempo {due} ({days} hari)",
                  "step {step} [{lane}] due {due} ({days} days)")  # fmt: skip
MORE = T(
    "... dan {n} lainnya (pakai --json untuk daftar lengkap)",
    "... and {n} more (use --json for the full list)",
)
