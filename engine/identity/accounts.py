"""Teacher accounts: each teacher signs in as themselves; admins manage the teachers.

A teacher signs in with their school account (an e-mail on the teacher list: an account here
with that e-mail, or `[teacher] emails` in the secrets) or with their own passcode. The
install's old single passcode (`[teacher] passcode_hash`) is the legacy admin account, so an
existing install keeps working and its passcode holder manages the new accounts.

Admins manage teacher accounts; they see and change only the classes they teach, like any
teacher (the admin page lists every class with its teachers and can add a co-teacher, so a
class whose teacher left is never stranded).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db
from engine.teachers import auth

from .store import legacy_admin_id, teacher_accounts

NAME_MAX = 80


class AccountError(ValueError):
    """A problem the admin or teacher can fix; `str(error)` is the message to show."""


@dataclass(frozen=True)
class Teacher:
    id: int
    name: str
    email: str | None
    is_admin: bool

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "email": self.email, "is_admin": self.is_admin}


@dataclass(frozen=True)
class Account:
    """A teacher account as the admin page lists it."""
    teacher: Teacher
    has_passcode: bool
    legacy_admin: bool
    archived: bool


def _teacher(row) -> Teacher:
    return Teacher(id=row.id, name=row.name, email=row.email, is_admin=bool(row.is_admin))


def clean_email(email: str | None) -> str | None:
    email = str(email or "").strip().lower()
    if not email:
        return None
    if len(email) > 320 or " " in email or email.count("@") != 1 or email.startswith("@") \
            or "." not in email.split("@")[1]:
        raise AccountError(f"“{email[:80]}” is not an e-mail address.")
    return email


def clean_name(name: str) -> str:
    """A teacher's name as saved: the same rules as a learner's display name, longer."""
    from engine.learners import LearnerError
    from engine.learners import clean_name as clean_person_name
    try:
        return clean_person_name(name, limit=NAME_MAX)
    except LearnerError as exc:
        raise AccountError(str(exc)) from None


def get_teacher(engine: Engine, teacher_id: int) -> Teacher | None:
    """The teacher, or None for an unknown or archived account."""
    t = teacher_accounts.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(teacher_accounts).where(t.id == teacher_id,
                                                             t.archived_at.is_(None))).first()
    return _teacher(row) if row else None


def by_email(engine: Engine, email: str | None) -> Teacher | None:
    try:
        email = clean_email(email)
    except AccountError:
        return None
    if not email:
        return None
    t = teacher_accounts.c
    with engine.connect() as conn:
        row = conn.execute(sa.select(teacher_accounts).where(t.email == email,
                                                             t.archived_at.is_(None))).first()
    return _teacher(row) if row else None


def legacy_admin(engine: Engine) -> Teacher:
    """The admin account behind the install's single passcode (made on first use)."""
    with db.write(engine) as conn:
        teacher_id = legacy_admin_id(conn)
        row = conn.execute(sa.select(teacher_accounts).where(teacher_accounts.c.id == teacher_id)).one()
    return _teacher(row)


def create_teacher(engine: Engine, name: str, email: str | None = None, passcode: str | None = None,
                   is_admin: bool = False) -> Teacher:
    """A new teacher account. Either an e-mail (for school sign-in) or a passcode is needed."""
    name, email = clean_name(name), clean_email(email)
    if passcode:
        problem = auth.passcode_problem(passcode)
        if problem:
            raise AccountError(problem)
    if not email and not passcode:
        raise AccountError("Give the teacher an e-mail (to sign in with their school account) "
                           "or a passcode (or both).")
    try:
        with db.write(engine) as conn:
            teacher_id = conn.execute(teacher_accounts.insert().values(
                name=name, email=email, is_admin=is_admin, legacy_admin=False,
                passcode_hash=auth.hash_passcode(passcode) if passcode else None,
                created_at=db.now())).inserted_primary_key[0]
    except sa.exc.IntegrityError:
        raise AccountError(f"There is already a teacher account with the e-mail {email}.") from None
    return Teacher(id=teacher_id, name=name, email=email, is_admin=is_admin)


def ensure_teacher_for_email(engine: Engine, email: str, name: str | None = None) -> Teacher:
    """The account of a school e-mail on the secrets' teacher list (made on first sign-in)."""
    found = by_email(engine, email)
    if found:
        return found
    try:
        return create_teacher(engine, name or email.split("@")[0], email=email)
    except AccountError:
        found = by_email(engine, email)  # made by a parallel sign-in, or archived
        if found is None:
            raise
        return found


def list_accounts(engine: Engine, include_archived: bool = True) -> list[Account]:
    t = teacher_accounts.c
    q = sa.select(teacher_accounts).order_by(sa.func.lower(t.name), t.id)
    if not include_archived:
        q = q.where(t.archived_at.is_(None))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [Account(_teacher(r), bool(r.passcode_hash), bool(r.legacy_admin), r.archived_at is not None)
            for r in rows]


def _admins_left(conn, without: int) -> int:
    t = teacher_accounts.c
    return conn.execute(sa.select(sa.func.count()).where(
        t.is_admin.is_(True), t.archived_at.is_(None), t.id != without)).scalar_one()


def update_teacher(engine: Engine, teacher_id: int, *, name: str | None = None,
                   email: str | None = "", is_admin: bool | None = None) -> None:
    """Rename, change the e-mail (None removes it; "" leaves it) or the admin role."""
    values: dict = {}
    if name is not None:
        values["name"] = clean_name(name)
    if email != "":
        values["email"] = clean_email(email)
    if is_admin is not None:
        values["is_admin"] = is_admin
    try:
        with db.write(engine) as conn:
            if is_admin is False and _admins_left(conn, teacher_id) == 0:
                raise AccountError("This is the last admin: make another teacher an admin first.")
            conn.execute(teacher_accounts.update().where(teacher_accounts.c.id == teacher_id).values(**values))
    except sa.exc.IntegrityError:
        raise AccountError("Another teacher account already has that e-mail.") from None


def set_passcode(engine: Engine, teacher_id: int, passcode: str) -> None:
    problem = auth.passcode_problem(passcode)
    if problem:
        raise AccountError(problem)
    with db.write(engine) as conn:
        conn.execute(teacher_accounts.update().where(teacher_accounts.c.id == teacher_id)
                     .values(passcode_hash=auth.hash_passcode(passcode)))
    from .sessions import revoke_all  # a new passcode signs the old devices out
    revoke_all(engine, teacher_id=teacher_id)


def archive_teacher(engine: Engine, teacher_id: int, archived: bool = True) -> None:
    """Archive (sign-in refused, classes kept) or restore a teacher account."""
    with db.write(engine) as conn:
        if archived and _admins_left(conn, teacher_id) == 0:
            raise AccountError("This is the last admin: make another teacher an admin first.")
        conn.execute(teacher_accounts.update().where(teacher_accounts.c.id == teacher_id)
                     .values(archived_at=db.now() if archived else None))
    if archived:
        from .sessions import revoke_all
        revoke_all(engine, teacher_id=teacher_id)


def passcode_hash_of(engine: Engine, teacher_id: int) -> str | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(teacher_accounts.c.passcode_hash)
                            .where(teacher_accounts.c.id == teacher_id)).scalar()


def find_by_login(engine: Engine, login: str) -> tuple[Teacher, str | None] | None:
    """The active account a teacher names at sign-in (their e-mail, or their name when it is
    unique), with its passcode hash."""
    text = " ".join(str(login or "").split()).lower()
    if not text:
        return None
    t = teacher_accounts.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(teacher_accounts).where(
            t.archived_at.is_(None),
            sa.or_(t.email == text, sa.func.lower(t.name) == text))).all()
    exact = [r for r in rows if r.email == text] or rows
    if len(exact) != 1:
        return None
    return _teacher(exact[0]), exact[0].passcode_hash
