"""The school's time zone: every due date, opening time and submission time a teacher or a
student reads is shown in it, with the zone named ("2026-12-01 23:59 Europe/London").
Stored as an IANA name (zoneinfo); times are stored in UTC whatever the setting."""
from __future__ import annotations

from datetime import date, datetime, time, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from engine import db

from .store import settings

SETTING = "time_zone"
DEFAULT = "UTC"


class UnknownZone(ValueError):
    pass


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name, sorted, for the teacher's picker."""
    return tuple(sorted(available_timezones()))


def read_zone(name: str | None) -> ZoneInfo:
    """The zone of a stored or typed name; UnknownZone with a message for a wrong one."""
    text = str(name or "").strip()
    if not text or len(text) > 64 or ".." in text or text.startswith("/"):
        raise UnknownZone(f"“{text[:64]}” is not a time zone name; choose one like Europe/London.")
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownZone(f"“{text}” is not a time zone name; choose one like Europe/London.") from None


def school_zone(engine: Engine) -> ZoneInfo:
    """The configured zone, or UTC (also when the stored name has become unknown)."""
    with engine.connect() as conn:
        name = conn.execute(sa.select(settings.c.value).where(settings.c.name == SETTING)).scalar_one_or_none()
    try:
        return read_zone(name or DEFAULT)
    except UnknownZone:
        return ZoneInfo(DEFAULT)


def set_school_zone(engine: Engine, teacher, name: str) -> ZoneInfo:
    """Change the school's zone (an admin's setting)."""
    if not getattr(teacher, "is_admin", False):
        raise PermissionError("Only an admin can change the school's time zone.")
    zone = read_zone(name)
    with db.write(engine) as conn:
        done = conn.execute(settings.update().where(settings.c.name == SETTING)
                            .values(value=zone.key, updated_at=db.now())).rowcount
        if not done:
            conn.execute(settings.insert().values(name=SETTING, value=zone.key, updated_at=db.now()))
    return zone


def local_moment(day: date, at: time, zone: tzinfo) -> datetime:
    """A date and time as typed in the school's zone, as an aware datetime (stored in UTC)."""
    return datetime.combine(day, at).replace(tzinfo=zone).astimezone(timezone.utc)
