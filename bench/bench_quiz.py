"""How long generating and grading quiz questions takes (prints figures; asserts nothing).

    .venv/bin/python bench/bench_quiz.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.quiz import TEMPLATES, generate, grade  # noqa: E402
from engine.quiz.export import to_gift, to_moodle_xml, variants  # noqa: E402

SEEDS = range(1_000)


def main() -> None:
    generate("concept-term", 0)  # load the lesson once, as a running server has
    print(f"{'kind':32} {'generate µs':>12} {'grade µs':>10}")
    for tid in TEMPLATES:
        t0 = time.perf_counter()
        questions = [generate(tid, s) for s in SEEDS]
        t1 = time.perf_counter()
        responses = [(q, m.value) for q in questions for m in q.mistakes] + [(q, q.answer.value) for q in questions]
        for q, r in responses:
            grade(q, r)
        t2 = time.perf_counter()
        print(f"{tid:32} {(t1 - t0) / len(questions) * 1e6:12.0f} {(t2 - t1) / len(responses) * 1e6:10.0f}")
    qs = variants(list(TEMPLATES), range(20))
    t0 = time.perf_counter()
    xml = to_moodle_xml(qs)
    t1 = time.perf_counter()
    gift = to_gift(qs)
    t2 = time.perf_counter()
    print(f"export {len(qs)} variants: Moodle XML {(t1 - t0) * 1e3:.0f} ms ({len(xml) / 1e3:.0f} kB), "
          f"GIFT {(t2 - t1) * 1e3:.0f} ms ({len(gift) / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
