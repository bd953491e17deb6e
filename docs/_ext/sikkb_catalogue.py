"""Sphinx extension: the rule catalogue, generated from the rule packs at build time.

The directive ``sikkb-rules`` takes a pack name (see :data:`PACKS`) and renders a summary table
and one entry per rule: id, severity, subject, what it reads, its parameters, and its title,
message and hint in Indonesian and English. Each entry has the anchor ``rule-<id>``.

In a MyST page::

    ```{sikkb-rules} register
    ```

:func:`catalogue_text` gives the same content as plain text; the docs meta-test
(``tests/test_docs_meta.py``) checks it names every rule of every pack.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

#: Pack name → (module, attribute): a function returning a RuleSet, or a tuple of rules.
PACKS: dict[str, tuple[str, str]] = {
    "register": ("sikkb.rules.register", "register_rules"),
    "report": ("sikkb.rules.report", "report_rules"),
    "reader": ("sikkb.io.reader_rules", "READER_RULES"),
}


def pack_rules(pack: str) -> tuple[Any, ...]:
    """The rules of a pack, in pack order (switched-off rules included)."""
    module, attr = PACKS[pack]
    value = getattr(importlib.import_module(module), attr)
    if callable(value):
        value = value()
    return tuple(getattr(value, "all_rules", value))


def _params(rule: Any) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in rule.params.items())


def entry_fields(rule: Any) -> list[tuple[str, str]]:
    """``(field name, text)`` pairs of one catalogue entry."""
    fields = [
        ("Tingkat / severity", f"{rule.severity.value} ({rule.severity.label_id})"),
        ("Subjek / subject", rule.subject),
        ("Judul / title", f"{rule.title.id} / {rule.title.en}"),
        ("Pesan", rule.message.id),
        ("Message", rule.message.en),
        ("Saran", rule.hint.id),
        ("Hint", rule.hint.en),
    ]
    if rule.reads:
        fields.append(("Membaca / reads", ", ".join(rule.reads)))
    if rule.params:
        fields.append(("Parameter / parameters", _params(rule)))
    return fields


def catalogue_text(pack: str) -> str:
    """The catalogue of one pack as plain text (what the directive renders)."""
    lines = []
    for rule in pack_rules(pack):
        lines.append(rule.id)
        lines += [f"  {name}: {text}" for name, text in entry_fields(rule)]
    return "\n".join(lines)


def _table(header: Iterable[str], rows: Iterable[Iterable[nodes.Node | str]]) -> nodes.table:
    from docutils import nodes

    header = list(header)
    table = nodes.table(classes=["sikkb-rule-summary"])
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)

    def row(cells: Iterable[nodes.Node | str]) -> nodes.row:
        r = nodes.row()
        for c in cells:
            entry = nodes.entry()
            entry += nodes.paragraph("", "", c if isinstance(c, nodes.Node) else nodes.Text(c))
            r += entry
        return r

    head = nodes.thead()
    head += row(header)
    group += head
    body = nodes.tbody()
    for cells in rows:
        body += row(cells)
    group += body
    return table


def render(pack: str) -> list[nodes.Node]:
    """The docutils nodes of one pack: the summary table, then one entry per rule."""
    from docutils import nodes

    rules = pack_rules(pack)
    summary = _table(
        ["Aturan / rule", "Tingkat", "Judul", "Title"],
        [
            (
                nodes.reference(
                    "", "", nodes.literal(text=r.id), internal=True, refid=f"rule-{r.id}"
                ),
                r.severity.value,
                r.title.id,
                r.title.en,
            )
            for r in rules
        ],
    )
    out: list[nodes.Node] = [summary]
    for rule in rules:
        out.append(nodes.rubric("", "", nodes.literal(text=rule.id), ids=[f"rule-{rule.id}"]))
        fields = nodes.field_list()
        for name, text in entry_fields(rule):
            body = nodes.field_body()
            body += nodes.paragraph("", text)
            fields += nodes.field("", nodes.field_name("", name), body)
        out.append(fields)
    return out


def setup(app: Sphinx) -> dict[str, Any]:
    from sphinx.util.docutils import SphinxDirective

    class RuleCatalogue(SphinxDirective):
        """``sikkb-rules PACK``: the summary table and the entries of one rule pack."""

        required_arguments = 1
        has_content = False

        def run(self) -> list[nodes.Node]:
            pack = self.arguments[0]
            if pack not in PACKS:
                raise self.error(f"unknown rule pack {pack!r} (known: {', '.join(PACKS)})")
            self.env.note_dependency(importlib.import_module(PACKS[pack][0]).__file__ or "")
            return render(pack)

    app.add_directive("sikkb-rules", RuleCatalogue)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
