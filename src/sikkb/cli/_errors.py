"""What the command line says about a refused operation, Indonesian first.

Exceptions carry English messages and structured attributes; this module turns the ones a user
meets into bilingual text. Anything not listed falls back to the exception's own message.
"""

from __future__ import annotations

from sikkb.cli._usage import UsageError
from sikkb.errors import (
    EventLogError,
    FormReportError,
    InvalidCodeError,
    InvalidPeriodError,
    InvalidRegionTableError,
    LifecycleError,
    RegisterFileError,
    UnknownRegionError,
)
from sikkb.i18n import Text
from sikkb.rules.engine import UnknownRuleError


def error_text(e: BaseException) -> Text:
    """A bilingual description of ``e`` for the terminal."""
    en = str(e)
    if isinstance(e, UsageError):
        return e.text
    if isinstance(e, EventLogError):
        where = f"{e.path}:{e.line}" if e.line is not None else e.path
        return Text(f"log peristiwa {where}: {e.reason_id}", en)
    if isinstance(e, OSError) and not _is_sikkb(e) and e.filename:
        reason_id = {
            FileNotFoundError: "berkas atau folder tidak ditemukan",
            FileExistsError: "berkas sudah ada; pakai --overwrite untuk menimpanya",
            PermissionError: "tidak ada izin untuk membuka atau menulis",
            IsADirectoryError: "ini folder, bukan berkas",
            NotADirectoryError: "ini berkas, bukan folder",
        }.get(type(e), e.strerror or "tidak dapat dibuka")
        return Text(f"{e.filename}: {reason_id}", f"{e.filename}: {e.strerror or en}")
    if isinstance(e, RegisterFileError):
        hint = f" ({e.hint_id})" if e.hint_id else ""
        return Text(f"{e.path}: {e.reason_id}{hint}", en)
    if isinstance(e, LifecycleError | FormReportError):
        prefix = f"formulir {e.kode_wilayah}: " if isinstance(e, FormReportError) else ""
        return Text(prefix + (getattr(e, "reason_id", "") or en), en)
    if isinstance(e, InvalidPeriodError):
        return Text(f"periode {e.value!r} tidak valid: tulis YYYY-MM, misalnya 2026-10", en)
    if isinstance(e, UnknownRegionError):
        near = f"; yang terdekat: {'; '.join(e.suggestions)}" if e.suggestions else ""
        return Text(f"kode wilayah {e.code} tidak dikenal{near}", en)
    if isinstance(e, InvalidCodeError):
        near = f"; mungkin maksudnya {', '.join(e.suggestions)}?" if e.suggestions else ""
        return Text(f"kode {e.kind} {e.value!r} tidak dikenal{near}", en)
    if isinstance(e, InvalidRegionTableError):
        return Text("tabel wilayah tidak valid:\n" + "\n".join(f"- {p}" for p in e.problems), en)
    if isinstance(e, UnknownRuleError):
        return Text(f"tidak ada aturan {e.rule_id!r}; aturan yang ada: {', '.join(e.known)}", en)
    name = type(e).__name__
    if name == "UnknownExporterError":
        known = ", ".join(getattr(e, "known", ()))
        return Text(
            f"tidak ada eksporter bernama {getattr(e, 'name', '')!r}; yang terpasang: {known}", en
        )
    if name == "OutputExistsError":
        return Text(f"{getattr(e, 'path', '')} sudah ada; pakai --overwrite untuk menimpanya", en)
    if name == "MissingExtraError":
        extra = getattr(e, "extra", "all")
        return Text(f"eksporter {getattr(e, 'exporter', '')!r} memerlukan paket tambahan: "
                    f"pip install 'sikkb[{extra}]'", en)  # fmt: skip
    return Text(en, en)


def _is_sikkb(e: BaseException) -> bool:
    from sikkb.errors import SikkbError

    return isinstance(e, SikkbError)
