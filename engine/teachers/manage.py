"""What a teacher does to an assignment after creating it, and the rules for each action.

- Title, due date, opening time, reveal policy, tries and late work: editable any time.
- Questions or exercise settings: changed in place while nobody has started; once someone has,
  the change becomes a new *version*: tries already made (and tries in progress) keep the
  version they were started under and are graded against it, new tries get the new one.
- Moving to another class: only while nobody has started (the tries belong to the class's
  students); otherwise duplicate it into the other class and delete this one.
- Delete archives (hidden from students and the gradebook, every try kept) and can be undone.
- Close early, and reopen.
- Per-student extensions: a student's own due date (lateness and closing follow it).

Every action takes the acting teacher (`engine.identity.accounts.Teacher`) and checks with
`classes.require_class` that the class is one they own or co-teach (`NotYourClass` otherwise).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db
from engine.identity.accounts import Teacher

from . import assignments as asg
from .classes import require_class
from .assignments import Assignment, AssignmentError, QuizSpec
from .simexercise import SimSpec
from .store import assignment_versions, assignments, attempts, extensions

_UNSET: Any = object()


@dataclass(frozen=True)
class Changed:
    assignment: Assignment
    new_version: bool  # True: someone had started, the change is a new version

    @property
    def message(self) -> str:
        if self.new_version:
            return (f"Saved as version {self.assignment.version}. Tries already made keep the "
                    "questions they were given; new tries get the new ones.")
        return "Saved. Nobody had started yet, so everyone gets the new version."


def assignment_for(engine: Engine, teacher: Teacher, assignment_id: int) -> Assignment:
    """The assignment, if it is in one of the teacher's classes (AssignmentError otherwise)."""
    a = asg.get_assignment(engine, assignment_id)
    if a is None:
        raise AssignmentError("This assignment no longer exists.")
    require_class(engine, teacher, a.class_id)
    return a


def started(engine: Engine, assignment_id: int) -> int:
    """How many students have opened a try of this assignment."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count(sa.distinct(attempts.c.learner_id)))
                            .where(attempts.c.assignment_id == assignment_id)).scalar_one()


def _check_times(opens_at: datetime | None, due_at: datetime | None) -> None:
    for moment in (opens_at, due_at):
        if moment is not None and moment.tzinfo is None:
            raise AssignmentError("A time needs a time zone.")
    if opens_at is not None and due_at is not None and due_at <= opens_at:
        raise AssignmentError("The due date must come after the opening time.")


def create(engine: Engine, teacher: Teacher, class_id: int, kind: str, title: str,
           spec: QuizSpec | SimSpec, opens_at: datetime | None = None, **settings) -> Assignment:
    """A new quiz or exercise in a class the teacher chose explicitly."""
    school_class = require_class(engine, teacher, class_id)
    _check_times(opens_at, settings.get("due_at"))
    if kind == asg.QUIZ:
        a = asg.create_quiz(engine, school_class, title, list(spec.kinds), spec.count, **settings)
    else:
        a = asg.create_simulation(engine, school_class, title, spec, **settings)
    if opens_at is not None:
        with db.write(engine) as conn:
            conn.execute(assignments.update().where(assignments.c.id == a.id).values(opens_at=opens_at))
        a = asg.get_assignment(engine, a.id)
    return a


def edit_settings(engine: Engine, teacher: Teacher, assignment_id: int, *, title: str = _UNSET,
                  due_at: datetime | None = _UNSET, opens_at: datetime | None = _UNSET,
                  reveal: str = _UNSET, tries_allowed: int = _UNSET,
                  accept_late: bool = _UNSET) -> Assignment:
    """Change what may change at any time. Tries already submitted stay as they are (a try
    submitted before a new due date keeps its late mark)."""
    a = assignment_for(engine, teacher, assignment_id)
    values: dict[str, Any] = {}
    if title is not _UNSET:
        values["title"] = asg.clean_text(title, "assignment", asg.TITLE_MAX)
    if due_at is not _UNSET:
        values["due_at"] = due_at
    if opens_at is not _UNSET:
        values["opens_at"] = opens_at
    if reveal is not _UNSET:
        values["reveal"] = reveal
    if tries_allowed is not _UNSET:
        values["tries_allowed"] = int(tries_allowed)
    if accept_late is not _UNSET:
        values["accept_late"] = bool(accept_late)
    asg._check_settings(values.get("tries_allowed", a.tries_allowed), values.get("reveal", a.reveal),
                        values.get("due_at", a.due_at))
    _check_times(values.get("opens_at", a.opens_at), values.get("due_at", a.due_at))
    if not values:
        return a
    with db.write(engine) as conn:
        conn.execute(assignments.update().where(assignments.c.id == a.id)
                     .values(updated_at=db.now(), **values))
    return asg.get_assignment(engine, a.id)


def change_spec(engine: Engine, teacher: Teacher, assignment_id: int, spec: QuizSpec | SimSpec) -> Changed:
    """New questions (a QuizSpec) or exercise settings (a SimSpec): in place while nobody has
    started, otherwise as a new version that keeps the old one for the tries made under it."""
    a = assignment_for(engine, teacher, assignment_id)
    wanted = QuizSpec if a.kind == asg.QUIZ else SimSpec
    if not isinstance(spec, wanted):
        raise AssignmentError("These settings are for the other kind of assignment.")
    new_spec = spec.model_dump(mode="json")
    if new_spec == a.spec:
        return Changed(a, new_version=False)
    with db.write(engine) as conn:
        # Counted inside the write transaction: a try started a moment ago makes this a version.
        begun = conn.execute(sa.select(attempts.c.id).where(attempts.c.assignment_id == a.id).limit(1)).first()
        current = conn.execute(sa.select(assignments.c.version).where(assignments.c.id == a.id)).scalar_one() or 1
        if begun is None:
            conn.execute(assignments.update().where(assignments.c.id == a.id)
                         .values(spec=new_spec, updated_at=db.now()))
            version = False
        else:
            conn.execute(assignment_versions.insert().values(
                assignment_id=a.id, version=current, spec=a.spec, created_at=db.now()))
            conn.execute(assignments.update().where(assignments.c.id == a.id)
                         .values(spec=new_spec, version=current + 1, updated_at=db.now()))
            version = True
    return Changed(asg.get_assignment(engine, a.id), new_version=version)


def move(engine: Engine, teacher: Teacher, assignment_id: int, class_id: int) -> Assignment:
    """Put an assignment in another of the teacher's classes, while nobody has started it."""
    a = assignment_for(engine, teacher, assignment_id)
    require_class(engine, teacher, class_id)
    if class_id == a.class_id:
        return a
    with db.write(engine) as conn:
        begun = conn.execute(sa.select(attempts.c.id).where(attempts.c.assignment_id == a.id).limit(1)).first()
        if begun is not None:
            raise AssignmentError("Students have already started this assignment, so it stays in its "
                                  "class. Duplicate it into the other class instead, then delete "
                                  "this one if it should not be here.")
        conn.execute(assignments.update().where(assignments.c.id == a.id)
                     .values(class_id=class_id, updated_at=db.now()))
    return asg.get_assignment(engine, a.id)


def duplicate(engine: Engine, teacher: Teacher, assignment_id: int, class_id: int,
              title: str | None = None) -> Assignment:
    """A copy (new link, no tries) in the same or another of the teacher's classes."""
    a = assignment_for(engine, teacher, assignment_id)
    school_class = require_class(engine, teacher, class_id)
    if title is None:
        title = a.title if class_id != a.class_id else f"{a.title} (copy)"[:asg.TITLE_MAX]
    settings = dict(tries_allowed=a.tries_allowed, reveal=a.reveal, due_at=a.due_at,
                    accept_late=a.accept_late)
    if a.kind == asg.QUIZ:
        spec = a.quiz_spec()
        copy = asg.create_quiz(engine, school_class, title, list(spec.kinds), spec.count, **settings)
    else:
        copy = asg.create_simulation(engine, school_class, title, a.sim_spec(), **settings)
    if a.opens_at is not None:
        with db.write(engine) as conn:
            conn.execute(assignments.update().where(assignments.c.id == copy.id).values(opens_at=a.opens_at))
        copy = asg.get_assignment(engine, copy.id)
    return copy


def archive(engine: Engine, teacher: Teacher, assignment_id: int) -> Assignment:
    """Delete: students no longer see it, the gradebook leaves it out; every try is kept."""
    a = assignment_for(engine, teacher, assignment_id)
    with db.write(engine) as conn:
        conn.execute(assignments.update().where(assignments.c.id == a.id, assignments.c.archived_at.is_(None))
                     .values(archived_at=db.now(), updated_at=db.now()))
    return asg.get_assignment(engine, a.id)


def restore(engine: Engine, teacher: Teacher, assignment_id: int) -> Assignment:
    """Undo a delete: back as it was, tries included."""
    a = assignment_for(engine, teacher, assignment_id)
    with db.write(engine) as conn:
        conn.execute(assignments.update().where(assignments.c.id == a.id)
                     .values(archived_at=None, updated_at=db.now()))
    return asg.get_assignment(engine, a.id)


def close(engine: Engine, teacher: Teacher, assignment_id: int, now: datetime | None = None) -> Assignment:
    a = assignment_for(engine, teacher, assignment_id)
    with db.write(engine) as conn:
        conn.execute(assignments.update().where(assignments.c.id == a.id, assignments.c.closed_at.is_(None))
                     .values(closed_at=now or db.now(), updated_at=db.now()))
    return asg.get_assignment(engine, a.id)


def reopen(engine: Engine, teacher: Teacher, assignment_id: int, now: datetime | None = None) -> Assignment:
    """Open a closed assignment again. If its due date has passed and late work was refused,
    late work is accepted from now on (marked late), or reopening would change nothing."""
    a = assignment_for(engine, teacher, assignment_id)
    now = now or db.now()
    values: dict[str, Any] = {"closed_at": None, "updated_at": db.now()}
    if a.is_past_due(now) and not a.accept_late:
        values["accept_late"] = True
    with db.write(engine) as conn:
        conn.execute(assignments.update().where(assignments.c.id == a.id).values(**values))
    return asg.get_assignment(engine, a.id)


# --- extensions -----------------------------------------------------------------------------

def set_extension(engine: Engine, teacher: Teacher, assignment_id: int, learner_id: int,
                  due_at: datetime | None) -> None:
    """Give one student their own due date (None removes it)."""
    a = assignment_for(engine, teacher, assignment_id)
    from .classes import is_member
    if not is_member(engine, a.class_id, learner_id):
        raise AssignmentError("This student is not in the assignment's class.")
    if due_at is not None and due_at.tzinfo is None:
        raise AssignmentError("The due date needs a time zone.")
    with db.write(engine) as conn:
        conn.execute(extensions.delete().where(extensions.c.assignment_id == a.id,
                                               extensions.c.learner_id == learner_id))
        if due_at is not None:
            conn.execute(extensions.insert().values(assignment_id=a.id, learner_id=learner_id,
                                                    due_at=due_at, created_at=db.now()))


def extensions_of(engine: Engine, assignment_ids: list[int]) -> dict[tuple[int, int], datetime]:
    """(learner_id, assignment_id) -> that student's own due date."""
    if not assignment_ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(sa.select(extensions).where(extensions.c.assignment_id.in_(assignment_ids))).all()
    return {(r.learner_id, r.assignment_id): r.due_at for r in rows}
