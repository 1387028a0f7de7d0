"""The teacher page, opened by a deep link as its first page: the lock, the passcode with
throttling, optional school sign-in, then classes, assignments and the gradebook."""
from __future__ import annotations

import pytest
import streamlit as st

from engine import db
from engine.learners import create_learner
from engine.teachers import assignments as asg
from engine.teachers import auth
from engine.teachers import classes as cls
from engine.teachers.links import LinkProblem
from engine.quiz import available_templates
from teachers_support import (FAST_HASH, MALICIOUS, PASSCODE, assert_plain_text, held_by_server, page_text, press,
                              shown_by_browser, unlock)
from ui.assignment_form import QUIZ_FIELDS, SIM_FIELDS

PAGE = "pages/teacher.py"


@pytest.fixture(autouse=True)
def _no_configured_hash(monkeypatch):
    monkeypatch.delenv(auth.ENV_VAR, raising=False)


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setenv(auth.ENV_VAR, FAST_HASH)


TABS = ["Misconceptions", "Gradebook", "Assignments", "New assignment", "Classes", "Settings"]
# The keys of every field of the New assignment form (both kinds).
NEW_FORM = ("t_asg_", "t_quiz_", "t_sim_", *("t_" + name for name in QUIZ_FIELDS + SIM_FIELDS))


def choose_class(at, class_id):
    """The new-assignment form has no class until the teacher picks one."""
    at.selectbox(key="t_asg_class").set_value(class_id)
    return at.run()


def is_locked(at) -> bool:
    return not at.tabs and "Create class" not in page_text(at)


def test_without_a_configured_hash_the_page_explains_and_stays_locked(app_test):
    engine = db.connect()
    cls.create_class(engine, "Secret class 7B")
    at = app_test(PAGE)
    assert not at.exception
    assert is_locked(at)
    text = page_text(at)
    assert "python -m engine.teachers hash-passcode" in text and auth.ENV_VAR in text
    assert "Secret class 7B" not in text
    assert not at.text_input  # nothing to type a passcode into: no passcode could unlock it


def test_a_damaged_hash_keeps_the_page_locked_with_a_message(app_test, monkeypatch):
    monkeypatch.setenv(auth.ENV_VAR, "pbkdf2_sha256$600000$nothex$00")
    at = app_test(PAGE)
    assert is_locked(at) and not at.exception
    assert "damaged" in at.error[0].value


def test_cold_start_deep_link_meets_the_gate_first(app_test, configured):
    """Opening /teacher first, on a fresh server with data in it, shows only the lock."""
    engine = db.connect()
    c = cls.create_class(engine, "Secret class 7B")
    asg.create_quiz(engine, c, "Hidden quiz", ["iterations-per-epoch"], 1)
    at = app_test(PAGE)
    assert is_locked(at)
    text = page_text(at)
    assert "Passcode" in text and "Teacher sign-in" in text
    assert "Secret class 7B" not in text and "Hidden quiz" not in text and c.code not in text


def test_wrong_passcodes_are_refused_then_throttled(app_test, configured):
    at = app_test(PAGE)
    at = unlock(at, "not the passcode")
    assert is_locked(at) and "Wrong passcode" in at.error[0].value
    unlock(at, "still wrong")
    at = unlock(at, "wrong again")
    assert "Wait 5 seconds before the next try" in at.error[0].value
    at = unlock(at, PASSCODE)  # the right one, but too soon: refused without checking
    assert is_locked(at) and "Too many wrong passcodes" in at.error[0].value
    assert "teacher_passcode" not in at.session_state.to_dict() or not at.session_state["teacher_passcode"]


def test_right_passcode_unlocks_and_is_not_kept(app_test, configured):
    at = unlock(app_test(PAGE))
    assert not at.exception and [t.label for t in at.tabs] == TABS
    assert PASSCODE not in str(at.session_state.to_dict())
    at = press(at, "Lock")
    assert is_locked(at)


def test_hash_from_secrets_toml_works_too(app_test):
    at = app_test(PAGE)
    at.secrets["teacher"] = {"passcode_hash": FAST_HASH}
    at.run()
    at = unlock(at)
    assert at.tabs


class FakeUser(dict):
    """What st.user looks like after a school sign-in."""

    def __getattr__(self, name):
        return self.get(name)


def test_school_sign_in_lets_in_only_listed_teachers(app_test, monkeypatch):
    at = app_test(PAGE)
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "id", "client_secret": "s",
                          "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
    at.secrets["teacher"] = {"emails": ["teacher@school.example"], "passcode_hash": FAST_HASH}
    at.run()
    assert is_locked(at) and any(b.label == "Sign in" for b in at.button)

    monkeypatch.setattr(st, "user", FakeUser(is_logged_in=True, email="pupil@school.example"))
    at.run()
    assert is_locked(at) and "not on this app's teacher list" in at.warning[0].value

    monkeypatch.setattr(st, "user", FakeUser(is_logged_in=True, email="Teacher@School.example"))
    at.run()
    assert at.tabs and not at.exception


def test_teacher_creates_a_class_and_a_quiz_and_reads_the_gradebook(app_test, configured):
    at = unlock(app_test(PAGE))
    at.text_input(key="t_class_name").input("<b>Year 10</b> [click](http://evil)")
    at = press(at, "Create class")
    assert not at.exception and at.success
    engine = db.connect()
    c, = cls.list_classes(engine)
    assert c.name == "<b>Year 10</b> [click](http://evil)"
    heading = next(m.value for m in at.markdown if "Year 10" in m.value)
    assert "\\<b\\>" in heading and "\\[click\\]" in heading  # shown as typed, not as HTML or a link
    assert any(f"assignments?join={c.code}" in code.value for code in at.code)
    roster_links = [p.proto for p in at.get("page_link") if p.proto.label.startswith("Class roster:")]
    assert [p.query_string for p in roster_links] == [f"class={c.id}"]  # its roster, one click away

    at = choose_class(at, c.id)
    assert at.subheader[0].value.startswith("New assignment for \\<b\\>Year 10")
    at.text_input(key="t_quiz_title").input("Week 3: batches")
    at.number_input(key="t_count").set_value(2)
    at = press(at, "Create assignment")
    assert not at.exception and at.success
    a, = asg.list_assignments(engine, c.id)
    assert (a.title, a.kind, a.tries_allowed, a.reveal) == ("Week 3: batches", "quiz", 2, "last_try")
    assert a.quiz_spec().count == 2
    assert any(f"assignments?assignment={a.code}" in code.value for code in at.code)

    sam = create_learner(engine, "Sam")
    t = asg.start_try(engine, a, sam.id)
    asg.submit(engine, a, sam.id, t.id, [q.answer.value for q in t.questions()], key="sam-key-12345")
    at.run()
    assert at.selectbox(key="t_asg_class").value is None  # the next one needs its class chosen again
    table = at.dataframe[0].value
    assert list(table["Student"]) == ["Sam"] and table.iloc[0]["Week 3: batches"] == "100% (1 try)"
    assert at.get("download_button")
    assert any("Try 1" in e.label or "try 1" in e.label for e in at.expander)


def test_teacher_creates_a_simulator_exercise(app_test, configured):
    engine = db.connect()
    c = cls.create_class(engine, "Year 11")
    at = choose_class(unlock(app_test(PAGE)), c.id)
    at.segmented_control(key="t_asg_kind").set_value("Simulator exercise").run()
    at.text_input(key="t_sim_title").input("Stop in time")
    at.selectbox(key="t_preset").set_value("Overfitting").run()
    at.checkbox(key="t_overfit").check()
    at = press(at, "Create assignment")
    assert not at.exception, at.exception
    a, = asg.list_assignments(engine, c.id)
    spec = a.sim_spec()
    assert a.kind == "simulator" and spec.stop_before_overfitting and spec.target_val_accuracy == 0.9
    assert spec.start.label_noise > 0 and set(spec.editable) == {"batch_size", "learning_rate", "epochs"}


def test_a_bad_assignment_form_gets_a_message_not_a_traceback(app_test, configured):
    c = cls.create_class(db.connect(), "Year 11")
    at = unlock(app_test(PAGE))
    assert next(b for b in at.button if b.label == "Create assignment").disabled  # no class chosen
    at = choose_class(at, c.id)
    at = press(at, "Create assignment")  # no title
    assert not at.exception and "give the assignment a name" in at.error[0].value
    at.text_input(key="t_quiz_title").input("Week 4")
    at.multiselect(key="t_kinds").set_value([])
    at = press(at, "Create assignment")
    assert not at.exception and "at least one question kind" in at.error[0].value
    assert asg.list_assignments(db.connect()) == []


def test_names_typed_by_the_teacher_are_plain_text_everywhere(app_test, configured):
    """The class name in "Assignment created… under “…”", the list, the pickers, the gradebook."""
    at = unlock(app_test(PAGE))
    at.text_input(key="t_class_name").input(MALICIOUS)
    at = press(at, "Create class")
    assert_plain_text(at, MALICIOUS)
    at = choose_class(at, cls.list_classes(db.connect())[0].id)
    at.text_input(key="t_quiz_title").input(MALICIOUS)
    at = press(at, "Create assignment")
    assert not at.exception
    created = next(s.value for s in at.success if "Assignment created" in s.value)
    assert "\\*\\*bold\\*\\*" in created and "](http" not in created
    assert_plain_text(at, MALICIOUS)
    engine = db.connect()
    (c,) = cls.list_classes(engine)
    (a,) = asg.list_assignments(engine, c.id)
    sam = create_learner(engine, "Sam")
    cls.join_class(engine, c, sam.id)
    t = asg.start_try(engine, a, sam.id)
    asg.submit(engine, a, sam.id, t.id, [q.answer.value for q in t.questions()], key="sam-key-12345")
    at.run()
    assert_plain_text(at, MALICIOUS)  # the student's detail lists the try under the title
    at = press(at, "Close now")
    assert any("is closed" in s.value for s in at.success)
    assert_plain_text(at, MALICIOUS)


def test_each_kind_of_assignment_has_its_own_form(app_test, configured):
    """A due date set for a quiz is not carried, unseen, into the next simulator exercise."""
    engine = db.connect()
    c = cls.create_class(engine, "Year 11")
    at = choose_class(unlock(app_test(PAGE)), c.id)
    at.text_input(key="t_quiz_title").input("Quiz with a due date")
    at.checkbox(key="t_quiz_has_due").check().run()
    at.number_input(key="t_quiz_tries").set_value(3)
    at = press(at, "Create assignment")
    assert not at.exception
    assert at.text_input(key="t_quiz_title").value == ""  # ready for the next one
    assert not at.checkbox(key="t_quiz_has_due").value

    at.segmented_control(key="t_asg_kind").set_value("Simulator exercise").run()
    assert not at.checkbox(key="t_sim_has_due").value and at.number_input(key="t_sim_tries").value == 2
    at = choose_class(at, c.id)
    at.text_input(key="t_sim_title").input("Exercise")
    at = press(at, "Create assignment")
    assert not at.exception
    quiz, exercise = asg.list_assignments(engine, c.id)
    assert quiz.due_at is not None and quiz.tries_allowed == 3
    assert exercise.due_at is None and exercise.tries_allowed == 2


def test_one_student_picker_starts_on_a_student_with_work(app_test, configured):
    engine = db.connect()
    c = cls.create_class(engine, "Year 10")
    a = asg.create_quiz(engine, c, "Week 3", ["iterations-per-epoch"], 1)
    ana, zed = create_learner(engine, "Ana"), create_learner(engine, "Zed")
    for s in (ana, zed):
        cls.join_class(engine, c, s.id)
    t = asg.start_try(engine, a, zed.id)
    asg.submit(engine, a, zed.id, t.id, [q.answer.value for q in t.questions()], key="zed-key-12345")
    at = unlock(app_test(PAGE))
    picker = at.selectbox(key="t_gb_student")
    assert picker.value == zed.id and picker.options == ["Zed", "Ana"]
    assert any(e.label.startswith("Week 3 · try 1 · 100%") for e in at.expander)


def test_closing_an_assignment_stops_students_submitting(app_test, configured):
    engine = db.connect()
    c = cls.create_class(engine, "Year 10")
    a = asg.create_quiz(engine, c, "Week 3", ["iterations-per-epoch"], 1)
    sam = create_learner(engine, "Sam")
    cls.join_class(engine, c, sam.id)
    t = asg.start_try(engine, a, sam.id)  # Sam has the quiz open when the teacher closes it
    at = unlock(app_test(PAGE))
    at = press(at, "Close now")
    assert not at.exception and "“Week 3” is closed" in at.success[0].value
    assert asg.list_assignments(engine, c.id)[0].closed_at is not None
    assert any(e.label.startswith("Week 3 · Quiz") and e.label.endswith("closed") for e in at.expander)
    assert any(b.label == "Reopen" for b in at.button)
    with pytest.raises(LinkProblem, match="was closed by your teacher"):
        asg.submit(engine, asg.list_assignments(engine, c.id)[0], sam.id, t.id, ["1"], key="sam-key-12345")


def test_a_forged_value_quoted_in_a_note_is_plain_text_for_the_teacher(app_test, configured):
    """A student who sends a value for a locked control (by hand) gets a note quoting it; the
    teacher reads that note as typed, not as a link."""
    from engine.simulator import SimConfig
    from engine.teachers import simexercise as sx

    engine = db.connect()
    c = cls.create_class(engine, "Year 11")
    spec = sx.SimSpec(start=SimConfig(epochs=3, seed=5), editable=("epochs",), own_seed=False,
                      max_epochs=5, questions=("epochs-run",))
    a = asg.create_simulation(engine, c, "Three epochs", spec)
    sam = create_learner(engine, "Sam")
    cls.join_class(engine, c, sam.id)
    t = asg.start_try(engine, a, sam.id)
    forged = "[click](http://evil.example)"
    asg.submit(engine, a, sam.id, t.id, {"config": {"epochs": 3, "dataset": forged},
                                          "answers": {"epochs-run": "3"}}, key="sam-key-12345")
    at = unlock(app_test(PAGE))
    assert not at.exception
    note = next(x.value for x in at.caption if "set by your teacher" in x.value)
    assert "\\[click\\]" in note and "](http" not in note and "http\\:\u2060//" in note


@pytest.mark.parametrize("typed", ["see www.evil.example now", "mail me: a.b@evil.example",
                                   "HTTPS://EVIL.EXAMPLE/x", ":smile: :red[alert]", "a <script>x</script> | b",
                                   "mailto:a@b.example"])
def test_md_escape_leaves_nothing_markdown_could_turn_into_a_link_or_markup(typed):
    import re

    from teachers_support import _AUTOLINK
    from ui.text import md_escape

    shown = md_escape(typed)
    assert re.sub(r"\\(.)", r"\1", shown).replace("\u2060", "") == typed  # reads as typed
    assert not _AUTOLINK.search(re.sub(r"\\(.)", r"\1", shown))
    assert not re.search(r"(?<!\\)[<>\[\]|*_]", shown) and not re.search(r"(?<!\\):[\w+-]+:", shown)
    assert md_escape("Week 3: batches") == "Week 3\\: batches"  # nothing invisible where not needed


def test_the_new_assignment_form_shows_its_values_whichever_run_the_browser_draws_it_from(app_test, configured):
    """A click while the page is drawing the form (a tab, on a busy server) stops that run and
    starts the next at once: the browser may first see the form in a later run's messages.
    Each run's message gives every field its value (the default kinds, 2 tries…), never the
    widget's own empty default, which the browser would show and send back."""
    c = cls.create_class(db.connect(), "Year 11")
    at = unlock(app_test(PAGE))
    fresh = held_by_server(at, NEW_FORM)
    kinds = available_templates()
    assert fresh["t_kinds"] == [kinds["iterations-per-epoch"].title, kinds["total-iterations"].title]
    assert (fresh["t_quiz_tries"], fresh["t_count"], fresh["t_asg_kind"]) == (2, 5, ["Quiz"])
    at.run()  # the teacher opened the tab: this run's messages are the first the browser gets
    assert shown_by_browser(at, NEW_FORM) == held_by_server(at, NEW_FORM) == fresh
    at = choose_class(at, c.id)
    at.text_input(key="t_quiz_title").input("Week 4")
    at.checkbox(key="t_quiz_has_due").check().run()
    at.checkbox(key="t_quiz_has_opens").check().run()
    at.run()
    assert shown_by_browser(at, NEW_FORM) == held_by_server(at, NEW_FORM)
    at.segmented_control(key="t_asg_kind").set_value("Simulator exercise").run()
    at.checkbox(key="t_sim_has_due").check().run()
    at.run()
    shown = shown_by_browser(at, NEW_FORM)
    assert shown == held_by_server(at, NEW_FORM)
    assert shown["t_editable"] and shown["t_questions"] and shown["t_sim_tries"] == 2


def test_after_creating_the_browser_shows_a_fresh_form(app_test, configured):
    """The filled form stays on the teacher's screen after Create: the run after it sends each
    field its fresh value, so the browser does not keep showing (and send back) the last one."""
    c = cls.create_class(db.connect(), "Year 11")
    at = unlock(app_test(PAGE))
    fresh = held_by_server(at, NEW_FORM)
    at = choose_class(at, c.id)
    at.text_input(key="t_quiz_title").input("Week 4")
    at.number_input(key="t_quiz_tries").set_value(3)
    at.multiselect(key="t_kinds").set_value(["total-iterations"])
    at.number_input(key="t_count").set_value(2)
    at.checkbox(key="t_quiz_has_due").check().run()
    filled = held_by_server(at, NEW_FORM)  # what the browser shows: the teacher's own choices
    at = press(at, "Create assignment")
    assert not at.exception and any("Assignment created" in s.value for s in at.success)
    shown = shown_by_browser(at, NEW_FORM, before=filled)
    assert shown == held_by_server(at, NEW_FORM) == fresh
    assert shown["t_asg_class"] is None and shown["t_quiz_title"] == ""
