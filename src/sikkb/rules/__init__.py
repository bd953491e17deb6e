"""Validation rules and findings (register rules, report rules, the engine)."""

from sikkb.errors import UnknownRuleError
from sikkb.rules.engine import (
    Finding,
    Findings,
    Hit,
    Location,
    Rule,
    RuleContext,
    RuleSet,
    Severity,
    run_rules,
)
from sikkb.rules.register import nik_reason, register_rules, validate_register

__all__ = [
    "Finding",
    "Findings",
    "Hit",
    "Location",
    "Rule",
    "RuleContext",
    "RuleSet",
    "Severity",
    "UnknownRuleError",
    "nik_reason",
    "register_rules",
    "run_rules",
    "validate_register",
]
