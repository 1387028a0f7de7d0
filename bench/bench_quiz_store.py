"""What storing a quiz as it goes costs per Check: load the stored quiz, grade, store the step
(compare-and-set) with the finished question's result, in one transaction.

    /work/venv/bin/python bench/bench_quiz_store.py [DATABASE_URL]

Without a URL it measures a fresh SQLite file; give a PostgreSQL URL of an EMPTY database to
measure that (tables are created in it).
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import db  # noqa: E402
from engine.learners import create_learner  # noqa: E402
from engine.quiz import history  # noqa: E402
from engine.quiz.session import advance, new_quiz, submit  # noqa: E402


def main(url: str) -> None:
    engine = db.connect(url)
    learner = create_learner(engine, "Bench")
    times = []
    for n in range(20):
        quiz = new_quiz(["iterations-per-epoch"], 10, n + 1)
        history.record(engine, None, quiz, learner.id)
        while not quiz.finished:
            start = time.perf_counter()
            stored = history.load_quiz(engine, quiz.id).quiz
            after, _ = submit(stored, str(int(stored.question().answer.value)), stored.step)
            history.record(engine, stored, after, learner.id, draft="x")
            times.append(time.perf_counter() - start)
            quiz = advance(after, after.step)
            history.record(engine, after, quiz, learner.id)
    print(f"{engine.dialect.name}: load + grade + store per Check: median "
          f"{1000 * statistics.median(times):.1f} ms, p90 {1000 * statistics.quantiles(times, n=10)[-1]:.1f} ms "
          f"(n={len(times)})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
