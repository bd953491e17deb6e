"""The plugin host: a registry of exporters built by :func:`make_registry`, and atomic export.

Example:
    >>> registry = make_registry(load_entrypoints=False)
    >>> "csv" in registry.names() and "bkkbn-pdf" in registry.names()
    True
    >>> registry.get("kota-xlsx").suffix
    '.xlsx'
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TypeVar

import attrs
import pluggy

from sikkb.i18n import Text
from sikkb.regions import Tingkat
from sikkb.rules.engine import Finding, Findings
from sikkb_exporters import hookspecs
from sikkb_exporters.bundle import Report, ReportBundle
from sikkb_exporters.config import ReportStyle
from sikkb_exporters.errors import (
    DuplicateExporterError,
    ExportFailedError,
    InvalidExporterError,
    MissingExtraError,
    OutputExistsError,
    PluginLoadError,
    UnknownExporterError,
    UnsafeOutputError,
    UnsupportedLevelError,
)
from sikkb_exporters.exporter import Exporter, level_name

__all__ = [
    "ALLOW_ENV",
    "AUTOLOAD_ENV",
    "ENTRY_POINT_GROUP",
    "ExportFailure",
    "ExportJob",
    "ExportResult",
    "ExportRun",
    "ProgressFn",
    "Registry",
    "atomic_write",
    "check_inside",
    "die_with_parent",
    "make_registry",
    "remove_stale_parts",
]

#: Entry-point group third-party distributions announce their plugins in.
ENTRY_POINT_GROUP = "sikkb"
#: Set this environment variable (to anything but an empty string) to skip entry-point plugins.
AUTOLOAD_ENV = "SIKKB_DISABLE_PLUGIN_AUTOLOAD"
#: Set this environment variable to a comma-separated list of entry-point plugin names to load
#: only those (the built-ins always load); ``""`` loads none. Like datasette's
#: ``DATASETTE_LOAD_PLUGINS``: a broken plugin is left out without uninstalling it.
ALLOW_ENV = "SIKKB_PLUGINS"
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


@attrs.frozen(kw_only=True)
class ExportFailure:
    """A file of a bulk export that an exporter failed to write (nothing was left at ``path``).

    Attributes:
        path: the file it was to write.
        exporter: the exporter's name.
        plugin: the plugin that registered it, with its distribution when known.
        plugin_name: the plugin's bare name (what ``--disable-plugin`` takes).
        distribution: the plugin's distribution (``name version``), when known.
        unit: the region code and name of the report (``36.71.01 Tangerang``).
        kind: what failed: the exception's class name, ``SystemExit``, ``WorkerDied`` (the
            worker process was killed) or ``InvalidReturn`` (``write()`` returned something else
            than findings).
        message: what went wrong, in Indonesian and English.
    """

    path: Path
    exporter: str
    plugin: str
    plugin_name: str
    unit: str
    distribution: str | None = None
    kind: str
    message: Text

    def error(self) -> ExportFailedError:
        """This failure as the exception :meth:`Registry.export_many` raises."""
        return ExportFailedError(
            self.exporter, self.plugin, self.unit, str(self.path), self.message.en, self.message.id
        )


@attrs.frozen(kw_only=True)
class ExportRun:
    """What :meth:`Registry.export_all` wrote and what it could not write, each in job order."""

    results: tuple[ExportResult, ...]
    failures: tuple[ExportFailure, ...]


#: ``progress(done, total, outcome)``, called after each file of a bulk export.
ProgressFn = Callable[[int, int, "ExportResult | ExportFailure"], None]


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
    disabled: frozenset[str] = frozenset()

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
        returned = exp.write(bundle, stream)
        try:
            return findings_of(returned)
        except (TypeError, ValueError):
            name = self._origin.get(exporter, "?")
            raise InvalidExporterError(
                name,
                self._dists.get(name),
                f"write() of exporter {exporter!r} returned {type(returned).__name__}, "
                "not None or a list of Finding",
            ) from None

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
        """Export several files; raise for the first that failed, after writing all the others.

        See :meth:`export_all`, which returns the failures instead of raising.

        Raises:
            ExportFailedError: an exporter failed, naming it, its plugin and the unit.
        """
        run = self.export_all(jobs, overwrite=overwrite, progress=progress, workers=workers)
        if run.failures:
            raise run.failures[0].error()
        return run.results

    def export_all(
        self,
        jobs: Iterable[ExportJob],
        *,
        overwrite: bool = False,
        progress: ProgressFn | None = None,
        workers: int = 1,
    ) -> ExportRun:
        """Export several files, calling ``progress(done, total, outcome)`` after each one.

        Each file is written atomically. An exporter that fails for a file (any exception, a
        ``SystemExit``, a ``write()`` returning something else than findings, its worker process
        killed) fails that file only: the failure names the exporter, its plugin and the unit, and
        every other file is still written.

        Args:
            jobs: what to write.
            overwrite: replace existing files.
            progress: called in this process after each file, in completion order.
            workers: processes to render in (PDF rendering is CPU-bound; use the number of cores).
                The built-in JSON, CSV and ADX exporters always write in this process.
                Worker processes build their own registry with the built-ins and, when this one
                loaded them, the entry-point plugins (less the disabled ones); exporters registered
                through ``make_registry(plugins=...)`` are only available with ``workers=1``.
                Workers die with this process.
        """
        todo: Sequence[ExportJob] = list(jobs)
        for job in todo:
            self.get(job.exporter)  # an unknown name is the caller's error: fail before writing
        done: dict[int, ExportResult | ExportFailure] = {}

        def record(i: int, outcome: ExportResult | ExportFailure) -> None:
            done[i] = outcome
            if progress is not None:
                progress(len(done), len(todo), outcome)

        if workers <= 1 or len(todo) <= 1:
            for i, job in enumerate(todo):
                record(i, self._export_one(job, overwrite))
        else:
            # the built-in text exporters (JSON, CSV, ADX: our own pure Python, milliseconds a
            # file) write in this process; a worker costs more than they do. Plugins' exporters
            # and the XLSX/PDF renderings go to the worker processes.
            light = [i for i, job in enumerate(todo) if self._light(job.exporter)]
            pooled = [i for i, job in enumerate(todo) if not self._light(job.exporter)]
            if light:
                self._export_light(todo, overwrite, record, light)
            if pooled:
                self._export_in_pool(todo, overwrite, workers, record, pooled)
        ordered = [done[i] for i in range(len(todo))]
        return ExportRun(
            results=tuple(o for o in ordered if isinstance(o, ExportResult)),
            failures=tuple(o for o in ordered if isinstance(o, ExportFailure)),
        )

    def _export_light(
        self,
        todo: Sequence[ExportJob],
        overwrite: bool,
        record: Callable[[int, ExportResult | ExportFailure], None],
        indices: Sequence[int],
    ) -> None:
        """Render the built-in text exporters' files here, one after the other (pure Python,
        milliseconds each), and store each from a few threads: creating, fsyncing and renaming
        files is mostly waiting for the disk, which threads overlap. Each file is still written
        atomically (:func:`atomic_write`), each folder fsynced once after its last file;
        ``record`` is called in this thread."""
        from concurrent.futures import (
            FIRST_COMPLETED,
            Future,
            ThreadPoolExecutor,
            as_completed,
            wait,
        )

        def store(job: ExportJob, data: bytes, findings: Findings) -> ExportResult:
            atomic_write(
                job.path, lambda stream: stream.write(data), overwrite=overwrite, sync_dir=False
            )
            return ExportResult(
                path=job.path, exporter=job.exporter, size=len(data), findings=findings
            )

        pending: dict[Future[ExportResult], int] = {}

        def collect(futures: Iterable[Future[ExportResult]]) -> None:
            for future in futures:
                i = pending.pop(future)
                record(i, self._guarded(todo[i], future.result))

        with ThreadPoolExecutor(8, thread_name_prefix="sikkb-write") as pool:
            for i in indices:
                job = todo[i]
                if not overwrite and job.path.exists():
                    raise OutputExistsError(str(job.path))
                buffer = io.BytesIO()
                found = self._guarded(
                    job, functools.partial(self.render, job.report, buffer, exporter=job.exporter)
                )
                if isinstance(found, ExportFailure):
                    record(i, found)
                    continue
                pending[pool.submit(store, job, buffer.getvalue(), found)] = i
                if len(pending) >= 64:  # at most 64 rendered files held in memory
                    collect(wait(pending, return_when=FIRST_COMPLETED).done)
            collect(as_completed(list(pending)))
        for folder in sorted({todo[i].path.parent for i in indices}):
            _fsync_dir(folder)  # once per folder: every new name on disk

    def _light(self, exporter: str) -> bool:
        """Whether ``exporter`` is a built-in one that needs no extra (JSON, CSV, ADX)."""
        return self._origin.get(exporter) == BUILTIN_PLUGIN and self.get(exporter).extra is None

    def _export_one(self, job: ExportJob, overwrite: bool) -> ExportResult | ExportFailure:
        return self._guarded(
            job,
            lambda: self.export(job.report, job.path, exporter=job.exporter, overwrite=overwrite),
        )

    def _guarded(self, job: ExportJob, call: Callable[[], T]) -> T | ExportFailure:
        """``call()``, or the failure of ``job`` when it raises: an exporter's failure (or the
        disk's) fails that file only."""
        try:
            return call()
        except KeyboardInterrupt:
            raise
        except (OutputExistsError, UnsafeOutputError):
            raise  # the caller's choice of files, not the exporter's failure
        except BaseException as e:  # SystemExit too: a plugin must not end the run
            return self.failure(job, e)

    def failure(
        self, job: ExportJob, error: BaseException | None, *, kind: str = ""
    ) -> ExportFailure:
        """The :class:`ExportFailure` of ``job`` for ``error`` (``None``: the worker died)."""
        name = self._origin.get(job.exporter, "?")
        plugin = self._label(name)
        if isinstance(error, MissingExtraError):
            error = error.for_plugin(plugin, self._dists.get(name))
        if error is None:
            kind = kind or "WorkerDied"
            message = Text(
                "proses pekerja berhenti mendadak (dimatikan atau keluar) saat menulis berkas ini",
                "the worker process died (killed or exited) while writing this file",
            )
        elif isinstance(error, MissingExtraError):
            kind = type(error).__name__
            message = Text(
                f"memerlukan {error.module}, yang belum terpasang: {error.install}",
                f"needs {error.module}, which is not installed: {error.install}",
            )
        elif isinstance(error, InvalidExporterError):
            kind = "InvalidReturn"
            message = Text(
                f"write() mengembalikan sesuatu yang tidak sah ({error.reason})",
                f"write() returned something invalid ({error.reason})",
            )
        elif isinstance(error, SystemExit):
            kind = "SystemExit"
            message = Text(
                f"eksporter memanggil SystemExit({error.code!r}) saat menulis",
                f"the exporter called SystemExit({error.code!r}) while writing",
            )
        else:
            kind = kind or type(error).__name__
            text = f"{type(error).__name__}: {error}"
            message = Text(text, text)
        return ExportFailure(
            path=job.path,
            exporter=job.exporter,
            plugin=plugin,
            plugin_name=name,
            distribution=self._dists.get(name),
            unit=_unit(job.report),
            kind=kind,
            message=message,
        )

    def _export_in_pool(
        self,
        todo: Sequence[ExportJob],
        overwrite: bool,
        workers: int,
        record: Callable[[int, ExportResult | ExportFailure], None],
        indices: Sequence[int],
    ) -> None:
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        prepared = {i: self.prepare(todo[i].report) for i in indices}
        existed = {i: todo[i].path.exists() for i in indices}
        pending = list(indices)
        size = workers
        initargs = (self.loaded_entrypoints, tuple(self.disabled), os.getpid())
        while pending:
            # After a worker died, go on with one worker: then the job it was writing is the
            # first unfinished one, and that one alone fails.
            with ProcessPoolExecutor(
                max_workers=size, initializer=_init_worker, initargs=initargs
            ) as pool:
                # a job whose worker wrote its file but died before answering is written again
                futures = {
                    pool.submit(
                        _export_in_worker, prepared[i], todo[i].path, todo[i].exporter,
                        overwrite or (not existed[i] and todo[i].path.exists()),
                    ): i
                    for i in pending
                }  # fmt: skip
                broken = False
                for fut in as_completed(futures):
                    i = futures[fut]
                    try:
                        answer = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    outcome: ExportResult | ExportFailure
                    if isinstance(answer, BaseException):
                        if isinstance(answer, OutputExistsError | UnsafeOutputError):
                            raise answer
                        outcome = self.failure(todo[i], answer)
                    elif isinstance(answer, tuple):  # (kind, text): not picklable as raised
                        outcome = self.failure(todo[i], RuntimeError(answer[1]), kind=answer[0])
                    else:
                        outcome = answer
                    record(i, outcome)
                    pending.remove(i)
            if broken and pending:
                for i in pending:  # a killed worker leaves its temporary file behind
                    remove_stale_parts(todo[i].path.parent, [todo[i].path.name])
                if size == 1:
                    record(pending[0], self.failure(todo[pending[0]], None))
                    pending.pop(0)
                size = 1


def _unit(report: Report | ReportBundle) -> str:
    bundle = report if isinstance(report, ReportBundle) else ReportBundle(report=report)
    code = bundle.region_code
    name = bundle.name_of(code)
    return f"{code} {name}" if name != code else code


_WORKER_REGISTRY: Registry | None = None


def _init_worker(
    load_entrypoints: bool, disabled: tuple[str, ...] = (), parent: int | None = None
) -> None:
    global _WORKER_REGISTRY
    die_with_parent(parent)
    _WORKER_REGISTRY = make_registry(load_entrypoints=load_entrypoints, disabled=disabled)


def die_with_parent(parent: int | None = None) -> None:
    """Make this (worker) process end when its parent does, even when the parent is SIGKILLed.

    On Linux the kernel does it (``prctl(PR_SET_PDEATHSIG, SIGKILL)``); elsewhere a daemon thread
    watches the parent's process id.

    Args:
        parent: the parent's process id as the parent saw it (``os.getpid()`` before starting the
            worker); when the parent died before this call, the process exits at once.
    """
    import sys
    import threading

    parent = os.getppid() if parent is None else parent
    if os.getppid() != parent:  # the parent is gone already
        os._exit(1)
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0:  # 1 = PR_SET_PDEATHSIG
                if os.getppid() != parent:  # the parent died before prctl took effect
                    os._exit(1)
                return
        except (OSError, AttributeError):  # pragma: no cover - no prctl: fall back to polling
            pass

    def watch() -> None:  # pragma: no cover - only where prctl is missing
        import time

        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="sikkb-parent-watch").start()


def _export_in_worker(
    bundle: ReportBundle, path: Path, exporter: str, overwrite: bool
) -> ExportResult | BaseException | tuple[str, str]:
    """Export in a worker; a failure comes back as a value (the exception, or its text when the
    exception cannot be pickled), never as a broken pool. ``SystemExit`` is caught too."""
    import pickle

    assert _WORKER_REGISTRY is not None, "worker not initialised"
    try:
        return _WORKER_REGISTRY.export(bundle, path, exporter=exporter, overwrite=overwrite)
    except KeyboardInterrupt:
        raise
    except BaseException as e:
        try:
            if pickle.loads(pickle.dumps(e)) is not None:
                e.__traceback__ = None
                e.__cause__ = e.__context__ = None
                return e
        except Exception:
            pass
        if isinstance(e, SystemExit):
            return ("SystemExit", f"the exporter called SystemExit({e.code!r}) while writing")
        return (type(e).__name__, f"{type(e).__name__}: {e}")


def atomic_write(
    path: Path, write: Callable[[IO[bytes]], T], *, overwrite: bool = False, sync_dir: bool = True
) -> T:
    """Call ``write(stream)`` on a temporary file beside ``path``, then move it into place.

    The temporary file is fsynced before the rename and removed if ``write`` fails. Without
    ``overwrite`` the final step is a hard link, which fails instead of replacing a file created
    meanwhile (on a file system without hard links it falls back to a check and a rename).
    ``sync_dir``: fsync the folder afterwards, so the new name is on disk too (a caller writing
    many files into one folder may do it once, after the last).

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
    if sync_dir:
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


def check_inside(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """``path`` resolved, after checking that writing it stays inside the folder ``root``.

    Every folder between ``root`` and the file must be a real folder, not a symbolic link (a
    planted ``out/kota -> /elsewhere`` is refused), and the resolved path must be under the
    resolved ``root``. Folders that do not exist yet are fine (they are created inside).

    Raises:
        UnsafeOutputError: the path leaves ``root``.
    """
    base = Path(root).resolve()
    lexical_root = Path(os.path.abspath(root))
    lexical = Path(os.path.abspath(path))
    try:
        rel = lexical.relative_to(lexical_root)
    except ValueError:
        raise UnsafeOutputError(str(path), str(root)) from None
    here = lexical_root
    for part in rel.parts:
        here = here / part
        if here.is_symlink():
            raise UnsafeOutputError(str(path), str(root))
    resolved = lexical.resolve()
    if resolved != base and base not in resolved.parents:
        raise UnsafeOutputError(str(path), str(root))
    return resolved


def remove_stale_parts(folder: str | os.PathLike[str], names: Iterable[str]) -> list[Path]:
    """Remove the temporary files (``.<name>.*.part``) an interrupted run left for ``names``.

    :func:`atomic_write` writes ``path`` through ``.<path name>.<random>.part`` beside it; a run
    killed mid-write leaves that file behind. The next run into the same folder calls this for the
    files it is about to write. Returns the files removed.
    """
    wanted = set(names)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for e in entries:
        if not (e.name.startswith(".") and e.name.endswith(".part")):
            continue
        stem = e.name[1:].rsplit(".", 2)[0]
        if stem in wanted and e.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(e.path)
                removed.append(Path(e.path))
    return removed


def _autoload_disabled() -> bool:
    return bool(os.environ.get(AUTOLOAD_ENV, "").strip())


def _allowed() -> frozenset[str] | None:
    """The entry-point plugins :data:`ALLOW_ENV` lets load (``None``: all of them)."""
    value = os.environ.get(ALLOW_ENV)
    if value is None:
        return None
    return frozenset(n.strip() for n in value.split(",") if n.strip())


def _load_entrypoints(pm: pluggy.PluginManager, dists: dict[str, str]) -> None:
    allowed = _allowed()
    for ep in sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name
    ):
        if pm.is_blocked(ep.name) or pm.has_plugin(ep.name):
            continue
        if allowed is not None and ep.name not in allowed:
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


def make_registry(
    *,
    load_entrypoints: bool = True,
    plugins: Iterable[object] = (),
    disabled: Iterable[str] = (),
) -> Registry:
    """Build a fresh registry: the built-in exporters, the entry-point plugins, then ``plugins``.

    Args:
        load_entrypoints: load the plugins announced in the ``sikkb`` entry-point group (also
            skipped when the environment variable ``SIKKB_DISABLE_PLUGIN_AUTOLOAD`` is set; when
            ``SIKKB_PLUGINS`` is set, only the entry points it names are loaded).
        plugins: more plugin objects to register (modules, classes or instances with hooks).
        disabled: entry-point plugin names not to load (``sikkb report --disable-plugin NAME``):
            a broken plugin is switched off alone, the others and the built-ins still load.

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
    off = frozenset(disabled)
    for name in off:
        pm.set_blocked(name)
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
        pm,
        dists=dists,
        loaded_entrypoints=load_entrypoints and not _autoload_disabled(),
        disabled=off,
    )
    registry._collect()
    return registry


def findings_of(found: Iterable[Finding] | None) -> Findings:
    """Findings from what a ``write()`` returned (``None`` means none).

    Raises:
        TypeError: it returned something else than ``None`` or an iterable of findings.
    """
    items = tuple(found) if found is not None else ()
    for f in items:
        if not isinstance(f, Finding):
            raise TypeError(f"expected a Finding, got {type(f).__name__}")
    return Findings(items)
