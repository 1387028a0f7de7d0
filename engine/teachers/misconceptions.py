"""The class's misconceptions: every wrong answer graded against a named mistake, counted.

For a class (or one assignment): each named mistake, ranked by how many students made it,
with who, on which questions, and the lesson's misconception entry to reteach from. For a
student: their own most frequent mistakes (assignments and practice quizzes together).
Only submitted tries count; a student's repeated slip counts once per student in the
ranking and every time in `times`.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from engine.quiz.mistakes import lesson_misconception, mistake_name

from .gradebook import Gradebook, to_csv

CSV_COLUMNS = ["mistake_id", "mistake", "students", "times", "student_names", "student_ids",
               "questions", "assignments", "lesson_entry", "reteach"]


@dataclass(frozen=True)
class ClassMistake:
    mistake_id: str
    name: str
    students: tuple[tuple[int, str], ...]   # (learner id, name), by name
    times: int
    questions: tuple[str, ...]              # question kinds it was made on, most often first
    assignments: tuple[str, ...]
    lesson: dict[str, str] | None           # the lesson's entry (title, wrong, why, right)

    def to_dict(self) -> dict[str, Any]:
        return {"mistake_id": self.mistake_id, "name": self.name, "students": list(self.students),
                "times": self.times, "questions": list(self.questions),
                "assignments": list(self.assignments), "lesson": self.lesson}


@dataclass
class _Tally:
    students: dict[int, str] = field(default_factory=dict)
    times: int = 0
    questions: Counter = field(default_factory=Counter)
    assignments: dict[int, str] = field(default_factory=dict)


def class_mistakes(book: Gradebook, assignment_id: int | None = None) -> list[ClassMistake]:
    """Named mistakes in the class's submitted tries (of one assignment, if given), ranked by
    how many students made them, then how often."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for (learner_id, a_id), cell in book.cells.items():
        if assignment_id is not None and a_id != assignment_id:
            continue
        for t in cell.tries:
            if not t.submitted:
                continue
            for item in t.results or []:
                mistake = item.get("mistake")
                if not mistake or item.get("status") == "correct":
                    continue
                tally = tallies[mistake]
                tally.students[learner_id] = cell.member.display_name
                tally.times += 1
                tally.questions[item.get("kind", "")] += 1
                tally.assignments[a_id] = cell.assignment.title
    out = [ClassMistake(
        mistake_id=m, name=mistake_name(m),
        students=tuple(sorted(t.students.items(), key=lambda p: (p[1].casefold(), p[0]))),
        times=t.times, questions=tuple(q for q, _ in t.questions.most_common()),
        assignments=tuple(t.assignments[i] for i in sorted(t.assignments)),
        lesson=lesson_misconception(m)) for m, t in tallies.items()]
    return sorted(out, key=lambda c: (-len(c.students), -c.times, c.name))


def csv(mistakes: list[ClassMistake]) -> bytes:
    rows = [{"mistake_id": c.mistake_id, "mistake": c.name, "students": len(c.students), "times": c.times,
             "student_names": "; ".join(n for _, n in c.students),
             "student_ids": "; ".join(str(i) for i, _ in c.students),
             "questions": "; ".join(c.questions), "assignments": "; ".join(c.assignments),
             "lesson_entry": (c.lesson or {}).get("title", ""),
             "reteach": (c.lesson or {}).get("right", "")} for c in mistakes]
    return to_csv(rows, CSV_COLUMNS, ("mistake", "student_names", "questions", "assignments",
                                      "lesson_entry", "reteach"))


@dataclass(frozen=True)
class OwnMistake:
    mistake_id: str
    name: str
    times: int
    lesson: dict[str, str] | None


def learner_mistakes(engine: Engine, learner_id: int, limit: int = 5) -> list[OwnMistake]:
    """A student's own most frequent named mistakes: submitted assignment tries and finished
    practice-quiz questions."""
    import sqlalchemy as sa

    from engine.quiz import history

    from .store import attempts

    counts: Counter = Counter()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(attempts.c.results).where(
            attempts.c.learner_id == learner_id, attempts.c.submitted_at.is_not(None))).all()
    for (results,) in rows:
        for item in results or []:
            if item.get("mistake") and item.get("status") != "correct":
                counts[item["mistake"]] += 1
    for result in history.load(engine, learner_id):
        for m in result.mistakes:
            counts[m] += 1
    return [OwnMistake(m, mistake_name(m), n, lesson_misconception(m))
            for m, n in sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:limit]]
