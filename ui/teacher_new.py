"""Teacher screen: a new assignment. The class is chosen explicitly every time (no class is
preselected, and the form's title names the chosen one), so homework cannot land in the
class last looked at. After a creation the form starts afresh."""
from __future__ import annotations

import streamlit as st

from engine.teachers import assignments as asg
from engine.teachers import manage
from engine.teachers.classes import InvalidClassName, NotYourClass
from engine.teachers.links import ASSIGNMENT_KEY
from ui import assignment_form as form
from ui.teacher import acting, page_link_url
from ui.teacher_notice import notify
from ui.text import md_escape

ss = st.session_state
CLASS_KEY = "t_asg_class"
KIND_KEY = "t_asg_kind"
SPEC = "t_"  # the question / exercise fields: t_kinds, t_count, t_preset, t_sim_epochs…


def _prefix() -> str:
    # The quiz and the exercise keep their own title, tries, due date…: switching kind never
    # carries one form's choices, unseen, into the other.
    return "t_quiz_" if (ss.get(KIND_KEY) or "Quiz") == "Quiz" else "t_sim_"


def _create(engine, teacher, zone, classes: dict) -> None:
    class_id = ss.get(CLASS_KEY)
    if class_id not in classes:
        notify("error", "Choose the class this assignment is for first.")
        return
    p = _prefix()
    settings = form.read_settings(p, zone)
    opens_at = settings.pop("opens_at")
    title = settings.pop("title")
    try:
        if p == "t_quiz_":
            kinds, count = form.read_quiz(SPEC)
            if not kinds:
                raise asg.AssignmentError("Choose at least one question kind.")
            spec = asg.QuizSpec(kinds=tuple(kinds), count=count)
            a = manage.create(engine, acting(teacher), class_id, asg.QUIZ, title, spec, opens_at=opens_at, **settings)
        else:
            a = manage.create(engine, acting(teacher), class_id, asg.SIMULATOR, title, form.read_sim(SPEC),
                              opens_at=opens_at, **settings)
    except (asg.AssignmentError, InvalidClassName, NotYourClass, ValueError) as exc:
        notify("error", f"The assignment was not created: {md_escape(asg._first_message(exc))}")
        return
    notify("ok", f"Assignment created in “{md_escape(classes[class_id].name)}”. Its link is below and "
                 "in the Assignments tab.")
    ss.t_last_assignment = a.code
    ss.t_gb_class = class_id
    # A fresh form, the questions or exercise settings too; the next one is for a class chosen
    # again, on purpose.
    form.clear(p, CLASS_KEY, *(SPEC + name for name in form.QUIZ_FIELDS + form.SIM_FIELDS))


def new_assignment(engine, teacher, zone, classes: list) -> None:
    if not classes:
        st.info("Create a class first (in “Classes”).")
        return
    by_id = {c.id: c for c in classes}
    ids = [c.id for c in reversed(classes)]
    st.selectbox("For class", ids, key=CLASS_KEY, placeholder="Choose the class this assignment is for",
                 format_func=lambda i: by_id[i].name if i in by_id else "—",
                 **form.field(CLASS_KEY, None, "index", lambda i: ids.index(i) if i in ids else None))
    chosen = by_id.get(ss.get(CLASS_KEY))
    st.subheader(f"New assignment for {md_escape(chosen.name)}" if chosen else
                 "New assignment (choose its class above)", anchor=False)
    st.segmented_control("Kind", ["Quiz", "Simulator exercise"], key=KIND_KEY, **form.field(KIND_KEY, "Quiz", "default"))
    p = _prefix()
    form.settings_fields(p, zone)
    if p == "t_quiz_":
        form.quiz_fields(SPEC)
    else:
        form.sim_fields(SPEC)
    st.button("Create assignment", type="primary", key="t_create", on_click=_create,
              args=(engine, teacher, zone, by_id), icon=":material/add_task:", disabled=chosen is None,
              help=None if chosen else "Choose the class first.")
    last = ss.get("t_last_assignment")
    if last:
        st.caption("Link to the assignment you just created")
        st.code(page_link_url("assignments", {ASSIGNMENT_KEY: last}), language=None, wrap_lines=True)
