"""Class rosters: a pasted class list, personal codes for printed cards, and the fixes a
teacher needs (rename, archive/restore, merge two entries of one person, reissue a code).

A personal code is 12 characters in three groups of four (`7KQM-X4RT-9PZH`), from 30 letters
and digits without the ones read two ways (0/O, 1/I/L) and without U: 58.9 random bits, easy
to type from a card, and with throttling far beyond guessing. It is stored only as an HMAC
keyed by the server secret, so cards can be printed when codes are issued or reissued, never
read back later. A student signs in with their class code (6 characters, on the card too)
and their personal code; typing is forgiving (lower case, spaces, missing dashes, O for 0…).
"""
from __future__ import annotations

import csv
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db
from engine.learners import Learner, clean_name, get_learner, learners
from engine.teachers.store import class_members, classes

from . import keys
from .accounts import AccountError, clean_email
from .store import CODE_ALPHABET, class_sign_in, roster_entries, sign_in_sessions

GROUPS, GROUP_LEN = 3, 4
CODE_CHARS = GROUPS * GROUP_LEN
MAX_STUDENTS = 300
# What a student may type for a character that is not in the alphabet.
_READ_AS = {"O": "0", "I": "1", "L": "1"}


class RosterError(ValueError):
    """A problem the teacher or student can fix; `str(error)` is the message to show."""


@dataclass(frozen=True)
class Entry:
    learner_id: int
    name: str
    email: str | None
    student_ref: str | None
    has_code: bool
    code_issued_at: datetime | None
    archived: bool


@dataclass(frozen=True)
class Card:
    """One printed card: shown once, when the code is issued."""
    learner_id: int
    name: str
    class_name: str
    class_code: str
    code: str


@dataclass(frozen=True)
class ListedStudent:
    name: str
    email: str | None = None
    student_ref: str | None = None


def new_personal_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_CHARS))
    return "-".join(raw[i:i + GROUP_LEN] for i in range(0, CODE_CHARS, GROUP_LEN))


def normalise(text: str, length: int) -> str | None:
    """The code's characters as printed, from what was typed; None when it cannot be one."""
    chars = [c for c in str(text or "").upper() if c.isalnum()]
    chars = [_READ_AS.get(c, c) for c in chars]
    if len(chars) != length or any(c not in CODE_ALPHABET for c in chars):
        return None
    return "".join(chars)


def code_hash(key: bytes, class_id: int, code: str) -> str:
    """HMAC of the normalised code with the database's server key (class id included: the
    same code in two classes differs)."""
    return keys.mac(f"roster|{class_id}|{code}", key).hex()


def parse_class_list(text: str) -> list[ListedStudent]:
    """Students from a pasted list: one per line ("Name", "Name, e-mail", "Name, e-mail,
    student id", tab- or semicolon-separated too), or a CSV with a header row naming the
    columns (name / first name + last name, email, id / student id)."""
    text = str(text or "").replace("\r\n", "\n").strip()
    if not text:
        raise RosterError("Paste the class list first: one student per line.")
    sample = text.splitlines()[0]
    delimiter = "\t" if "\t" in sample else (";" if ";" in sample and "," not in sample else ",")
    rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    rows = [r for r in rows if any(r)]
    header = [h.lower().replace("_", " ").replace("-", " ") for h in rows[0]]

    def col(*names):
        return next((i for i, h in enumerate(header) if h in names), None)

    name_i, first_i, last_i = col("name", "student", "full name", "display name"), col("first name", "given name"), col("last name", "surname", "family name")
    email_i, ref_i = col("email", "e mail", "mail", "email address"), col("id", "student id", "student number", "number")
    if name_i is not None or first_i is not None or email_i is not None:
        rows = rows[1:]
    else:
        name_i, email_i, ref_i = 0, None, None
    out: list[ListedStudent] = []
    for n, row in enumerate(rows, start=2 if header and rows is not None else 1):
        def get(i):
            return row[i].strip() if i is not None and i < len(row) and row[i].strip() else None
        if first_i is not None:
            name = " ".join(x for x in (get(first_i), get(last_i)) if x)
        else:
            name = get(name_i) or ""
        email = get(email_i)
        ref = get(ref_i)
        if email_i is None and ref_i is None and len(row) > 1:  # "Name, e-mail, id" lines
            rest = [c for c in row[1:] if c]
            email = next((c for c in rest if "@" in c), None)
            ref = next((c for c in rest if "@" not in c), None)
        if not name and not email:
            continue
        try:
            name = clean_name(name or email.split("@")[0])
            email = clean_email(email)
        except (ValueError, AccountError) as exc:
            raise RosterError(f"Line “{', '.join(row)[:60]}”: {exc}") from None
        out.append(ListedStudent(name, email, (ref or None) and ref[:80]))
    if not out:
        raise RosterError("No student names were found in the list.")
    if len(out) > MAX_STUDENTS:
        raise RosterError(f"That is {len(out)} students; a class list can have up to {MAX_STUDENTS}.")
    return out


def _class_code(conn, class_id: int) -> str:
    from .store import add_class_code
    code = conn.execute(sa.select(class_sign_in.c.code).where(class_sign_in.c.class_id == class_id)).scalar()
    return code or add_class_code(conn, class_id)


def _issue(conn, key: bytes, class_id: int, learner_id: int) -> str:
    for _ in range(5):
        code = new_personal_code()
        h = code_hash(key, class_id, normalise(code, CODE_CHARS))
        taken = conn.execute(sa.select(roster_entries.c.id).where(
            roster_entries.c.class_id == class_id, roster_entries.c.code_hash == h)).first()
        if taken:
            continue
        conn.execute(roster_entries.update().where(roster_entries.c.class_id == class_id,
                                                   roster_entries.c.learner_id == learner_id)
                     .values(code_hash=h, code_issued_at=db.now()))
        return code
    raise RuntimeError("could not find a free personal code")


def add_students(engine: Engine, class_id: int, students: list[ListedStudent]) -> list[Card]:
    """Each listed student joins the class with a new personal code (returned once, as cards).
    A student whose e-mail is already on the roster is not added twice (they get no new card)."""
    now = db.now()
    key = keys.load(engine)
    cards: list[Card] = []
    with db.write(engine) as conn:
        class_name = conn.execute(sa.select(classes.c.name).where(classes.c.id == class_id)).scalar_one()
        ccode = _class_code(conn, class_id)
        known = {r.email for r in conn.execute(sa.select(roster_entries.c.email).where(
            roster_entries.c.class_id == class_id, roster_entries.c.email.is_not(None)))}
        for s in students:
            if s.email and s.email in known:
                continue
            learner_id = conn.execute(learners.insert().values(
                code_hash="roster:" + secrets.token_hex(24), display_name=s.name, created_at=now,
                last_seen_at=None)).inserted_primary_key[0]
            conn.execute(class_members.insert().values(class_id=class_id, learner_id=learner_id, joined_at=now))
            conn.execute(roster_entries.insert().values(class_id=class_id, learner_id=learner_id,
                                                        email=s.email, student_ref=s.student_ref, added_at=now))
            cards.append(Card(learner_id, s.name, class_name, ccode, _issue(conn, key, class_id, learner_id)))
            if s.email:
                known.add(s.email)
    return cards


def reissue(engine: Engine, class_id: int, learner_ids: list[int]) -> list[Card]:
    """New codes for these students (old codes stop working; their devices are signed out)."""
    cards: list[Card] = []
    key = keys.load(engine)
    with db.write(engine) as conn:
        class_name = conn.execute(sa.select(classes.c.name).where(classes.c.id == class_id)).scalar_one()
        ccode = _class_code(conn, class_id)
        for learner_id in learner_ids:
            row = conn.execute(sa.select(roster_entries.c.id, learners.c.display_name)
                               .join(learners, learners.c.id == roster_entries.c.learner_id)
                               .where(roster_entries.c.class_id == class_id,
                                      roster_entries.c.learner_id == learner_id)).first()
            if row is None:
                continue
            code = _issue(conn, key, class_id, learner_id)
            conn.execute(sign_in_sessions.delete().where(sign_in_sessions.c.learner_id == learner_id))
            cards.append(Card(learner_id, row.display_name, class_name, ccode, code))
    return cards


def entries(engine: Engine, class_id: int, include_archived: bool = True) -> list[Entry]:
    r, l = roster_entries.c, learners.c
    q = (sa.select(r.learner_id, l.display_name, r.email, r.student_ref, r.code_hash,
                   r.code_issued_at, r.archived_at)
         .join(learners, l.id == r.learner_id).where(r.class_id == class_id)
         .order_by(sa.func.lower(l.display_name), r.learner_id))
    if not include_archived:
        q = q.where(r.archived_at.is_(None))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [Entry(x.learner_id, x.display_name, x.email, x.student_ref, x.code_hash is not None,
                  x.code_issued_at, x.archived_at is not None) for x in rows]


def _on_roster(conn, class_id: int, learner_id: int) -> None:
    found = conn.execute(sa.select(roster_entries.c.id).where(
        roster_entries.c.class_id == class_id, roster_entries.c.learner_id == learner_id)).first()
    if found is None:
        raise RosterError("That student is not on this class's roster.")


def rename(engine: Engine, class_id: int, learner_id: int, name: str) -> str:
    name = clean_name(name)
    with db.write(engine) as conn:
        _on_roster(conn, class_id, learner_id)
        conn.execute(learners.update().where(learners.c.id == learner_id).values(display_name=name))
    return name


def set_archived(engine: Engine, class_id: int, learner_id: int, archived: bool) -> None:
    """Archive (hidden from the class, sign-in refused, all work kept) or restore a student."""
    with db.write(engine) as conn:
        _on_roster(conn, class_id, learner_id)
        conn.execute(roster_entries.update().where(roster_entries.c.class_id == class_id,
                                                   roster_entries.c.learner_id == learner_id)
                     .values(archived_at=db.now() if archived else None))


def merge(engine: Engine, class_id: int, keep_id: int, remove_id: int) -> int:
    """Merge two roster entries of one person, keeping all their work (see `merge.merge`)."""
    if keep_id == remove_id:
        raise RosterError("Pick two different students to merge.")
    with engine.connect() as conn:
        _on_roster(conn, class_id, keep_id)
        _on_roster(conn, class_id, remove_id)
    from .merge import merge_learners
    return merge_learners(engine, keep_id, remove_id)


def sign_in_with_code(engine: Engine, class_code: str, personal_code: str) -> Learner | None:
    """The student whose class code and personal code these are (not archived), or None."""
    ccode = normalise(class_code, 6)
    pcode = normalise(personal_code, CODE_CHARS)
    if ccode is None or pcode is None:
        return None
    r = roster_entries.c
    with engine.connect() as conn:
        class_id = conn.execute(sa.select(class_sign_in.c.class_id).where(class_sign_in.c.code == ccode)).scalar()
        if class_id is None:
            return None
        rows = conn.execute(sa.select(r.learner_id, r.code_hash).where(
            r.class_id == class_id, r.archived_at.is_(None), r.code_hash.is_not(None))).all()
    wanted = code_hash(keys.load(engine), class_id, pcode)
    found = None
    for row in rows:  # constant-time comparison with every code of the class
        if hmac.compare_digest(row.code_hash, wanted):
            found = row.learner_id
    return get_learner(engine, found) if found is not None else None


def class_id_for_code(engine: Engine, class_code: str) -> int | None:
    ccode = normalise(class_code, 6)
    if ccode is None:
        return None
    with engine.connect() as conn:
        return conn.execute(sa.select(class_sign_in.c.class_id).where(class_sign_in.c.code == ccode)).scalar()
