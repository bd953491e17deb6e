"""sikkb.views.display: notebook HTML of reports, recaps, findings, schedules and a month's reports."""

from __future__ import annotations

import functools
import html.parser

from hypothesis import given, settings
from hypothesis import strategies as st

from sikkb.i18n import Text
from sikkb.periods import Period
from sikkb.pipeline import MonthlyReports, build_month
from sikkb.regions import Region, RegionTable
from sikkb.report import Recap, VillageReport, detail_keys
from sikkb.rules.engine import Finding, Findings, Location, Severity
from sikkb.sop import Calendar, kota_tangerang_sop, schedule
from sikkb.views.display import (
    findings_html,
    monthly_reports_html,
    recap_html,
    village_report_html,
)

OCT = Period(2026, 10)
SCRIPT = "<script>alert(1)</script>"


class _Tags(html.parser.HTMLParser):
    """Collects the tags of an HTML text (to prove no injected element survives)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)


def tags(text: str) -> list[str]:
    p = _Tags()
    p.feed(text)
    return p.tags


@functools.cache
def october() -> MonthlyReports:
    from sikkb.demo import demo_city

    return build_month(demo_city(OCT, scale=0.005))


def hostile_table() -> RegionTable:
    return RegionTable([
        Region(code="36", name="Banten", kind="provinsi"),
        Region(code="36.71", name=f"Kota {SCRIPT}", kind="kota"),
        Region(code="36.71.07", name="Kec <b>tebal</b>", kind="kecamatan"),
        Region(code="36.71.07.1001", name=f"Kel {SCRIPT}", kind="kelurahan"),
        Region(code="36.71.07.1002", name="Kel 'kutip\" & co", kind="kelurahan"),
    ])  # fmt: skip


def test_village_report_shows_sections_labels_and_numbers() -> None:
    values = dict.fromkeys(detail_keys(), 0) | {"pa.SUNTIK.PEMERINTAH": 5, "bukan_peserta.HAMIL": 2}
    r = VillageReport.from_form("36.71.07.1003", OCT, values)
    out = r._repr_html_()
    for label in (
        "I. Keadaan umum",
        "II. Kegiatan operasional",
        "III. Pembinaan ketahanan keluarga",
        "IV. Pembinaan kesejahteraan keluarga (UPPKA)",
        "V. PUS dan kesertaan ber-KB",
        "Peserta KB aktif Suntik, Pemerintah",
        "Karawaci Baru",
        "2026-10",
    ):
        assert label in out
    # PUS 7 = PA 5 + HAMIL 2; CPR 5/7 = 71,4% (Indonesian decimal comma)
    assert "PUS <b>7</b>" in out
    assert "PA <b>5</b>" in out
    assert "CPR <b>71,4%</b>" in out
    assert "<td class='num'>5</td>" in out
    assert "script" not in tags(out)


def test_not_reported_cells_show_a_dash_never_zero() -> None:
    r = VillageReport.from_form("36.71.07.1003", OCT, {"bukan_peserta.HAMIL": 2})
    out = village_report_html(r)
    assert "PUS <b>-</b>" in out
    assert "CPR <b>-</b>" in out


def test_hostile_region_names_are_escaped() -> None:
    table = hostile_table()
    a = VillageReport.from_form("36.71.07.1001", OCT, {"pus": 3})
    b = VillageReport.from_form("36.71.07.1002", OCT, {"pus": 4})
    rek = Recap.build("36.71.07", OCT, [a, b], table)
    for out in (village_report_html(a, regions=table), recap_html(rek, regions=table)):
        assert SCRIPT not in out
        assert "<b>tebal</b>" not in out
        assert "script" not in tags(out)
    assert "Kel &lt;script&gt;alert(1)&lt;/script&gt;" in village_report_html(a, regions=table)
    assert "&#x27;kutip&quot; &amp; co" in recap_html(rek, regions=table)


def test_recap_rows_total_and_coverage() -> None:
    a = VillageReport.from_form("36.71.07.1001", OCT, {"pus": 10, "pa": 6})
    b = VillageReport.from_form("36.71.07.1002", OCT, {"pus": 5, "pa": 4})
    rek = Recap.build("36.71.07", OCT, [a, b], hostile_table())
    out = rek._repr_html_()  # default table: Kota Tangerang's names
    assert "Rek.Kec F/I/Dal" in out
    assert "<td>Bojong Jaya</td>" in out
    assert "Kecamatan Karawaci" in out
    # rows: 10/6 → 60,0%, 5/4 → 80,0%; total 15/10 → 66,7%; 2 of 2 reported
    for text in ("60,0%", "80,0%", "<td class='num'>15</td>", "66,7%", "2/2", "Cakupan laporan"):
        assert text in out


def test_recap_marks_children_that_did_not_report() -> None:
    month = october()
    kec = month.kecamatan[0]
    assert "belum" not in kec._repr_html_()
    from sikkb.regions import kota_tangerang

    one = Recap.build(kec.region, OCT, [month.villages[0]], kota_tangerang())
    out = recap_html(one)
    expected = len(one.rows)
    assert out.count("<b>belum</b>") == expected - 1
    assert f"1/{expected}" in out


def _finding(message: str, severity: Severity = Severity.ERROR, row: int = 3) -> Finding:
    return Finding(
        rule_id="baca-kode-tidak-dikenal",
        severity=severity,
        location=Location(table="pus", row=row, column="status_kb", value=message),
        message=Text(f"Kode {message} tidak dikenal", f"Unknown code {message}"),
        hint=Text("Pilih kode yang sah", "Choose a valid code"),
    )


def test_findings_table_escapes_and_colours() -> None:
    fs = Findings([_finding(SCRIPT), _finding("SUNTK", Severity.WARNING, 4)])
    out = fs._repr_html_()
    assert SCRIPT not in out
    assert "script" not in tags(out)
    assert "Kode &lt;script&gt;alert(1)&lt;/script&gt; tidak dikenal" in out
    assert "Unknown code SUNTK" in out
    assert "Pilih kode yang sah" in out
    assert "pus, baris 3, kolom status_kb" in out
    assert "#fde2e1" in out  # the ERROR badge's colour
    assert "#fff4d6" in out  # the WARNING badge's colour
    assert "2 temuan" in out
    assert "Galat</span> 1" in out


def test_findings_table_is_cut_at_the_limit() -> None:
    fs = [_finding(str(i), row=i) for i in range(5)]
    out = findings_html(fs, limit=2)
    assert out.count("<tr>") == 1 + 2
    assert "dan 3 temuan lain" in out
    assert "Tidak ada temuan" in findings_html([])


@settings(max_examples=40)
@given(st.text(max_size=30))
def test_any_text_in_a_finding_is_escaped(text: str) -> None:
    out = findings_html([_finding(text)])
    assert tags(out) == tags(findings_html([_finding("x")]))


def test_schedule_html() -> None:
    s = schedule(kota_tangerang_sop(), Calendar(), OCT)
    out = s._repr_html_()
    assert "Jadwal SOP 050/391 C-SKIT" in out
    assert "hari kalender" in out
    assert "<b>2026-11-16</b>" in out  # step 4 due
    assert "Teruskan ke BKKBN" in out
    assert out.count("<tr>") == 1 + 6


def test_monthly_reports_html() -> None:
    month = october()
    out = month._repr_html_()
    assert "104 laporan kelurahan" in out
    assert "13 Rek.Kec" in out
    assert "Rek.Kab/Kota F/I/Dal" in out
    assert str(month.top.value("pa")) in out
    assert "<td>Karawaci</td>" in out
    assert "Kota Tangerang" in out
    assert "script" not in tags(out)
    assert "36.71" in monthly_reports_html(month, regions=hostile_table())
    assert SCRIPT not in monthly_reports_html(month, regions=hostile_table())
