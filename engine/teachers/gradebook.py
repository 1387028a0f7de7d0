"""The gradebook: every member of a class against every assignment, a student's detail, the
share of right answers per question kind (an Altair chart), and a CSV export.

The score that counts is a student's best try (retrying never lowers it). Times are UTC.
"""
from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import altair as alt
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine.learners import learners

from .assignments import Assignment, Attempt, _attempt, best, list_assignments, when
from .classes import Member, members
from .store import attempts

CSV_COLUMNS = ["student", "assignment", "kind", "due_utc", "status", "score_percent", "points",
               "max_points", "tries_used", "tries_allowed", "first_opened_utc",
               "last_submitted_utc", "late"]


@dataclass(frozen=True)
class Cell:
    """One student on one assignment."""

    assignment: Assignment
    member: Member
    tries: tuple[Attempt, ...]

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
                else:
                    text = f"{c.score:.0%} ({c.tries_used} {'try' if c.tries_used == 1 else 'tries'})"
                    if c.status == "submitted late":
                        text += " late"
                row[_column(a, self.assignments)] = text
            rows.append(row)
        return pd.DataFrame(rows, columns=["Student", *[_column(a, self.assignments) for a in self.assignments]])

    def records(self) -> list[dict[str, Any]]:
        """Long form: one record per student and assignment (the CSV's rows)."""
        out = []
        for m in self.members:
            for a in self.assignments:
                c = self.cell(m.learner_id, a.id)
                b = c.best
                out.append({
                    "student": m.display_name, "assignment": a.title, "kind": a.kind,
                    "due_utc": a.due_at.isoformat() if a.due_at else "",
                    "status": c.status,
                    "score_percent": "" if c.score is None else round(c.score * 100, 1),
                    "points": "" if b is None else b.points,
                    "max_points": "" if b is None else b.max_points,
                    "tries_used": c.tries_used, "tries_allowed": a.tries_allowed,
                    "first_opened_utc": c.tries[0].opened_at.isoformat() if c.tries else "",
                    "last_submitted_utc": c.last_submitted.isoformat() if c.last_submitted else "",
                    "late": "yes" if any(t.late for t in c.tries if t.submitted) else "",
                })
        return out

    def csv(self) -> bytes:
        frame = pd.DataFrame(self.records(), columns=CSV_COLUMNS)
        for col in ("student", "assignment"):
            frame[col] = frame[col].map(spreadsheet_safe)
        buf = io.StringIO()
        frame.to_csv(buf, index=False)
        # A BOM so Excel opens accented names correctly; other tools ignore it.
        return ("\ufeff" + buf.getvalue()).encode("utf-8")


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


def class_gradebook(engine: Engine, class_id: int) -> Gradebook:
    people = members(engine, class_id)
    work = list_assignments(engine, class_id)
    tries = _tries(engine, [a.id for a in work])
    cells = {(m.learner_id, a.id): Cell(a, m, tuple(tries.get((m.learner_id, a.id), ())))
             for m in people for a in work}
    return Gradebook(people, work, cells)


def student_detail(book: Gradebook, learner_id: int) -> list[dict[str, Any]]:
    """Every try of one student, newest assignment last, with every graded item (the teacher
    sees answers and solutions whatever the reveal policy)."""
    out = []
    for a in book.assignments:
        c = book.cell(learner_id, a.id)
        for t in c.tries:
            out.append({
                "assignment": a.title, "try": t.try_no, "opened": when(t.opened_at),
                "submitted": when(t.submitted_at) if t.submitted else "not submitted",
                "late": bool(t.late), "score": t.score,
                "items": list(t.results or []),
                "notes": list((t.responses or {}).get("notes", [])) if isinstance(t.responses, dict) else [],
                "config": (t.responses or {}).get("config") if isinstance(t.responses, dict) else None,
            })
    return out


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
