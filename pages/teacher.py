"""Teacher page: the class's misconceptions, the live gradebook, assignments (edit, move,
duplicate, delete and undo, close and reopen, extensions), a new assignment, classes, and the
school's settings. Each screen is its own module in ui/."""
import streamlit as st

from ui.connection import reconnect_safely
from ui.setup import page

page("Teacher", ":material/lock:")

# The gate comes first, inside this page: a deep link on a fresh server meets it too.
from ui.signin import require_teacher  # noqa: E402

teacher = require_teacher()

from engine.teachers import classes as cls  # noqa: E402
from engine.teachers.timezone import school_zone  # noqa: E402
from ui.gradebook import current_book, live_gradebook  # noqa: E402
from ui.gradebook_student import student_screen  # noqa: E402
from ui.learner import engine_from_config  # noqa: E402
from ui.teacher import lock  # noqa: E402
from ui.teacher_assignments import assignments_screen  # noqa: E402
from ui.teacher_classes import classes_screen  # noqa: E402
from ui.teacher_misconceptions import misconceptions_screen  # noqa: E402
from ui.teacher_new import new_assignment  # noqa: E402
from ui.teacher_notice import show_notice  # noqa: E402
from ui.teacher_settings import settings_screen  # noqa: E402

engine = engine_from_config()
ss = st.session_state
zone = school_zone(engine)

top, lock_col = st.columns([5, 1])
top.title("Teacher")
lock_col.button("Lock", key="teacher_lock", on_click=lock, icon=":material/lock:",
                help="Sign out of the teacher pages on this device.")
show_notice(st.container())  # always drawn, so the tabs below keep their place (and tab)

classes = cls.list_classes(engine, teacher)  # only the classes this teacher owns or co-teaches
by_id = {c.id: c for c in classes}
if classes and ss.get("t_gb_class") not in by_id:
    ss.t_gb_class = classes[-1].id
if classes:
    st.selectbox("Class", [c.id for c in reversed(classes)], key="t_gb_class",
                 format_func=lambda i: by_id[i].name if i in by_id else "—")
viewed = by_id.get(ss.get("t_gb_class"))

tabs = st.tabs(["Misconceptions", "Gradebook", "Assignments", "New assignment", "Classes", "Settings"],
               key="t_tab", on_change="rerun")
tab_mc, tab_book, tab_asg, tab_new, tab_classes, tab_settings = tabs
if viewed is None:
    for tab in (tab_mc, tab_book, tab_asg):
        tab.info("No classes yet. Create one in “Classes”.")
else:
    members = cls.members(engine, viewed.id)
    with tab_mc:
        misconceptions_screen(current_book(engine, viewed.id, zone))
    with tab_book:
        live_gradebook(engine, teacher, viewed.id, zone, live=tab_book.open is not False)
        student_screen(engine, teacher, current_book(engine, viewed.id, zone))
    with tab_asg:
        assignments_screen(engine, teacher, zone, viewed, classes, members)
with tab_new:
    new_assignment(engine, teacher, zone, classes)
with tab_classes:
    classes_screen(engine, teacher, zone, classes)
with tab_settings:
    settings_screen(engine, teacher, zone)

reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
