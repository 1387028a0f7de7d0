"""Who may act on a class: the acting teacher, checked on every teacher action.

The identity work (teacher accounts, co-teachers) provides `engine.identity.accounts.Teacher`
and `engine.teachers.classes.can_teach/require_class`. Until it is merged this module stands
in with the same shape: the single school passcode is one admin teacher (who may act on every
class), and a school account may act on the classes it created. Every rule in
`engine.teachers` takes a `Teacher` and calls `require_class` here, so the switch-over is this
one file.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

try:  # the identity contract, once merged
    from engine.identity.accounts import Teacher  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - exercised until the merge
    @dataclass(frozen=True)
    class Teacher:  # type: ignore[no-redef]
        id: int
        name: str
        email: str | None
        is_admin: bool

from . import classes as _classes

# The teacher the single shared passcode stands for (an existing install keeps working).
PASSCODE_TEACHER = Teacher(id=0, name="Teacher", email=None, is_admin=True)


class NotYourClass(PermissionError):
    """The teacher may not act on this class (or it does not exist)."""


NotYourClass = getattr(_classes, "NotYourClass", NotYourClass)  # noqa: F811  (one class after the merge)


def teacher_from_gate(who) -> Teacher:
    """The Teacher for what today's gate returns: "passcode", a school e-mail, or a Teacher."""
    if isinstance(who, Teacher) or hasattr(who, "is_admin"):
        return who
    if who == "passcode" or not who:
        return PASSCODE_TEACHER
    return Teacher(id=0, name=str(who), email=str(who), is_admin=False)


def can_teach(engine: Engine, teacher: Teacher, class_id: int) -> bool:
    contract = getattr(_classes, "can_teach", None)
    if contract is not None:
        return bool(contract(engine, teacher, class_id))
    school_class = _classes.get_class(engine, class_id)
    if school_class is None:
        return False
    if getattr(teacher, "is_admin", False):
        return True
    email = (getattr(teacher, "email", None) or "").lower()
    return bool(email) and (school_class.created_by or "").lower() == email


def require_class(engine: Engine, teacher: Teacher, class_id: int):
    """The class, or NotYourClass with a message the page can show."""
    if not can_teach(engine, teacher, class_id):
        raise NotYourClass("This class is not one of yours (or it no longer exists).")
    return _classes.get_class(engine, class_id)


def my_classes(engine: Engine, teacher: Teacher) -> list:
    """The classes this teacher may act on, oldest first."""
    try:
        return list(_classes.list_classes(engine, teacher))
    except TypeError:  # today's list_classes(engine) lists every class
        return [c for c in _classes.list_classes(engine) if can_teach(engine, teacher, c.id)]
