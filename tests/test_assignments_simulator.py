"""Simulator exercises: the server re-runs what the student submitted, with the teacher's
locked settings forced back, and grades that run; forged results cannot score."""
from __future__ import annotations

import pytest

from engine import db
from engine.simulator import SimConfig, simulate
from engine.teachers import assignments as asg
from engine.teachers import classes as cls
from engine.teachers import simexercise as sx
from teachers_support import learners_named

# A small, noisy problem with a big network: it overfits, quickly.
NOISY = SimConfig(n_samples=160, val_fraction=0.5, noise=0.35, label_noise=0.1, hidden_layers=(64, 64),
                  learning_rate=0.01, batch_size=8, epochs=30, seed=3)


def spec(**kw):
    fields = dict(start=NOISY, editable=("epochs", "early_stopping", "patience", "restore_best_weights"),
                  own_seed=False, max_epochs=120, questions=("lowest-val-loss-epoch", "iterations-per-epoch"))
    fields.update(kw)
    return sx.SimSpec(**fields)


def answers_for(config: SimConfig) -> dict[str, str]:
    h = simulate(config)
    low = min(round(v, 4) for v in h.val_loss)
    epoch = next(e + 1 for e, v in enumerate(h.val_loss) if round(v, 4) == low)
    return {"lowest-val-loss-epoch": str(epoch), "iterations-per-epoch": str(h.iterations_per_epoch)}


def test_locked_settings_are_forced_back_and_noted():
    config, notes = sx.student_config(spec(), NOISY, {"epochs": 12, "label_noise": 0.0, "n_samples": 2000,
                                                      "hidden_layers": [4]})
    assert config.epochs == 12
    assert (config.label_noise, config.n_samples, config.hidden_layers) == (0.1, 160, (64, 64))
    assert len(notes) == 3 and any("label_noise" in n for n in notes)


def test_out_of_range_settings_are_explained_and_use_no_try():
    with pytest.raises(sx.InvalidSubmission) as exc:
        sx.student_config(spec(), NOISY, {"epochs": 121})
    assert "at most 120 epochs" in str(exc.value)
    with pytest.raises(sx.InvalidSubmission) as exc:
        sx.student_config(spec(editable=("hidden_layers",)), NOISY, {"hidden_layers": "16,abc"})
    assert "e.g. 16,16" in exc.value.problems[sx.STUDENT_CONTROLS["hidden_layers"]]


def test_questions_are_graded_against_the_servers_own_run():
    config = NOISY.model_copy(update={"epochs": 25})
    items, ran, _ = sx.grade_run(spec(), NOISY, {"epochs": 25}, answers_for(config))
    assert ran == config
    assert [i["status"] for i in items] == ["correct", "correct"]
    h = simulate(config)
    assert items[1]["correct_answer"] == str(h.iterations_per_epoch) == "10"  # 80 samples ÷ 8


def test_a_forged_submission_does_not_score():
    """Answers read off a different (forged) run, sent with the real settings, are wrong;
    and settings the teacher locked are not what gets trained."""
    forged_run = NOISY.model_copy(update={"label_noise": 0.0, "batch_size": 16, "epochs": 25})
    items, ran, notes = sx.grade_run(spec(), NOISY, {"epochs": 25, "label_noise": 0.0, "batch_size": 16},
                                     answers_for(forged_run))
    assert ran.batch_size == 8 and ran.label_noise == 0.1
    assert items[1]["status"] == "incorrect"  # 5 iterations per epoch at batch 16; the real run has 10
    assert notes


def test_accuracy_target_within_epochs():
    s = spec(questions=(), target_val_accuracy=0.99, within_epochs=5)
    items, _, _ = sx.grade_run(s, NOISY, {"epochs": 5}, {})
    assert items[0]["status"] == "incorrect" and "the target is 99%" in items[0]["feedback"]
    s = spec(questions=(), target_val_accuracy=0.6, within_epochs=20)
    items, _, _ = sx.grade_run(s, NOISY, {"epochs": 20}, {})
    assert items[0]["status"] == "correct" and "Target reached" in items[0]["feedback"]


def test_stop_before_overfitting_passes_with_early_stopping_and_fails_when_training_on():
    full = simulate(NOISY.model_copy(update={"epochs": 120}))
    lowest_epoch = full.val_loss.index(min(full.val_loss)) + 1
    assert lowest_epoch < 100 and full.val_loss[-1] > 1.05 * min(full.val_loss)  # it really overfits
    s = spec(questions=(), stop_before_overfitting=True)
    stopped, _, _ = sx.grade_run(s, NOISY, {"epochs": 120, "early_stopping": True, "patience": 10,
                                            "restore_best_weights": True}, {})
    assert stopped[0]["status"] == "correct", stopped[0]["feedback"]
    on_and_on, _, _ = sx.grade_run(s, NOISY, {"epochs": 120}, {})
    assert on_and_on[0]["status"] == "incorrect" and "Too late" in on_and_on[0]["feedback"]
    too_soon, _, _ = sx.grade_run(s, NOISY, {"epochs": 1}, {})
    assert too_soon[0]["status"] == "incorrect" and "Too early" in too_soon[0]["feedback"]


def test_unreadable_answers_use_no_try():
    with pytest.raises(sx.InvalidSubmission) as exc:
        sx.grade_run(spec(), NOISY, {}, {"lowest-val-loss-epoch": "the fifth", "iterations-per-epoch": "10.5"})
    assert set(exc.value.problems) == {sx.RUN_QUESTIONS["lowest-val-loss-epoch"], sx.RUN_QUESTIONS["iterations-per-epoch"]}


def test_spec_needs_a_goal_and_known_controls():
    with pytest.raises(ValueError):
        sx.SimSpec(start=NOISY, questions=())
    with pytest.raises(ValueError):
        sx.SimSpec(start=NOISY, editable=("seed",), questions=("epochs-run",))
    with pytest.raises(ValueError):
        sx.SimSpec(start=NOISY, max_epochs=10, questions=("epochs-run",))  # start has 30 epochs


def test_simulator_exercise_end_to_end_with_own_seeds():
    engine = db.connect()
    c = cls.create_class(engine, "Year 11")
    a = asg.create_simulation(engine, c, "Overfitting", spec(own_seed=True), tries_allowed=2)
    sam, ana = learners_named(engine, "Sam", "Ana")
    t_sam, t_ana = asg.start_try(engine, a, sam.id), asg.start_try(engine, a, ana.id)
    assert t_sam.variant["start"]["seed"] != t_ana.variant["start"]["seed"]  # own data each
    sam_start = SimConfig.model_validate(t_sam.variant["start"])
    done = asg.submit(engine, a, sam.id, t_sam.id,
                      {"config": {"epochs": 25}, "answers": answers_for(sam_start.model_copy(update={"epochs": 25}))},
                      key="sam-sim-try-1")
    assert done.attempt.score == 1.0
    assert done.attempt.responses["config"]["epochs"] == 25
    assert done.attempt.responses["config"]["seed"] == sam_start.seed
