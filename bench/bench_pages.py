"""Median script-run time of each page under AppTest (server time, no browser).

    .venv/bin/python bench/bench_pages.py [--runs 15]

Each page is opened once to warm caches, then rerun --runs times; the median rerun time is
what a student waits for on the server whenever they touch a widget. Flashcards, quiz, progress
and assignments are measured with a signed-in learner (an empty history).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("BATCHWISE_DATABASE_URL",
                          f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}")
    from streamlit.testing.v1 import AppTest

    from engine import db
    from engine.learners import create_learner
    from ui.setup import menu_entries

    # Pages that need a learner are measured signed in, as a student uses them.
    learner = create_learner(db.connect(), "Bench student")
    signed_in = {"pages/flashcards.py", "pages/progress.py", "pages/assignments.py", "pages/quiz.py"}

    print(f"{'page':28} {'median ms':>10} {'min ms':>8}  ({args.runs} reruns each)")
    for path, label, _icon in menu_entries():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if path != "app.py":
            at.switch_page(path)
        if path in signed_in:
            at.query_params["learner"] = learner.code
        at.run()
        if at.exception:
            print(f"{path:28} error: {at.exception[0].message}")
            continue
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t0) * 1000)
        print(f"{path:28} {statistics.median(times):10.1f} {min(times):8.1f}")


if __name__ == "__main__":
    main()
