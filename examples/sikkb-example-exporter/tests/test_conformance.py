"""The example plugin's own test: run sikkb's conformance check against its exporter."""

from __future__ import annotations

from sikkb_example_exporter.plugin import sikkb_register_exporters

from sikkb_exporters.conformance import assert_conforms


def test_markdown_exporter_conforms() -> None:
    (exporter,) = sikkb_register_exporters()
    assert_conforms(exporter)
