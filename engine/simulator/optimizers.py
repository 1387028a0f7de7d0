"""Optimizers that update the flat parameter vector in place.

The trainer writes each iteration's gradient into `optimizer.grad` (a flat view owned by the
optimizer, so Adam can square it in the same buffer), then calls `optimizer.step(theta)`.
Every update is a few whole-vector NumPy calls, whatever the size of the network.
"""
from __future__ import annotations

import math

import numpy as np


class SGD:
    """Plain gradient descent: θ ← θ − lr · g."""

    def __init__(self, n_params: int, learning_rate: float, dtype: type = np.float64):
        self.lr = learning_rate
        self.grad = np.zeros(n_params, dtype=dtype)
        self._tmp = np.empty(n_params, dtype=dtype)

    def step(self, theta: np.ndarray) -> None:
        np.multiply(self.grad, self.lr, self._tmp)
        np.subtract(theta, self._tmp, theta)


class Momentum:
    """Gradient descent with momentum, as Keras's SGD(momentum=μ) writes it:
    v ← μ · v − lr · g;  θ ← θ + v  (v starts at 0)."""

    def __init__(self, n_params: int, learning_rate: float, momentum: float = 0.9,
                 dtype: type = np.float64):
        self.lr = learning_rate
        self.mu = momentum
        self.grad = np.zeros(n_params, dtype=dtype)
        self.velocity = np.zeros(n_params, dtype=dtype)
        self._tmp = np.empty(n_params, dtype=dtype)

    def step(self, theta: np.ndarray) -> None:
        np.multiply(self.velocity, self.mu, self.velocity)
        np.multiply(self.grad, self.lr, self._tmp)
        np.subtract(self.velocity, self._tmp, self.velocity)
        np.add(theta, self.velocity, theta)


class Adam:
    """Adam (Kingma & Ba, 2015, Algorithm 1) with bias correction, at step t = 1, 2, …:
    m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  m̂ = m/(1−β1ᵗ);  v̂ = v/(1−β2ᵗ);
    θ ← θ − lr · m̂ / (√v̂ + ε).

    Computed as θ ← θ − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m / (√v + ε·√(1−β2ᵗ)), which is the same
    quantity rearranged (the paper's "efficient version", with ε scaled so it is exact).
    """

    def __init__(self, n_params: int, learning_rate: float, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, dtype: type = np.float64):
        self.lr, self.beta1, self.beta2, self.eps = learning_rate, beta1, beta2, eps
        self.t = 0
        # Row 0 is the gradient, row 1 receives g²: both moments then update in three calls.
        self._g = np.zeros((2, n_params), dtype=dtype)
        self.grad, self._g_squared = self._g[0], self._g[1]
        self._moments = np.zeros((2, n_params), dtype=dtype)
        self.m, self.v = self._moments[0], self._moments[1]
        # Full-size coefficient rows: an elementwise product is cheaper than a broadcast one.
        self._keep = np.repeat(np.array([[beta1], [beta2]], dtype=dtype), n_params, axis=1)
        self._new = np.repeat(np.array([[1.0 - beta1], [1.0 - beta2]], dtype=dtype), n_params, axis=1)
        self._tmp = np.empty(n_params, dtype=dtype)

    def step(self, theta: np.ndarray) -> None:
        self.t += 1
        g, moments, tmp = self._g, self._moments, self._tmp
        np.multiply(self.grad, self.grad, self._g_squared)
        np.multiply(moments, self._keep, moments)
        np.multiply(g, self._new, g)
        np.add(moments, g, moments)
        root_b2 = math.sqrt(1.0 - self.beta2 ** self.t)
        np.sqrt(self.v, tmp)
        np.add(tmp, self.eps * root_b2, tmp)
        np.divide(self.m, tmp, tmp)
        np.multiply(tmp, self.lr * root_b2 / (1.0 - self.beta1 ** self.t), tmp)
        np.subtract(theta, tmp, theta)


def make_optimizer(name: str, n_params: int, learning_rate: float, momentum: float = 0.9,
                   dtype: type = np.float64):
    if name == "sgd":
        return SGD(n_params, learning_rate, dtype=dtype)
    if name == "momentum":
        return Momentum(n_params, learning_rate, momentum, dtype=dtype)
    if name == "adam":
        return Adam(n_params, learning_rate, dtype=dtype)
    raise ValueError(f"unknown optimizer {name!r}")
