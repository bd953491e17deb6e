"""Errors raised by the exporter host and the built-in exporters.

Every class inherits :class:`sikkb.errors.SikkbError` and the builtin that matches it, carries
structured attributes, and names the plugin, the distribution, the exporter or the file at fault.
"""

from __future__ import annotations

from collections.abc import Sequence

from sikkb.errors import SikkbError

__all__ = [
    "DuplicateExporterError",
    "ExportFailedError",
    "ExporterError",
    "InvalidExporterError",
    "MissingExtraError",
    "OutputExistsError",
    "PluginLoadError",
    "ReportConfigError",
    "UnknownExporterError",
    "UnsafeOutputError",
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
            f"{_plugin_label(plugin, dist)} failed to load: {reason}; switch it off with "
            f"--disable-plugin {plugin} (or list the plugins to load in SIKKB_PLUGINS; "
            "SIKKB_DISABLE_PLUGIN_AUTOLOAD=1 loads the built-in exporters only)"
        )


class MissingExtraError(ExporterError, ImportError):
    """An exporter needs an optional dependency that is not installed.

    Attributes:
        exporter: the exporter's name.
        extra: the extra that provides it (``"xlsx"``).
        module: the module that failed to import.
        plugin: the plugin (with its distribution) whose exporter needs it, when known; the
            registry fills it in (:meth:`for_plugin`).
        distribution: the distribution whose extra installs it (``"sikkb"`` for sikkb's own).
    """

    def __init__(
        self,
        exporter: str,
        extra: str,
        module: str,
        *,
        plugin: str | None = None,
        distribution: str = "sikkb",
    ) -> None:
        self.exporter = exporter
        self.extra = extra
        self.module = module
        self.plugin = plugin
        self.distribution = distribution
        by = f" of {plugin}" if plugin else ""
        super().__init__(
            f"exporter {exporter!r}{by} needs {module}, which is not installed: {self.install}",
            name=module,
        )

    @property
    def install(self) -> str:
        """The command that installs the extra (``pip install 'sikkb[pdf]'``)."""
        return f"pip install '{self.distribution}[{self.extra}]'"

    def for_plugin(self, plugin: str, distribution: str | None) -> MissingExtraError:
        """The same error naming the plugin (and its distribution) whose exporter needs it.

        The extra stays sikkb's when the module is one of sikkb's extras (the plugin renders
        with sikkb's PDF or XLSX writer); otherwise it is the plugin distribution's extra.
        """
        dist = self.distribution
        if distribution and self.extra not in _SIKKB_EXTRAS:
            dist = distribution.split(" ")[0]
        return MissingExtraError(
            self.exporter, self.extra, self.module, plugin=plugin, distribution=dist
        )


#: The extras sikkb itself declares (``pyproject.toml``).
_SIKKB_EXTRAS = frozenset({"xlsx", "pdf", "all", "pandas", "polars"})


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


class ExportFailedError(ExporterError, RuntimeError):
    """An exporter failed while writing one file (raised by :meth:`Registry.export_many`).

    Attributes:
        exporter: the exporter's name.
        plugin: the plugin that registered it, with its distribution when known.
        unit: the region code of the report it was writing.
        path: the file it was writing (nothing was left there).
        reason: what went wrong, in English.
        reason_id: the same in Indonesian.
    """

    def __init__(
        self, exporter: str, plugin: str, unit: str, path: str, reason: str, reason_id: str = ""
    ) -> None:
        self.exporter = exporter
        self.plugin = plugin
        self.unit = unit
        self.path = path
        self.reason = reason
        self.reason_id = reason_id or reason
        super().__init__(f"exporter {exporter!r} ({plugin}) failed for {unit} ({path}): {reason}")


class UnsafeOutputError(ExporterError, PermissionError):
    """An output path leaves the output folder (``..``, an absolute name, a symbolic link).

    Attributes:
        path: the path refused.
        root: the output folder.
    """

    def __init__(self, path: str, root: str) -> None:
        self.path = path
        self.root = root
        super().__init__(
            f"refused to write {path}: it is outside the output folder {root} "
            "(a symbolic link or '..' in the path)"
        )

    def __str__(self) -> str:
        return str(self.args[0])


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
