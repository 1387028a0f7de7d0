"""Optimizers that update the flat parameter vector in place.

The trainer writes each iteration's gradient into `optimizer.grad` (a flat view owned by the
optimizer, so Adam can square it in the same buffer), then calls `optimizer.step(theta)`.
Every update is a few whole-vector NumPy calls, whatever the size of the network.

`grad_scale` κ: the gradient may arrive multiplied by a constant (the network's passes save a
call that way, see Network.grad_scale). Each optimizer divides it back out inside a step it
takes anyway: SGD and momentum use lr/κ; Adam, whose update m̂/√v̂ does not change when g is
scaled, uses ε·κ. With κ = 1 these are the textbook formulas.

Subnormal numbers: a parameter whose gradient stays 0 (a dead ReLU unit, a saturated tanh)
has its moments decay by β each step until they leave float32's normal range (below 1.2e-38);
the CPU then computes every operation on them 10–100× slower, and batch-1 runs on a big
network crawled (31–39 s instead of ~3). So every FLUSH_EVERY steps the moments smaller than
FLUSH_BELOW are set to 0. From 1e-30, decaying by β1 = 0.9 takes ~170 steps to become subnormal
(β2 = 0.999: ~17,000), so a flush every 32 steps catches each one first. Numerically nothing
changes: a moment of 1e-30 moves a weight by ~1e-22 of the learning rate.

Scalars are held in 0-d arrays of the parameters' dtype: NumPy converts a Python float on
every call, which costs about a microsecond here, more than the arithmetic on the vector.
"""
from __future__ import annotations

import math

import numpy as np

FLUSH_EVERY = 32
FLUSH_BELOW = 1e-30


def flush_tiny(state: np.ndarray, scratch: np.ndarray) -> None:
    """Set the entries of `state` smaller than FLUSH_BELOW in size to 0 (`scratch`: same shape, bool)."""
    np.less(np.abs(state), FLUSH_BELOW, out=scratch)
    np.copyto(state, 0, where=scratch)


class SGD:
    """Plain gradient descent: θ ← θ − lr · g."""

    def __init__(self, n_params: int, learning_rate: float, dtype: type = np.float64,
                 grad_scale: float = 1.0):
        self.lr = np.array(learning_rate / grad_scale, dtype=dtype)
        self.grad = np.zeros(n_params, dtype=dtype)
        self._tmp = np.empty(n_params, dtype=dtype)

    def step(self, theta: np.ndarray) -> None:
        np.multiply(self.grad, self.lr, self._tmp)
        np.subtract(theta, self._tmp, theta)


class Momentum:
    """Gradient descent with momentum, as Keras's SGD(momentum=μ) writes it:
    v ← μ · v − lr · g;  θ ← θ + v  (v starts at 0)."""

    def __init__(self, n_params: int, learning_rate: float, momentum: float = 0.9,
                 dtype: type = np.float64, grad_scale: float = 1.0):
        self.lr = np.array(learning_rate / grad_scale, dtype=dtype)
        self.mu = np.array(momentum, dtype=dtype)
        self.grad = np.zeros(n_params, dtype=dtype)
        self.velocity = np.zeros(n_params, dtype=dtype)
        self._tmp = np.empty(n_params, dtype=dtype)
        self._tiny = np.empty(n_params, dtype=bool)
        self.t = 0

    def step(self, theta: np.ndarray) -> None:
        self.t += 1
        if self.t % FLUSH_EVERY == 0:
            flush_tiny(self.velocity, self._tiny)
        np.multiply(self.velocity, self.mu, self.velocity)
        np.multiply(self.grad, self.lr, self._tmp)
        np.subtract(self.velocity, self._tmp, self.velocity)
        np.add(theta, self.velocity, theta)


class Adam:
    """Adam (Kingma & Ba, 2015, Algorithm 1) with bias correction, at step t = 1, 2, …:
    m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  m̂ = m/(1−β1ᵗ);  v̂ = v/(1−β2ᵗ);
    θ ← θ − lr · m̂ / (√v̂ + ε).

    Computed with the moments kept divided by (1−β1) and (1−β2): s ← β·s + [g; g²] then needs
    no multiplication of the gradient, and with a = (1−β1)/(1−β1ᵗ), b = √((1−β2)/(1−β2ᵗ)):
    θ ← θ − (lr·a/b) · s_m / (√s_v + ε/b), which is the same quantity rearranged.
    """

    def __init__(self, n_params: int, learning_rate: float, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, dtype: type = np.float64,
                 grad_scale: float = 1.0):
        self.lr, self.beta1, self.beta2, self.eps = learning_rate, beta1, beta2, eps * grad_scale
        self.t = 0
        # Row 0 is the gradient, row 1 receives g²: both moments then update in two calls.
        self._g = np.zeros((2, n_params), dtype=dtype)
        self.grad, self._g_squared = self._g[0], self._g[1]
        self._scaled = np.zeros((2, n_params), dtype=dtype)
        self._s_m, self._s_v = self._scaled[0], self._scaled[1]
        # Full-size coefficient rows: an elementwise product is cheaper than a broadcast one.
        self._keep = np.repeat(np.array([[beta1], [beta2]], dtype=dtype), n_params, axis=1)
        self._tmp = np.empty(n_params, dtype=dtype)
        self._tiny = np.empty((2, n_params), dtype=bool)
        # This step's ε/b and lr·a/b, set in place each step.
        self._eps_now = np.zeros((), dtype=dtype)
        self._step_now = np.zeros((), dtype=dtype)

    @property
    def m(self) -> np.ndarray:
        """First moment estimate (biased), as in the paper."""
        return self._scaled[0] * (1.0 - self.beta1)

    @property
    def v(self) -> np.ndarray:
        """Second moment estimate (biased), as in the paper."""
        return self._scaled[1] * (1.0 - self.beta2)

    def step(self, theta: np.ndarray) -> None:
        self.t += 1
        scaled, tmp = self._scaled, self._tmp
        if self.t % FLUSH_EVERY == 0:
            flush_tiny(scaled, self._tiny)
        np.multiply(self.grad, self.grad, self._g_squared)
        np.multiply(scaled, self._keep, scaled)
        np.add(scaled, self._g, scaled)
        a = (1.0 - self.beta1) / (1.0 - self.beta1 ** self.t)
        b = math.sqrt((1.0 - self.beta2) / (1.0 - self.beta2 ** self.t))
        self._eps_now[()] = self.eps / b
        self._step_now[()] = self.lr * a / b
        np.sqrt(self._s_v, tmp)
        np.add(tmp, self._eps_now, tmp)
        np.divide(self._s_m, tmp, tmp)
        np.multiply(tmp, self._step_now, tmp)
        np.subtract(theta, tmp, theta)


def make_optimizer(name: str, n_params: int, learning_rate: float, momentum: float = 0.9,
                   dtype: type = np.float64, grad_scale: float = 1.0):
    if name == "sgd":
        return SGD(n_params, learning_rate, dtype=dtype, grad_scale=grad_scale)
    if name == "momentum":
        return Momentum(n_params, learning_rate, momentum, dtype=dtype, grad_scale=grad_scale)
    if name == "adam":
        return Adam(n_params, learning_rate, dtype=dtype, grad_scale=grad_scale)
    raise ValueError(f"unknown optimizer {name!r}")
