"""Storage faults, injected: each ends in a short message in the app's words, never a
traceback, a server path or a database address, and what the student typed stays.

SQLite: the database path's parent is a file; an unparsable BATCHWISE_DATABASE_URL; an
unwritable parent of a missing data folder; another process holding the write lock past the
busy timeout (starting as a learner, a teacher passcode, rating a card, checking a quiz answer).
PostgreSQL: a stopped server (a port where nothing listens) and an unreachable host (127.0.0.9,
loopback only). These need no PostgreSQL server.
"""
from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from engine import db
from engine.quiz import history
from engine.quiz.session import new_quiz
from engine.teachers import auth
from teachers_support import FAST_HASH, PASSCODE, page_text
from ui.quiz import answer_key, check_key

QUIZ = "pages/quiz.py"
LINK = {"kinds": "iterations-per-epoch", "seed": "5", "length": "2"}
INTERNALS = ("Traceback", 'File "', "sqlite:", "postgresql", ".sqlite3", "/tmp/", "127.0.0",
             "OperationalError", "SettingFault", "BusyFault", "UnavailableFault")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def assert_plain(at, tmp_path) -> str:
    """No exception element and nothing of the server's insides anywhere on the page."""
    assert not at.exception, at.exception[0].value
    text = page_text(at)
    for bad in (*INTERNALS, str(tmp_path)):
        assert bad not in text, f"{bad!r} reached the page"
    return text


def messages(at) -> str:
    return "\n".join(e.value for e in [*at.error, *at.warning])


def _unwritable(monkeypatch, tmp_path):
    # The tests run as root, which may write anywhere: refuse the folder as a read-only
    # parent would.
    blocked = tmp_path / "readonly"
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if self == blocked or blocked in self.parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    return f"sqlite:///{blocked / 'data' / 'batchwise.sqlite3'}"


def _parent_is_file(monkeypatch, tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    return f"sqlite:///{tmp_path / 'afile' / 'batchwise.sqlite3'}"


SETTING_FAULTS = {
    "parent is a file": _parent_is_file,
    "unparsable URL": lambda mp, tmp: f"postgres ql://user:s3cret@{tmp}/x",
    "unwritable parent": _unwritable,
    "unknown driver": lambda mp, tmp: "postgresql+nosuchdriver://user:s3cret@127.0.0.1/db",
}
DOWN_FAULTS = {
    "PostgreSQL stopped": lambda mp, tmp: f"postgresql+psycopg://postgres:s3cret@127.0.0.1:{_closed_port()}/postgres",
    "unreachable host": lambda mp, tmp: f"postgresql+psycopg://postgres:s3cret@127.0.0.9:{_closed_port()}/postgres",
}


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setattr(db, "CONNECT_RETRY_DELAYS", (0.05, 0.05))
    monkeypatch.setattr(db, "CONNECT_TIMEOUT_S", 2)


@pytest.mark.parametrize("fault", [*SETTING_FAULTS, *DOWN_FAULTS])
def test_a_broken_database_setting_is_named_for_the_operator_on_the_home_page(
        fault, app_test, monkeypatch, tmp_path, fast_retries, caplog):
    url = {**SETTING_FAULTS, **DOWN_FAULTS}[fault](monkeypatch, tmp_path)
    monkeypatch.setenv(db.ENV_VAR, url)
    at = app_test("app.py")
    assert_plain(at, tmp_path)
    shown = messages(at)
    if fault in SETTING_FAULTS:
        assert "Progress can't be saved on this server" in shown and "needs fixing" in shown
    else:
        assert "Saving is paused" in shown and "did not answer" in shown
    assert "BATCHWISE_DATABASE_URL environment variable" in shown and "server" in shown
    assert "s3cret" not in caplog.text  # the log names the setting without its password
    assert "Storage check failed" in caplog.text


@pytest.mark.parametrize("fault", [*SETTING_FAULTS, *DOWN_FAULTS])
def test_students_get_a_short_message_and_keep_the_page(fault, app_test, monkeypatch, tmp_path, fast_retries):
    url = {**SETTING_FAULTS, **DOWN_FAULTS}[fault](monkeypatch, tmp_path)
    monkeypatch.setenv(db.ENV_VAR, url)
    at = app_test(QUIZ)
    assert_plain(at, tmp_path)
    at.button(key="quiz_start").click().run()  # starting a quiz stores it
    text = assert_plain(at, tmp_path)
    shown = messages(at)
    if fault in SETTING_FAULTS:
        assert "not set up correctly" in shown and "tell your teacher" in shown
        assert "try again in a minute" not in shown  # it is permanent: waiting won't help
    else:
        assert "can't reach its database" in shown and "try again in a minute" in shown
    assert "What you typed is kept" in shown
    assert at.button(key="quiz_start") is not None and "Start a quiz" in text  # the form stays

    at.text_input(key="learner_new_name").input("Sam")  # starting as a learner saves a name
    next(b for b in at.button if b.label == "Start").click().run()
    assert_plain(at, tmp_path)
    assert "What you typed is kept" in messages(at)


# --- another process holds SQLite's write lock past the busy timeout -------------------------

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()  # hold the lock until the test closes stdin
conn.execute("ROLLBACK")
"""


class WriteLock:
    """Another process holding the database's write lock while the block runs."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(self.path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "locked"
        return self

    def __exit__(self, *exc):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture
def locked_db(tmp_path, monkeypatch):
    """A working database (schema made) whose lock waits only 0.3 s, and a way to lock it."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "batchwise.sqlite3"
    db.connect(f"sqlite:///{path}").dispose()
    return lambda: WriteLock(path)


def busy(at) -> bool:
    return "busy saving other work" in messages(at) and "Your answer is kept: try again" in messages(at)


def test_a_quiz_answer_checked_while_locked_is_kept_and_counts_once_later(app_test, locked_db, tmp_path):
    at = app_test(QUIZ, query=LINK)
    quiz = at.session_state["quiz_session"]
    right = str(int(quiz.question().answer.value))
    at.text_input(key=answer_key(quiz)).input(right)
    with locked_db():
        at.button(key=check_key(quiz)).click().run()
        assert_plain(at, tmp_path)
        assert busy(at)
        assert at.text_input(key=answer_key(quiz)).value == right  # still in the box
        assert at.session_state["quiz_session"].current.tries == 0  # nothing counted
    at.button(key=check_key(quiz)).click().run()  # the same click again, lock gone
    assert_plain(at, tmp_path)
    assert "Right" in "\n".join(s.value for s in at.success)
    stored = history.load_quiz(db.connect(), quiz.id).quiz
    assert stored.current.tries == 1 and stored.current.solved


def test_starting_as_a_learner_while_locked_gets_the_busy_message(app_test, locked_db, tmp_path):
    at = app_test(QUIZ)
    at.text_input(key="learner_new_name").input("Sam")
    with locked_db():
        next(b for b in at.button if b.label == "Start").click().run()
        assert_plain(at, tmp_path)
        assert busy(at)
        assert at.text_input(key="learner_new_name").value == "Sam"  # the page, and the name, stay


def test_a_teacher_passcode_typed_while_locked_gets_the_busy_message(app_test, locked_db, tmp_path, monkeypatch):
    monkeypatch.setenv(auth.ENV_VAR, FAST_HASH)
    at = app_test("pages/teacher.py")
    at.text_input(key="teacher_passcode").input(PASSCODE)
    with locked_db():
        next(b for b in at.button if b.label == "Sign in").click().run()
        assert_plain(at, tmp_path)
        assert busy(at)


def test_rating_a_card_while_locked_gets_the_busy_message(app_test, locked_db, tmp_path, monkeypatch):
    from tests.flashcards_support import CONTENT_DIR
    monkeypatch.setenv("BATCHWISE_CONTENT_DIR", str(CONTENT_DIR))
    at = app_test("pages/flashcards.py")
    at.text_input(key="learner_new_name").input("Sam")
    at.button(key="FormSubmitter:learner_new-Start").click().run()
    at.button(key="fc_reveal").click().run()
    good = lambda: next(b for b in at.button if b.key and b.key.startswith("fc_rate_3_"))  # noqa: E731
    with locked_db():
        good().click().run()
        assert_plain(at, tmp_path)
        assert busy(at)
        assert good() is not None  # the card is still there to rate again


def test_the_fault_names_the_setting_for_the_operator_and_hides_the_password():
    problem = db.check("postgresql+psycopg://u:s3cret@127.0.0.9:1/db")
    assert isinstance(problem, db.UnavailableFault) and not problem.permanent
    assert "s3cret" not in problem.for_operator and "127.0.0.9" in problem.for_operator
    setting = db.check("not a url at all :// s3cret")
    assert isinstance(setting, db.SettingFault) and setting.permanent
    assert "s3cret" not in setting.for_operator + setting.summary


def test_a_refused_connection_is_retried_a_bounded_number_of_times(monkeypatch):
    import psycopg
    calls = []
    real = psycopg.connect

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise psycopg.OperationalError("connection refused")
        return real(*args, **kwargs)

    monkeypatch.setattr(psycopg, "connect", flaky)
    monkeypatch.setattr(db, "CONNECT_RETRY_DELAYS", (0.01, 0.01))
    engine = db.create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/postgres")
    with pytest.raises(Exception) as err:
        engine.connect()
    assert len(calls) == 3  # two refusals retried, the third try reached the (closed) port
    assert isinstance(db.fault(err.value), db.UnavailableFault)


# --- PostgreSQL, a real server: a lock held too long, and the server going away mid-quiz ------

class Proxy:
    """A TCP relay to the PostgreSQL server that the test can stop and start on the same port:
    to the app, the database server stops and comes back."""

    def __init__(self, target: tuple[str, int]):
        import threading
        self.target, self.port, self.threading = target, _closed_port(), threading
        self.listener = None
        self.conns: list[socket.socket] = []

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen()
        self.threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                self.threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self):
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() (Linux)
        except OSError:
            pass
        self.listener.close()
        for c in self.conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()
        self.conns = []


@pytest.fixture
def pg_database():
    from teachers_support import fresh_postgres_database
    with fresh_postgres_database() as url:
        db.connect(url).dispose()
        yield url


def _check_right_answer(at):
    quiz = at.session_state["quiz_session"]
    right = str(int(quiz.question().answer.value))
    at.text_input(key=answer_key(quiz)).input(right)
    at.button(key=check_key(quiz)).click().run()
    return quiz, right


def test_postgresql_stopping_mid_quiz_keeps_the_answer_and_it_counts_once_back(
        app_test, pg_database, monkeypatch, tmp_path, fast_retries):
    import sqlalchemy as sa
    server = sa.make_url(pg_database)
    proxy = Proxy((server.host, server.port))
    proxy.start()
    try:
        monkeypatch.setenv(db.ENV_VAR, server.set(host="127.0.0.1", port=proxy.port)
                           .render_as_string(hide_password=False))
        at = app_test(QUIZ, query=LINK)
        quiz = at.session_state["quiz_session"]
        proxy.stop()  # the database server goes away
        quiz, right = _check_right_answer(at)
        assert_plain(at, tmp_path)
        assert "can't reach its database" in messages(at)
        assert at.text_input(key=answer_key(quiz)).value == right
        proxy.start()  # and comes back on the same port
        at.button(key=check_key(quiz)).click().run()
        assert_plain(at, tmp_path)
        assert "Right" in "\n".join(s.value for s in at.success)
    finally:
        proxy.stop()
    stored = history.load_quiz(db.connect(pg_database), quiz.id).quiz
    assert stored.current.tries == 1 and stored.current.solved


def test_postgresql_lock_held_too_long_is_busy_and_the_answer_kept(
        app_test, pg_database, monkeypatch, tmp_path):
    import sqlalchemy as sa
    monkeypatch.setattr(db, "PG_LOCK_TIMEOUT_MS", 300)
    monkeypatch.setenv(db.ENV_VAR, pg_database)
    at = app_test(QUIZ, query=LINK)
    quiz = at.session_state["quiz_session"]
    holder = sa.create_engine(pg_database)
    with holder.begin() as conn:  # another session holds the quiz's row
        conn.execute(sa.select(history.quiz_progress).where(history.quiz_progress.c.quiz_id == quiz.id)
                     .with_for_update())
        _, right = _check_right_answer(at)
        assert_plain(at, tmp_path)
        assert busy(at) and at.text_input(key=answer_key(quiz)).value == right
    holder.dispose()
    at.button(key=check_key(quiz)).click().run()
    assert "Right" in "\n".join(s.value for s in at.success)
