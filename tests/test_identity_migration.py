"""An install made by the schema before teacher accounts and sign-in sessions (commit
ce0fe15) is upgraded with nothing lost: learners with their codes and reviews, classes,
members and tries; every class gets an owner and a class code, every member a roster entry."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from engine import db
from engine.identity import accounts, roster
from engine.learners import resume
from engine.flashcards import store as fc_store
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from teachers_support import storage_url  # noqa: F401  (fixture: both databases)

ROOT = Path(__file__).resolve().parents[1]
OLD_COMMIT = "ce0fe15"

OLD_APP = textwrap.dedent('''
    import json, sys
    from engine import db
    from engine.learners import create_learner
    from engine.flashcards import store
    from engine.teachers import classes as cls, assignments as asg
    engine = db.connect(sys.argv[1])
    sam, kim = create_learner(engine, "Sam"), create_learner(engine, "Kim")
    store.record_review(engine, sam.id, "epoch", 3)
    mine = cls.create_class(engine, "Year 10", created_by="Ada@School.example")
    legacy = cls.create_class(engine, "Club")
    cls.join_class(engine, mine, sam.id)
    cls.join_class(engine, legacy, kim.id)
    a = asg.create_quiz(engine, mine, "Week 3", ["iterations-per-epoch"], 1, tries_allowed=2)
    t = asg.start_try(engine, a, sam.id)
    asg.submit(engine, a, sam.id, t.id, [q.answer.value for q in t.questions()], key="old-install-key-1")
    print(json.dumps({"sam": sam.code, "kim": kim.code, "class": mine.id, "legacy": legacy.id,
                      "assignment": a.id, "seeds": [q.seed for q in t.questions()]}))
''')


@pytest.fixture(scope="module")
def old_code(tmp_path_factory) -> Path:
    """The app's engine as it was at the old commit, in a folder of its own."""
    where = tmp_path_factory.mktemp("old_install")
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", OLD_COMMIT, "engine"],
                                 capture_output=True, check=True, timeout=60).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip(f"this checkout does not have commit {OLD_COMMIT} (a shallow clone?)")
    subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True, timeout=60)
    return where


def test_an_old_install_is_upgraded_with_nothing_lost(old_code, storage_url):
    import json
    made = subprocess.run([sys.executable, "-c", OLD_APP, storage_url], cwd=old_code,
                          capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(old_code),
                                                                          "PATH": "/usr/bin:/bin"})
    assert made.returncode == 0, made.stderr
    old = json.loads(made.stdout)

    engine = db.connect(storage_url)  # today's code: runs the new migrations
    assert db.versions(engine)["identity"] >= 1 and db.versions(engine)["learners"] >= 2
    sam, kim = resume(engine, old["sam"]), resume(engine, old["kim"])  # old codes still work
    assert (sam.display_name, kim.display_name) == ("Sam", "Kim")
    assert len(fc_store.load_reviews(engine, sam.id)) == 1
    (tried,) = asg.attempts_of(engine, old["assignment"], sam.id)
    assert tried.submitted_at and [q.seed for q in tried.questions()] == old["seeds"]

    ada = accounts.by_email(engine, "ada@school.example")  # the class's recorded teacher
    admin = accounts.legacy_admin(engine)                   # the old passcode's account
    assert ada is not None and admin.is_admin
    assert [c.id for c in cls.list_classes(engine, ada)] == [old["class"]]
    assert [c.id for c in cls.list_classes(engine, admin)] == [old["legacy"]]
    assert [m.display_name for m in cls.members(engine, old["class"])] == ["Sam"]
    assert [e.name for e in roster.entries(engine, old["legacy"])] == ["Kim"]
    assert len(cls.class_code(engine, old["class"])) == 6
    # A reissue now gives Kim a personal code for the printed card.
    (card,) = roster.reissue(engine, old["legacy"], [kim.id])
    assert roster.sign_in_with_code(engine, card.class_code, card.code).id == kim.id
    engine.dispose()
