"""The teacher passcode: a salted PBKDF2 hash in configuration, never the passcode itself.

    stored = hash_passcode("correct horse battery")   # python -m engine.teachers hash-passcode
    verify_passcode("correct horse battery", stored)  # True

Wrong tries are counted in the database (`LoginThrottle`), so every app replica sharing it
applies the same limits, and each guess is counted BEFORE the slow hash runs, in the same
transaction that checks the waits, so parallel guesses cannot slip past the count
(`engine.identity.throttle`). The rule (`ThrottlePolicy`), counting wrong passcodes of the last
15 minutes:
- per browser tab (one Streamlit session): the 3rd wrong passcode makes the tab wait 5 s
  before its next try, the 4th 10 s, the 5th 20 s…, doubling up to 5 minutes; the wait runs
  from the latest wrong try, and the right passcode clears the tab's count. A reload or a new
  tab is a new session with a count of its own, which is why there is a second rule:
- per account (a teacher's own passcode account): from the 5th wrong passcode for it, from
  any tab, the same doubling waits;
- for everyone: from the 20th wrong passcode, from anywhere, every tab waits the same way
  (5 s, 10 s… up to 5 minutes, from the latest wrong try anywhere), so a script opening fresh
  sessions cannot guess quickly either.
PBKDF2 at 600,000 iterations (OWASP's figure for PBKDF2-SHA256) also makes each guess slow.
"""
from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db

from engine.identity import throttle

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000
MIN_ITERATIONS = 1_000  # below this a stored hash is a mistake (or a test leaking into production)
MIN_PASSCODE = 10
ENV_VAR = "BATCHWISE_TEACHER_PASSCODE_HASH"


def hash_passcode(passcode: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """`pbkdf2_sha256$<iterations>$<salt hex>$<digest hex>` for `passcode` (fresh salt if None)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", passcode.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def hash_problem(stored: str | None) -> str | None:
    """Why `stored` is not a usable passcode hash (a message for the teacher), or None."""
    if not stored or not str(stored).strip():
        return "No teacher passcode hash is configured."
    parts = str(stored).strip().split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM:
        return ("The configured teacher passcode hash is not in the expected form "
                f"({ALGORITHM}$iterations$salt$digest). Create one with "
                "`python -m engine.teachers hash-passcode`.")
    try:
        iterations = int(parts[1])
        bytes.fromhex(parts[2])
        digest = bytes.fromhex(parts[3])
    except ValueError:
        return "The configured teacher passcode hash is damaged (not numbers and hex digits)."
    if iterations < MIN_ITERATIONS or len(digest) != 32:
        return "The configured teacher passcode hash is damaged (too few iterations or a short digest)."
    return None


def verify_passcode(passcode: str, stored: str | None) -> bool:
    """True when `passcode` matches `stored`; False for a wrong passcode or an unusable hash."""
    if hash_problem(stored) is not None or not isinstance(passcode, str):
        return False
    _, iterations, salt_hex, _ = str(stored).strip().split("$")
    candidate = hash_passcode(passcode, bytes.fromhex(salt_hex), int(iterations))
    return hmac.compare_digest(candidate.encode(), str(stored).strip().encode())


def passcode_problem(passcode: str) -> str | None:
    """Why a new passcode is too weak to use, or None."""
    if len(passcode) < MIN_PASSCODE:
        return f"Choose a passcode of at least {MIN_PASSCODE} characters (a few words is easy to remember)."
    if len(set(passcode)) < 4:
        return "That passcode repeats too few characters; choose something less predictable."
    return None


def configured_hash(secrets_hash: str | None = None) -> str | None:
    """The passcode hash: the environment first (deployments, tests), then secrets.toml."""
    return os.environ.get(ENV_VAR) or secrets_hash or None


# --- throttling -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ThrottlePolicy:
    free_tries: int = 3          # wrong tries per session before waiting starts
    base_seconds: int = 5        # the first wait; each further wrong try doubles it
    max_seconds: int = 300
    everyone_free_tries: int = 20  # wrong tries from all sessions together, per window
    window: timedelta = timedelta(minutes=15)
    account_free_tries: int = 5  # wrong tries at one account, from any session, per window
    pool: str = "teacher"        # whose "everyone" count this is (teachers, students…)

    def timing(self) -> throttle.Policy:
        return throttle.Policy(self.base_seconds, self.max_seconds, self.window)


GLOBAL_SCOPE = "everyone"


@dataclass(frozen=True)
class Wait:
    seconds: int      # 0: a try is allowed now
    everyone: bool    # True when the app-wide rule, not this tab's own tries, imposes it
    account: bool = False  # True when the tries at this one account impose it


class LoginThrottle:
    """Counts wrong passcodes per session, per account and for everyone, in the shared
    database, race-free (see `engine.identity.throttle`)."""

    def __init__(self, engine: Engine, policy: ThrottlePolicy = ThrottlePolicy()):
        self.engine = engine
        self.policy = policy

    def rules(self, session_key: str, account: str | None = None) -> list[throttle.Rule]:
        p = self.policy
        rules = [throttle.Rule("session", f"{p.pool}|{session_key}", p.free_tries)]
        if account:
            rules.append(throttle.Rule("account", f"{p.pool}|{account}", p.account_free_tries))
        rules.append(throttle.Rule("everyone", p.pool, p.everyone_free_tries))
        return rules

    @staticmethod
    def _wait(w: throttle.Wait) -> Wait:
        return Wait(w.seconds, everyone=w.kind == "everyone", account=w.kind == "account")

    def wait_seconds(self, session_key: str, now: datetime | None = None) -> int:
        """Seconds this session must wait before its next try (0: it may try now)."""
        return self.wait(session_key, now).seconds

    def wait(self, session_key: str, now: datetime | None = None, account: str | None = None) -> Wait:
        """How long this session must wait, and which rule makes it."""
        return self._wait(throttle.current_wait(self.engine, self.rules(session_key, account),
                                                self.policy.timing(), now))

    def reserve(self, session_key: str, account: str | None = None,
                now: datetime | None = None) -> throttle.Reservation:
        """Count a guess as wrong before checking it (atomically with the wait check)."""
        return throttle.reserve(self.engine, self.rules(session_key, account), self.policy.timing(), now)

    def release(self, reservation: throttle.Reservation, session_key: str) -> None:
        """The guess was right: take it back, and clear this session's count."""
        throttle.release(self.engine, reservation, clear=self.rules(session_key)[:1])

    def record_failure(self, session_key: str, now: datetime | None = None) -> None:
        throttle.reserve(self.engine, self.rules(session_key),
                         throttle.Policy(max_seconds=0), now)  # counted whatever the wait

    def record_success(self, session_key: str) -> None:
        throttle.release(self.engine, throttle.Reservation(True), clear=self.rules(session_key)[:1])


@dataclass(frozen=True)
class UnlockResult:
    ok: bool
    message: str = ""
    wait_seconds: int = 0


def guarded_check(throttle_: LoginThrottle, session_key: str, check, now: datetime | None = None,
                  account: str | None = None, noun: str = "passcode"):
    """Run the slow `check()` (True/False, or a value that is None when wrong) only when no
    wait applies, with the guess counted before the check. Returns (value, UnlockResult)."""
    now = now or db.now()
    reservation = throttle_.reserve(session_key, account, now)
    if not reservation.allowed:
        w = throttle_._wait(reservation.wait)
        return None, UnlockResult(False, _still_waiting(w, noun), w.seconds)
    value = check()
    if value:
        throttle_.release(reservation, session_key)
        return value, UnlockResult(True)
    wait = throttle_.wait(session_key, now, account)
    wrong = f"Wrong {noun}."
    if wait.seconds > 0:
        return None, UnlockResult(False, f"{wrong} " + _new_wait(wait, throttle_.policy, noun), wait.seconds)
    return None, UnlockResult(False, f"{wrong} Check it and try again.")


def try_unlock(throttle_: LoginThrottle, session_key: str, passcode: str, stored: str | None,
               now: datetime | None = None, account: str | None = None) -> UnlockResult:
    """Check a passcode with throttling: a locked-out session is refused without even
    checking, and parallel guesses are each counted before any is checked."""
    problem = hash_problem(stored)
    if problem:
        return UnlockResult(False, problem)
    _, result = guarded_check(throttle_, session_key, lambda: verify_passcode(passcode, stored),
                              now, account)
    return result


def duration(seconds: int) -> str:
    """"1 second", "5 seconds", "2 minutes": whole units, rounded up."""
    if seconds < 120:
        return f"{seconds} second" + ("" if seconds == 1 else "s")
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute" + ("" if minutes == 1 else "s")


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _new_wait(wait: Wait, policy: ThrottlePolicy, noun: str = "passcode") -> str:
    """Right after a wrong try that starts a wait: the wait, and the rule behind it."""
    window = duration(int(policy.window.total_seconds()))
    steps = (f"{duration(policy.base_seconds)}, then {duration(policy.base_seconds * 2)}, "
             f"{duration(policy.base_seconds * 4)} … up to {duration(policy.max_seconds)}")
    who = "every teacher" if policy.pool == "teacher" else "everyone"
    if wait.everyone:
        return (f"Wait {duration(wait.seconds)} before the next try. Many wrong {noun}s were "
                f"typed on this app in the last {window}, so {who} waits after each "
                f"further one, twice as long as before ({steps}).")
    if wait.account:
        return (f"Wait {duration(wait.seconds)} before the next try. Many wrong {noun}s were "
                f"typed for this account in the last {window}, so each further one makes "
                f"it wait twice as long as before ({steps}).")
    return (f"Wait {duration(wait.seconds)} before the next try. From the "
            f"{_ordinal(policy.free_tries)} wrong {noun} in {window}, each one makes you wait "
            f"twice as long as the one before ({steps}).")


def _still_waiting(wait: Wait, noun: str = "passcode") -> str:
    """A try made during a wait (not checked): the time left."""
    if wait.everyone:
        return (f"Too many wrong {noun}s were typed on this app recently: please wait "
                f"{duration(wait.seconds)} more before trying again.")
    if wait.account:
        return (f"Too many wrong {noun}s were typed for this account recently: please wait "
                f"{duration(wait.seconds)} more before trying again.")
    return f"Too many wrong {noun}s: please wait {duration(wait.seconds)} more before trying again."
