"""A whole school: several app processes on one database (PostgreSQL, and SQLite for a
single machine). Schema creation races, and submissions from several processes at once."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from engine import db
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers.store import attempts
from teachers_support import fresh_postgres_database, learners_named, storage_url  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]

SUBMITTER = """
import json, sys
from engine import db
from engine.teachers import assignments as asg
job = json.load(sys.stdin)
engine = db.connect(job["url"])
a = asg.find_assignment(engine, job["code"])
counts = {"new": 0, "repeated": 0}
for learner_id, attempt_id, answers in job["work"]:
    for _ in range(2):  # every submit sent twice, as a retry after a lost connection would
        done = asg.submit(engine, a, learner_id, attempt_id, answers, key=f"proc-{learner_id}-{attempt_id}")
        counts["repeated" if done.repeated else "new"] += 1
print(json.dumps(counts))
"""


def _python(code: str, stdin: str = "") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)


def test_app_processes_starting_together_create_the_schema_once():
    with fresh_postgres_database() as url:
        procs = [_python(f"from engine import db; db.connect({url!r})") for _ in range(3)]
        outcomes = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], [err for _, err in outcomes]
        engine = db.connect(url)
        assert db.versions(engine)["teachers"] == db.registered()["teachers"]
        assert {"classes", "assignments", "assignment_attempts"} <= set(sa.inspect(engine).get_table_names())
        engine.dispose()


def test_submissions_from_four_processes_at_once_are_each_stored_once(storage_url):
    engine = db.connect(storage_url)
    c = cls.create_class(engine, "Whole school")
    a = asg.create_quiz(engine, c, "Assembly quiz", ["iterations-per-epoch"], 1, tries_allowed=1)
    students = learners_named(engine, *[f"Pupil {i}" for i in range(200)])
    work = []
    for s in students:
        t = asg.start_try(engine, a, s.id)
        work.append([s.id, t.id, [t.questions()[0].answer.value if s.id % 3 else "1"]])
    procs = [_python(SUBMITTER) for _ in range(4)]
    for i, p in enumerate(procs):
        p.stdin.write(json.dumps({"url": storage_url, "code": a.code, "work": work[i::4]}))
        p.stdin.close()
    results = []
    for p in procs:
        out = p.stdout.read()
        assert p.wait(timeout=300) == 0, p.stderr.read()
        results.append(json.loads(out))
    assert sum(r["new"] for r in results) == 200 and sum(r["repeated"] for r in results) == 200
    with engine.connect() as conn:
        rows = conn.execute(sa.select(attempts.c.learner_id, attempts.c.points)
                            .where(attempts.c.submitted_at.is_not(None))).all()
    assert len(rows) == 200 and len({r.learner_id for r in rows}) == 200
    assert sum(r.points for r in rows) == sum(1 for s in students if s.id % 3)
    engine.dispose()
