"""The simulator's maths against independent oracles: finite differences for every gradient,
the published formulas for every optimizer, Keras's rules for early stopping."""
from __future__ import annotations

import math

import numpy as np
import pytest

from engine.simulator import EarlyStopping, SimConfig, simulate
from engine.simulator.datasets import INIT_STREAM, make_dataset, rngs
from engine.simulator.network import Network
from engine.simulator.optimizers import SGD, Adam, Momentum


def numeric_gradient(f, theta: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(theta)
    for i in range(len(theta)):
        up, down = theta.copy(), theta.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (f(up) - f(down)) / (2 * eps)
    return grad


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("output,classes", [("sigmoid", 2), ("softmax", 2), ("softmax", 3)])
@pytest.mark.parametrize("hidden", [(5,), (4, 3), ()])
@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_backprop_gradient_matches_finite_differences(activation, output, classes, hidden, l2):
    rng = np.random.default_rng(1)
    net = Network(2, hidden, 1 if output == "sigmoid" else classes, activation, output, dtype=np.float64)
    theta = rng.normal(0, 0.8, net.n_params)
    x = rng.normal(0, 1, (9, 2))
    y = rng.integers(0, classes, 9)
    loss, grad = net.loss_and_grad(theta, x, y, l2)
    expected = numeric_gradient(lambda t: net.loss_and_grad(t, x, y, l2)[0], theta)
    assert loss > 0
    np.testing.assert_allclose(grad, expected, rtol=1e-5, atol=1e-7)


def test_objective_is_the_mean_cross_entropy_written_out():
    rng = np.random.default_rng(2)
    net = Network(2, (3,), 3, "tanh", "softmax", dtype=np.float64)
    theta = rng.normal(0, 1, net.n_params)
    x, y = rng.normal(0, 1, (6, 2)), np.array([0, 1, 2, 2, 1, 0])
    w1, w2 = net.views(theta)  # each layer: units × (inputs + 1), the bias in the last column
    h = np.tanh(x @ w1[:, :-1].T + w1[:, -1])
    z = h @ w2[:, :-1].T + w2[:, -1]
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert net.loss_and_grad(theta, x, y)[0] == pytest.approx(-np.log(p[np.arange(6), y]).mean(), rel=1e-12)


def test_cross_entropy_stays_finite_for_huge_logits():
    net = Network(2, (), 1, "tanh", "sigmoid", dtype=np.float64)
    z = np.array([[800.0], [-800.0], [0.0]])
    loss = net.per_sample_loss(z, np.array([0, 1, 1]))
    np.testing.assert_allclose(loss, [800.0, 800.0, math.log(2)])


# -- optimizers against their reference formulas ------------------------------------------

def _gradients(n_steps: int, size: int) -> list[np.ndarray]:
    rng = np.random.default_rng(3)
    return [rng.normal(0, 1, size) for _ in range(n_steps)]


def _run(opt, theta: np.ndarray, grads: list[np.ndarray]) -> np.ndarray:
    theta = theta.copy()
    for g in grads:
        opt.grad[:] = g
        opt.step(theta)
    return theta


def test_sgd_follows_the_negative_gradient():
    grads, theta = _gradients(4, 6), np.linspace(-1, 1, 6)
    expected = theta - 0.1 * sum(grads)
    np.testing.assert_allclose(_run(SGD(6, 0.1), theta, grads), expected, rtol=1e-12)


def test_momentum_matches_the_velocity_formula():
    grads, theta = _gradients(5, 6), np.linspace(-1, 1, 6)
    v, expected = np.zeros(6), theta.copy()
    for g in grads:
        v = 0.9 * v - 0.05 * g
        expected = expected + v
    np.testing.assert_allclose(_run(Momentum(6, 0.05, 0.9), theta, grads), expected, rtol=1e-12)


def test_adam_matches_kingma_and_ba_with_bias_correction():
    grads, theta = _gradients(7, 6), np.linspace(-1, 1, 6)
    m, v, expected = np.zeros(6), np.zeros(6), theta.copy()
    for t, g in enumerate(grads, start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        m_hat, v_hat = m / (1 - 0.9 ** t), v / (1 - 0.999 ** t)
        expected = expected - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    adam = Adam(6, 0.01)
    np.testing.assert_allclose(_run(adam, theta, grads), expected, rtol=1e-10)
    np.testing.assert_allclose(adam.m, m, rtol=1e-12)
    np.testing.assert_allclose(adam.v, v, rtol=1e-12)


def test_adam_first_step_has_the_size_of_the_learning_rate():
    # Bias correction is what makes step 1 = lr·sign(g); without it the step would be ~30× smaller.
    theta = _run(Adam(3, 0.01), np.zeros(3), [np.array([5.0, -0.001, 300.0])])
    np.testing.assert_allclose(theta, [-0.01, 0.01, -0.01], rtol=1e-4)


# -- the training loop wires the maths together correctly ----------------------------------

@pytest.mark.parametrize("extra", [dict(), dict(dataset="blobs", n_classes=3, output="softmax"),
                                   dict(l2=0.05), dict(activation="relu", hidden_layers=(8,))])
def test_one_full_batch_sgd_epoch_is_one_gradient_step(extra):
    config = SimConfig(n_samples=100, batch_size=80, epochs=1, optimizer="sgd", learning_rate=0.5, **extra)
    data = make_dataset(config)
    net64 = Network.for_config(config, dtype=np.float64)
    start = Network.for_config(config).init(rngs(config.seed)[INIT_STREAM]).astype(np.float64)
    _, grad = net64.loss_and_grad(start, data.x_train, data.y_train, config.l2)
    history = simulate(config)
    assert history.iterations_per_epoch == 1
    np.testing.assert_allclose(history.weights, start - 0.5 * grad, rtol=2e-4, atol=2e-5)


def reference_training(config: SimConfig) -> np.ndarray:
    """The run written the slow, obvious way in float64: reshuffle, batch, gradient from the
    finite-difference-checked objective, textbook optimizer formulas."""
    from engine.simulator.datasets import SHUFFLE_STREAM

    data = make_dataset(config)
    streams = rngs(config.seed)
    net = Network.for_config(config, dtype=np.float64)
    theta = Network.for_config(config).init(streams[INIT_STREAM]).astype(np.float64)
    m, v, velocity, t = np.zeros_like(theta), np.zeros_like(theta), np.zeros_like(theta), 0
    b = config.batch_size
    for _ in range(config.epochs):
        order = streams[SHUFFLE_STREAM].permutation(config.n_train)
        for start in range(0, config.n_train, b):
            idx = order[start:start + b]
            if config.drop_last and len(idx) < b:
                continue
            _, g = net.loss_and_grad(theta, data.x_train[idx], data.y_train[idx], config.l2)
            if config.optimizer == "sgd":
                theta = theta - config.learning_rate * g
            elif config.optimizer == "momentum":
                velocity = config.momentum * velocity - config.learning_rate * g
                theta = theta + velocity
            else:
                t += 1
                m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
                theta = theta - config.learning_rate * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return theta


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("extra", [dict(), dict(drop_last=True), dict(l2=0.01),
                                   dict(dataset="blobs", n_classes=3, output="softmax", activation="sigmoid")])
def test_training_matches_a_plain_reference_loop(optimizer, extra):
    # 80 training samples in batches of 30: two full batches and a last one of 20 (or dropped).
    config = SimConfig(n_samples=100, batch_size=30, epochs=3, optimizer=optimizer,
                       learning_rate=0.05 if optimizer != "adam" else 0.01, **extra)
    np.testing.assert_allclose(simulate(config).weights, reference_training(config), rtol=1e-3, atol=2e-5)


def test_epoch_loss_is_the_batch_size_weighted_mean_of_its_batches():
    config = SimConfig(n_samples=250, batch_size=64, epochs=3)  # 200 training samples: 64, 64, 64, 8
    h = simulate(config)
    sizes = np.array([64, 64, 64, 8])
    for e in range(3):
        batches = np.array(h.iteration_loss[4 * e: 4 * e + 4])
        assert h.loss[e] == pytest.approx(float((batches * sizes).sum() / sizes.sum()), rel=1e-9)
        # …which is not the plain mean of the batch losses: the small last batch counts less.
        assert h.loss[e] != pytest.approx(float(batches.mean()), rel=1e-9)


def test_validation_metrics_use_the_end_of_epoch_weights():
    h = simulate(SimConfig(epochs=5))
    data = make_dataset(h.config)
    net = Network.for_config(h.config)
    logits = net.logits(np.asarray(h.weights), data.x_val).astype(np.float64)
    assert h.val_loss[-1] == pytest.approx(float(net.per_sample_loss(logits, data.y_val).mean()), rel=1e-6)
    assert h.val_accuracy[-1] == pytest.approx(float(np.mean(net.predict(logits) == data.y_val)))


# -- early stopping: Keras's rules on hand-built sequences ---------------------------------

def run_stopper(values, **kwargs) -> tuple[int, EarlyStopping]:
    """Epochs run before the stopper says stop (all of them if it never does)."""
    stopper = EarlyStopping(**kwargs)
    for epoch, value in enumerate(values):
        if stopper.on_epoch_end(epoch, value, np.array([float(epoch)])):
            return epoch + 1, stopper
    return len(values), stopper


def test_constant_loss_with_patience_3_runs_4_epochs():
    # Keras's own docstring example: "Only 4 epochs are run."
    assert run_stopper([1.0] * 10, patience=3)[0] == 4


def test_patience_0_stops_at_the_first_epoch_that_does_not_improve():
    assert run_stopper([1.0, 0.9, 0.8, 0.85, 0.7], patience=0)[0] == 4


def test_the_first_epoch_never_stops_training():
    assert run_stopper([5.0, 4.0], patience=0)[0] == 2


def test_improvement_resets_the_wait():
    ran, stopper = run_stopper([1.0, 1.1, 1.1, 0.9, 1.0, 1.0, 1.0, 1.0], patience=3)
    assert ran == 7 and stopper.best_epoch == 3 and stopper.stopped_epoch == 6


def test_min_delta_ignores_tiny_improvements():
    values = [1.0, 0.995, 0.99, 0.985, 0.98]
    assert run_stopper(values, patience=2, min_delta=0.01)[0] == 3
    assert run_stopper(values, patience=2)[0] == 5


def test_val_accuracy_is_maximised():
    ran, stopper = run_stopper([0.5, 0.7, 0.6, 0.65, 0.69, 0.8], monitor="val_accuracy", patience=3)
    assert ran == 5 and stopper.best == 0.7 and stopper.best_epoch == 1


def test_an_improvement_that_misses_the_baseline_does_not_reset_the_wait():
    values = [0.9, 0.8, 0.7, 0.7, 0.7]
    assert run_stopper(values, patience=2, baseline=0.5)[0] == 4
    assert run_stopper(values, patience=2)[0] == 5


def test_restore_best_weights_keeps_the_best_epochs_weights():
    _, stopper = run_stopper([1.0, 0.5, 0.7, 0.8], patience=2, restore_best_weights=True)
    assert stopper.best_epoch == 1 and stopper.best_weights.tolist() == [1.0]


def test_simulate_stops_restores_and_reports_like_keras():
    config = SimConfig(n_samples=160, val_fraction=0.5, noise=0.35, label_noise=0.1, hidden_layers=(64, 64),
                       activation="relu", learning_rate=0.01, batch_size=8, epochs=150, early_stopping=True,
                       patience=10, restore_best_weights=True, seed=2)
    h = simulate(config)
    assert h.stopped_early and h.epochs_run == h.stopped_epoch < 200
    ran, stopper = run_stopper(h.val_loss + [math.inf] * 5, patience=10)
    assert ran == h.epochs_run and stopper.best_epoch + 1 == h.best_epoch
    assert h.epochs_run - h.best_epoch == 10
    assert h.restored_best_weights
    data, net = make_dataset(config), Network.for_config(config)
    logits = net.logits(np.asarray(h.weights), data.x_val).astype(np.float64)
    restored_loss = float(net.per_sample_loss(logits, data.y_val).mean())
    assert restored_loss == pytest.approx(h.val_loss[h.best_epoch - 1], rel=1e-6)
