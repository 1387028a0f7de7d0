"""The same storage on PostgreSQL: schema, UTC times, concurrent tabs, double clicks, restart.

Runs when BATCHWISE_TEST_POSTGRES_URL points at a server (`.ci/run` starts one); each test
gets a database of its own, dropped afterwards.
"""
from __future__ import annotations

import os
import secrets
import threading
from datetime import timedelta, timezone

import pytest
import sqlalchemy as sa
from fsrs import Rating, State

from engine import db
from engine.flashcards import store, todays_queue
from engine.learners import create_learner, resume
from tests.flashcards_support import T0, deck

SERVER = os.environ.get("BATCHWISE_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not SERVER, reason="BATCHWISE_TEST_POSTGRES_URL not set")
CARD = "cards-lesson/term/epoch/forward"


@pytest.fixture
def pg_url():
    name = f"bw_test_{secrets.token_hex(6)}"
    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(SERVER).set(database=name)
    yield url
    sa.create_engine(url).dispose()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def test_schema_is_created_and_versions_recorded(pg_url):
    engine = db.connect(pg_url)
    assert {"learners", "flashcard_states", "flashcard_reviews", "schema_versions"} <= \
        set(sa.inspect(engine).get_table_names())
    assert db.versions(engine) == {f: n for f, n in db.registered().items()
                                   if f in db.versions(engine)}
    engine.dispose()


def test_reviews_and_times_round_trip_as_utc(pg_url):
    engine = db.connect(pg_url)
    learner = create_learner(engine, "Pat")
    result = store.record_review(engine, learner.id, CARD, Rating.Easy, now=T0)
    progress = store.load_progress(engine, learner.id)[CARD]
    assert progress.due == result.progress.due and progress.due.tzinfo is timezone.utc
    assert store.load_reviews(engine, learner.id)[0].reviewed_at == T0
    engine.dispose()


def test_two_tabs_and_double_clicks_lose_nothing_and_count_once(pg_url):
    engine = db.connect(pg_url)
    learner = create_learner(engine, "Pat")
    n_threads, per_thread = 5, 8
    barrier = threading.Barrier(n_threads)
    errors = []

    def tab(i):
        barrier.wait()
        try:
            for j in range(per_thread):
                # each rating is sent twice (a double click): it must count once
                for _ in range(2):
                    store.record_review(engine, learner.id, CARD, Rating.Good, token=f"{i}-{j}")
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=tab, args=(i,)) for i in range(n_threads)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    assert len(store.load_reviews(engine, learner.id)) == n_threads * per_thread
    assert store.load_progress(engine, learner.id)[CARD].reps == n_threads * per_thread
    engine.dispose()


def test_progress_survives_a_restart_and_undo_works(pg_url):
    engine = db.connect(pg_url)
    learner = create_learner(engine, "Pat")
    first = store.record_review(engine, learner.id, CARD, Rating.Easy, now=T0)
    second = store.record_review(engine, learner.id, CARD, Rating.Again, now=first.progress.due)
    engine.dispose()
    again = db.connect(pg_url)
    same = resume(again, learner.code)
    store.undo_review(again, same.id, second.review.id)
    saved = store.load_progress(again, same.id)[CARD]
    assert saved.state == State.Review and saved.due == first.progress.due
    q = todays_queue(again, same.id, deck(), T0 + timedelta(minutes=1))
    assert CARD not in {c.id for c in q.new}
    again.dispose()
