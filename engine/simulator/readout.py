"""The simulator's numbers in the lesson's words: iterations, epochs, weight updates.

Every count comes from `engine.training_math`, so the page, the lesson and the quizzes can
never disagree.
"""
from __future__ import annotations

from typing import Any

from engine import training_math

from .config import SimConfig


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def iterations_readout(config: SimConfig) -> str:
    """"800 training samples ÷ batch 32 → 25 iterations per epoch; 20 epochs → 500 weight updates"."""
    n, b, e = config.n_train, config.batch_size, config.epochs
    per_epoch = training_math.iterations_per_epoch(n, b, config.drop_last)
    total = training_math.total_iterations(n, b, e, config.drop_last)
    return (f"{n:,} training samples ÷ batch {b:,} → {_plural(per_epoch, 'iteration')} per epoch; "
            f"{_plural(e, 'epoch')} → {_plural(total, 'weight update')}")


def readout_details(config: SimConfig) -> list[str]:
    """The split and what happens to the last, smaller batch, one sentence each."""
    n, b = config.n_train, config.batch_size
    lines = [f"{config.n_samples:,} samples: {n:,} to train on, {config.n_val:,} held out for "
             f"validation ({config.val_fraction:.0%})."]
    full, rest = divmod(n, b)
    if rest == 0:
        lines.append(f"{n:,} = {full:,} × {b:,}: every batch is full.")
    elif config.drop_last:
        if full == 0:
            lines.append(f"The batch ({b:,}) is larger than the training set and the partial batch is "
                         "dropped: there is nothing left to train on.")
        else:
            lines.append(f"{full:,} full batches use {full * b:,} samples; the other {rest:,} are dropped "
                         f"each epoch (drop_last), a different {rest:,} every time because of the reshuffle.")
    else:
        last = training_math.last_batch_size(n, b)
        lines.append(f"{full:,} full batches of {b:,}, then a last batch of {last:,}: "
                     f"ceil({n:,} ÷ {b:,}) = {full + 1:,}.")
    return lines


# How a learner would name each setting in a legend.
_LEGEND = {
    "dataset": lambda v: str(v), "n_samples": lambda v: f"{v:,} samples", "noise": lambda v: f"noise {v:g}",
    "label_noise": lambda v: f"label noise {v:.0%}", "n_classes": lambda v: f"{v} classes",
    "val_fraction": lambda v: f"val {v:.0%}", "seed": lambda v: f"seed {v}",
    "hidden_layers": lambda v: "layers " + ("-".join(map(str, v)) if v else "none"),
    "activation": lambda v: str(v), "output": lambda v: f"{v} output", "optimizer": lambda v: str(v),
    "learning_rate": lambda v: f"lr {v:g}", "momentum": lambda v: f"momentum {v:g}",
    "batch_size": lambda v: f"batch {v}", "epochs": lambda v: f"{v} epochs", "l2": lambda v: f"L2 {v:g}",
    "drop_last": lambda v: "drop last" if v else "keep last", "early_stopping": lambda v: "early stop" if v else "no early stop",
    "monitor": lambda v: str(v), "min_delta": lambda v: f"min_delta {v:g}", "patience": lambda v: f"patience {v}",
    "restore_best_weights": lambda v: "restore best" if v else "keep last weights",
    "baseline": lambda v: f"baseline {v}",
}


def describe_differences(configs: list[SimConfig]) -> list[str]:
    """A legend label per run, naming only the settings that differ between the runs
    (e.g. ["batch 8", "batch 256"]). Identical runs are told apart by their number."""
    if not configs:
        return []
    dumps: list[dict[str, Any]] = [c.model_dump() for c in configs]
    differing = [k for k in dumps[0] if len({repr(d[k]) for d in dumps}) > 1]
    labels = []
    for i, d in enumerate(dumps):
        parts = [_LEGEND[k](d[k]) for k in differing]
        labels.append(", ".join(parts) if parts else f"run {i + 1}")
    # Two runs can still coincide (the same config kept twice): number them apart.
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[i] = f"{label} (#{seen[label]})"
    return labels
