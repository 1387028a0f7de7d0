"""The teachers' tables: classes, members, assignments, attempts, and wrong-passcode tries.

Codes in links (`?join=CODE`, `?assignment=CODE`) are 96 random bits (`secrets.token_urlsafe`),
so nobody finds a class or an assignment by guessing. They are stored as they are (the teacher
needs to show a link again); a learner's own resume code stays hashed in `engine.learners`.

An attempt is one try at one assignment by one learner. Its `variant` holds exactly what that
learner was given (the generated questions with their answers, or the exercise's start
configuration with the learner's own seed), so grading and a teacher's review later use what
the learner saw. `submission_key` is unique: a double-clicked or retried submit carries the
same key and is stored once. `(assignment_id, learner_id, try_no)` is unique too, so two tabs
starting "try 2" at once still make one try 2.
"""
from __future__ import annotations

import re
import secrets

import sqlalchemy as sa

from engine import db
# Registered first, so its migration runs before ours: our foreign keys point at learners.id,
# and PostgreSQL (unlike SQLite) refuses a foreign key to a table that does not exist yet.
from engine import learners  # noqa: F401

CODE_BYTES = 12   # 96 random bits -> 16 URL-safe characters
CODE_LENGTH = 16
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{%d}$" % CODE_LENGTH)

classes = sa.Table(
    "classes", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(32), nullable=False, unique=True),
    sa.Column("name", sa.String(400), nullable=False),
    sa.Column("created_by", sa.String(320), nullable=True),  # the teacher's e-mail with OIDC
    sa.Column("created_at", db.UTCDateTime, nullable=False),
)

class_members = sa.Table(
    "class_members", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("joined_at", db.UTCDateTime, nullable=False),
    sa.UniqueConstraint("class_id", "learner_id", name="uq_class_members_class_learner"),
)

assignments = sa.Table(
    "assignments", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(32), nullable=False, unique=True),
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # "quiz" or "simulator"
    sa.Column("title", sa.String(400), nullable=False),
    sa.Column("spec", sa.JSON, nullable=False),  # QuizSpec or SimSpec as a dict
    sa.Column("tries_allowed", sa.Integer, nullable=False),
    sa.Column("reveal", sa.String(16), nullable=False),
    sa.Column("due_at", db.UTCDateTime, nullable=True),
    sa.Column("accept_late", sa.Boolean, nullable=False),
    sa.Column("closed_at", db.UTCDateTime, nullable=True),
    sa.Column("created_at", db.UTCDateTime, nullable=False),
)

attempts = sa.Table(
    "assignment_attempts", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("assignment_id", sa.Integer, sa.ForeignKey("assignments.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("try_no", sa.Integer, nullable=False),
    sa.Column("opened_at", db.UTCDateTime, nullable=False),
    sa.Column("variant", sa.JSON, nullable=False),
    sa.Column("submitted_at", db.UTCDateTime, nullable=True),
    sa.Column("responses", sa.JSON, nullable=True),
    sa.Column("results", sa.JSON, nullable=True),
    sa.Column("points", sa.Float, nullable=True),
    sa.Column("max_points", sa.Float, nullable=True),
    sa.Column("late", sa.Boolean, nullable=True),
    sa.Column("submission_key", sa.String(80), nullable=True, unique=True),
    sa.UniqueConstraint("assignment_id", "learner_id", "try_no", name="uq_attempts_try"),
)

login_failures = sa.Table(
    "teacher_login_failures", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scope", sa.String(80), nullable=False, index=True),
    sa.Column("failed_at", db.UTCDateTime, nullable=False, index=True),
)


def _v1(conn):
    for table in (classes, class_members, assignments, attempts, login_failures):
        db.create_table(conn, table)


db.register("teachers", [_v1])

# --- the classroom additions (a feature of their own, so the teachers' migrations and ours
# never have to be ordered against each other) --------------------------------------------------
# assignments: archived (deleted, restorable), opens_at (scheduled), version (bumped when the
# questions change after someone started); attempts: the version they were started under.
ARCHIVED_AT = sa.Column("archived_at", db.UTCDateTime, nullable=True)
OPENS_AT = sa.Column("opens_at", db.UTCDateTime, nullable=True)
VERSION = sa.Column("version", sa.Integer, nullable=True)  # None reads as 1
UPDATED_AT = sa.Column("updated_at", db.UTCDateTime, nullable=True)
for _column in (ARCHIVED_AT, OPENS_AT, VERSION, UPDATED_AT):
    assignments.append_column(_column)
SPEC_VERSION = sa.Column("spec_version", sa.Integer, nullable=True)  # None reads as 1
attempts.append_column(SPEC_VERSION)

# Earlier versions' questions or exercise settings, kept for the tries made under them.
assignment_versions = sa.Table(
    "assignment_versions", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("assignment_id", sa.Integer, sa.ForeignKey("assignments.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("spec", sa.JSON, nullable=False),
    sa.Column("created_at", db.UTCDateTime, nullable=False),
    sa.UniqueConstraint("assignment_id", "version", name="uq_assignment_versions"),
)

# A student's own due date on one assignment.
extensions = sa.Table(
    "assignment_extensions", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("assignment_id", sa.Integer, sa.ForeignKey("assignments.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("due_at", db.UTCDateTime, nullable=False),
    sa.Column("created_at", db.UTCDateTime, nullable=False),
    sa.UniqueConstraint("assignment_id", "learner_id", name="uq_extensions"),
)

# The teacher's grade for a student on one assignment, replacing the best try's score.
overrides = sa.Table(
    "grade_overrides", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("assignment_id", sa.Integer, sa.ForeignKey("assignments.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("score_percent", sa.Float, nullable=False),
    sa.Column("comment", sa.String(2000), nullable=False),
    sa.Column("by_teacher", sa.String(320), nullable=True),
    sa.Column("updated_at", db.UTCDateTime, nullable=False),
    sa.UniqueConstraint("assignment_id", "learner_id", name="uq_overrides"),
)

# What a student has typed into a try not yet submitted, saved as they type.
drafts = sa.Table(
    "assignment_drafts", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("attempt_id", sa.Integer, sa.ForeignKey("assignment_attempts.id", ondelete="CASCADE"),
              nullable=False, unique=True),
    sa.Column("fields", sa.JSON, nullable=False),
    sa.Column("updated_at", db.UTCDateTime, nullable=False),
)

# School-wide settings a teacher chooses (the time zone).
settings = sa.Table(
    "school_settings", db.metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(400), nullable=False),
    sa.Column("updated_at", db.UTCDateTime, nullable=False),
)


def _classroom_v1(conn):
    for column in (ARCHIVED_AT, OPENS_AT, VERSION, UPDATED_AT):
        db.add_column(conn, assignments, column)
    db.add_column(conn, attempts, SPEC_VERSION)
    for table in (assignment_versions, extensions, overrides, drafts, settings):
        db.create_table(conn, table)


db.register("classroom", [_classroom_v1])


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)
