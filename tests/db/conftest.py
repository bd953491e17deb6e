"""Fixtures for the database half: a fresh event store / database of each kind per test.

PostgreSQL tests need a server: set ``SIKKB_TEST_POSTGRES_URL`` (``.ci/postgres.sh`` starts a
throwaway one and sets it; CI always does). Without it they are skipped, with that reason shown
in pytest's summary (``-ra``). Each test gets its own PostgreSQL schema (``search_path`` in the
URL), dropped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

POSTGRES_ENV = "SIKKB_TEST_POSTGRES_URL"
NO_POSTGRES = (
    f"no PostgreSQL server: set {POSTGRES_ENV}=postgresql://user:password@host:port/db "
    "(source .ci/postgres.sh starts a throwaway one)"
)
STORES = ("jsonl", "sqlite", "postgresql")
DATABASES = ("sqlite", "postgresql")


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections use a new, empty schema (dropped on exit)."""
    import sqlalchemy as sa

    from sikkb.io.db import create_engine

    base = postgres_url()
    if base is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):  # CI must test the server
            pytest.fail(f"CI without a PostgreSQL server: {NO_POSTGRES}")
        pytest.skip(NO_POSTGRES)
    name = f"sikkb_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={name}')}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()


@contextlib.contextmanager
def fresh_source(kind: str, folder: Path) -> Iterator[str]:
    """A source string (path or URL) naming an empty store of ``kind``."""
    if kind == "jsonl":
        yield str(folder / f"events-{uuid.uuid4().hex[:8]}.jsonl")
    elif kind == "sqlite":
        yield f"sqlite:///{folder / f'sikkb-{uuid.uuid4().hex[:8]}.db'}"
    else:
        with postgres_schema() as url:
            yield url


@pytest.fixture(params=STORES)
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty event store's source: a JSON Lines path, a SQLite URL or a PostgreSQL URL."""
    with fresh_source(request.param, tmp_path) as s:
        yield s


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database's URL (SQLite file or PostgreSQL schema), without the sikkb schema."""
    with fresh_source(request.param, tmp_path) as s:
        yield s
