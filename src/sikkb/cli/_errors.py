"""What the command line says about a refused operation, Indonesian first.

Exceptions carry English messages and structured attributes; this module turns the ones a user
meets into bilingual text. Anything not listed falls back to the exception's own message.
"""

from __future__ import annotations

from sikkb.errors import (
    DatabaseError,
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
    if isinstance(e, DatabaseError):  # the source is already masked: no password in any message
        hint = f" ({e.hint_id})" if e.hint_id else ""
        return Text(f"{e.source}: {e.reason_id}{hint}", en)
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
        install = getattr(e, "install", f"pip install 'sikkb[{getattr(e, 'extra', 'all')}]'")
        plugin = getattr(e, "plugin", None)
        by = f" dari {plugin}" if plugin else ""
        return Text(f"eksporter {getattr(e, 'exporter', '')!r}{by} memerlukan "
                    f"{getattr(e, 'module', '')}, yang belum terpasang: {install}", en)  # fmt: skip
    return _plugin_text(e, name, en)


def _plugin_label(e: BaseException) -> str:
    dist = getattr(e, "dist", None)
    return f"plugin {getattr(e, 'plugin', '')!r}" + (f" (distribusi {dist})" if dist else "")


def _plugin_text(e: BaseException, name: str, en: str) -> Text:
    """Plugin, output and event-log errors; anything else keeps its English message."""
    off = ("matikan dengan --disable-plugin {p} (atau daftar plugin yang dimuat di SIKKB_PLUGINS; "
           "SIKKB_DISABLE_PLUGIN_AUTOLOAD=1 hanya memuat eksporter bawaan)")  # fmt: skip
    if name == "PluginLoadError":
        return Text(f"{_plugin_label(e)} gagal dimuat: {getattr(e, 'reason', '')}; "
                    + off.format(p=getattr(e, "plugin", "")), en)  # fmt: skip
    if name == "InvalidExporterError":
        return Text(f"{_plugin_label(e)} mengembalikan sesuatu yang tidak sah: "
                    f"{getattr(e, 'reason', '')}; " + off.format(p=getattr(e, "plugin", "")), en)  # fmt: skip
    if name == "DuplicateExporterError":
        return Text(f"nama eksporter {getattr(e, 'name', '')!r} didaftarkan dua kali: oleh "
                    f"{getattr(e, 'first', '')} dan oleh {getattr(e, 'second', '')}; copot atau "
                    "matikan salah satunya (--disable-plugin NAMA)", en)  # fmt: skip
    if name == "UnsafeOutputError":
        return Text(f"menolak menulis {getattr(e, 'path', '')}: di luar folder keluaran "
                    f"{getattr(e, 'root', '')} (tautan simbolik atau '..' dalam jalurnya)", en)  # fmt: skip
    if name == "ExportFailedError":
        return Text(f"eksporter {getattr(e, 'exporter', '')!r} ({getattr(e, 'plugin', '')}) gagal "
                    f"untuk {getattr(e, 'unit', '')}: {getattr(e, 'reason_id', '')}", en)  # fmt: skip
    if isinstance(e, EventLogError):
        where = f"{e.path}:{e.line}" if e.line is not None else e.path
        return Text(f"log peristiwa {where}: {_event_reason_id(e.reason)}", en)
    return Text(en, en)


def _event_reason_id(reason: str) -> str:
    if "not a regular file" in reason:
        return "bukan berkas biasa (FIFO atau perangkat); berikan berkas log yang tersimpan di disk"
    if "larger than" in reason:
        return reason.replace("the event log is larger than", "lebih besar dari").replace(
            "bytes; is it the right file?", "byte; benarkah berkasnya?"
        )
    return reason


def _is_sikkb(e: BaseException) -> bool:
    from sikkb.errors import SikkbError

    return isinstance(e, SikkbError)
