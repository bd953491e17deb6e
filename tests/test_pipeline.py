"""build_month: register → findings → village reports → recaps, and rows it did not count."""

from __future__ import annotations

import attrs
import pytest

from sikkb.demo import demo_city
from sikkb.errors import RegisterRowsError
from sikkb.periods import Period
from sikkb.pipeline import build_month

OCT = Period(2026, 10)
KEC = "36.71.01"  # kecamatan Tangerang: 8 kelurahan


@attrs.frozen
class Unreadable:
    table: str
    cells: dict[str, object]

    def get(self, column: str) -> object:
        return self.cells.get(column)


@pytest.fixture(scope="module")
def register():  # type: ignore[no-untyped-def]
    return demo_city(OCT, scale=0.01, kelurahan=[KEC])


def test_city_recap_equals_the_sum_of_the_village_reports(register) -> None:  # type: ignore[no-untyped-def]
    month = build_month(register)
    assert [v.region for v in month.villages] == sorted({k.kode_wilayah for k in register.keluarga})
    assert (
        month.top.value("pus") == len(register.pus) == sum(v.value("pus") for v in month.villages)
    )
    pa = sum(1 for p in register.pus if p.is_peserta_aktif)
    assert month.top.value("pa") == pa
    # 1 kecamatan of 13 reported; every kelurahan of it reported.
    assert [r.region for r in month.kecamatan if any(row.reported for row in r.rows)] == [KEC]
    assert month.recap(KEC).value("pa") == pa
    assert not month.findings.has_errors


def test_rows_with_errors_are_refused_unless_excluded_and_then_counted(register) -> None:  # type: ignore[no-untyped-def]
    pus = list(register.pus)
    i = next(i for i, p in enumerate(pus) if p.metode is not None and p.metode.needs_place)
    pus[i] = attrs.evolve(pus[i], tempat_pelayanan=None, row=7)
    broken = attrs.evolve(register, pus=tuple(pus))
    with pytest.raises(RegisterRowsError):
        build_month(broken)
    month = build_month(broken, exclude_invalid=True)
    family = broken.keluarga_by_kode[pus[i].kode_keluarga]
    assert month.village(family.kode_wilayah).rows_excluded == (("pus", 1),)
    assert month.rows_excluded == {"pus": 1}
    assert month.top.value("pus") == len(register.pus) - 1


def test_unreadable_rows_are_counted_in_the_report_of_their_kelurahan(register) -> None:  # type: ignore[no-untyped-def]
    family = register.keluarga[0]
    other = next(k for k in register.keluarga if k.kode_wilayah != family.kode_wilayah)
    rows = [
        Unreadable("pus", {"kode_keluarga": family.kode_keluarga, "status_kb": "SUNTK"}),
        Unreadable("pus", {"kode_keluarga": family.kode_keluarga, "status_kb": "??"}),
        Unreadable("keluarga", {"kode_wilayah": other.kode_wilayah.replace(".", ""), "rw": "x"}),
        Unreadable("pus", {"kode_keluarga": "NO-SUCH-FAMILY"}),  # belongs nowhere we know
        Unreadable("institusi", {"kode_wilayah": "not a code"}),
    ]
    month = build_month(register, unreadable=rows)
    assert month.village(family.kode_wilayah).rows_excluded == (("pus", 2),)
    assert month.village(other.kode_wilayah).rows_excluded == (("keluarga", 1),)
    untouched = [
        v for v in month.villages if v.region not in (family.kode_wilayah, other.kode_wilayah)
    ]
    assert all(v.rows_excluded == () for v in untouched)
