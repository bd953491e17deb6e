"""The documentation covers every rule, finding kind and hook (fails when one is added without docs).

The rule catalogue (``docs/rules.md``) is generated from the packs listed in
``docs/_ext/sikkb_catalogue.py``; these tests check that every rule anywhere in the packages is in
one of those packs, that the page renders every pack, that every rule carries the texts the
catalogue shows, and that every hook and every ad-hoc finding id is named in the docs.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sikkb
import sikkb_exporters
from sikkb.rules.engine import Rule, RuleSet
from sikkb_exporters import hookspecs

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _catalogue() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sikkb_catalogue", DOCS / "_ext" / "sikkb_catalogue.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CATALOGUE = _catalogue()


def _docs_text() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8")
        for p in sorted(DOCS.rglob("*"))
        if p.suffix in (".md", ".ipynb") and "_build" not in p.parts
    )


def _modules() -> Iterator[types.ModuleType]:
    for package in (sikkb, sikkb_exporters):
        yield package
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".cli" in info.name or info.name.endswith("__main__"):
                continue  # the command line defines no rules (and __main__ would run it)
            yield importlib.import_module(info.name)


def _rules_in(value: Any) -> tuple[Rule, ...]:
    if isinstance(value, RuleSet):
        return value.all_rules
    if isinstance(value, tuple | list) and value and all(isinstance(r, Rule) for r in value):
        return tuple(value)
    return ()


def rules_in_code() -> dict[str, str]:
    """Rule id → where it was found, for every rule of every pack the packages define.

    A pack is a module-level tuple/list of rules, or a module-level function named ``*_rules``
    that takes no argument and returns a rule set.
    """
    found: dict[str, str] = {}
    for module in _modules():
        for name, value in vars(module).items():
            if getattr(value, "__module__", module.__name__) != module.__name__:
                continue  # re-exported: counted where it is defined
            rules = _rules_in(value)
            if not rules and inspect.isfunction(value) and name.endswith("_rules"):
                params = inspect.signature(value).parameters.values()
                if all(p.default is not p.empty for p in params):
                    rules = _rules_in(value())
            for r in rules:
                found.setdefault(r.id, f"{module.__name__}.{name}")
    return found


def catalogue_ids() -> set[str]:
    return {r.id for pack in CATALOGUE.PACKS for r in CATALOGUE.pack_rules(pack)}


def test_the_packs_are_the_expected_ones() -> None:
    assert set(CATALOGUE.PACKS) == {"register", "report", "reader"}
    for pack in CATALOGUE.PACKS:
        assert len(CATALOGUE.pack_rules(pack)) >= 10, pack


def test_every_rule_of_the_packages_is_in_the_catalogue() -> None:
    code = rules_in_code()
    assert len(code) >= 40  # the discovery itself works
    missing = {rid: where for rid, where in code.items() if rid not in catalogue_ids()}
    assert not missing, (
        f"rules not in the generated catalogue: {missing}; add their pack to PACKS in "
        "docs/_ext/sikkb_catalogue.py and a sikkb-rules directive to docs/rules.md"
    )


@pytest.mark.parametrize("pack", sorted(CATALOGUE.PACKS))
def test_the_generated_catalogue_names_every_rule_of_the_pack(pack: str) -> None:
    text = CATALOGUE.catalogue_text(pack)
    for rule in CATALOGUE.pack_rules(pack):
        assert re.search(rf"^{re.escape(rule.id)}$", text, re.M), rule.id
        assert rule.message.id in text
        assert rule.hint.en in text


@pytest.mark.parametrize("pack", sorted(CATALOGUE.PACKS))
def test_the_rules_page_renders_every_pack(pack: str) -> None:
    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert f"```{{sikkb-rules}} {pack}\n```" in page


def test_every_rule_has_its_texts_in_both_languages() -> None:
    for pack in CATALOGUE.PACKS:
        for rule in CATALOGUE.pack_rules(pack):
            for text in (rule.title, rule.message, rule.hint):
                assert text.id.strip(), (rule.id, text)
                assert text.en.strip(), (rule.id, text)
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.id), rule.id


def test_rule_ids_are_unique_across_packs() -> None:
    ids = [r.id for pack in CATALOGUE.PACKS for r in CATALOGUE.pack_rules(pack)]
    assert len(ids) == len(set(ids))


def test_every_other_finding_id_is_documented() -> None:
    """Findings made outside the packs (``rule_id="..."`` in the code) are named in the docs."""
    docs = _docs_text()
    ids: set[str] = set()
    for package in (sikkb, sikkb_exporters):
        for path in Path(package.__path__[0]).rglob("*.py"):
            ids |= set(re.findall(r'rule_id="([a-z0-9-]+)"', path.read_text(encoding="utf-8")))
    assert "rule-crashed" in ids
    missing = sorted(i for i in ids - catalogue_ids() if f"`{i}`" not in docs)
    assert not missing, f"finding ids not documented in docs/: {missing}"


def hooks() -> list[str]:
    return sorted(
        name
        for name, value in vars(hookspecs).items()
        if name.startswith("sikkb_") and inspect.isfunction(value)
    )


def test_every_hook_is_in_the_api_reference_and_a_guide() -> None:
    assert hooks() == ["sikkb_register_exporters", "sikkb_report_style"]
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    members = re.search(r"automodule:: sikkb_exporters\.hookspecs\n\s+:members: (.*)", api)
    assert members is not None, "docs/api.md must document sikkb_exporters.hookspecs"
    listed = {m.strip() for m in members.group(1).split(",")}
    guides = _docs_text().replace(api, "")
    for hook in hooks():
        assert hook in listed, f"{hook} is not in the :members: of hookspecs in docs/api.md"
        assert f"{hook}(" in guides, f"{hook} is described in no guide (docs/hooks.md, howto/)"
