import streamlit as st

from engine.glossary import example_entry, related_terms, search_terms, term_entry
from ui.connection import reconnect_safely
from ui.setup import choose_lesson, page

page("Glossary", ":material/dictionary:")
lesson = choose_lesson()
if lesson is None:
    st.stop()

st.title("Glossary")


def show_term(key: str) -> None:
    # A related-term chip is a one-shot link: filter to that term, then clear the chip.
    chosen = st.session_state.get(key)
    if chosen:
        st.session_state.glossary_filter = chosen
    st.session_state[key] = None


@st.fragment
def terms() -> None:
    """The filter and the list: each pause in typing reruns only this part of the page."""
    # live: the box sends what is typed after a 200 ms pause, without Enter.
    st.text_input("Filter terms", key="glossary_filter", placeholder="Type a word, e.g. epoch",
                  type="search", live="200ms",
                  help="Matches names, other names and definitions as you type.")
    found = search_terms(lesson, st.session_state.get("glossary_filter", ""))
    st.caption(f"{len(found)} of {len(lesson.glossary)} terms")
    if not found:
        st.info("No term matches that. Try a shorter word, or clear the filter.")
    # Few elements per term: a class opening this page sends the whole list to every student.
    # A related term on the page is a link that jumps to it; one the filter hides is a chip
    # that filters to it.
    shown = {term.id for term in found}
    for term in found:
        related = related_terms(lesson, term)
        with st.container(border=True):
            st.markdown(term_entry(term, [other for other in related if other.id in shown]))
            hidden = [other.term for other in related if other.id not in shown]
            if hidden:
                key = f"rel-{term.id}"
                label = "See also" if len(hidden) == len(related) else "Related, hidden by the filter"
                st.pills(label, hidden, key=key, on_change=show_term, args=(key,), help="Show that term.")
            for example_id in term.examples:
                # Built only when opened (it reruns this list, not the page).
                example = st.expander(f"Example: {lesson.example(example_id).title}",
                                      key=f"example-{term.id}-{example_id}", on_change="rerun")
                if example.open:
                    example.markdown(example_entry(lesson, example_id))


terms()
reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
