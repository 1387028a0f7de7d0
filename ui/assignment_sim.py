"""A student's open simulator exercise: their settings (the ones the teacher unlocked), the
run with its charts, the questions about it, and Submit (restart-safe, see `ui.assignment_quiz`)."""
from __future__ import annotations

import streamlit as st

from engine.simulator import SimConfig, simulate
from engine.simulator.config import ACTIVATIONS, MONITORS, OPTIMIZERS
from engine.teachers import assignments as asg
from engine.teachers.drafts import load_draft
from engine.teachers.simexercise import (RUN_QUESTIONS, STUDENT_CONTROLS, InvalidSubmission,
                                         describe_fixed, exercise_readout, may_change, student_config)
from ui.assignment_quiz import keep_draft, submit_try
from ui.assignment_results import run_charts
from ui.text import md_escape

ss = st.session_state


@st.cache_data(max_entries=64, show_spinner="Training…")
def _run(config_json: str):
    return simulate(SimConfig.model_validate_json(config_json))


def _control(attempt_id: int, name: str, value, max_epochs: int) -> None:
    key = f"asg_{attempt_id}_cfg_{name}"
    label = STUDENT_CONTROLS[name]
    if key in ss:
        value = None  # the widget keeps what the student chose
    kw = {} if value is None else {"value": value}
    if name == "batch_size":
        st.number_input(label, 1, 2000, key=key, step=1, **kw)
    elif name == "epochs":
        st.number_input(label, 1, max_epochs, key=key, step=1,
                        **({} if value is None else {"value": min(int(value), max_epochs)}))
    elif name == "patience":
        st.number_input(label, 0, 100, key=key, step=1, **kw)
    elif name in ("learning_rate", "l2", "min_delta", "momentum"):
        top = {"learning_rate": 10.0, "l2": 1.0, "min_delta": 1.0, "momentum": 0.99}[name]
        st.number_input(label, 0.0, top, key=key, format="%g", step=0.001,
                        **({} if value is None else {"value": min(float(value), top)}))
    elif name in ("optimizer", "activation", "monitor"):
        options = list({"optimizer": OPTIMIZERS, "activation": ACTIVATIONS, "monitor": MONITORS}[name])
        st.selectbox(label, options, key=key,
                     **({} if value is None else {"index": options.index(value) if value in options else 0}))
    elif name == "hidden_layers":
        text = value if isinstance(value, str) else ",".join(map(str, value or ()))
        st.text_input(label, key=key, help="Units per hidden layer, separated by commas, e.g. 16,16",
                      **({} if value is None else {"value": text}))
    else:
        st.checkbox(label, key=key, **({} if value is None else {"value": bool(value)}))


def _sim_values(attempt_id: int, editable) -> dict:
    return {name: ss.get(f"asg_{attempt_id}_cfg_{name}") for name in editable
            if ss.get(f"asg_{attempt_id}_cfg_{name}") is not None}


def sim_form(engine, a: asg.Assignment, attempt: asg.Attempt) -> None:
    spec = asg.SimSpec.model_validate(asg.spec_of(engine, a, attempt.spec_version))
    start = SimConfig.model_validate(attempt.variant["start"])
    draft = load_draft(engine, attempt.id, attempt.learner_id)
    with st.container(border=True):
        st.markdown("**Your goals**")
        for goal in spec.goals():
            st.markdown(f"- {goal}")
        if spec.questions:
            st.markdown("- Answer the questions about your run below.")
        st.caption("Set by your teacher: " + md_escape(describe_fixed(start, spec.editable)) + ".")
        st.caption(md_escape(may_change(spec.editable, "You")))
    st.markdown("**Your settings**")
    cols = st.columns(3)
    for i, name in enumerate(spec.editable):
        with cols[i % 3]:
            _control(attempt.id, name, draft.get(f"cfg_{name}", getattr(start, name)), spec.max_epochs)
    try:
        config, _ = student_config(spec, start, _sim_values(attempt.id, spec.editable))
    except InvalidSubmission as exc:
        for label, msg in exc.problems.items():
            st.error(f"{md_escape(label)}: {md_escape(msg)}")
        config = None
    if config is not None:
        st.caption(exercise_readout(config, spec.questions))
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
            st.text_input(RUN_QUESTIONS[q], key=f"asg_{attempt.id}_q_{q}", max_chars=40,
                          value=str(draft.get(f"q_{q}") or ""))
    values = {f"cfg_{k}": (list(v) if isinstance(v, tuple) else v)
              for k, v in _sim_values(attempt.id, spec.editable).items()}
    values.update({f"q_{q}": ss.get(f"asg_{attempt.id}_q_{q}") for q in spec.questions})
    keep_draft(engine, attempt, values)
    st.caption("When you submit, the server trains your settings again and grades that run. "
               "Your settings and answers are saved as you go.")
    if st.button(f"Submit try {attempt.try_no}", type="primary", key=f"asg_submit_{attempt.id}",
                 icon=":material/send:"):
        answers = {q: ss.get(f"asg_{attempt.id}_q_{q}") or "" for q in spec.questions}
        submit_try(engine, a, attempt, {"config": _sim_values(attempt.id, spec.editable), "answers": answers})
