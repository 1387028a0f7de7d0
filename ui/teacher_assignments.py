"""Teacher screen: a class's assignments, each with its link and what can be done to it:
edit, move or duplicate to a class, close or reopen, extensions, delete (with confirmation
and undo); deleted assignments can be restored."""
from __future__ import annotations

import streamlit as st

from engine import db
from engine.teachers import assignments as asg
from engine.teachers.classes import NotYourClass
from engine.teachers import manage
from engine.teachers.links import ASSIGNMENT_KEY
from ui.assignment_edit import edit_assignment, extensions
from ui.teacher import acting, page_link_url
from ui.teacher_notice import notify
from ui.text import md_escape

ss = st.session_state
STATE_WORDS = {"open": "open", "closed": "closed", "scheduled": "not open yet", "archived": "deleted"}


def _act(action, engine, teacher, assignment_id, *args, done: str = "", undo=None) -> None:
    """Run one teacher action; its message (or the refusal) shows at the top of the page."""
    try:
        a = action(engine, acting(teacher), assignment_id, *args)
    except (asg.AssignmentError, NotYourClass) as exc:
        notify("error", md_escape(exc))
        return
    notify("ok", done.replace("{title}", md_escape(a.title)), undo)  # a name may hold braces


def _delete(engine, teacher, assignment_id) -> None:
    ss.pop("t_confirm_delete", None)
    _act(manage.archive, engine, teacher, assignment_id,
         done="“{title}” was deleted: students no longer see it and the gradebook leaves it out. "
              "Every try is kept.", undo=(_restore, (engine, teacher, assignment_id)))


def _restore(engine, teacher, assignment_id) -> None:
    _act(manage.restore, engine, teacher, assignment_id, done="“{title}” is back, with every try.")


_TO_CLASS = {
    "move": (manage.move, "“{title}” is now in “{target}”. Its link is unchanged."),
    "duplicate": (manage.duplicate, "A copy, “{title}”, is in “{target}”, with a new link."),
}


def _to_class(how: str, engine, teacher, assignment_id, names) -> None:
    """Move the assignment, or copy it, into the class picked beside the buttons."""
    target = ss.get(f"t_move_to_{assignment_id}")
    if target is None:
        notify("error", "Choose the class first.")
        return
    action, done = _TO_CLASS[how]
    _act(action, engine, teacher, assignment_id, target,
         done=done.replace("{target}", md_escape(names.get(target, ""))))
    if how == "move":
        ss.t_gb_class = target


def _one(engine, teacher, zone, a: asg.Assignment, classes: list, members: list) -> None:
    now = db.now()
    state = a.state(now)
    kind = "Quiz" if a.kind == asg.QUIZ else "Simulator exercise"
    due = f"due {asg.when(a.due_at, zone)}" if a.due_at else "no due date"
    new = " · new" if a.code == ss.get("t_last_assignment") else ""
    version = f" · version {a.version}" if a.version > 1 else ""
    with st.expander(f"{md_escape(a.title)} · {kind} · {due} · {STATE_WORDS[state]}{version}{new}"):
        if a.opens_at:
            st.caption(f"Opens {asg.when(a.opens_at, zone)}")
        st.code(page_link_url("assignments", {ASSIGNMENT_KEY: a.code}), language=None, wrap_lines=True)
        begun = manage.started(engine, a.id)
        st.caption(f"{begun} student(s) started" if begun else "Nobody has started yet")
        edit_assignment(engine, teacher, zone, a, begun)
        names = {c.id: c.name for c in classes}
        st.markdown("**Move or copy to a class**")
        m1, m2, m3 = st.columns([2, 1, 1])
        m1.selectbox("Move or copy to class", [c.id for c in reversed(classes)], key=f"t_move_to_{a.id}", index=None,
                     placeholder="Choose a class", format_func=lambda i: names.get(i, "—"),
                     label_visibility="collapsed")
        m2.button("Move", key=f"t_move_{a.id}", on_click=_to_class, args=("move", engine, teacher, a.id, names),
                  disabled=bool(begun), icon=":material/drive_file_move:",
                  help="Only while nobody has started: the tries belong to the class's students."
                       if begun else None)
        m3.button("Duplicate", key=f"t_dup_{a.id}", on_click=_to_class, args=("duplicate", engine, teacher, a.id, names),
                  icon=":material/content_copy:")
        extensions(engine, teacher, zone, a, members)
        b1, b2 = st.columns(2)
        if a.closed_at is not None or state == "closed":
            b1.button("Reopen", key=f"t_reopen_{a.id}", icon=":material/lock_open:",
                      on_click=_act, args=(manage.reopen, engine, teacher, a.id),
                      kwargs={"done": "“{title}” is open again."})
        else:
            b1.button("Close now", key=f"t_close_{a.id}", icon=":material/lock:",
                      on_click=_act, args=(manage.close, engine, teacher, a.id),
                      kwargs={"done": "“{title}” is closed: students can see their results but can no "
                                      "longer start or submit a try."})
        if ss.get("t_confirm_delete") == a.id:
            st.warning(f"Delete “{md_escape(a.title)}”? Students will no longer see it and the "
                       "gradebook will leave it out. Their tries are kept, and you can undo this.")
            c1, c2 = st.columns(2)
            c1.button("Yes, delete it", key=f"t_delete_yes_{a.id}", type="primary", on_click=_delete,
                      args=(engine, teacher, a.id), icon=":material/delete:")
            c2.button("Cancel", key=f"t_delete_no_{a.id}", on_click=ss.pop, args=("t_confirm_delete", None))
        else:
            b2.button("Delete…", key=f"t_delete_{a.id}", icon=":material/delete:",
                      on_click=ss.__setitem__, args=("t_confirm_delete", a.id))


def assignments_screen(engine, teacher, zone, school_class, classes: list, members: list) -> None:
    work = asg.list_assignments(engine, school_class.id)
    if not work:
        st.info(f"“{md_escape(school_class.name)}” has no assignments yet. Create one in “New assignment”.")
    for a in reversed(work):
        _one(engine, teacher, zone, a, classes, members)
    gone = asg.list_assignments(engine, school_class.id, archived=True)
    if gone:
        st.markdown("**Deleted assignments**")
        for a in reversed(gone):
            c1, c2 = st.columns([3, 1])
            c1.markdown(f"{md_escape(a.title)} · deleted {asg.when(a.archived_at, zone)}")
            c2.button("Restore", key=f"t_restore_{a.id}", on_click=_restore, args=(engine, teacher, a.id),
                      icon=":material/restore_from_trash:")
