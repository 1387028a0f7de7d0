"""Teacher passcode: salted PBKDF2 hash, verification, throttling of wrong tries, and the
command that prints a hash without the passcode ever being on the command line."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from engine import db
from engine.teachers import auth
from teachers_support import FAST_HASH, PASSCODE

ROOT = Path(__file__).resolve().parents[1]


def test_right_passcode_verifies_and_wrong_ones_do_not():
    assert auth.verify_passcode(PASSCODE, FAST_HASH)
    for wrong in ["", PASSCODE + " ", PASSCODE.upper(), "correct horse battery stapl", FAST_HASH]:
        assert not auth.verify_passcode(wrong, FAST_HASH)


def test_same_passcode_gets_a_different_salt_each_time_and_is_not_stored():
    a, b = auth.hash_passcode(PASSCODE, iterations=1000), auth.hash_passcode(PASSCODE, iterations=1000)
    assert a != b
    assert PASSCODE not in a and PASSCODE.encode().hex() not in a
    assert auth.verify_passcode(PASSCODE, a) and auth.verify_passcode(PASSCODE, b)


def test_default_hash_uses_owasp_iterations():
    assert auth.hash_passcode("x" * 12).split("$")[:2] == ["pbkdf2_sha256", "600000"]


@pytest.mark.parametrize("stored", [None, "", "plain-passcode", "md5$1$aa$bb",
                                    "pbkdf2_sha256$abc$00$00", "pbkdf2_sha256$10$00$" + "0" * 64,
                                    "pbkdf2_sha256$600000$zz$" + "0" * 64, FAST_HASH[:-2]])
def test_unusable_hashes_never_unlock_and_are_explained(stored):
    assert auth.hash_problem(stored)
    assert not auth.verify_passcode(PASSCODE, stored)
    assert not auth.verify_passcode("", stored)


def test_weak_new_passcodes_are_refused():
    assert auth.passcode_problem("short")
    assert auth.passcode_problem("aaaaaaaaaaaa")
    assert auth.passcode_problem(PASSCODE) is None


def test_environment_hash_comes_before_secrets(monkeypatch):
    monkeypatch.setenv(auth.ENV_VAR, "from-env")
    assert auth.configured_hash("from-secrets") == "from-env"
    monkeypatch.delenv(auth.ENV_VAR)
    assert auth.configured_hash("from-secrets") == "from-secrets"
    assert auth.configured_hash(None) is None


@pytest.fixture
def throttle():
    return auth.LoginThrottle(db.connect())


def test_wrong_tries_make_the_session_wait_longer_and_longer(throttle):
    t0 = db.now()
    results = [auth.try_unlock(throttle, "tab-1", "nope", FAST_HASH, now=t0) for _ in range(3)]
    assert [r.ok for r in results] == [False] * 3
    assert results[0].wait_seconds == 0 and "Wrong passcode" in results[0].message
    assert results[-1].wait_seconds == 5
    # The message states the wait and the rule behind it, as the README does.
    assert "Wait 5 seconds before the next try" in results[-1].message
    assert "From the 3rd wrong passcode in 15 minutes" in results[-1].message
    assert "(5 seconds, then 10 seconds, 20 seconds … up to 5 minutes)" in results[-1].message

    # While it waits, even the right passcode is refused without being checked.
    locked = auth.try_unlock(throttle, "tab-1", PASSCODE, FAST_HASH, now=t0 + timedelta(seconds=2))
    assert not locked.ok and locked.wait_seconds == 3 and "please wait 3 seconds more" in locked.message
    almost = auth.try_unlock(throttle, "tab-1", PASSCODE, FAST_HASH, now=t0 + timedelta(seconds=4))
    assert "please wait 1 second more" in almost.message  # one second, not "1 seconds"

    fourth = auth.try_unlock(throttle, "tab-1", "nope", FAST_HASH, now=t0 + timedelta(seconds=6))
    assert fourth.wait_seconds == 10 and "Wait 10 seconds" in fourth.message  # doubled

    # Another tab is not slowed down by this one's few tries…
    assert auth.try_unlock(throttle, "tab-2", PASSCODE, FAST_HASH, now=t0 + timedelta(seconds=7)).ok
    # …and once the wait is over, the right passcode works and clears the count.
    assert auth.try_unlock(throttle, "tab-1", PASSCODE, FAST_HASH, now=t0 + timedelta(seconds=17)).ok
    assert throttle.wait_seconds("tab-1", t0 + timedelta(seconds=17)) == 0


def test_many_wrong_tries_from_fresh_sessions_slow_everyone(throttle):
    """A script opening a new session for every guess (a reload is a new session) is still
    throttled, because the count for everyone lives in the shared database."""
    t0 = db.now()
    free = auth.ThrottlePolicy().everyone_free_tries
    waits = [auth.try_unlock(throttle, f"script-{i}", "guess", FAST_HASH, now=t0).wait_seconds
             for i in range(free)]
    assert waits == [0] * (free - 1) + [5]  # each session alone made just one try
    twentieth = auth.try_unlock(throttle, "script-x", "guess", FAST_HASH, now=t0 + timedelta(seconds=6))
    assert "every teacher waits" in twentieth.message and "Wait 10 seconds" in twentieth.message
    blocked = auth.try_unlock(throttle, "brand-new-tab", PASSCODE, FAST_HASH, now=t0 + timedelta(seconds=1))
    assert not blocked.ok and blocked.wait_seconds > 0
    assert "Too many wrong passcodes were typed on this app recently" in blocked.message
    # The wait is capped, and after it the right passcode gets in.
    later = t0 + timedelta(seconds=auth.ThrottlePolicy().max_seconds + 1)
    assert auth.try_unlock(throttle, "brand-new-tab", PASSCODE, FAST_HASH, now=later).ok


def test_throttle_is_shared_by_two_app_processes(tmp_path):
    """Two engines on one database stand for two replicas: tries in one count in the other."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    one, two = auth.LoginThrottle(db.connect(url)), auth.LoginThrottle(db.connect(url))
    t0 = db.now()
    for _ in range(3):
        auth.try_unlock(one, "tab", "nope", FAST_HASH, now=t0)
    assert two.wait_seconds("tab", t0) == 5


def test_unconfigured_or_damaged_hash_never_unlocks(throttle):
    assert not auth.try_unlock(throttle, "t", PASSCODE, None).ok
    damaged = auth.try_unlock(throttle, "t", PASSCODE, "pbkdf2_sha256$1$00$00")
    assert not damaged.ok and "damaged" in damaged.message


def _cli(stdin: str):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "engine.teachers", "hash-passcode"], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)


def test_hash_passcode_command_reads_stdin_and_prints_a_working_hash():
    done = _cli(PASSCODE + "\n")
    assert done.returncode == 0, done.stderr
    printed = done.stdout.strip()
    assert auth.hash_problem(printed) is None
    assert auth.verify_passcode(PASSCODE, printed)
    assert PASSCODE not in done.stdout + done.stderr
    assert "[teacher]" in done.stderr and auth.ENV_VAR in done.stderr


def test_hash_passcode_command_refuses_a_weak_passcode_and_takes_no_argument():
    weak = _cli("short\n")
    assert weak.returncode == 2 and "at least" in weak.stderr and weak.stdout == ""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = subprocess.run([sys.executable, "-m", "engine.teachers", "hash-passcode", PASSCODE],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert argv.returncode != 0  # a passcode on the command line would land in shell history


def test_waits_are_written_with_the_right_plurals():
    assert [auth.duration(s) for s in (1, 2, 5, 119, 120, 121, 300)] == [
        "1 second", "2 seconds", "5 seconds", "119 seconds", "2 minutes", "3 minutes", "5 minutes"]
