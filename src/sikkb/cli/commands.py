"""The subcommands. Each takes the parsed arguments and the UI and returns an exit code."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import attrs

from sikkb.cli import _messages as M
from sikkb.cli._ui import UI
from sikkb.cli._usage import UsageError
from sikkb.cli.main import EXIT_ERRORS, EXIT_INPUT, EXIT_OK
from sikkb.errors import FormReportError
from sikkb.i18n import Text, persen
from sikkb.outcome import decide_any, with_blocking
from sikkb.periods import Period
from sikkb.regions import RegionTable, Tingkat, kota_tangerang
from sikkb.register import Register
from sikkb.rules.engine import Finding, Findings, RuleSet, Severity
from sikkb.sop import SOP, ReportingCycle, kota_tangerang_sop

#: The report families written by default (SOP steps 5 and 6), each as XLSX and PDF.
DEFAULT_FAMILIES = ("bkkbn", "kota", "kecamatan", "kelurahan")
_LEVELS = {"kelurahan": Tingkat.KELURAHAN, "kecamatan": Tingkat.KECAMATAN, "kota": Tingkat.KOTA}
_SHOWN = 40


# --- shared helpers ------------------------------------------------------------------------------


def _regions(path: str | None) -> RegionTable:
    if not path:
        return kota_tangerang()
    _regular(path, "region table", "tabel wilayah")
    p = Path(path)
    return RegionTable.from_csv_text(p.read_text(encoding="utf-8-sig"), source=str(p))


def _rules(args: argparse.Namespace) -> RuleSet:
    from sikkb.rules.register import register_rules

    rules = register_rules()
    for rule_id in args.disable:
        rules = rules.without(rule_id)
    for spec in args.severity:
        rule_id, sep, level = spec.partition("=")
        if not sep:
            raise UsageError(
                f"--severity ditulis ATURAN=TINGKAT (misalnya umur-istri=WARNING), bukan {spec!r}",
                f"--severity takes RULE=LEVEL (e.g. umur-istri=WARNING), not {spec!r}",
            )
        rules = rules.with_severity(rule_id.strip(), level.strip())
    return rules


def _read(
    paths: Sequence[str],
    period: Period,
    ui: UI,
    *,
    max_rows: int | None = None,
    engine: str | None = None,
) -> tuple[Any, Findings, list[Any]]:
    """Read every register; merge them. Returns the register (records, or a ``ColumnarRegister``
    with the columnar engine), the reader's findings, untyped rows."""
    import attrs

    from sikkb.columnar import resolve_engine
    from sikkb.io.limits import Limits
    from sikkb.io.reader import read_register
    from sikkb.io.sources import is_database_url, mask_url, read_register_source

    engine = resolve_engine(engine)
    limits = Limits.for_engine(engine)
    if max_rows is not None:
        limits = attrs.evolve(limits, max_rows=max_rows)

    registers: list[Any] = []
    findings = Findings(())
    untyped: list[Any] = []
    for path in paths:  # a file, a CSV folder, or a database URL (its password never shown)
        ui.say(M.READING, path=mask_url(path))
        if is_database_url(path):
            result = read_register_source(path, period, limits=limits)
            part: Any = result.register
            if engine == "columnar":
                from sikkb.columnar.tables import ColumnarRegister

                part = ColumnarRegister.from_register(part)
        else:
            result = read_register(path, period, limits=limits, engine=engine)
            part = result.columns if engine == "columnar" else result.register
        registers.append(part)
        findings = findings + result.findings
        untyped.extend(result.untyped)
        read = sum(c.rows for c in result.counts)
        ui.say(M.READ_DONE, path=mask_url(path), rows=read, bad=len(result.untyped))
    if engine == "columnar":
        from sikkb.columnar.tables import ColumnarRegister

        if not registers:
            return ColumnarRegister.from_register(Register(period=period)), findings, untyped
        return ColumnarRegister.merge(registers), findings, untyped
    merged = Register.merge(registers) if registers else Register(period=period)
    return merged, findings, untyped


def _validate(register: Any, regions: RegionTable, rules: RuleSet) -> Any:
    """The register rules' findings: a ``FindingsTable`` for a columnar register, else ``Findings``."""
    if isinstance(register, Register):
        from sikkb.rules.register import validate_register

        return validate_register(register, regions=regions, rules=rules)
    from sikkb.columnar.rules import validate_columnar

    return validate_columnar(register, regions=regions, rules=rules)


def _save_findings(path: str | None, findings: Any) -> None:
    """``--findings out.csv``: every finding, one row each (masked as in every finding)."""
    if not path:
        return
    if isinstance(findings, Findings):
        from sikkb.io.findings_csv import write_findings_csv

        write_findings_csv(findings, path)
    else:
        findings.write_csv(path)


def _read_forms(
    paths: Sequence[str], period: Period, ui: UI, *, exclude_invalid: bool
) -> tuple[list[Any], Findings, list[Findings]]:
    """Read filled F/I/Dal forms. A form that cannot make a report is left out only when asked.

    Returns the reports, the findings of the forms kept, and the findings of each form left out.
    """
    from sikkb.io.templates import read_form

    reports: list[Any] = []
    findings = Findings(())
    dropped: list[Findings] = []
    for path in paths:
        ui.say(M.READING, path=path)
        result = read_form(path)
        if exclude_invalid and result.findings.has_errors:
            dropped.append(result.findings)
            continue
        findings = findings + result.findings
        report = result.report
        if report is not None and report.period != period:
            raise FormReportError(
                report.region,
                f"the form {path} is for {report.period}, not {period}",
                f"formulir {path} untuk {report.period}, bukan {period}",
            )
        if report is not None:
            reports.append(report)
    return reports, findings, dropped


def _finding_json(f: Finding) -> dict[str, Any]:
    loc = f.location
    return {
        "rule": f.rule_id,
        "severity": f.severity.value,
        "source": loc.source, "table": loc.table, "row": loc.row, "column": loc.column,
        "value": loc.value, "region": loc.region, "item": loc.item,
        "period": str(loc.period) if loc.period else None,
        "message": {"id": f.message.id, "en": f.message.en},
        "hint": {"id": f.hint.id, "en": f.hint.en},
        "found": f.found, "expected": f.expected,
    }  # fmt: skip


def _print_findings(findings: Any, ui: UI, *, show_all: bool) -> None:
    """The first findings (all with ``show_all``) and the counts; ``findings`` is a ``Findings``
    or a columnar ``FindingsTable`` (whose findings are built only as far as they are shown)."""
    shown = findings if show_all else islice(findings, _SHOWN)
    n = 0
    for f in shown:
        ui.result(f.describe(ui.lang))
        n += 1
    if len(findings) > n:
        ui.result(ui.t(M.FINDINGS_MORE, n=len(findings) - n))
    c = findings.counts()
    ui.result(ui.t(M.FINDINGS_SUMMARY, errors=c[Severity.ERROR], warnings=c[Severity.WARNING],
                   infos=c[Severity.INFO]))  # fmt: skip


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


# --- validate ------------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace, ui: UI) -> int:
    period = Period.parse(args.period)
    regions = _regions(args.regions)
    register, read_findings, untyped = _read(
        args.registers, period, ui, max_rows=args.max_rows, engine=args.engine
    )
    checked = _validate(register, regions, _rules(args))
    findings = checked + read_findings  # a FindingsTable stays one: no object per finding
    _save_findings(args.findings, findings)
    outcome = decide_any(findings, exclude_invalid=args.exclude_invalid,
                         has_data=_has_data(register, untyped))  # fmt: skip
    findings = with_blocking(findings, outcome)
    if args.json:
        ui.emit_json({
            "ok": outcome.exit_code == EXIT_OK,
            "exit_code": outcome.exit_code,
            "period": str(period),
            "counts": {s.value: n for s, n in findings.counts().items()},
            "findings": [_finding_json(f) for f in findings],
            "rows_excluded": _excluded_json(outcome.excluded),
        })  # fmt: skip
    else:
        _print_findings(findings, ui, show_all=args.all)
        _say_outcome(outcome, ui, valid=M.VALID)
    return outcome.exit_code


def _has_data(register: Any, untyped: Sequence[Any], forms: Sequence[Any] = ()) -> bool:
    from sikkb.register import TABLES

    if not isinstance(register, Register):  # a ColumnarRegister
        return bool(forms or untyped or len(register))
    return bool(forms or untyped or any(register.table(t) for t in TABLES))


def _excluded_json(excluded: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"table": e.table, "rows": e.rows, "reasons": dict(e.reasons)} for e in excluded]


def _say_outcome(outcome: Any, ui: UI, *, valid: Text) -> None:
    """The last line of validate/report: valid, rows left out, or refused (and why)."""
    if outcome.may_write and outcome.excluded:
        ui.error(M.EXCLUDED, detail="; ".join(e.describe(ui.lang) for e in outcome.excluded))
    elif outcome.may_write:
        ui.say(valid)
    elif outcome.blocking:
        where = "; ".join(dict.fromkeys(f.location.describe(ui.lang) or f.rule_id
                                        for f in outcome.blocking))  # fmt: skip
        ui.error(M.BLOCKED, where=where)
    else:
        ui.error(M.HAS_ERRORS)


# --- report and demo -----------------------------------------------------------------------------


def _exporter_names(registry: Any, requested: Sequence[str]) -> list[str]:
    if requested:
        for name in requested:
            registry.get(name)  # raises UnknownExporterError with the known names
        return list(requested)
    return [n for n in registry.names() if n.split("-")[0] in DEFAULT_FAMILIES]


def _jobs(
    registry: Any,
    exporters: Sequence[str],
    bundles: Iterable[tuple[Tingkat, str, str, Any]],
    out: Path,
) -> list[Any]:
    """One job per (report, exporter that renders its level)."""
    from sikkb_exporters import ExportJob

    jobs = []
    for tingkat, code, name, bundle in bundles:
        folder = out / {Tingkat.KELURAHAN: "kelurahan", Tingkat.KECAMATAN: "kecamatan"}.get(
            tingkat, "kota"
        )
        for ex_name in exporters:
            ex = registry.get(ex_name)
            if ex.renders(tingkat):
                path = folder / f"{code.replace('.', '')}_{_slug(name)}_{ex_name}{ex.suffix}"
                jobs.append(ExportJob(report=bundle, path=path, exporter=ex_name))
    return jobs


def _bundles(
    months: Sequence[Any],
    regions: RegionTable,
    levels: set[Tingkat],
    *,
    config: Any,
    status: Any = None,
    kelurahan: set[str] | None = None,
    sample_data: bool = False,
) -> list[tuple[Tingkat, str, str, Any]]:
    """The report bundles of the last month, with the earlier months as history.

    Every bundle shares the run's one ``status`` (coverage and timeliness as of one date) and the
    rows the month left out, so every document prints the same figures and notices;
    ``sample_data``: made from demo data, every document says DATA CONTOH.
    """
    from sikkb_exporters import ReportBundle

    month = months[-1]
    earlier = months[:-1]
    shared = {"regions": regions, "config": config, "status": status, "excluded": month.excluded,
              "sample_data": sample_data}  # fmt: skip
    out: list[tuple[Tingkat, str, str, Any]] = []
    if Tingkat.KOTA in levels:
        out.append((Tingkat.KOTA, month.top_code, regions[month.top_code].name, ReportBundle(
            report=month.top, children=month.kecamatan, history=[m.top for m in earlier], **shared,
        )))  # fmt: skip
    if Tingkat.KECAMATAN in levels:
        for rec in month.kecamatan:
            if not any(row.reported for row in rec.rows):
                continue  # no kelurahan of it in the registers given: no report to send it
            hist = [m.recaps[rec.region] for m in earlier if rec.region in m.recaps]
            out.append((Tingkat.KECAMATAN, rec.region, regions[rec.region].name,
                        ReportBundle(report=rec, history=hist, **shared)))  # fmt: skip
    if Tingkat.KELURAHAN in levels:
        for v in month.villages:
            if kelurahan is not None and v.region not in kelurahan:
                continue
            hist = []
            for m in earlier:
                with contextlib.suppress(KeyError):
                    hist.append(m.village(v.region))
            out.append((Tingkat.KELURAHAN, v.region, regions[v.region].name,
                        ReportBundle(report=v, history=hist, **shared)))  # fmt: skip
    return out


def _write(jobs: list[Any], registry: Any, ui: UI, out: Path, *, overwrite: bool) -> Any:
    """Write every job; an exporter's failure fails its files only. Returns the ExportRun."""
    from sikkb_exporters import OutputExistsError, check_inside, remove_stale_parts

    by_folder: dict[Path, set[str]] = {}
    for j in jobs:
        check_inside(out, j.path)  # before any folder is made: nothing is written outside --out
        if not overwrite and Path(j.path).exists():
            raise OutputExistsError(str(j.path))  # before any file is written: no mixed set
        by_folder.setdefault(Path(j.path).parent, set()).add(Path(j.path).name)
    for folder, names in sorted(by_folder.items()):
        folder.mkdir(parents=True, exist_ok=True)
        check_inside(out, folder)
        remove_stale_parts(folder, names)
    progress = ui.progress(len(jobs), M.WRITING)
    with progress:
        run = registry.export_all(
            jobs,
            overwrite=overwrite,
            progress=lambda done, total, res: progress.advance(1, res.path.name),
            workers=min(os.cpu_count() or 1, 4),
        )
    return run


def _zip(bundle: Path, out: Path, results: Sequence[Any], *, overwrite: bool) -> None:
    from sikkb_exporters import atomic_write

    def write(stream: Any) -> None:
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as z:
            for r in sorted(results, key=lambda r: str(r.path)):
                info = zipfile.ZipInfo(
                    str(Path(r.path).relative_to(out)), date_time=(2020, 3, 2, 0, 0, 0)
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, Path(r.path).read_bytes())

    atomic_write(bundle, write, overwrite=overwrite)


def _demo_config(regions: RegionTable) -> Any:
    """Letterhead for the demo: the default kop, no address, logo or signer (no invented name or
    number is printed: blank lines to fill in, and the documents say DATA CONTOH)."""
    from sikkb_exporters import ReportConfig

    return ReportConfig()


def _failure_json(f: Any) -> dict[str, Any]:
    return {"path": str(f.path), "exporter": f.exporter, "plugin": f.plugin,
            "plugin_name": f.plugin_name, "unit": f.unit,
            "kind": f.kind, "message": {"id": f.message.id, "en": f.message.en}}  # fmt: skip


def _plugin_label(f: Any, ui: UI) -> str:
    """``plugin 'rusak' (distribusi sikkb-rusak 0.1)`` in the user's language."""
    word = "distribution" if ui.lang == "en" else "distribusi"
    dist = f" ({word} {f.distribution})" if f.distribution else ""
    return f"plugin {f.plugin_name!r}{dist}"


def _report_outcome(ui: UI, run: Any, out: Path, extra: dict[str, Any]) -> int:
    """Print what was written and what failed; return the exit code (2 when a file failed)."""
    found = Findings(())
    for r in run.results:
        found = found + r.findings
    warnings = list(dict.fromkeys(found))  # each exporter of a report repeats its warnings
    messages = list(dict.fromkeys(f.message.get(ui.lang) for f in warnings))
    for message in messages[:10]:
        ui.say(M.WARN_EXPORT, message=message)
    if len(messages) > 10:
        ui.say(M.MORE, n=len(messages) - 10)
    for f in run.failures[:_SHOWN]:
        ui.error(M.EXPORT_FAILED, exporter=f.exporter, plugin=_plugin_label(f, ui), unit=f.unit,
                 message=f"{f.message.get(ui.lang)} [{f.path.name}]")  # fmt: skip
    if len(run.failures) > _SHOWN:
        ui.error(M.MORE, n=len(run.failures) - _SHOWN)
    code = EXIT_INPUT if run.failures else EXIT_OK
    if ui.json_mode:
        ui.emit_json({
            "ok": not run.failures,
            "exit_code": code,
            "files": [{"path": str(r.path), "exporter": r.exporter, "bytes": r.size}
                      for r in run.results],
            "failed": [_failure_json(f) for f in run.failures],
            "warnings": [_finding_json(f) for f in warnings],
            **extra,
        })  # fmt: skip
    elif run.failures:
        failed = ", ".join(
            dict.fromkeys(f"{f.exporter} ({_plugin_label(f, ui)})" for f in run.failures)
        )
        names = " ".join(dict.fromkeys(f.plugin_name for f in run.failures))
        ui.error(M.FAILED_SUMMARY, failed=len(run.failures), written=len(run.results), out=out,
                 exporters=failed, plugins=names)  # fmt: skip
    else:
        ui.say(M.WROTE, n=len(run.results), out=out)
    return code


def _registry(args: argparse.Namespace) -> Any:
    from sikkb_exporters import make_registry

    return make_registry(disabled=getattr(args, "disable_plugin", None) or ())


def _status(
    events: str | None,
    period: Period,
    regions: RegionTable,
    received: Iterable[str],
    as_of: dt.date,
) -> Any:
    """The run's one coverage-and-timeliness count (from the event log when one is given)."""
    from sikkb.sop.asof import ReportingStatus

    if events:
        return ReportingStatus.from_cycle(_logged_cycle(events, period, regions, None), as_of)
    expected = [r.code for r in regions.kelurahan()]
    return ReportingStatus.from_reports(received, expected, as_of=as_of)


def _disagreements(status: Any, month: Any) -> Findings:
    """WARNINGs where the event log and the data disagree about which kelurahan reported."""
    from sikkb.i18n import Text
    from sikkb.rules.engine import Location

    if not status.timed:
        return Findings(())
    have = {v.region for v in month.villages}
    out = []
    for code in sorted(have - status.received):
        out.append(Finding(
            rule_id="laporan-belum-diterima", severity=Severity.WARNING,
            location=Location(region=code, period=month.period),
            message=Text(f"{code} ada dalam data, tetapi menurut log peristiwa laporannya belum "
                         f"diterima per {status.as_of.isoformat()}; dokumen menghitungnya belum masuk",
                         f"{code} is in the data, but the event log has its report not received "
                         f"as of {status.as_of.isoformat()}; the documents count it as not received"),
            hint=Text("Catat penerimaan laporan di log peristiwa, atau periksa --as-of",
                      "Record the report's submission in the event log, or check --as-of"),
        ))  # fmt: skip
    return Findings(tuple(out))


def cmd_report(args: argparse.Namespace, ui: UI) -> int:
    from sikkb.errors import ReportRefusedError
    from sikkb.pipeline import build_month
    from sikkb_exporters import ReportConfig, load_config

    period = Period.parse(args.period)
    out = _out_folder(args.out)
    regions = _regions(args.regions)
    registry = _registry(args)
    exporters = _exporter_names(registry, args.exporter)
    if args.config:
        _regular(args.config, "configuration", "konfigurasi")
    config = load_config(args.config) if args.config else ReportConfig()
    if args.events and not _is_url(args.events):  # a database URL is not a file
        _regular(args.events, "event log", "log peristiwa")
    as_of = _as_of(args.as_of) if args.as_of else dt.date.today()
    if not args.registers and not args.form:
        raise UsageError(
            "berikan paling sedikit satu register (REGISTER) atau formulir terisi (--form)",
            "give at least one register (REGISTER) or a filled form (--form)",
        )
    register, read_findings, untyped = _read(
        args.registers, period, ui, max_rows=args.max_rows, engine=args.engine
    )
    forms, form_findings, dropped = _read_forms(
        args.form, period, ui, exclude_invalid=args.exclude_invalid
    )
    if form_findings.has_errors and not args.exclude_invalid:
        _print_findings(form_findings, ui, show_all=False)
        ui.error(M.HAS_ERRORS)
        ui.error(M.NOT_WRITTEN)
        return EXIT_ERRORS
    read_findings = read_findings + form_findings
    try:
        month = build_month(
            register,
            regions=regions,
            rules=_rules(args),
            extra_findings=read_findings,
            exclude_invalid=args.exclude_invalid,
            unreadable=untyped,
            forms=forms,
            engine=args.engine,
        )
    except FormReportError as e:
        from sikkb.rules.report import validate_report

        bad = [f for f in forms if f.region == e.kode_wilayah][:1]
        checked = validate_report(bad[0], regions=regions) if bad else Findings(())
        _print_findings(checked, ui, show_all=False)
        ui.error(M.INPUT_ERROR, message=e.reason_id if ui.lang == "id" else e.reason)
        return EXIT_ERRORS
    except ReportRefusedError as e:
        findings = e.findings if e.findings is not None else read_findings
        outcome = decide_any(findings, exclude_invalid=args.exclude_invalid)
        _save_findings(args.findings, findings)
        if ui.json_mode:
            ui.emit_json({"ok": False, "exit_code": EXIT_ERRORS, "files": [], "failed": [],
                          "blocking": [f.rule_id for f in outcome.blocking],
                          "findings": [_finding_json(f) for f in findings]})  # fmt: skip
        else:
            _print_findings(findings, ui, show_all=False)
        _say_outcome(outcome, ui, valid=M.VALID)
        ui.error(M.NOT_WRITTEN)
        return EXIT_ERRORS
    _save_findings(args.findings, month.findings)
    if dropped:  # forms the reader could not read, left out whole: every document says so
        from sikkb.outcome import combine, forms_left_out

        if not ui.json_mode:
            for found in dropped:
                _print_findings(Findings(found.errors), ui, show_all=False)
        month = attrs.evolve(month, excluded=combine(month.excluded, forms_left_out(dropped)))
    if month.excluded:
        if not ui.json_mode:
            _print_findings(Findings(month.findings.errors), ui, show_all=False)
        ui.error(M.EXCLUDED, detail="; ".join(e.describe(ui.lang) for e in month.excluded))
    status = _status(args.events, period, regions, [v.region for v in month.villages], as_of)
    for f in _disagreements(status, month):
        ui.say(M.WARN_EXPORT, message=f.message.get(ui.lang))
    levels = {_LEVELS[x] for x in args.level} if args.level else set(_LEVELS.values())
    jobs = _jobs(
        registry, exporters, _bundles([month], regions, levels, config=config, status=status), out
    )
    run = _write(jobs, registry, ui, out, overwrite=args.overwrite)
    if args.bundle and not run.failures:
        _zip(Path(args.bundle), out, run.results, overwrite=args.overwrite)
    return _report_outcome(ui, run, out, {
        "rows_excluded": dict(month.rows_excluded),
        "excluded": _excluded_json(month.excluded),
        "findings": [_finding_json(f) for f in month.findings.errors],
        "as_of": as_of.isoformat(),
    })  # fmt: skip


def _is_url(source: str) -> bool:
    from sikkb.io.sources import is_database_url

    return is_database_url(source)


def _regular(path: str, what: str, what_id: str) -> None:
    from sikkb.io.files import require_regular

    require_regular(path, what=what, what_id=what_id)


#: Suffixes that name a file, not the folder ``--out`` takes.
_FILE_SUFFIXES = (".xlsx", ".xls", ".pdf", ".csv", ".json", ".jsonl", ".zip", ".txt", ".adx")


def _out_folder(text: str) -> Path:
    """``--out`` of ``report`` and ``demo``: a folder (the reports are many files), never a file."""
    out = Path(text)
    if out.exists() and not out.is_dir():
        raise UsageError(
            f"--out {text}: ini berkas, bukan folder. Laporan terdiri dari banyak berkas "
            "(kota/, kecamatan/, kelurahan/): beri nama folder; untuk satu berkas zip pakai --bundle",
            f"--out {text}: this is a file, not a folder. The reports are many files (kota/, "
            "kecamatan/, kelurahan/): name a folder; for one zip file use --bundle",
        )
    if not out.exists() and out.suffix.lower() in _FILE_SUFFIXES:
        raise UsageError(
            f"--out {text}: --out adalah folder keluaran, bukan nama berkas {out.suffix}. Laporan "
            "terdiri dari banyak berkas (kota/, kecamatan/, kelurahan/); untuk satu berkas zip "
            "pakai --bundle laporan.zip",
            f"--out {text}: --out is the output folder, not a {out.suffix} file name. The reports "
            "are many files (kota/, kecamatan/, kelurahan/); for one zip file use "
            "--bundle reports.zip",
        )
    return out


def _demo_data_paths(out: Path, period: Period) -> dict[str, Path]:
    """Where the demo writes what it reported: the register (XLSX and CSV) and the event log."""
    data = out / "data"
    return {
        "xlsx": data / f"register-{period.iso}.xlsx",
        "csv": data / f"register-{period.iso}-csv",
        "events": data / f"peristiwa-{period.iso}.jsonl",
    }


#: What the demo writes in its folder (refused up front when present, unless --overwrite).
_DEMO_OUTPUTS = ("DAFTAR-ISI.txt", "data", "kota", "kecamatan", "kelurahan")


def cmd_demo(args: argparse.Namespace, ui: UI) -> int:
    from sikkb.demo import demo_events, demo_months
    from sikkb.io.eventlog import write_events
    from sikkb.io.register_write import write_register_csv, write_register_xlsx
    from sikkb.pipeline import build_month
    from sikkb.register import Register
    from sikkb.sop.asof import ReportingStatus

    period = Period.parse(args.period) if args.period else Period(2026, 10)
    out = _out_folder(args.out)
    present = [name for name in _DEMO_OUTPUTS if (out / name).exists()]
    if present and not args.overwrite:
        raise UsageError(
            f"folder {out} sudah berisi keluaran demo ({', '.join(present)}); pakai --overwrite "
            "untuk menimpanya, atau pilih folder lain dengan --out",
            f"the folder {out} already holds demo output ({', '.join(present)}); pass --overwrite "
            "to replace it, or choose another folder with --out",
        )
    regions = kota_tangerang()
    registry = _registry(args)
    exporters = _exporter_names(registry, args.exporter)
    ui.say(M.DEMO_LABEL, months=args.months, period=period.label(ui.lang))
    ui.say(M.DEMO_GENERATING, period=period.label(ui.lang))
    registers = demo_months(period, args.months, seed=args.seed, scale=args.scale)
    # One "as of" for the set: three days after the cycle's due date. The month's data holds the
    # reports received by then, so every document counts the same reports.
    events = demo_events(period, seed=args.seed)
    cycle = _cycle(events, period, regions, None)
    status = ReportingStatus.from_cycle(cycle, cycle.schedule.due + dt.timedelta(days=3))
    last = registers[-1]
    registers[-1] = Register.merge(
        [last.for_kelurahan(c) for c in last.kelurahan_codes if c in status.received]
    )
    months = [build_month(r, regions=regions) for r in registers]
    kel: set[str] | None = None
    if args.kelurahan_reports == "none":
        levels = {Tingkat.KOTA, Tingkat.KECAMATAN}
    else:
        levels = set(_LEVELS.values())
        if args.kelurahan_reports == "sample":
            kel = {regions.kelurahan(k.code)[0].code for k in regions.kecamatan()}
    config = _demo_config(regions)
    jobs = _jobs(registry, exporters, _bundles(months, regions, levels, config=config,
                                               status=status, kelurahan=kel,
                                               sample_data=True), out)  # fmt: skip
    run = _write(jobs, registry, ui, out, overwrite=args.overwrite)
    data = _demo_data_paths(out, period)
    write_register_xlsx(registers[-1], data["xlsx"])
    write_register_csv(registers[-1], data["csv"])
    write_events(data["events"], events, overwrite=True)
    index = _write_index(out, run.results, args.months, months[-1], ui, data=data)
    code = _report_outcome(ui, run, out, {"demo": True, "period": str(period),
                                          "as_of": status.as_of.isoformat(),
                                          "data": {k: str(p) for k, p in data.items()}})  # fmt: skip
    ui.say(M.DEMO_DONE, out=out, index=index)
    return code


_FOLDERS = {
    "kota": ("Kota: Rek.Kab/F/I/Dal ke BKKBN (bkkbn-*) dan laporan kepada Walikota (kota-*)",
             "City: Rek.Kab/F/I/Dal to BKKBN (bkkbn-*) and the report to the Walikota (kota-*)"),
    "kecamatan": ("Kecamatan: Rek.Kec/F/I/Dal (bkkbn-*) dan laporan kepada Camat (kecamatan-*)",
                  "Kecamatan: Rek.Kec/F/I/Dal (bkkbn-*) and the report to the Camat (kecamatan-*)"),
    "kelurahan": ("Kelurahan: F/I/Dal (bkkbn-*) dan umpan balik kepada kelurahan (kelurahan-*)",
                  "Kelurahan: F/I/Dal (bkkbn-*) and the feedback to the kelurahan (kelurahan-*)"),
}  # fmt: skip


_DATA_TITLE = (
    "Data: register {period} (XLSX dan folder CSV) dan log peristiwa laporan, untuk dicoba dengan "
    "sikkb validate, sikkb report dan sikkb status",
    "Data: the {period} register (XLSX and a CSV folder) and the report event log, to try with "
    "sikkb validate, sikkb report and sikkb status",
)


def _write_index(
    out: Path, results: Sequence[Any], months: int, month: Any, ui: UI, *, data: dict[str, Path]
) -> Path:
    """A plain-text list of what the demo wrote, by level, so an officer knows where to look."""
    lines = [ui.t(M.DEMO_LABEL, months=months, period=month.period.label(ui.lang))]
    title = _DATA_TITLE[1 if ui.lang == "en" else 0].format(period=month.period.iso)
    lines += ["", title, *(str(p.relative_to(out)) for p in data.values())]
    by_folder: dict[str, list[str]] = {}
    for r in results:
        rel = Path(r.path).relative_to(out)
        by_folder.setdefault(rel.parts[0], []).append(str(rel))
    for folder in ("kota", "kecamatan", "kelurahan"):
        if folder in by_folder:
            title = _FOLDERS[folder][1 if ui.lang == "en" else 0]
            lines += ["", f"{title} — {len(by_folder[folder])}", *sorted(by_folder[folder])]
    index = out / "DAFTAR-ISI.txt"
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index


# --- schedule and status -------------------------------------------------------------------------


def _sop(path: str | None) -> SOP:

    if not path:
        return kota_tangerang_sop()
    _regular(path, "SOP file", "berkas SOP")
    p = Path(path)
    return SOP.from_toml(p.read_bytes(), source=str(p))


def cmd_schedule(args: argparse.Namespace, ui: UI) -> int:
    from sikkb.sop import Calendar, DayCount, schedule

    period = Period.parse(args.period)
    sop = _sop(args.sop)
    cuti = [d.strip() for d in args.cuti_bersama.split(",") if d.strip()]
    calendar = Calendar(counting=DayCount.WORKING if args.working_days else DayCount.CALENDAR,
                        cuti_bersama=cuti)  # fmt: skip
    s = schedule(sop, calendar, period)
    if ui.json_mode:
        ui.emit_json({
            "sop": sop.number, "period": str(period), "counting": calendar.counting.code,
            "start": s.start.isoformat(), "due": s.due.isoformat(),
            "steps": [{"step": st.number, "start": st.start.isoformat(), "due": st.due.isoformat(),
                       "responsible": st.responsible, "activity": {"id": sop.step(st.number).label_id,
                                                                    "en": sop.step(st.number).label_en}}
                      for st in s.steps],
        })  # fmt: skip
        return EXIT_OK
    ui.result(ui.t(M.SCHEDULE_HEADER, sop=sop.number, period=period.label(ui.lang),
                   counting=calendar.counting.label(ui.lang)))  # fmt: skip
    for st in s.steps:
        step = sop.step(st.number)
        label = step.label_en if ui.lang == "en" else step.label_id
        ui.result(
            f"  {st.number}. {st.start.isoformat()} … {st.due.isoformat()}  [{st.responsible}]  {label}"
        )
    return EXIT_OK


def _cycle(
    events: Iterable[Any], period: Period, regions: RegionTable, sop_path: str | None
) -> ReportingCycle:
    """The period's reporting cycle: every kelurahan of the table expected, the period's events."""
    return ReportingCycle(
        sop=_sop(sop_path),
        period=period,
        units=[r.code for r in regions.kelurahan()],
        events=[e for e in events if e.period == period],
    )


def _logged_cycle(
    events_path: str, period: Period, regions: RegionTable, sop_path: str | None
) -> ReportingCycle:
    from sikkb.io.sources import open_event_store

    with open_event_store(events_path, must_exist=True) as store:  # a JSONL file or a DB URL
        events = store.read(period=period)
    return _cycle(events, period, regions, sop_path)


def _as_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--as-of {text!r} bukan tanggal: tulis YYYY-MM-DD, misalnya 2026-11-20",
            f"--as-of {text!r} is not a date: write YYYY-MM-DD, e.g. 2026-11-20",
        ) from None


def cmd_status(args: argparse.Namespace, ui: UI) -> int:
    period = Period.parse(args.period)
    as_of = _as_of(args.as_of) if args.as_of else dt.date.today()
    regions = _regions(args.regions)
    cycle = _logged_cycle(args.events, period, regions, args.sop)
    rates = cycle.rates(as_of)
    overdue = cycle.overdue(as_of)
    soon = cycle.due_soon(as_of, args.due_soon)
    if ui.json_mode:
        ui.emit_json({
            "period": str(period), "as_of": as_of.isoformat(),
            "rates": [_rate_json(r) for r in rates],
            "overdue": [_reminder_json(r) for r in overdue],
            "due_soon": [_reminder_json(r) for r in soon],
        })  # fmt: skip
        return EXIT_OK
    ui.result(ui.t(M.STATUS_HEADER, period=period.label(ui.lang), as_of=as_of.isoformat()))
    for r in rates:
        name = regions[r.code].name if r.code in regions else r.code
        rate, on_time = persen(r.reporting_rate), persen(r.on_time_rate)
        line = ui.t(M.RATE_LINE, step=r.step, actual=r.actual, expected=r.expected, rate=rate,
                    on_time=r.actual_on_time, on_time_rate=on_time)  # fmt: skip
        ui.result(f"  {r.code:<14} {name:<22} {line}")
    for header, items in ((ui.t(M.OVERDUE_HEADER), overdue),
                          (ui.t(M.DUE_SOON_HEADER, days=args.due_soon), soon)):  # fmt: skip
        ui.result(header)
        if not items:
            ui.result("  " + ui.t(M.NONE))
        for rem in items[:_SHOWN]:
            name = regions[rem.unit].name if rem.unit in regions else rem.unit
            line = ui.t(
                M.REMINDER_LINE,
                step=rem.step,
                lane=rem.lane,
                due=rem.due.isoformat(),
                days=rem.days,
            )
            ui.result(f"  {rem.unit} {name}: {line}")
        if len(items) > _SHOWN:
            ui.result("  " + ui.t(M.MORE, n=len(items) - _SHOWN))
    return EXIT_OK


def _rate_json(r: Any) -> dict[str, Any]:
    return {"code": r.code, "step": r.step, "expected": r.expected, "actual": r.actual,
            "actual_on_time": r.actual_on_time, "reporting_rate": r.reporting_rate,
            "on_time_rate": r.on_time_rate}  # fmt: skip


def _reminder_json(r: Any) -> dict[str, Any]:
    return {"unit": r.unit, "step": r.step, "lane": r.lane, "due": r.due.isoformat(), "days": r.days,
            "waiting_on": list(r.waiting_on)}  # fmt: skip


# --- template and exporters ----------------------------------------------------------------------


#: The kelurahan and month of ``sikkb template register --sample`` unless others are given.
SAMPLE_KELURAHAN = "36.71.01.1001"
SAMPLE_PERIOD = Period(2026, 10)
#: The demo city's scale for the sample: a few dozen families and couples.
SAMPLE_SCALE = 0.01


def _sample_register(args: argparse.Namespace) -> Register:
    """A small register of one kelurahan from the demo city (DATA CONTOH, synthetic)."""
    from sikkb.demo import demo_city

    period = Period.parse(args.period) if args.period else SAMPLE_PERIOD
    return demo_city(period, scale=SAMPLE_SCALE, kelurahan=[args.kelurahan or SAMPLE_KELURAHAN])


def cmd_template(args: argparse.Namespace, ui: UI) -> int:
    from sikkb.io import templates

    out = Path(args.out)
    if out.exists() and not args.overwrite:
        raise FileExistsError(17, "file exists; pass --overwrite to replace it", str(out))
    if args.kind == "register":
        sample = _sample_register(args) if args.sample else None
        kelurahan = args.kelurahan or (sample.kelurahan_codes[0] if sample else None)
        templates.write_register_template(out, kelurahan=kelurahan, register=sample)
    else:
        if args.sample:
            raise UsageError(
                "--sample hanya untuk templat register", "--sample is for the register template"
            )
        if not args.kelurahan or not args.period:
            raise UsageError(
                "templat formulir memerlukan --kelurahan dan --period",
                "the form template needs --kelurahan and --period",
            )
        templates.write_form_template(
            out, kelurahan=args.kelurahan, period=Period.parse(args.period)
        )
    ui.say(M.TEMPLATE_WRITTEN, path=out)
    if ui.json_mode:
        ui.emit_json({"ok": True, "path": str(out)})
    return EXIT_OK


def cmd_exporters(args: argparse.Namespace, ui: UI) -> int:
    from sikkb_exporters import make_registry

    registry = make_registry()
    rows: list[dict[str, Any]] = []
    for name in registry.names():
        ex = registry.get(name)
        rows.append({"name": name, "suffix": ex.suffix, "media_type": ex.media_type,
                     "levels": list(ex.level_names), "plugin": registry.origin(name),
                     "extra": ex.extra, "description": {"id": ex.description.id, "en": ex.description.en}})  # fmt: skip
    if ui.json_mode:
        ui.emit_json({"exporters": rows})
        return EXIT_OK
    ui.result(ui.t(M.EXPORTERS_HEADER))
    for r in rows:
        desc = r["description"]["en" if ui.lang == "en" else "id"]
        ui.result(f"  {r['name']:<16} {r['suffix']:<9} {','.join(r['levels']):<34} {r['plugin']}")
        ui.result(f"  {'':<16} {desc}")
    return EXIT_OK


__all__ = [
    "DEFAULT_FAMILIES",
    "EXIT_INPUT",
    "cmd_demo",
    "cmd_exporters",
    "cmd_report",
    "cmd_schedule",
    "cmd_status",
    "cmd_template",
    "cmd_validate",
]
