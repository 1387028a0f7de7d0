"""Quiz page, for teachers: the "export questions to Moodle" box at the foot of the page.

Separate because it is a teacher's tool that shares nothing with the learner's quiz: it reads
no session state and changes none, and draws the same whichever screen the quiz page is on.
"""
from __future__ import annotations

import streamlit as st

from engine.quiz import TEMPLATES, available_templates
from engine.quiz.export import to_gift, to_moodle_xml, variants
from engine.teachers.assignments import STUDENT_SEEDS_FROM


def export_box() -> None:
    # Built only when opened, and the files only when a download is clicked: every student's
    # every visit to the quiz page used to generate both files for this closed box.
    box = st.expander("For teachers: export questions to Moodle", icon=":material/download:",
                      key="export_open", on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption("Generated variants as Moodle XML (numerical questions; each known mistake is an extra 0 % "
                   "answer with its feedback) or GIFT. The same kind and variant number always gives the same "
                   "question.")
        kinds = available_templates()
        chosen = st.multiselect("Kinds of question", list(kinds), default=list(kinds)[:3], key="export_kinds",
                                format_func=lambda k: TEMPLATES[k].title)
        c1, c2 = st.columns(2)
        count = c1.number_input("Variants of each kind", 1, 50, 5, key="export_count")
        # Public numbers only: a student's own assignment seeds are never exported.
        first = c2.number_input("First variant number", 0, STUDENT_SEEDS_FROM - 51, 1, key="export_first")
        if not chosen:
            st.warning("Choose at least one kind of question to export.")
            return
        questions = variants(chosen, range(int(first), int(first) + int(count)))
        d1, d2 = st.columns(2)
        d1.download_button("Moodle XML", lambda: to_moodle_xml(questions), file_name="batchwise-quiz.xml",
                           mime="application/xml", icon=":material/download:", key="export_xml")
        d2.download_button("GIFT", lambda: to_gift(questions), file_name="batchwise-quiz.gift.txt",
                           mime="text/plain", icon=":material/download:", key="export_gift")
        st.caption(f"{len(questions)} questions.")
