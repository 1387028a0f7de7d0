import streamlit as st

from engine.lesson import SUMMARY_LEVELS, arithmetic, batch_layout, summary, worked_arithmetic
from ui.setup import choose_lesson, content_problems_banner, page

page("Lesson", ":material/menu_book:")
lesson = choose_lesson()
if lesson is None:
    st.stop()

st.title(lesson.title)
st.caption(lesson.info.description)

st.segmented_control("Summary level", list(SUMMARY_LEVELS), key="summary_level", default="Quick", required=True,
                     help="Quick is one or two sentences; Detailed covers every topic.")
level = st.session_state.get("summary_level") or "Quick"
with st.container(border=True):
    st.markdown(summary(lesson, level))

conversation, explained, concepts, examples, misconceptions = st.tabs(
    ["Conversation", "Explanations", "Key concepts", "Worked examples", "Common misconceptions"])

with conversation:
    for part in lesson.dialogue:
        st.subheader(part.title)
        for line in part.lines:
            is_teacher = line.speaker.casefold().startswith("teacher")
            with st.chat_message("assistant" if is_teacher else "user",
                                 avatar=":material/school:" if is_teacher else ":material/person:"):
                st.markdown(f"**{line.speaker}:** {line.text}")

with explained:
    for topic in lesson.topics:
        st.subheader(topic.title)
        st.markdown(topic.explanation)
        st.info(f"**{topic.analogy_title}.** {topic.analogy}", icon=":material/lightbulb:")

with concepts:
    for concept in lesson.key_concepts:
        st.markdown(f"**{concept.title}.** {concept.text}")

with examples:
    for example in lesson.examples:
        with st.container(border=True):
            st.markdown(f"#### {example.title}")
            st.markdown(example.text)
            worked = worked_arithmetic(example)
            if worked:
                for step in worked.steps:
                    st.markdown(f"- {step}")
                st.caption(f"One epoch, batch by batch: {batch_layout(worked.batches)}")
    with st.container(border=True):
        st.markdown("#### Try your own numbers")
        n_col, b_col, e_col = st.columns(3)
        n = n_col.number_input("Samples (N)", 1, 10_000_000, 1000, step=100, key="try_n",
                               help="A whole number from 1 to 10,000,000.")
        b = b_col.number_input("Batch size (B)", 1, 100_000, 32, step=1, key="try_b",
                               help="A whole number from 1 to 100,000.")
        e = e_col.number_input("Epochs (E)", 1, 100_000, 10, step=1, key="try_e",
                               help="A whole number from 1 to 100,000.")
        mine = arithmetic(int(n), int(b), int(e))
        for step in mine.steps:
            st.markdown(f"- {step}")
        st.caption(f"One epoch, batch by batch: {batch_layout(mine.batches)}")

with misconceptions:
    for m in lesson.misconceptions:
        with st.expander(m.title):
            st.markdown(f"**What some students think:** {m.wrong}")
            st.markdown(f"**Why it is wrong:** {m.why}")
            st.success(f"**What is right:** {m.right}")

content_problems_banner()
