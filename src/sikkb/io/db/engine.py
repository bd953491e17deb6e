"""Opening a database: a URL sikkb connects to itself, or the application's own Engine/Connection.

:class:`Database` wraps either and gives the stores and readers what they need: a transaction that
serialises writers (SQLite: ``BEGIN IMMEDIATE`` on engines sikkb creates; PostgreSQL: unique
constraints and retries, see :mod:`sikkb.io.db.events`), a read connection, the schema check, and
error messages with the password masked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from sikkb.errors import DatabaseError
from sikkb.io.db.schema import MIGRATIONS, SCHEMA_VERSION, metadata, schema_versions
from sikkb.io.sources import mask_secrets, mask_url

__all__ = ["Database", "create_engine", "migrate", "schema_version"]

# What sikkb accepts as a database: a URL, an Engine, or a Connection.
Bind = str | sa.Engine | sa.Connection

#: A number for PostgreSQL's advisory lock around migrations ("sikkb" in ASCII).
_MIGRATION_LOCK = 0x73696B6B62


def _sqlite_setup(engine: sa.Engine) -> None:
    """SQLite as a store: foreign keys on, WAL, full sync, and writers serialised from BEGIN."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None  # sikkb issues BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 60000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        # a writer takes the write lock at once: it never reads, then fails to write; a reader
        # (Database.reading) starts a plain transaction and, with WAL, waits for no one
        read_only = conn.get_execution_options().get("sikkb_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def create_engine(url: str, **options: Any) -> sa.Engine:
    """An Engine for ``url`` set up the way sikkb needs it.

    ``postgresql://`` uses psycopg (version 3) when it is installed; ``sqlite:///path`` gets
    foreign keys, WAL journaling, full synchronous writes and ``BEGIN IMMEDIATE`` transactions.

    Raises:
        DatabaseError: the URL cannot be understood (its password masked in the message).
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as e:
        raise DatabaseError(
            mask_url(url),
            "not a database URL",
            reason_id="bukan URL basis data",
            hint="write sqlite:///file.db or postgresql://user@host/database",
            hint_id="tulis sqlite:///berkas.db atau postgresql://pengguna@host/basisdata",
        ) from e
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "postgresql":
        options.setdefault("pool_pre_ping", True)
    try:
        engine = sa.create_engine(parsed, **options)
    except ImportError as e:
        from sikkb.errors import OptionalDependencyError

        raise OptionalDependencyError("database URLs", e.name or "psycopg", "db") from e
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    return engine


class Database:
    """A database sikkb reads and writes.

    Args:
        bind: a URL (sikkb creates and owns the Engine and disposes of it on ``close()``), an
            Engine, or a Connection of the application (then sikkb's writes join the
            application's transaction when one is open, through a savepoint, and are committed
            when the application commits).
    """

    def __init__(self, bind: Bind) -> None:
        self._owned = isinstance(bind, str)
        self.bind: sa.Engine | sa.Connection = (
            create_engine(bind) if isinstance(bind, str) else bind
        )
        url = self.bind.engine.url
        self.name = url.render_as_string(hide_password=True).replace("+psycopg", "")
        self._url_text = bind if isinstance(bind, str) else url.render_as_string(False)

    @property
    def dialect(self) -> str:
        """``"sqlite"``, ``"postgresql"``, …"""
        return self.bind.engine.dialect.name

    def close(self) -> None:
        if self._owned and isinstance(self.bind, sa.Engine):
            self.bind.dispose()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """A connection inside a transaction, committed when the block ends without an error."""
        if isinstance(self.bind, sa.Connection):
            conn = self.bind
            with conn.begin_nested() if conn.in_transaction() else conn.begin():
                yield conn
        else:
            with self.bind.begin() as conn:
                yield conn

    @contextlib.contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        """A connection to read with. An application's Connection is left as it was found: a
        transaction the reads had to begin is ended again (rolled back: nothing was written)."""
        if isinstance(self.bind, sa.Connection):
            conn, began = self.bind, not self.bind.in_transaction()
            try:
                yield conn
            finally:
                if began and conn.in_transaction():
                    conn.rollback()
        else:
            with self.bind.connect() as conn:
                yield conn.execution_options(sikkb_read_only=True)

    def error(self, e: BaseException, doing_en: str, doing_id: str) -> DatabaseError:
        """A :class:`DatabaseError` for a driver error, its message and any password masked."""
        detail = str(getattr(e, "orig", None) or e).strip().splitlines()
        text = mask_secrets(detail[0] if detail else type(e).__name__, self._url_text)
        if isinstance(e, sa.exc.OperationalError) and self.dialect == "sqlite":
            return DatabaseError(
                self.name,
                f"{doing_en}: {text}",
                reason_id=f"{doing_id}: {text}",
                hint="check the database file's path and permissions",
                hint_id="periksa letak berkas basis data dan izinnya",
            )
        if isinstance(e, sa.exc.OperationalError) and _is_connect_failure(text):
            return DatabaseError(
                self.name,
                f"cannot connect while {doing_en}: {text}",
                reason_id=f"tidak dapat tersambung ke basis data saat {doing_id}: {text}",
                hint="check the host, port, user and password (URL or PGPASSWORD)",
                hint_id="periksa host, port, pengguna dan kata sandi (URL atau PGPASSWORD)",
            )
        return DatabaseError(
            self.name,
            f"{doing_en}: {text}",
            reason_id=f"{doing_id}: {text}",
        )


def _is_connect_failure(text: str) -> bool:
    words = ("connection", "connect", "authentication", "password", "unable to open")
    return any(w in text.lower() for w in words)


def schema_version(bind: Bind | Database) -> int | None:
    """The version of the sikkb schema in the database (``None`` when it has none)."""
    db = bind if isinstance(bind, Database) else Database(bind)
    try:
        with db.reading() as conn:
            if not sa.inspect(conn).has_table(schema_versions.name):
                return None
            found = conn.execute(sa.select(sa.func.max(schema_versions.c.version))).scalar()
            return int(found) if found is not None else None
    except sa.exc.SQLAlchemyError as e:
        raise db.error(e, "reading the schema version", "membaca versi skema") from e
    finally:
        if db is not bind:
            db.close()


def migrate(bind: Bind | Database) -> int:
    """Create the sikkb tables, or bring them up to :data:`~sikkb.io.db.schema.SCHEMA_VERSION`.

    Safe to call at every start of an application and from several processes at once: the
    migrations run under a lock, each once, forward only. A database written by a newer sikkb
    is refused, never downgraded.

    Returns:
        The schema version now in the database.

    Raises:
        DatabaseError: the database cannot be reached, or has a newer schema than this sikkb.
    """
    db = bind if isinstance(bind, Database) else Database(bind)
    try:
        with db.transaction() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
            schema_versions.create(conn, checkfirst=True)
            current = conn.execute(sa.select(sa.func.max(schema_versions.c.version))).scalar()
            if current is not None and current > SCHEMA_VERSION:
                raise DatabaseError(
                    db.name,
                    f"the database has sikkb schema version {current}; this sikkb knows up to "
                    f"{SCHEMA_VERSION}",
                    reason_id=f"basis data memakai skema sikkb versi {current}; sikkb ini hanya "
                    f"mengenal sampai versi {SCHEMA_VERSION}",
                    hint="upgrade sikkb",
                    hint_id="perbarui sikkb",
                )
            if current is None:  # a new database: the current tables at once, stamped latest
                existing = [
                    t.name for t in metadata.sorted_tables if sa.inspect(conn).has_table(t.name)
                ]
                if existing and existing != [schema_versions.name]:
                    raise DatabaseError(
                        db.name,
                        f"sikkb tables exist without a schema version: {', '.join(existing)}",
                        reason_id=f"tabel sikkb sudah ada tanpa versi skema: {', '.join(existing)}",
                        hint="drop them, or restore the sikkb_schema table",
                        hint_id="hapus tabel itu, atau pulihkan tabel sikkb_schema",
                    )
                MIGRATIONS[0].apply(conn)
                conn.execute(
                    sa.insert(schema_versions),
                    [{"version": m.version, "description": m.description} for m in MIGRATIONS],
                )
                return SCHEMA_VERSION
            for m in MIGRATIONS:
                if m.version > current:
                    m.apply(conn)
                    conn.execute(
                        sa.insert(schema_versions).values(
                            version=m.version, description=m.description
                        )
                    )
            return SCHEMA_VERSION
    except sa.exc.SQLAlchemyError as e:
        raise db.error(
            e, "opening the database and its sikkb tables", "membuka basis data dan tabel sikkb"
        ) from e
    finally:
        if db is not bind:
            db.close()


def require_schema(db: Database, *, create: bool) -> None:
    """Check (or, with ``create``, migrate) the schema before a store is used."""
    if create:
        migrate(db)
        return
    version = schema_version(db)
    if version == SCHEMA_VERSION:
        return
    if version is None:
        reason = ("the database has no sikkb tables", "basis data belum berisi tabel sikkb")
    else:
        reason = (
            f"the database has sikkb schema version {version}, this sikkb needs {SCHEMA_VERSION}",
            f"basis data memakai skema sikkb versi {version}, sikkb ini memerlukan versi "
            f"{SCHEMA_VERSION}",
        )
    raise DatabaseError(
        db.name,
        reason[0],
        reason_id=reason[1],
        hint="create or upgrade them with sikkb.io.db.migrate(url_or_engine)",
        hint_id="buat atau perbarui dengan sikkb.io.db.migrate(url_atau_engine)",
    )
