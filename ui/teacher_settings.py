"""Teacher screen: the school's settings (the time zone every time is shown in)."""
from __future__ import annotations

import streamlit as st

from engine.teachers import timezone as tz
from engine.teachers.classes import NotYourClass
from ui.teacher import acting
from ui.teacher_notice import notify
from ui.text import md_escape

ss = st.session_state


def _save_zone(engine, teacher) -> None:
    try:
        zone = tz.set_school_zone(engine, acting(teacher), ss.get("t_zone") or "")
    except (tz.UnknownZone, PermissionError, NotYourClass) as exc:
        notify("error", md_escape(exc))
        return
    notify("ok", f"Times are now shown in {zone.key}.")


def settings_screen(engine, teacher, zone) -> None:
    names = list(tz.zone_names())
    current = getattr(zone, "key", "UTC")
    st.selectbox("School time zone", names, key="t_zone",
                 index=names.index(current) if current in names else None,
                 help="Due dates, opening times and submissions are shown in this zone, to "
                      "teachers and students. They are stored in UTC, so changing it moves nothing.")
    st.button("Save time zone", key="t_zone_save", on_click=_save_zone, args=(engine, teacher),
              disabled=not getattr(teacher, "is_admin", False),
              help=None if getattr(teacher, "is_admin", False) else "Only an admin can change it.")
