"""A student's own most frequent mistakes (assignments and practice quizzes), each with the
lesson's entry that explains it: shown on their progress page."""
from __future__ import annotations

import streamlit as st

from engine.teachers.misconceptions import learner_mistakes
from ui.learner import engine_from_config
from ui.text import md_escape


def own_mistakes(learner) -> None:
    mistakes = learner_mistakes(engine_from_config(), learner.id)
    if not mistakes:
        st.caption("No named mistakes yet: when an answer matches a known slip, it is counted here.")
        return
    st.caption("The slips you made most often, in quizzes and assignments. Each one links to "
               "the lesson's explanation.")
    for m in mistakes:
        with st.container(border=True):
            st.markdown(f"**{md_escape(m.name)}** · {m.times} time{'s' if m.times != 1 else ''}")
            if m.lesson:
                with st.expander(f"From the lesson: {m.lesson['title']}"):
                    # The lesson's own text (validated content files), Markdown as written.
                    st.markdown(f"**Why it is wrong:** {m.lesson['why']}")
                    st.markdown(f"**What is right:** {m.lesson['right']}")
