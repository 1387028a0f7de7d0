"""Training histories for "read the chart" questions, and Keras's early-stopping rule.

The rule is Keras's `EarlyStopping.on_epoch_end` (keras/src/callbacks/early_stopping.py), for
`mode="min"`, no baseline, `start_from_epoch=0`:

    wait += 1
    if current + min_delta < best (strictly):   # Keras flips min_delta's sign for "min"
        best = current; best_epoch = epoch; wait = 0   # (only a fall of MORE than min_delta counts)
    elif wait >= patience and epoch > 0:
        stop after this epoch

So training stops `patience` epochs after the last epoch that counted as an improvement.
Keras numbers epochs from 0 internally but prints "Epoch 5: early stopping" from 1; learners
count from 1, and so does everything here.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class EarlyStop:
    stopped_epoch: int | None  # 1-based epoch after which training stops; None = ran to the end
    best_epoch: int  # 1-based epoch of the last improvement (restore_best_weights would keep it)


def keras_early_stopping(val_losses: list[Decimal], patience: int, min_delta: Decimal = Decimal(0)) -> EarlyStop:
    if patience < 1:
        raise ValueError("patience must be at least 1")
    best: Decimal | None = None
    best_epoch, wait = 0, 0
    for epoch, current in enumerate(val_losses):  # epoch is 0-based here, as in Keras
        wait += 1
        if best is None or current + abs(min_delta) < best:
            best, best_epoch, wait = current, epoch, 0
            continue
        if wait >= patience and epoch > 0:
            return EarlyStop(epoch + 1, best_epoch + 1)
    return EarlyStop(None, best_epoch + 1)


def _round3(x: float) -> Decimal:
    return Decimal(f"{x:.3f}")


def make_history(rng: random.Random, epochs: int, best_at: int, bumps: float = 0.25) -> tuple[list[Decimal], list[Decimal]]:
    """(training loss, validation loss) per epoch, 3 decimals. Training loss falls every epoch;
    validation loss falls (with the odd small rise) until about `best_at`, then drifts up with
    the odd dip: the shape of overfitting."""
    train, val = [], []
    t = rng.uniform(0.9, 2.4)
    v = t * rng.uniform(1.0, 1.15)
    for epoch in range(1, epochs + 1):
        train.append(_round3(t))
        val.append(_round3(v))
        t *= rng.uniform(0.78, 0.95)
        if epoch < best_at:
            v *= rng.uniform(1.002, 1.03) if rng.random() < bumps else rng.uniform(0.8, 0.96)
        else:
            v *= rng.uniform(0.985, 0.998) if rng.random() < bumps else rng.uniform(1.01, 1.08)
    return train, val
