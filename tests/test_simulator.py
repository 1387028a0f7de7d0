"""What a learner or a teacher's grader sees from `simulate`: counts, lesson presets,
divergence, determinism, serialisation, and accuracy against scikit-learn."""
from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import training_math
from engine.simulator import PRESETS, History, SimConfig, decision_grid, simulate
from engine.simulator import train as train_module
from engine.simulator import budget as budget_module
from engine.simulator.datasets import make_dataset
from engine.simulator.train import planned_epochs


def all_finite(history: History) -> bool:
    values = (history.loss + history.accuracy + history.val_loss + history.val_accuracy
              + history.iteration_loss + history.weights)
    return all(math.isfinite(v) for v in values)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_samples=st.integers(40, 400), val_fraction=st.sampled_from([0.1, 0.2, 0.25, 0.5]),
       batch_size=st.integers(1, 450), drop_last=st.booleans(), epochs=st.integers(1, 3))
def test_iteration_counts_match_the_formulas(n_samples, val_fraction, batch_size, drop_last, epochs):
    config = SimConfig(n_samples=n_samples, val_fraction=val_fraction, batch_size=batch_size,
                       drop_last=drop_last, epochs=epochs, hidden_layers=(4,))
    h = simulate(config)
    per_epoch = training_math.iterations_per_epoch(config.n_train, batch_size, drop_last)
    assert h.iterations_per_epoch == per_epoch
    if per_epoch == 0:
        assert h.epochs_run == 0 and h.iteration_loss == [] and "nothing is trained" in h.notes[0]
    else:
        assert h.epochs_run == epochs
        assert len(h.iteration_loss) == training_math.total_iterations(config.n_train, batch_size, epochs, drop_last)
    assert len(h.loss) == len(h.val_loss) == len(h.accuracy) == len(h.val_accuracy) == h.epochs_run


def test_the_lessons_example_800_samples_batch_32():
    h = simulate(SimConfig())
    assert (h.config.n_train, h.iterations_per_epoch, h.epochs_run, len(h.iteration_loss)) == (800, 25, 20, 500)


def test_drop_last_changes_the_count_only_when_there_is_a_remainder():
    kept = simulate(SimConfig(batch_size=30, epochs=2))
    dropped = simulate(SimConfig(batch_size=30, epochs=2, drop_last=True))
    assert (kept.iterations_per_epoch, dropped.iterations_per_epoch) == (27, 26)
    assert simulate(SimConfig(batch_size=32, epochs=1, drop_last=True)).iterations_per_epoch == 25


def test_same_config_same_history_and_the_seed_matters():
    config = SimConfig(epochs=5, label_noise=0.1)
    assert simulate(config).to_dict() == simulate(config).to_dict()
    assert simulate(config).loss != simulate(config.model_copy(update={"seed": 1})).loss


def test_a_change_of_batch_size_keeps_the_same_data():
    a, b = SimConfig(batch_size=8), SimConfig(batch_size=256)
    np.testing.assert_array_equal(make_dataset(a).x_train, make_dataset(b).x_train)


def test_history_round_trips_through_json():
    h = simulate(SimConfig(epochs=3, early_stopping=True, patience=1))
    again = History.from_dict(json.loads(json.dumps(h.to_dict())))
    assert again == h
    assert set(h.to_dict()) >= {"loss", "accuracy", "val_loss", "val_accuracy", "iteration_loss",
                                "iterations_per_epoch", "epochs_run", "stopped_early", "best_epoch", "diverged"}


def test_default_config_beats_scikit_learn_mlp_on_two_moons():
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    for seed in (0, 1, 2):
        config = SimConfig(seed=seed)
        assert (config.dataset, config.noise, config.n_samples) == ("moons", 0.2, 1000)
        data = make_dataset(config)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            sklearn_score = MLPClassifier(random_state=seed).fit(data.x_train, data.y_train).score(data.x_val, data.y_val)
        assert simulate(config).val_accuracy[-1] >= sklearn_score


def test_overfitting_preset_validation_loss_turns_up_while_training_loss_falls():
    h = simulate(PRESETS["Overfitting"].config)
    best = int(np.argmin(h.val_loss))
    assert best + 1 == h.best_epoch
    assert best < 0.25 * h.epochs_run  # the minimum comes well before the last epoch
    assert h.val_loss[-1] > 1.2 * h.val_loss[best]
    assert h.loss[-1] < 0.7 * h.loss[best]  # …while training loss kept falling
    assert np.mean(h.loss[-20:]) < np.mean(h.loss[-60:-40])


def test_early_stopping_preset_stops_near_the_best_epoch():
    h = simulate(PRESETS["Early stopping"].config)
    assert h.stopped_early and h.epochs_run < 60 and h.stopped_epoch - h.best_epoch == 10


def test_learning_rate_too_high_diverges_and_says_why():
    h = simulate(PRESETS["Learning rate too high"].config)
    assert h.diverged and h.diverged_epoch == 1 and h.diverged_iteration >= 1
    assert "learning rate 3 is too high" in h.divergence and "0.3" in h.divergence
    assert all_finite(h) and h.weights == []
    assert decision_grid(h) is None


@settings(max_examples=15, deadline=None)
@given(lr=st.floats(0.5, 10.0), optimizer=st.sampled_from(["sgd", "momentum", "adam"]),
       activation=st.sampled_from(["relu", "tanh", "sigmoid"]), seed=st.integers(0, 5))
def test_no_setting_puts_a_non_finite_number_in_history(lr, optimizer, activation, seed):
    h = simulate(SimConfig(learning_rate=lr, optimizer=optimizer, activation=activation, seed=seed,
                           hidden_layers=(32, 32, 32), n_samples=200, epochs=5))
    assert all_finite(h)
    if h.diverged:
        assert h.divergence and h.diverged_iteration <= (h.epochs_run + 1) * h.iterations_per_epoch


def test_tiny_batch_learns_more_in_the_same_epochs_than_a_huge_one():
    preset = PRESETS["Tiny vs huge batch"]
    tiny, huge = simulate(preset.config), simulate(preset.compare[0])
    assert tiny.iterations_per_epoch == 200 and huge.iterations_per_epoch == 1
    assert tiny.val_loss[-1] < huge.val_loss[-1]
    # Small batches are noisier from one update to the next.
    assert np.std(np.diff(tiny.iteration_loss[-200:])) > np.std(np.diff(huge.iteration_loss))


def test_every_preset_teaches_in_one_line_and_runs():
    assert set(PRESETS) == {"Overfitting", "Learning rate too high", "Tiny vs huge batch", "Early stopping", "Just right"}
    for preset in PRESETS.values():
        assert preset.lesson and "\n" not in preset.lesson
        assert all_finite(simulate(preset.config))


def test_multiclass_blobs_and_spiral_train():
    blobs = simulate(SimConfig(dataset="blobs", n_classes=3, output="softmax"))
    assert blobs.val_accuracy[-1] > 0.9
    for dataset in ("circles", "xor"):
        assert simulate(SimConfig(dataset=dataset, epochs=60, hidden_layers=(32, 32))).val_accuracy[-1] > 0.8
    # The spiral's arms overlap at the centre: it is learnable with less input noise.
    spiral = SimConfig(dataset="spiral", noise=0.1, learning_rate=0.03, epochs=60, hidden_layers=(32, 32))
    assert simulate(spiral).val_accuracy[-1] > 0.95


def test_label_noise_flips_the_stated_share_of_labels():
    clean = make_dataset(SimConfig(dataset="blobs", noise=0.0, label_noise=0.0, n_samples=2000))
    noisy = make_dataset(SimConfig(dataset="blobs", noise=0.0, label_noise=0.2, n_samples=2000))
    flipped = np.mean(np.r_[clean.y_train, clean.y_val] != np.r_[noisy.y_train, noisy.y_val])
    assert 0.17 < flipped < 0.23


def test_huge_runs_are_capped_with_a_note(monkeypatch):
    epochs, note = planned_epochs(SimConfig(batch_size=1, epochs=500, n_samples=2000))
    assert epochs == 100_000 // 1600 and "100,000" in note
    assert planned_epochs(SimConfig(batch_size=1, epochs=100))[1] is None  # 80,000 updates: allowed
    monkeypatch.setattr(budget_module, "MAX_UPDATES", 100)
    h = simulate(SimConfig())
    assert h.epochs_run == 4 and h.epochs_planned == 4 and "only 4 epochs run" in h.notes[0]


def test_progress_is_reported_after_every_epoch():
    seen = []
    simulate(SimConfig(epochs=4), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_decision_grid_agrees_with_the_final_network():
    h = simulate(SimConfig())
    grid = decision_grid(h, resolution=30)
    assert len(grid.x) == 900 and set(np.unique(grid.predicted)) == {0, 1}
    assert np.all((grid.confidence >= 0.5) & (grid.confidence <= 1))
    # Reading the class off the grid cell under each validation point scores (almost) what the
    # network scores on those points: the grid is the network, in the data's frame.
    data = make_dataset(h.config)
    cell = [np.argmin((grid.x - px) ** 2 + (grid.y - py) ** 2) for px, py in data.x_val]
    grid_accuracy = np.mean(grid.predicted[cell] == data.y_val)
    assert grid_accuracy == pytest.approx(h.val_accuracy[-1], abs=0.03)


# -- what the page says about a run (after the new-user trial) ------------------------------

def test_a_baseline_that_is_never_beaten_is_named_as_the_reason_to_stop():
    from engine.simulator import early_stop_text

    h = simulate(SimConfig(early_stopping=True, baseline=0.01, patience=5))
    assert h.stopped_early and h.stopped_epoch - h.best_epoch < 5  # "not improved for 5" would be false
    text = early_stop_text(h)
    assert "never got below the baseline of 0.01" in text and f"in {h.stopped_epoch} epochs" in text
    assert "had not improved" not in text


def test_patience_0_is_worded_as_the_first_epoch_without_improvement():
    from engine.simulator import early_stop_text

    h = simulate(SimConfig(early_stopping=True, patience=0))
    text = early_stop_text(h)
    assert h.stopped_early and "for 0 epochs" not in text
    assert f"did not improve in epoch {h.stopped_epoch}" in text
    assert "patience 0 stops at the first epoch without improvement" in text


def test_an_ordinary_early_stop_counts_the_epochs_since_the_best():
    from engine.simulator import early_stop_text

    h = simulate(SimConfig(early_stopping=True, min_delta=0.01, patience=3))
    assert f"for {h.stopped_epoch - h.best_epoch} epochs since its best" in early_stop_text(h)
    assert "by more than min_delta 0.01" in early_stop_text(h)


def test_the_headline_says_what_ran_when_early_stopping_or_the_cap_cut_the_run(monkeypatch):
    from engine.simulator import run_readout

    h = simulate(PRESETS["Early stopping"].config)
    assert run_readout(h) == (
        f"80 training samples ÷ batch 8 → 10 iterations per epoch; planned: 150 epochs → 1,500 weight updates; "
        f"ran: {h.epochs_run} epochs → {h.epochs_run * 10:,} weight updates (early stopping)")
    monkeypatch.setattr(budget_module, "MAX_UPDATES", 120)
    capped = simulate(SimConfig(epochs=10))
    assert run_readout(capped).endswith("planned: 10 epochs → 250 weight updates; "
                                        "ran: 4 epochs → 100 weight updates (capped at 120 updates)")
    assert run_readout(simulate(SimConfig(epochs=3))) == (
        "800 training samples ÷ batch 32 → 25 iterations per epoch; 3 epochs → 75 weight updates")


def test_best_epoch_help_follows_the_min_delta_rule():
    from engine.simulator import best_epoch_help

    assert best_epoch_help(SimConfig()) == "The epoch with the lowest val_loss."
    text = best_epoch_help(SimConfig(early_stopping=True, monitor="val_accuracy", min_delta=0.02))
    assert "Highest" not in text and "higher than the best so far by more than min_delta (0.02)" in text


def test_a_run_that_blows_up_without_overflowing_is_explained():
    from engine.simulator import instability_note

    wild = simulate(SimConfig(optimizer="adam", learning_rate=10.0))
    note = instability_note(wild)
    assert not wild.diverged and "far above the" in note
    # 82.5 % validation accuracy: the note says what the figures show, never "did not learn".
    assert wild.val_accuracy[-1] > 0.8 and "did not learn" not in note
    assert f"validation accuracy reached {wild.val_accuracy[-1]:.1%}" in note
    guessing = simulate(SimConfig(optimizer="adam", learning_rate=3.0))
    assert "about what guessing gives with 2 classes" in instability_note(guessing)
    assert instability_note(guessing).startswith("This run did not learn")
    assert instability_note(simulate(SimConfig(epochs=5))) is None


def test_divergence_advice_names_the_optimizer_setting_unambiguously():
    h = simulate(PRESETS["Learning rate too high"].config)
    assert "switch the optimizer to Adam" in h.divergence and "or the Adam optimizer" not in h.divergence


def test_early_stopping_preset_tells_the_truth_about_its_curves():
    stopped = simulate(PRESETS["Early stopping"].config)
    memoriser = simulate(PRESETS["Overfitting"].config)
    lesson = PRESETS["Early stopping"].lesson
    assert "run again" not in lesson
    # "never beating that best again": the best epoch is the lowest validation loss of the run…
    assert min(stopped.val_loss) == stopped.val_loss[stopped.best_epoch - 1]
    assert stopped.stopped_epoch - stopped.best_epoch == 10 and stopped.restored_best_weights
    # …and the Overfitting run, left going, climbs to "about 3×" its lowest validation loss.
    assert 2.5 < memoriser.val_loss[-1] / min(memoriser.val_loss) < 3.5
    assert stopped.val_loss[stopped.best_epoch - 1] < memoriser.val_loss[-1] / 2.5


def test_the_early_stopping_presets_explanation_is_true_for_its_seed_and_names_why_it_is_fixed():
    import numpy as np

    preset = PRESETS["Early stopping"]
    assert preset.config.seed == 0 and "seed (0)" in preset.lesson and "seed 2" in preset.lesson
    h = simulate(preset.config)
    full = simulate(preset.config.model_copy(update={"early_stopping": False}))
    # "reaches its lowest early … never beating that best again": the full run's lowest is the best epoch.
    assert int(np.argmin(full.val_loss)) + 1 == h.best_epoch
    # "after 10 epochs without a new best, training stops and the best epoch's weights are restored"
    assert h.stopped_epoch == h.best_epoch + 10 and h.restored_best_weights
    # "climbs to about 3× its lowest"
    overfit = simulate(PRESETS["Overfitting"].config)
    assert 2.5 < max(overfit.val_loss[h.stopped_epoch:]) / min(overfit.val_loss) < 3.5
    # "with seed 2 the lowest validation loss of the full run comes after the stop"
    seed2 = preset.config.model_copy(update={"seed": 2})
    stopped = simulate(seed2)
    assert int(np.argmin(simulate(seed2.model_copy(update={"early_stopping": False})).val_loss)) + 1 > stopped.stopped_epoch
