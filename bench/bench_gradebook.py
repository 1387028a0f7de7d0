"""What the live gradebook costs: the check it makes every 4 s (one aggregate query) against
rebuilding the whole book, for a class of 30 with 6 assignments and 2 tries each.

    .venv/bin/python bench/bench_gradebook.py [--runs 30] [--url sqlite:///…]

Prints the median of each in milliseconds. An idle open gradebook pays only the first.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--url", default=f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}")
    args = parser.parse_args()
    from engine import db
    from engine.learners import create_learner
    from engine.teachers import assignments as asg
    from engine.teachers import classes as cls
    from engine.teachers import gradebook as gb
    from engine.teachers import misconceptions as mc

    engine = db.connect(args.url)
    c = cls.create_class(engine, "Year 10")
    students = [create_learner(engine, f"Student {i}") for i in range(30)]
    work = [asg.create_quiz(engine, c, f"Week {w}", ["iterations-per-epoch", "total-iterations"], 5,
                            tries_allowed=2) for w in range(6)]
    for s in students:
        cls.join_class(engine, c, s.id)
        for a in work:
            for _ in range(2):
                t = asg.start_try(engine, a, s.id)
                asg.submit(engine, a, s.id, t.id, [q.answer.value if q.index % 2 else "1" for q in _qs(t)],
                           key=f"bench.{t.id}.{s.id}")

    def median_ms(fn) -> float:
        fn()
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    book = gb.class_gradebook(engine, c.id)
    print(f"class of 30, 6 assignments, 360 submitted tries ({db.describe(args.url)})")
    print(f"signature check (each tick):   {median_ms(lambda: gb.signature(engine, c.id)):7.1f} ms")
    print(f"rebuild the gradebook:         {median_ms(lambda: gb.class_gradebook(engine, c.id)):7.1f} ms")
    print(f"misconceptions from the book:  {median_ms(lambda: mc.class_mistakes(book)):7.1f} ms")


class _Q:
    def __init__(self, index, q):
        self.index, self.answer = index, q.answer


def _qs(t):
    return [_Q(i, q) for i, q in enumerate(t.questions())]


if __name__ == "__main__":
    main()
