"""Throttling that parallel sessions cannot outrun: each guess is counted before the slow
check, in the transaction that checks the waits. On SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from engine import db
from engine.identity import throttle
from engine.teachers import auth
from teachers_support import FAST_HASH, PASSCODE, storage_url  # noqa: F401  (fixture)

N = 16


def _parallel(engine, policy, guess, account="login|ada"):
    """N fresh sessions guess at once; returns the results and how many checks ran."""
    checks = []
    lock = threading.Lock()
    barrier = threading.Barrier(N)

    def one(i):
        t = auth.LoginThrottle(engine, policy)

        def check():
            with lock:
                checks.append(i)
            return auth.verify_passcode(guess, FAST_HASH)

        barrier.wait()
        return auth.guarded_check(t, f"fresh-session-{i}", check, account=account)[1]

    with ThreadPoolExecutor(N) as pool:
        results = list(pool.map(one, range(N)))
    return results, len(checks)


def test_parallel_wrong_guesses_are_each_counted(storage_url):
    engine = db.connect(storage_url)
    roomy = auth.ThrottlePolicy(free_tries=100, account_free_tries=100, everyone_free_tries=100)
    results, checks = _parallel(engine, roomy, "wrong guess")
    assert checks == N and not any(r.ok for r in results)
    rules = auth.LoginThrottle(engine, roomy).rules("any", "login|ada")
    assert throttle.count(engine, rules[1]) == N   # the account's count: N, not fewer
    assert throttle.count(engine, rules[2]) == N   # everyone's count
    engine.dispose()


def test_parallel_guesses_beyond_the_rule_are_refused_without_a_check(storage_url):
    """The issue's case: 16 sessions at once where the rule allows 3 checks."""
    engine = db.connect(storage_url)
    policy = auth.ThrottlePolicy(account_free_tries=3)
    results, checks = _parallel(engine, policy, "wrong guess")
    assert checks == 3
    refused = [r for r in results if r.wait_seconds > 0]
    assert len(refused) >= N - 3 and all("for this account" in r.message for r in refused[1:])
    # Even the right passcode now waits: the account is throttled for everyone.
    late = auth.try_unlock(auth.LoginThrottle(engine, policy), "another-tab", PASSCODE, FAST_HASH,
                           account="login|ada")
    assert not late.ok and late.wait_seconds > 0
    engine.dispose()


def test_a_right_guess_takes_its_count_back(storage_url):
    engine = db.connect(storage_url)
    t = auth.LoginThrottle(engine)
    assert auth.try_unlock(t, "tab", PASSCODE, FAST_HASH, account="login|ada").ok
    assert throttle.count(engine, t.rules("tab", "login|ada")[1]) == 0
    engine.dispose()
