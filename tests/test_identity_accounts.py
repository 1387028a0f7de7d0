"""Teacher accounts: each teacher sees and changes only their own classes; co-teachers; admins
manage accounts; the install's old single passcode is the admin."""
from __future__ import annotations

import pytest

from engine.identity import accounts, sessions
from engine.teachers import classes as cls
from teachers_support import school, storage_url  # noqa: F401  (fixtures: both databases)


def test_a_teacher_sees_only_the_classes_they_teach(school):
    ada = accounts.create_teacher(school, "Ada", email="ada@school.example")
    bo = accounts.create_teacher(school, "Bo", passcode="bo's own passcode 1")
    a_class = cls.create_class(school, "Ada's 10A", owner=ada)
    b_class = cls.create_class(school, "Bo's 11C", owner=bo)
    assert [c.name for c in cls.list_classes(school, ada)] == ["Ada's 10A"]
    assert [c.name for c in cls.list_classes(school, bo)] == ["Bo's 11C"]
    assert cls.can_teach(school, ada, a_class.id) and not cls.can_teach(school, ada, b_class.id)
    for forged in (b_class.id, str(b_class.id), 10**9, "x", None, True):
        assert not cls.can_teach(school, ada, forged)
        with pytest.raises(cls.NotYourClass, match="not one of yours"):
            cls.require_class(school, ada, forged)
    assert cls.require_class(school, bo, b_class.id).name == "Bo's 11C"


def test_a_co_teacher_teaches_the_class_too_and_can_be_removed(school):
    ada = accounts.create_teacher(school, "Ada", email="ada@school.example")
    cy = accounts.create_teacher(school, "Cy", email="cy@school.example")
    c = cls.create_class(school, "Shared 9B", owner=ada)
    assert not cls.can_teach(school, cy, c.id)
    assert cls.add_co_teacher(school, c.id, cy.id) and not cls.add_co_teacher(school, c.id, cy.id)
    assert cls.can_teach(school, cy, c.id)
    assert [(t.name, t.role) for t in cls.teachers_of(school, c.id)] == [("Ada", "owner"), ("Cy", "co")]
    cls.remove_co_teacher(school, c.id, cy.id)
    cls.remove_co_teacher(school, c.id, ada.id)  # the owner stays
    assert not cls.can_teach(school, cy, c.id) and cls.can_teach(school, ada, c.id)


def test_an_admin_does_not_see_other_teachers_classes_by_default(school):
    admin = accounts.legacy_admin(school)
    assert admin.is_admin
    ada = accounts.create_teacher(school, "Ada", email="ada@school.example")
    cls.create_class(school, "Ada's 10A", owner=ada)
    assert cls.list_classes(school, admin) == []
    assert [c.name for c in cls.list_classes(school)] == ["Ada's 10A"]  # the admin page's list


def test_old_callers_without_a_teacher_create_classes_owned_by_the_admin(school):
    c = cls.create_class(school, "Legacy class")
    assert cls.can_teach(school, accounts.legacy_admin(school), c.id)
    assert len(cls.class_code(school, c.id)) == 6


def test_account_rules_are_explained(school):
    with pytest.raises(accounts.AccountError, match="e-mail .* or a passcode"):
        accounts.create_teacher(school, "Nobody")
    with pytest.raises(accounts.AccountError, match="at least 10"):
        accounts.create_teacher(school, "Short", passcode="short")
    accounts.create_teacher(school, "Ada", email="ADA@school.example")
    with pytest.raises(accounts.AccountError, match="already a teacher account"):
        accounts.create_teacher(school, "Ada again", email="ada@school.example")
    with pytest.raises(accounts.AccountError, match="not an e-mail"):
        accounts.create_teacher(school, "Bad", email="not an address")
    admin = accounts.legacy_admin(school)
    with pytest.raises(accounts.AccountError, match="last admin"):
        accounts.archive_teacher(school, admin.id)


def test_archiving_or_a_new_passcode_signs_a_teacher_out_everywhere(school):
    bo = accounts.create_teacher(school, "Bo", passcode="bo's own passcode 1")
    token, _ = sessions.start(school, teacher_id=bo.id, how="passcode")
    accounts.set_passcode(school, bo.id, "a brand new passcode")
    assert sessions.resolve(school, token) is None
    token, _ = sessions.start(school, teacher_id=bo.id, how="passcode")
    accounts.archive_teacher(school, bo.id)
    assert sessions.resolve(school, token) is None and accounts.get_teacher(school, bo.id) is None
    assert accounts.find_by_login(school, "Bo") is None


def test_the_command_line_adds_an_admin_with_a_passcode_read_from_stdin(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path
    from engine import db
    root = Path(__file__).resolve().parents[1]
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {**os.environ, "PYTHONPATH": str(root), "BATCHWISE_DATABASE_URL": url}
    run = subprocess.run([sys.executable, "-m", "engine.teachers", "add-teacher", "Ada Lovelace",
                          "--email", "ada@school.example", "--passcode", "--admin"],
                         input="ada's long passcode\n", capture_output=True, text=True, env=env,
                         cwd=root, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Added admin Ada Lovelace <ada@school.example>" in run.stdout
    assert "ada's long passcode" not in run.stdout + run.stderr
    engine = db.connect(url)
    found, stored = accounts.find_by_login(engine, "ada@school.example")
    assert found.is_admin and auth_ok("ada's long passcode", stored)
    listed = subprocess.run([sys.executable, "-m", "engine.teachers", "list-teachers"],
                            capture_output=True, text=True, env=env, cwd=root, timeout=120)
    assert "Ada Lovelace\tada@school.example\tadmin, passcode" in listed.stdout


def auth_ok(passcode, stored):
    from engine.teachers import auth
    return auth.verify_passcode(passcode, stored)
