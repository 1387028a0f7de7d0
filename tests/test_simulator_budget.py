"""Bounded work (#12), subnormals, float edges (#11) and what the run reports (#13)."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from engine import training_math
from engine.simulator import PRESETS, SimConfig, run_readout, simulate
from engine.simulator import budget, optimizers
from engine.simulator.config import MAX_HIDDEN_LAYERS, MAX_UNITS
from engine.simulator.datasets import INIT_STREAM, make_dataset, rngs
from engine.simulator.network import Network
from engine.simulator.train import Cancelled, frame_epochs


# -- the work budget ------------------------------------------------------------------------

def extreme_configs():
    """The costliest corners of every setting that changes the arithmetic."""
    for batch, layers, (n, val), epochs, optimizer, three in itertools.product(
            (1, 2, 7, 64, 2000), ((64,) * 4, (64,), ()), ((2000, 0.1), (2000, 0.5), (40, 0.1)), (1, 500),
            ("adam", "sgd"), (False, True)):
        extra = dict(dataset="spiral", n_classes=3, output="softmax") if three else {}
        yield SimConfig(batch_size=batch, hidden_layers=layers, n_samples=n, val_fraction=val, epochs=epochs,
                        optimizer=optimizer, **extra)


def test_no_configuration_plans_more_work_than_the_budget():
    for config in extreme_configs():
        epochs, note = budget.planned_epochs(config)
        per_epoch = training_math.iterations_per_epoch(config.n_train, config.batch_size, config.drop_last)
        assert 1 <= epochs <= config.epochs
        assert budget.run_work(config, epochs) <= budget.WORK_BUDGET, config
        assert epochs * per_epoch <= budget.MAX_UPDATES
        assert (note is None) == (epochs == config.epochs)


def test_the_budget_counts_arithmetic_not_updates_alone():
    # Batch 2000 on 4 × 64: 500 updates only, but each pushes 1,800 samples through 12,737 weights.
    big = SimConfig(n_samples=2000, val_fraction=0.1, batch_size=2000, hidden_layers=(64,) * 4, epochs=500)
    small = big.model_copy(update={"hidden_layers": (4,)})
    assert budget.n_params(big) == 12_737
    assert budget.run_work(big) > 20 * budget.run_work(small)
    # Same number of updates, five times the network: the budget sees the difference.
    b1_big = SimConfig(batch_size=1, hidden_layers=(64,) * 4, epochs=500)
    b1_small = SimConfig(batch_size=1, hidden_layers=(16, 16), epochs=500)
    assert budget.planned_epochs(b1_big)[0] < budget.planned_epochs(b1_small)[0]


def test_a_run_cut_by_the_budget_says_so_in_the_pages_words():
    config = SimConfig(batch_size=1, hidden_layers=(64,) * 4, epochs=500)  # the slow link
    epochs, note = budget.planned_epochs(config)
    assert epochs < 100
    assert f"only {epochs} epochs run" in note and "12,737 weights" in note
    assert "A bigger batch needs fewer updates per epoch; a smaller network fewer calculations" in note
    h = simulate(config.model_copy(update={"n_samples": 40}))  # same rule, small enough to run here
    assert h.epochs_planned == budget.planned_epochs(h.config)[0]


def test_the_headline_names_the_budget_when_it_cut_the_run(monkeypatch):
    monkeypatch.setattr(budget, "WORK_BUDGET", budget.epoch_work(SimConfig()) * 3)
    h = simulate(SimConfig(epochs=10))
    assert h.epochs_run == 3 and h.epochs_planned == 3
    assert run_readout(h).endswith("ran: 3 epochs → 75 weight updates (capped by the work budget)")


# -- subnormals -----------------------------------------------------------------------------

def subnormals(array: np.ndarray) -> int:
    tiny = np.finfo(array.dtype).tiny
    return int(np.count_nonzero((array != 0) & (np.abs(array) < tiny)))


@pytest.mark.parametrize("name", ["adam", "momentum"])
def test_optimizer_state_never_goes_subnormal(name):
    # Half the parameters get a gradient once, then 0 for 2,000 steps (a dead ReLU unit): their
    # moments decay by β each step, through float32's subnormal range unless flushed.
    opt = optimizers.make_optimizer(name, 64, 0.01, dtype=np.float32)
    theta = np.zeros(64, dtype=np.float32)
    worst = 0
    for t in range(2000):
        opt.grad[:] = 1.0 if t == 0 else 0.0
        opt.grad[32:] = 0.5
        opt.step(theta)
        state = opt._scaled if name == "adam" else opt.velocity
        worst = max(worst, subnormals(state))
    assert worst == 0


def test_the_flush_is_what_keeps_them_out(monkeypatch):
    monkeypatch.setattr(optimizers, "FLUSH_EVERY", 10**9)
    opt = optimizers.make_optimizer("adam", 8, 0.01, dtype=np.float32)
    theta = np.zeros(8, dtype=np.float32)
    seen = 0
    for t in range(1500):
        opt.grad[:] = 1.0 if t == 0 else 0.0
        opt.step(theta)
        seen = max(seen, subnormals(opt._scaled))
    assert seen > 0


def test_a_batch_1_relu_run_ends_without_subnormal_moments(monkeypatch):
    made = []
    original = optimizers.make_optimizer

    def spy(*args, **kwargs):
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr("engine.simulator.train.make_optimizer", spy)
    simulate(SimConfig(batch_size=1, hidden_layers=(64, 64), activation="relu", n_samples=200, epochs=6))
    assert subnormals(made[0]._scaled) == 0


# -- float edges ------------------------------------------------------------------------------

def test_negative_zero_is_stored_as_zero_and_trains():
    config = SimConfig(noise=-0.0, label_noise=-0.0, l2=-0.0, min_delta=-0.0, baseline=-0.0, epochs=2)
    for name in ("noise", "label_noise", "l2", "min_delta", "baseline"):
        assert math.copysign(1.0, getattr(config, name)) == 1.0
    assert simulate(config).epochs_run == 2
    linked, notes = SimConfig.from_query_params({"noise": "-0.0", "epochs": "2", "l2": "-0", "momentum": "-0.0"})
    assert math.copysign(1.0, linked.noise) == 1.0 and notes == []
    assert simulate(linked).epochs_run == 2


EDGE_TEXT = st.sampled_from(["nan", "NaN", "inf", "-inf", "+inf", "-0.0", "-0", "0", "1e-320", "5e-324",
                             "1e308", "1e309", "-1e308", "1" + "0" * 400, "9" * 5000, "0x10", "1_000", "",
                             " ", "½", "٣", "１２", "1e", "--1", "1,5", "2.5", "-1", "None", "true", "\x00"])
FLOAT_EDGES = st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 0.0, 1e308, -1e308, 5e-324, 1e-320,
                               2.2250738585072014e-308, 1e-30, 1e30, 2**63, -(2**63), 0.5, 1.0, 2.0])
FIELD_TEXT = st.one_of(EDGE_TEXT, st.floats(allow_nan=True, allow_infinity=True).map(repr),
                       st.integers(-10**30, 10**30).map(str), st.text(max_size=20))


def small(config: SimConfig) -> SimConfig:
    """The same settings with few epochs and samples, so each example trains in milliseconds."""
    return config.model_copy(update={"epochs": min(config.epochs, 2), "n_samples": min(config.n_samples, 200)})


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(st.sampled_from(sorted(SimConfig.model_fields)), FIELD_TEXT, max_size=8))
def test_any_link_values_give_a_config_and_a_run(params):
    config, notes = SimConfig.from_query_params(params)
    assert all(isinstance(n, str) and len(n) < 400 for n in notes)
    for name, value in config.model_dump().items():
        if isinstance(value, float):
            assert math.isfinite(value) and math.copysign(1.0, value) == 1.0, name
    h = simulate(small(config))
    assert h.epochs_run >= 1 or h.diverged or h.iterations_per_epoch == 0


def raw_value(name: str):
    if name == "hidden_layers":
        return st.one_of(st.lists(st.one_of(st.integers(-5, 100), FLOAT_EDGES), max_size=6).map(tuple),
                         FIELD_TEXT)
    return st.one_of(FLOAT_EDGES, st.integers(-10**20, 10**20), FIELD_TEXT, st.booleans(), st.none())


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.fixed_dictionaries({}, optional={name: raw_value(name) for name in SimConfig.model_fields}))
def test_any_raw_values_are_refused_cleanly_or_train(values):
    try:
        config = SimConfig(**values)
    except ValidationError:
        return  # refused with pydantic's message: the page and the teacher form show it
    for name, value in config.model_dump().items():
        if isinstance(value, float):
            assert math.isfinite(value) and not (value == 0 and math.copysign(1.0, value) < 0), name
    assert len(config.hidden_layers) <= MAX_HIDDEN_LAYERS
    assert all(1 <= u <= MAX_UNITS for u in config.hidden_layers)
    simulate(small(config))


# -- what a run reports (#13) -------------------------------------------------------------------

def test_the_loss_includes_the_l2_penalty_as_keras_reports_it():
    config = SimConfig(n_samples=100, batch_size=80, epochs=2, optimizer="sgd", learning_rate=0.1, l2=0.05)
    data = make_dataset(config)
    net = Network.for_config(config, dtype=np.float64)
    start = Network.for_config(config).init(rngs(config.seed)[INIT_STREAM]).astype(np.float64)
    objective, _ = net.loss_and_grad(start, data.x_train, data.y_train, config.l2)  # CE + l2/2·Σw²
    h = simulate(config)
    assert h.loss[0] == pytest.approx(objective, rel=1e-4)
    final = np.asarray(h.weights)
    val_objective, _ = net.loss_and_grad(final, data.x_val, data.y_val, config.l2)
    assert h.val_loss[-1] == pytest.approx(val_objective, rel=1e-4)
    penalty = 0.5 * config.l2 * float(np.sum((start * net.weight_mask) ** 2))
    assert h.penalty[0] == pytest.approx(penalty, rel=1e-4) and penalty > 0.01
    assert simulate(config.model_copy(update={"l2": 0.0})).penalty == [0.0, 0.0]


def test_after_a_divergence_the_headline_counts_the_updates_that_ran():
    h = simulate(PRESETS["Learning rate too high"].config)
    assert h.diverged and h.epochs_run == 0
    assert h.total_iterations == h.iterations_per_epoch == 25  # the whole first epoch ran
    assert len(h.iteration_loss) < 25                             # only its finite losses are kept
    assert "ran: 0 epochs → 25 weight updates (diverged)" in run_readout(h)


# -- cancellation, progress, the replay's weights -------------------------------------------

def test_a_cancelled_run_stops_within_a_few_hundred_updates():
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(Cancelled):
        simulate(SimConfig(batch_size=1, epochs=50), cancelled=cancelled)
    assert len(asked) == 4  # every 256 updates: it stopped after ~1,000 of 40,000


def test_the_replay_records_weights_per_epoch_ending_on_the_final_ones():
    assert frame_epochs(20) == list(range(1, 21))
    assert frame_epochs(150)[-1] == 150 and len(frame_epochs(150)) <= 40
    h = simulate(SimConfig(epochs=12))
    assert h.frame_epochs == list(range(1, 13)) and h.frame_weights.shape == (12, 337)
    np.testing.assert_allclose(h.weights_at(12), h.weights, rtol=1e-6)
    assert h.weights_at(3) != h.weights_at(12)


def test_animate_moves_the_decision_boundary_with_the_epochs():
    from engine.simulator import charts

    h = simulate(SimConfig(epochs=10))
    early = charts.boundary_chart(h, epoch=2)
    final = charts.boundary_chart(h)
    assert early.shape[-2] == "Decision boundary (weights after epoch 2)"
    assert final.shape[-2] == "Decision boundary (weights after epoch 10)"
    assert not early.datasets["grid"]["confidence"].equals(final.datasets["grid"]["confidence"])
    assert charts.boundary_chart(h, epoch=10).shape == final.shape  # the last frame is the final network


def test_oversized_and_malformed_link_values_get_clear_notes():
    config, notes = SimConfig.from_query_params({"epochs": "9" * 5000, "batch_size": "-1e999", "noise": "abc" * 100})
    assert config.epochs == 500 and config.batch_size == 1 and config.noise == 0.2
    noise, batch, epochs = notes  # in the order of the settings
    assert epochs.startswith("epochs: 9999999999") and "(5,000 characters) is far above the largest allowed value; using 500." in epochs
    assert "is far below the smallest allowed value; using 1." in batch
    assert "could not read" in noise and "(300 characters)" in noise and len(noise) < 200
