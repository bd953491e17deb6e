"""Argument parsing, dispatch, and the guarantee that no traceback reaches the user."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from sikkb import __version__
from sikkb.cli import _messages as M
from sikkb.cli._argparse_lang import argparse_language, language_of
from sikkb.cli._ui import UI
from sikkb.errors import SikkbError

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
#: Standard output was closed by the reader (``sikkb ... | head``): stop quietly, as ``git`` does.
EXIT_PIPE = 141


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors already; keep its message short, in the user's language."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        template = argparse._("%(prog)s: error: %(message)s\n")  # type: ignore[attr-defined]
        self.exit(EXIT_INPUT, template % {"prog": self.prog, "message": message})


def _common(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    """The global options: on the top parser and on every subcommand, so they go before or after
    the subcommand. A subcommand's copy has no default, so it never undoes one given before it."""

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    p.add_argument(
        "--lang",
        choices=("id", "en"),
        default=default(None),
        help="bahasa pesan / message language (default: id, or $SIKKB_LANG)",
    )
    p.add_argument("--json", action="store_true", default=default(False),
                   help="keluaran JSON / JSON output on stdout")  # fmt: skip
    p.add_argument("--quiet", "-q", action="store_true", default=default(False),
                   help="tanpa pesan kemajuan / no progress messages")  # fmt: skip
    p.add_argument("--debug", action="store_true", default=default(False),
                   help="tampilkan traceback / show tracebacks")  # fmt: skip


def _period(p: argparse.ArgumentParser, *, required: bool = True) -> None:
    p.add_argument("--period", "--periode", dest="period", required=required,
                   help="bulan laporan / reporting month, YYYY-MM (e.g. 2026-10)")  # fmt: skip


def _register_inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "registers",
        nargs="*",
        metavar="REGISTER",
        help="register: berkas .xlsx, folder CSV atau URL basis data / an .xlsx workbook, a folder "
        "of CSV files or a database URL (sqlite:///kb.db, postgresql://user@host/db)",
    )
    _period(p)
    p.add_argument(
        "--regions",
        "--wilayah",
        dest="regions",
        metavar="CSV",
        help="tabel wilayah sendiri (kode,nama,level) / your own region table (default: Kota Tangerang)",
    )
    p.add_argument(
        "--disable",
        action="append",
        default=[],
        metavar="RULE",
        help="matikan aturan / switch a rule off (repeatable)",
    )
    p.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL",
                   help="ubah tingkat aturan / change a rule's severity, e.g. umur-istri=WARNING")  # fmt: skip
    p.add_argument("--max-rows", type=int, default=None, metavar="N",
                   help="batas baris per tabel / most data rows per table (default 1,000,000; "
                        "100,000,000 with --engine columnar)")  # fmt: skip
    p.add_argument("--engine", choices=("columnar", "records"), default=None,
                   help="mesin hitung / computing engine: columnar (Polars; default when "
                        "installed) or records; both give the same results")  # fmt: skip
    p.add_argument("--findings", metavar="CSV",
                   help="tulis semua temuan ke CSV / write every finding to a CSV file")  # fmt: skip


def _disable_plugin(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--disable-plugin",
        action="append",
        default=[],
        metavar="NAME",
        help="jangan muat plugin ini / do not load this plugin (repeatable; or list the plugins to "
        "load in $SIKKB_PLUGINS)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sikkb",
        description="sikkb — laporan pengendalian lapangan KB (F/I/Dal) / "
        "family-planning field-control reports",
        epilog="Kode keluar / exit codes: 0 selesai/ok, 1 ada galat data, tidak ada yang ditulis/"
        "data errors, nothing written, 2 galat masukan atau eksporter gagal/input error or an "
        "exporter failed, 3 galat internal/internal error, 141 keluaran ditutup pembaca/output "
        "pipe closed by its reader.",
    )
    parser.add_argument("--version", action="version", version=f"sikkb {__version__}",
                        help="tampilkan versi / show the version")  # fmt: skip
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "validate", help="periksa register / validate registers (register → findings)"
    )
    _register_inputs(p)
    _common(p)
    p.add_argument("--all", action="store_true", help="tampilkan semua temuan / show every finding")
    p.add_argument(
        "--exclude-invalid",
        action="store_true",
        help="periksa apakah laporan dapat dibuat tanpa baris bergalat / check whether a report "
        "can be made with the rows with errors left out (exit 0 if so)",
    )

    p = sub.add_parser("report", help="buat laporan / write reports (registers + period → files)")
    _register_inputs(p)
    _common(p)
    p.add_argument("--out", "-o", required=True, help="folder keluaran / output folder")
    p.add_argument(
        "--form",
        action="append",
        default=[],
        metavar="XLSX",
        help="formulir F/I/Dal terisi (angka agregat) / a filled F/I/Dal form (aggregates), repeatable",
    )
    p.add_argument(
        "--exporter",
        "-e",
        action="append",
        default=[],
        metavar="NAME",
        help="eksporter yang dipakai / exporter to use (repeatable; default: bkkbn, kota, "
        "kecamatan and kelurahan reports as XLSX and PDF). See `sikkb exporters`.",
    )
    p.add_argument(
        "--level",
        action="append",
        default=[],
        choices=("kelurahan", "kecamatan", "kota"),
        help="tingkat laporan / report levels (repeatable; default: all)",
    )
    p.add_argument(
        "--exclude-invalid",
        action="store_true",
        help="jangan hitung baris bergalat / leave rows with errors out (the reports say how many)",
    )
    p.add_argument(
        "--config", metavar="TOML", help="konfigurasi kop & penanda tangan / letterhead and signers"
    )
    p.add_argument(
        "--events",
        metavar="JSONL|URL",
        help="log peristiwa laporan / report event log (for timeliness): a JSON Lines file or a "
        "database URL (sqlite:///sikkb.db, postgresql://user@host/db)",
    )
    p.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="hitung cakupan & ketepatan waktu per tanggal ini / count coverage and timeliness "
        "as of this date (default: today); every document prints it",
    )
    _disable_plugin(p)
    p.add_argument(
        "--bundle", metavar="ZIP", help="juga satu berkas zip / also write one zip bundle"
    )
    p.add_argument("--overwrite", action="store_true", help="timpa berkas yang ada / overwrite existing files")  # fmt: skip

    p = sub.add_parser("schedule", help="jadwal SOP / SOP due dates for a period")
    _period(p)
    _common(p)
    p.add_argument("--sop", metavar="TOML", help="berkas SOP sendiri / your own SOP file")
    p.add_argument(
        "--working-days",
        "--hari-kerja",
        dest="working_days",
        action="store_true",
        help="hitung hari kerja / count working days (weekends, holidays, cuti bersama off)",
    )
    p.add_argument("--cuti-bersama", default="", metavar="DATES",
                   help="tanggal cuti bersama / collective-leave days, comma separated YYYY-MM-DD")  # fmt: skip

    p = sub.add_parser("status", help="ketepatan waktu / timeliness from an event log")
    _period(p)
    _common(p)
    p.add_argument(
        "--events",
        required=True,
        metavar="JSONL|URL",
        help="log peristiwa / event log: a JSON Lines file or a database URL "
        "(sqlite:///sikkb.db, postgresql://user@host/db)",
    )
    p.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="per tanggal / as of date (default: today)"
    )
    p.add_argument("--sop", metavar="TOML", help="berkas SOP sendiri / your own SOP file")
    p.add_argument(
        "--regions", "--wilayah", dest="regions", metavar="CSV", help="tabel wilayah / region table"
    )
    p.add_argument("--due-soon", type=int, default=3, metavar="DAYS",
                   help="tampilkan yang jatuh tempo dalam N hari / show steps due within N days")  # fmt: skip

    p = sub.add_parser("template", help="templat XLSX / write a blank XLSX template")
    p.add_argument(
        "kind",
        choices=("register", "form"),
        help="register: register PPKBD; form: formulir F/I/Dal (angka agregat / aggregates)",
    )
    p.add_argument("--out", "-o", required=True, help="berkas .xlsx / output .xlsx file")
    p.add_argument("--kelurahan", metavar="CODE", help="kode kelurahan / kelurahan code to prefill")
    p.add_argument("--sample", action="store_true",
                   help="register: isi dengan data contoh satu kelurahan (DATA CONTOH) / "
                   "fill in a small sample register of one kelurahan (synthetic) to try")  # fmt: skip
    _period(p, required=False)
    p.add_argument("--overwrite", action="store_true", help="timpa / overwrite an existing file")
    _common(p)

    p = sub.add_parser(
        "exporters", help="eksporter terpasang / installed exporters and their plugins"
    )
    _common(p)
    _disable_plugin(p)

    p = sub.add_parser(
        "demo", help="jalankan siklus bulanan pada data contoh / run the monthly cycle on demo data"
    )
    _common(p)
    p.add_argument(
        "--out",
        "-o",
        default="sikkb-demo",
        help="folder keluaran / output folder (default: sikkb-demo)",
    )
    _period(p, required=False)
    p.add_argument(
        "--months", type=int, default=4, help="jumlah bulan / months of history (default 4)"
    )
    p.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="ukuran relatif Kota Tangerang / size relative to the real city (default 1: about 400,000 families, 324,000 PUS)",
    )
    p.add_argument("--seed", type=int, default=2026, help="benih acak / random seed")
    p.add_argument("--exporter", "-e", action="append", default=[], metavar="NAME",
                   help="eksporter yang dipakai / exporter to use (repeatable; default as for "
                   "`sikkb report`)")  # fmt: skip
    _disable_plugin(p)
    p.add_argument(
        "--kelurahan-reports",
        choices=("all", "sample", "none"),
        default="all",
        help="laporan per kelurahan / reports for every kelurahan, a sample, or none",
    )
    p.add_argument("--overwrite", action="store_true", help="timpa / overwrite existing files")  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (never raises for the user's sake).

    When the reader of standard output goes away (``sikkb status ... | head``), the command stops
    quietly with :data:`EXIT_PIPE`: no traceback, no "input error".
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that flush is silent.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_PIPE
    return code


def run() -> NoReturn:
    """The ``sikkb`` program (and ``python -m sikkb``): :func:`main`, then exit at once.

    Python's own exit frees every object one by one: some 570 modules and, after a report, the
    month's columns and reports, which takes 0.1-0.25 s at the city's size that nobody needs.
    Here every file the command wrote is already closed (and fsynced), its worker processes and
    threads have ended, and standard output and error are flushed below; the process then ends
    with :func:`os._exit`, as mypy's command line does (``mypy.util.hard_exit``). Programs that
    embed the command line (and the tests) call :func:`main`, which returns.
    """
    _tune_allocator()
    # the cyclic collector, run every 700 allocations by default, walks the 50,000 objects
    # of the imported modules each time it reaches the oldest generation; the command makes few
    # cycles (mypy's command line does the same: mypy.util.tune_gc)
    gc.set_threshold(200_000, 30, 30)
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away after the last line: as in main()
        code = EXIT_PIPE
    if "logging" in sys.modules:  # a plugin's log handlers write what they hold
        sys.modules["logging"].shutdown()
    os._exit(code)


def _tune_allocator() -> None:
    """Ask Polars' allocator (jemalloc) for one arena per two cores, unless the user chose.

    jemalloc's default is four arenas per core; memory a thread frees stays in its arena, so the
    columns one reader thread drops are not reused by the other, and a city's month peaked about
    80 MB higher (472 MB against 392 MB with one arena on two cores, as fast: see
    docs/performance.md). jemalloc reads ``_RJEM_MALLOC_CONF`` once, when Polars is loaded (Polars
    puts its own decay settings first and the variable's value after them); added here, before.
    """
    if "polars" in sys.modules:
        return
    conf = os.environ.get("_RJEM_MALLOC_CONF", "")
    if "narenas" not in conf:
        arenas = max(1, (os.cpu_count() or 1) // 2)
        os.environ["_RJEM_MALLOC_CONF"] = ",".join(filter(None, (conf, f"narenas:{arenas}")))


def _main(argv: list[str]) -> int:
    lang = language_of(argv, os.environ.get("SIKKB_LANG", "id"))
    with argparse_language(lang):
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_INPUT
    lang = args.lang or lang
    ui = UI(lang="en" if lang == "en" else "id", json_mode=args.json, quiet=args.quiet)
    from sikkb.cli import commands

    try:
        code: int = getattr(commands, f"cmd_{args.command}")(args, ui)
        return code
    except BrokenPipeError:
        raise
    except KeyboardInterrupt:
        ui.error(M.INTERRUPTED)
        return 130
    except (SikkbError, OSError, ValueError, LookupError) as e:
        if args.debug:
            traceback.print_exc()
        from sikkb.cli._errors import error_text

        message = error_text(e).get(ui.lang)
        if args.json:
            ui.emit_json({"ok": False, "error": {"kind": type(e).__name__, "message": message}})
        ui.error(M.INPUT_ERROR, message=message)
        return EXIT_INPUT
    except Exception as e:  # the promise: no traceback reaches the user
        if args.debug:
            traceback.print_exc()
        ui.error(M.INTERNAL_ERROR, kind=type(e).__name__)
        return EXIT_INTERNAL
