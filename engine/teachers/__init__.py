"""Teachers: classes joined by link, assignments (quizzes and simulator exercises) graded on
the server, the gradebook, and the passcode that locks the teacher page.

    from engine.teachers import classes, assignments, gradebook, auth

Modules: `store` (tables), `links` (codes in links), `auth` (passcode hash and throttling),
`classes`, `assignments`, `simexercise` (simulator goals and run questions), `gradebook`.
Nothing here imports streamlit.
"""
from engine.teachers import store  # noqa: F401  (registers the tables with engine.db)
