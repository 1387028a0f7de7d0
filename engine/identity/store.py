"""The identity tables, and the migration that brings an existing install's data along.

- `teacher_accounts`: each teacher signs in as themselves (school e-mail and/or own passcode,
  a salted PBKDF2 hash). `legacy_admin` marks the account behind the install's old single
  passcode (`[teacher] passcode_hash`), which keeps working and is an admin.
- `class_teachers`: who teaches a class ("owner" or "co"-teacher).
- `class_sign_in`: each class's short class code (printed on roster cards; not a secret).
- `roster_entries`: a student in a class: e-mail / student id from the class list, the HMAC of
  their personal code (never the code), archived or not. One row per class membership.
- `sign_in_sessions`: a device that is signed in: the SHA-256 of the opaque token its cookie
  holds, who it is, when it expires; deleted on sign out, revoked on a code reissue.
- `school_identities`: an OpenID Connect account (issuer + subject) and who it is here.
- `auth_attempts`: wrong codes and passcodes, per scope, for throttling.
- `server_keys`: the server secret behind seeds and code hashes, made once per database.

Migration v1 (from the schema before teacher accounts): every existing class gets a short
class code and an owner (the teacher account of its `created_by` e-mail, or the legacy admin
when none was recorded); every class member gets a roster entry. Learners, reviews, tries
are untouched: their ids stay, so nothing is lost.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa

from engine import db
from engine import learners as _learners  # noqa: F401  (learners.id must exist first)
from engine.teachers import store as _teachers  # noqa: F401  (classes.id must exist first)

teacher_accounts = sa.Table(
    "teacher_accounts", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(400), nullable=False),
    sa.Column("email", sa.String(320), nullable=True, unique=True),  # lower case
    sa.Column("passcode_hash", sa.String(200), nullable=True),
    sa.Column("is_admin", sa.Boolean, nullable=False, default=False),
    sa.Column("legacy_admin", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", db.UTCDateTime, nullable=False),
    sa.Column("archived_at", db.UTCDateTime, nullable=True),
)

class_teachers = sa.Table(
    "class_teachers", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("teacher_id", sa.Integer, sa.ForeignKey("teacher_accounts.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("role", sa.String(8), nullable=False),  # "owner" or "co"
    sa.Column("added_at", db.UTCDateTime, nullable=False),
    sa.UniqueConstraint("class_id", "teacher_id", name="uq_class_teachers"),
)

class_sign_in = sa.Table(
    "class_sign_in", db.metadata,
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
)

roster_entries = sa.Table(
    "roster_entries", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("email", sa.String(320), nullable=True, index=True),  # lower case
    sa.Column("student_ref", sa.String(80), nullable=True),
    sa.Column("code_hash", sa.String(64), nullable=True),
    sa.Column("code_issued_at", db.UTCDateTime, nullable=True),
    sa.Column("archived_at", db.UTCDateTime, nullable=True),
    sa.Column("added_at", db.UTCDateTime, nullable=False),
    sa.UniqueConstraint("class_id", "learner_id", name="uq_roster_class_learner"),
    sa.UniqueConstraint("class_id", "code_hash", name="uq_roster_class_code"),
)

sign_in_sessions = sa.Table(
    "sign_in_sessions", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id", ondelete="CASCADE"),
              nullable=True, index=True),
    sa.Column("teacher_id", sa.Integer, sa.ForeignKey("teacher_accounts.id", ondelete="CASCADE"),
              nullable=True, index=True),
    sa.Column("how", sa.String(16), nullable=False),  # "name", "roster", "recovery", "school", "passcode"
    sa.Column("created_at", db.UTCDateTime, nullable=False),
    sa.Column("expires_at", db.UTCDateTime, nullable=False, index=True),
    sa.Column("last_seen_at", db.UTCDateTime, nullable=True),
)

school_identities = sa.Table(
    "school_identities", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("issuer", sa.String(400), nullable=False),
    sa.Column("subject", sa.String(400), nullable=False),
    sa.Column("email", sa.String(320), nullable=True),
    sa.Column("learner_id", sa.Integer, sa.ForeignKey("learners.id", ondelete="CASCADE"),
              nullable=True, index=True),
    sa.Column("created_at", db.UTCDateTime, nullable=False),
    sa.UniqueConstraint("issuer", "subject", name="uq_school_identity"),
)

auth_attempts = sa.Table(
    "auth_attempts", db.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("scope", sa.String(80), nullable=False, index=True),
    sa.Column("failed_at", db.UTCDateTime, nullable=False, index=True),
)

server_keys = sa.Table(
    "server_keys", db.metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(128), nullable=False),
)

# Short class codes: Crockford's base-32 letters without the ones read two ways (0/O, 1/I/L)
# and without U (no accidental words).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CLASS_CODE_LENGTH = 6


def new_class_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CLASS_CODE_LENGTH))


def add_class_code(conn, class_id: int) -> str:
    """Give a class its short class code (retrying the rare clash)."""
    for _ in range(20):
        code = new_class_code()
        if conn.execute(sa.select(class_sign_in.c.class_id).where(class_sign_in.c.code == code)).first():
            continue
        conn.execute(class_sign_in.insert().values(class_id=class_id, code=code))
        return code
    raise RuntimeError("could not find a free class code")


def legacy_admin_id(conn) -> int:
    """The account of the install's single passcode: created once, an admin."""
    found = conn.execute(sa.select(teacher_accounts.c.id)
                         .where(teacher_accounts.c.legacy_admin.is_(True))).scalar()
    if found:
        return found
    return conn.execute(teacher_accounts.insert().values(
        name="Administrator", email=None, passcode_hash=None, is_admin=True, legacy_admin=True,
        created_at=db.now())).inserted_primary_key[0]


def _v1(conn):
    for table in (teacher_accounts, class_teachers, class_sign_in, roster_entries,
                  sign_in_sessions, school_identities, auth_attempts, server_keys):
        db.create_table(conn, table)
    classes, members = _teachers.classes, _teachers.class_members
    admin = legacy_admin_id(conn)
    now = db.now()
    for row in conn.execute(sa.select(classes.c.id, classes.c.created_by)).all():
        owner = admin
        email = (row.created_by or "").strip().lower()
        if "@" in email:
            owner = conn.execute(sa.select(teacher_accounts.c.id)
                                 .where(teacher_accounts.c.email == email)).scalar()
            if owner is None:
                owner = conn.execute(teacher_accounts.insert().values(
                    name=email.split("@")[0], email=email, is_admin=False, legacy_admin=False,
                    created_at=now)).inserted_primary_key[0]
        conn.execute(class_teachers.insert().values(class_id=row.id, teacher_id=owner,
                                                    role="owner", added_at=now))
        add_class_code(conn, row.id)
    for m in conn.execute(sa.select(members.c.class_id, members.c.learner_id, members.c.joined_at)).all():
        conn.execute(roster_entries.insert().values(class_id=m.class_id, learner_id=m.learner_id,
                                                    added_at=m.joined_at))


db.register("identity", [_v1])
