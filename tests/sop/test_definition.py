"""The SOP definition: Kota Tangerang's data file, and clear errors for broken definitions."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import re

import attrs
import pytest

from sikkb.errors import InvalidSOPError
from sikkb.periods import Period
from sikkb.sop import (
    SOP,
    Calendar,
    CycleRules,
    DayCount,
    EventKind,
    kota_tangerang_sop,
    schedule,
)

TEXT = importlib.resources.files("sikkb.data").joinpath("sop_3671.toml").read_text("utf-8")


def step_block(number: int) -> str:
    """The text of one ``[[steps]]`` table of the shipped file."""
    start = TEXT.index(f"[[steps]]\nnumber = {number}\n")
    end = TEXT.find("[[steps]]", start + 1)
    return TEXT[start : end if end > 0 else len(TEXT)]


def with_step(number: int, old: str, new: str) -> str:
    block = step_block(number)
    assert old in block, old
    return TEXT.replace(block, block.replace(old, new))


def load_error(text: str) -> InvalidSOPError:
    with pytest.raises(InvalidSOPError) as info:
        SOP.from_toml(text, source="dinas.toml")
    assert str(info.value).startswith("dinas.toml:")
    return info.value


def test_metadata_of_kota_tangerang() -> None:
    sop = kota_tangerang_sop()
    assert sop.number == "050/391 C-SKIT"
    assert sop.name_id == "Laporan Pengendalian Lapangan"
    assert sop.region == "36.71"
    assert sop.created == dt.date(2020, 1, 31)
    assert sop.effective == dt.date(2020, 3, 2)
    assert sop.revised is None
    assert sop.approver is not None
    assert sop.approver.name == "Drs. Heryanto, MAP"
    assert sop.approver.position.startswith("Kepala Dinas Pemberdayaan Perempuan")
    assert [b.reference for b in sop.legal_basis] == [
        "UU No. 52 Tahun 2009",
        "UU No. 23 Tahun 2014",
        "PP No. 87 Tahun 2014",
        "Renstra BKKBN 2015-2019",
    ]
    assert sop.legal_basis[0].provision == "Pasal 49"
    assert sop.related_decrees == ("SK PKB tingkat kota", "SK PPKBD tingkat kelurahan")
    assert sop.equipment == (
        "ATK",
        "Laptop / komputer",
        "Jaringan internet",
        "Kendaraan operasional",
    )
    assert [lane.code for lane in sop.lanes] == [
        "WALIKOTA", "KECAMATAN", "BIDANG_KB", "BKKBN", "TIM_DP3AP2KB", "PPKBD",
    ]  # fmt: skip
    assert sop.lane("BIDANG_KB").label_en.startswith("Family planning division")
    assert sop.tzinfo.utcoffset(None) == dt.timedelta(hours=7)
    assert sop.calendar.counting is DayCount.CALENDAR
    assert sop.cycle == CycleRules()  # anchor: the 1st of the next month; no grace; no lock


def test_steps_of_kota_tangerang() -> None:
    sop = kota_tangerang_sop()
    rows = [
        (s.number, s.duration_days, s.depends_on, s.responsible, s.completed_by) for s in sop.steps
    ]
    sub, fwd, dis = EventKind.SUBMITTED, EventKind.FORWARDED, EventKind.DISSEMINATED
    assert rows == [
        (1, 15, (), "PPKBD", sub),
        (2, 15, (), "PPKBD", sub),
        (3, 15, (), "PPKBD", sub),
        (4, 1, (1, 2, 3), "PPKBD", sub),
        (5, 1, (4,), "TIM_DP3AP2KB", fwd),
        (6, 1, (4,), "TIM_DP3AP2KB", dis),
    ]
    assert sop.step(1).kelengkapan == ("F/I/DAL",)
    assert sop.step(1).output_id == "Data akseptor KB, PUS dan Poktan"
    assert sop.step(5).lanes == ("TIM_DP3AP2KB", "BKKBN")
    assert sop.step(6).label_id.startswith("Melaporkan Hasil Kegiatan ke Walikota")
    assert sop.steps_completed_by(EventKind.SUBMITTED) == (1, 2, 3, 4)
    assert sop.report_step == 4
    order = sop.order
    assert set(order) == {1, 2, 3, 4, 5, 6}
    assert order.index(4) > max(order.index(1), order.index(2), order.index(3))
    assert order.index(5) > order.index(4)
    assert order.index(6) > order.index(4)


def test_roles() -> None:
    roles = kota_tangerang_sop().roles
    assert roles[EventKind.SUBMITTED] == frozenset({"PPKBD"})
    assert roles[EventKind.VERIFIED] == frozenset({"TIM_DP3AP2KB", "BIDANG_KB"})


def test_lookup_of_unknown_step_or_lane() -> None:
    sop = kota_tangerang_sop()
    with pytest.raises(KeyError, match="no step 9"):
        sop.step(9)
    with pytest.raises(KeyError, match="no lane"):
        sop.lane("CAMAT")


def test_the_shipped_file_round_trips_through_its_text() -> None:
    assert SOP.from_toml(TEXT.encode("utf-8")) == kota_tangerang_sop()


def test_a_dependency_cycle_names_the_steps() -> None:
    # 1 waits for 4, which waits for 1-3.
    err = load_error(with_step(1, "depends_on = []", "depends_on = [4]"))
    assert err.field == "depends_on"
    assert err.step == 1
    assert "cycle" in err.reason
    assert re.search(r"1 → 4 → 1|4 → 1 → 4", err.reason)


def test_an_unknown_dependency_names_the_step() -> None:
    err = load_error(with_step(4, "depends_on = [1, 2, 3]", "depends_on = [1, 2, 9]"))
    assert (err.step, err.field) == (4, "depends_on")
    assert "unknown step 9" in str(err)
    assert str(err).startswith("dinas.toml: step 4: depends_on:")


def test_a_step_depending_on_itself() -> None:
    err = load_error(with_step(5, "depends_on = [4]", "depends_on = [5]"))
    assert (err.step, err.field) == (5, "depends_on")


@pytest.mark.parametrize("days", [-3, 0])
def test_a_duration_under_one_day_names_the_step(days: int) -> None:
    err = load_error(with_step(2, "duration_days = 15", f"duration_days = {days}"))
    assert (err.step, err.field) == (2, "duration_days")
    assert str(days) in err.reason


def test_a_missing_field_names_the_step_and_key() -> None:
    err = load_error(with_step(3, "activity_en = ", "# activity_en = "))
    assert (err.step, err.field) == (3, "activity_en")
    assert err.reason == "missing required key"


def test_a_missing_step_number_names_the_table() -> None:
    err = load_error(with_step(6, "number = 6\n", ""))
    assert err.step is None
    assert err.field == "steps[6].number"


def test_a_mistyped_value_names_the_key() -> None:
    err = load_error(with_step(2, "duration_days = 15", 'duration_days = "15"'))
    assert (err.step, err.field) == (2, "duration_days")
    assert "whole number" in err.reason
    err = load_error(with_step(2, "duration_days = 15", "duration_days = true"))
    assert (err.step, err.field) == (2, "duration_days")


def test_an_unknown_key_is_refused() -> None:
    err = load_error(with_step(2, "duration_days = 15", "duration_days = 15\ndurasi = 15"))
    assert err.step == 2
    assert "durasi" in err.reason


def test_an_unknown_lane_names_the_step() -> None:
    err = load_error(with_step(5, '"TIM_DP3AP2KB", "BKKBN"]', '"TIM_DP3AP2KB", "BKKBN_PUSAT"]'))
    assert (err.step, err.field) == (5, "lanes")
    assert "BKKBN_PUSAT" in err.reason


def test_the_responsible_lane_must_be_a_lane_of_the_step() -> None:
    err = load_error(with_step(5, 'responsible = "TIM_DP3AP2KB"', 'responsible = "PPKBD"'))
    assert (err.step, err.field) == (5, "responsible")


def test_an_unknown_completing_event_names_the_step() -> None:
    err = load_error(with_step(6, 'completed_by = "DISSEMINATED"', 'completed_by = "SENT"'))
    assert (err.step, err.field) == (6, "completed_by")
    err = load_error(with_step(6, 'completed_by = "DISSEMINATED"', 'completed_by = "RETURNED"'))
    assert (err.step, err.field) == (6, "completed_by")


def test_a_step_cannot_wait_for_a_step_completed_later_in_the_lifecycle() -> None:
    # Step 4 (completed by SUBMITTED) cannot wait for step 5 (completed by FORWARDED).
    text = with_step(4, "depends_on = [1, 2, 3]", "depends_on = [1, 2, 3, 5]")
    text = text.replace(step_block(5), step_block(5).replace("depends_on = [4]", "depends_on = []"))
    err = load_error(text)
    assert (err.step, err.field) == (4, "depends_on")


def test_repeated_step_numbers() -> None:
    err = load_error(with_step(3, "number = 3\n", "number = 2\n"))
    assert (err.step, err.field) == (2, "number")


def test_roles_must_name_known_lanes_and_kinds() -> None:
    err = load_error(TEXT.replace('SUBMITTED = ["PPKBD"]', 'SUBMITTED = ["KADER"]'))
    assert err.field == "lifecycle.roles"
    err = load_error(TEXT.replace('SUBMITTED = ["PPKBD"]', 'SENT = ["PPKBD"]'))
    assert err.field == "lifecycle.roles.SENT"


def test_cycle_rules_are_checked() -> None:
    err = load_error(TEXT.replace("anchor_month_offset = 1", "anchor_month_offset = 0"))
    assert err.field == "cycle.anchor_month_offset"
    err = load_error(TEXT.replace("# expiry_days = 30", "expiry_days = 2").replace(
        "timely_days = 0", "timely_days = 5"))  # fmt: skip
    assert err.field == "cycle.expiry_days"


def test_format_and_toml_errors() -> None:
    err = load_error(TEXT.replace("format = 1", "format = 2"))
    assert err.field == "format"
    err = load_error(TEXT.replace("[sop]", "[sop"))
    assert "not valid TOML" in err.reason
    err = load_error(TEXT.replace('[[lanes]]\ncode = "WALIKOTA"', '[[lanes]]\nkode = "W"'))
    assert err.field == "lanes[1].code"


def test_a_calendar_in_the_sop_file() -> None:
    text = TEXT.replace('counting = "CALENDAR"', 'counting = "WORKING"').replace(
        "cuti_bersama = []", "cuti_bersama = [2026-03-18, 2026-03-20, 2026-03-23, 2026-03-24]"
    )
    sop = SOP.from_toml(text)
    assert sop.calendar == Calendar.working(
        cuti_bersama=["2026-03-18", "2026-03-20", "2026-03-23", "2026-03-24"]
    )
    err = load_error(TEXT.replace('counting = "CALENDAR"', 'counting = "KERJA"'))
    assert err.field == "calendar"
    err = load_error(TEXT.replace("extra_holidays = []", "libur = []"))
    assert "libur" in err.reason


def test_evolving_an_sop_checks_it_again() -> None:
    sop = kota_tangerang_sop()
    with pytest.raises(InvalidSOPError, match="step 2: duration_days"):
        sop.with_duration(2, -1)
    with pytest.raises(InvalidSOPError, match="step 1: depends_on: a step cannot depend on itself"):
        attrs.evolve(sop, steps=(attrs.evolve(sop.step(1), depends_on=(1,)),))
    one, two = (
        attrs.evolve(sop.step(1), depends_on=(2,)),
        attrs.evolve(sop.step(2), depends_on=(1,)),
    )
    with pytest.raises(InvalidSOPError, match=r"dependency cycle .*: (1 → 2 → 1|2 → 1 → 2)"):
        attrs.evolve(sop, steps=(one, two))
    with pytest.raises(InvalidSOPError, match="no steps"):
        attrs.evolve(sop, steps=())


ANOTHER_DINAS = """
format = 1

[sop]
number = "800/12-DPPKB"
name_id = "Laporan Bulanan KB"
name_en = "Monthly KB report"
institution = "DPPKB Kabupaten Contoh"

[cycle]
anchor_day = 3
timely_days = 2
expiry_days = 10

[calendar]
counting = "WORKING"
cuti_bersama = [2026-12-24]

[[lanes]]
code = "PKB"
label_id = "Penyuluh KB"
label_en = "KB field officer"

[[lanes]]
code = "DINAS"
label_id = "Dinas"
label_en = "District office"

[lifecycle.roles]
SUBMITTED = ["PKB"]
VERIFIED = ["DINAS"]
RETURNED = ["DINAS"]
FORWARDED = ["DINAS"]
DISSEMINATED = ["DINAS"]

[[steps]]
number = 10
activity_id = "Rekap"
activity_en = "Recap"
lanes = ["DINAS"]
responsible = "DINAS"
duration_days = 2
depends_on = [20]
completed_by = "FORWARDED"

[[steps]]
number = 20
activity_id = "Catat"
activity_en = "Record"
lanes = ["PKB"]
responsible = "PKB"
duration_days = 5
completed_by = "SUBMITTED"
"""


def test_another_dinas_loads_its_own_sop() -> None:
    sop = SOP.from_toml(ANOTHER_DINAS, source="contoh.toml")
    assert sop.source == "contoh.toml"
    assert sop.order == (20, 10)
    assert sop.report_step == 20
    # November 2026, working days: anchor Thursday 3 December. Step 20 (5 days): 3, 4, 7, 8, 9 Dec
    # -> due Wednesday 9 December. Step 10 (2 days): 10, 11 December.
    s = schedule(sop, sop.calendar, Period(2026, 11))
    assert (s.step(20).start, s.step(20).due) == (dt.date(2026, 12, 3), dt.date(2026, 12, 9))
    assert (s.step(10).start, s.step(10).due) == (dt.date(2026, 12, 10), dt.date(2026, 12, 11))
    assert s.step(10).on_time_until == dt.date(2026, 12, 13)
    assert s.locked_after(EventKind.SUBMITTED) == dt.date(2026, 12, 19)
