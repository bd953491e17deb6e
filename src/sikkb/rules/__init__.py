"""Validation rules and findings (register rules, report rules, the engine)."""

from sikkb.rules.engine import (
    Finding,
    Findings,
    Hit,
    Location,
    Rule,
    RuleContext,
    RuleSet,
    Severity,
    UnknownRuleError,
    run_rules,
)

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
    "run_rules",
]
