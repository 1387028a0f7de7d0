import streamlit as st

from engine.glossary import related_terms, search_terms
from engine.lesson import batch_layout, worked_arithmetic
from ui.setup import choose_lesson, page

page("Glossary", ":material/dictionary:")
lesson = choose_lesson()
if lesson is None:
    st.stop()

st.title("Glossary")


def show_term(term_name: str) -> None:
    st.session_state.glossary_filter = term_name


st.text_input("Filter terms", key="glossary_filter", placeholder="Type a word, e.g. epoch",
              help="Matches names, other names and definitions as you type.")
found = search_terms(lesson, st.session_state.get("glossary_filter", ""))
st.caption(f"{len(found)} of {len(lesson.glossary)} terms")
if not found:
    st.info("No term matches that. Try a shorter word, or clear the filter.")

for term in found:
    with st.container(border=True):
        st.markdown(f"#### {term.term}")
        st.markdown(term.definition)
        if term.alternatives:
            st.caption("Also called: " + ", ".join(term.alternatives))
        related = related_terms(lesson, term)
        if related:
            cols = st.columns(min(len(related), 6))
            for i, other in enumerate(related):
                cols[i % len(cols)].button(other.term, key=f"rel-{term.id}-{other.id}", on_click=show_term,
                                           args=(other.term,), icon=":material/link:", type="tertiary")
        for example_id in term.examples:
            example = lesson.example(example_id)
            with st.expander(f"Example: {example.title}"):
                st.markdown(example.text)
                worked = worked_arithmetic(example)
                if worked:
                    for step in worked.steps:
                        st.markdown(f"- {step}")
                    st.caption(batch_layout(worked.batches))
