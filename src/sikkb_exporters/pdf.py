"""Render a :class:`~sikkb_exporters.document.Document` as PDF: Jinja2 (autoescaped) → WeasyPrint.

WeasyPrint and Jinja2 are imported inside :func:`write_pdf` only. The HTML embeds everything it
shows (stylesheet, logo as a ``data:`` URI, charts as inline SVG), and the URL fetcher refuses every
other URL: no file, no network, whatever text a region name or the configuration holds. Metadata
dates come from the report's period, so the same document gives the same PDF.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import os
import re
import threading
from collections.abc import Iterator
from typing import IO, Any

from sikkb_exporters.config import asset_bytes
from sikkb_exporters.document import NA, Chart, Document, Paragraph, Pct, Table, Value
from sikkb_exporters.errors import MissingExtraError, UnsafeResourceError
from sikkb_exporters.fmt import DASH, angka, persen
from sikkb_exporters.svg import chart_svg

__all__ = ["render_html", "restricted_fetcher", "write_pdf"]


def _require(exporter: str) -> Any:
    """WeasyPrint, after checking that Jinja2 is there too (both come with ``sikkb[pdf]``)."""
    try:
        import jinja2  # noqa: F401
    except ImportError:
        raise MissingExtraError(exporter, "pdf", "jinja2") from None
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: the system's Pango is missing
        raise MissingExtraError(exporter, "pdf", "weasyprint") from None
    return weasyprint


def _cell(value: Value) -> dict[str, str]:
    if value is NA:
        return {"text": "", "cls": "na"}
    if value is None:
        return {"text": DASH, "cls": "dash"}
    if isinstance(value, Pct):
        return {"text": persen(value.value), "cls": "num" if value.value is not None else "dash"}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"text": angka(value), "cls": "num"}
    return {"text": str(value), "cls": "text"}


def _blocks(doc: Document, markup: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for b in doc.blocks:
        if isinstance(b, Table):
            rows = []
            for row in b.rows:
                cells = [_cell(v) for v in row.cells]
                if cells:
                    cells[0]["cls"] = "no"
                rows.append({"style": row.style, "cells": cells})
            out.append(
                {"kind": "table", "title": b.title, "columns": b.columns, "numbered": b.numbered,
                 "rows": rows, "note": b.note, "widths": _widths(len(b.columns))}
            )  # fmt: skip
        elif isinstance(b, Chart):
            out.append({"kind": "chart", "svg": markup(chart_svg(b))})  # escaped inside chart_svg
        elif isinstance(b, Paragraph):
            out.append({"kind": "para", "text": b.text, "heading": b.heading})
    return out


def _widths(n: int) -> list[str]:
    """Column widths for ``table-layout: fixed`` (much faster to lay out than auto): a narrow
    number column, a wide label column, the rest shared equally."""
    if n <= 2:
        return ["8%", "92%"][:n]
    label = 60.0 if n <= 4 else 30.0 if n <= 7 else 16.0 if n <= 12 else 12.0
    number = 5.0 if n <= 10 else 3.0
    rest = (100.0 - label - number) / (n - 2)
    return [f"{number:.2f}%", f"{label:.2f}%"] + [f"{rest:.2f}%"] * (n - 2)


@functools.cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("sikkb_exporters", "layouts"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _templates(layout: str) -> list[str]:
    """The layout's own template (``layouts/<layout>.html.j2``) when it has one, else the shared
    ``document.html.j2`` (a plugin's layout name never reaches the loader as a path)."""
    own = [f"{layout}.html.j2"] if re.fullmatch(r"[a-z0-9][a-z0-9-]*", layout) else []
    return [*own, "document.html.j2"]


def _lighten(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * 0.82) for c in (r, g, b)))


def render_html(doc: Document, *, exporter: str = "pdf") -> str:
    """The autoescaped HTML a PDF is printed from (useful to inspect a layout)."""
    _require(exporter)
    from markupsafe import Markup

    logo_uri = None
    if doc.logo is not None:
        logo_uri = f"data:{doc.logo.media_type};base64,{base64.b64encode(doc.logo.data).decode()}"
    footer = re.sub(r"[^A-Za-z0-9./ -]", "", f"{doc.form} {doc.region_code} {doc.period.iso} sikkb")
    accent = doc.accent if re.fullmatch(r"#[0-9a-fA-F]{6}", doc.accent) else "#1f4e79"
    return str(
        _environment()
        .select_template(_templates(doc.layout))
        .render(
            doc=doc,
            blocks=_blocks(doc, Markup),
            css=Markup(asset_bytes("report.css").decode("utf-8")),
            logo_uri=logo_uri,
            stamp=doc.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
            footer=footer.strip(),
            accent_light=_lighten(accent),
        )
    )


def restricted_fetcher(refused: list[str] | None = None) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URIs only and refuses everything else.

    Refused URLs are appended to ``refused`` (when given) and raise :class:`UnsafeResourceError`,
    which WeasyPrint turns into a skipped resource: the PDF renders, the resource stays out.
    """
    from weasyprint.urls import URLFetcher

    class _DataOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            if refused is not None:
                refused.append(url)
            raise UnsafeResourceError(url)

    return _DataOnly(allowed_protocols=("data",), allow_redirects=False)


def write_pdf(doc: Document, stream: IO[bytes], *, exporter: str = "pdf") -> None:
    """Write ``doc`` as PDF (A4) to the binary ``stream``.

    Raises:
        MissingExtraError: WeasyPrint or Jinja2 is not installed (``pip install 'sikkb[pdf]'``).
    """
    weasyprint = _require(exporter)
    html = render_html(doc, exporter=exporter)
    with _source_date_epoch(int(doc.timestamp.timestamp())):
        weasyprint.HTML(
            string=html, base_url="about:blank", url_fetcher=restricted_fetcher()
        ).write_pdf(stream, uncompressed_pdf=False)


_EPOCH_LOCK = threading.Lock()


@contextlib.contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    """Pin the timestamp fontTools writes into embedded font subsets (``head.modified``) to the
    report's date, the reproducible-builds way, unless the caller already set SOURCE_DATE_EPOCH."""
    with _EPOCH_LOCK:
        if "SOURCE_DATE_EPOCH" in os.environ:
            yield
            return
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        try:
            yield
        finally:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
