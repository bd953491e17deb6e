"""The hooks a sikkb plugin may implement (entry-point group and project name: ``sikkb``).

A plugin is a module (or any object) with functions named after these hooks and marked with
:data:`sikkb_exporters.hookimpl`. A distribution announces it in its ``pyproject.toml``::

    [project.entry-points.sikkb]
    markdown = "sikkb_example_exporter.plugin"

The host (:func:`sikkb_exporters.make_registry`) loads every entry point of the ``sikkb`` group unless
the environment variable ``SIKKB_DISABLE_PLUGIN_AUTOLOAD`` is set, then registers the built-in
exporters through these same hooks. Hook functions may accept fewer arguments than the spec lists
(pluggy passes only those they name).

Example:
    >>> from sikkb_exporters import hookimpl
    >>> class MyPlugin:
    ...     @hookimpl
    ...     def sikkb_register_exporters(self):
    ...         return []
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from sikkb.regions import Tingkat
    from sikkb_exporters.config import ReportConfig, ReportStyle
    from sikkb_exporters.exporter import Exporter

__all__ = ["hookimpl", "hookspec", "sikkb_register_exporters", "sikkb_report_style"]

#: Marker for hook specifications (used by this module only).
hookspec = pluggy.HookspecMarker("sikkb")
#: Marker plugins put on their hook implementations.
hookimpl = pluggy.HookimplMarker("sikkb")


@hookspec
def sikkb_register_exporters() -> list[Exporter]:
    """Return the exporters this plugin provides.

    **Called** once per registry, when :func:`~sikkb_exporters.make_registry` builds it, for every
    registered plugin (built-ins included).

    **Returns** a list (or tuple) of :class:`~sikkb_exporters.Exporter` records; return an empty list
    to provide none. The host validates every item: something that is not an ``Exporter`` is refused
    with :class:`~sikkb_exporters.InvalidExporterError`, and a name already registered by another
    plugin with :class:`~sikkb_exporters.DuplicateExporterError`, both naming the plugin and its
    distribution. Importing heavy libraries here is discouraged: do it inside ``write()``.
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called


@hookspec(firstresult=True)
def sikkb_report_style(
    level: Tingkat, region_code: str, config: ReportConfig
) -> ReportStyle | None:
    """Override the letterhead, logo or signer of a printed report (PDF, XLSX).

    **Called** by the document exporters (``bkkbn``, ``kota``, ``kecamatan``, ``kelurahan``) once per
    report they render, with the report's level, its region code (dotted) and the configuration the
    caller passed (the default configuration when none).

    **Returns** a :class:`~sikkb_exporters.ReportStyle` to use for this report, or ``None`` to keep the
    configuration's. The first plugin that returns a style wins (plugins registered later are asked
    first, so a third-party plugin overrides the built-in default). The style's text is escaped like
    any other text; its logo must be bytes the plugin read itself (the PDF renderer fetches nothing).
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called
