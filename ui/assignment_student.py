"""The student's assignments: joining a class by link, the list of their work, and one
assignment (results of the tries so far, the teacher's grade, the open try, the next step).

The assignment's code stays in the address (`?assignment=`) from opening to results, so a
reload, a restart or a second tab returns to the same place. Buttons act in the script run
(not in callbacks), so a tab that reconnected after a server restart acts on its first click.
"""
from __future__ import annotations

import streamlit as st

from engine import db
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers.links import ASSIGNMENT_KEY, JOIN_KEY, LinkProblem
from engine.teachers.overrides import override_for
from engine.teachers.timezone import school_zone
from ui.assignment_quiz import announce, quiz_form, submission_key
from ui.assignment_sim import sim_form
from ui.assignment_results import show_items
from ui.text import md_escape

ss = st.session_state


def class_of_link(engine) -> cls.SchoolClass | None:
    """The class the link in the address belongs to (None for no link or a bad one: the page
    explains a bad link once the student is signed in)."""
    try:
        if st.query_params.get(ASSIGNMENT_KEY):
            return cls.get_class(engine, asg.find_assignment(engine, st.query_params[ASSIGNMENT_KEY]).class_id)
        if st.query_params.get(JOIN_KEY):
            return cls.find_class(engine, st.query_params[JOIN_KEY])
    except LinkProblem:
        return None
    return None


def _notice_box() -> None:
    notice = ss.pop("asg_notice", None)
    if notice:
        (st.success if notice[0] == "ok" else st.error)(notice[1])


def show_join(engine, learner, code: str) -> None:
    try:
        c = cls.find_class(engine, code)
    except LinkProblem as exc:
        st.error(md_escape(exc), icon=":material/link_off:")
        return
    if cls.is_member(engine, c.id, learner.id):
        st.success(f"You are in the class {md_escape(c.name)}. Your teacher's assignments for it appear below.")
        return
    if cls.removed_from(engine, c.id, learner.id):
        # Joining again would change nothing: say so instead of a "You joined" that is not true.
        st.warning(md_escape(cls.removed_note(c)), icon=":material/person_off:")
        return
    with st.container(border=True):
        st.markdown(f"Join the class **{md_escape(c.name)}**? Your teacher will see your name and your "
                    "results on the work they set.")
        if st.button("Join class", type="primary", key="asg_join", icon=":material/group_add:"):
            cls.join_class(engine, c, learner.id)
            if cls.is_member(engine, c.id, learner.id):  # not when removed by the teacher meanwhile
                ss["asg_notice"] = ("ok", f"You joined the class {md_escape(c.name)}.")
            st.rerun()


def _open(code: str | None) -> None:
    if code is None:
        st.query_params.pop(ASSIGNMENT_KEY, None)
    else:
        st.query_params[ASSIGNMENT_KEY] = code
    st.rerun()


def _header(a: asg.Assignment, tries: list, now, zone, can_work: bool) -> None:
    st.header(md_escape(a.title), anchor=False)
    used = asg.tries_used(tries)
    due = f"due {asg.when(a.due_at, zone)}" if a.due_at else "no due date"
    if a.extended:
        due = f"your own due date {asg.when(a.due_at, zone)}"
    bits = ["Quiz" if a.kind == asg.QUIZ else "Simulator exercise", due,
            f"tries used {used} of {a.tries_allowed}"]
    st.caption(" · ".join(bits))
    # The late-work note only where there is still work to hand in.
    if can_work and a.is_past_due(now) and a.closed_reason(now) is None:
        st.warning("The due date has passed: work you submit now is marked late.", icon=":material/schedule:")


def _results(engine, a: asg.Assignment, tries: list, now, learner_id: int) -> None:
    grade = override_for(engine, a.id, learner_id)
    if grade is not None:
        with st.container(border=True):
            st.markdown(f"**Your teacher's grade: {grade.score:.0%}**")
            if grade.comment:
                st.caption("Your teacher's comment")
                st.text(grade.comment)
    vis = asg.visibility(a, tries, now)
    done = [t for t in tries if t.submitted]
    for t in reversed(done):
        late = " · late" if t.late else ""
        with st.expander(f"Try {t.try_no}: {t.points:g} of {t.max_points:g} points ({t.score:.0%}){late}",
                         expanded=t is done[-1]):
            if not vis.right_or_wrong:
                st.caption("Your teacher shows the score only.")
            elif not vis.answers:
                st.caption("Correct answers and worked solutions are shown "
                           + ("after the due date." if a.reveal == "due" else "after your last try or the due date."))
            show_items(asg.student_items(t, vis) if vis.right_or_wrong else [])


def show_assignment(engine, learner, code: str) -> None:
    zone = school_zone(engine)
    if st.button("All my assignments", key="asg_back", icon=":material/arrow_back:"):
        _open(None)
    try:
        found = asg.find_assignment(engine, code)
    except LinkProblem as exc:
        st.error(md_escape(exc), icon=":material/link_off:")
        return
    a = asg.as_seen_by(engine, found, learner.id)
    now = db.now()
    tries = asg.attempts_of(engine, a.id, learner.id)
    reason = a.closed_reason(now, zone)
    problem = None
    if not tries and reason is not None:
        problem = md_escape(reason)  # cannot even start: an error, as on a closed link
    elif not tries:
        try:
            asg.start_try(engine, a, learner.id, now)
        except (asg.AssignmentError, LinkProblem) as exc:
            problem = md_escape(exc)  # messages can quote the title
        tries = asg.attempts_of(engine, a.id, learner.id)
    current = tries[-1] if tries and not tries[-1].submitted else None
    if tries and tries[-1].submitted and f"asg_key_{tries[-1].id}" in ss:
        announce(tries[-1])  # this tab had the form open: its submit was stored
    can_work = reason is None and (current is not None or len(tries) < a.tries_allowed)
    _header(a, tries, now, zone, can_work)
    _notice_box()
    if problem:
        st.error(problem, icon=":material/event_busy:")
    problems = ss.pop("asg_problems", None)
    if problems:
        st.warning("Nothing was submitted, and no try was used. Please fix:\n\n"
                   + "\n".join(f"- **{md_escape(k)}**: {md_escape(v)}" for k, v in problems.items()))
    _results(engine, a, tries, now, learner.id)
    done = [t for t in tries if t.submitted]
    if current is not None and reason is None:
        submission_key(current)
        st.subheader(f"Try {current.try_no} of {a.tries_allowed}", anchor=False)
        (quiz_form if a.kind == asg.QUIZ else sim_form)(engine, a, current)
    elif reason and not problem:
        st.info(md_escape(reason), icon=":material/event_busy:")
    elif done and len(tries) < a.tries_allowed:
        st.info(f"Next step: try again with new numbers ({a.tries_allowed - len(tries)} "
                f"{'try' if a.tries_allowed - len(tries) == 1 else 'tries'} left). Your best try counts.",
                icon=":material/replay:")
        if st.button(f"Start try {len(tries) + 1}", type="primary", key="asg_start", icon=":material/replay:",
                     help="Each try has new numbers; your best try counts."):
            try:
                asg.start_try(engine, found, learner.id)
            except (asg.AssignmentError, LinkProblem) as exc:
                ss["asg_notice"] = ("error", md_escape(exc))
            st.rerun()
    elif done:
        best = asg.best(tries)
        st.info(f"You have used all your tries. Your best: {best.score:.0%}. Next step: the rest of "
                "your assignments, under “All my assignments”.", icon=":material/task_alt:")


def my_work(engine, learner) -> None:
    mine = cls.classes_of(engine, learner.id)
    if not mine:
        st.info("You are not in a class yet. Open the join link your teacher gave you.")
        return
    zone = school_zone(engine)
    now = db.now()
    for c in mine:
        st.subheader(md_escape(c.name), anchor=False)
        work = [asg.as_seen_by(engine, a, learner.id) for a in asg.list_assignments(engine, c.id)]
        if not work:
            st.caption("No assignments yet.")
        for a in work:
            tries = asg.attempts_of(engine, a.id, learner.id)
            best = asg.best(tries)
            state = f"best {best.score:.0%}" if best else ("started" if tries else "not started")
            due = f"due {asg.when(a.due_at, zone)}" if a.due_at else "no due date"
            closed = {"closed": " · closed", "scheduled": f" · opens {asg.when(a.opens_at, zone)}"}.get(a.state(now), "")
            with st.container(border=True):
                # A button, not a page link: it adds the assignment to this page's address
                # (which holds no identity), so a reload stays on the assignment.
                if st.button(md_escape(a.title), key=f"asg_open_{a.code}", icon=":material/assignment:",
                             type="tertiary"):
                    _open(a.code)
                st.caption(f"{due} · {state} · tries {asg.tries_used(tries)} of {a.tries_allowed}{closed}")


def assignments_page(engine, learner) -> None:
    join_code = st.query_params.get(JOIN_KEY)
    assignment_code = st.query_params.get(ASSIGNMENT_KEY)
    if not assignment_code:
        _notice_box()
    if join_code:
        show_join(engine, learner, join_code)
    if assignment_code:
        show_assignment(engine, learner, assignment_code)
    else:
        my_work(engine, learner)
