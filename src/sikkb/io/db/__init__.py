"""sikkb in a database: lifecycle events, registers and report values (extra ``sikkb[db]``).

Everything here goes through SQLAlchemy Core, so an application hands in its own Engine or
Connection (or sikkb connects to a URL itself): SQLite for a single office without a server,
PostgreSQL for a Dinas application with many users and processes. The schema is code
(:mod:`sikkb.io.db.schema`), created and upgraded by :func:`migrate`. See the how-to
"Use sikkb in your application" in the documentation.
"""

from __future__ import annotations

try:
    import sqlalchemy  # noqa: F401
except ImportError as _e:  # pragma: no cover - the extra is missing
    from sikkb.errors import OptionalDependencyError

    raise OptionalDependencyError("database URLs", "sqlalchemy", "db") from _e

from sikkb.io.db.engine import Database, create_engine, migrate, schema_version
from sikkb.io.db.events import SqlEventStore
from sikkb.io.db.register import TableMapping, read_register_db, register_row, write_register_db
from sikkb.io.db.reports import month_rows, read_report_values, write_month_db
from sikkb.io.db.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "Database",
    "SqlEventStore",
    "TableMapping",
    "create_engine",
    "migrate",
    "month_rows",
    "read_register_db",
    "read_report_values",
    "register_row",
    "schema_version",
    "write_month_db",
    "write_register_db",
]
