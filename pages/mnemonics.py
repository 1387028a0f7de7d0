import streamlit as st

from engine.mnemonics import check_answer, grouped
from ui.connection import reconnect_safely
from ui.setup import choose_lesson, page

page("Mnemonics", ":material/psychology:")
lesson = choose_lesson()
if lesson is None:
    st.stop()

st.title("Mnemonics")
st.caption("Rhymes, stories, memory gems and acronyms, each with a quick self-check.")
results = st.session_state.setdefault("mnemonic_results", {})


def run_check(check, aid, key: str) -> None:
    results[key] = check_answer(check, st.session_state.get(f"answer-{key}", ""), aid, lesson)


for heading, aids in grouped(lesson):
    st.header(heading)
    for aid in aids:
        with st.container(border=True):
            st.markdown(f"#### {aid.title}")
            st.markdown(aid.text)
            if aid.letters:
                st.markdown("  \n".join(f"**{l.letter}** — {l.stands_for}" for l in aid.letters))
            st.caption(f"Helps you remember: {aid.helps_remember}")
            for check in aid.checks:
                key = f"{aid.id}-{check.id}"
                with st.form(f"form-{key}", border=False):
                    st.text_input(check.prompt, key=f"answer-{key}", max_chars=200)
                    st.form_submit_button("Check", on_click=run_check, args=(check, aid, key))
                result = results.get(key)
                if result is not None:
                    {"correct": st.success, "incorrect": st.error, "invalid": st.warning}[result.status](result.message)

reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
