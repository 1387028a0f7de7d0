"""Toy 2-D datasets, generated from a seed, split into training and validation samples.

All generators put the points roughly in [-2, 2] × [-2, 2] around the origin, so the same
learning rates work on every dataset and the decision-boundary plot has a fixed frame.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import SimConfig

DATA_STREAM, INIT_STREAM, SHUFFLE_STREAM = 0, 1, 2


def rngs(seed: int) -> list[np.random.Generator]:
    """Independent generators for the data, the first weights and the shuffling.

    Separate streams mean a change of batch size or learning rate keeps the same data and the
    same starting weights, so two runs differ only by what the learner changed.
    """
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)]


@dataclass(frozen=True)
class Dataset:
    """Inputs `x_*` (n × 2 floats) and class labels `y_*` (n ints in 0..classes-1)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    classes: int


def _moons(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n_out = n // 2
    n_in = n - n_out
    t_out = rng.uniform(0, np.pi, n_out)
    t_in = rng.uniform(0, np.pi, n_in)
    outer = np.c_[np.cos(t_out), np.sin(t_out)]
    inner = np.c_[1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]
    x = np.r_[outer, inner] - [0.5, 0.25]
    return x * 1.2, np.r_[np.zeros(n_out, int), np.ones(n_in, int)]


def _circles(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n_out = n // 2
    n_in = n - n_out
    t = rng.uniform(0, 2 * np.pi, n)
    radius = np.r_[np.full(n_out, 1.5), np.full(n_in, 0.6)]
    return np.c_[np.cos(t), np.sin(t)] * radius[:, None], np.r_[np.zeros(n_out, int), np.ones(n_in, int)]


def _spiral(n: int, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = np.arange(n) % classes
    r = rng.uniform(0.1, 1.0, n)
    angle = r * 3.5 * np.pi / 2 * 1.4 + y * 2 * np.pi / classes
    return np.c_[np.cos(angle), np.sin(angle)] * (r * 1.8)[:, None], y


def _blobs(n: int, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = np.arange(n) % classes
    angles = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
    centres = 1.1 * np.c_[np.cos(angles), np.sin(angles)]
    # Blobs get a base spread so that noise 0 still gives clouds, not single points.
    return centres[y] + rng.normal(0, 0.35, (n, 2)), y


def _xor(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1.8, 1.8, (n, 2))
    # Keep a small gap around the axes, as TensorFlow Playground does, so noise 0 is learnable.
    x += np.sign(x) * 0.1
    return x, (x[:, 0] * x[:, 1] > 0).astype(int)


def make_dataset(config: SimConfig) -> Dataset:
    """The config's data: generated, noised, shuffled once, then split (last part = validation).

    Depends only on the dataset settings and the seed, never on the training settings.
    """
    rng = rngs(config.seed)[DATA_STREAM]
    n, classes = config.n_samples, config.classes
    if config.dataset == "moons":
        x, y = _moons(n, rng)
    elif config.dataset == "circles":
        x, y = _circles(n, rng)
    elif config.dataset == "spiral":
        x, y = _spiral(n, classes, rng)
    elif config.dataset == "blobs":
        x, y = _blobs(n, classes, rng)
    else:
        x, y = _xor(n, rng)
    x = x + rng.normal(0.0, config.noise, x.shape)
    flip = rng.random(n) < config.label_noise
    # A flipped label moves to one of the *other* classes, so it is always wrong.
    y = np.where(flip, (y + rng.integers(1, classes, n)) % classes, y)
    order = rng.permutation(n)
    x, y = x[order], y[order]
    n_train = config.n_train
    return Dataset(x_train=np.ascontiguousarray(x[:n_train]), y_train=y[:n_train].copy(),
                   x_val=np.ascontiguousarray(x[n_train:]), y_val=y[n_train:].copy(), classes=classes)
