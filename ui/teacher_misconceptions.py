"""Teacher screen: the class's misconceptions. Each named mistake the class made, ranked by
how many students made it, with who, on which questions, and the lesson's entry to reteach
from; for the whole class or one assignment; as CSV."""
from __future__ import annotations

import streamlit as st

from engine.teachers import gradebook as gb
from engine.teachers import misconceptions as mc
from ui.text import md_escape

ss = st.session_state


def misconceptions_screen(book: gb.Gradebook) -> None:
    titles = {a.id: a.title for a in book.assignments}
    st.selectbox("Which work", [None, *reversed(list(titles))], key="t_mc_assignment",
                 format_func=lambda i: "All assignments" if i is None else titles.get(i, "—"))
    which = ss.get("t_mc_assignment")
    mistakes = mc.class_mistakes(book, which if which in titles else None)
    if not mistakes:
        st.info("No named mistakes yet: they appear here as soon as students submit work with "
                "a known slip (a wrong answer the grader recognises).", icon=":material/psychology:")
        return
    people = len(book.members)
    st.caption(f"Ranked by how many of the class's {people} student(s) made each mistake.")
    for rank, m in enumerate(mistakes, start=1):
        with st.container(border=True):
            st.markdown(f"**{rank}. {md_escape(m.name)}** · {len(m.students)} student(s) · "
                        f"{m.times} time(s)")
            st.caption("Students: " + ", ".join(md_escape(n) for _, n in m.students))
            st.caption("On: " + "; ".join(md_escape(q) for q in m.questions)
                       + " · in " + "; ".join(md_escape(t) for t in m.assignments))
            if m.lesson:
                with st.expander(f"Reteach from the lesson: {m.lesson['title']}"):
                    # The lesson's own text (content files, validated), Markdown as written.
                    st.markdown(f"**The mistake:** {m.lesson['wrong']}")
                    st.markdown(f"**Why it is wrong:** {m.lesson['why']}")
                    st.markdown(f"**What is right:** {m.lesson['right']}")
    st.download_button("Download misconceptions CSV", mc.csv(mistakes), file_name="misconceptions.csv",
                       mime="text/csv", key="t_mc_csv", icon=":material/download:")
