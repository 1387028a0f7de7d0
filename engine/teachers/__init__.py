"""Teachers: classes joined by link, assignments (quizzes and simulator exercises) graded on
the server, the gradebook, and the passcode that locks the teacher page.

    from engine.teachers import classes, assignments, gradebook, auth

Modules: `store` (tables), `links` (codes in links), `auth` (passcode hash and throttling),
`classes` (and who may act on which: `can_teach`, `require_class`), `assignments`, `simexercise` (simulator goals and run questions), `gradebook`,
`manage` (edit, versions, move, duplicate,
delete and restore, close and reopen, extensions), `overrides` (a teacher's grade and comment),
`misconceptions` (the class's named mistakes), `timezone` (the school's zone), `drafts` (tries
in progress, saved as typed).
Nothing here imports streamlit.
"""
from engine.teachers import store  # noqa: F401  (registers the tables with engine.db)
