"""Storage: one SQLAlchemy engine, a shared schema, and ordered migrations per feature.

Every feature that saves something (learners, flashcards, quiz history, classes…) keeps its
own tables in its own module and registers them here. `connect(url)` creates the database,
then brings every registered feature's schema up to date, on SQLite and PostgreSQL alike.

How to add a table (example: quiz history, in `engine/quiz/history.py`)
----------------------------------------------------------------------
1. Define the table on the shared `metadata`, with dialect-neutral types. For datetimes use
   `UTCDateTime` (always timezone-aware UTC going in and coming out, on every database)::

       import sqlalchemy as sa
       from engine import db

       quiz_attempts = sa.Table(
           "quiz_attempts", db.metadata,
           sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
           sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id", ondelete="CASCADE"),
                     nullable=False, index=True),
           sa.Column("score", sa.Integer, nullable=False),
           sa.Column("finished_at", db.UTCDateTime, nullable=False),
       )

2. Register an ordered list of migrations under a name of your own. Migration N brings your
   feature from version N-1 to N; versions are counted per feature, so features written in
   parallel never collide. Append new migrations at the end; never edit or reorder one that
   has shipped::

       def _v1(conn):                      # the first version creates the table
           db.create_table(conn, quiz_attempts)

       def _v2(conn):                      # a later version adds a column
           db.add_column(conn, quiz_attempts, sa.Column("seconds", sa.Integer, nullable=True))

       db.register("quiz", [_v1, _v2])

   `create_table` and `add_column` skip what already exists, so a fresh database (where the
   table is created from the current definition, new column included) and an old one (which
   gets the ALTER) both end up the same. Each migration runs in its own transaction together
   with the bump of the version number, so a failed migration leaves nothing half-done.

3. Make sure your module is imported before the schema is upgraded: its dotted name must be
   in `SCHEMA_MODULES` below (a missing module is skipped, so listing a future one is
   harmless; `engine.quiz.history` and a few likely teacher modules are already listed).
   The UI's cached engine (`ui.storage.engine_from_config`) is also keyed on the registered
   features, so a feature module imported after the engine was first opened still gets its
   tables on the next call.

Writes: use `with db.write(engine) as conn:`, one transaction that commits or rolls back as a
whole (on SQLite it takes the write lock at once, so two writers queue instead of failing).
Reads: `with engine.connect() as conn:`.

When storage fails
------------------
`fault(exc)` turns whatever storage raised (a bad URL, a folder that cannot be made, a lock
held past the busy timeout, a stopped PostgreSQL) into a `StorageFault`: `SettingFault`
(permanent until the operator changes a setting), `BusyFault` (another writer held the lock
too long) or `UnavailableFault` (the server did not answer). Each carries a short sentence
for students (`for_students`, no path, no URL) and one for the operator's log (`for_operator`,
URL without its password). Connecting to a server is retried a bounded number of times
(`CONNECT_RETRY_DELAYS`) before it counts as unavailable. `check(url)` is the start-up check.
The Streamlit side is `ui.errors` (messages) and `ui.storage` (the cached engine).
"""
from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Sequence

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE_PATH = ROOT / "data" / "batchwise.sqlite3"
ENV_VAR = "BATCHWISE_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_MS = 15_000  # read at connect time, so tests can shorten it
PG_LOCK_TIMEOUT_MS = SQLITE_BUSY_TIMEOUT_MS  # PostgreSQL waits for a lock for ever without one
CONNECT_TIMEOUT_S = 5  # a server that does not answer (unreachable host) counts as down after this
CONNECT_RETRY_DELAYS = (0.3, 1.0)  # a refused connection is tried again after these pauses
LOG = logging.getLogger("batchwise.storage")

# Modules that define tables; imported by connect() so their migrations are registered.
SCHEMA_MODULES: list[str] = [
    "engine.learners",
    "engine.flashcards.store",
    "engine.quiz.history",
    "engine.teachers",
    "engine.teachers.store",
    "engine.identity",
    "engine.classes",
    "engine.assignments",
]

metadata = sa.MetaData()

schema_versions = sa.Table(
    "schema_versions", metadata,
    sa.Column("feature", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("upgraded_at", sa.String(40), nullable=False),
)

Migration = Callable[[Connection], None]
_migrations: dict[str, list[Migration]] = {}
_lock = threading.RLock()


class UTCDateTime(sa.types.TypeDecorator):
    """A datetime that is timezone-aware UTC in Python and in storage, on every database.

    SQLite has no timezone type and hands back naive datetimes, which fsrs rejects; PostgreSQL
    hands back the session's timezone. Both are normalised to `timezone.utc` here.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime; use timezone-aware UTC")
        value = value.astimezone(timezone.utc)
        # SQLite stores text: keep a naive UTC string so comparisons sort correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def now() -> datetime:
    return datetime.now(timezone.utc)


# --- configuration --------------------------------------------------------------------------

def default_url() -> str:
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def configured_url(secrets_url: str | None = None) -> str:
    """The database URL: environment first (tests and deployments), then secrets, then the
    default SQLite file under data/ (outside git)."""
    return os.environ.get(ENV_VAR) or secrets_url or default_url()


def describe(url: str | sa.URL) -> str:
    """The URL without its password, for messages."""
    return sa.make_url(url).render_as_string(hide_password=True)


# --- faults ---------------------------------------------------------------------------------

class StorageFault(Exception):
    """Saving or loading failed. `for_students` is safe to show anyone (no path, no URL);
    `for_operator` names the setting and the cause, for the server log and the operator."""

    permanent = False
    for_students = "Batchwise can't save or load right now. What you typed is kept: try again."

    def __init__(self, for_operator: str):
        super().__init__(for_operator)
        self.for_operator = for_operator


class SettingFault(StorageFault):
    """The database setting itself is wrong: nothing changes until the operator fixes it."""

    permanent = True
    for_students = ("Batchwise can't save or load progress on this server: its storage is not "
                    "set up correctly. What you typed is kept on this page; please tell your "
                    "teacher.")

    def __init__(self, for_operator: str, summary: str):
        super().__init__(for_operator)
        self.summary = summary  # the problem in plain words, without any path (home page)


class BusyFault(StorageFault):
    """Another writer held the database longer than the busy timeout."""

    for_students = "Batchwise is busy saving other work. Your answer is kept: try again."


class UnavailableFault(StorageFault):
    """The database server did not answer (stopped, restarting, unreachable)."""

    for_students = ("Batchwise can't reach its database just now. What you typed is kept: try "
                    "again in a minute.")


_SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
_SQLITE_SETTING = ("unable to open database file", "readonly database", "disk i/o error",
                   "file is not a database", "database disk image is malformed", "disk is full",
                   "not authorized")


def fault(exc: BaseException, url: str | sa.URL | None = None) -> StorageFault | None:
    """The storage fault behind `exc`, or None when `exc` is not a storage fault (a bug, which
    must surface as one)."""
    if isinstance(exc, StorageFault):
        return exc
    where = _where(url)
    if isinstance(exc, (sa.exc.ArgumentError, sa.exc.NoSuchModuleError)):
        return SettingFault(f"The database setting ({where}) is not a database address "
                            f"SQLAlchemy can use: {type(exc).__name__}.",
                            "the database setting is not a database address this app can use")
    if isinstance(exc, sa.exc.TimeoutError):  # every pooled connection in use for too long
        return BusyFault(f"No free database connection for {where} within the pool timeout.")
    if not isinstance(exc, sa.exc.DBAPIError) or isinstance(exc, sa.exc.IntegrityError):
        return None
    text = str(getattr(exc, "orig", exc)).lower()
    backend = _backend(url, exc)
    if backend == "sqlite":
        if any(m in text for m in _SQLITE_BUSY):
            return BusyFault(f"SQLite's write lock on {where} was held by another process for "
                             f"longer than the busy timeout ({SQLITE_BUSY_TIMEOUT_MS} ms).")
        if any(m in text for m in _SQLITE_SETTING):
            return SettingFault(f"The SQLite database {where} cannot be used: {text}.",
                                "the database file cannot be opened or written")
        return None
    if getattr(getattr(exc, "orig", None), "sqlstate", None) in ("55P03", "57014", "40P01"):
        return BusyFault(f"A lock on {where} was held longer than lock_timeout "
                         f"({PG_LOCK_TIMEOUT_MS} ms), or the statement was cancelled.")
    if isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)) or exc.connection_invalidated:
        if "password authentication failed" in text or "does not exist" in text and "database" in text:
            return SettingFault(f"The database server for {where} refused the connection: "
                                f"{_first_line(text)}.",
                                "the database server refused the account or database named in the setting")
        return UnavailableFault(f"The database server for {where} did not answer: {_first_line(text)}.")
    return None


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:300] if text.strip() else "no details"


def _backend(url, exc) -> str:
    if url is not None:
        try:
            return sa.make_url(url).get_backend_name()
        except sa.exc.ArgumentError:
            return ""
    module = type(getattr(exc, "orig", exc)).__module__ or ""
    return "sqlite" if "sqlite" in module else module.split(".")[0]


def _where(url) -> str:
    if url is None:
        return "the configured database"
    try:
        return describe(url)
    except sa.exc.ArgumentError:
        return "an unreadable database address"


def check(url: str | sa.URL) -> StorageFault | None:
    """The start-up check: open the database at `url`, bring its schema up to date and run a
    query. Returns the fault (also logged, for the operator) or None when all is well."""
    try:
        engine = connect(url)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        finally:
            engine.dispose()
    except Exception as exc:
        problem = fault(exc, _safe_url(url))
        if problem is None:
            raise
        LOG.error("Storage check failed: %s", problem.for_operator)
        return problem
    return None


def _safe_url(url):
    try:
        return sa.make_url(url)
    except sa.exc.ArgumentError:
        return None


# --- engine ---------------------------------------------------------------------------------

def _sqlite_setup(engine: Engine) -> None:
    # pysqlite's own transaction handling skips BEGIN for DDL and reads; take control so every
    # transaction really is one (recipe from the SQLAlchemy SQLite dialect docs).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writer takes the lock up front: a deferred transaction that read first and then
        # writes can fail with "database is locked" without waiting for the busy timeout.
        immediate = conn.get_execution_options().get("batchwise_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _parse(url: str | sa.URL) -> sa.URL:
    try:
        return sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        # The text is not echoed: an unparsable URL may still contain a password.
        raise SettingFault("The database setting is not a database address (expected e.g. "
                           "sqlite:///path/to/file.sqlite3 or postgresql+psycopg://user@host/db).",
                           "the database setting is not a database address") from exc


def _make_folder(url: sa.URL) -> None:
    folder = Path(url.database).expanduser().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise SettingFault(f"The SQLite database {describe(url)} cannot be created: part of the "
                           f"folder path {folder} is a file, not a folder.",
                           "the database file's folder is a file, not a folder") from exc
    except PermissionError as exc:
        raise SettingFault(f"The SQLite database {describe(url)} cannot be created: this server "
                           f"may not create the folder {folder} (permission denied).",
                           "the database file's folder cannot be created (permission denied)") from exc
    except OSError as exc:
        raise SettingFault(f"The SQLite database {describe(url)} cannot be created: making the "
                           f"folder {folder} failed ({exc.strerror}).",
                           "the database file's folder cannot be created") from exc


def _retry_connect(engine: Engine) -> None:
    # A database server that is restarting refuses connections for a moment: try again a
    # bounded number of times before the fault reaches the learner as "can't reach".
    @event.listens_for(engine, "do_connect")
    def _connect(dialect, _record, cargs, cparams):
        for delay in (*CONNECT_RETRY_DELAYS, None):
            try:
                return dialect.connect(*cargs, **cparams)
            except dialect.loaded_dbapi.OperationalError:
                if delay is None:
                    raise
                time.sleep(delay)


def create_engine(url: str | sa.URL) -> Engine:
    """An engine for `url`, without touching the schema (see `connect`). A setting that
    cannot work raises `SettingFault`."""
    url = _parse(url)
    try:
        if url.get_backend_name() == "sqlite":
            if url.database not in (None, "", ":memory:"):
                _make_folder(url)
            engine = sa.create_engine(url, connect_args={"check_same_thread": False,
                                                         "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            _sqlite_setup(engine)
            return engine
        connect_args = {}
        if url.get_backend_name() == "postgresql":
            if "connect_timeout" not in url.query:
                connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
            if "options" not in url.query:  # a lock held too long: "busy", as on SQLite
                connect_args["options"] = f"-c lock_timeout={PG_LOCK_TIMEOUT_MS}"
        engine = sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        raise SettingFault(f"The database setting ({describe(url)}) names a database or driver "
                           f"this server cannot use: {type(exc).__name__}.",
                           "the database setting names a database this server cannot use") from exc
    _retry_connect(engine)
    return engine


def connect(url: str | sa.URL | None = None) -> Engine:
    """Open the database at `url` (default: `configured_url()`) and create or upgrade its
    schema. Safe to call from several processes at once."""
    engine = create_engine(url or configured_url())
    import_schema_modules()
    upgrade(engine)
    return engine


def import_schema_modules(modules: Sequence[str] = ()) -> None:
    for name in [*SCHEMA_MODULES, *modules]:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # Only "this feature does not exist yet" is fine; a broken import inside it is not.
            if exc.name is None or not (name == exc.name or name.startswith(exc.name + ".")):
                raise


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """One write transaction: commits when the block ends, rolls back on any exception."""
    with engine.execution_options(batchwise_write=True).begin() as conn:
        yield conn


def _serialise_schema_changes(conn: Connection) -> None:
    # SQLite's BEGIN IMMEDIATE already serialises; PostgreSQL needs a lock so two app
    # processes starting together do not both try to create the same table.
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(815047)")


# --- migrations -----------------------------------------------------------------------------

def register(feature: str, migrations: Sequence[Migration]) -> None:
    """Register `feature`'s ordered migrations (see the module docstring). Registering again
    with a longer list (a module reload) is fine; the next `connect`/`upgrade` runs them."""
    if not feature or len(feature) > 64:
        raise ValueError("feature name must be 1-64 characters")
    with _lock:
        known = _migrations.get(feature, [])
        if [m.__qualname__ for m in known] != [m.__qualname__ for m in migrations[:len(known)]]:
            raise ValueError(f"migrations of {feature!r} were changed or reordered")
        _migrations[feature] = list(migrations)


def registered() -> dict[str, int]:
    """Each registered feature and the schema version its code expects."""
    with _lock:
        return {f: len(m) for f, m in _migrations.items()}


def versions(engine: Engine) -> dict[str, int]:
    """Each feature's schema version as stored in the database."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table(schema_versions.name):
            return {}
        rows = conn.execute(sa.select(schema_versions.c.feature, schema_versions.c.version))
        return {r.feature: r.version for r in rows}


def upgrade(engine: Engine, features: Sequence[str] | None = None) -> dict[str, int]:
    """Run every pending migration, oldest first, one transaction each. Returns the versions."""
    with _lock:
        plan = {f: list(m) for f, m in _migrations.items() if features is None or f in features}
    current = versions(engine)
    if all(current.get(f, 0) >= len(m) for f, m in plan.items()):
        return current  # up to date: a restart takes no write lock (another writer may hold it)
    with write(engine) as conn:
        _serialise_schema_changes(conn)
        create_table(conn, schema_versions)
    for feature, migrations in plan.items():
        for target in range(1, len(migrations) + 1):
            with write(engine) as conn:
                _serialise_schema_changes(conn)
                # Re-read inside the write transaction: another process may have just done it.
                current = conn.execute(
                    sa.select(schema_versions.c.version).where(schema_versions.c.feature == feature)
                ).scalar_one_or_none() or 0
                if current >= target:
                    continue
                migrations[target - 1](conn)
                stamp = {"version": target, "upgraded_at": now().isoformat()}
                if current == 0:
                    conn.execute(schema_versions.insert().values(feature=feature, **stamp))
                else:
                    conn.execute(schema_versions.update()
                                 .where(schema_versions.c.feature == feature).values(**stamp))
    return versions(engine)


def create_table(conn: Connection, table: sa.Table) -> None:
    """Create `table` and its indexes unless it exists (for a feature's first migration)."""
    table.create(conn, checkfirst=True)


def add_column(conn: Connection, table: sa.Table | str, column: sa.Column) -> None:
    """ALTER TABLE … ADD COLUMN unless the column is already there (a fresh database created
    the table from its current definition). The column must be nullable or have a
    server_default, as on any database with rows in it."""
    name = table if isinstance(table, str) else table.name
    existing = {c["name"] for c in sa.inspect(conn).get_columns(name)}
    if column.name in existing:
        return
    ddl = sa.schema.CreateColumn(column).compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE {conn.dialect.identifier_preparer.quote(name)} ADD COLUMN {ddl}")
