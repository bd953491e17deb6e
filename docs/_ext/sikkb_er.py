"""Sphinx extension: the database's entity-relationship picture, drawn from the schema code.

The directive ``sikkb-er`` renders an inline SVG of every table of
:data:`sikkb.io.db.schema.metadata`: one box per table with its columns, types, primary keys
(PK), unique constraints (UQ), foreign keys (FK) and NOT NULL, and an arrow per foreign key. The
picture is made from the same table objects that :func:`sikkb.io.db.migrate` creates, so it can
never disagree with the database. In a MyST page::

    ```{sikkb-er}
    ```

:func:`er_svg` gives the SVG text (the docs meta-test checks it names every table and column).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

BOX_W = 300
ROW_H = 17
HEAD_H = 24
GAP_X = 70
GAP_Y = 26
MARGIN = 20

#: Table name → grid column; tables are stacked top to bottom inside a column, in this order.
LAYOUT = (
    ("sikkb_event", "sikkb_schema"),
    ("sikkb_report_value", "sikkb_register_keluarga", "sikkb_register_kegiatan"),
    ("sikkb_register_pus", "sikkb_register_institusi"),
)


def _type(column: Any) -> str:
    name = type(column.type).__name__.upper()
    length = getattr(column.type, "length", None)
    return f"{name}({length})" if length else name


def _marks(table: Any, column: Any) -> str:
    marks = []
    if column.primary_key:
        marks.append("PK")
    if any(
        column.name in c.columns and type(c).__name__ == "UniqueConstraint"
        for c in table.constraints
    ):
        marks.append("UQ")
    if column.foreign_keys:
        marks.append("FK")
    if not column.nullable and not column.primary_key:
        marks.append("NN")
    return " ".join(marks)


def er_svg() -> str:
    """The ER picture of the sikkb schema, as SVG text."""
    from sikkb.io.db.schema import metadata

    tables = metadata.tables
    placed = {name for col in LAYOUT for name in col}
    missing = sorted(set(tables) - placed)
    layout = [list(col) for col in LAYOUT]
    layout[-1].extend(missing)  # a table added later still shows
    boxes: dict[str, tuple[int, int, int]] = {}  # name → x, y, height
    rows_at: dict[tuple[str, str], int] = {}
    parts: list[str] = []
    height = 0
    for i, column_names in enumerate(layout):
        x = MARGIN + i * (BOX_W + GAP_X)
        y = MARGIN
        for name in column_names:
            if name not in tables:
                continue
            table = tables[name]
            h = HEAD_H + ROW_H * len(table.columns) + 6
            boxes[name] = (x, y, h)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{h}" rx="4" '
                'fill="#ffffff" stroke="#334155" stroke-width="1.2"/>'
                f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{HEAD_H}" rx="4" fill="#1e3a5f"/>'
                f'<text x="{x + 8}" y="{y + 16}" fill="#ffffff" font-weight="bold">{escape(name)}</text>'
            )
            for j, col in enumerate(table.columns):
                cy = y + HEAD_H + ROW_H * j + 13
                rows_at[(name, col.name)] = cy - 4
                weight = ' font-weight="bold"' if col.primary_key else ""
                parts.append(
                    f'<text x="{x + 8}" y="{cy}"{weight}>{escape(col.name)}</text>'
                    f'<text x="{x + 150}" y="{cy}" fill="#475569">{escape(_type(col))}</text>'
                    f'<text x="{x + BOX_W - 8}" y="{cy}" fill="#b45309" text-anchor="end">'
                    f"{_marks(table, col)}</text>"
                )
            y += h + GAP_Y
        height = max(height, y)
    # foreign keys: from the referencing column to the referenced one
    for name, table in tables.items():
        for fk in table.foreign_key_constraints:
            target = fk.referred_table.name
            pairs = zip(fk.column_keys, [e.column.name for e in fk.elements], strict=True)
            for k, (src, dst) in enumerate((s, d) for s, d in pairs if s != d):
                x0, _, _ = boxes[name]
                x1, _, _ = boxes[target]
                y0, y1 = rows_at[(name, src)], rows_at[(target, dst)]
                if target == name:  # the previous event: a loop on the box's right side
                    right = x0 + BOX_W
                    reach = 18 + 6 * k
                    parts.append(
                        f'<path d="M{right},{y0} H{right + reach} V{y1} H{right + 4}" fill="none" '
                        'stroke="#b45309" stroke-width="1" marker-end="url(#arrow)"/>'
                    )
                else:
                    parts.append(
                        f'<line x1="{x0 + BOX_W}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#b45309" '
                        'marker-end="url(#arrow)"/>'
                    )
        if any(fk.referred_table is table for fk in table.foreign_key_constraints):
            x0, y, h = boxes[name]
            parts.append(
                f'<text x="{x0 + 4}" y="{y + h + 15}" fill="#b45309" font-size="10.5">'
                "FK (unit, period, prev_*) → the report's previous event</text>"
            )
    width = MARGIN * 2 + len(layout) * BOX_W + (len(layout) - 1) * GAP_X
    legend_y = height + 4
    parts.append(
        f'<text x="{MARGIN}" y="{legend_y}" fill="#475569">PK primary key · UQ in a unique '
        "constraint · FK foreign key · NN not null. Constraints, checks and the append-only "
        "triggers: see the schema reference.</text>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {legend_y + 14}" '
        f'width="100%" role="img" aria-label="sikkb database schema" '
        'font-family="DejaVu Sans, sans-serif" font-size="11.5">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#b45309"/></marker></defs>' + "".join(parts) + "</svg>"
    )


def setup(app: Sphinx) -> dict[str, Any]:
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective

    class ERDirective(SphinxDirective):
        has_content = False

        def run(self) -> list[nodes.Node]:
            return [nodes.raw("", f'<div class="sikkb-er">{er_svg()}</div>', format="html")]

    app.add_directive("sikkb-er", ERDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
