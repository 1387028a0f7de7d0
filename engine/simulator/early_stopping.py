"""Early stopping with exactly Keras's rules (keras.callbacks.EarlyStopping, Keras 3).

So that what a student sees here is what `model.fit(callbacks=[EarlyStopping(...)])` does:
- the direction comes from the metric: `val_loss` is minimised, `val_accuracy` maximised;
- an improvement means `current < best − |min_delta|` (or `>` best + |min_delta| when
  maximising); the first epoch always improves on the starting best (±infinity);
- every epoch adds 1 to `wait`; an improvement resets `wait` to 0 only if it also beats the
  `baseline` (when one is set); otherwise the epoch returns without checking patience;
- after an epoch without improvement, training stops when `wait >= patience` and it is not
  the first epoch (so patience 0 stops at the first epoch that does not improve);
- with `restore_best_weights`, the best epoch's weights are put back when training ends,
  whether or not it stopped early.
Epochs are counted from 0 here, as in Keras's callbacks; History reports them from 1.
"""
from __future__ import annotations

import math

import numpy as np


class EarlyStopping:
    """Feed it one monitored value per epoch; it says when to stop and keeps the best weights."""

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0.0, patience: int = 0,
                 baseline: float | None = None, restore_best_weights: bool = False):
        self.monitor = monitor
        self.minimise = monitor.removeprefix("val_") == "loss"
        self.min_delta = abs(min_delta)
        self.patience = patience
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.best = math.inf if self.minimise else -math.inf
        self.best_epoch = 0
        self.best_weights: np.ndarray | None = None
        self.wait = 0
        self.stopped_epoch = 0  # 0 = did not stop early (Keras's own convention)

    def _is_improvement(self, value: float, reference: float) -> bool:
        if self.minimise:
            return value + self.min_delta < reference
        return value - self.min_delta > reference

    def on_epoch_end(self, epoch: int, value: float, weights: np.ndarray | None = None) -> bool:
        """Record epoch `epoch` (0-based). Returns True when training should stop now."""
        if self.restore_best_weights and self.best_weights is None and weights is not None:
            self.best_weights = weights.copy()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(value, self.best):
            self.best = value
            self.best_epoch = epoch
            if self.restore_best_weights and weights is not None:
                self.best_weights = weights.copy()
            if self.baseline is None or self._is_improvement(value, self.baseline):
                self.wait = 0
            return False
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            return True
        return False
