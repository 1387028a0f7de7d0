"""The trained network evaluated on a grid of points: what the decision-boundary plot shows."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .datasets import Dataset, make_dataset
from .network import Network
from .train import History


@dataclass(frozen=True)
class Grid:
    """`resolution`² cell centres (`x`, `y`), the class the network predicts in each cell, its
    probability, and `p1`, the probability of class 1 (the shading for two classes)."""

    x: np.ndarray
    y: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray
    p1: np.ndarray
    step_x: float
    step_y: float


def extent(data: Dataset, margin: float = 0.3) -> tuple[float, float, float, float]:
    """The frame around all training and validation points: (x_min, x_max, y_min, y_max)."""
    points = np.r_[data.x_train, data.x_val]
    lo, hi = points.min(axis=0) - margin, points.max(axis=0) + margin
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def decision_grid(history: History, resolution: int = 40, data: Dataset | None = None,
                  weights: list[float] | None = None) -> Grid | None:
    """Evaluate the run's final network (or the given `weights` of the same network) on a grid
    covering the data. None if there are no usable weights (the run diverged before any best
    weights could be restored)."""
    weights = weights if weights is not None else history.weights
    if not weights:
        return None
    data = data if data is not None else make_dataset(history.config)
    x0, x1, y0, y1 = extent(data)
    step_x, step_y = (x1 - x0) / resolution, (y1 - y0) / resolution
    xs = x0 + step_x * (np.arange(resolution) + 0.5)
    ys = y0 + step_y * (np.arange(resolution) + 0.5)
    gx, gy = np.meshgrid(xs, ys)
    points = np.c_[gx.ravel(), gy.ravel()]
    net = Network.for_config(history.config)
    probs = net.probabilities(net.logits(np.asarray(weights), points))
    predicted = probs.argmax(axis=1)
    return Grid(x=points[:, 0], y=points[:, 1], predicted=predicted,
                confidence=probs[np.arange(len(points)), predicted], p1=probs[:, 1],
                step_x=step_x, step_y=step_y)
