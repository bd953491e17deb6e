"""The plugin host: a registry of exporters built by :func:`make_registry`, and atomic export.

Example:
    >>> registry = make_registry(load_entrypoints=False)
    >>> "csv" in registry.names() and "bkkbn-pdf" in registry.names()
    True
    >>> registry.get("kota-xlsx").suffix
    '.xlsx'
"""

from __future__ import annotations

import importlib.metadata
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TypeVar

import attrs
import pluggy

from sikkb.regions import Tingkat
from sikkb.rules.engine import Finding, Findings
from sikkb_exporters import hookspecs
from sikkb_exporters.bundle import Report, ReportBundle
from sikkb_exporters.config import ReportStyle
from sikkb_exporters.errors import (
    DuplicateExporterError,
    InvalidExporterError,
    OutputExistsError,
    PluginLoadError,
    UnknownExporterError,
    UnsupportedLevelError,
)
from sikkb_exporters.exporter import Exporter, level_name

__all__ = [
    "AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "ExportJob",
    "ExportResult",
    "ProgressFn",
    "Registry",
    "atomic_write",
    "make_registry",
]

#: Entry-point group third-party distributions announce their plugins in.
ENTRY_POINT_GROUP = "sikkb"
#: Set this environment variable (to anything but an empty string) to skip entry-point plugins.
AUTOLOAD_ENV = "SIKKB_DISABLE_PLUGIN_AUTOLOAD"
BUILTIN_PLUGIN = "sikkb-builtin"

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class ExportResult:
    """What :meth:`Registry.export` wrote.

    Attributes:
        path: the file written.
        exporter: the exporter's name.
        size: bytes written.
        findings: what the exporter reported (for example a missing signer, as a WARNING).
    """

    path: Path
    exporter: str
    size: int
    findings: Findings


@attrs.frozen(kw_only=True)
class ExportJob:
    """One file of a bulk export (:meth:`Registry.export_many`)."""

    report: Report | ReportBundle
    path: Path = attrs.field(converter=Path)
    exporter: str


#: ``progress(done, total, result)``, called after each file of a bulk export.
ProgressFn = Callable[[int, int, ExportResult], None]


def _dist_label(dist: importlib.metadata.Distribution | None) -> str | None:
    if dist is None:
        return None
    return f"{dist.metadata['Name']} {dist.version}"


@attrs.define
class Registry:
    """The exporters registered by the built-ins and the plugins, by name.

    Built by :func:`make_registry`; never shared between tests (build a fresh one).

    Attributes:
        plugin_manager: the :class:`pluggy.PluginManager` (project name ``sikkb``).
    """

    plugin_manager: pluggy.PluginManager
    _exporters: dict[str, Exporter] = attrs.field(factory=dict)
    _origin: dict[str, str] = attrs.field(factory=dict)
    _dists: dict[str, str] = attrs.field(factory=dict)
    loaded_entrypoints: bool = False

    # -- building -----------------------------------------------------------------------------

    def _label(self, plugin_name: str) -> str:
        dist = self._dists.get(plugin_name)
        return f"plugin {plugin_name!r}" + (f" (distribution {dist})" if dist else "")

    def _collect(self) -> None:
        caller = self.plugin_manager.hook.sikkb_register_exporters
        # get_hookimpls() is in registration order (pluggy *calls* them in reverse): the built-ins
        # come first, so a plugin clashing with one is the one named second.
        for impl in caller.get_hookimpls():
            name = impl.plugin_name
            try:
                returned = impl.function()
            except Exception as e:
                raise InvalidExporterError(
                    name, self._dists.get(name), f"sikkb_register_exporters raised {e!r}"
                ) from e
            if returned is None:
                continue
            if isinstance(returned, Exporter) or not isinstance(returned, list | tuple):
                raise InvalidExporterError(
                    name,
                    self._dists.get(name),
                    f"expected a list of Exporter, got {type(returned).__name__}",
                )
            for item in returned:
                if not isinstance(item, Exporter):
                    raise InvalidExporterError(
                        name,
                        self._dists.get(name),
                        f"expected an Exporter, got {type(item).__name__}: {item!r:.80}",
                    )
                if item.name in self._exporters:
                    raise DuplicateExporterError(
                        item.name, self._label(self._origin[item.name]), self._label(name)
                    )
                self._exporters[item.name] = item
                self._origin[item.name] = name

    # -- lookups ------------------------------------------------------------------------------

    def names(self) -> tuple[str, ...]:
        """Every exporter name, sorted."""
        return tuple(sorted(self._exporters))

    def __iter__(self) -> Iterator[Exporter]:
        return (self._exporters[n] for n in self.names())

    def __len__(self) -> int:
        return len(self._exporters)

    def __contains__(self, name: object) -> bool:
        return name in self._exporters

    def get(self, name: str) -> Exporter:
        """The exporter of that name.

        Raises:
            UnknownExporterError: listing the registered names.
        """
        try:
            return self._exporters[name]
        except KeyError:
            raise UnknownExporterError(name, list(self._exporters)) from None

    def for_level(self, level: Tingkat) -> tuple[Exporter, ...]:
        """The exporters that render reports of ``level``."""
        return tuple(e for e in self if e.renders(level))

    def origin(self, name: str) -> str:
        """Which plugin (and distribution) registered exporter ``name``."""
        self.get(name)
        return self._label(self._origin[name])

    # -- exporting ----------------------------------------------------------------------------

    def prepare(self, report: Report | ReportBundle) -> ReportBundle:
        """Wrap a bare report in a bundle and fill in the style the plugins choose for it."""
        bundle = report if isinstance(report, ReportBundle) else ReportBundle(report=report)
        if bundle.style is not None:
            return bundle
        args = {"level": bundle.level, "region_code": bundle.region_code, "config": bundle.config}
        # pluggy's call order (last registered first, firstresult), done by hand so that a plugin
        # returning something else than a ReportStyle can be named.
        for impl in reversed(self.plugin_manager.hook.sikkb_report_style.get_hookimpls()):
            style = impl.function(*(args[a] for a in impl.argnames))
            if style is None:
                continue
            if not isinstance(style, ReportStyle):
                raise InvalidExporterError(
                    impl.plugin_name,
                    self._dists.get(impl.plugin_name),
                    f"sikkb_report_style must return a ReportStyle or None, "
                    f"not {type(style).__name__}",
                )
            return attrs.evolve(bundle, style=style)
        return bundle

    def render(
        self, report: Report | ReportBundle, stream: IO[bytes], *, exporter: str
    ) -> Findings:
        """Render ``report`` (a report, a recap or a :class:`ReportBundle`) into a binary stream.

        Raises:
            UnknownExporterError: no exporter has that name.
            UnsupportedLevelError: the exporter does not render the report's level.
            MissingExtraError: the exporter needs an extra that is not installed.
        """
        exp = self.get(exporter)
        bundle = self.prepare(report)
        if not exp.renders(bundle.level):
            raise UnsupportedLevelError(exp.name, level_name(bundle.level), exp.level_names)
        return findings_of(exp.write(bundle, stream))

    def export(
        self,
        report: Report | ReportBundle,
        path: str | os.PathLike[str],
        *,
        exporter: str,
        overwrite: bool = False,
    ) -> ExportResult:
        """Write ``report`` to ``path`` with ``exporter``, atomically.

        The file is written to a temporary file in the same directory, flushed to disk and then
        renamed into place: a reader never sees a half-written report, and a failed export leaves
        nothing behind. An existing file is never replaced unless ``overwrite=True``.

        Raises:
            OutputExistsError: ``path`` exists and ``overwrite`` is false.
            UnknownExporterError, UnsupportedLevelError, MissingExtraError: see :meth:`render`.
        """
        target = Path(path)
        findings = atomic_write(
            target,
            lambda stream: self.render(report, stream, exporter=exporter),
            overwrite=overwrite,
        )
        return ExportResult(
            path=target, exporter=exporter, size=target.stat().st_size, findings=findings
        )

    def export_many(
        self,
        jobs: Iterable[ExportJob],
        *,
        overwrite: bool = False,
        progress: ProgressFn | None = None,
        workers: int = 1,
    ) -> tuple[ExportResult, ...]:
        """Export several files, calling ``progress(done, total, result)`` after each one.

        The CLI passes a callback that advances its progress bar. Each file is written atomically;
        the first error stops the run (files already written stay). Results come back in job order.

        Args:
            jobs: what to write.
            overwrite: replace existing files.
            progress: called in this process after each file, in completion order.
            workers: processes to render in (PDF rendering is CPU-bound; use the number of cores).
                Worker processes build their own registry with the built-ins and, when this one
                loaded them, the entry-point plugins; exporters registered through
                ``make_registry(plugins=...)`` are only available with ``workers=1``.
        """
        todo: Sequence[ExportJob] = list(jobs)
        if workers <= 1 or len(todo) <= 1:
            out: list[ExportResult] = []
            for job in todo:
                result = self.export(
                    job.report, job.path, exporter=job.exporter, overwrite=overwrite
                )
                out.append(result)
                if progress is not None:
                    progress(len(out), len(todo), result)
            return tuple(out)
        from concurrent.futures import ProcessPoolExecutor, as_completed

        for job in todo:
            self.get(job.exporter)  # fail before starting any worker
        results: dict[int, ExportResult] = {}
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(self.loaded_entrypoints,)
        ) as pool:
            futures = {
                pool.submit(
                    _export_in_worker, self.prepare(job.report), job.path, job.exporter, overwrite
                ): i
                for i, job in enumerate(todo)
            }
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                if progress is not None:
                    progress(len(results), len(todo), results[futures[fut]])
        return tuple(results[i] for i in range(len(todo)))


_WORKER_REGISTRY: Registry | None = None


def _init_worker(load_entrypoints: bool) -> None:
    global _WORKER_REGISTRY
    _WORKER_REGISTRY = make_registry(load_entrypoints=load_entrypoints)


def _export_in_worker(
    bundle: ReportBundle, path: Path, exporter: str, overwrite: bool
) -> ExportResult:
    assert _WORKER_REGISTRY is not None, "worker not initialised"
    return _WORKER_REGISTRY.export(bundle, path, exporter=exporter, overwrite=overwrite)


def atomic_write(path: Path, write: Callable[[IO[bytes]], T], *, overwrite: bool = False) -> T:
    """Call ``write(stream)`` on a temporary file beside ``path``, then move it into place.

    The temporary file is fsynced before the rename and removed if ``write`` fails. Without
    ``overwrite`` the final step is a hard link, which fails instead of replacing a file created
    meanwhile (on a file system without hard links it falls back to a check and a rename).

    Raises:
        OutputExistsError: ``path`` exists and ``overwrite`` is false.
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise OutputExistsError(str(path))
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            os.chmod(tmp, 0o644)
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputExistsError(str(path)) from None
            except OSError:  # no hard links here: check, then rename
                if path.exists():
                    raise OutputExistsError(str(path)) from None
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(directory)
    return result


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - not every platform opens directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _autoload_disabled() -> bool:
    return bool(os.environ.get(AUTOLOAD_ENV, "").strip())


def _load_entrypoints(pm: pluggy.PluginManager, dists: dict[str, str]) -> None:
    for ep in sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
    ):
        if pm.is_blocked(ep.name) or pm.has_plugin(ep.name):
            continue
        dist = _dist_label(ep.dist)
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as e:
            raise PluginLoadError(ep.name, dist, f"{type(e).__name__}: {e}") from e
        if dist:
            dists[ep.name] = dist


def _plugin_name(pm: pluggy.PluginManager, plugin: object) -> str:
    """A readable name for a plugin object: its module name or its class's qualified name."""
    base = getattr(plugin, "__name__", None) or type(plugin).__qualname__
    name, n = str(base), 1
    while pm.has_plugin(name):
        n += 1
        name = f"{base}#{n}"
    return name


def make_registry(*, load_entrypoints: bool = True, plugins: Iterable[object] = ()) -> Registry:
    """Build a fresh registry: the built-in exporters, the entry-point plugins, then ``plugins``.

    Args:
        load_entrypoints: load the plugins announced in the ``sikkb`` entry-point group (also
            skipped when the environment variable ``SIKKB_DISABLE_PLUGIN_AUTOLOAD`` is set).
        plugins: more plugin objects to register (modules, classes or instances with hooks).

    Raises:
        PluginLoadError: an entry point failed to import or declares an unknown ``sikkb_`` hook.
        InvalidExporterError: a plugin returned something that is not a valid ``Exporter``.
        DuplicateExporterError: two plugins registered the same exporter name.
    """
    import sikkb_exporters.builtin

    pm = pluggy.PluginManager("sikkb")
    pm.add_hookspecs(hookspecs)
    dists: dict[str, str] = {}
    pm.register(sikkb_exporters.builtin, name=BUILTIN_PLUGIN)
    if load_entrypoints and not _autoload_disabled():
        _load_entrypoints(pm, dists)
    for plugin in plugins:
        name = _plugin_name(pm, plugin)
        try:
            pm.register(plugin, name=name)
        except ValueError as e:  # pluggy.PluginValidationError and "already registered"
            raise PluginLoadError(name, None, str(e)) from e
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as e:
        name = pm.get_name(e.plugin) or "?"
        raise PluginLoadError(name, dists.get(name), str(e)) from e
    registry = Registry(
        pm, dists=dists, loaded_entrypoints=load_entrypoints and not _autoload_disabled()
    )
    registry._collect()
    return registry


def findings_of(found: Iterable[Finding] | None) -> Findings:
    """Findings from what a ``write()`` returned (``None`` means none)."""
    return Findings(tuple(found) if found is not None else ())
