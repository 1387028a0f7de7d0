"""Questions that read a training history: the best epoch, and where early stopping stops."""
from __future__ import annotations

import random
from decimal import Decimal

from .build import D, exact, near, whole_answer
from .histories import keras_early_stopping, make_history


def _table(columns: dict[str, list]) -> str:
    names = list(columns)
    rows = zip(*columns.values())
    head = "| " + " | ".join(names) + " |\n|" + "---:|" * len(names) + "\n"
    return head + "\n".join("| " + " | ".join(str(v) for v in row) + " |" for row in rows)


def _strictly_falling(xs: list[Decimal]) -> bool:
    return all(a > b for a, b in zip(xs, xs[1:]))


def lowest_validation_loss(rng: random.Random) -> dict:
    while True:
        epochs = rng.randint(8, 20)
        best_at = rng.randint(3, epochs - 2)
        train, val = make_history(rng, epochs, best_at)
        low = min(val)
        if val.count(low) == 1 and _strictly_falling(train) and val.index(low) + 1 != epochs:
            break
    best = val.index(low) + 1
    table = {"epoch": list(range(1, epochs + 1)), "training loss": [str(x) for x in train],
             "validation loss": [str(x) for x in val]}
    return dict(
        prompt=(f"A model trained for **{epochs} epochs**. Its loss after each epoch (epochs counted "
                f"from 1):\n\n{_table(table)}\n\n"
                "At which epoch is the **validation loss** lowest?"),
        params={"epochs": epochs},
        table=table,
        answer=whole_answer(best, "epoch"),
        mistakes=[
            exact("training-not-validation", train.index(min(train)) + 1,
                  "That is where the **training** loss is lowest, and the last epoch is not "
                  "automatically the best. Training loss keeps falling as the model fits its own data; "
                  "the validation loss, on held-out data, shows when it stops generalising better."),
            exact("counted-from-zero", best - 1,
                  "Off by one: epochs are counted from 1 here, so the first row is epoch 1."),
            near("gave-the-loss-value", low, D("0.0005"),
                 f"{low} is the lowest validation loss itself. The question asks at which **epoch** it happens."),
        ],
        hint="Look only at the validation loss column and find its smallest value.",
        solution=[
            f"The smallest validation loss is {low}, in the row of epoch {best}.",
            f"After epoch {best} the training loss keeps falling ({train[best - 1]} → {train[-1]}) while "
            f"the validation loss rises ({low} → {val[-1]}): the model is overfitting. "
            f"Epoch {best}'s weights are the ones to keep.",
        ],
    )


def _ties(val: list[Decimal], min_delta: Decimal) -> bool:
    """True if some epoch's loss sits exactly on the improvement threshold, where float rounding
    in a real framework could go either way. Such histories are regenerated."""
    best = None
    for v in val:
        if best is not None and (v + min_delta == best or v == best):
            return True
        if best is None or v + min_delta < best:
            best = v
    return False


def early_stopping(rng: random.Random) -> dict:
    while True:
        epochs = rng.randint(12, 25)
        patience = rng.randint(2, 5)
        min_delta = rng.choice((D("0.01"), D("0.005"), D("0.02"))) if rng.random() < 0.35 else D(0)
        best_at = rng.randint(3, epochs - patience - 2)
        _train, val = make_history(rng, epochs, best_at, bumps=0.35)
        run = keras_early_stopping(val, patience, min_delta)
        if run.stopped_epoch is None or _ties(val, min_delta) or _ties(val, D(0)):
            continue
        break
    stop, best = run.stopped_epoch, run.best_epoch
    plain_run = keras_early_stopping(val, patience)
    table = {"epoch": list(range(1, epochs + 1)), "validation loss": [str(x) for x in val]}
    call = f"EarlyStopping(monitor=\"val_loss\", patience={patience}" + (
        f", min_delta={min_delta})" if min_delta else ")")
    walk = []
    best_so_far, wait = None, 0
    for i, v in enumerate(val[:stop], start=1):
        if best_so_far is None or v + min_delta < best_so_far:
            best_so_far, wait = v, 0
            walk.append(f"Epoch {i}: {v} is a new best, wait = 0.")
        else:
            wait += 1
            if min_delta and v < best_so_far:
                walk.append(f"Epoch {i}: {v} is lower than the best, {best_so_far}, but not by more than "
                            f"min_delta = {min_delta}, so it is no improvement: wait = {wait}.")
            else:
                walk.append(f"Epoch {i}: {v} is no improvement on the best, {best_so_far}: wait = {wait}.")
    lowest = val.index(min(val[:stop])) + 1
    first_rise = next(i for i, line in enumerate(walk, start=1) if "no improvement" in line)  # exists: it stopped
    mistakes = []
    if min_delta and plain_run.stopped_epoch:
        mistakes.append(exact(
            "ignored-min-delta", plain_run.stopped_epoch,
            f"That ignores `min_delta={min_delta}`: a fall counts as an improvement only if the loss "
            f"drops by **more than** {min_delta} below the best so far. Smaller falls add to the wait."))
    mistakes += [
        exact("stop-at-best-epoch", best,
              "That is the epoch of the last improvement (the weights `restore_best_weights=True` would "
              "bring back). Training does not stop there: it goes on until "
              f"{patience} epochs in a row have brought no improvement."),
        exact("patience-off-by-one", stop - 1,
              "Off by one. Keras stops at the end of the epoch where the wait counter reaches "
              f"patience = {patience}: count the epochs without improvement since the best one again."),
        exact("patience-off-by-one", stop + 1,
              "Off by one. Training stops at the end of the very epoch where the wait counter reaches "
              f"patience = {patience}, not one epoch later."),
        exact("stopped-at-first-rise", first_rise,
              "That is where the loss first fails to improve, but one bad epoch is not enough: "
              f"Keras waits for {patience} epochs in a row without improvement (the counter resets "
              "whenever the loss reaches a new best)."),
    ]
    return dict(
        prompt=(f"A model is set to train for **{epochs} epochs** with Keras's "
                f"`{call}`. These are the validation losses it reaches, epoch by epoch (counted from 1):"
                f"\n\n{_table(table)}\n\nAfter which epoch does **training stop**?"),
        params={"epochs": epochs, "patience": patience, "min_delta": str(min_delta) if min_delta else ""},
        table=table,
        answer=whole_answer(stop, "epoch"),
        mistakes=mistakes,
        hint=(f"Track the best validation loss so far and count the epochs since it last improved; "
              f"training stops when that count reaches {patience}."),
        solution=[
            "Keras rule: after each epoch, if the loss beats the best so far"
            + (f" by more than min_delta = {min_delta}" if min_delta else "")
            + ", the wait counter resets to 0; otherwise it goes up by 1. "
            f"When the wait reaches patience = {patience}, training stops.",
            *walk,
            f"Training stops after epoch {stop}; the best epoch was {best}."
            + (f" Epoch {lowest}'s loss, {min(val[:stop])}, is lower than epoch {best}'s, but it never "
               f"beat the best so far by more than min_delta = {min_delta}, so it does not count."
               if min_delta and lowest != best else ""),
            f"Without `restore_best_weights=True` the model keeps the weights of epoch {stop}, the last "
            f"one trained; with it, epoch {best}'s weights are put back.",
        ],
    )
