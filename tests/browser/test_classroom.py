"""The classroom in a real browser: a teacher fixes a wrong-class assignment, a submission
appears in the open gradebook without a reload, the misconception view counts a planted
mistake, a reload mid-try resumes, and a Submit clicked once after a server restart is stored."""
from __future__ import annotations

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from engine import db
from engine.identity import accounts, roster
from engine.learners import create_learner
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers import drafts
from engine.teachers.auth import ENV_VAR
from teachers_support import FAST_HASH
from tests.browser import conftest as harness
from tests.browser.conftest import _require_chromium, assert_no_error, start_server, stop_server, wait_for_app
from tests.browser.test_teacher import server, unlock_teacher  # noqa: F401  (the same server fixture)


def unlock(page, base):
    unlock_teacher(page, base)


def card_of(engine, school_class, name):
    """A student on the class roster, with the printed card they sign in with."""
    (card,) = roster.add_students(engine, school_class.id, roster.parse_class_list(name))
    return card


def sign_in_with_card(page, url, card):
    """Open a link as a student would, and sign in with the class code and their own code
    (the address keeps the link; no code of theirs ever enters it)."""
    page.goto(url)
    wait_for_app(page)
    expect(page.get_by_label("Class code")).to_be_visible(timeout=30_000)  # a cold start
    page.get_by_label("Class code").fill(card.class_code)
    page.get_by_label("Your code").fill(card.code)
    page.get_by_role("button", name="Sign in").first.click()
    expect(page.get_by_label("Class code")).to_have_count(0, timeout=30_000)
    wait_for_app(page)
    assert card.code not in page.url and "learner=" not in page.url


def pick(page, label, option):
    wait_for_app(page)
    box = page.get_by_label(label, exact=True).first
    choice = page.get_by_role("option", name=option, exact=True).first
    for attempt in range(3):  # a click landing while the page redraws only focuses the box
        box.click()
        try:
            choice.click(timeout=4000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            box.blur()
    wait_for_app(page)


def test_a_teacher_fixes_a_wrong_class_assignment(server, page):
    base, url = server
    engine = db.connect(url)
    right = cls.create_class(engine, "Year 10")
    wrong = cls.create_class(engine, "Year 11")
    started = asg.create_quiz(engine, wrong, "Homework 2", ["iterations-per-epoch"], 1)
    sam = create_learner(engine, "Sam")
    asg.start_try(engine, started, sam.id)  # someone started it in the wrong class
    unlock(page, base)

    page.get_by_role("tab", name="New assignment").click()
    expect(page.get_by_role("button", name="Create assignment")).to_be_disabled()  # no class yet
    pick(page, "For class", "Year 11")  # the wrong one, by mistake
    expect(page.get_by_role("heading", name="New assignment for Year 11")).to_be_visible()
    page.get_by_label("Title").fill("Homework 1")
    page.get_by_role("button", name="Create assignment").click()
    expect(page.get_by_text("Assignment created in “Year 11”")).to_be_visible()

    # Nobody has started Homework 1: move it.
    page.get_by_role("tab", name="Assignments").click()
    page.get_by_text(re.compile(r"^Homework 1 · Quiz")).click()
    pick(page, "Move or copy to class", "Year 10")
    page.get_by_role("button", name="Move").click()
    expect(page.get_by_text("“Homework 1” is now in “Year 10”")).to_be_visible()
    assert asg.list_assignments(engine, right.id)[0].title == "Homework 1"

    # Homework 2 has a start: it cannot move; duplicate it into Year 10, then delete it here.
    pick(page, "Class", "Year 11")
    page.get_by_role("tab", name="Assignments").click()
    page.get_by_text(re.compile(r"^Homework 2 · Quiz")).click()
    expect(page.get_by_role("button", name="Move")).to_be_disabled()
    pick(page, "Move or copy to class", "Year 10")
    page.get_by_role("button", name="Duplicate").click()
    expect(page.get_by_text("A copy, “Homework 2”, is in “Year 10”")).to_be_visible()
    page.get_by_role("button", name="Delete…").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_text("“Homework 2” was deleted")).to_be_visible()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    assert_no_error(page)
    assert asg.list_assignments(engine, wrong.id) == []
    assert sorted(a.title for a in asg.list_assignments(engine, right.id)) == ["Homework 1", "Homework 2"]
    assert asg.attempts_of(engine, started.id, sam.id)  # the started try is kept
    engine.dispose()


def test_a_teacher_creates_two_assignments_then_edits_one(server, page):
    """Every field shows its value whichever run the browser draws it from: a fresh form after
    each Create (the class to choose again, the same one included), and the Edit popover, drawn
    in the browser only when it opens, showing the assignment as it is."""
    base, url = server
    engine = db.connect(url)
    cls.create_class(engine, "Year 10")
    cls.create_class(engine, "Year 11")
    unlock(page, base)
    page.get_by_role("tab", name="New assignment").click()
    pick(page, "For class", "Year 10")
    page.get_by_label("Title").fill("Homework 1")
    page.get_by_label("Tries allowed").fill("4")
    page.get_by_label("Tries allowed").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Create assignment").click()
    expect(page.get_by_text("Assignment created in “Year 10”")).to_be_visible()
    wait_for_app(page)

    # A fresh form in the browser, not only on the server.
    expect(page.get_by_role("heading", name="New assignment (choose its class above)")).to_be_visible()
    expect(page.get_by_role("combobox", name="For class")).to_have_value("")  # its placeholder shown
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_label("Tries allowed")).to_have_value("2")
    kinds = page.get_by_test_id("stMultiSelect").filter(has_text="Question kinds")
    expect(kinds).to_contain_text("Iterations per epoch")
    expect(kinds).to_contain_text("Total iterations over E epochs")
    pick(page, "For class", "Year 10")  # the same class again
    expect(page.get_by_role("heading", name="New assignment for Year 10")).to_be_visible()
    page.get_by_label("Title").fill("Homework 2")
    page.get_by_role("button", name="Create assignment").click()
    expect(page.get_by_text("Assignment created in “Year 10”")).to_be_visible()
    made = asg.list_assignments(engine)
    assert [(a.title, a.tries_allowed, a.quiz_spec().count) for a in made] == [("Homework 1", 4, 5), ("Homework 2", 2, 5)]

    # Another class, then back; the Edit popover opens many runs after its first message.
    pick(page, "Class", "Year 11")
    pick(page, "Class", "Year 10")
    page.get_by_role("tab", name="Assignments").click()
    page.get_by_text(re.compile(r"^Homework 1 · Quiz")).click()
    page.get_by_test_id("stExpander").filter(has_text="Homework 1 · Quiz").get_by_role("button", name="Edit").click()
    body = page.get_by_test_id("stPopoverBody")
    expect(body.get_by_label("Title")).to_have_value("Homework 1")
    expect(body.get_by_label("Tries allowed")).to_have_value("4")
    expect(body.get_by_label("Number of questions")).to_have_value("5")
    expect(body.get_by_test_id("stMultiSelect")).to_contain_text("Total iterations over E epochs")
    body.get_by_label("Title").fill("Homework 1 (batches)")
    body.get_by_label("Title").press("Enter")
    wait_for_app(page)
    body.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("“Homework 1 (batches)” saved.")).to_be_visible()
    assert_no_error(page)
    now = asg.get_assignment(engine, made[0].id)
    assert (now.title, now.tries_allowed, now.quiz_spec().kinds) == \
        ("Homework 1 (batches)", 4, ("iterations-per-epoch", "total-iterations"))
    engine.dispose()


def test_a_submission_appears_in_the_open_gradebook_and_the_misconception_view(server, page):
    base, url = server
    engine = db.connect(url)
    c = cls.create_class(engine, "Year 10")
    a = asg.create_quiz(engine, c, "Week 3", ["iterations-per-epoch"], 1)
    sam, zoe = create_learner(engine, "Sam"), create_learner(engine, "Zoe")
    for s in (sam, zoe):
        cls.join_class(engine, c, s.id)
    unlock(page, base)
    page.get_by_role("tab", name="Gradebook").click()
    grid = page.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible()
    # While the teacher watches, Sam submits a planted mistake (samples × batch size).
    t = asg.start_try(engine, a, sam.id)
    wrong = next(m.value for m in t.questions()[0].mistakes if m.id == "n-times-b")
    asg.submit(engine, a, sam.id, t.id, [wrong], key="sam-key-12345")
    expect(page.get_by_text(re.compile(r"1 try submitted · latest: Sam, “Week 3”"))).to_be_visible(timeout=20_000)
    expect(grid.get_by_text("0% (1 try)")).to_be_attached()  # no reload: the live part reran
    page.get_by_role("tab", name="Misconceptions").click()
    page.reload()  # a new session on the same device: still signed in, misconceptions first
    wait_for_app(page)
    expect(page.get_by_role("textbox", name="Passcode")).to_have_count(0)
    expect(page.get_by_role("tab", name="Misconceptions", selected=True)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("1. Multiplied instead of dividing")).to_be_visible()
    expect(page.get_by_text("1 student(s) · 1 time(s)")).to_be_visible()
    expect(page.get_by_text("Students: Sam")).to_be_visible()
    assert_no_error(page)
    engine.dispose()


def test_the_open_gradebook_stops_showing_a_class_the_teacher_was_taken_off(server, page):
    """The live part reruns on its own, without the page's checks: it checks at each tick."""
    base, url = server
    engine = db.connect(url)
    ben = accounts.create_teacher(engine, "Ben", email="ben@school.example")
    c = cls.create_class(engine, "Ben's Year 9", owner=ben)
    a = asg.create_quiz(engine, c, "Week 5", ["iterations-per-epoch"], 1)
    sam = card_of(engine, c, "Sam")
    t = asg.start_try(engine, a, sam.learner_id)
    asg.submit(engine, a, sam.learner_id, t.id, [t.questions()[0].answer.value], key="sam-key-12345")
    admin = accounts.legacy_admin(engine)
    cls.add_co_teacher(engine, c.id, admin.id)  # the admin (signed in below) co-teaches it
    unlock(page, base)
    pick(page, "Class", "Ben's Year 9")
    page.get_by_role("tab", name="Gradebook").click()
    grid = page.get_by_test_id("stDataFrame")
    expect(grid.get_by_text("100% (1 try)")).to_be_attached()
    cls.remove_co_teacher(engine, c.id, admin.id)
    expect(page.get_by_text("This class is not one of yours")).to_be_visible(timeout=20_000)  # no reload
    expect(grid).to_have_count(0)
    engine.dispose()


def test_a_reload_mid_try_resumes_with_what_was_typed(server, page):
    base, url = server
    engine = db.connect(url)
    c = cls.create_class(engine, "Year 10")
    a = asg.create_quiz(engine, c, "Week 3", ["iterations-per-epoch"], 2)
    sam = card_of(engine, c, "Sam")
    sign_in_with_card(page, f"{base}/assignments?assignment={a.code}", sam)
    boxes = page.get_by_label(re.compile(r"^Your answer"))
    boxes.nth(0).fill("25")
    boxes.nth(0).press("Tab")
    wait_for_app(page)
    (t,) = asg.attempts_of(engine, a.id, sam.learner_id)
    # The reload comes once the typed answer reached the server (on a busy machine the rerun
    # that stores it can start after the page looked idle).
    for _ in range(50):
        if "25" in str(drafts.load_draft(engine, t.id, sam.learner_id)):
            break
        page.wait_for_timeout(200)
    page.reload()
    wait_for_app(page)
    expect(page.get_by_label(re.compile(r"^Your answer")).nth(0)).to_have_value("25")
    expect(page.get_by_role("heading", name="Try 1 of 1")).to_be_visible()
    assert "assignment=" in page.url
    engine.dispose()


def test_submit_clicked_once_after_a_server_restart_is_stored(tmp_path, page, monkeypatch):
    _require_chromium()
    url = f"sqlite:///{tmp_path / 'school.sqlite3'}"
    env = {ENV_VAR: FAST_HASH, "BATCHWISE_DATABASE_URL": url}
    port = harness._free_port()
    monkeypatch.setattr(harness, "_free_port", lambda: port)  # the restarted server takes the same address
    proc, base = start_server(tmp_path, env)
    try:
        engine = db.connect(url)
        c = cls.create_class(engine, "Year 10")
        a = asg.create_quiz(engine, c, "Week 3", ["iterations-per-epoch"], 1)
        sam = card_of(engine, c, "Sam")
        sign_in_with_card(page, f"{base}/assignments?assignment={a.code}", sam)
        box = page.get_by_label(re.compile(r"^Your answer"))
        expect(box).to_be_visible(timeout=30_000)
        (t,) = asg.attempts_of(engine, a.id, sam.learner_id)
        box.fill(t.questions()[0].answer.value)
        box.press("Tab")
        wait_for_app(page)
        stop_server(proc)
        proc, base = start_server(tmp_path, env)
        # The tab noticed the drop at once (its socket closed) and reconnects by itself: wait
        # until it is connected again and its run has finished.
        wait_for_app(page)
        page.get_by_role("button", name="Submit try 1").click()  # once
        expect(page.get_by_text(re.compile(r"Try 1 submitted: 1 of 1 points"))).to_be_visible(timeout=20_000)
        assert asg.attempts_of(engine, a.id, sam.learner_id)[0].submitted
        assert_no_error(page)
        engine.dispose()
    finally:
        stop_server(proc)


def test_on_a_phone_an_assignment_keeps_its_address_through_submit_and_next_try(server, browser):
    base, url = server
    engine = db.connect(url)
    c = cls.create_class(engine, "Year 10")
    a = asg.create_quiz(engine, c, "Week 3", ["iterations-per-epoch"], 1, tries_allowed=2, reveal="each_try")
    sam = card_of(engine, c, "Sam")  # on the roster: in the class
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    ctx.set_default_timeout(20_000)
    page = ctx.new_page()
    try:
        sign_in_with_card(page, f"{base}/assignments", sam)
        page.get_by_role("button", name="Week 3").click()  # from "My assignments"
        box = page.get_by_label(re.compile(r"^Your answer"))
        expect(box).to_be_visible(timeout=30_000)
        assert f"assignment={a.code}" in page.url
        (t,) = asg.attempts_of(engine, a.id, sam.learner_id)
        box.fill(t.questions()[0].answer.value)
        submit = page.get_by_role("button", name="Submit try 1")
        shape = submit.bounding_box()
        assert shape["x"] >= 0 and shape["x"] + shape["width"] <= 390  # on the screen, not beside it
        submit.click()
        expect(page.get_by_text(re.compile(r"Try 1 submitted: 1 of 1 points"))).to_be_visible()
        expect(page.get_by_text("Next step: try again with new numbers")).to_be_visible()
        assert f"assignment={a.code}" in page.url  # still here, with the result and the next step
        page.reload()
        expect(page.get_by_role("button", name="Start try 2")).to_be_visible(timeout=30_000)
        assert_no_error(page)
    finally:
        ctx.close()
        engine.dispose()
