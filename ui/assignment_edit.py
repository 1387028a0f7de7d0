"""Teacher screen parts: editing an assignment (settings any time; questions in place while
nobody has started, else as a new version) and per-student extensions."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import streamlit as st

from engine.teachers import assignments as asg
from engine.teachers import manage
from engine.teachers.classes import InvalidClassName, NotYourClass
from engine.teachers.timezone import local_moment
from ui import assignment_form as form
from ui.teacher import acting
from ui.teacher_notice import notify
from ui.text import md_escape

ss = st.session_state


def _save_settings(engine, teacher, zone, assignment_id: int) -> None:
    values = form.read_settings(f"t_e{assignment_id}_", zone)
    if not ss.get(f"t_e{assignment_id}_has_due"):
        values["accept_late"] = True
    try:
        a = manage.edit_settings(engine, acting(teacher), assignment_id, **values)
    except (asg.AssignmentError, InvalidClassName, NotYourClass) as exc:
        notify("error", f"Not saved: {md_escape(exc)}")
        return
    notify("ok", f"“{md_escape(a.title)}” saved.")


def _save_spec(engine, teacher, assignment_id: int, kind: str, current) -> None:
    p = f"t_q{assignment_id}_"
    try:
        if kind == asg.QUIZ:
            kinds, count = form.read_quiz(p)
            if not kinds:
                raise asg.AssignmentError("Choose at least one question kind.")
            spec = asg.QuizSpec(kinds=tuple(kinds), count=count)
        else:
            spec = form.read_sim(p, current)
        changed = manage.change_spec(engine, acting(teacher), assignment_id, spec)
    except (asg.AssignmentError, NotYourClass, ValueError) as exc:
        notify("error", f"Not saved: {md_escape(asg._first_message(exc))}")
        return
    notify("ok", changed.message)


def edit_assignment(engine, teacher, zone, a: asg.Assignment, begun: int) -> None:
    with st.popover("Edit", icon=":material/edit:"):
        st.markdown(f"**Edit “{md_escape(a.title)}”**")
        form.settings_fields(f"t_e{a.id}_", zone, a)
        st.button("Save", key=f"t_e{a.id}_save", type="primary", on_click=_save_settings,
                  args=(engine, teacher, zone, a.id))
        st.divider()
        st.markdown("**Questions**" if a.kind == asg.QUIZ else "**Exercise settings**")
        if begun:
            st.caption(f"{begun} student(s) have started: saving makes version {a.version + 1}. "
                       "Their tries keep what they were given; new tries get the new version.")
        p = f"t_q{a.id}_"
        if a.kind == asg.QUIZ:
            form.quiz_fields(p, a.quiz_spec())
            current = None
        else:
            current = a.sim_spec()
            form.sim_fields(p, current)
        st.button("Save as a new version" if begun else "Save questions" if a.kind == asg.QUIZ
                  else "Save exercise settings", key=f"t_q{a.id}_save",
                  on_click=_save_spec, args=(engine, teacher, a.id, a.kind, current))


def _extend(engine, teacher, zone, assignment_id: int, remove: bool = False) -> None:
    p = f"t_x{assignment_id}_"
    learner_id = ss.get(f"{p}student")
    if learner_id is None:
        notify("error", "Choose the student first.")
        return
    due = None if remove else local_moment(ss[f"{p}date"], ss.get(f"{p}time") or time(23, 59), zone)
    try:
        manage.set_extension(engine, acting(teacher), assignment_id, learner_id, due)
    except (asg.AssignmentError, NotYourClass) as exc:
        notify("error", md_escape(exc))
        return
    notify("ok", "Extension removed." if remove else
           f"Extension saved: their own due date is {asg.when(due, zone)}.")


def extensions(engine, teacher, zone, a: asg.Assignment, members: list) -> None:
    names = {m.learner_id: m.display_name for m in members}
    if not names:
        return
    own = {lid: due for (lid, _), due in manage.extensions_of(engine, [a.id]).items()}
    with st.popover("Extensions", icon=":material/more_time:"):
        for lid, due in own.items():
            st.markdown(f"{md_escape(names.get(lid, '?'))}: due {asg.when(due, zone)}")
        p = f"t_x{a.id}_"
        st.selectbox("Student", list(names), key=f"{p}student", index=None, placeholder="Choose a student",
                     format_func=names.get)
        base = (a.due_at.astimezone(zone) if a.due_at else datetime.now(zone)) + timedelta(days=2)
        c1, c2 = st.columns(2)
        c1.date_input(f"Their due date ({form.zone_name(zone)})", key=f"{p}date", value=base.date())
        c2.time_input("Time", key=f"{p}time", value=time(23, 59))
        b1, b2 = st.columns(2)
        b1.button("Give extension", key=f"{p}save", on_click=_extend, args=(engine, teacher, zone, a.id))
        b2.button("Remove extension", key=f"{p}remove", on_click=_extend, args=(engine, teacher, zone, a.id, True))
