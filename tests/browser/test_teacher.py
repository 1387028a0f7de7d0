"""Teachers and students in a real browser: the lock on a cold start, the whole journey with
two browser contexts (teacher and student), and two app servers sharing one PostgreSQL."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from engine import db
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers.auth import ENV_VAR
from teachers_support import FAST_HASH, PASSCODE, fresh_postgres_database
from tests.browser.conftest import _require_chromium, assert_no_error, start_server, stop_server, wait_for_app


@pytest.fixture
def server(tmp_path):
    """A fresh server with a teacher passcode configured; yields (base URL, database URL)."""
    _require_chromium()
    url = f"sqlite:///{tmp_path / 'school.sqlite3'}"
    proc, base = start_server(tmp_path, {ENV_VAR: FAST_HASH, "BATCHWISE_DATABASE_URL": url})
    yield base, url
    stop_server(proc)


def unlock_teacher(page, base):
    page.goto(f"{base}/teacher")
    page.get_by_role("textbox", name="Passcode").fill(PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("tab", name="Gradebook")).to_be_visible()
    wait_for_app(page)


def start_learner(page, name):
    page.get_by_label("Your name or a nickname").fill(name)
    page.get_by_role("button", name="Start").click()
    wait_for_app(page)


def code_containing(page, fragment) -> str:
    block = page.get_by_test_id("stCode").filter(has_text=fragment).last
    expect(block).to_be_visible()
    return block.inner_text().strip()


def test_cold_start_deep_link_to_teacher_stays_locked(server, page):
    base, url = server
    page.goto(f"{base}/teacher")  # the very first request this server gets
    expect(page.get_by_role("textbox", name="Passcode")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_role("tab")).to_have_count(0)
    page.get_by_role("textbox", name="Passcode").fill("a wrong guess")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Wrong passcode")).to_be_visible()
    expect(page.get_by_role("tab")).to_have_count(0)


def test_teacher_sets_a_quiz_student_submits_teacher_sees_the_grade(server, new_page):
    base, url = server
    teacher, student = new_page(), new_page()

    unlock_teacher(teacher, base)
    teacher.get_by_role("tab", name="Classes").click()
    teacher.get_by_label("New class name").fill("Year 10 <i>B</i> [click](http://evil.example) www.evil.example")
    teacher.get_by_role("button", name="Create class").click()
    expect(teacher.get_by_text("Class created")).to_be_visible()
    teacher.get_by_role("tab", name="New assignment").click()
    teacher.get_by_label("For class").click()
    teacher.get_by_role("option").first.click()
    wait_for_app(teacher)
    teacher.get_by_label("Title").fill("Week 3: batches")
    teacher.get_by_label("Number of questions").fill("2")
    teacher.get_by_label("Number of questions").press("Enter")
    wait_for_app(teacher)
    kinds = teacher.get_by_test_id("stMultiSelect").filter(has_text="Question kinds")
    expect(kinds).to_contain_text("Iterations per epoch")  # the default kinds, however fast the clicks
    expect(kinds).to_contain_text("Total iterations over E epochs")
    teacher.get_by_role("button", name="Create assignment").click()
    expect(teacher.get_by_text("Assignment created")).to_be_visible()
    # The class name is shown as typed, in the message and the list, never as a link or HTML.
    expect(teacher.get_by_text(re.compile(r"in “Year 10 <i>B</i> \[click\]"))).to_be_visible()
    expect(teacher.locator("a[href*='evil.example']")).to_have_count(0)
    expect(teacher.locator("i", has_text="B")).to_have_count(0)
    link = code_containing(teacher, "assignment=")
    assert re.search(r"/assignments\?assignment=[A-Za-z0-9_-]{16}$", link), link

    student.goto(link)
    expect(student.get_by_text("First tell us who you are")).to_be_visible()
    start_learner(student, "Sam")
    expect(student.get_by_role("heading", name="Week 3: batches")).to_be_visible()
    engine = db.connect(url)
    a = asg.find_assignment(engine, link)
    (member,) = cls.members(engine, a.class_id)
    attempt = asg.attempts_of(engine, a.id, member.learner_id)[-1]
    boxes = student.get_by_label(re.compile(r"^Your answer"))
    for i, q in enumerate(attempt.questions()):
        boxes.nth(i).fill(q.answer.value)
    submit = student.get_by_role("button", name="Submit try 1")
    submit.dblclick()  # an impatient double click counts once
    expect(student.get_by_text("Try 1 submitted: 2 of 2 points (100%).")).to_be_visible()  # as for one click
    assert_no_error(student)
    assert asg.tries_used(asg.attempts_of(engine, a.id, member.learner_id)) == 1

    teacher.get_by_role("tab", name="Gradebook").click()
    teacher.reload()  # a reload is a new session, and the teacher is still signed in
    expect(teacher.get_by_role("tab", name="Gradebook")).to_be_visible(timeout=30_000)
    wait_for_app(teacher)
    teacher.get_by_role("tab", name="Gradebook").click()
    grid = teacher.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible()
    expect(grid.get_by_text("100% (1 try)")).to_be_attached()  # the grid draws on a canvas; its cells are an accessible table
    expect(teacher.get_by_role("button", name="Download CSV")).to_be_visible()
    engine.dispose()


PAUSED_SERVER = Path(__file__).parent / "paused_server"


def test_the_default_kinds_are_shown_when_the_tab_is_opened_while_the_form_is_being_drawn(tmp_path, new_page):
    """What a loaded CI run once found: the teacher opened New assignment while the run that
    first drew the form (after "Create class") was still going, and the question kinds were
    empty, so Create refused. Streamlit stops that run and starts the next at once; the browser
    draws the form from the next run's message. Here the server pauses, as a busy one does,
    just after that first run registered the kinds, and the teacher clicks during the pause."""
    _require_chromium()
    marker = tmp_path / "paused"
    url = f"sqlite:///{tmp_path / 'school.sqlite3'}"
    proc, base = start_server(tmp_path, {
        ENV_VAR: FAST_HASH, "BATCHWISE_DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PAUSED_SERVER), os.environ.get("PYTHONPATH")])),
        "BATCHWISE_TEST_PAUSE_AFTER": "t_kinds", "BATCHWISE_TEST_PAUSE_MARKER": str(marker)})
    try:
        teacher = new_page()
        unlock_teacher(teacher, base)
        teacher.get_by_role("tab", name="Classes").click()
        teacher.get_by_label("New class name").fill("Year 10")
        teacher.get_by_role("button", name="Create class").click()  # its run draws the form first
        for _ in range(300):
            if marker.exists():
                break
            teacher.wait_for_timeout(100)
        assert marker.exists(), "the server never drew the question kinds"
        teacher.get_by_role("tab", name="New assignment").click()  # during the pause
        kinds = teacher.get_by_test_id("stMultiSelect").filter(has_text="Question kinds")
        expect(kinds).to_contain_text("Iterations per epoch")
        expect(kinds).to_contain_text("Total iterations over E epochs")
        wait_for_app(teacher)
        teacher.get_by_label("For class").click()
        teacher.get_by_role("option", name="Year 10").click()
        wait_for_app(teacher)
        teacher.get_by_label("Title").fill("Week 1")
        teacher.get_by_role("button", name="Create assignment").click()
        expect(teacher.get_by_text("Assignment created")).to_be_visible()
        engine = db.connect(url)
        (a,) = asg.list_assignments(engine)
        assert a.quiz_spec().kinds == ("iterations-per-epoch", "total-iterations")
        engine.dispose()
    finally:
        stop_server(proc)


def test_two_servers_on_one_postgresql_share_the_gradebook(tmp_path, new_page):
    """A submission made through one app server appears in the gradebook served by another."""
    _require_chromium()
    with fresh_postgres_database() as url:
        env = {ENV_VAR: FAST_HASH, "BATCHWISE_DATABASE_URL": url}
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        one, base_one = start_server(tmp_path / "a", env)
        two, base_two = start_server(tmp_path / "b", env)
        try:
            engine = db.connect(url)
            c = cls.create_class(engine, "Year 12")
            a = asg.create_quiz(engine, c, "Shared quiz", ["iterations-per-epoch"], 1)

            student = new_page()
            student.goto(f"{base_one}/assignments?assignment={a.code}")
            start_learner(student, "Ana")
            expect(student.get_by_role("heading", name="Shared quiz")).to_be_visible()
            (member,) = cls.members(engine, c.id)
            attempt = asg.attempts_of(engine, a.id, member.learner_id)[-1]
            student.get_by_label(re.compile(r"^Your answer")).fill(attempt.questions()[0].answer.value)
            student.get_by_role("button", name="Submit try 1").click()
            expect(student.get_by_text(re.compile(r"Try 1 submitted"))).to_be_visible()

            teacher = new_page()
            unlock_teacher(teacher, base_two)
            teacher.get_by_role("tab", name="Gradebook").click()
            grid = teacher.get_by_test_id("stDataFrame")
            expect(grid.get_by_text("100% (1 try)")).to_be_attached()  # the grid draws on a canvas; its cells are an accessible table
            engine.dispose()
        finally:
            stop_server(one)
            stop_server(two)
