"""Teacher screen: the teacher's classes, creating one, and each class's join link and roster."""
from __future__ import annotations

import streamlit as st

from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers.links import JOIN_KEY
from ui.teacher import acting, page_link_url
from ui.teacher_notice import notify
from ui.text import md_escape

ss = st.session_state


def _create_class(engine, teacher) -> None:
    try:
        c = cls.create_class(engine, ss.get("t_class_name", ""), owner=acting(teacher))
    except (cls.InvalidClassName, cls.NotYourClass) as exc:
        notify("error", md_escape(exc))
        return
    notify("ok", "Class created. Share its join link (in the list below) with your students.")
    ss.t_class_name = ""
    ss.t_gb_class = c.id


def classes_screen(engine, teacher, zone, classes: list) -> None:
    with st.form("t_new_class", clear_on_submit=False, border=True):
        st.text_input("New class name", key="t_class_name", max_chars=cls.NAME_MAX,
                      placeholder="e.g. Year 10 Computing, group B")
        st.form_submit_button("Create class", on_click=_create_class, args=(engine, teacher),
                              icon=":material/group_add:")
    if not classes:
        st.info("No classes yet. Create one, then send its join link to your students.")
    counts = cls.member_counts(engine)
    for c in reversed(classes):
        with st.container(border=True):
            st.markdown(f"#### {md_escape(c.name)}")
            work = asg.list_assignments(engine, c.id)
            st.caption(f"{counts.get(c.id, 0)} student(s) · {len(work)} assignment(s) · "
                       f"created {asg.when(c.created_at, zone)}")
            st.caption("Join link (students open it, sign in, and join)")
            st.code(page_link_url("assignments", {JOIN_KEY: c.code}), language=None, wrap_lines=True)
            # The roster (names, printed sign-in cards, rename/archive/merge, co-teachers) is
            # a page of its own; this opens it on this class.
            st.page_link("pages/roster.py", label="Class roster: students, sign-in cards, co-teachers",
                         icon=":material/badge:", query_params={"class": str(c.id)})
