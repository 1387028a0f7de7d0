"""SIGKILL a worker at random points while it writes: every write it acknowledged (printed
after the commit returned) is in the database afterwards, and the database is intact.

The worker (tests/kill_worker.py) plays learners taking quizzes: each action stores the quiz
in progress and, in the same transaction, the finished questions' results.
"""
from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from engine import db
from engine.quiz import history
from teachers_support import storage_url  # noqa: F401  (fixture: SQLite and PostgreSQL)

WORKER = Path(__file__).with_name("kill_worker.py")
KILLS = 8


def _run_and_kill(url: str, seed: int, rng: random.Random) -> list[str]:
    """Start a worker, let it write for a random moment, SIGKILL it; its acknowledged lines."""
    proc = subprocess.Popen([sys.executable, str(WORKER), url, str(seed)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    acked: list[str] = []
    buffer = b""
    deadline = None
    while True:
        ready, _, _ = select.select([proc.stdout], [], [], 0.01)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            acked += [line.decode() for line in lines]
            if deadline is None and acked:  # writing has begun: kill at a random point
                deadline = time.monotonic() + rng.uniform(0.02, 0.8)
        if deadline is not None and time.monotonic() >= deadline:
            proc.send_signal(signal.SIGKILL)
            deadline = float("inf")
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the worker stopped by itself"
    return acked  # a partial last line (no newline) was never acknowledged


def test_every_acknowledged_write_survives_sigkill(storage_url):
    rng = random.Random(20261130)
    acked: list[str] = []
    for n in range(KILLS):
        acked += _run_and_kill(storage_url, n, rng)

    steps: dict[str, tuple[int, int]] = {}
    learners = 0
    for line in acked:
        kind, *rest = line.split()
        if kind == "learner":
            learners += 1
        else:
            quiz_id, step, position = rest
            steps[quiz_id] = (int(step), int(position))
    assert learners == KILLS and len(acked) > 5 * KILLS  # enough writes to mean something

    engine = db.connect(storage_url)
    for quiz_id, (step, position) in steps.items():
        stored = history.load_quiz(engine, quiz_id)
        assert stored is not None, "an acknowledged quiz is missing"
        assert stored.quiz.step >= step, "an acknowledged step is missing"
        done = {pos for pos, _ in history.results(stored.quiz)}
        with engine.connect() as conn:
            saved = set(conn.execute(sa.select(history.quiz_results.c.position)
                                     .where(history.quiz_results.c.quiz_id == quiz_id)).scalars())
        assert done <= saved, "a finished question's result is missing"
        assert set(range(position)) <= saved  # every question moved past was saved
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
