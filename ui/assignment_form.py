"""The assignment form's fields, shared by "New assignment" and "Edit" (one set of keys per
use: `prefix`), and reading them back into the engine's settings and specs.

Settings (title, tries, reveal, due date, opening time, late work) are read in the school's
time zone and stored in UTC.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any, Callable

import streamlit as st

from engine.quiz import available_templates
from engine.simulator import PRESETS, SimConfig
from engine.teachers import assignments as asg
from engine.teachers.simexercise import (RUN_QUESTIONS, STUDENT_CONTROLS, SimSpec, describe_fixed,
                                         may_change, preset_settings)
from engine.teachers.timezone import local_moment

ss = st.session_state


# --- what a field shows -----------------------------------------------------------------------
#
# The browser keeps its own copy of each widget's value. It takes the server's only from the
# message it draws the widget from (its default) or, later, from a message with `set_value`
# (sent in a run where the key was written through st.session_state before the widget was
# drawn). The message it draws a field from is not always the first run's: the Edit popover is
# drawn when it opens, from the latest run's message; and when the teacher clicks while a run
# is drawing the form, Streamlit stops that run and starts the next at once (runner.fastReruns),
# so the browser may never get the first run's messages. So every run gives each field its
# current value as its default, and code that changes a field (a preset, a fresh form after
# Create) writes session state, which Streamlit sends as `set_value`.

_WRITTEN = "assignment_form_written"  # keys written by code and not drawn since


def field(key: str, initial: Any, arg: str = "value", as_arg: Callable[[Any], Any] | None = None) -> dict:
    """The keyword argument (`value`, `default`, `index`: `arg`) that gives the widget `key`
    its current value, or `initial` the first time, in every run's message. A key just written
    by `put` or `clear` gets none: Streamlit sends the written value itself (set_value), and a
    default as well would be a second source (Streamlit warns)."""
    written = ss.get(_WRITTEN)
    if written and key in written:
        written.discard(key)
        if key not in ss:  # cleared: written here, before its widget, so the browser resets too
            ss[key] = initial
        return {}
    value = ss[key] if key in ss else initial
    return {arg: as_arg(value) if as_arg else value}


def put(values: dict[str, Any]) -> None:
    """From a callback: fields the form shows from now on (a preset filling it)."""
    for key, value in values.items():
        ss[key] = value
    ss.setdefault(_WRITTEN, set()).update(values)


def clear(prefix: str, *keys: str) -> None:
    """Start a form afresh (after creating, so the next assignment is not a copy by accident):
    every field whose key starts with `prefix`, and `keys`, shows its initial value again, in
    the browser too (a deleted key alone would leave the browser showing, and sending back,
    the old value)."""
    gone = {k for k in ss if isinstance(k, str) and k.startswith(prefix)} | {k for k in keys if k in ss}
    for key in gone:
        del ss[key]
    ss.setdefault(_WRITTEN, set()).update(gone)


def zone_name(zone) -> str:
    return getattr(zone, "key", None) or str(zone)


# --- settings: what may change at any time --------------------------------------------------

def settings_fields(p: str, zone, current: asg.Assignment | None = None) -> None:
    st.text_input("Title", key=f"{p}title", max_chars=asg.TITLE_MAX,
                  placeholder="e.g. Iterations and epochs, week 3",
                  **field(f"{p}title", current.title if current else ""))
    c1, c2 = st.columns(2)
    c1.number_input("Tries allowed", 1, asg.MAX_TRIES, key=f"{p}tries",
                    **field(f"{p}tries", current.tries_allowed if current else 2))
    reveal = list(asg.REVEAL)
    c2.selectbox("When students see feedback and answers", reveal, key=f"{p}reveal",
                 format_func=asg.REVEAL.get,
                 **field(f"{p}reveal", current.reveal if current else "last_try", "index", reveal.index))
    zname = zone_name(zone)
    week = (datetime.now(zone) + timedelta(days=7)).date()
    due = current.due_at.astimezone(zone) if current and current.due_at else None
    st.checkbox("Set a due date", key=f"{p}has_due", **field(f"{p}has_due", due is not None))
    if ss.get(f"{p}has_due"):
        d1, d2, d3 = st.columns(3)
        d1.date_input(f"Due date ({zname})", key=f"{p}due_date", **field(f"{p}due_date", due.date() if due else week))
        d2.time_input(f"Due time ({zname})", key=f"{p}due_time",
                      **field(f"{p}due_time", due.time().replace(second=0, microsecond=0) if due else time(23, 59)))
        d3.checkbox("Accept late work (marked late)", key=f"{p}accept_late",
                    **field(f"{p}accept_late", current.accept_late if current else True))
    opens = current.opens_at.astimezone(zone) if current and current.opens_at else None
    st.checkbox("Open it later (students cannot start before)", key=f"{p}has_opens",
                **field(f"{p}has_opens", opens is not None))
    if ss.get(f"{p}has_opens"):
        o1, o2 = st.columns(2)
        o1.date_input(f"Opens on ({zname})", key=f"{p}opens_date",
                      **field(f"{p}opens_date", opens.date() if opens else datetime.now(zone).date()))
        o2.time_input(f"Opens at ({zname})", key=f"{p}opens_time",
                      **field(f"{p}opens_time", opens.time().replace(second=0, microsecond=0) if opens else time(8, 0)))


def _moment(p: str, flag: str, day: str, at: str, fallback: time, zone) -> datetime | None:
    if not ss.get(f"{p}{flag}") or ss.get(f"{p}{day}") is None:
        return None
    return local_moment(ss[f"{p}{day}"], ss.get(f"{p}{at}") or fallback, zone)


def read_settings(p: str, zone) -> dict[str, Any]:
    """The settings as the engine takes them (times in UTC)."""
    return dict(title=ss.get(f"{p}title", ""), tries_allowed=int(ss.get(f"{p}tries") or 1),
                reveal=ss.get(f"{p}reveal") or "last_try",
                due_at=_moment(p, "has_due", "due_date", "due_time", time(23, 59), zone),
                accept_late=bool(ss.get(f"{p}accept_late", True)),
                opens_at=_moment(p, "has_opens", "opens_date", "opens_time", time(8, 0), zone))


# --- questions (quiz) -------------------------------------------------------------------------

QUIZ_FIELDS = ("kinds", "count")  # after the prefix, as quiz_fields draws them


def quiz_fields(p: str, current: asg.QuizSpec | None = None) -> None:
    kinds = available_templates()
    default = list(current.kinds) if current else [k for k in ("iterations-per-epoch", "total-iterations") if k in kinds]
    st.multiselect("Question kinds (asked in turn)", list(kinds), key=f"{p}kinds",
                   format_func=lambda k: kinds[k].title if k in kinds else k,
                   **field(f"{p}kinds", default, "default", lambda v: [k for k in v if k in kinds]))
    st.number_input("Number of questions", 1, asg.MAX_QUESTIONS, key=f"{p}count",
                    **field(f"{p}count", current.count if current else 5))
    st.caption("Each student gets their own numbers (from their learner, this assignment, the "
               "question and the try), graded on the server.")


def read_quiz(p: str) -> tuple[list[str], int]:
    return list(ss.get(f"{p}kinds") or []), int(ss.get(f"{p}count") or 1)


# --- exercise settings (simulator) ------------------------------------------------------------

SIM_FIELDS = ("preset", "sim_epochs", "sim_batch", "sim_lr", "editable", "max_epochs", "use_target", "target",
              "within", "overfit", "questions", "own_seed")  # after the prefix, as sim_fields draws them


def _fill_from_preset(p: str) -> None:
    values = preset_settings(PRESETS[ss[f"{p}preset"]].config)
    put({f"{p}sim_epochs": values["epochs"], f"{p}sim_batch": values["batch_size"],
         f"{p}sim_lr": values["learning_rate"], f"{p}max_epochs": values["max_epochs"]})


def sim_start(p: str, current: SimSpec | None = None) -> SimConfig:
    """The starting configuration the form describes: the preset's (or the exercise's own)
    config, with the form's epochs, batch size and learning rate."""
    base = current.start if current else PRESETS[ss.get(f"{p}preset") or next(iter(PRESETS))].config
    return SimConfig.model_validate({**base.model_dump(), "epochs": int(ss.get(f"{p}sim_epochs") or base.epochs),
                                     "batch_size": int(ss.get(f"{p}sim_batch") or base.batch_size),
                                     "learning_rate": float(ss.get(f"{p}sim_lr") or base.learning_rate)})


def sim_fields(p: str, current: SimSpec | None = None) -> None:
    if current is None:
        presets = list(PRESETS)
        st.selectbox("Starting run", presets, key=f"{p}preset", on_change=_fill_from_preset, args=(p,),
                     **field(f"{p}preset", presets[0], "index", presets.index),
                     help="A simulator preset: all of its settings fill the form; its dataset and "
                          "network are fixed for students.")
        base = PRESETS[ss.get(f"{p}preset") or next(iter(PRESETS))].config
    else:
        base = current.start
    filled = preset_settings(base)
    s1, s2, s3 = st.columns(3)
    s1.number_input("Epochs", 1, 500, key=f"{p}sim_epochs", **field(f"{p}sim_epochs", filled["epochs"]))
    s2.number_input("Batch size", 1, 2000, key=f"{p}sim_batch", **field(f"{p}sim_batch", filled["batch_size"]))
    s3.number_input("Learning rate", 1e-5, 10.0, key=f"{p}sim_lr", format="%g",
                    **field(f"{p}sim_lr", filled["learning_rate"]))
    st.multiselect("Settings students may change", list(STUDENT_CONTROLS), key=f"{p}editable",
                   format_func=STUDENT_CONTROLS.get,
                   **field(f"{p}editable", list(current.editable) if current else ["batch_size", "learning_rate", "epochs"],
                           "default", lambda v: [k for k in v if k in STUDENT_CONTROLS]))
    editable = tuple(ss.get(f"{p}editable") or ())
    try:
        fixed = describe_fixed(sim_start(p, current), editable)
    except ValueError:
        fixed = ""
    st.info(may_change(editable) + (f" Fixed by you: {fixed}." if fixed else ""), icon=":material/tune:")
    st.number_input("Most epochs a student may run", 1, 500, key=f"{p}max_epochs",
                    **field(f"{p}max_epochs", current.max_epochs if current else filled["max_epochs"]))
    g1, g2 = st.columns(2)
    g1.checkbox("Goal: validation accuracy target", key=f"{p}use_target",
                **field(f"{p}use_target", (current.target_val_accuracy is not None) if current else True))
    g1.slider("Target validation accuracy", 0.5, 1.0, step=0.01, key=f"{p}target",
              **field(f"{p}target", (current.target_val_accuracy or 0.9) if current else 0.9))
    g1.number_input("…within this many epochs", 1, 500, key=f"{p}within",
                    **field(f"{p}within", (current.within_epochs or 20) if current else 20))
    g2.checkbox("Goal: stop before overfitting", key=f"{p}overfit",
                **field(f"{p}overfit", current.stop_before_overfitting if current else False))
    g2.caption("Passes when the final network's validation loss is within 5% of the lowest "
               "the same settings reach in the maximum number of epochs.")
    st.multiselect("Questions about the run", list(RUN_QUESTIONS), key=f"{p}questions",
                   format_func=RUN_QUESTIONS.get,
                   **field(f"{p}questions", list(current.questions) if current else ["lowest-val-loss-epoch"],
                           "default", lambda v: [k for k in v if k in RUN_QUESTIONS]))
    st.checkbox("Each student trains on their own data (own seed)", key=f"{p}own_seed",
                **field(f"{p}own_seed", current.own_seed if current else True))


def read_sim(p: str, current: SimSpec | None = None) -> SimSpec:
    """The exercise the form describes, or AssignmentError with the first problem in words."""
    try:
        start = sim_start(p, current)
    except ValueError as exc:
        raise asg.AssignmentError(asg._first_message(exc)) from None
    use_target = bool(ss.get(f"{p}use_target"))
    return asg.sim_spec(
        start=start, editable=tuple(ss.get(f"{p}editable") or ()), own_seed=bool(ss.get(f"{p}own_seed")),
        max_epochs=int(ss.get(f"{p}max_epochs") or 100),
        target_val_accuracy=float(ss.get(f"{p}target") or 0.9) if use_target else None,
        within_epochs=int(ss.get(f"{p}within") or 20) if use_target else None,
        stop_before_overfitting=bool(ss.get(f"{p}overfit")), questions=tuple(ss.get(f"{p}questions") or ()))
