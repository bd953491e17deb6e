"""The report rule pack: identities, bounds, recap sums and plausibility of F/I/Dal reports.

Subjects: a :class:`~sikkb.report.VillageReport`, a :class:`~sikkb.report.Recap` (its total, and
the recap rule ``rekap-sama-jumlah-anak``), or a :class:`~sikkb.report.Series` (plausibility of every
month against the months before it). A rule that does not apply to a subject yields nothing; a cell
that is not reported is never checked (an identity needs all of its cells). Findings point at
``Location(region=..., period=..., item="element.disaggregation")``.

Rules:

- ``laporan-pus-sama-pa-bukan-peserta`` (ERROR): PUS = PA + HAMIL + IAS + IAT + TIAL.
- ``laporan-pa-sama-jumlah-metode`` (ERROR): PA = Σ methods; each method = Σ its places.
- ``laporan-pa-sama-jumlah-tempat`` (ERROR): PA = Σ places (PEMERINTAH + SWASTA + no place);
  each place = Σ methods at that place.
- ``laporan-total-sama-rincian`` (ERROR): the other totals (non-users, PB) = Σ details.
- ``laporan-<bound>`` for each bound of :data:`sikkb.report.BOUNDS`: ``laporan-lapor-maks-ada``,
  ``laporan-pus-kb-maks-pus-anggota``, ``laporan-pus-anggota-maks-pus``,
  ``laporan-pus-anggota-kb-maks-pa``, ``laporan-uppka-kps-ks1-maks-anggota`` (ERROR),
  ``laporan-anggota-maks-sasaran`` and ``laporan-pb-maks-pa`` (WARNING).
- ``rekap-sama-jumlah-anak`` (ERROR): every recap total item = Σ of the children's values.
- ``laporan-lonjakan-bulanan`` (WARNING): month-over-month change of an item above
  ``threshold_pct`` percent (default 25) when the previous month is at least ``min_previous``
  (default 20); ``items`` default ``("pa", "pus")``.
- ``laporan-pencilan`` (WARNING): robust outlier score of an item against the unit's own history:
  modified z-score ``0.6745 (x - median) / MAD`` above ``z`` (default 3.5), needing at least
  ``min_history`` earlier months (default 6); ``items`` default ``("pus", "pa", "pb")``. When the
  MAD is 0, the mean absolute deviation is used (``(x - median) / (1.253314 · meanAD)``); when both
  are 0 the history has no spread and the rule stays silent.

History for the two plausibility rules: with a report subject, pass the unit's earlier months as
``RuleContext(extra={"history": ...})`` — a :class:`~sikkb.report.Series` or an iterable of reports
of the same unit (months at or after the subject's are ignored). With a Series subject, every
month is checked against the months before it.

Example:
    >>> from sikkb.periods import Period
    >>> from sikkb.report import VillageReport
    >>> r = VillageReport.from_form("3671071001", Period(2026, 10),
    ...     {"pus": 10, "pa": 6, "bukan_peserta.HAMIL": 1, "bukan_peserta.IAS": 1,
    ...      "bukan_peserta.IAT": 1, "bukan_peserta.TIAL": 0,
    ...      "institusi_ada.BKB": 1, "institusi_lapor.BKB": 2})
    >>> for f in validate_report(r):
    ...     print(f.rule_id, f.location.item, f.message.id)
    laporan-lapor-maks-ada institusi_lapor.BKB BKB: lapor (2) lebih besar dari BKB: ada (1)
    laporan-pus-sama-pa-bukan-peserta pus Jumlah PUS tertulis 10, padahal PA + HAMIL + IAS + IAT + TIAL = 9
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sikkb.periods import Period
from sikkb.regions import RegionTable
from sikkb.report.items import BOUNDS, CATALOGUE, TANPA_TEMPAT, Bound, item
from sikkb.report.recap import Recap
from sikkb.report.series import Series
from sikkb.report.village import VillageReport
from sikkb.rules.engine import Findings, Hit, Location, Rule, RuleContext, RuleSet, run_rules

__all__ = ["report_rules", "validate_report"]

Check = Callable[[Any, RuleContext], Iterable[Hit]]

# ---------------------------------------------------------------------------------------------
# identities (totals = Σ details)

_PLACES = ("PEMERINTAH", "SWASTA", TANPA_TEMPAT)


def _identity_group(key: str, decomposition: int) -> str:
    """Which rule checks a total's decomposition."""
    if key == "pus":
        return "pus"
    if key == "pa":
        return "metode" if decomposition == 0 else "tempat"
    if key.startswith("pa."):
        return "tempat" if key[3:] in _PLACES else "metode"
    return "lain"


_IDENTITIES: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
for _it in CATALOGUE:
    for _i, _parts in enumerate(_it.sums):
        _IDENTITIES.setdefault(_identity_group(_it.key, _i), []).append((_it.key, _parts))


def _values(subject: Any) -> tuple[dict[str, int], str, Period] | None:
    if isinstance(subject, VillageReport | Recap):
        return subject.as_dict(), subject.region, subject.period
    return None


def _short(key: str) -> str:
    """``pa`` → ``PA``, ``bukan_peserta.HAMIL`` → ``HAMIL``, ``pa.SUNTIK.SWASTA`` → ``SUNTIK.SWASTA``."""
    if "." in key:
        return key.split(".", 1)[1]
    return key.upper()


def _identity_check(group: str) -> Check:
    def check(subject: Any, ctx: RuleContext) -> Iterator[Hit]:
        got = _values(subject)
        if got is None:
            return
        values, region, period = got
        for key, parts in _IDENTITIES[group]:
            total = values.get(key)
            part_values = [values.get(p) for p in parts]
            if total is None or any(v is None for v in part_values):
                continue
            s = sum(v for v in part_values if v is not None)
            if s != total:
                yield Hit(
                    Location(region=region, period=period, item=key),
                    found=str(total),
                    expected=str(s),
                    label=item(key).label,
                    total=total,
                    sum=s,
                    parts=" + ".join(_short(p) for p in parts),
                )

    return check


# ---------------------------------------------------------------------------------------------
# bounds


def _bound_check(bounds: Sequence[Bound]) -> Check:
    def check(subject: Any, ctx: RuleContext) -> Iterator[Hit]:
        got = _values(subject)
        if got is None:
            return
        values, region, period = got
        for b in bounds:
            lo, hi = values.get(b.lesser), values.get(b.greater)
            if lo is None or hi is None or lo <= hi:
                continue
            yield Hit(
                Location(region=region, period=period, item=b.lesser),
                found=str(lo),
                expected=f"≤ {hi}",
                lesser=item(b.lesser).label,
                greater=item(b.greater).label,
                lo=lo,
                hi=hi,
            )

    return check


# ---------------------------------------------------------------------------------------------
# recap = Σ children


def _check_recap_sum(subject: Any, ctx: RuleContext) -> Iterator[Hit]:
    if not isinstance(subject, Recap):
        return
    sums: dict[str, int] = {}
    for row in subject.rows:
        for k, v in row.values:
            sums[k] = sums.get(k, 0) + v
    total = subject.as_dict()
    for it in CATALOGUE:
        k = it.key
        t, s = total.get(k), sums.get(k)
        if t == s:
            continue
        yield Hit(
            Location(region=subject.region, period=subject.period, item=k),
            found="-" if t is None else str(t),
            expected="-" if s is None else str(s),
            label=it.label,
            total="-" if t is None else t,
            sum="-" if s is None else s,
        )


# ---------------------------------------------------------------------------------------------
# plausibility (history)


def _subject_history(
    subject: Any, ctx: RuleContext
) -> Iterator[tuple[str, Period, dict[str, int], list[tuple[Period, dict[str, int]]]]]:
    """(region, period, values, earlier months in order) for each month to check."""
    if isinstance(subject, Series):
        months = [(p.period, dict(p.values)) for p in subject.points]
        for i, (period, values) in enumerate(months):
            yield subject.region, period, values, months[:i]
        return
    got = _values(subject)
    if got is None:
        return
    values, region, period = got
    hist = ctx.extra.get("history")
    if hist is None:
        return
    if isinstance(hist, Series):
        earlier = [(p.period, dict(p.values)) for p in hist.points if p.period < period]
        if hist.region != region:
            return
    elif isinstance(hist, Iterable) and not isinstance(hist, str | bytes | Mapping):
        earlier = sorted(
            (
                (h.period, h.as_dict())
                for h in hist
                if isinstance(h, VillageReport | Recap) and h.region == region and h.period < period
            ),
            key=lambda pv: pv[0],
        )
    else:  # not a history this pack understands: nothing to compare with
        return
    yield region, period, values, earlier


def _check_jump(subject: Any, ctx: RuleContext) -> Iterator[Hit]:
    threshold = float(ctx.params.get("threshold_pct", 25.0))
    min_previous = int(ctx.params.get("min_previous", 20))
    keys = [item(k).key for k in ctx.params.get("items", ("pa", "pus"))]
    for region, period, values, earlier in _subject_history(subject, ctx):
        if not earlier or earlier[-1][0] != period.previous():
            continue
        prev_values = earlier[-1][1]
        for k in keys:
            cur, prev = values.get(k), prev_values.get(k)
            if cur is None or prev is None or prev < min_previous or prev == 0:
                continue
            pct = (cur - prev) / prev * 100
            if abs(pct) > threshold:
                yield Hit(
                    Location(region=region, period=period, item=k),
                    found=str(cur),
                    expected=f"{prev} ± {threshold:g}%",
                    label=item(k).label,
                    prev=prev,
                    cur=cur,
                    pct=f"{pct:+.1f}",
                    threshold=f"{threshold:g}",
                )


def modified_z(x: float, history: Sequence[float]) -> float | None:
    """Iglewicz-Hoaglin modified z-score of ``x`` against ``history`` (``None`` without spread).

    >>> round(modified_z(30, [10, 11, 9, 10, 12, 10]) or 0, 1)
    27.0
    >>> modified_z(10, [10, 10, 10]) is None
    True
    """
    if not history:
        return None
    med = statistics.median(history)
    mad = statistics.median(abs(h - med) for h in history)
    if mad > 0:
        return 0.6745 * (x - med) / mad
    mean_ad = statistics.fmean(abs(h - med) for h in history)
    if mean_ad > 0:
        return (x - med) / (1.253314 * mean_ad)
    return None


def _check_outlier(subject: Any, ctx: RuleContext) -> Iterator[Hit]:
    z_max = float(ctx.params.get("z", 3.5))
    min_history = int(ctx.params.get("min_history", 6))
    keys = [item(k).key for k in ctx.params.get("items", ("pus", "pa", "pb"))]
    for region, period, values, earlier in _subject_history(subject, ctx):
        for k in keys:
            x = values.get(k)
            hist = [v[k] for _, v in earlier if k in v]
            if x is None or len(hist) < min_history:
                continue
            z = modified_z(x, hist)
            if z is not None and abs(z) > z_max:
                yield Hit(
                    Location(region=region, period=period, item=k),
                    found=str(x),
                    expected=f"≈ {statistics.median(hist):g}",
                    label=item(k).label,
                    value=x,
                    median=f"{statistics.median(hist):g}",
                    z=f"{z:.1f}",
                    z_max=f"{z_max:g}",
                    n=len(hist),
                )


# ---------------------------------------------------------------------------------------------
# the pack


_IDENTITY_MESSAGE = (
    "{label} tertulis {total}, padahal {parts} = {sum}",
    "{label} is {total} but {parts} = {sum}",
)
_IDENTITY_HINT = (
    "Hitung ulang rincian dan jumlahnya pada formulir",
    "Recount the details and their total on the form",
)

_BOUND_TEXT: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "lapor-maks-ada": (
        ("Lapor tidak melebihi ada", "Reported does not exceed existing"),
        ("Periksa jumlah institusi yang ada dan yang lapor", "Check the existing and reporting counts"),
    ),
    "anggota-maks-sasaran": (
        ("Anggota tidak melebihi sasaran", "Members do not exceed targets"),
        ("Periksa apakah keluarga anggota juga tercatat sebagai sasaran",
         "Check whether member families are also recorded as targets"),
    ),
    "pus-kb-maks-pus-anggota": (
        ("PUS anggota ber-KB tidak melebihi PUS anggota", "PUS members using KB do not exceed PUS members"),
        ("PUS ber-KB adalah bagian dari PUS anggota", "PUS using KB are a part of the PUS members"),
    ),
    "pus-anggota-maks-pus": (
        ("PUS anggota tidak melebihi jumlah PUS", "PUS members do not exceed the PUS"),
        ("PUS anggota Poktan adalah bagian dari seluruh PUS", "PUS members are a part of all PUS"),
    ),
    "pus-anggota-kb-maks-pa": (
        ("PUS anggota ber-KB tidak melebihi PA", "PUS members using KB do not exceed PA"),
        ("PUS anggota ber-KB adalah bagian dari peserta KB aktif",
         "PUS members using KB are a part of the active participants"),
    ),
    "uppka-kps-ks1-maks-anggota": (
        ("UPPKA: Pra S dan KS I tidak melebihi seluruh anggota", "UPPKA: KPS and KS1 do not exceed all members"),
        ("Keluarga Pra S dan KS I adalah bagian dari anggota UPPKA",
         "KPS and KS1 families are a part of the UPPKA members"),
    ),
    "pb-maks-pa": (
        ("PB tidak melebihi PA", "PB does not exceed PA"),
        ("Peserta baru bulan ini juga peserta aktif di akhir bulan, kecuali yang langsung berhenti",
         "New participants are active at the end of the month unless they stopped at once"),
    ),
}  # fmt: skip


def report_rules() -> RuleSet:
    """The default report rule pack, a fresh :class:`~sikkb.rules.RuleSet` per call.

    >>> rules = report_rules()
    >>> rules.get("laporan-pencilan").params["z"], rules.get("laporan-anggota-maks-sasaran").severity.value
    (3.5, 'WARNING')
    >>> rules.with_params("laporan-lonjakan-bulanan", threshold_pct=50).get(
    ...     "laporan-lonjakan-bulanan").params["threshold_pct"]
    50
    """
    rules = [
        Rule(
            id="laporan-pus-sama-pa-bukan-peserta", severity="ERROR", subject="report",
            title=("PUS = PA + HAMIL + IAS + IAT + TIAL", "PUS = PA + HAMIL + IAS + IAT + TIAL"),
            message=_IDENTITY_MESSAGE, hint=_IDENTITY_HINT,
            reads=[k for k, parts in _IDENTITIES["pus"] for k in (k, *parts)],
            check=_identity_check("pus"),
        ),
        Rule(
            id="laporan-pa-sama-jumlah-metode", severity="ERROR", subject="report",
            title=("PA = jumlah per metode", "PA = sum over methods"),
            message=_IDENTITY_MESSAGE, hint=_IDENTITY_HINT,
            reads=sorted({k for k, parts in _IDENTITIES["metode"] for k in (k, *parts)}),
            check=_identity_check("metode"),
        ),
        Rule(
            id="laporan-pa-sama-jumlah-tempat", severity="ERROR", subject="report",
            title=("PA = jumlah per tempat pelayanan", "PA = sum over places"),
            message=_IDENTITY_MESSAGE, hint=_IDENTITY_HINT,
            reads=sorted({k for k, parts in _IDENTITIES["tempat"] for k in (k, *parts)}),
            check=_identity_check("tempat"),
        ),
        Rule(
            id="laporan-total-sama-rincian", severity="ERROR", subject="report",
            title=("Jumlah = rinciannya", "Totals = their details"),
            message=_IDENTITY_MESSAGE, hint=_IDENTITY_HINT,
            reads=sorted({k for k, parts in _IDENTITIES["lain"] for k in (k, *parts)}),
            check=_identity_check("lain"),
        ),
    ]  # fmt: skip
    by_name: dict[str, list[Bound]] = {}
    for b in BOUNDS:
        by_name.setdefault(b.name, []).append(b)
    for name, bounds in by_name.items():
        title, hint = _BOUND_TEXT[name]
        rules.append(
            Rule(
                id=f"laporan-{name}",
                severity=bounds[0].severity,
                subject="report",
                title=title,
                message=(
                    "{lesser} ({lo}) lebih besar dari {greater} ({hi})",
                    "{lesser} ({lo}) is more than {greater} ({hi})",
                ),
                hint=hint,
                reads=sorted({k for b in bounds for k in (b.lesser, b.greater)}),
                check=_bound_check(bounds),
            )
        )
    rules += [
        Rule(
            id="rekap-sama-jumlah-anak", severity="ERROR", subject="recap",
            title=("Rekap = jumlah wilayah di bawahnya", "Recap = sum of its children"),
            message=("Jumlah {label} pada rekap {total}, padahal jumlah baris wilayah = {sum}",
                     "{label} in the recap total is {total} but its rows sum to {sum}"),
            hint=("Susun ulang rekap dari laporan wilayah di bawahnya",
                  "Rebuild the recap from its children's reports"),
            reads=[it.key for it in CATALOGUE], check=_check_recap_sum,
        ),
        Rule(
            id="laporan-lonjakan-bulanan", severity="WARNING", subject="report",
            title=("Perubahan bulanan wajar", "Plausible month-over-month change"),
            message=("{label} berubah {pct}% dari {prev} menjadi {cur} dalam sebulan (batas {threshold}%)",
                     "{label} changed {pct}% from {prev} to {cur} in one month (limit {threshold}%)"),
            hint=("Periksa apakah ada PUS yang terlewat atau tercatat ganda",
                  "Check for PUS missed or recorded twice"),
            reads=("pa", "pus"), check=_check_jump,
            params={"threshold_pct": 25.0, "min_previous": 20, "items": ("pa", "pus")},
        ),
        Rule(
            id="laporan-pencilan", severity="WARNING", subject="report",
            title=("Angka sejalan dengan riwayat wilayah", "Number in line with the unit's history"),
            message=("{label} = {value} jauh dari median {n} bulan sebelumnya ({median}); skor z {z} > {z_max}",
                     "{label} = {value} is far from the median of the {n} months before ({median}); z-score {z} > {z_max}"),
            hint=("Periksa angka ini dengan register atau PPKBD",
                  "Check this number against the register or with the PPKBD"),
            reads=("pus", "pa", "pb"), check=_check_outlier,
            params={"z": 3.5, "min_history": 6, "items": ("pus", "pa", "pb")},
        ),
    ]  # fmt: skip
    return RuleSet(rules)


def validate_report(
    subject: VillageReport | Recap | Series,
    *,
    history: Series | Iterable[VillageReport | Recap] | None = None,
    rules: RuleSet | None = None,
    regions: RegionTable | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Findings:
    """Run the report rule pack (or ``rules``) on a report, recap or series. Never raises for data."""
    ctx_extra = dict(extra or {})
    if history is not None:
        ctx_extra["history"] = history if isinstance(history, Series) else tuple(history)
    return run_rules(
        rules if rules is not None else report_rules(),
        subject,
        RuleContext(regions=regions, extra=ctx_extra),
    )
