"""Simulator exercises: a teacher's starting run, the controls a student may change, goals,
and questions about the run, all graded by re-running the submitted configuration here.

The student never sends results, only settings. `student_config` starts from the teacher's
configuration and takes from the submission only the fields the teacher unlocked, so a forged
value for a locked field (a cleaner dataset, more samples) is put back; `grade_run` trains the
network itself (`simulate` is deterministic: same config, seed included, same History) and
grades goals and answers against that run. A forged chart or a forged history cannot score.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from engine.answers import format_number, parse_number
from engine.simulator import SimConfig, simulate

# Controls a teacher can hand to students, in the words the simulator page uses.
STUDENT_CONTROLS: dict[str, str] = {
    "batch_size": "Batch size",
    "learning_rate": "Learning rate",
    "epochs": "Epochs",
    "optimizer": "Optimizer",
    "momentum": "Momentum",
    "hidden_layers": "Hidden layers (units per layer)",
    "activation": "Activation",
    "l2": "L2 weight decay",
    "drop_last": "Drop the last partial batch",
    "early_stopping": "Early stopping",
    "monitor": "Early stopping: monitor",
    "patience": "Early stopping: patience",
    "min_delta": "Early stopping: min_delta",
    "restore_best_weights": "Early stopping: restore best weights",
}

RUN_QUESTIONS: dict[str, str] = {
    "lowest-val-loss-epoch": "At which epoch is the validation loss lowest?",
    "iterations-per-epoch": "How many iterations (weight updates) does one epoch of your run make?",
    "total-updates": "How many weight updates does your whole run make?",
    "epochs-run": "How many epochs did your run train for?",
    "best-val-accuracy": "What is the highest validation accuracy of your run, in percent (within 0.5)?",
}
# Short names for the gradebook's per-kind chart.
RUN_QUESTION_KINDS: dict[str, str] = {
    "lowest-val-loss-epoch": "Run: epoch of the lowest validation loss",
    "iterations-per-epoch": "Run: iterations per epoch",
    "total-updates": "Run: total weight updates",
    "epochs-run": "Run: epochs trained",
    "best-val-accuracy": "Run: highest validation accuracy",
}
ACCURACY_TOLERANCE = Decimal("0.5")  # percentage points, stated in the question

GOAL_TARGET = "Goal: reach the validation accuracy target"
GOAL_OVERFIT = "Goal: stop before overfitting"


class InvalidSubmission(ValueError):
    """Settings or answers that cannot be graded; costs no try. `problems`: label -> message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


class SimSpec(BaseModel):
    """What the teacher set. `start` is the run students begin from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: SimConfig = Field(default_factory=SimConfig)
    editable: tuple[str, ...] = ("batch_size", "learning_rate", "epochs")
    own_seed: bool = True  # each student trains on their own data seed (answers differ)
    max_epochs: int = Field(100, ge=1, le=500)
    target_val_accuracy: float | None = Field(None, ge=0.5, le=1.0)
    within_epochs: int | None = Field(None, ge=1, le=500)
    stop_before_overfitting: bool = False
    overfit_tolerance: float = Field(0.05, ge=0.0, le=1.0)
    questions: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _sensible(self) -> "SimSpec":
        unknown = [c for c in self.editable if c not in STUDENT_CONTROLS]
        if unknown:
            raise ValueError(f"students cannot be given these controls: {', '.join(unknown)}")
        unknown = [q for q in self.questions if q not in RUN_QUESTIONS]
        if unknown:
            raise ValueError(f"unknown questions about the run: {', '.join(unknown)}")
        if self.target_val_accuracy is None and not self.stop_before_overfitting and not self.questions:
            raise ValueError("set a goal (a validation accuracy target or stopping before "
                             "overfitting) or ask at least one question about the run")
        if self.start.epochs > self.max_epochs:
            raise ValueError(f"the starting run has {self.start.epochs} epochs, more than the "
                             f"exercise's maximum of {self.max_epochs}")
        return self

    def target_epochs(self) -> int:
        return self.within_epochs or self.max_epochs

    def goals(self) -> list[str]:
        out = []
        if self.target_val_accuracy is not None:
            out.append(f"Reach a validation accuracy of at least {self.target_val_accuracy:.0%} "
                       f"within {self.target_epochs()} epochs.")
        if self.stop_before_overfitting:
            out.append("Stop before overfitting: your final network's validation loss must be "
                       f"within {self.overfit_tolerance:.0%} of the lowest this setup reaches in "
                       f"{self.max_epochs} epochs.")
        return out


DATASET_NAMES = {"moons": "Two moons", "circles": "Circles", "spiral": "Spiral",
                 "blobs": "Gaussian blobs", "xor": "XOR"}
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD with momentum", "adam": "Adam"}


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def describe_fixed(config: SimConfig, editable: tuple[str, ...] = ()) -> str:
    """What the teacher fixed, in a learner's words: "Two moons, 1,000 samples (800 to train
    on, 200 to validate), 2 hidden layers of 16 tanh units, Adam, learning rate 0.01, …".
    Settings the student may change are left out (they have their own controls), and so are
    internal values a student has no use for: the seed, the output layer, unset options."""
    c, free = config, set(editable)
    parts = [DATASET_NAMES.get(c.dataset, c.dataset)]
    if c.classes > 2:
        parts.append(f"{c.classes} classes")
    parts.append(f"{c.n_samples:,} samples ({c.n_train:,} to train on, {c.n_val:,} to validate)")
    if c.noise:
        parts.append(f"input noise {c.noise:g}")
    if c.label_noise:
        parts.append(f"{c.label_noise:.0%} of the labels wrong on purpose")
    if "hidden_layers" not in free:
        layers = c.hidden_layers
        act = "" if "activation" in free else f" {c.activation}"
        if not layers:
            parts.append("no hidden layer")
        elif len(set(layers)) == 1:
            parts.append(f"{_count(len(layers), 'hidden layer')} of {layers[0]}{act} units")
        else:
            parts.append(f"hidden layers of {', '.join(map(str, layers))}{act} units")
    elif "activation" not in free:
        parts.append(f"{c.activation} activation")
    if "optimizer" not in free:
        parts.append(OPTIMIZER_NAMES.get(c.optimizer, c.optimizer))
    if "momentum" not in free and c.optimizer == "momentum":
        parts.append(f"momentum {c.momentum:g}")
    if "learning_rate" not in free:
        parts.append(f"learning rate {c.learning_rate:g}")
    if "batch_size" not in free:
        parts.append(f"batch {c.batch_size:,}")
    if "epochs" not in free:
        parts.append(_count(c.epochs, "epoch"))
    if "l2" not in free and c.l2:
        parts.append(f"L2 weight decay {c.l2:g}")
    if "drop_last" not in free and c.n_train % c.batch_size:
        parts.append("the last, smaller batch " + ("dropped" if c.drop_last else "kept"))
    if "early_stopping" not in free:
        if c.early_stopping:
            watch = "validation loss" if c.monitor == "val_loss" else "validation accuracy"
            restore = ", best weights restored" if c.restore_best_weights else ""
            parts.append(f"early stopping on the {watch} with patience {c.patience}{restore}")
        else:
            parts.append("no early stopping")
    return ", ".join(parts)


def preset_settings(config: SimConfig, max_epochs: int = 500) -> dict[str, Any]:
    """The teacher form's numbers for a starting run (a preset's config): every value the form
    shows is the preset's own, so choosing "Learning rate too high" really starts at 3.0."""
    return {"epochs": min(config.epochs, max_epochs), "batch_size": config.batch_size,
            "learning_rate": config.learning_rate,
            "max_epochs": max(100, min(config.epochs, max_epochs))}


def exercise_readout(config: SimConfig, questions: tuple[str, ...]) -> str:
    """The line above the student's charts. It never states a number one of the exercise's
    questions asks for: with a question on iterations per epoch or total updates, the counts
    are left out (either count gives the other away, given the epochs)."""
    from engine.simulator import iterations_readout

    if {"iterations-per-epoch", "total-updates"} & set(questions):
        return (f"{config.n_train:,} training samples, batch {config.batch_size:,}, "
                f"{_count(config.epochs, 'epoch')}. The number of iterations is for you to work "
                "out: it is one of your questions.")
    return iterations_readout(config)


def may_change(editable: tuple[str, ...], who: str = "Students") -> str:
    """"Students may change: Batch size, Learning rate and Epochs." in words."""
    names = [STUDENT_CONTROLS[c] for c in editable]
    if not names:
        return f"{who} may change nothing: the starting settings are run as they are."
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{who} may change: {listed}."


def start_for(spec: SimSpec, seed: int) -> SimConfig:
    """The starting configuration one student gets (their own data seed if the teacher chose so)."""
    return spec.start.model_copy(update={"seed": seed}) if spec.own_seed else spec.start


def _pydantic_messages(error: ValidationError) -> dict[str, str]:
    out = {}
    for e in error.errors():
        field = str(e["loc"][0]) if e["loc"] else "settings"
        label = STUDENT_CONTROLS.get(field, field)
        out[label] = e["msg"].removeprefix("Value error, ")
    return out


def student_config(spec: SimSpec, start: SimConfig, values: dict[str, Any]) -> tuple[SimConfig, list[str]]:
    """The configuration to run: `start`, with the unlocked fields taken from `values`.

    Returns it and notes on every locked field whose submitted value was put back. Raises
    InvalidSubmission for a value out of range (the student fixes it; no try is used).
    """
    merged = start.model_dump()
    notes = []
    layers = (values or {}).get("hidden_layers")
    if isinstance(layers, str) and "hidden_layers" in spec.editable:
        text = layers.replace(" ", "")
        if text and not all(part.isdigit() for part in text.split(",")):
            raise InvalidSubmission({STUDENT_CONTROLS["hidden_layers"]: (
                "type whole numbers of units separated by commas, e.g. 16,16 (or leave it empty "
                "for no hidden layer).")})
    for name, value in (values or {}).items():
        if name not in merged:
            continue
        if name in spec.editable:
            merged[name] = value
        elif value != merged[name] and not (isinstance(merged[name], tuple) and list(merged[name]) == value):
            notes.append(f"{name} is set by your teacher; your value {str(value)[:40]!r} was not used.")
    try:
        config = SimConfig.model_validate(merged)
    except ValidationError as exc:
        raise InvalidSubmission(_pydantic_messages(exc)) from None
    if config.epochs > spec.max_epochs:
        raise InvalidSubmission({STUDENT_CONTROLS["epochs"]: f"this exercise allows at most {spec.max_epochs} epochs."})
    return config, notes


def _item(kind_id: str, kind: str, prompt: str, ok: bool, feedback: str, response: str = "",
          correct_answer: str = "", solution: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"kind_id": kind_id, "kind": kind, "prompt": prompt,
            "status": "correct" if ok else "incorrect", "points": 1 if ok else 0,
            "response": response, "feedback": feedback, "correct_answer": correct_answer,
            "solution": list(solution)}


def _target_goal(spec: SimSpec, history) -> dict[str, Any]:
    target, within = spec.target_val_accuracy, spec.target_epochs()
    prompt = spec.goals()[0]
    if history.diverged:
        return _item("goal-target", GOAL_TARGET, prompt, False,
                     "Your run diverged, so it reached no accuracy at all. " + (history.divergence or ""))
    reached = [e + 1 for e, acc in enumerate(history.val_accuracy[:within]) if acc >= target]
    best = max(history.val_accuracy[:within], default=0.0)
    if reached:
        return _item("goal-target", GOAL_TARGET, prompt, True,
                     f"Target reached: validation accuracy {history.val_accuracy[reached[0] - 1]:.1%} "
                     f"at epoch {reached[0]} (target {target:.0%}, within {within} epochs).")
    ran = min(history.epochs_run, within)
    return _item("goal-target", GOAL_TARGET, prompt, False,
                 f"Not yet: the best validation accuracy in the first {ran} epochs was {best:.1%}; "
                 f"the target is {target:.0%} within {within} epochs.")


def _final_val_loss(history) -> tuple[float, int]:
    if history.restored_best_weights and history.best_epoch:
        return history.val_loss[history.best_epoch - 1], history.best_epoch
    return history.val_loss[-1], history.epochs_run


def _overfit_goal(spec: SimSpec, config: SimConfig, history) -> dict[str, Any]:
    prompt = spec.goals()[-1]
    if history.diverged or not history.val_loss:
        return _item("goal-overfit", GOAL_OVERFIT, prompt, False,
                     "Your run diverged or trained nothing, so there is no network to judge.")
    # The same run trained for the whole allowance without stopping: simulate is deterministic
    # and early stopping only cuts a run short, so this run begins exactly as the student's did.
    full = simulate(config.model_copy(update={"epochs": spec.max_epochs, "early_stopping": False}))
    if full.diverged or not full.val_loss:
        return _item("goal-overfit", GOAL_OVERFIT, prompt, False,
                     "Trained longer, this setup diverges; choose settings that train steadily.")
    lowest = min(full.val_loss)
    lowest_epoch = int(np.argmin(full.val_loss)) + 1
    final, final_epoch = _final_val_loss(history)
    limit = lowest * (1 + spec.overfit_tolerance)
    ok = final <= limit
    detail = (f"Trained for {spec.max_epochs} epochs, this setup's validation loss is lowest at "
              f"epoch {lowest_epoch} ({lowest:.4f}); your network ended at epoch {final_epoch} "
              f"with {final:.4f}.")
    if ok:
        feedback = (f"Well stopped: your final network's validation loss ({final:.4f}) is within "
                    f"{spec.overfit_tolerance:.0%} of the lowest this setup reaches.")
    elif final_epoch > lowest_epoch:
        feedback = (f"Too late: by epoch {final_epoch} the validation loss had risen to {final:.4f}, "
                    "more than the allowed margin above its lowest: the network was overfitting. "
                    "Stop earlier (early stopping on val_loss, perhaps restoring the best weights).")
    else:
        feedback = (f"Too early: at epoch {final_epoch} the validation loss ({final:.4f}) was still "
                    "falling well above its lowest. Train longer, or give early stopping more patience.")
    return _item("goal-overfit", GOAL_OVERFIT, prompt, ok, feedback, solution=(detail,))


def _question_answer(qid: str, history) -> tuple[set[int] | None, Decimal | None, str, str]:
    """(accepted whole numbers, or a real value with ACCURACY_TOLERANCE), shown answer, why."""
    if qid == "lowest-val-loss-epoch":
        shown = [round(v, 4) for v in history.val_loss]
        low = min(shown)
        epochs = {e + 1 for e, v in enumerate(shown) if v == low}
        first = min(epochs)
        return epochs, None, str(first), (
            f"The validation loss is lowest, {low:.4f}, at epoch {first} (epochs counted from 1).")
    if qid == "iterations-per-epoch":
        n, b = history.config.n_train, history.config.batch_size
        k = history.iterations_per_epoch
        rule = "rounded down (the last partial batch is dropped)" if history.config.drop_last else "rounded up"
        return {k}, None, format_number(k), f"{n:,} training samples ÷ batch {b} = {n / b:.4g}, {rule}: {k:,}."
    if qid == "total-updates":
        total = history.total_iterations
        return {total}, None, format_number(total), (
            f"{history.epochs_run} epochs × {history.iterations_per_epoch:,} iterations = {total:,} updates.")
    if qid == "epochs-run":
        why = (f"Early stopping ended the run after epoch {history.epochs_run}." if history.stopped_early
               else f"The run trained all {history.epochs_run} epochs.")
        return {history.epochs_run}, None, str(history.epochs_run), why
    if qid == "best-val-accuracy":
        best = max(history.val_accuracy)
        value = Decimal(str(round(best * 100, 2)))
        return None, value, f"{format_number(value)}% (± {ACCURACY_TOLERANCE})", (
            f"The highest validation accuracy is {best:.2%}, at epoch {int(np.argmax(history.val_accuracy)) + 1}.")
    raise ValueError(f"unknown question {qid!r}")


def read_answers(spec: SimSpec, answers: dict[str, str]) -> dict[str, Decimal]:
    """Parse every answer first: unreadable input is reported and costs no try."""
    problems, values = {}, {}
    for qid in spec.questions:
        label = RUN_QUESTIONS[qid]
        parsed = parse_number((answers or {}).get(qid, ""))
        if not parsed.ok:
            problems[label] = parsed.message
        elif qid != "best-val-accuracy" and not parsed.is_whole:
            problems[label] = "Type a whole number."
        else:
            values[qid] = parsed.value
    if problems:
        raise InvalidSubmission(problems)
    return values


def grade_run(spec: SimSpec, start: SimConfig, values: dict[str, Any], answers: dict[str, str]):
    """Grade a submission: re-run it here and check goals and answers against that run.

    Returns (items, config, notes). Raises InvalidSubmission (no try used) for bad settings or
    unreadable answers.
    """
    config, notes = student_config(spec, start, values)
    numbers = read_answers(spec, answers)
    history = simulate(config)
    items = []
    if spec.target_val_accuracy is not None:
        items.append(_target_goal(spec, history))
    if spec.stop_before_overfitting:
        items.append(_overfit_goal(spec, config, history))
    for qid in spec.questions:
        prompt = RUN_QUESTIONS[qid]
        kind = RUN_QUESTION_KINDS[qid]
        response = str((answers or {}).get(qid, ""))[:60]
        if history.diverged or not history.val_loss:
            items.append(_item(qid, kind, prompt, False, "Your run diverged, so there is no history to read.",
                               response, "—"))
            continue
        whole, real, shown, why = _question_answer(qid, history)
        x = numbers[qid]
        ok = (x in whole) if whole is not None else abs(x - real) <= ACCURACY_TOLERANCE
        feedback = "Right." if ok else "Not quite: read it again from your run's chart or table."
        items.append(_item(qid, kind, prompt, ok, feedback, response, shown, (why,)))
    return items, config, notes
