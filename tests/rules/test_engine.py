"""The rule engine: rules are data, callers configure them, one bad rule never hides the others."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import attrs
import pytest

from sikkb.i18n import Text
from sikkb.periods import Period
from sikkb.register import Keluarga, Pus, Register
from sikkb.rules import (
    Hit,
    Location,
    Rule,
    RuleContext,
    RuleSet,
    Severity,
    UnknownRuleError,
    register_rules,
    run_rules,
    validate_register,
)


def _negative(xs: list[int], ctx: RuleContext) -> Iterator[Hit]:
    for i, x in enumerate(xs):
        if x < ctx.params.get("min", 0):
            yield Hit(Location(table="angka", row=i + 2, value=str(x)), value=x, found=str(x))


NEGATIVE = Rule(
    id="angka-negatif",
    severity="ERROR",
    subject="angka",
    title=Text("Angka tidak negatif", "No negative number"),
    message=Text("Angka {value} negatif", "Number {value} is negative"),
    hint=Text("Isi angka nol atau lebih", "Enter zero or more"),
    check=_negative,
    reads=("angka",),
    params={"min": 0},
)


def _crash(xs: list[int], ctx: RuleContext) -> Iterator[Hit]:
    yield Hit(Location(row=2), value="sebelum")
    raise ZeroDivisionError("boom")


CRASHING = Rule(
    id="rusak",
    severity="WARNING",
    subject="angka",
    title=Text("Rusak", "Broken"),
    message=Text("{value}", "{value}"),
    hint=Text("-", "-"),
    check=_crash,
)


def test_findings_carry_location_bilingual_message_hint() -> None:
    (f,) = run_rules(RuleSet([NEGATIVE]), [1, -3, 4])
    assert (f.rule_id, f.severity, f.location.row, f.location.value) == (
        "angka-negatif",
        Severity.ERROR,
        3,
        "-3",
    )
    assert (f.message.id, f.message.en) == ("Angka -3 negatif", "Number -3 is negative")
    assert f.hint.en == "Enter zero or more"
    assert f.found == "-3"
    assert f.describe("en") == (
        "[ERROR] angka, row 3: Number -3 is negative (hint: Enter zero or more) [angka-negatif]"
    )


def test_severity_override() -> None:
    rules = RuleSet([NEGATIVE]).with_severity("angka-negatif", "warning")
    findings = run_rules(rules, [-1])
    assert [f.severity for f in findings] == [Severity.WARNING]
    assert not findings.has_errors
    assert RuleSet([NEGATIVE]).get("angka-negatif").severity is Severity.ERROR  # unchanged


def test_switch_off_and_on_again() -> None:
    rules = RuleSet([NEGATIVE]).without("angka-negatif")
    assert not run_rules(rules, [-1])
    assert len(rules) == 0
    assert "angka-negatif" in rules  # still known, for the catalogue
    assert len(run_rules(rules.enable("angka-negatif"), [-1])) == 1


def test_parameters_are_tunable_and_checked() -> None:
    rules = RuleSet([NEGATIVE]).with_params("angka-negatif", min=5)
    assert [f.location.row for f in run_rules(rules, [1, 7, 4])] == [2, 4]
    with pytest.raises(UnknownRuleError):
        RuleSet([NEGATIVE]).with_params("angka-negatif", maks=3)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.with_severity("tidak-ada", "INFO"),
        lambda r: r.without("tidak-ada"),
        lambda r: r.enable("tidak-ada"),
        lambda r: r.get("tidak-ada"),
        lambda r: r.with_params("tidak-ada", x=1),
    ],
)
def test_unknown_ids_are_refused(change: object) -> None:
    with pytest.raises(UnknownRuleError) as e:
        change(register_rules())  # type: ignore[operator]
    assert isinstance(e.value, KeyError)
    assert "tidak-ada" in str(e.value)
    assert "nik-istri-format" in e.value.known


def test_two_rules_may_not_share_an_id() -> None:
    with pytest.raises(ValueError, match="angka-negatif"):
        RuleSet([NEGATIVE, NEGATIVE])


def test_a_crashing_rule_becomes_one_error_and_hides_nothing() -> None:
    findings = run_rules(RuleSet([CRASHING, NEGATIVE]), [-1])
    assert sorted(f.rule_id for f in findings) == ["angka-negatif", "rule-crashed", "rusak"]
    (crash,) = findings.by_rule("rule-crashed")
    assert crash.severity is Severity.ERROR
    assert crash.location.item == "rusak"
    assert "ZeroDivisionError" in crash.message.en
    assert "rusak" in crash.message.id


def test_add_own_rule_to_the_register_pack_without_editing_the_package() -> None:
    def no_more_than_ten_children(reg: Register, ctx: RuleContext) -> Iterator[Hit]:
        for p in reg.pus:
            if (p.jumlah_anak or 0) > 10:
                yield Hit(Location(table="pus", row=p.row, column="jumlah_anak"), n=p.jumlah_anak)

    own = Rule(
        id="dinas-anak-sepuluh",
        severity="INFO",
        subject="register",
        title=Text("Anak lebih dari sepuluh", "More than ten children"),
        message=Text("{n} anak", "{n} children"),
        hint=Text("Kunjungi keluarga", "Visit the family"),
        check=no_more_than_ten_children,
    )
    reg = Register(
        period=Period(2026, 10),
        keluarga=[Keluarga(kode_keluarga="KK-1", kode_wilayah="3671071003", rw=1, rt=1, row=2)],
        pus=[
            Pus(
                kode_keluarga="KK-1", nik_istri="3671074508950001",
                tanggal_lahir_istri=datetime.date(1995, 8, 5), status_kb="IAS",
                jumlah_anak=12, row=2,
            )
        ],
    )  # fmt: skip
    rules = register_rules().plus(own).with_severity("dinas-anak-sepuluh", "WARNING")
    findings = validate_register(reg, rules=rules)
    assert [(f.rule_id, f.severity, f.message.en) for f in findings] == [
        ("dinas-anak-sepuluh", Severity.WARNING, "12 children")
    ]
    assert not validate_register(reg)  # the default pack is unchanged


def test_a_rule_may_not_say_more_than_its_severity() -> None:
    with pytest.raises(ValueError, match="severity"):
        Rule(
            id="x", severity="FATAL", subject="angka", title=Text("x", "x"),
            message=Text("x", "x"), hint=Text("x", "x"), check=_negative,
        )  # fmt: skip


def test_a_rule_takes_its_texts_as_id_en_pairs() -> None:
    rule = attrs.evolve(
        NEGATIVE,
        title=("Angka tidak negatif", "No negative number"),
        message=("Angka {value} negatif", "Number {value} is negative"),
        hint=("Isi angka nol atau lebih", "Enter zero or more"),
    )
    assert rule == NEGATIVE
    assert rule.message == Text("Angka {value} negatif", "Number {value} is negative")
    with pytest.raises(TypeError, match="pairs"):
        attrs.evolve(NEGATIVE, hint=("satu", "dua", "tiga"))  # type: ignore[arg-type]


def test_a_rule_makes_the_finding_run_rules_makes() -> None:
    (ran,) = run_rules(RuleSet([NEGATIVE]), [-3])
    made = NEGATIVE.finding(
        Location(table="angka", row=2, value="-3"), found="-3", value=-3, location="x"
    )
    assert made == ran
    assert made.message.en == "Number -3 is negative"
