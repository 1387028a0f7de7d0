"""The gradebook: students × assignments with best score, tries and times; a student's
detail; share right per question kind; a CSV a spreadsheet opens safely."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pandas as pd

from engine import db
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers import gradebook as gb
from teachers_support import learners_named, school, storage_url  # noqa: F401  (fixtures)


def right(t):
    return [q.answer.value for q in t.questions()]


WRONG = "999999"  # never a right answer ("1" can be: a last batch of 1 happens)


def build(engine):
    now = db.now()
    c = cls.create_class(engine, "Year 10")
    quiz = asg.create_quiz(engine, c, "Batches", ["iterations-per-epoch", "last-batch-size"], 2,
                           tries_allowed=3, due_at=now + timedelta(days=1))
    other = asg.create_quiz(engine, c, "Totals", ["total-iterations"], 1)
    sam, ana, zed = learners_named(engine, "Sam", "=HYPERLINK(\"http://evil\")", "Zed")
    for s in (sam, ana, zed):
        cls.join_class(engine, c, s.id)
    t = asg.start_try(engine, quiz, sam.id, now=now)
    asg.submit(engine, quiz, sam.id, t.id, [right(t)[0], WRONG], key="sam-try-1", now=now)
    t = asg.start_try(engine, quiz, sam.id, now=now)
    asg.submit(engine, quiz, sam.id, t.id, right(t), key="sam-try-2", now=now + timedelta(days=2))
    t = asg.start_try(engine, quiz, ana.id, now=now)
    asg.submit(engine, quiz, ana.id, t.id, [WRONG, WRONG], key="ana-try-1", now=now)
    asg.start_try(engine, other, zed.id, now=now)  # opened, not submitted
    return c, quiz, other, (sam, ana, zed)


def test_table_shows_best_score_tries_and_late(school):
    c, quiz, other, (sam, ana, zed) = build(school)
    book = gb.class_gradebook(school, c.id)
    table = book.table().set_index("Student")
    assert list(table.columns) == ["Batches", "Totals"]
    assert table.loc["Sam", "Batches"] == "100% (2 tries) late"  # best try was the late one
    assert table.loc[ana.display_name, "Batches"] == "0% (1 try)"
    assert table.loc["Zed", "Batches"] == "—" and table.loc["Zed", "Totals"] == "in progress"
    assert book.cell(sam.id, quiz.id).status == "submitted late"


def test_csv_has_every_student_and_assignment_and_defuses_formulas(school):
    c, quiz, other, (sam, ana, zed) = build(school)
    data = gb.class_gradebook(school, c.id).csv()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 6 and list(rows[0]) == gb.CSV_COLUMNS
    by = {(r["student"], r["assignment"]): r for r in rows}
    sam_row = by[("Sam", "Batches")]
    assert (sam_row["score_percent"], sam_row["tries_used"], sam_row["tries_allowed"], sam_row["late"]) == \
        ("100.0", "2", "3", "yes")
    assert sam_row["last_submitted_utc"].endswith("+00:00")
    # A name that is a spreadsheet formula is written as text, not run.
    assert ("'" + ana.display_name, "Batches") in by
    assert not any(r["student"].startswith("=") for r in rows)
    assert by[("Zed", "Totals")]["status"] == "in progress"


def test_share_right_per_question_kind_and_its_chart(school):
    c, *_ = build(school)
    shares = gb.kind_shares(gb.class_gradebook(school, c.id)).set_index("kind")
    # Sam try 1: first right, second wrong; Sam try 2: both right; Ana: both wrong.
    assert shares.loc["Iterations per epoch", "answered"] == 3
    assert shares.loc["Iterations per epoch", "right"] == 2
    assert shares.loc["Size of the last batch", "right"] == 1
    spec = gb.kind_chart(shares.reset_index()).to_dict()
    bars, *texts = spec["layer"]
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["x"]["field"] == "share_right"
    assert bars["encoding"]["y"]["axis"]["labelLimit"] == 0  # kinds named in full, never "Iterations per epo…"


def test_a_kind_nobody_got_right_still_shows_its_figure():
    shares = pd.DataFrame([{"kind": "Run: epoch of the lowest validation loss", "answered": 3, "right": 0,
                            "share_right": 0.0},
                           {"kind": "Iterations per epoch", "answered": 4, "right": 4, "share_right": 1.0}])
    spec = gb.kind_chart(shares).to_dict()
    rows = next(iter(spec["datasets"].values()))
    labels = {r["kind"]: r["label"] for r in rows}
    assert labels == {"Run: epoch of the lowest validation loss": "0% (0 of 3)", "Iterations per epoch": "100% (4 of 4)"}
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert texts and all(t["encoding"]["text"]["field"] == "label" for t in texts)
    # Between them the text layers label every bar, the empty one included.
    shown = [r["kind"] for t in texts for r in rows
             if eval(t["transform"][0]["filter"].replace("datum.", ""), {}, dict(r))]
    assert sorted(shown) == sorted(labels)


def test_student_detail_lists_every_try_with_answers_for_the_teacher(school):
    c, quiz, other, (sam, ana, zed) = build(school)
    detail = gb.student_detail(gb.class_gradebook(school, c.id), sam.id)
    assert [(d["assignment"], d["try"], d["late"]) for d in detail] == [("Batches", 1, False), ("Batches", 2, True)]
    assert all(item["correct_answer"] and item["solution"] for d in detail for item in d["items"])
    assert gb.student_detail(gb.class_gradebook(school, c.id), zed.id)[0]["submitted"] == "not submitted"


def test_spreadsheet_safe():
    assert gb.spreadsheet_safe("=1+1") == "'=1+1"
    assert gb.spreadsheet_safe("@cmd") == "'@cmd"
    assert gb.spreadsheet_safe("Anne-Marie") == "Anne-Marie"
