"""Storage: schema created and upgraded on start, UTC datetimes, transactions, WAL."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from engine import db


def sqlite_url(tmp_path, name="t.sqlite3"):
    return f"sqlite:///{tmp_path / name}"


@pytest.fixture
def scratch_feature():
    """A throwaway feature registered for one test, removed afterwards."""
    names = []

    def make(name, migrations):
        names.append(name)
        db.register(name, migrations)

    yield make
    for name in names:
        db._migrations.pop(name, None)


def test_connect_creates_schema_and_records_versions(tmp_path):
    engine = db.connect(sqlite_url(tmp_path))
    tables = set(sa.inspect(engine).get_table_names())
    assert {"schema_versions", "learners"} <= tables
    assert db.versions(engine)["learners"] == db.registered()["learners"] >= 1


def test_default_sqlite_file_folder_is_created(tmp_path):
    url = f"sqlite:///{tmp_path / 'deep' / 'er' / 'x.sqlite3'}"
    db.connect(url)
    assert (tmp_path / "deep" / "er" / "x.sqlite3").exists()


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path):
    engine = db.connect(sqlite_url(tmp_path))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_environment_url_wins(monkeypatch, tmp_path):
    monkeypatch.setenv(db.ENV_VAR, "sqlite:///from-env.sqlite3")
    assert db.configured_url("sqlite:///from-secrets.sqlite3") == "sqlite:///from-env.sqlite3"
    monkeypatch.delenv(db.ENV_VAR)
    assert db.configured_url("sqlite:///from-secrets.sqlite3") == "sqlite:///from-secrets.sqlite3"
    assert db.configured_url().endswith("data/batchwise.sqlite3")


def test_password_hidden_in_descriptions():
    assert "s3cret" not in db.describe("postgresql+psycopg://u:s3cret@host/db")


def test_migrations_run_in_order_once_and_upgrade_an_old_database(tmp_path, scratch_feature):
    calls = []
    notes = sa.Table("scratch_notes", db.metadata,
                     sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("text", sa.String(50), nullable=False),
                     sa.Column("stars", sa.Integer, nullable=True))

    def v1(conn):
        calls.append(1)
        # An old database had the table without `stars`: simulate exactly that here.
        conn.exec_driver_sql("CREATE TABLE scratch_notes (id INTEGER PRIMARY KEY, text VARCHAR(50) NOT NULL)")

    def v2(conn):
        calls.append(2)
        db.add_column(conn, notes, sa.Column("stars", sa.Integer, nullable=True))

    url = sqlite_url(tmp_path)
    scratch_feature("scratch", [v1])
    engine = db.connect(url)
    assert db.versions(engine)["scratch"] == 1
    scratch_feature("scratch", [v1, v2])  # a newer release of the feature
    engine = db.connect(url)
    assert calls == [1, 2]
    db.connect(url)  # a restart runs nothing again
    assert calls == [1, 2]
    assert db.versions(engine)["scratch"] == 2
    with db.write(engine) as conn:
        conn.execute(notes.insert().values(text="hi", stars=3))
    db.metadata.remove(notes)


def test_reordering_shipped_migrations_is_refused(scratch_feature):
    def a(conn): pass
    def b(conn): pass
    scratch_feature("scratch2", [a, b])
    with pytest.raises(ValueError):
        db.register("scratch2", [b, a])


def test_failed_migration_leaves_nothing_half_done(tmp_path, scratch_feature):
    def broken(conn):
        conn.exec_driver_sql("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        raise RuntimeError("boom")

    scratch_feature("broken", [broken])
    with pytest.raises(RuntimeError):
        db.connect(sqlite_url(tmp_path))
    db._migrations.pop("broken")
    engine = db.connect(sqlite_url(tmp_path))
    assert "half_done" not in sa.inspect(engine).get_table_names()
    assert "broken" not in db.versions(engine)


def test_write_rolls_back_on_error(tmp_path):
    from engine.learners import learners
    engine = db.connect(sqlite_url(tmp_path))
    with pytest.raises(RuntimeError):
        with db.write(engine) as conn:
            conn.execute(learners.insert().values(code_hash="x" * 64, display_name="A",
                                                  created_at=db.now()))
            raise RuntimeError("crash mid-way")
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(learners)).scalar() == 0


def test_datetimes_come_back_as_aware_utc(tmp_path):
    from engine.learners import learners
    engine = db.connect(sqlite_url(tmp_path))
    paris = timezone(timedelta(hours=2))
    when = datetime(2025, 3, 30, 12, 0, tzinfo=paris)
    with db.write(engine) as conn:
        conn.execute(learners.insert().values(code_hash="y" * 64, display_name="A", created_at=when))
    with engine.connect() as conn:
        got = conn.execute(sa.select(learners.c.created_at)).scalar_one()
    assert got.tzinfo is timezone.utc and got == when and got.hour == 10


def test_naive_datetimes_are_refused(tmp_path):
    from engine.learners import learners
    engine = db.connect(sqlite_url(tmp_path))
    with pytest.raises(sa.exc.StatementError):
        with db.write(engine) as conn:
            conn.execute(learners.insert().values(code_hash="z" * 64, display_name="A",
                                                  created_at=datetime(2025, 1, 1)))


def test_two_processes_starting_together_both_succeed(tmp_path):
    url = sqlite_url(tmp_path)
    errors = []

    def start():
        try:
            db.connect(url)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
