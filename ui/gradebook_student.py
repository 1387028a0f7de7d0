"""Teacher screen: one student's work. Every try with what they answered (a multiple-choice
option's text, rendered), for a simulator exercise the settings they submitted and the
server's run of them with its charts, and the teacher's own grade with a comment."""
from __future__ import annotations

import streamlit as st

from engine.simulator import SimConfig, simulate
from engine.simulator import charts
from engine.teachers import assignments as asg
from engine.teachers.classes import NotYourClass
from engine.teachers import gradebook as gb
from engine.teachers import overrides
from engine.teachers.simexercise import STUDENT_CONTROLS
from ui.assignment_results import show_items
from ui.teacher import acting
from ui.teacher_notice import notify
from ui.text import md_escape

ss = st.session_state


@st.cache_data(max_entries=32, show_spinner="Training the submitted settings again…")
def _rerun(config_json: str):
    return simulate(SimConfig.model_validate_json(config_json))


def _settings_table(config: dict, editable: set) -> None:
    rows = [{"setting": STUDENT_CONTROLS.get(k, k), "value": str(v),
             "student's choice": "yes" if k in editable else ""}
            for k, v in config.items() if k in STUDENT_CONTROLS]
    st.dataframe(rows, hide_index=True)


def _override(engine, teacher, assignment_id: int, learner_id: int, clear: bool = False) -> None:
    p = f"t_ov_{assignment_id}_{learner_id}_"
    try:
        if clear:
            overrides.clear_override(engine, acting(teacher), assignment_id, learner_id)
            notify("ok", "Your grade was removed: the best try counts again.")
            return
        overrides.set_override(engine, acting(teacher), assignment_id, learner_id, ss.get(f"{p}percent"),
                               ss.get(f"{p}comment", ""))
    except (asg.AssignmentError, NotYourClass) as exc:
        notify("error", md_escape(exc))
        return
    notify("ok", "Grade saved. The student sees it, with your comment, on the assignment.")


def _override_form(engine, teacher, cell: gb.Cell) -> None:
    a, lid = cell.assignment, cell.member.learner_id
    p = f"t_ov_{a.id}_{lid}_"
    current = cell.override
    with st.popover("Your grade" if current is None else f"Your grade: {current.score:.0%}", icon=":material/grading:"):
        st.number_input("Grade (%)", 0.0, 100.0, key=f"{p}percent", step=1.0, format="%g",
                        value=round(current.score * 100, 1) if current else
                        round((cell.score or 0.0) * 100, 1))
        st.text_area("Comment for the student", key=f"{p}comment", max_chars=overrides.COMMENT_MAX,
                     value=current.comment if current else "")
        b1, b2 = st.columns(2)
        b1.button("Save grade", key=f"{p}save", type="primary", on_click=_override,
                  args=(engine, teacher, a.id, lid))
        if current is not None:
            b2.button("Remove my grade", key=f"{p}clear", on_click=_override,
                      args=(engine, teacher, a.id, lid, True))


def student_screen(engine, teacher, book: gb.Gradebook) -> None:
    if not book.members or not book.assignments:
        return
    st.subheader("One student", anchor=False)
    # Students with work come first, so the picker opens on someone with tries to read.
    names = {m.learner_id: m.display_name
             for m in sorted(book.members, key=lambda m: not gb.student_detail(book, m.learner_id))}
    who = st.selectbox("Student", list(names), key="t_gb_student", format_func=names.get)
    if who not in names:
        return
    by_id = {a.id: a for a in book.assignments}
    for a in book.assignments:
        cell = book.cell(who, a.id)
        if not (cell.tries or cell.override):
            continue
        score = "—" if cell.score is None else f"{cell.score:.0%}"
        whose = " (your grade)" if cell.override else ""
        c1, c2 = st.columns([3, 1], vertical_alignment="center")
        c1.markdown(f"**{md_escape(a.title)}** · {score}{whose} · {cell.status}")
        with c2:
            _override_form(engine, teacher, cell)
        if cell.override and cell.override.comment:
            st.caption(f"Your comment: {md_escape(cell.override.comment)}")
    detail = gb.student_detail(book, who)
    if not detail:
        st.caption("No tries yet.")
    for t in detail:
        score = "—" if t["score"] is None else f"{t['score']:.0%}"
        late = " · late" if t["late"] else ""
        version = f" · version {t['version']}" if t["version"] > 1 else ""
        with st.expander(f"{md_escape(t['assignment'])} · try {t['try']} · {score}{late}{version}"):
            st.caption(f"Opened {t['opened']} · submitted {t['submitted']}")
            for note in t["notes"]:
                st.caption(md_escape(note))  # notes quote values the student sent
            if t["config"]:
                a = by_id[t["assignment_id"]]
                editable = set(a.sim_spec().editable) if a.kind == asg.SIMULATOR else set()
                st.markdown("**Settings submitted**")
                _settings_table(t["config"], editable)
                history = _rerun(SimConfig.model_validate(t["config"]).model_dump_json())
                if history.epochs_run:
                    runs = [("submitted run", history)]
                    for metric in ("loss", "accuracy"):
                        st.vega_lite_chart(spec=charts.metric_chart(runs, metric).spec(), width="stretch",
                                           key=f"t_run_{t['assignment_id']}_{t['try']}_{metric}")
            show_items(t["items"], answers_as_text=True)
