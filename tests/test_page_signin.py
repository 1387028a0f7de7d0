"""The sign-in, roster and admin pages, signed out and signed in (AppTest, deep links)."""
from __future__ import annotations

import pytest

from engine import db
from engine.identity import accounts, roster
from engine.learners import create_learner
from engine.teachers import auth
from engine.teachers import classes as cls
from signin_support import learner_of
from teachers_support import FAST_HASH, page_text, press, sign_in_as, unlock

OWN_PASSCODE = "bo's very own passcode"


@pytest.fixture(autouse=True)
def configured(monkeypatch):
    monkeypatch.setenv(auth.ENV_VAR, FAST_HASH)


def test_sign_in_page_signs_a_student_in_with_the_codes_on_their_card(app_test):
    engine = db.connect()
    c = cls.create_class(engine, "Year 10")
    (ava,) = roster.add_students(engine, c.id, roster.parse_class_list("Ava"))
    at = app_test("pages/sign_in.py")
    assert not at.exception and learner_of(at) is None
    at.text_input(key="signin_class_code").input(ava.class_code.lower())
    at.text_input(key="signin_personal_code").input("2222-3333-4444")
    at = press(at, "Sign in")
    assert "do not match a student" in at.error[0].value and learner_of(at) is None
    at.text_input(key="signin_class_code").input(ava.class_code)
    at.text_input(key="signin_personal_code").input(ava.code.replace("-", " "))
    at = press(at, "Sign in")
    assert not at.exception and learner_of(at).id == ava.learner_id
    assert any("signed in as **Ava**" in s.value for s in at.success)
    assert "Year 10" in page_text(at)
    assert ava.code not in str(dict(at.query_params))
    at = press(at, "Sign out")
    assert learner_of(at) is None and at.text_input(key="signin_class_code") is not None


def test_roster_page_is_for_teachers_only(app_test):
    at = app_test("pages/roster.py")
    assert not at.exception and "Teacher sign-in" in at.title[0].value
    assert "Add students" not in page_text(at)


def test_a_teacher_adds_students_prints_cards_and_fixes_the_roster(app_test):
    engine = db.connect()
    at = unlock(app_test("pages/roster.py"))  # the admin passcode: no classes yet
    assert "no classes yet" in at.info[0].value
    c = cls.create_class(engine, "Year 10", owner=accounts.legacy_admin(engine))
    at.run()
    at.text_area(key="roster_list").input("Ava Patel, ava@school.example\nBen Ode\nBen O")
    at = press(at, "Add students and make their codes")
    assert not at.exception and "3 student(s) added" in at.success[0].value
    (download,) = at.get("download_button")
    cards = at.session_state["roster_cards"][1]
    assert [x.name for x in cards] == ["Ava Patel", "Ben Ode", "Ben O"]
    assert roster.sign_in_with_code(engine, cards[0].class_code, cards[0].code).display_name == "Ava Patel"
    # Merge the two Ben entries, archive and restore Ava, reissue Ben's code.
    ids = {x.name: x.learner_id for x in cards}
    at.selectbox(key="roster_merge_keep").set_value(ids["Ben Ode"])
    at.selectbox(key="roster_merge_remove").set_value(ids["Ben O"])
    at = press(at, "Merge, keeping all their work")
    assert "Merged" in at.success[0].value
    assert [m.display_name for m in cls.members(engine, c.id)] == ["Ava Patel", "Ben Ode"]
    at.selectbox(key="roster_edit_pick").set_value(ids["Ava Patel"])
    at.run()
    at = press(at, "Archive (remove from the class)")
    assert [m.display_name for m in cls.members(engine, c.id)] == ["Ben Ode"]
    at = press(at, "Restore")
    assert [m.display_name for m in cls.members(engine, c.id)] == ["Ava Patel", "Ben Ode"]
    at.multiselect(key="roster_reissue_pick").set_value([ids["Ben Ode"]])
    at = press(at, "Make new codes")
    (new,) = at.session_state["roster_cards"][1]
    assert roster.sign_in_with_code(engine, new.class_code, cards[1].code) is None
    assert roster.sign_in_with_code(engine, new.class_code, new.code).id == ids["Ben Ode"]


def test_teacher_b_cannot_open_teacher_a_s_roster_by_link(app_test):
    engine = db.connect()
    ada = accounts.create_teacher(engine, "Ada", passcode="ada's very own passcode")
    accounts.create_teacher(engine, "Bo", passcode=OWN_PASSCODE)
    secret = cls.create_class(engine, "Ada's secret class", owner=ada)
    roster.add_students(engine, secret.id, roster.parse_class_list("Zed Hidden"))
    at = sign_in_as(app_test("pages/roster.py", query={"class": str(secret.id)}), "bo", OWN_PASSCODE)
    assert not at.exception
    text = page_text(at)
    assert "Zed Hidden" not in text and "Ada's secret class" not in text
    assert "no classes yet" in at.info[0].value


def test_admin_page_refuses_teachers_and_lets_the_admin_add_one(app_test):
    engine = db.connect()
    accounts.create_teacher(engine, "Bo", passcode=OWN_PASSCODE)
    at = sign_in_as(app_test("pages/admin.py"), "Bo", OWN_PASSCODE)
    assert not at.exception and "for admins" in at.error[0].value
    at = unlock(app_test("pages/admin.py"))
    assert not at.exception and "Teacher accounts" in page_text(at)
    at.text_input(key="admin_new_name").input("Cy")
    at.text_input(key="admin_new_email").input("cy@school.example")
    at = press(at, "Add teacher")
    assert "Account made for Cy" in at.success[0].value
    assert accounts.by_email(engine, "CY@school.example").name == "Cy"


def test_a_wrong_teacher_passcode_is_refused_and_names_no_account(app_test):
    accounts.create_teacher(db.connect(), "Bo", passcode=OWN_PASSCODE)
    for login in ("Bo", "nobody"):
        at = sign_in_as(app_test("pages/teacher.py"), login, "not the passcode")
        assert "Wrong name or passcode" in at.error[0].value


def test_progress_and_flashcards_pages_signed_in_by_roster_code(app_test):
    engine = db.connect()
    c = cls.create_class(engine, "Year 10")
    (ava,) = roster.add_students(engine, c.id, roster.parse_class_list("Ava"))
    for page in ("pages/progress.py", "pages/flashcards.py"):
        at = app_test(page)
        assert "Start with your name" in at.info[0].value
        at.text_input(key="signin_class_code").input(ava.class_code)
        at.text_input(key="signin_personal_code").input(ava.code)
        at = press(at, "Sign in")
        assert not at.exception and learner_of(at).id == ava.learner_id
        assert not any("Start with your name" in i.value for i in at.info)


def test_quiz_page_offers_sign_in_to_save_and_keeps_results_once_signed_in(app_test):
    from engine.quiz import history
    engine = db.connect()
    c = cls.create_class(engine, "Year 10")
    (ava,) = roster.add_students(engine, c.id, roster.parse_class_list("Ava"))
    at = app_test("pages/quiz.py", query={"kinds": "iterations-per-epoch", "seed": "5", "length": "1"})
    assert not at.exception
    assert any(e.label == "Sign in to save your results" for e in at.expander)
    at.text_input(key="signin_class_code").input(ava.class_code)
    at.text_input(key="signin_personal_code").input(ava.code)
    at = press(at, "Sign in")
    assert not at.exception and learner_of(at).id == ava.learner_id
    assert not any(e.label == "Sign in to save your results" for e in at.expander)
    assert history.load(engine, ava.learner_id) == []  # nothing answered yet, nothing invented


def test_the_menu_offers_sign_in_roster_and_admin(app_test):
    at = app_test("pages/sign_in.py")
    labels = [p.proto.label for p in at.get("page_link")]
    assert {"Sign in", "Class roster", "Admin"} <= set(labels)
    assert at.text_input(key="signin_class_code") is not None


def test_the_owner_adds_a_co_teacher_who_then_sees_the_roster(app_test):
    engine = db.connect()
    accounts.create_teacher(engine, "Bo", passcode=OWN_PASSCODE)
    c = cls.create_class(engine, "Year 10", owner=accounts.legacy_admin(engine))
    roster.add_students(engine, c.id, roster.parse_class_list("Ava"))
    at = unlock(app_test("pages/roster.py"))
    bo = accounts.find_by_login(engine, "Bo")[0]
    at.selectbox(key="roster_co_teacher").set_value(bo.id)
    at = press(at, "Add co-teacher")
    assert "Co-teacher added" in at.success[0].value
    at = sign_in_as(app_test("pages/roster.py"), "Bo", OWN_PASSCODE)
    assert not at.exception
    assert "Ava" in list(at.dataframe[0].value["Student"])
    assert any("owner (or an admin) can add co-teachers" in c.value for c in at.caption)
