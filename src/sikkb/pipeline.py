"""The monthly cycle in one call: register → findings → village reports → recaps.

This is the pure part of what ``sikkb report`` and ``sikkb demo`` do, and what a notebook calls:

    >>> from sikkb.demo import demo_city
    >>> from sikkb.periods import Period
    >>> month = build_month(demo_city(Period(2026, 10), scale=0.005))
    >>> month.top.region, len(month.villages), len(month.kecamatan)
    ('36.71', 104, 13)
    >>> month.findings.has_errors
    False
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, NoReturn, Protocol

import attrs

from sikkb.errors import FormReportError, InvalidCodeError, ReportRefusedError
from sikkb.outcome import Exclusion, Outcome, combine, decide_any, forms_left_out, with_blocking
from sikkb.periods import Period
from sikkb.regions import RegionTable, Tingkat, kota_tangerang, parse_region_code
from sikkb.register import TABLES, Register
from sikkb.report import Recap, VillageReport
from sikkb.rules.engine import Findings, RuleSet
from sikkb.rules.register import validate_register
from sikkb.rules.report import validate_report

if TYPE_CHECKING:
    from sikkb.columnar.tables import ColumnarRegister

__all__ = ["MonthlyReports", "UnreadableRow", "build_month", "refuse"]


class UnreadableRow(Protocol):
    """A row the reader kept but could not type into a record (``sikkb.io.reader.UntypedRow``)."""

    @property
    def table(self) -> str: ...

    def get(self, column: str) -> object: ...


def _kelurahan_of(row: UnreadableRow, families: Mapping[str, str]) -> str | None:
    """The kelurahan an unreadable row belongs to, when its key columns say so."""
    if row.table == "pus":
        return families.get(str(row.get("kode_keluarga") or "").strip())
    try:
        return parse_region_code(row.get("kode_wilayah"))
    except InvalidCodeError:
        return None


@attrs.frozen(kw_only=True)
class MonthlyReports:
    """One month's findings, village reports (F/I/Dal) and recaps, for one kab/kota.

    Attributes:
        period: the reporting month.
        findings: the register rule pack's findings (plus any given by the caller, e.g. the reader's).
        villages: one report per kelurahan that has register rows, in code order.
        recaps: every recap from kecamatan up to ``top``, by region code.
        top_code: the region the recaps go up to (the kab/kota).
        rows_excluded: table → rows left out because they carry errors (empty unless the caller
            asked to exclude invalid rows).
        excluded: the same, with why (rule ids and rows), as every document of the month states it;
            F/I/Dal forms left out whole count under the table ``formulir``.
    """

    period: Period
    findings: Findings
    villages: tuple[VillageReport, ...]
    recaps: Mapping[str, Recap]
    top_code: str
    rows_excluded: Mapping[str, int] = attrs.field(factory=dict)
    excluded: tuple[Exclusion, ...] = ()

    @property
    def top(self) -> Recap:
        """The kab/kota recap (Rek.Kab/Kota)."""
        return self.recaps[self.top_code]

    @property
    def kecamatan(self) -> tuple[Recap, ...]:
        """The kecamatan recaps (Rek.Kec), in code order."""
        return tuple(r for c, r in sorted(self.recaps.items()) if r.tingkat is Tingkat.KECAMATAN)

    def village(self, code: str) -> VillageReport:
        """The village report of a kelurahan (code dotted or plain).

        Raises:
            KeyError: no report of that kelurahan this month.
        """
        for v in self.villages:
            if v.region == code or v.region.replace(".", "") == code:
                return v
        raise KeyError(code)

    def recap(self, code: str) -> Recap:
        return self.recaps[code]

    # -- notebooks -------------------------------------------------------------------------------

    def to_pandas(
        self, form: Literal["long", "wide", "indicators"] = "long", **options: Any
    ) -> Any:
        """This object as a pandas data frame (see :func:`sikkb.views.frames.to_pandas`)."""
        from sikkb.views.frames import to_pandas

        return to_pandas(self, form, **options)

    def to_polars(
        self, form: Literal["long", "wide", "indicators"] = "long", **options: Any
    ) -> Any:
        """This object as a polars data frame (see :func:`sikkb.views.frames.to_polars`)."""
        from sikkb.views.frames import to_polars

        return to_polars(self, form, **options)

    def _repr_html_(self) -> str:
        from sikkb.views.display import monthly_reports_html

        return monthly_reports_html(self)


def _top_code(regions: RegionTable) -> str:
    kota = regions.at(Tingkat.KOTA)
    if len(kota) != 1:
        names = ", ".join(r.code for r in kota) or "none"
        raise ValueError(
            f"the region table has {len(kota)} kab/kota ({names}); pass top= to choose"
        )
    return kota[0].code


def build_month(
    register: Register | ColumnarRegister,
    *,
    regions: RegionTable | None = None,
    rules: RuleSet | None = None,
    extra_findings: Findings | None = None,
    exclude_invalid: bool = False,
    top: str | None = None,
    unreadable: Iterable[UnreadableRow] = (),
    forms: Iterable[VillageReport] = (),
    engine: str | None = None,
) -> MonthlyReports:
    """Validate a month's register, then derive every village report and every recap.

    Args:
        register: the month's register (one or many kelurahan), as records or as a
            :class:`~sikkb.columnar.tables.ColumnarRegister` (``ReadResult.columns``).
        regions: the region table (default: Kota Tangerang's).
        rules: the register rule set with the caller's overrides (default: the register pack).
        extra_findings: findings from elsewhere about the same rows (the reader's).
        exclude_invalid: leave rows with ERROR findings out (each report says how many); without
            it, a kelurahan with such rows is refused with :class:`~sikkb.errors.RegisterRowsError`.
        top: the region the recaps go up to (default: the table's only kab/kota).
        unreadable: rows the reader could not type (``ReadResult.untyped``); each village report
            whose kelurahan such a row names counts it among its ``rows_excluded``, so a report
            states every row of its kelurahan that it did not count.
        forms: village reports typed into the F/I/Dal form by PPKBD who report aggregates only
            (``VillageReport.from_form`` or ``sikkb.io.read_form``). The report rule pack checks
            each; its findings join the month's.
        engine: ``"columnar"`` (the default where polars is installed) or ``"records"``; both
            give the same findings, reports and recaps (:mod:`sikkb.columnar`).

    Whether reports are made at all is decided by :func:`sikkb.outcome.decide` from every finding
    (the rules', ``extra_findings`` and the forms' reader findings): the same rule as
    ``sikkb validate`` and ``sikkb report``.

    Raises:
        ReportRefusedError: (a :class:`~sikkb.errors.RegisterRowsError`) an ERROR finding and
            ``exclude_invalid`` is false; or an ERROR finding that names no row (a missing table or
            required column, a table over a limit), or no data at all, even with it.
        FormReportError: a form breaks an identity (ERROR finding) and ``exclude_invalid`` is
            false (with it, the form is left out and its kelurahan shows as not reported), or a
            form is of another month or of a kelurahan the register covers too.
    """
    from sikkb.columnar import resolve_engine

    table = regions if regions is not None else kota_tangerang()
    forms = tuple(forms)
    unreadable = tuple(unreadable)
    columnar = resolve_engine(engine) == "columnar"
    known = {r.code for r in table.kelurahan()}
    if columnar:
        from sikkb.columnar import pipeline as engine_columnar

        columns = engine_columnar.as_columnar(register)
        clean = engine_columnar.start_clean_items(columns, known)  # beside the rules
        # findings stay a table until the outcome allows reports (a refusal builds no objects)
        found: Any = engine_columnar.month_findings_table(columns, table, rules)
        period, has_rows = columns.period, len(columns) > 0
    else:
        register = register if isinstance(register, Register) else register.to_register()
        found = validate_register(register, regions=table, rules=rules)
        period, has_rows = register.period, any(register.table(t) for t in TABLES)
    if extra_findings is not None:
        found = found + extra_findings
    has_data = bool(forms or unreadable or has_rows)
    outcome = decide_any(found, exclude_invalid=exclude_invalid, has_data=has_data)
    if not outcome.may_write:
        refuse(outcome, found, top or _top_code(table))
    findings: Findings = found if isinstance(found, Findings) else found.to_findings()
    if columnar:
        villages, families = engine_columnar.month_villages(
            columns, known, findings, exclude_invalid=exclude_invalid, unreadable=unreadable,
            clean=clean,
        )  # fmt: skip
    else:
        assert isinstance(register, Register)
        codes = [c for c in register.kelurahan_codes if c in known]
        villages = VillageReport.all_from_register(
            register, findings=findings, exclude_invalid=exclude_invalid, kelurahan=codes
        )
        families = (
            {k: f.kode_wilayah for k, f in register.keluarga_by_kode.items()}
            if any(row.table == "pus" for row in unreadable)
            else {}
        )
    lost: dict[str, Counter[str]] = {}
    for row in unreadable:
        code = _kelurahan_of(row, families)
        if code is not None:
            lost.setdefault(code, Counter())[row.table] += 1
    if lost:
        villages = tuple(
            attrs.evolve(v, rows_excluded=Counter(dict(v.rows_excluded)) + lost[v.region])
            if v.region in lost
            else v
            for v in villages
        )
    covered = {v.region for v in villages}
    left_out: list[Findings] = []
    for form in forms:
        if form.period != period:
            raise FormReportError(
                form.region,
                f"the form is for {form.period}, the register for {period}",
                f"formulir untuk {form.period}, register untuk {period}",
            )
        if form.region in covered:
            raise FormReportError(
                form.region,
                "this kelurahan is reported twice (register and form); give one of them",
                "kelurahan ini dilaporkan dua kali (register dan formulir); serahkan salah satunya",
            )
        checked = validate_report(form, regions=table)
        findings = findings + checked
        if checked.has_errors:
            if exclude_invalid:
                left_out.append(checked)
                continue
            raise FormReportError(
                form.region,
                f"the form's numbers break {len(checked.errors)} rule(s) of the report",
                f"angka formulir melanggar {len(checked.errors)} aturan laporan",
            )
        covered.add(form.region)
        villages = (*villages, form)
    villages = tuple(sorted(villages, key=lambda v: v.region))
    top_code = table.get(top).code if top is not None else _top_code(table)
    recaps = Recap.build_tree(top_code, period, villages, table)
    excluded = (
        {t: len(rows) for t, rows in findings.error_rows().items()} if exclude_invalid else {}
    )
    return MonthlyReports(
        period=period,
        findings=findings,
        villages=villages,
        recaps=recaps,
        top_code=top_code,
        rows_excluded=excluded,
        excluded=combine(outcome.excluded, forms_left_out(left_out)),
    )


def refuse(outcome: Outcome, findings: Any, region: str) -> NoReturn:
    """Raise the refusal of a month the outcome forbids (:class:`~sikkb.errors.ReportRefusedError`).

    ``findings`` is a ``Findings`` or a columnar ``FindingsTable``; the error carries them with
    the outcome's blocking findings they lack.
    """
    rows = {t: len(r) for t, r in findings.error_rows().items()}
    shown = with_blocking(findings, outcome)
    if outcome.blocking:
        ids = ", ".join(dict.fromkeys(f.rule_id for f in outcome.blocking))
        reason = f"ERROR findings that name no row ({ids}): there is nothing honest to report"
    else:
        reason = (
            "rows carry ERROR findings; fix them or pass exclude_invalid=True to leave them out"
        )
    raise ReportRefusedError(
        region,
        rows,
        reason,
        blocking=[f.rule_id for f in outcome.blocking],
        findings=shown,
    )
