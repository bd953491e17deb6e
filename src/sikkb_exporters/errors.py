"""Errors raised by the exporter host and the built-in exporters.

Every class inherits :class:`sikkb.errors.SikkbError` and the builtin that matches it, carries
structured attributes, and names the plugin, the distribution, the exporter or the file at fault.
"""

from __future__ import annotations

from collections.abc import Sequence

from sikkb.errors import SikkbError

__all__ = [
    "DuplicateExporterError",
    "ExporterError",
    "InvalidExporterError",
    "MissingExtraError",
    "OutputExistsError",
    "PluginLoadError",
    "ReportConfigError",
    "UnknownExporterError",
    "UnsafeResourceError",
    "UnsupportedLevelError",
]


class ExporterError(SikkbError):
    """Base class of the exporter host's errors."""


def _plugin_label(plugin: str, dist: str | None) -> str:
    return f"plugin {plugin!r}" + (f" (distribution {dist})" if dist else "")


class DuplicateExporterError(ExporterError, ValueError):
    """Two plugins register an exporter under the same name; neither silently wins.

    Attributes:
        name: the exporter name both claim.
        first: the plugin that registered it first, with its distribution when known.
        second: the plugin that tried to register it again.
    """

    def __init__(self, name: str, first: str, second: str) -> None:
        self.name = name
        self.first = first
        self.second = second
        super().__init__(
            f"exporter name {name!r} is registered twice: by {first} and by {second}; "
            "uninstall or disable one of them (SIKKB_DISABLE_PLUGIN_AUTOLOAD=1 loads built-ins only)"
        )


class InvalidExporterError(ExporterError, TypeError):
    """A plugin's hook returned something invalid (not a list of ``Exporter``, not a ``ReportStyle``).

    Attributes:
        plugin: the plugin's name.
        dist: its distribution (``name version``), when known.
        reason: what is wrong, in English.
    """

    def __init__(self, plugin: str, dist: str | None, reason: str) -> None:
        self.plugin = plugin
        self.dist = dist
        self.reason = reason
        super().__init__(f"{_plugin_label(plugin, dist)} returned something invalid: {reason}")


class PluginLoadError(ExporterError, ImportError):
    """An entry point of the ``sikkb`` group could not be loaded.

    Attributes:
        plugin: the entry point's name.
        dist: its distribution (``name version``), when known.
        reason: the underlying error, as text.
    """

    def __init__(self, plugin: str, dist: str | None, reason: str) -> None:
        self.plugin = plugin
        self.dist = dist
        self.reason = reason
        super().__init__(
            f"{_plugin_label(plugin, dist)} failed to load: {reason}; "
            "set SIKKB_DISABLE_PLUGIN_AUTOLOAD=1 to run with the built-in exporters only"
        )


class MissingExtraError(ExporterError, ImportError):
    """An exporter needs an optional dependency that is not installed.

    Attributes:
        exporter: the exporter's name.
        extra: the extra that provides it (``"xlsx"``).
        module: the module that failed to import.
    """

    def __init__(self, exporter: str, extra: str, module: str) -> None:
        self.exporter = exporter
        self.extra = extra
        self.module = module
        super().__init__(
            f"exporter {exporter!r} needs {module}, which is not installed: "
            f"pip install 'sikkb[{extra}]'"
        )


class OutputExistsError(ExporterError, FileExistsError):
    """``export()`` refused to replace an existing file (pass ``overwrite=True`` to allow it).

    Attributes:
        path: the file that exists.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} exists; pass overwrite=True to replace it")

    def __str__(self) -> str:
        return str(self.args[0])


class ReportConfigError(ExporterError, ValueError):
    """A report configuration (TOML) cannot be loaded.

    Attributes:
        source: the file (or ``"<string>"``).
        problems: one line per problem.
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


class UnknownExporterError(ExporterError, LookupError):
    """No exporter of that name is registered.

    Attributes:
        name: the name asked for.
        known: the names that are registered.
    """

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        super().__init__(f"no exporter named {name!r} (known: {', '.join(self.known)})")

    def __str__(self) -> str:
        return str(self.args[0])


class UnsafeResourceError(ExporterError, PermissionError):
    """A resource outside the package's assets (or the caller's explicit allow-list) was asked for.

    Attributes:
        url: the URL or path refused.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(f"refused to read {url!r}: only sikkb's own assets may be embedded")


class UnsupportedLevelError(ExporterError, ValueError):
    """An exporter was asked to render a report level it does not claim.

    Attributes:
        exporter: the exporter's name.
        level: the level asked for.
        levels: the levels it renders.
    """

    def __init__(self, exporter: str, level: str, levels: Sequence[str]) -> None:
        self.exporter = exporter
        self.level = level
        self.levels = tuple(levels)
        super().__init__(
            f"exporter {exporter!r} does not render {level} reports (it renders: "
            f"{', '.join(self.levels)})"
        )
