import streamlit as st

from engine.lesson import SUMMARY_LEVELS, reading_minutes, summary
from ui import audio
from ui.connection import reconnect_safely
from ui.lesson import TABS
from ui.setup import choose_lesson, content_problems_banner, page

page("Lesson", ":material/menu_book:")
lesson = choose_lesson()
if lesson is None:
    st.stop()

st.title(lesson.title)
st.caption(lesson.info.description)


@st.fragment
def summary_block() -> None:
    """The summary and its level: changing the level reruns this block, not the page."""
    st.segmented_control("Summary level", list(SUMMARY_LEVELS), key="summary_level", default="Quick", required=True,
                         help="Quick is one or two sentences; Detailed covers every topic.")
    level = st.session_state.get("summary_level") or "Quick"
    with st.container(border=True, key="lesson_summary"):
        if level == "Detailed":
            # Folded, with its player: open, it is pages long and pushed the tabs (the lesson
            # itself) far down.
            text = summary(lesson, level)
            # Built only when opened: it is the biggest block of the page, player included.
            detailed = st.expander(f"Detailed summary · about {reading_minutes(text)} min read",
                                   icon=":material/article:", key="summary_detailed", on_change="rerun")
            if detailed.open:
                with detailed:
                    audio.player(lesson, "summary", level)
                    st.markdown(text.replace("\n### ", "\n#### ").replace("### ", "#### ", 1)
                                if text.startswith("### ") else text)
            st.caption("The whole lesson in one read-through. Topic by topic, with an analogy "
                       "for each, it is the Explanations tab below.")
        else:
            st.markdown(summary(lesson, level))
            audio.player(lesson, "summary", level)  # after the text: read it, or listen to it


summary_block()

# Only the open tab is built and sent (the conversation alone is dozens of messages), and the
# open tab is in the URL (?tab=Worked+examples), so a link can point straight at it.
for tab, draw in zip(st.tabs(list(TABS), key="tab", bind="query-params", on_change="rerun"), TABS.values()):
    if tab.open:
        with tab:
            draw(lesson)

content_problems_banner()

reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
