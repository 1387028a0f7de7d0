"""The Lesson page's tabs: each draws one part of a lesson."""
from __future__ import annotations

import streamlit as st

from engine.content import Lesson
from engine.lesson import arithmetic, batch_layout, worked_arithmetic
from ui import audio


def conversation(lesson: Lesson) -> None:
    audio.player(lesson, "dialogue")
    for part in lesson.dialogue:
        st.subheader(part.title)
        for line in part.lines:
            is_teacher = line.speaker.casefold().startswith("teacher")
            with st.chat_message("assistant" if is_teacher else "user",
                                 avatar=":material/school:" if is_teacher else ":material/person:"):
                st.markdown(f"**{line.speaker}:** {line.text}")


def explanations(lesson: Lesson) -> None:
    audio.player(lesson, "topics")
    for topic in lesson.topics:
        st.subheader(topic.title)
        st.markdown(topic.explanation)
        st.info(f"**{topic.analogy_title}.** {topic.analogy}", icon=":material/lightbulb:")


def key_concepts(lesson: Lesson) -> None:
    for concept in lesson.key_concepts:
        st.markdown(f"**{concept.title}.** {concept.text}")


def _steps(steps: list[str], batches: list[int]) -> None:
    st.markdown("\n".join(f"1. {step}" for step in steps))
    st.caption(f"One epoch, batch by batch: {batch_layout(batches)}")


def worked_examples(lesson: Lesson) -> None:
    for example in lesson.examples:
        with st.container(border=True):
            st.markdown(f"#### {example.title}")
            st.markdown(example.text)
            worked = worked_arithmetic(example)
            if worked:
                _steps(worked.steps, worked.batches)
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
        _steps(mine.steps, mine.batches)


def misconceptions(lesson: Lesson) -> None:
    for m in lesson.misconceptions:
        with st.expander(m.title):
            st.markdown(f"**What some students think:** {m.wrong}")
            st.markdown(f"**Why it is wrong:** {m.why}")
            st.success(f"**What is right:** {m.right}")


TABS = {
    "Conversation": conversation,
    "Explanations": explanations,
    "Key concepts": key_concepts,
    "Worked examples": worked_examples,
    "Common misconceptions": misconceptions,
}
