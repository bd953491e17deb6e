"""The contract (``sikkb.outcome.decide``) and the pipeline agree on every register.

``build_month`` refuses exactly when ``decide`` says nothing may be written, and when rows are
left out, the rows it leaves out are the ones ``decide`` states (which every document prints).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from tests.strategies import any_registers

from sikkb.errors import ReportRefusedError
from sikkb.outcome import decide
from sikkb.pipeline import build_month
from sikkb.regions import kota_tangerang
from sikkb.register import TABLES, Register
from sikkb.rules.register import validate_register

REGIONS = kota_tangerang()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
@given(reg=any_registers())
def test_build_month_follows_the_contract(reg: Register) -> None:
    findings = validate_register(reg, regions=REGIONS)
    has_data = any(reg.table(t) for t in TABLES)
    for exclude in (False, True):
        outcome = decide(findings, exclude_invalid=exclude, has_data=has_data)
        if not outcome.may_write:
            with pytest.raises(ReportRefusedError) as refused:
                build_month(reg, regions=REGIONS, exclude_invalid=exclude)
            assert outcome.exit_code == 1
            assert [f.rule_id for f in outcome.blocking] == list(refused.value.blocking)
            assert refused.value.rows == {t: len(r) for t, r in findings.error_rows().items()}
            continue
        month = build_month(reg, regions=REGIONS, exclude_invalid=exclude)
        assert outcome.may_write and outcome.exit_code == 0
        assert month.excluded == outcome.excluded
        assert dict(month.rows_excluded) == dict(outcome.rows_excluded)
        assert dict(month.rows_excluded) == {t: len(r) for t, r in findings.error_rows().items()}
        # each table's reasons count rows of that table only, never more than it left out
        for e in month.excluded:
            assert e.rows >= max(n for _, n in e.reasons)
        if not exclude:
            assert not findings.has_errors and not month.excluded
