"""The learner's progress in quizzes: "Mastery per kind of question" (under a finished quiz's
results, and on My progress) and "Latest quizzes" (My progress).

Separate because it draws for two pages: the My progress page imports it without the quiz
page's screens, and it only reads what is saved (or, before signing in, this tab's quiz).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.quiz import TEMPLATES, available_templates
from engine.quiz import history as quiz_history
from engine.quiz.mistakes import mistake_name
from engine.quiz.session import mastery
from ui.quiz import answer_history
from ui.storage import engine_from_config

LEVEL_ICONS = {"Not started": "⚪", "Attempted": "🟠", "Familiar": "🟡", "Proficient": "🟢"}
QUIZ_MODES = {"chosen": "Chosen kinds", "mixed": "Mixed review", "missed": "Practice of missed ones"}


def mastery_table() -> None:
    levels = mastery(answer_history(), list(available_templates()))
    st.subheader("Mastery per kind of question")
    st.caption("From your latest five answers of each kind: Familiar from 70 % right first time; "
               "Proficient when the last three were all right first time.")
    rows = [{"Kind": TEMPLATES[k].title, "Level": f"{LEVEL_ICONS[m.level]} {m.level}",
             "Right first time (latest)": f"{m.recent_first_try} of {m.recent}" if m.recent else "",
             "Usual slip": ", ".join(mistake_name(x) for x in m.common_mistakes)}
            for k, m in levels.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)


def quiz_report(learner) -> None:
    """The learner's latest quizzes and mastery per kind, for the My progress page."""
    recent = quiz_history.summaries(engine_from_config(), learner.id)
    if not recent:
        st.info("No quiz finished yet. Results of quizzes you take while signed in appear here.",
                icon=":material/calculate:")
        st.page_link("pages/quiz.py", label="Take a quiz", icon=":material/calculate:")
        return
    rows = [{"Finished": s.finished_at.strftime("%Y-%m-%d %H:%M UTC"),
             "Kind of quiz": QUIZ_MODES.get(s.mode, s.mode),
             "Questions": s.questions, "Right": s.correct,
             "Score": f"{round(100 * s.points / s.questions)} %" if s.questions else ""}
            for s in recent]
    st.subheader("Latest quizzes")
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    mastery_table()
