"""The admin screen: teacher accounts and class teachers. Only admins reach it."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.identity import accounts
from engine.identity.accounts import AccountError, Teacher
from engine.teachers import classes as cls
from ui.text import md_escape

SS_NOTICE = "admin_notice"


def _notice(kind: str, text: str) -> None:
    st.session_state[SS_NOTICE] = (kind, text)


def _still_admin(engine, admin: Teacher) -> bool:
    current = accounts.get_teacher(engine, admin.id)
    if current is None or not current.is_admin:
        _notice("error", "Only admins can do this.")
        return False
    return True


def _add(engine, admin: Teacher) -> None:
    ss = st.session_state
    if not _still_admin(engine, admin):
        return
    try:
        t = accounts.create_teacher(engine, ss.get("admin_new_name", ""), email=ss.get("admin_new_email") or None,
                                    passcode=ss.get("admin_new_passcode") or None,
                                    is_admin=bool(ss.get("admin_new_is_admin")))
    except AccountError as exc:
        _notice("error", md_escape(exc))
        return
    finally:
        ss["admin_new_passcode"] = ""
    for key in ("admin_new_name", "admin_new_email"):
        ss[key] = ""
    ss["admin_new_is_admin"] = False
    _notice("ok", f"Account made for {md_escape(t.name)}. They sign in on the Teacher page "
                  + ("with their school account." if t.email else "with their name and passcode."))


def _act(engine, admin: Teacher, what: str, teacher_id: int) -> None:
    ss = st.session_state
    if not _still_admin(engine, admin):
        return
    try:
        if what == "passcode":
            accounts.set_passcode(engine, teacher_id, ss.get("admin_set_passcode", ""))
            _notice("ok", "Passcode set; their other devices were signed out.")
        elif what == "archive":
            accounts.archive_teacher(engine, teacher_id, True)
            _notice("ok", "Account archived: sign-in refused, their classes are kept.")
        elif what == "restore":
            accounts.archive_teacher(engine, teacher_id, False)
            _notice("ok", "Account restored.")
        elif what in ("make_admin", "not_admin"):
            accounts.update_teacher(engine, teacher_id, is_admin=what == "make_admin")
            _notice("ok", "Role changed.")
    except AccountError as exc:
        _notice("error", md_escape(exc))
    finally:
        ss["admin_set_passcode"] = ""


def _co_teacher(engine, admin: Teacher) -> None:
    ss = st.session_state
    if not _still_admin(engine, admin):
        return
    class_id, teacher_id = ss.get("admin_co_class"), ss.get("admin_co_teacher")
    if class_id is None or teacher_id is None:
        return
    added = cls.add_co_teacher(engine, int(class_id), int(teacher_id))
    _notice("ok", "Co-teacher added." if added else "That teacher already teaches this class.")


def admin_screen(engine, admin: Teacher) -> None:
    notice = st.session_state.pop(SS_NOTICE, None)
    if notice:
        (st.success if notice[0] == "ok" else st.error)(notice[1])
    listed = accounts.list_accounts(engine)
    st.subheader("Teacher accounts", anchor=False)
    st.dataframe(pd.DataFrame([{
        "Name": a.teacher.name, "E-mail (school sign-in)": a.teacher.email or "",
        "Own passcode": "yes" if a.has_passcode else ("the admin passcode" if a.legacy_admin else "no"),
        "Admin": "yes" if a.teacher.is_admin else "", "Archived": "yes" if a.archived else ""}
        for a in listed]), hide_index=True)
    with st.form("admin_add", clear_on_submit=False):
        st.markdown("**Add a teacher** — give an e-mail (school sign-in), a passcode, or both.")
        st.text_input("Name", key="admin_new_name", max_chars=80)
        st.text_input("E-mail", key="admin_new_email", max_chars=320)
        st.text_input("Passcode (at least 10 characters; tell it to them in person)", key="admin_new_passcode",
                      type="password", max_chars=200)
        st.checkbox("Admin (can manage teacher accounts)", key="admin_new_is_admin")
        st.form_submit_button("Add teacher", type="primary", on_click=_add, args=(engine, admin),
                              icon=":material/person_add:")
    names = {a.teacher.id: a.teacher.name + (" (archived)" if a.archived else "") for a in listed}
    with st.expander("Change an account", icon=":material/manage_accounts:"):
        who = st.selectbox("Teacher", list(names), key="admin_pick", format_func=names.get)
        if who is not None:
            st.text_input("New passcode", key="admin_set_passcode", type="password", max_chars=200)
            c1, c2, c3, c4 = st.columns(4)
            c1.button("Set passcode", key="admin_do_passcode", on_click=_act, args=(engine, admin, "passcode", who))
            c2.button("Make admin", key="admin_do_admin", on_click=_act, args=(engine, admin, "make_admin", who))
            c3.button("Not admin", key="admin_do_not_admin", on_click=_act, args=(engine, admin, "not_admin", who))
            archived = next(a.archived for a in listed if a.teacher.id == who)
            c4.button("Restore" if archived else "Archive", key="admin_do_archive",
                      on_click=_act, args=(engine, admin, "restore" if archived else "archive", who))
    st.subheader("Classes and their teachers", anchor=False)
    every = cls.list_classes(engine)
    if not every:
        st.caption("No classes yet.")
        return
    st.dataframe(pd.DataFrame([{
        "Class": c.name,
        "Teachers": ", ".join(f"{t.name}{' (owner)' if t.role == 'owner' else ''}" for t in cls.teachers_of(engine, c.id))}
        for c in every]), hide_index=True)
    by_id = {c.id: c.name for c in every}
    active = {a.teacher.id: a.teacher.name for a in listed if not a.archived}
    with st.expander("Add a co-teacher to a class", icon=":material/group:"):
        st.caption("Also how a class whose teacher left is handed to a colleague (or to you).")
        st.selectbox("Class", list(by_id), key="admin_co_class", format_func=by_id.get)
        st.selectbox("Teacher", list(active), key="admin_co_teacher", format_func=active.get)
        st.button("Add as co-teacher", key="admin_co_add", on_click=_co_teacher, args=(engine, admin),
                  icon=":material/group_add:")
