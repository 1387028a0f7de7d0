"""Home page: what Batchwise is, and the way into each part."""
import streamlit as st

from ui.connection import reconnect_safely
from ui.setup import content_problems_banner, library, menu_entries, page
from ui.storage import startup_check

page("Batchwise", ":material/school:")
startup_check()  # names a broken database setting for the operator (ui/storage.py)

st.title("Batchwise")
st.markdown(
    "Revise the **training phases** of a neural network: what an **epoch**, an **iteration** and "
    "the **batch size** are, how they multiply into weight updates, and how to read **loss and "
    "accuracy** while a network trains."
)

WHAT = {
    "pages/lesson.py": "Read the lesson: a conversation, summaries at three levels, worked examples.",
    "pages/glossary.py": "Every term, filtered as you type.",
    "pages/mnemonics.py": "Rhymes, stories and acronyms, with a quick self-check.",
    "pages/flashcards.py": "Spaced-repetition flashcards that remember your progress.",
    "pages/quiz.py": "Computed questions, graded on the spot, with feedback on your exact mistake.",
    "pages/simulator.py": "Train a small network and watch loss and accuracy epoch by epoch.",
    "pages/assignments.py": "Work your teacher has set you.",
    "pages/progress.py": "Your reviews, your forecast, your exports.",
    "pages/sign_in.py": "Sign in with your class code and your code, or your school account.",
    "pages/teacher.py": "For teachers: classes, assignments and the gradebook.",
}
# Row by row, three to a row: on a phone each row's columns stack, so the cards keep the
# menu's order (columns filled one by one read column by column there).
entries = [e for e in menu_entries() if e[0] in WHAT]
for row in range(0, len(entries), 3):
    for col, (path, label, icon) in zip(st.columns(3), entries[row:row + 3]):
        with col.container(border=True, height="stretch", key=f"home_{path.rsplit('/', 1)[-1].removesuffix('.py')}"):
            st.page_link(path, label=label, icon=icon)
            st.caption(WHAT[path])

lessons = library().ordered()
if lessons:
    st.caption("Lessons: " + " · ".join(l.title for l in lessons))
content_problems_banner()

reconnect_safely()  # last: the connection banner, and a click across a reconnect waits for the page
