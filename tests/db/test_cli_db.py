"""The command line with database URLs: registers for report/validate, events for status/report.
The same answers as from files, and never a password on screen or in --json."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.db.conftest import DATABASES, fresh_source, postgres_url
from tests.io.writers import write_csv_folder

from sikkb.cli import EXIT_ERRORS, EXIT_INPUT, EXIT_OK, main
from sikkb.demo import demo_city
from sikkb.io.db import migrate, write_register_db
from sikkb.io.eventlog import append_event
from sikkb.io.sources import open_event_store
from sikkb.periods import Period
from sikkb.sop import LifecycleEvent, content_hash, kota_tangerang_sop

OCT = Period(2026, 10)
WIB = dt.timezone(dt.timedelta(hours=7))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _password(url: str) -> str | None:
    head = url.split("://", 1)[1].split("@", 1)
    return head[0].split(":", 1)[1] if len(head) == 2 and ":" in head[0] else None


@pytest.fixture(scope="module")
def register():  # type: ignore[no-untyped-def]
    return demo_city(OCT, scale=0.01, kelurahan=["36.71.01"])


@pytest.fixture(params=DATABASES)
def url(request: pytest.FixtureRequest, tmp_path: Path, register) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with fresh_source(request.param, tmp_path) as u:
        migrate(u)
        write_register_db(u, register)
        yield u


def test_report_from_a_database_url_writes_what_the_csv_folder_gives(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    url: str,
    register,  # type: ignore[no-untyped-def]
) -> None:
    folder = write_csv_folder(register, tmp_path / "register")
    outputs = {}
    for name, source in (("csv", str(folder)), ("db", url)):
        out_dir = tmp_path / f"out-{name}"
        code, out, err = run(capsys, "report", source, "--period", "2026-10", "--out", str(out_dir),
                             "--exporter", "csv", "--exporter", "json", "--json")  # fmt: skip
        assert code == EXIT_OK, err
        password = _password(url)
        if password:
            assert password not in out + err
        outputs[name] = {p.relative_to(out_dir): p.read_bytes() for p in out_dir.rglob("*.*")}
    assert outputs["db"] == outputs["csv"]
    # the city, the kecamatan and each of its kelurahan, as CSV and JSON
    assert len(outputs["db"]) == 2 * (1 + 1 + len(register.kelurahan_codes)) == 20


def test_validate_from_a_database_url_finds_what_the_files_give(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    url: str,
    register,  # type: ignore[no-untyped-def]
) -> None:
    import sqlalchemy as sa

    from sikkb.io.db import create_engine
    from sikkb.io.db.schema import register_tables

    engine = create_engine(url)
    pus = register_tables["pus"]
    with engine.begin() as conn:  # a PPKBD typed SUNTK and a date that does not exist
        conn.execute(sa.update(pus).where(pus.c.row_id == 2).values(status_kb="SUNTK"))
        conn.execute(
            sa.update(pus).where(pus.c.row_id == 3).values(tanggal_lahir_istri="31/02/1990")
        )
    engine.dispose()
    code, out, err = run(capsys, "validate", url, "--period", "2026-10", "--json")
    assert code == EXIT_ERRORS, err
    data = json.loads(out)
    bad = sorted((f["rule"], f["row"], f["column"], f["source"]) for f in data["findings"]
                 if f["rule"].startswith("baca-"))  # fmt: skip
    assert bad == [
        ("baca-kode-tidak-dikenal", 2, "status_kb", "sikkb_register_pus"),
        ("baca-tanggal", 3, "tanggal_lahir_istri", "sikkb_register_pus"),
    ]
    hint = next(f["hint"] for f in data["findings"] if f["rule"] == "baca-kode-tidak-dikenal")
    assert hint["en"].startswith("Did you mean SUNTIK?")
    password = _password(url)
    if password:
        assert password not in out + err


def test_status_reads_events_from_a_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str
) -> None:
    sop = kota_tangerang_sop()
    events = [
        LifecycleEvent(unit=code, period=OCT, kind="SUBMITTED", role="PPKBD",
                       at=dt.datetime(2026, 11, day, 9, tzinfo=WIB), content_hash=content_hash(code))
        for code, day in (("36.71.01.1001", 3), ("36.71.01.1002", 12), ("36.71.02.1001", 5))
    ]  # fmt: skip
    log = tmp_path / "events.jsonl"
    with open_event_store(url) as store:
        for e in events:
            store.record(e, roles=sop.roles)
            append_event(log, e)
    answers = []
    for source in (str(log), url):
        code, out, err = run(capsys, "status", "--period", "2026-10", "--events", source,
                             "--as-of", "2026-11-20", "--json")  # fmt: skip
        assert code == EXIT_OK, err
        answers.append(json.loads(out))
    assert answers[0] == answers[1]
    city = next(r for r in answers[1]["rates"] if r["code"] == "36.71" and r["step"] == 4)
    assert (city["expected"], city["actual"]) == (104, 3)


def test_a_wrong_password_is_an_input_error_with_the_password_masked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = postgres_url()
    if base is None:  # no server: a port nothing listens on gives the connection error instead
        target = "postgresql://sikkb:Rahasia-Sekali-123@127.0.0.1:1/kb"
    else:
        user_host = base.split("://", 1)[1].split("@", 1)[1]
        target = f"postgresql://sikkb:Rahasia-Sekali-123@{user_host}"
    for argv in (("status", "--period", "2026-10", "--events", target, "--json"),
                 ("report", target, "--period", "2026-10", "--out", "x", "--json"),
                 ("validate", target, "--period", "2026-10")):  # fmt: skip
        code, out, err = run(capsys, *argv)
        assert code == EXIT_INPUT
        assert "Rahasia-Sekali-123" not in out + err
        assert "sikkb:***@" in out + err
    data = json.loads(run(capsys, "status", "--period", "2026-10", "--events", target, "--json")[1])
    assert data["ok"] is False and data["error"]["kind"] == "DatabaseError"
    assert data["error"]["message"].startswith("postgresql://sikkb:***@")


def test_a_missing_event_file_is_still_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "status", "--period", "2026-10", "--events", str(tmp_path / "no.jsonl")
    )
    assert code == EXIT_INPUT and "no.jsonl" in err
    assert not (tmp_path / "no.jsonl").exists()


def test_a_missing_sqlite_register_is_an_error_and_no_file_is_made(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'tidak-ada.db'}"
    code, _, err = run(capsys, "validate", url, "--period", "2026-10")
    assert code == EXIT_INPUT and "tidak-ada.db" in err
    assert not (tmp_path / "tidak-ada.db").exists()


def test_a_missing_sqlite_file_is_an_error_not_an_empty_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'salah-ketik.db'}"
    code, _, err = run(capsys, "status", "--period", "2026-10", "--events", url)
    assert code == EXIT_INPUT and "salah-ketik.db" in err
    assert not (tmp_path / "salah-ketik.db").exists()
    with open_event_store(url):  # an application (or an import) creates it
        pass
    code, out, err = run(capsys, "status", "--period", "2026-10", "--events", url, "--as-of",
                         "2026-11-20", "--json")  # fmt: skip
    assert code == EXIT_OK, err
    assert all(r["actual"] == 0 for r in json.loads(out)["rates"])
