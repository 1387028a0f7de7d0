"""Assignments: quizzes and simulator exercises given by link, tried, graded on the server.

Variants. Each student gets their own questions, as Moodle does: the seed of question i is a
hash of (student, assignment code, i, try number), so the same student reopening the same
try sees the same questions, and each try brings fresh numbers (a try after seeing the
answers is not a copy exercise). The generated questions, answers included, are stored in the
attempt's `variant` when the try starts, and graded from there: what was graded is what was
shown, even if a question template changes later.

Tries and grading. A submission grades every answer on the server (`engine.quiz.grade`, or a
re-run of the simulator). Unreadable input is sent back with a message and uses no try. The
grade is written with one conditional UPDATE (`... WHERE submitted_at IS NULL`) carrying a
unique `submission_key`, so a double click, a retry after a lost connection, or two tabs
submitting the same try at once are stored exactly once. A submission after the due date is
kept and marked late (or refused, if the teacher does not accept late work).

What a student sees (`reveal`): see REVEAL and `visibility`. Correct answers and worked
solutions never leave the server before the policy allows (`student_items` strips them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone, tzinfo
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.engine import Engine

from engine import db
from engine.quiz import TEMPLATES, Question, generate, grade

from . import simexercise
from .classes import SchoolClass, clean_text, get_class, join_class, removed_from, removed_note
from .links import ASSIGNMENT_KEY, ClosedLink, UnknownLink, read_code
from .simexercise import InvalidSubmission, SimSpec
from .store import assignment_versions, assignments, attempts, extensions, new_code

QUIZ, SIMULATOR = "quiz", "simulator"
TITLE_MAX = 100
MAX_QUESTIONS = 30
MAX_TRIES = 10
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{8,80}$")

REVEAL: dict[str, str] = {
    "each_try": "After each try: right or wrong, feedback, correct answers and worked solutions",
    "last_try": "Feedback after each try; correct answers and solutions after the last try or the due date",
    "due": "Right or wrong after each try; feedback, answers and solutions after the due date",
    "never": "Score only (no answers shown to students)",
}


class AssignmentError(ValueError):
    """Something the student or teacher can act on; `str(error)` is the message."""


class NoTriesLeft(AssignmentError):
    pass


class AlreadySubmitted(AssignmentError):
    pass


class QuizSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kinds: tuple[str, ...] = Field(min_length=1)  # quiz template ids, asked in turn
    count: int = Field(5, ge=1, le=MAX_QUESTIONS)

    @field_validator("kinds")
    @classmethod
    def _known(cls, kinds: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in kinds if k not in TEMPLATES]
        if unknown:
            raise ValueError(f"unknown question kinds: {', '.join(unknown)}")
        return tuple(dict.fromkeys(kinds))


@dataclass(frozen=True)
class Assignment:
    id: int
    code: str
    class_id: int
    kind: str
    title: str
    spec: dict[str, Any]
    tries_allowed: int
    reveal: str
    due_at: datetime | None
    accept_late: bool
    closed_at: datetime | None
    created_at: datetime
    archived_at: datetime | None = None   # deleted by the teacher (restorable)
    opens_at: datetime | None = None      # scheduled: students cannot start before
    version: int = 1                      # bumped when questions change after someone started
    extended: bool = False                # due_at is this student's own (an extension)

    def quiz_spec(self) -> QuizSpec:
        return QuizSpec.model_validate(self.spec)

    def sim_spec(self) -> SimSpec:
        return SimSpec.model_validate(self.spec)

    def link_query(self) -> dict[str, str]:
        return {ASSIGNMENT_KEY: self.code}

    def is_past_due(self, now: datetime) -> bool:
        return self.due_at is not None and now > self.due_at

    def state(self, now: datetime) -> str:
        """"archived", "scheduled" (not open yet), "closed" or "open", as the gradebook says."""
        if self.archived_at is not None:
            return "archived"
        if self.opens_at is not None and now < self.opens_at:
            return "scheduled"
        if self.closed_at is not None and now >= self.closed_at:
            return "closed"
        if self.is_past_due(now) and not self.accept_late:
            return "closed"
        return "open"

    def closed_reason(self, now: datetime, zone: tzinfo = timezone.utc) -> str | None:
        """Why no more work is accepted now, or None while it is open."""
        if self.archived_at is not None:
            return f"“{self.title}” was removed by your teacher."
        if self.opens_at is not None and now < self.opens_at:
            return f"“{self.title}” opens on {when(self.opens_at, zone)}. Come back then."
        if self.closed_at is not None and now >= self.closed_at:
            return f"“{self.title}” was closed by your teacher on {when(self.closed_at, zone)}."
        if self.is_past_due(now) and not self.accept_late:
            due = "your extended due date" if self.extended else "due"
            return (f"“{self.title}” was {due} on {when(self.due_at, zone)} and late work is not "
                    "accepted. Ask your teacher if you need more time.")
        return None


@dataclass(frozen=True)
class Attempt:
    id: int
    assignment_id: int
    learner_id: int
    try_no: int
    opened_at: datetime
    variant: dict[str, Any]
    submitted_at: datetime | None
    responses: Any
    results: list[dict[str, Any]] | None
    points: float | None
    max_points: float | None
    late: bool | None
    submission_key: str | None = None
    spec_version: int = 1

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def score(self) -> float | None:
        """Share of points, 0..1 (None before submission)."""
        if self.points is None or not self.max_points:
            return None
        return self.points / self.max_points

    def questions(self) -> list[Question]:
        return [Question.from_dict(q) for q in self.variant.get("questions", [])]


@dataclass(frozen=True)
class Submitted:
    attempt: Attempt
    repeated: bool  # True when this exact submission had already been stored (double click)


def when(moment: datetime | None, zone: tzinfo = timezone.utc) -> str:
    """A moment in the school's time zone, the zone named: "2026-12-01 23:59 Europe/London"."""
    if moment is None:
        return "—"
    name = getattr(zone, "key", None) or ("UTC" if zone is timezone.utc else str(zone))
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} {name}"


def _assignment(row) -> Assignment:
    m = row._mapping
    return Assignment(id=row.id, code=row.code, class_id=row.class_id, kind=row.kind, title=row.title,
                      spec=row.spec, tries_allowed=row.tries_allowed, reveal=row.reveal,
                      due_at=row.due_at, accept_late=row.accept_late, closed_at=row.closed_at,
                      created_at=row.created_at, archived_at=m.get("archived_at"),
                      opens_at=m.get("opens_at"), version=m.get("version") or 1)


def _attempt(row) -> Attempt:
    return Attempt(id=row.id, assignment_id=row.assignment_id, learner_id=row.learner_id,
                   try_no=row.try_no, opened_at=row.opened_at, variant=row.variant,
                   submitted_at=row.submitted_at, responses=row.responses, results=row.results,
                   points=row.points, max_points=row.max_points, late=row.late,
                   submission_key=row.submission_key,
                   spec_version=row._mapping.get("spec_version") or 1)


# --- creating and finding -------------------------------------------------------------------

def _check_settings(tries_allowed: int, reveal: str, due_at: datetime | None) -> None:
    if not 1 <= int(tries_allowed) <= MAX_TRIES:
        raise AssignmentError(f"Allow from 1 to {MAX_TRIES} tries.")
    if reveal not in REVEAL:
        raise AssignmentError(f"Unknown reveal policy {reveal!r}.")
    if due_at is not None and due_at.tzinfo is None:
        raise AssignmentError("The due date needs a time zone.")


def _create(engine: Engine, school_class: SchoolClass, kind: str, title: str, spec: dict,
            tries_allowed: int, reveal: str, due_at: datetime | None, accept_late: bool) -> Assignment:
    title = clean_text(title, "assignment", TITLE_MAX)
    _check_settings(tries_allowed, reveal, due_at)
    for _ in range(3):
        try:
            with db.write(engine) as conn:
                new_id = conn.execute(assignments.insert().values(
                    code=new_code(), class_id=school_class.id, kind=kind, title=title, spec=spec,
                    tries_allowed=int(tries_allowed), reveal=reveal, due_at=due_at,
                    accept_late=bool(accept_late), closed_at=None, created_at=db.now())
                ).inserted_primary_key[0]
                return _assignment(conn.execute(sa.select(assignments).where(assignments.c.id == new_id)).one())
        except sa.exc.IntegrityError:
            continue
    raise RuntimeError("could not create a unique assignment code")


def create_quiz(engine: Engine, school_class: SchoolClass, title: str, kinds: list[str], count: int,
                tries_allowed: int = 1, reveal: str = "last_try", due_at: datetime | None = None,
                accept_late: bool = True) -> Assignment:
    if not kinds:
        raise AssignmentError("Choose at least one question kind.")
    try:
        spec = QuizSpec(kinds=tuple(kinds), count=count)
    except ValueError as exc:
        raise AssignmentError(_first_message(exc)) from None
    return _create(engine, school_class, QUIZ, title, spec.model_dump(mode="json"),
                   tries_allowed, reveal, due_at, accept_late)


def create_simulation(engine: Engine, school_class: SchoolClass, title: str, spec: SimSpec,
                      tries_allowed: int = 3, reveal: str = "last_try",
                      due_at: datetime | None = None, accept_late: bool = True) -> Assignment:
    return _create(engine, school_class, SIMULATOR, title, spec.model_dump(mode="json"),
                   tries_allowed, reveal, due_at, accept_late)


def sim_spec(**fields) -> SimSpec:
    """A SimSpec from a teacher's form, or AssignmentError with the first problem in words."""
    try:
        return SimSpec(**fields)
    except ValueError as exc:
        raise AssignmentError(_first_message(exc)) from None


def _first_message(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        e = errors()[0]
        where = ".".join(str(p) for p in e.get("loc", ()))
        msg = str(e.get("msg", "")).removeprefix("Value error, ")
        return f"{where}: {msg}" if where else msg
    return str(exc)


def find_assignment(engine: Engine, code_or_link: str) -> Assignment:
    code = read_code(code_or_link, ASSIGNMENT_KEY, "assignment")
    with engine.connect() as conn:
        row = conn.execute(sa.select(assignments).where(assignments.c.code == code)).first()
    if row is None:
        raise UnknownLink("No assignment has this link. Check that you copied all of it, or ask "
                          "your teacher for the link again.")
    return _assignment(row)


def get_assignment(engine: Engine, assignment_id: int) -> Assignment | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(assignments).where(assignments.c.id == assignment_id)).first()
    return _assignment(row) if row else None


def list_assignments(engine: Engine, class_id: int | None = None,
                     archived: bool = False) -> list[Assignment]:
    """A class's assignments, oldest first; deleted (archived) ones only with `archived=True`
    (then only those)."""
    query = sa.select(assignments).order_by(assignments.c.created_at, assignments.c.id)
    if class_id is not None:
        query = query.where(assignments.c.class_id == class_id)
    query = query.where(assignments.c.archived_at.is_not(None) if archived
                        else assignments.c.archived_at.is_(None))
    with engine.connect() as conn:
        return [_assignment(r) for r in conn.execute(query).all()]


def close_assignment(engine: Engine, assignment_id: int, now: datetime | None = None) -> None:
    with db.write(engine) as conn:
        conn.execute(assignments.update().where(assignments.c.id == assignment_id,
                                                assignments.c.closed_at.is_(None))
                     .values(closed_at=now or db.now()))


# --- variants and tries ---------------------------------------------------------------------

STUDENT_SEEDS_FROM = 2**30  # students' seeds are at or above this; public exports stay below


def variant_seed(learner_id: int, assignment_code: str, index: int, try_no: int) -> int:
    """The seed of one student's question `index` in try `try_no` (31 bits): an HMAC keyed by
    the server secret (`engine.identity.keys`), so nobody can work it out from the learner's
    number, the assignment code and the public source. The try stores what it was given.
    Seeds are in [2**30, 2**31): the quiz page's public export keeps to smaller numbers."""
    from engine.identity import keys
    text = f"batchwise-variant|{learner_id}|{assignment_code}|{index}|{try_no}"
    return (int.from_bytes(keys.mac(text)[:8], "big") & (STUDENT_SEEDS_FROM - 1)) | STUDENT_SEEDS_FROM


def extension_due(engine: Engine, assignment_id: int, learner_id: int) -> datetime | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(extensions.c.due_at).where(
            extensions.c.assignment_id == assignment_id,
            extensions.c.learner_id == learner_id)).scalar_one_or_none()


def as_seen_by(engine: Engine, assignment: Assignment, learner_id: int) -> Assignment:
    """The assignment as one student has it: with their own due date if they have an
    extension. Lateness, closing and the reveal policy all follow from it."""
    due = extension_due(engine, assignment.id, learner_id)
    return assignment if due is None else replace(assignment, due_at=due, extended=True)


def spec_of(engine: Engine, assignment: Assignment, version: int) -> dict[str, Any]:
    """The questions or exercise settings of `version` (the current one, or a kept earlier one)."""
    if version == assignment.version:
        return assignment.spec
    with engine.connect() as conn:
        spec = conn.execute(sa.select(assignment_versions.c.spec).where(
            assignment_versions.c.assignment_id == assignment.id,
            assignment_versions.c.version == version)).scalar_one_or_none()
    return spec if spec is not None else assignment.spec


def make_variant(assignment: Assignment, learner_id: int, try_no: int) -> dict[str, Any]:
    if assignment.kind == QUIZ:
        spec = assignment.quiz_spec()
        questions = []
        for i in range(spec.count):
            kind = spec.kinds[i % len(spec.kinds)]
            questions.append(generate(kind, variant_seed(learner_id, assignment.code, i, try_no)).to_dict())
        return {"questions": questions}
    spec = assignment.sim_spec()
    start = simexercise.start_for(spec, variant_seed(learner_id, assignment.code, 0, try_no))
    return {"start": start.model_dump(mode="json")}


def attempts_of(engine: Engine, assignment_id: int, learner_id: int) -> list[Attempt]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(attempts).where(attempts.c.assignment_id == assignment_id,
                                                      attempts.c.learner_id == learner_id)
                            .order_by(attempts.c.try_no)).all()
    return [_attempt(r) for r in rows]


def tries_used(tries: list[Attempt]) -> int:
    return sum(1 for a in tries if a.submitted)


def start_try(engine: Engine, assignment: Assignment, learner_id: int,
              now: datetime | None = None) -> Attempt:
    """The learner's open try, or a new one if none is open. Opening an assignment link also
    puts the learner in the assignment's class (the link is as good as the join link).

    Raises ClosedLink when the assignment accepts no more work (or the teacher removed the
    learner from the class), NoTriesLeft when all are used.
    """
    now = now or db.now()
    assignment = as_seen_by(engine, assignment, learner_id)
    school_class = get_class(engine, assignment.class_id)
    if school_class is not None:
        if removed_from(engine, school_class.id, learner_id):
            raise ClosedLink(removed_note(school_class))  # their work would be hidden from the teacher
        join_class(engine, school_class, learner_id)
    for _ in range(3):
        tries = attempts_of(engine, assignment.id, learner_id)
        if tries and not tries[-1].submitted:
            return tries[-1]
        reason = assignment.closed_reason(now)
        if reason:
            raise ClosedLink(reason)
        if len(tries) >= assignment.tries_allowed:
            raise NoTriesLeft(f"You have used all {assignment.tries_allowed} "
                              f"{'try' if assignment.tries_allowed == 1 else 'tries'} of “{assignment.title}”.")
        try_no = len(tries) + 1
        variant = make_variant(assignment, learner_id, try_no)
        try:
            with db.write(engine) as conn:
                conn.execute(attempts.insert().values(
                    assignment_id=assignment.id, learner_id=learner_id, try_no=try_no,
                    opened_at=now, variant=variant, spec_version=assignment.version))
        except sa.exc.IntegrityError:
            continue  # another tab started this try at the same moment: use theirs
    raise AssignmentError("Could not start a try; please reload the page.")


# --- submitting -----------------------------------------------------------------------------

def _by_key(engine: Engine, key: str) -> Attempt | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(attempts).where(attempts.c.submission_key == key)).first()
    return _attempt(row) if row else None


def _get_attempt(engine: Engine, attempt_id: int) -> Attempt | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(attempts).where(attempts.c.id == attempt_id)).first()
    return _attempt(row) if row else None


def grade_quiz(attempt: Attempt, responses: list[str]) -> list[dict[str, Any]]:
    """Grade every answer of a quiz try. Raises InvalidSubmission if any answer is unreadable."""
    questions = attempt.questions()
    responses = list(responses or [])
    responses += [""] * (len(questions) - len(responses))
    items, problems = [], {}
    for i, (q, response) in enumerate(zip(questions, responses), start=1):
        g = grade(q, str(response)[:200])
        if g.status == "invalid":
            problems[f"Question {i}"] = g.feedback
            continue
        items.append({"kind_id": q.template_id, "kind": q.kind, "prompt": q.prompt,
                      "status": g.status, "points": 1 if g.status == "correct" else 0,
                      "response": str(response)[:200], "read_as": g.read_as,
                      "feedback": g.feedback, "correct_answer": g.correct_answer,
                      "solution": list(g.solution), "mistake": g.mistake})
    if problems:
        raise InvalidSubmission(problems)
    return items


def submit(engine: Engine, assignment: Assignment, learner_id: int, attempt_id: int,
           responses: Any, key: str, now: datetime | None = None) -> Submitted:
    """Grade and store one try.

    `responses`: for a quiz, the answers in question order; for a simulator exercise,
    {"config": {field: value}, "answers": {question id: text}}. `key` identifies this
    submission (the page makes one per try): sending it again returns the stored result.
    Raises InvalidSubmission (nothing stored, no try used), ClosedLink, AlreadySubmitted.
    """
    now = now or db.now()
    assignment = as_seen_by(engine, assignment, learner_id)
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise AssignmentError("This submission is missing its key; reload the page and submit again.")
    stored = _by_key(engine, key)
    if stored is not None:
        if stored.learner_id != learner_id or stored.assignment_id != assignment.id:
            raise AlreadySubmitted("This submission belongs to someone else; reload the page.")
        return Submitted(stored, repeated=True)
    attempt = _get_attempt(engine, attempt_id)
    if attempt is None or attempt.learner_id != learner_id or attempt.assignment_id != assignment.id:
        raise AssignmentError("This try does not exist any more; reload the page.")
    if attempt.submitted:
        if attempt.submission_key == key:  # the same submit, stored a moment ago
            return Submitted(attempt, repeated=True)
        raise AlreadySubmitted(f"Try {attempt.try_no} was already submitted.")
    reason = assignment.closed_reason(now)
    if reason:
        raise ClosedLink(reason + " Your answers were not submitted.")

    if assignment.kind == QUIZ:
        answers = [str(r)[:200] for r in (responses or [])]
        items = grade_quiz(attempt, answers)
        stored_responses: Any = answers
        notes: list[str] = []
    else:
        responses = responses or {}
        # Graded against the settings the try was started under (an earlier version's, if the
        # teacher changed the exercise since).
        spec = SimSpec.model_validate(spec_of(engine, assignment, attempt.spec_version))
        start = simexercise.SimConfig.model_validate(attempt.variant["start"])
        items, config, notes = simexercise.grade_run(spec, start, responses.get("config") or {},
                                                      responses.get("answers") or {})
        stored_responses = {"config": config.model_dump(mode="json"),
                            "answers": {k: str(v)[:60] for k, v in (responses.get("answers") or {}).items()
                                        if k in spec.questions},
                            "notes": notes}
    points = float(sum(i["points"] for i in items))
    late = assignment.is_past_due(now)
    try:
        with db.write(engine) as conn:
            done = conn.execute(attempts.update().where(
                attempts.c.id == attempt.id, attempts.c.submitted_at.is_(None)
            ).values(submitted_at=now, responses=stored_responses, results=items, points=points,
                     max_points=float(len(items)), late=late, submission_key=key)).rowcount
    except sa.exc.IntegrityError:
        done = 0  # the same key was stored a moment ago by a concurrent double click
    fresh = _get_attempt(engine, attempt.id)
    if done == 1:
        return Submitted(fresh, repeated=False)
    if fresh.submission_key == key:
        return Submitted(fresh, repeated=True)
    raise AlreadySubmitted(f"Try {attempt.try_no} was already submitted (from another tab?).")


# --- what the student may see ---------------------------------------------------------------

@dataclass(frozen=True)
class Visibility:
    right_or_wrong: bool
    feedback: bool
    answers: bool  # correct answers and worked solutions


def visibility(assignment: Assignment, tries: list[Attempt], now: datetime) -> Visibility:
    done = tries_used(tries) >= assignment.tries_allowed
    # Over: past (this student's) due date, or closed by the teacher. A scheduled or archived
    # assignment is not "over", so neither reveals answers.
    over = assignment.is_past_due(now) or (assignment.closed_at is not None and now >= assignment.closed_at)
    if assignment.reveal == "each_try":
        return Visibility(True, True, True)
    if assignment.reveal == "last_try":
        return Visibility(True, True, done or over)
    if assignment.reveal == "due":
        after = over if assignment.due_at is not None else done or over
        return Visibility(True, after, after)
    return Visibility(False, False, False)


def student_items(attempt: Attempt, vis: Visibility) -> list[dict[str, Any]]:
    """The graded items of a submitted try, with everything the policy hides removed."""
    out = []
    for item in attempt.results or []:
        shown = {"kind": item["kind"], "prompt": item["prompt"], "response": item.get("response", "")}
        if vis.right_or_wrong:
            shown["status"] = item["status"]
        if vis.feedback:
            shown["feedback"] = item.get("feedback", "")
        if vis.answers:
            shown["correct_answer"] = item.get("correct_answer", "")
            shown["solution"] = list(item.get("solution", []))
        out.append(shown)
    return out


def public_questions(attempt: Attempt) -> list[dict[str, Any]]:
    """What the page needs to show an open quiz try: no answers, no known mistakes."""
    return [q.public_dict() for q in attempt.questions()]


def best(tries: list[Attempt]) -> Attempt | None:
    """The try that counts: the best score (the earliest among equals)."""
    done = [a for a in tries if a.submitted]
    return max(done, key=lambda a: (a.score or 0.0, -a.try_no)) if done else None
