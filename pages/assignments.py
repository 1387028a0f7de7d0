"""My assignments: join a class by link, open an assignment by link, do it, see the results.

Only the student's own tries are ever read here. Questions reach the page as their public
part (no answers); correct answers and solutions come back only as the reveal policy allows.
"""
import secrets

import pandas as pd
import streamlit as st

from ui.setup import page

page("My assignments", ":material/assignment:")

from engine import db  # noqa: E402
from engine.simulator import SimConfig, iterations_readout, simulate  # noqa: E402
from engine.simulator.config import ACTIVATIONS, MONITORS, OPTIMIZERS  # noqa: E402
from engine.teachers import assignments as asg  # noqa: E402
from engine.teachers import classes as cls  # noqa: E402
from engine.teachers.links import ASSIGNMENT_KEY, JOIN_KEY, LinkProblem  # noqa: E402
from engine.teachers.simexercise import (RUN_QUESTIONS, STUDENT_CONTROLS,  # noqa: E402
                                         InvalidSubmission, describe_fixed, student_config)
from ui.learner import current_learner, engine_from_config, learner_box  # noqa: E402
from ui.teacher import run_charts, show_items, student_sign_in  # noqa: E402
from ui.text import md_escape  # noqa: E402

ss = st.session_state
st.title("My assignments")

join_code = st.query_params.get(JOIN_KEY)
assignment_code = st.query_params.get(ASSIGNMENT_KEY)
engine = engine_from_config()


def _class_of_link() -> cls.SchoolClass | None:
    """The class the link in the address belongs to (None for a bad link: the page explains
    that once the student is signed in)."""
    try:
        if assignment_code:
            return cls.get_class(engine, asg.find_assignment(engine, assignment_code).class_id)
        if join_code:
            return cls.find_class(engine, join_code)
    except LinkProblem:
        return None
    return None


if current_learner() is None:
    if join_code or assignment_code:
        st.info("First tell us who you are: resume with your code, or start with your name. "
                "Your class or assignment opens right after.", icon=":material/login:")
    student_sign_in(_class_of_link())
    st.stop()
learner = learner_box()


def _notice(kind: str, text: str) -> None:
    ss["asg_notice"] = (kind, text)


def _join(code: str, learner_id: int) -> None:
    try:
        c = cls.find_class(engine, code)
    except LinkProblem as exc:
        _notice("error", md_escape(exc))
        return
    cls.join_class(engine, c, learner_id)
    _notice("ok", f"You joined the class {md_escape(c.name)}.")


def _start(code: str, learner_id: int) -> None:
    try:
        asg.start_try(engine, asg.find_assignment(engine, code), learner_id)
    except (asg.AssignmentError, LinkProblem) as exc:
        _notice("error", md_escape(exc))


def _submit(code: str, learner_id: int, attempt_id: int, responses) -> None:
    ss.pop("asg_problems", None)
    key = ss.get(f"asg_key_{attempt_id}")
    try:
        done = asg.submit(engine, asg.find_assignment(engine, code), learner_id, attempt_id, responses, key)
    except InvalidSubmission as exc:
        ss["asg_problems"] = exc.problems
        return
    except (asg.AssignmentError, LinkProblem) as exc:
        _notice("error", md_escape(exc))
        return
    t = done.attempt
    late = " It was marked late." if t.late else ""
    # A double click sends the same submission twice; the second gets back the stored try
    # (`done.repeated`) and says exactly what the first said.
    _notice("ok", f"Try {t.try_no} submitted: {t.points:g} of {t.max_points:g} points "
                  f"({t.score:.0%}).{late}")


def _submit_quiz(code: str, learner_id: int, attempt_id: int, count: int) -> None:
    _submit(code, learner_id, attempt_id, [ss.get(f"asg_{attempt_id}_{i}") or "" for i in range(count)])


def _sim_values(attempt_id: int, editable) -> dict:
    return {name: ss.get(f"asg_{attempt_id}_cfg_{name}") for name in editable
            if ss.get(f"asg_{attempt_id}_cfg_{name}") is not None}


def _submit_sim(code: str, learner_id: int, attempt_id: int, editable, questions) -> None:
    answers = {q: ss.get(f"asg_{attempt_id}_q_{q}") or "" for q in questions}
    _submit(code, learner_id, attempt_id, {"config": _sim_values(attempt_id, editable), "answers": answers})


@st.cache_data(max_entries=64, show_spinner="Training…")
def _run(config_json: str):
    return simulate(SimConfig.model_validate_json(config_json))


notice = ss.pop("asg_notice", None)
if notice:
    (st.success if notice[0] == "ok" else st.error)(notice[1])


def show_join(code: str) -> None:
    try:
        c = cls.find_class(engine, code)
    except LinkProblem as exc:
        st.error(md_escape(exc), icon=":material/link_off:")
        return
    if cls.is_member(engine, c.id, learner.id):
        st.success(f"You are in the class {md_escape(c.name)}. Your teacher's assignments for it appear below.")
        return
    with st.container(border=True):
        st.markdown(f"Join the class **{md_escape(c.name)}**? Your teacher will see your name and your "
                    "results on the work they set.")
        st.button("Join class", type="primary", key="asg_join", on_click=_join, args=(c.code, learner.id),
                  icon=":material/group_add:")


def header(a: asg.Assignment, tries: list, now) -> None:
    st.header(md_escape(a.title), anchor=False)
    used = asg.tries_used(tries)
    bits = ["Quiz" if a.kind == asg.QUIZ else "Simulator exercise",
            f"due {asg.when(a.due_at)}" if a.due_at else "no due date",
            f"tries used {used} of {a.tries_allowed}"]
    st.caption(" · ".join(bits))
    if a.is_past_due(now) and a.closed_reason(now) is None:
        st.warning("The due date has passed: work you submit now is marked late.", icon=":material/schedule:")


def quiz_form(a: asg.Assignment, attempt: asg.Attempt) -> None:
    questions = asg.public_questions(attempt)
    with st.form(f"asg_form_{attempt.id}"):
        for i, q in enumerate(questions):
            st.markdown(f"**Question {i + 1} of {len(questions)}** · {q['kind']}")
            st.markdown(q["prompt"])  # generated by the quiz engine from numbers, not typed by anyone
            if q.get("table"):
                st.dataframe(pd.DataFrame(q["table"]), hide_index=True)
            if q.get("choices"):
                letters = "ABCDEF"[:len(q["choices"])]
                st.radio("Your answer", list(letters), index=None, key=f"asg_{attempt.id}_{i}",
                         format_func=lambda letter, q=q: f"{letter}. {q['choices']['ABCDEF'.index(letter)]}")
            else:
                unit = f" ({q['unit']})" if q.get("unit") else ""
                tol = f" ± {q['tolerance']} accepted" if q.get("tolerance") not in (None, "0") else ""
                st.text_input(f"Your answer{unit}{tol}", key=f"asg_{attempt.id}_{i}", max_chars=40)
        st.form_submit_button(f"Submit try {attempt.try_no}", type="primary", icon=":material/send:",
                              on_click=_submit_quiz, args=(a.code, learner.id, attempt.id, len(questions)))


def control(attempt_id: int, name: str, start: SimConfig, max_epochs: int) -> None:
    key = f"asg_{attempt_id}_cfg_{name}"
    label = STUDENT_CONTROLS[name]
    value = getattr(start, name)
    if key in ss:
        value = None  # the widget keeps what the student chose
    kw = {} if value is None else {"value": value}
    if name == "batch_size":
        st.number_input(label, 1, 2000, key=key, step=1, **kw)
    elif name == "epochs":
        st.number_input(label, 1, max_epochs, key=key, step=1, **({} if value is None else {"value": min(value, max_epochs)}))
    elif name == "patience":
        st.number_input(label, 0, 100, key=key, step=1, **kw)
    elif name in ("learning_rate", "l2", "min_delta", "momentum"):
        top = {"learning_rate": 10.0, "l2": 1.0, "min_delta": 1.0, "momentum": 0.99}[name]
        st.number_input(label, 0.0, top, key=key, format="%g", step=0.001, **kw)
    elif name in ("optimizer", "activation", "monitor"):
        options = {"optimizer": OPTIMIZERS, "activation": ACTIVATIONS, "monitor": MONITORS}[name]
        st.selectbox(label, list(options), key=key,
                     **({} if value is None else {"index": list(options).index(value)}))
    elif name == "hidden_layers":
        st.text_input(label, key=key, help="Units per hidden layer, separated by commas, e.g. 16,16",
                      **({} if value is None else {"value": ",".join(map(str, value))}))
    else:
        st.checkbox(label, key=key, **kw)


def sim_form(a: asg.Assignment, attempt: asg.Attempt) -> None:
    spec = a.sim_spec()
    start = SimConfig.model_validate(attempt.variant["start"])
    with st.container(border=True):
        st.markdown("**Your goals**")
        for goal in spec.goals():
            st.markdown(f"- {goal}")
        if spec.questions:
            st.markdown("- Answer the questions about your run below.")
        st.caption("Set by your teacher: " + md_escape(describe_fixed(start, spec.editable)) + ".")
    st.markdown("**Your settings**")
    cols = st.columns(3)
    for i, name in enumerate(spec.editable):
        with cols[i % 3]:
            control(attempt.id, name, start, spec.max_epochs)
    try:
        config, _ = student_config(spec, start, _sim_values(attempt.id, spec.editable))
    except InvalidSubmission as exc:
        for label, msg in exc.problems.items():
            st.error(f"{md_escape(label)}: {md_escape(msg)}")
        config = None
    if config is not None:
        st.caption(iterations_readout(config))
        history = _run(config.model_dump_json())
        if history.diverged:
            st.error(history.divergence or "The run diverged.")
        for note in history.notes:
            st.info(md_escape(note))
        if history.epochs_run:
            run_charts(history)
    if spec.questions:
        st.markdown("**Questions about your run**")
        for q in spec.questions:
            st.text_input(RUN_QUESTIONS[q], key=f"asg_{attempt.id}_q_{q}", max_chars=40)
    st.caption("When you submit, the server trains your settings again and grades that run.")
    st.button(f"Submit try {attempt.try_no}", type="primary", key=f"asg_submit_{attempt.id}",
              icon=":material/send:", on_click=_submit_sim,
              args=(a.code, learner.id, attempt.id, spec.editable, spec.questions))


def show_assignment(code: str) -> None:
    try:
        a = asg.find_assignment(engine, code)
    except LinkProblem as exc:
        st.error(md_escape(exc), icon=":material/link_off:")
        return
    now = db.now()
    tries = asg.attempts_of(engine, a.id, learner.id)
    problem = None
    if not tries:
        try:
            asg.start_try(engine, a, learner.id, now)
        except (asg.AssignmentError, LinkProblem) as exc:
            problem = md_escape(exc)  # messages can quote the title
        tries = asg.attempts_of(engine, a.id, learner.id)
    header(a, tries, now)
    if problem:
        st.error(problem, icon=":material/event_busy:")
    problems = ss.pop("asg_problems", None)
    if problems:
        st.warning("Nothing was submitted, and no try was used. Please fix:\n\n"
                   + "\n".join(f"- **{md_escape(k)}**: {md_escape(v)}" for k, v in problems.items()))
    vis = asg.visibility(a, tries, now)
    done = [t for t in tries if t.submitted]
    for t in reversed(done):
        late = " · late" if t.late else ""
        with st.expander(f"Try {t.try_no}: {t.points:g} of {t.max_points:g} points ({t.score:.0%}){late}",
                         expanded=t is done[-1]):
            if not vis.right_or_wrong:
                st.caption("Your teacher shows the score only.")
            elif not vis.answers:
                st.caption("Correct answers and worked solutions are shown "
                           + ("after the due date." if a.reveal == "due" else "after your last try or the due date."))
            show_items(asg.student_items(t, vis) if vis.right_or_wrong else [])
    current = tries[-1] if tries and not tries[-1].submitted else None
    reason = a.closed_reason(now)
    if current is not None and reason is None:
        ss.setdefault(f"asg_key_{current.id}", f"{current.id}.{secrets.token_urlsafe(16)}")
        st.subheader(f"Try {current.try_no} of {a.tries_allowed}", anchor=False)
        (quiz_form if a.kind == asg.QUIZ else sim_form)(a, current)
    elif reason and not problem:
        st.info(md_escape(reason), icon=":material/event_busy:")
    elif done and len(tries) < a.tries_allowed:
        st.button(f"Start try {len(tries) + 1}", type="primary", key="asg_start", on_click=_start,
                  args=(a.code, learner.id), icon=":material/replay:",
                  help="Each try has new numbers; your best try counts.")
    elif done:
        best = asg.best(tries)
        st.info(f"You have used all your tries. Your best: {best.score:.0%}.", icon=":material/task_alt:")


def my_work() -> None:
    mine = cls.classes_of(engine, learner.id)
    if not mine:
        st.info("You are not in a class yet. Open the join link your teacher gave you.")
        return
    now = db.now()
    for c in mine:
        st.subheader(md_escape(c.name), anchor=False)
        work = asg.list_assignments(engine, c.id)
        if not work:
            st.caption("No assignments yet.")
        for a in work:
            tries = asg.attempts_of(engine, a.id, learner.id)
            best = asg.best(tries)
            state = f"best {best.score:.0%}" if best else ("started" if tries else "not started")
            due = f"due {asg.when(a.due_at)}" if a.due_at else "no due date"
            closed = " · closed" if a.closed_reason(now) else ""
            with st.container(border=True):
                st.page_link("pages/assignments.py", label=md_escape(a.title), icon=":material/assignment:",
                             query_params={ASSIGNMENT_KEY: a.code})
                st.caption(f"{due} · {state} · tries {asg.tries_used(tries)} of {a.tries_allowed}{closed}")


if join_code:
    show_join(join_code)
if assignment_code:
    show_assignment(assignment_code)
else:
    my_work()
