"""The server secret: made once per database (or given in the secrets), never shown.

It keys the HMACs that must not be computable from public information: quiz variant seeds
(a student who knows the source, their learner number and the assignment code still cannot
work out their questions before the reveal) and the hashes of roster codes.

`BATCHWISE_SERVER_SECRET` (environment) or `[server] secret` (secrets.toml, passed to `use`)
takes precedence; otherwise the secret stored in the database is loaded by `load(engine)`,
which the app does on every page. Code that has no engine at hand (the seed function) calls
`current()`; a process that never loaded one gets a random secret of its own, which is still
safe because every try stores the questions it was given.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db

from .store import server_keys

ENV_VAR = "BATCHWISE_SERVER_SECRET"
NAME = "hmac"
_lock = threading.Lock()
_loaded: dict[str, bytes] = {}   # database URL -> key
_current: list[bytes] = []


def _from_text(text: str) -> bytes:
    return hashlib.sha256(("batchwise-server-secret|" + text).encode()).digest()


def use(secret_text: str | None) -> None:
    """Use a configured secret (from secrets.toml) instead of the database's."""
    if secret_text:
        with _lock:
            _current[:] = [_from_text(str(secret_text))]
            _loaded["configured"] = _current[0]


def load(engine: Engine) -> bytes:
    """The database's secret (made on first use) becomes the current key, and is returned."""
    env = os.environ.get(ENV_VAR)
    if env:
        key = _from_text(env)
    elif "configured" in _loaded:
        key = _loaded["configured"]
    else:
        url = engine.url.render_as_string(hide_password=False)
        key = _loaded.get(url)
        if key is None:
            key = bytes.fromhex(_stored(engine))
            _loaded[url] = key
    with _lock:
        _current[:] = [key]
    return key


def _stored(engine: Engine) -> str:
    with engine.connect() as conn:
        value = conn.execute(sa.select(server_keys.c.value).where(server_keys.c.name == NAME)).scalar()
    if value:
        return value
    try:
        with db.write(engine) as conn:
            value = conn.execute(sa.select(server_keys.c.value).where(server_keys.c.name == NAME)).scalar()
            if not value:
                value = secrets.token_hex(32)
                conn.execute(server_keys.insert().values(name=NAME, value=value))
    except sa.exc.IntegrityError:  # another process made it at the same moment
        with engine.connect() as conn:
            value = conn.execute(sa.select(server_keys.c.value).where(server_keys.c.name == NAME)).scalar_one()
    return value


def current() -> bytes:
    env = os.environ.get(ENV_VAR)
    if env:
        return _from_text(env)
    with _lock:
        if not _current:
            _current.append(secrets.token_bytes(32))
        return _current[0]


def mac(message: str, key: bytes | None = None) -> bytes:
    return hmac.new(key or current(), message.encode("utf-8"), hashlib.sha256).digest()
