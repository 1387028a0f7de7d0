"""The Lesson page's tabs: each draws one part of a lesson."""
from __future__ import annotations

import streamlit as st

from engine.content import Lesson
from engine.lesson import arithmetic, batch_layout, read_count, worked_arithmetic
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
        st.caption("Whole numbers, written as you like: 1000, 1,000 or 1e3. Press Enter to "
                   "work it out.")
        counts = [read_count(st.session_state.get(key, default), name, 1, high)
                  for key, name, default, high in TRY_BOXES]
        for col, (key, name, default, high), count in zip(st.columns(3), TRY_BOXES, counts):
            # A text box, not a number box: the browser's number box read "1e3" as 1 without
            # a word. The engine reads it as the quiz does, and says what it cannot read.
            col.text_input(name, value=default, key=key, max_chars=40,
                           help=f"A whole number from 1 to {high:,}.")
        problems = [c.message for c in counts if c.value is None]
        for problem in problems:
            st.error(problem, icon=":material/error:")
        if not problems:
            n, b, e = (c.value for c in counts)
            st.caption(f"Read as N = {n:,}, B = {b:,}, E = {e:,}.")
            mine = arithmetic(n, b, e)
            _steps(mine.steps, mine.batches)


TRY_BOXES = [("try_n", "Samples (N)", "1000", 10_000_000),
             ("try_b", "Batch size (B)", "32", 100_000),
             ("try_e", "Epochs (E)", "10", 100_000)]


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
