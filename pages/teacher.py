"""Teacher page: classes and join links, quiz assignments and simulator exercises, gradebook."""
from datetime import datetime, time, timedelta, timezone

import streamlit as st

from ui.setup import page

page("Teacher", ":material/lock:")

# The gate comes first, inside this page: a deep link on a fresh server meets it too.
from ui.signin import require_teacher  # noqa: E402

me = require_teacher()
teacher = me.email or "passcode"

from engine.quiz import available_templates  # noqa: E402
from engine.simulator import PRESETS, SimConfig  # noqa: E402
from engine.teachers import assignments as asg  # noqa: E402
from engine.teachers import classes as cls  # noqa: E402
from engine.teachers import gradebook as gb  # noqa: E402
from engine.teachers.links import ASSIGNMENT_KEY, JOIN_KEY  # noqa: E402
from engine.teachers.simexercise import RUN_QUESTIONS, STUDENT_CONTROLS  # noqa: E402
from ui.learner import engine_from_config  # noqa: E402
from ui.teacher import lock, page_link_url, show_items  # noqa: E402
from ui.text import md_escape  # noqa: E402

engine = engine_from_config()
ss = st.session_state
ss.setdefault("teacher_notice", None)

top, lock_col = st.columns([5, 1])
top.title("Teacher")
lock_col.button("Lock", key="teacher_lock", on_click=lock, icon=":material/lock:",
                help="Lock this page again in this browser tab.")
notice_box = st.container()  # always drawn, so the tabs below keep their place (and tab)
if ss.teacher_notice:
    kind, text = ss.teacher_notice
    (notice_box.success if kind == "ok" else notice_box.error)(text)
    ss.teacher_notice = None

all_classes = cls.list_classes(engine, me)
by_id = {c.id: c for c in all_classes}


def join_link(c: cls.SchoolClass) -> str:
    return page_link_url("assignments", {JOIN_KEY: c.code})


def assignment_link(a: asg.Assignment) -> str:
    return page_link_url("assignments", {ASSIGNMENT_KEY: a.code})


def create_class() -> None:
    try:
        c = cls.create_class(engine, ss.get("t_class_name", ""),
                             owner=me)
        ss.teacher_notice = ("ok", "Class created. Share its join link (in the list below) with your students.")
        ss.t_class_name = ""
        ss.t_gb_class = c.id
    except cls.InvalidClassName as exc:
        ss.teacher_notice = ("error", md_escape(exc))


# The quiz form and the simulator form each keep their own title, tries, feedback and due
# date (keys "t_quiz_…" and "t_sim_…"): switching kind never carries one form's choices,
# unseen, into the other. After a creation the form's title and due date start afresh.
FORM_FIELDS = ("title", "tries", "reveal", "has_due", "due_date", "due_time", "accept_late")


def _form() -> str:
    return "quiz" if (ss.get("t_asg_kind") or "Quiz") == "Quiz" else "sim"


def _k(field: str, form: str | None = None) -> str:
    return f"t_{form or _form()}_{field}"


def _due() -> datetime | None:
    if not ss.get(_k("has_due")):
        return None
    day = ss.get(_k("due_date"))
    at = ss.get(_k("due_time")) or time(23, 59)
    return datetime.combine(day, at, tzinfo=timezone.utc)


def create_assignment() -> None:
    school_class = by_id.get(ss.get("t_asg_class"))
    if school_class is None:
        ss.teacher_notice = ("error", "Choose a class first.")
        return
    common = dict(tries_allowed=int(ss[_k("tries")]), reveal=ss[_k("reveal")], due_at=_due(),
                  accept_late=bool(ss.get(_k("accept_late"), True)))
    title = ss.get(_k("title"), "")
    try:
        if _form() == "quiz":
            a = asg.create_quiz(engine, school_class, title, list(ss.t_kinds), int(ss.t_count), **common)
        else:
            base = PRESETS[ss.t_preset].config
            start = SimConfig.model_validate({**base.model_dump(), "epochs": int(ss.t_sim_epochs),
                                              "batch_size": int(ss.t_sim_batch),
                                              "learning_rate": float(ss.t_sim_lr)})
            spec = asg.sim_spec(
                start=start, editable=tuple(ss.t_editable), own_seed=bool(ss.t_own_seed),
                max_epochs=int(ss.t_max_epochs),
                target_val_accuracy=float(ss.t_target) if ss.t_use_target else None,
                within_epochs=int(ss.t_within) if ss.t_use_target else None,
                stop_before_overfitting=bool(ss.t_overfit), questions=tuple(ss.t_questions))
            a = asg.create_simulation(engine, school_class, title, spec, **common)
    except (asg.AssignmentError, cls.InvalidClassName, ValueError) as exc:
        ss.teacher_notice = ("error", f"The assignment was not created: {md_escape(exc)}")
        return
    ss.teacher_notice = ("ok", f"Assignment created. Its link is in the list under “{md_escape(school_class.name)}”.")
    ss.t_last_assignment = a.code
    ss.t_gb_class = school_class.id
    for field in ("title", "has_due", "due_date", "due_time", "accept_late"):
        ss.pop(_k(field), None)


def close_assignment() -> None:
    a = next((x for x in asg.list_assignments(engine, ss.get("t_gb_class")) if x.id == ss.get("t_close_pick")), None)
    if a is None:
        ss.teacher_notice = ("error", "Choose an assignment to close.")
        return
    asg.close_assignment(engine, a.id)
    ss.teacher_notice = ("ok", f"“{md_escape(a.title)}” is closed: students can see their results "
                               "but can no longer start or submit a try.")


tab_classes, tab_new, tab_book = st.tabs(["Classes and links", "New assignment", "Gradebook"], key="t_tab")

with tab_classes:
    with st.form("t_new_class", clear_on_submit=False, border=True):
        st.text_input("New class name", key="t_class_name", max_chars=cls.NAME_MAX,
                      placeholder="e.g. Year 10 Computing, group B")
        st.form_submit_button("Create class", on_click=create_class, icon=":material/group_add:")
    if not all_classes:
        st.info("No classes yet. Create one, then send its join link to your students.")
    counts = cls.member_counts(engine)
    last = ss.get("t_last_assignment")
    for c in reversed(all_classes):
        with st.container(border=True):
            st.markdown(f"#### {md_escape(c.name)}")
            st.caption(f"{counts.get(c.id, 0)} student(s) · created {asg.when(c.created_at)}")
            st.caption("Join link (students open it, sign in as a learner, and join)")
            st.code(join_link(c), language=None, wrap_lines=True)
            for a in reversed(asg.list_assignments(engine, c.id)):
                kind = "Quiz" if a.kind == asg.QUIZ else "Simulator exercise"
                due = f"due {asg.when(a.due_at)}" if a.due_at else "no due date"
                closed = " · closed" if a.closed_at else ""
                new = " · **new**" if a.code == last else ""
                st.markdown(f"**{md_escape(a.title)}** · {kind} · {due}{closed}{new}")
                st.code(assignment_link(a), language=None, wrap_lines=True)

with tab_new:
    if not all_classes:
        st.info("Create a class first (in “Classes and links”).")
    else:
        st.selectbox("Class", [c.id for c in reversed(all_classes)], key="t_asg_class",
                     format_func=lambda i: by_id[i].name)
        st.segmented_control("Kind", ["Quiz", "Simulator exercise"], key="t_asg_kind", default="Quiz")
        st.text_input("Title", key=_k("title"), max_chars=asg.TITLE_MAX,
                      placeholder="e.g. Iterations and epochs, week 3")
        c1, c2 = st.columns(2)
        c1.number_input("Tries allowed", 1, asg.MAX_TRIES, 2, key=_k("tries"))
        c2.selectbox("When students see feedback and answers", list(asg.REVEAL), key=_k("reveal"),
                     index=1, format_func=asg.REVEAL.get)
        st.checkbox("Set a due date", key=_k("has_due"))
        if ss.get(_k("has_due")):
            d1, d2, d3 = st.columns(3)
            d1.date_input("Due date (UTC)", key=_k("due_date"),
                          value=(datetime.now(timezone.utc) + timedelta(days=7)).date())
            d2.time_input("Due time (UTC)", key=_k("due_time"), value=time(23, 59))
            d3.checkbox("Accept late work (marked late)", key=_k("accept_late"), value=True)
        if _form() == "quiz":
            kinds = available_templates()
            st.multiselect("Question kinds (asked in turn)", list(kinds), key="t_kinds",
                           format_func=lambda k: kinds[k].title,
                           default=[k for k in ("iterations-per-epoch", "total-iterations") if k in kinds])
            st.number_input("Number of questions", 1, asg.MAX_QUESTIONS, 5, key="t_count")
            st.caption("Each student gets their own numbers (from their learner, this assignment, the "
                       "question and the try), graded on the server.")
        else:
            st.selectbox("Starting run", list(PRESETS), key="t_preset",
                         help="A simulator preset; its dataset and network are fixed for students.")
            base = PRESETS[ss.get("t_preset") or next(iter(PRESETS))].config
            s1, s2, s3 = st.columns(3)
            s1.number_input("Epochs", 1, 500, min(base.epochs, 100), key="t_sim_epochs")
            s2.number_input("Batch size", 1, 2000, base.batch_size, key="t_sim_batch")
            s3.number_input("Learning rate", 1e-5, 10.0, base.learning_rate, key="t_sim_lr", format="%g")
            st.multiselect("Controls students may change", list(STUDENT_CONTROLS), key="t_editable",
                           default=["batch_size", "learning_rate", "epochs"], format_func=STUDENT_CONTROLS.get)
            st.number_input("Most epochs a student may run", 1, 500, max(100, min(base.epochs, 500)),
                            key="t_max_epochs")
            g1, g2 = st.columns(2)
            g1.checkbox("Goal: validation accuracy target", key="t_use_target", value=True)
            g1.slider("Target validation accuracy", 0.5, 1.0, 0.9, 0.01, key="t_target")
            g1.number_input("…within this many epochs", 1, 500, 20, key="t_within")
            g2.checkbox("Goal: stop before overfitting", key="t_overfit")
            g2.caption("Passes when the final network's validation loss is within 5% of the lowest "
                       "the same settings reach in the maximum number of epochs.")
            st.multiselect("Questions about the run", list(RUN_QUESTIONS), key="t_questions",
                           format_func=RUN_QUESTIONS.get, default=["lowest-val-loss-epoch"])
            st.checkbox("Each student trains on their own data (own seed)", key="t_own_seed", value=True)
        st.button("Create assignment", type="primary", key="t_create", on_click=create_assignment,
                  icon=":material/add_task:")
        last = ss.get("t_last_assignment")
        if last:
            st.caption("Link to the assignment you just created")
            st.code(page_link_url("assignments", {ASSIGNMENT_KEY: last}), language=None, wrap_lines=True)

with tab_book:
    if not all_classes:
        st.info("No classes yet.")
    else:
        if ss.get("t_gb_class") not in by_id:
            ss.t_gb_class = all_classes[-1].id
        st.selectbox("Class", [c.id for c in reversed(all_classes)], key="t_gb_class",
                     format_func=lambda i: by_id[i].name)
        book = gb.class_gradebook(engine, ss.t_gb_class)
        if not book.members:
            st.info("Nobody has joined this class yet.")
        elif not book.assignments:
            st.info("This class has no assignments yet.")
        else:
            st.caption("Best try per student (tries used in brackets); times in UTC.")
            st.dataframe(book.table(), hide_index=True, key="t_gradebook_table")
            st.download_button("Download CSV", book.csv(), file_name="gradebook.csv",
                               mime="text/csv", key="t_csv", icon=":material/download:")
            shares = gb.kind_shares(book)
            if not shares.empty:
                st.subheader("Share answered right, per question kind")
                st.altair_chart(gb.kind_chart(shares), key="t_kind_chart")
            st.subheader("One student")
            # Students with work come first, so the picker opens on someone with tries to read.
            names = {m.learner_id: m.display_name
                     for m in sorted(book.members, key=lambda m: not gb.student_detail(book, m.learner_id))}
            who = st.selectbox("Student", list(names), key="t_gb_student", format_func=names.get)
            detail = gb.student_detail(book, who)
            if not detail:
                st.caption("No tries yet.")
            for t in detail:
                score = "—" if t["score"] is None else f"{t['score']:.0%}"
                late = " · late" if t["late"] else ""
                with st.expander(f"{md_escape(t['assignment'])} · try {t['try']} · {score}{late}"):
                    st.caption(f"Opened {t['opened']} · submitted {t['submitted']}")
                    for note in t["notes"]:
                        st.caption(md_escape(note))  # notes quote values the student sent
                    show_items(t["items"])
            with st.expander("Close an assignment early"):
                open_ones = [a for a in book.assignments if a.closed_at is None]
                if open_ones:
                    titles = {a.id: a.title for a in open_ones}
                    st.selectbox("Assignment", list(titles), key="t_close_pick", format_func=titles.get)
                    st.button("Close it now (students can no longer submit)", key="t_close",
                              on_click=close_assignment)
                else:
                    st.caption("Every assignment of this class is closed.")
