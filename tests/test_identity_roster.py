"""Rosters: a pasted class list, personal codes that are easy to type yet not guessable,
reissue, rename, archive/restore and merge keeping all work."""
from __future__ import annotations

import math

import pytest
import sqlalchemy as sa

from engine import db
from engine.flashcards import store as fc_store
from engine.identity import roster, sessions
from engine.identity import school as school_accounts
from engine.identity.store import CODE_ALPHABET, roster_entries
from engine.learners import get_learner, resume
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from teachers_support import school, storage_url  # noqa: F401  (fixtures: both databases)


def test_class_lists_are_read_in_the_forms_teachers_paste():
    plain = roster.parse_class_list("Ava Patel\n\n  Ben  Ode \nCy, cy@school.example, 1042\n")
    assert [(s.name, s.email, s.student_ref) for s in plain] == [
        ("Ava Patel", None, None), ("Ben Ode", None, None), ("Cy", "cy@school.example", "1042")]
    csv_text = "First name,Last name,Email,Student ID\nAva,Patel,AVA@school.example,7\nBen,Ode,,8\n"
    assert [(s.name, s.email, s.student_ref) for s in roster.parse_class_list(csv_text)] == [
        ("Ava Patel", "ava@school.example", "7"), ("Ben Ode", None, "8")]
    tabbed = roster.parse_class_list("name\temail\nDee\tdee@school.example\n")
    assert tabbed[0].email == "dee@school.example"
    for bad, message in (("", "Paste the class list"), ("Eve, not-an-email@", "not an e-mail")):
        with pytest.raises(roster.RosterError, match=message):
            roster.parse_class_list(bad)


def test_personal_codes_are_typeable_and_beyond_guessing():
    codes = {roster.new_personal_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4]
        assert not set("".join(groups)) & set("01OILU")
    assert math.log2(len(CODE_ALPHABET)) * roster.CODE_CHARS >= 40


def test_a_student_signs_in_with_class_code_and_personal_code_typed_loosely(school):
    c = cls.create_class(school, "10A")
    ava, ben = roster.add_students(school, c.id, roster.parse_class_list("Ava\nBen"))
    assert ava.class_code == cls.class_code(school, c.id) and ava.class_name == "10A"
    assert roster.sign_in_with_code(school, ava.class_code, ava.code).display_name == "Ava"
    typed = ava.code.lower().replace("-", " ")
    assert roster.sign_in_with_code(school, f" {ava.class_code.lower()} ", typed).id == ava.learner_id
    assert roster.sign_in_with_code(school, ava.class_code, ben.code).id == ben.learner_id
    assert roster.sign_in_with_code(school, ava.class_code, "2222-3333-4444") is None
    assert roster.sign_in_with_code(school, "ZZZZZZ", ava.code) is None
    with school.connect() as conn:  # codes are not stored, only their HMAC
        stored = conn.execute(sa.select(roster_entries.c.code_hash)).scalars().all()
    assert ava.code not in str(stored) and ava.code.replace("-", "") not in str(stored)
    assert [m.display_name for m in cls.members(school, c.id)] == ["Ava", "Ben"]


def test_a_reissued_code_replaces_the_old_one_and_signs_devices_out(school):
    c = cls.create_class(school, "10A")
    (ava,) = roster.add_students(school, c.id, roster.parse_class_list("Ava"))
    token, _ = sessions.start(school, learner_id=ava.learner_id, how="roster")
    (new,) = roster.reissue(school, c.id, [ava.learner_id])
    assert new.code != ava.code
    assert roster.sign_in_with_code(school, ava.class_code, ava.code) is None
    assert roster.sign_in_with_code(school, ava.class_code, new.code).id == ava.learner_id
    assert sessions.resolve(school, token) is None


def test_archive_hides_a_student_and_refuses_their_code_restore_brings_them_back(school):
    c = cls.create_class(school, "10A")
    ava, ben = roster.add_students(school, c.id, roster.parse_class_list("Ava\nBen"))
    roster.set_archived(school, c.id, ben.learner_id, True)
    assert [m.display_name for m in cls.members(school, c.id)] == ["Ava"]
    assert roster.sign_in_with_code(school, ben.class_code, ben.code) is None
    assert [e.archived for e in roster.entries(school, c.id)] == [False, True]
    roster.set_archived(school, c.id, ben.learner_id, False)
    assert roster.sign_in_with_code(school, ben.class_code, ben.code).display_name == "Ben"
    roster.rename(school, c.id, ben.learner_id, "  Benjamin   Ode ")
    assert [m.display_name for m in cls.members(school, c.id)] == ["Ava", "Benjamin Ode"]
    other = cls.create_class(school, "11B")
    with pytest.raises(roster.RosterError, match="not on this class"):
        roster.rename(school, other.id, ben.learner_id, "X")


def test_merging_two_entries_keeps_every_try_and_review(school):
    c = cls.create_class(school, "10A")
    a = asg.create_quiz(school, c, "Week 3", ["iterations-per-epoch"], 1, tries_allowed=3)
    ava, ava2 = roster.add_students(school, c.id, roster.parse_class_list("Ava\nAva P"))
    for who in (ava, ava2):  # both entries did try 1
        t = asg.start_try(school, a, who.learner_id)
        asg.submit(school, a, who.learner_id, t.id, [q.answer.value for q in t.questions()],
                   key=f"merge-test-key-learner-{who.learner_id}-try-1")
    token, _ = sessions.start(school, learner_id=ava2.learner_id, how="roster")
    roster.merge(school, c.id, ava.learner_id, ava2.learner_id)
    tries = asg.attempts_of(school, a.id, ava.learner_id)
    assert [t.try_no for t in tries] == [1, 2] and all(t.submitted_at for t in tries)
    assert asg.attempts_of(school, a.id, ava2.learner_id) == []
    assert [m.display_name for m in cls.members(school, c.id)] == ["Ava"]
    assert sessions.resolve(school, token).learner_id == ava.learner_id  # the device stays signed in
    assert get_learner(school, ava2.learner_id).id == ava.learner_id
    with pytest.raises(roster.RosterError, match="two different"):
        roster.merge(school, c.id, ava.learner_id, ava.learner_id)


def test_merging_keeps_flashcard_reviews_of_both_and_the_newer_card_state(tmp_path):
    from datetime import timedelta
    engine = db.connect(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    c = cls.create_class(engine, "10A")
    ava, ava2 = roster.add_students(engine, c.id, roster.parse_class_list("Ava\nAva P"))
    earlier = db.now() - timedelta(days=2)
    fc_store.record_review(engine, ava.learner_id, "epoch", 1, now=earlier)
    fc_store.record_review(engine, ava2.learner_id, "epoch", 4)           # the same card, later
    fc_store.record_review(engine, ava2.learner_id, "iteration", 3)
    newer_due = fc_store.load_progress(engine, ava2.learner_id)["epoch"]
    roster.merge(engine, c.id, ava.learner_id, ava2.learner_id)
    assert len(fc_store.load_reviews(engine, ava.learner_id)) == 3
    progress = fc_store.load_progress(engine, ava.learner_id)
    assert set(progress) == {"epoch", "iteration"}
    assert progress["epoch"] == newer_due


def test_a_school_account_lands_in_the_roster_entry_with_its_email(school):
    c = cls.create_class(school, "10A")
    (ava,) = roster.add_students(school, c.id, roster.parse_class_list("Ava, ava@school.example"))
    found = school_accounts.learner_for_school_account(school, "https://idp", "sub-1", "AVA@school.example", "Ava P")
    assert found.id == ava.learner_id
    again = school_accounts.learner_for_school_account(school, "https://idp", "sub-1", None, None)
    assert again.id == ava.learner_id
    stranger = school_accounts.learner_for_school_account(school, "https://idp", "sub-2", "zed@school.example", "Zed")
    assert stranger.id != ava.learner_id and stranger.display_name == "Zed"


def test_printable_cards_show_each_code_once_and_names_as_text():
    from engine.identity.cards import cards_html
    cards = [roster.Card(1, "<b>Ava</b> & co", "10A <script>", "K7M2QX", "7KQM-X4RT-9PZH"),
             roster.Card(2, "Ben", "10A <script>", "K7M2QX", "2345-6789-ABCD")]
    page = cards_html(cards, "https://batchwise.school.example/sign_in")
    assert page.startswith("<!doctype html>") and "@page" in page and "@media print" in page
    assert page.count('class="card"') == 2
    assert "7KQM-X4RT-9PZH" in page and "2345-6789-ABCD" in page and page.count("K7M2QX") == 2
    assert "<b>Ava</b>" not in page and "&lt;b&gt;Ava&lt;/b&gt; &amp; co" in page
    assert "<script>" not in page
    assert "https://batchwise.school.example/sign_in" in page
    assert cards_html([], "x") == ""
