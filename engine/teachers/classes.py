"""Classes: a name, an unguessable join code, its teachers, and the learners in it.

Who may see a class: `can_teach(engine, teacher, class_id)` is true for the class's owner and
its co-teachers only. Admins are no exception (they manage teacher accounts, not other
teachers' classes); the admin page can add a co-teacher to any class, which is how a class
whose teacher left is handed over. `require_class` is the check every teacher screen makes
with an id that came from a widget or a link.

A class member's roster entry (`engine.identity.roster`) holds their e-mail, student id,
personal code and archived state; `members()` lists the members who are not archived.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db
from engine.identity.accounts import Teacher, legacy_admin
from engine.identity.store import add_class_code, class_sign_in, class_teachers, roster_entries
from engine.learners import learners

from .links import JOIN_KEY, UnknownLink, read_code
from .store import class_members, classes, new_code

NAME_MAX = 80


class InvalidClassName(ValueError):
    pass


class NotYourClass(LookupError):
    """A teacher asked for a class they do not teach (or that does not exist: the two are
    told apart for nobody, so class ids cannot be probed)."""

    def __init__(self, message: str = "This class is not one of yours, or it no longer exists. "
                                      "Pick one of your classes from the list."):
        super().__init__(message)


@dataclass(frozen=True)
class SchoolClass:
    id: int
    code: str
    name: str
    created_at: datetime
    created_by: str | None = None

    def join_query(self) -> dict[str, str]:
        return {JOIN_KEY: self.code}


@dataclass(frozen=True)
class Member:
    learner_id: int
    display_name: str
    joined_at: datetime


def clean_text(text: str, what: str, limit: int) -> str:
    """A one-line title as saved: trimmed, spaces collapsed, no control characters."""
    text = " ".join(str(text or "").split())
    if not text:
        raise InvalidClassName(f"Please give the {what} a name.")
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise InvalidClassName(f"The {what} name contains invisible control characters; please retype it.")
    if len(text) > limit:
        raise InvalidClassName(f"Please keep the {what} name under {limit} characters.")
    return text


def _row(row) -> SchoolClass:
    return SchoolClass(id=row.id, code=row.code, name=row.name, created_at=row.created_at,
                       created_by=row.created_by)


def create_class(engine: Engine, name: str, created_by: str | None = None,
                 owner: Teacher | None = None) -> SchoolClass:
    """A new class owned by `owner` (the legacy admin when None: the old single-passcode
    callers), with its join code and its short class code."""
    name = clean_text(name, "class", NAME_MAX)
    if owner is None:
        owner = legacy_admin(engine)
    if created_by is None:
        created_by = owner.email
    for _ in range(3):  # 96 random bits will not collide; stay correct anyway
        code = new_code()
        try:
            with db.write(engine) as conn:
                class_id = conn.execute(classes.insert().values(
                    code=code, name=name, created_by=created_by, created_at=db.now())
                ).inserted_primary_key[0]
                conn.execute(class_teachers.insert().values(
                    class_id=class_id, teacher_id=owner.id, role="owner", added_at=db.now()))
                add_class_code(conn, class_id)
                row = conn.execute(sa.select(classes).where(classes.c.id == class_id)).one()
            return _row(row)
        except sa.exc.IntegrityError:
            continue
    raise RuntimeError("could not create a unique class code")


def list_classes(engine: Engine, teacher: Teacher | None = None) -> list[SchoolClass]:
    """The classes `teacher` teaches (owner or co-teacher), oldest first. Without a teacher
    (the admin page, and old callers until they pass one): every class."""
    q = sa.select(classes).order_by(classes.c.created_at, classes.c.id)
    if teacher is not None:
        q = q.where(classes.c.id.in_(sa.select(class_teachers.c.class_id)
                                     .where(class_teachers.c.teacher_id == teacher.id)))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [_row(r) for r in rows]


def can_teach(engine: Engine, teacher: Teacher | None, class_id) -> bool:
    """True when `teacher` owns or co-teaches the class `class_id`."""
    if teacher is None or isinstance(class_id, bool):
        return False
    try:
        class_id = int(class_id)
    except (TypeError, ValueError):
        return False
    ct = class_teachers.c
    with engine.connect() as conn:
        return conn.execute(sa.select(ct.id).where(ct.class_id == class_id,
                                                   ct.teacher_id == teacher.id)).first() is not None


def require_class(engine: Engine, teacher: Teacher, class_id) -> SchoolClass:
    """The class, when `teacher` teaches it; otherwise NotYourClass (with the message to show)."""
    if not can_teach(engine, teacher, class_id):
        raise NotYourClass()
    found = get_class(engine, int(class_id))
    if found is None:
        raise NotYourClass()
    return found


@dataclass(frozen=True)
class ClassTeacher:
    teacher_id: int
    name: str
    email: str | None
    role: str  # "owner" or "co"


def teachers_of(engine: Engine, class_id: int) -> list[ClassTeacher]:
    from engine.identity.store import teacher_accounts as ta
    ct = class_teachers.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(ct.teacher_id, ta.c.name, ta.c.email, ct.role)
                            .join(ta, ta.c.id == ct.teacher_id).where(ct.class_id == class_id)
                            .order_by(ct.role.desc(), ct.added_at, ct.id)).all()
    return [ClassTeacher(r.teacher_id, r.name, r.email, r.role) for r in rows]


def add_co_teacher(engine: Engine, class_id: int, teacher_id: int) -> bool:
    """Make a teacher a co-teacher of the class; False when they already teach it."""
    try:
        with db.write(engine) as conn:
            exists = conn.execute(sa.select(class_teachers.c.id).where(
                class_teachers.c.class_id == class_id, class_teachers.c.teacher_id == teacher_id)).first()
            if exists:
                return False
            conn.execute(class_teachers.insert().values(class_id=class_id, teacher_id=teacher_id,
                                                        role="co", added_at=db.now()))
        return True
    except sa.exc.IntegrityError:
        return False


def remove_co_teacher(engine: Engine, class_id: int, teacher_id: int) -> None:
    """Remove a co-teacher (the owner stays: a class always has someone who teaches it)."""
    with db.write(engine) as conn:
        conn.execute(class_teachers.delete().where(class_teachers.c.class_id == class_id,
                                                   class_teachers.c.teacher_id == teacher_id,
                                                   class_teachers.c.role == "co"))


def class_code(engine: Engine, class_id: int) -> str:
    """The short class code students type with their personal code (made if missing)."""
    with engine.connect() as conn:
        code = conn.execute(sa.select(class_sign_in.c.code)
                            .where(class_sign_in.c.class_id == class_id)).scalar()
    if code:
        return code
    with db.write(engine) as conn:
        code = conn.execute(sa.select(class_sign_in.c.code)
                            .where(class_sign_in.c.class_id == class_id)).scalar()
        return code or add_class_code(conn, class_id)


def get_class(engine: Engine, class_id: int) -> SchoolClass | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(classes).where(classes.c.id == class_id)).first()
    return _row(row) if row else None


def find_class(engine: Engine, code_or_link: str) -> SchoolClass:
    """The class of a join link or code. Raises DamagedLink or UnknownLink with a message."""
    code = read_code(code_or_link, JOIN_KEY, "class")
    with engine.connect() as conn:
        row = conn.execute(sa.select(classes).where(classes.c.code == code)).first()
    if row is None:
        raise UnknownLink("No class has this join link. Check that you copied all of it, "
                          "or ask your teacher for the link again.")
    return _row(row)


def join_class(engine: Engine, school_class: SchoolClass, learner_id: int) -> bool:
    """Make the learner a member; True if they just joined, False if they already were."""
    try:
        with db.write(engine) as conn:
            exists = conn.execute(sa.select(class_members.c.id).where(
                class_members.c.class_id == school_class.id,
                class_members.c.learner_id == learner_id)).first()
            if exists:
                return False
            now = db.now()
            conn.execute(class_members.insert().values(
                class_id=school_class.id, learner_id=learner_id, joined_at=now))
            conn.execute(roster_entries.insert().values(
                class_id=school_class.id, learner_id=learner_id, added_at=now))
        return True
    except sa.exc.IntegrityError:  # the same learner joining from two tabs at once
        return False


def _active(class_id_col, learner_id_col):
    """Not archived from the class roster (a member without a roster row counts as active)."""
    r = roster_entries.c
    return ~sa.exists().where(r.class_id == class_id_col, r.learner_id == learner_id_col,
                              r.archived_at.is_not(None))


def is_member(engine: Engine, class_id: int, learner_id: int) -> bool:
    m = class_members.c
    with engine.connect() as conn:
        return conn.execute(sa.select(m.id).where(
            m.class_id == class_id, m.learner_id == learner_id,
            _active(m.class_id, m.learner_id))).first() is not None


def removed_note(school_class: SchoolClass) -> str:
    """What a student archived from the class is told when a link of the class brings them back."""
    return (f"Your teacher removed you from the class “{school_class.name}”, so this link cannot add "
            "you again or start its work. Ask your teacher to restore you on the class roster: all "
            "your work in the class is kept and comes back with you.")


def removed_from(engine: Engine, class_id: int, learner_id: int) -> bool:
    """True when the learner's teacher archived them from the class roster: joining again
    does not bring them back (only the teacher's Restore does)."""
    r = roster_entries.c
    with engine.connect() as conn:
        return conn.execute(sa.select(r.id).where(r.class_id == class_id, r.learner_id == learner_id,
                                                  r.archived_at.is_not(None))).first() is not None


def members(engine: Engine, class_id: int) -> list[Member]:
    """The class's learners, by name."""
    m, l = class_members.c, learners.c
    with engine.connect() as conn:
        rows = conn.execute(sa.select(m.learner_id, l.display_name, m.joined_at)
                            .join(learners, learners.c.id == m.learner_id)
                            .where(m.class_id == class_id, _active(m.class_id, m.learner_id))
                            .order_by(sa.func.lower(l.display_name), m.learner_id)).all()
    return [Member(r.learner_id, r.display_name, r.joined_at) for r in rows]


def classes_of(engine: Engine, learner_id: int) -> list[SchoolClass]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(classes).join(class_members, class_members.c.class_id == classes.c.id)
                            .where(class_members.c.learner_id == learner_id,
                                   _active(class_members.c.class_id, class_members.c.learner_id))
                            .order_by(class_members.c.joined_at)).all()
    return [_row(r) for r in rows]


def member_counts(engine: Engine) -> dict[int, int]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(class_members.c.class_id, sa.func.count())
                            .where(_active(class_members.c.class_id, class_members.c.learner_id))
                            .group_by(class_members.c.class_id)).all()
    return {r[0]: r[1] for r in rows}
