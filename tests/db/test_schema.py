"""The schema as code: migrations, and the lifecycle's invariants enforced by the database itself
(a writer that bypasses sikkb with plain SQL is refused too)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from sikkb.errors import DatabaseError
from sikkb.io.db import SCHEMA_VERSION, SqlEventStore, create_engine, migrate, schema_version
from sikkb.io.db.schema import metadata, schema_versions
from sikkb.sop import LifecycleEvent, content_hash, kota_tangerang_sop

ROLES = kota_tangerang_sop().roles
H = content_hash({"pus": 1})
COLS = "unit, period, seq, kind, role, at, at_us, reason, content_hash, prev_seq, prev_kind, prev_at_us"
T0 = "'2026-11-10T09:00:00+07:00', 1794283200000000"
T1 = "'2026-11-10T10:00:00+07:00', 1794286800000000"


def _insert(seq: int, kind: str, *, at: str = T1, reason: str = "NULL", digest: str = "NULL",
            prev: str = "NULL, NULL, NULL", unit: str = "36.71.07.1003") -> str:  # fmt: skip
    return (
        f"INSERT INTO sikkb_event ({COLS}) VALUES ('{unit}', '2026-10', {seq}, '{kind}', "
        f"'BIDANG_KB', {at}, {reason}, {digest}, {prev})"
    )


SUBMIT = _insert(1, "SUBMITTED", at=T0, digest=f"'{H}'")
AFTER_SUBMIT = "1, 'SUBMITTED', 1794283200000000"


def test_migrate_creates_every_table_once_and_is_idempotent(db_url: str) -> None:
    assert schema_version(db_url) is None
    assert migrate(db_url) == SCHEMA_VERSION == 1
    assert migrate(db_url) == 1  # again: nothing to do
    engine = create_engine(db_url)
    try:
        names = set(sa.inspect(engine).get_table_names())
        assert {t.name for t in metadata.sorted_tables} <= names
        with engine.connect() as conn:
            rows = conn.execute(sa.select(schema_versions.c.version)).scalars().all()
        assert rows == [1]
    finally:
        engine.dispose()
    assert schema_version(db_url) == 1


def test_a_store_refuses_a_database_without_the_schema_unless_asked(db_url: str) -> None:
    with pytest.raises(DatabaseError, match="no sikkb tables") as info:
        SqlEventStore(db_url)
    assert "migrate" in info.value.hint
    with SqlEventStore(db_url, create_schema=True) as store:
        assert store.read() == ()


def test_a_newer_schema_is_refused_never_downgraded(db_url: str) -> None:
    migrate(db_url)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.insert(schema_versions).values(version=99, description="from the future"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="version 99; this sikkb knows up to 1"):
        migrate(db_url)
    with pytest.raises(DatabaseError, match="version 99, this sikkb needs 1"):
        SqlEventStore(db_url)


def test_concurrent_migrations_migrate_once(db_url: str) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            migrate(db_url)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert schema_version(db_url) == 1


@pytest.mark.parametrize(
    ("sql", "constraint"),
    [
        (
            _insert(1, "VERIFIED", at=T0),
            "ck_sikkb_event_transition",
        ),  # no VERIFIED without SUBMITTED
        (_insert(2, "SUBMITTED", digest=f"'{H}'", prev=AFTER_SUBMIT), "ck_sikkb_event_transition"),
        (_insert(2, "RETURNED", prev=AFTER_SUBMIT), "ck_sikkb_event_return_reason"),
        (_insert(2, "RETURNED", reason="'   '", prev=AFTER_SUBMIT), "ck_sikkb_event_return_reason"),
        (
            _insert(2, "VERIFIED", at="'2026-11-10T10:00:00', 1794286800000000", prev=AFTER_SUBMIT),
            "ck_sikkb_event_aware",
        ),
        (
            _insert(
                2, "VERIFIED", at="'2026-11-10T08:00:00+07:00', 1794279600000000", prev=AFTER_SUBMIT
            ),
            "ck_sikkb_event_transition",
        ),
        (_insert(2, "VERIFIED", prev="1, 'SUBMITTED', 5"), "fk_sikkb_event_previous"),
        (
            _insert(3, "FORWARDED", prev="2, 'VERIFIED', 1794283200000000"),
            "fk_sikkb_event_previous",
        ),
        (
            _insert(1, "SUBMITTED", at=T1, digest=f"'{H}'"),
            "uq_sikkb_event_position",
        ),  # a 2nd SUBMITTED
        (_insert(1, "SUBMITTED", at=T1, unit="36.71.07.1004"), "ck_sikkb_event_submit_hash"),
        ("UPDATE sikkb_event SET role = 'PPKBD'", "append-only"),
        ("DELETE FROM sikkb_event", "append-only"),
    ],
)
def test_the_database_itself_refuses_what_the_lifecycle_forbids(
    db_url: str, sql: str, constraint: str
) -> None:
    migrate(db_url)
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(SUBMIT)
        with pytest.raises(sa.exc.DBAPIError) as info, engine.begin() as conn:
            conn.exec_driver_sql(sql)
        text = str(info.value.orig)
        sqlite_words = {  # SQLite names neither foreign keys nor unique constraints
            "fk_sikkb_event_previous": "FOREIGN KEY",
            "uq_sikkb_event_position": "UNIQUE constraint failed: sikkb_event.unit, "
            "sikkb_event.period, sikkb_event.seq",
        }
        if engine.dialect.name == "sqlite" and constraint in sqlite_words:
            assert sqlite_words[constraint] in text, text
        else:
            assert constraint in text, text
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM sikkb_event").scalar() == 1
    finally:
        engine.dispose()


def test_the_legal_next_step_in_plain_sql_is_accepted(db_url: str) -> None:
    migrate(db_url)
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(SUBMIT)
            conn.exec_driver_sql(_insert(2, "RETURNED", reason="'PA salah'", prev=AFTER_SUBMIT))
        with SqlEventStore(engine) as store:
            kinds = [e.kind.code for e in store.read()]
        assert kinds == ["SUBMITTED", "RETURNED"]
    finally:
        engine.dispose()


def test_truncate_is_refused_on_postgresql(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite has none)")
    migrate(db_url)
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(SUBMIT)
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE sikkb_event")
    finally:
        engine.dispose()


def test_an_application_connection_joins_its_transaction(db_url: str) -> None:
    import datetime as dt

    migrate(db_url)
    engine = create_engine(db_url)
    e = LifecycleEvent(unit="36.71.07.1003", period="2026-10", kind="SUBMITTED", role="PPKBD",
                       at=dt.datetime(2026, 11, 9, 10, tzinfo=dt.UTC), content_hash=H)  # fmt: skip
    try:
        with engine.connect() as conn:
            trans = conn.begin()
            SqlEventStore(conn).record(e, roles=ROLES)
            assert len(SqlEventStore(conn).read()) == 1  # visible inside the transaction
            trans.rollback()  # the application rolls back: the event goes with it
        with SqlEventStore(engine) as store:
            assert store.read() == ()
        with engine.connect() as conn, conn.begin():
            SqlEventStore(conn).record(e, roles=ROLES)
        with SqlEventStore(engine) as store:
            assert store.read() == (e,)
    finally:
        engine.dispose()


def test_errors_mask_the_password() -> None:
    url = "postgresql://sikkb:s3cr3t-pw@127.0.0.1:1/nothing"
    with pytest.raises(DatabaseError) as info:
        SqlEventStore(url)
    assert "s3cr3t-pw" not in str(info.value) + info.value.reason_id + info.value.source
    assert "sikkb:***@127.0.0.1:1/nothing" in info.value.source
    assert "tidak dapat tersambung" in info.value.reason_id


def test_the_er_picture_shows_every_table_and_column() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[2] / "docs" / "_ext" / "sikkb_er.py"
    spec = importlib.util.spec_from_file_location("sikkb_er", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    svg = module.er_svg()
    for table in metadata.sorted_tables:
        assert f">{table.name}</text>" in svg
        for column in table.columns:
            assert f">{column.name}</text>" in svg, (table.name, column.name)
    assert svg.count('marker-end="url(#arrow)"') == 3  # prev_seq, prev_kind, prev_at_us
    page = (Path(__file__).parents[2] / "docs" / "database.md").read_text(encoding="utf-8")
    assert "```{sikkb-er}" in page
