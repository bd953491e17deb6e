"""Properties over the suite's shared register strategies, with the register rule pack's findings."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.strategies import any_registers, registers, shuffled

from sikkb.errors import RegisterRowsError
from sikkb.regions import kota_tangerang
from sikkb.register import Register
from sikkb.report import Recap, VillageReport
from sikkb.rules.register import validate_register
from sikkb.rules.report import validate_report

REGIONS = kota_tangerang()
_KNOWN = {r.code for r in REGIONS.kelurahan()}


def _kelurahan(reg: Register) -> list[str]:
    return [c for c in reg.kelurahan_codes if c in _KNOWN]


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(reg=registers())
def test_valid_registers_give_clean_reports_and_recaps(reg: Register) -> None:
    findings = validate_register(reg, regions=REGIONS)
    assert not findings.has_errors
    reps = VillageReport.all_from_register(reg, findings=findings, kelurahan=_kelurahan(reg))
    for rep in reps:
        assert not validate_report(rep).errors
        assert rep.rows_excluded == ()
    for recap in Recap.build_tree("36.71", reg.period, reps, REGIONS).values():
        assert not validate_report(recap).errors


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(reg=any_registers())
def test_rows_with_errors_are_refused_or_left_out(reg: Register) -> None:
    findings = validate_register(reg, regions=REGIONS)
    codes = _kelurahan(reg)
    reps = VillageReport.all_from_register(
        reg, findings=findings, exclude_invalid=True, kelurahan=codes
    )
    for rep in reps:
        assert not validate_report(rep).errors
    bad = findings.error_rows()
    for rep in reps:
        if rep.rows_excluded:
            with pytest.raises(RegisterRowsError) as e:
                VillageReport.from_register(reg, rep.region, findings=findings)
            assert e.value.rows == dict(rep.rows_excluded)
            assert e.value.kode_wilayah == rep.region
    if not bad:
        assert all(not r.rows_excluded for r in reps)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_shuffled_rows_give_the_same_reports(data: st.DataObject) -> None:
    reg = data.draw(registers())
    other = data.draw(shuffled(reg))
    codes = _kelurahan(reg)
    assert VillageReport.all_from_register(
        other, kelurahan=codes
    ) == VillageReport.all_from_register(reg, kelurahan=codes)
