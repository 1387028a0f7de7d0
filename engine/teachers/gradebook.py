"""The gradebook: every member of a class against every assignment, a student's detail, the
share of right answers per question kind (an Altair chart), and CSV exports (one row per
student and assignment; one row per question answered).

The score that counts is the teacher's override if there is one, else the student's best try
(retrying never lowers it). Times are stored in UTC and shown in the school's time zone.
"""
from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import Any

import altair as alt
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine


from engine import db

from .assignments import Assignment, Attempt, _attempt, best, list_assignments, when
from .classes import Member, members
from .manage import extensions_of
from .overrides import Override, overrides_of
from .store import assignments as assignments_table
from .store import attempts, class_members, overrides

CSV_COLUMNS = ["student_id", "student", "assignment_id", "assignment", "kind", "assignment_state",
               "due_utc", "own_due_utc", "status", "score_percent", "points", "max_points",
               "tries_used", "tries_allowed", "first_opened_utc", "last_submitted_utc", "late",
               "teacher_grade_percent", "teacher_comment"]
QUESTION_COLUMNS = ["student_id", "student", "assignment_id", "assignment", "try", "question",
                    "kind", "prompt", "answer", "status", "mistake", "submitted_utc"]


@dataclass(frozen=True)
class Cell:
    """One student on one assignment."""

    assignment: Assignment
    member: Member
    tries: tuple[Attempt, ...]
    override: Override | None = None
    own_due: datetime | None = None  # an extension

    @property
    def best(self) -> Attempt | None:
        return best(list(self.tries))

    @property
    def tries_used(self) -> int:
        return sum(1 for a in self.tries if a.submitted)

    @property
    def status(self) -> str:
        if not self.tries:
            return "not started"
        if self.tries_used == 0:
            return "in progress"
        return "submitted late" if self.best and self.best.late else "submitted"

    @property
    def score(self) -> float | None:
        if self.override is not None:
            return self.override.score
        return self.best.score if self.best else None

    @property
    def last_submitted(self) -> datetime | None:
        times = [a.submitted_at for a in self.tries if a.submitted_at]
        return max(times) if times else None


@dataclass(frozen=True)
class Gradebook:
    members: list[Member]
    assignments: list[Assignment]
    cells: dict[tuple[int, int], Cell]  # (learner_id, assignment_id) -> Cell
    zone: tzinfo = timezone.utc

    def cell(self, learner_id: int, assignment_id: int) -> Cell:
        return self.cells[(learner_id, assignment_id)]

    def table(self) -> pd.DataFrame:
        """One row per student, one column per assignment: "85% (2 tries)", "late", "—"."""
        rows = []
        for m in self.members:
            row: dict[str, Any] = {"Student": m.display_name}
            for a in self.assignments:
                c = self.cell(m.learner_id, a.id)
                if c.score is None:
                    text = "in progress" if c.status == "in progress" else "—"
                elif c.override is not None:
                    text = f"{c.score:.0%} (teacher's grade)"
                else:
                    text = f"{c.score:.0%} ({c.tries_used} {'try' if c.tries_used == 1 else 'tries'})"
                    if c.status == "submitted late":
                        text += " late"
                if c.own_due is not None:
                    text += " · extended"
                row[_column(a, self.assignments)] = text
            rows.append(row)
        return pd.DataFrame(rows, columns=["Student", *[_column(a, self.assignments) for a in self.assignments]])

    def records(self) -> list[dict[str, Any]]:
        """Long form: one record per student and assignment (the CSV's rows)."""
        out = []
        now = db.now()
        for m in self.members:
            for a in self.assignments:
                c = self.cell(m.learner_id, a.id)
                b = c.best
                out.append({
                    "student_id": m.learner_id, "student": m.display_name,
                    "assignment_id": a.id, "assignment": a.title, "kind": a.kind,
                    "assignment_state": a.state(now),
                    "due_utc": a.due_at.isoformat() if a.due_at else "",
                    "own_due_utc": c.own_due.isoformat() if c.own_due else "",
                    "status": c.status,
                    "score_percent": "" if c.score is None else round(c.score * 100, 1),
                    "points": "" if b is None else b.points,
                    "max_points": "" if b is None else b.max_points,
                    "tries_used": c.tries_used, "tries_allowed": a.tries_allowed,
                    "first_opened_utc": c.tries[0].opened_at.isoformat() if c.tries else "",
                    "last_submitted_utc": c.last_submitted.isoformat() if c.last_submitted else "",
                    "late": "yes" if any(t.late for t in c.tries if t.submitted) else "",
                    "teacher_grade_percent": "" if c.override is None else round(c.override.score * 100, 1),
                    "teacher_comment": "" if c.override is None else c.override.comment,
                })
        return out

    def question_records(self) -> list[dict[str, Any]]:
        """One record per question answered in a submitted try (the per-question sheet)."""
        out = []
        for m in self.members:
            for a in self.assignments:
                for t in self.cell(m.learner_id, a.id).tries:
                    if not t.submitted:
                        continue
                    for i, item in enumerate(answered_items(t), start=1):
                        out.append({
                            "student_id": m.learner_id, "student": m.display_name,
                            "assignment_id": a.id, "assignment": a.title, "try": t.try_no,
                            "question": i, "kind": item["kind"], "prompt": plain(item["prompt"]),
                            "answer": plain(item.get("answer_text", "")), "status": item["status"],
                            "mistake": item.get("mistake_name", ""),
                            "submitted_utc": t.submitted_at.isoformat()})
        return out

    def csv(self) -> bytes:
        return to_csv(self.records(), CSV_COLUMNS, ("student", "assignment", "teacher_comment"))

    def questions_csv(self) -> bytes:
        return to_csv(self.question_records(), QUESTION_COLUMNS,
                      ("student", "assignment", "prompt", "answer", "mistake"))


def to_csv(records: list[dict[str, Any]], columns: list[str], texts: tuple[str, ...]) -> bytes:
    frame = pd.DataFrame(records, columns=columns)
    for col in texts:
        frame[col] = frame[col].map(spreadsheet_safe)
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    # A BOM so Excel opens accented names correctly; other tools ignore it.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


_MARKUP = str.maketrans("", "", "*`_")


def plain(text: str) -> str:
    """Markdown emphasis taken out, for a spreadsheet cell."""
    return str(text or "").translate(_MARKUP).replace("\n", " ").strip()


def answered_items(t: Attempt) -> list[dict[str, Any]]:
    """A submitted try's graded items, each with what the student answered in words
    (`answer_text`: a multiple-choice letter with its option's text) and the named mistake."""
    from engine.quiz.mistakes import mistake_name

    questions = t.variant.get("questions", []) if isinstance(t.variant, dict) else []
    out = []
    for i, item in enumerate(t.results or []):
        shown = dict(item)
        response = str(item.get("response", ""))
        choices = questions[i].get("choices") if i < len(questions) else None
        letter = response.strip().upper()
        if choices and len(letter) == 1 and "A" <= letter < chr(ord("A") + len(choices)):
            shown["answer_text"] = f"{letter}. {choices[ord(letter) - ord('A')]}"
        else:
            shown["answer_text"] = response
        if item.get("mistake"):
            shown["mistake_name"] = mistake_name(item["mistake"])
        out.append(shown)
    return out


def _column(a: Assignment, all_: list[Assignment]) -> str:
    same = [x for x in all_ if x.title == a.title]
    return a.title if len(same) == 1 else f"{a.title} #{same.index(a) + 1}"


def spreadsheet_safe(text: str) -> str:
    """A name a spreadsheet will show as text, never run as a formula (CSV injection)."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _tries(engine: Engine, assignment_ids: list[int]) -> dict[tuple[int, int], list[Attempt]]:
    found: dict[tuple[int, int], list[Attempt]] = defaultdict(list)
    if not assignment_ids:
        return found
    with engine.connect() as conn:
        rows = conn.execute(sa.select(attempts).where(attempts.c.assignment_id.in_(assignment_ids))
                            .order_by(attempts.c.try_no)).all()
    for r in rows:
        found[(r.learner_id, r.assignment_id)].append(_attempt(r))
    return found


def class_gradebook(engine: Engine, class_id: int, zone: tzinfo = timezone.utc) -> Gradebook:
    """The gradebook of a class (the caller has checked the teacher may see it)."""
    people = members(engine, class_id)
    work = list_assignments(engine, class_id)
    ids = [a.id for a in work]
    tries = _tries(engine, ids)
    grades = overrides_of(engine, ids)
    extended = extensions_of(engine, ids)
    cells = {(m.learner_id, a.id): Cell(a, m, tuple(tries.get((m.learner_id, a.id), ())),
                                        grades.get((m.learner_id, a.id)), extended.get((m.learner_id, a.id)))
             for m in people for a in work}
    return Gradebook(people, work, cells, zone)


def signature(engine: Engine, class_id: int) -> tuple:
    """A few aggregates that change whenever anything the gradebook shows changes (a try
    opened or submitted, a student joining, an assignment edited, a grade given). One cheap
    query: the live gradebook rebuilds only when this differs from last time."""
    a, t, o = assignments_table.c, attempts.c, overrides.c
    in_class = sa.select(a.id).where(a.class_id == class_id).scalar_subquery()
    counts = [
        sa.select(sa.func.count()).where(t.assignment_id.in_(in_class)),
        sa.select(sa.func.max(t.submitted_at)).where(t.assignment_id.in_(in_class)),
        sa.select(sa.func.count(t.submitted_at)).where(t.assignment_id.in_(in_class)),
        sa.select(sa.func.count()).where(class_members.c.class_id == class_id),
        sa.select(sa.func.count()).where(a.class_id == class_id),
        sa.select(sa.func.max(a.updated_at)).where(a.class_id == class_id),
        sa.select(sa.func.max(o.updated_at)).where(o.assignment_id.in_(in_class)),
    ]
    with engine.connect() as conn:
        row = conn.execute(sa.select(*(q.scalar_subquery() for q in counts))).one()
    return tuple(str(v) for v in row)


def student_detail(book: Gradebook, learner_id: int) -> list[dict[str, Any]]:
    """Every try of one student, newest assignment last, with every graded item (the teacher
    sees answers and solutions whatever the reveal policy), what they answered in words, and
    for a simulator exercise the settings they submitted."""
    out = []
    for a in book.assignments:
        c = book.cell(learner_id, a.id)
        for t in c.tries:
            out.append({
                "assignment_id": a.id, "kind": a.kind,
                "assignment": a.title, "try": t.try_no, "opened": when(t.opened_at, book.zone),
                "submitted": when(t.submitted_at, book.zone) if t.submitted else "not submitted",
                "late": bool(t.late), "score": t.score, "version": t.spec_version,
                "items": answered_items(t),
                "notes": list((t.responses or {}).get("notes", [])) if isinstance(t.responses, dict) else [],
                "config": (t.responses or {}).get("config") if isinstance(t.responses, dict) else None,
            })
    return out


def latest_submission(book: Gradebook) -> str:
    """"3 tries submitted · latest: Sam, “Week 3”, 2026-12-01 10:05 Europe/London" (or "")."""
    done = [(t.submitted_at, c) for c in book.cells.values() for t in c.tries if t.submitted_at]
    if not done:
        return ""
    at, cell = max(done, key=lambda p: p[0])
    return (f"{len(done)} {'try' if len(done) == 1 else 'tries'} submitted · latest: "
            f"{cell.member.display_name}, “{cell.assignment.title}”, {when(at, book.zone)}")


def kind_shares(book: Gradebook) -> pd.DataFrame:
    """Per question kind: items answered, items right, and the share right, over every
    submitted try in the class."""
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for c in book.cells.values():
        for t in c.tries:
            for item in t.results or []:
                total[item["kind"]] += 1
                right[item["kind"]] += int(item["status"] == "correct")
    rows = [{"kind": k, "answered": total[k], "right": right[k], "share_right": right[k] / total[k]}
            for k in sorted(total)]
    return pd.DataFrame(rows, columns=["kind", "answered", "right", "share_right"])


def kind_chart(shares: pd.DataFrame) -> alt.LayerChart:
    """Horizontal bars: the share answered right per question kind, weakest first. Each kind
    is named in full (no cut-off labels) and each bar carries its figure as text, so a kind
    nobody got right reads "0% (0 of 3)" instead of showing no bar at all."""
    frame = shares.assign(label=[f"{s:.0%} ({r} of {n})" for s, r, n in
                                 zip(shares["share_right"], shares["right"], shares["answered"])])
    order = alt.EncodingSortField("share_right", order="ascending")
    base = alt.Chart(frame).encode(
        y=alt.Y("kind:N", title=None, sort=order, axis=alt.Axis(labelLimit=0)),
        tooltip=[alt.Tooltip("kind:N", title="Question kind"),
                 alt.Tooltip("right:Q", title="Right"),
                 alt.Tooltip("answered:Q", title="Answered"),
                 alt.Tooltip("share_right:Q", title="Share right", format=".0%")])
    x = alt.X("share_right:Q", title="Share answered right",
              scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    bars = base.mark_bar().encode(
        x=x, color=alt.Color("share_right:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[0, 1]),
                             legend=None))
    # The figure sits just right of a short bar, and inside the end of a long one (where
    # there is no room to its right).
    outside = base.transform_filter("datum.share_right < 0.75").mark_text(
        align="left", dx=4).encode(x=x, text="label:N")
    inside = base.transform_filter("datum.share_right >= 0.75").mark_text(
        align="right", dx=-4, color="black").encode(x=x, text="label:N")
    return (bars + outside + inside).properties(height=alt.Step(28))
