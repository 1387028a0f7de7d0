"""A worker for tests/test_kill_during_write.py: writes quiz progress and results as a
learner would, and prints one line per write only once it is committed ("acknowledged").

    python tests/kill_worker.py URL SEED
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import db  # noqa: E402
from engine.learners import create_learner  # noqa: E402
from engine.quiz import history  # noqa: E402
from engine.quiz.session import advance, new_quiz, submit  # noqa: E402


def main(url: str, seed: int) -> None:
    engine = db.connect(url)
    rng = random.Random(seed)
    learner = create_learner(engine, f"Worker {seed}")
    print(f"learner {learner.id}", flush=True)
    while True:
        quiz = new_quiz(["iterations-per-epoch", "total-iterations"], 50, rng.randrange(1, 2**31))
        history.record(engine, None, quiz, learner.id)
        print(f"step {quiz.id} {quiz.step} {quiz.position}", flush=True)
        while not quiz.finished:
            question = quiz.question()
            answer = str(int(question.answer.value)) if rng.random() < 0.7 else "1"
            after, _ = submit(quiz, answer, quiz.step)
            if after is not quiz and history.record(engine, quiz, after, learner.id):
                quiz = after
                print(f"step {quiz.id} {quiz.step} {quiz.position}", flush=True)
            nxt = advance(quiz, quiz.step)
            if nxt is not quiz and history.record(engine, quiz, nxt, learner.id):
                quiz = nxt
                print(f"step {quiz.id} {quiz.step} {quiz.position}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
