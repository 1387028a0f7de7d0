"""The simulator's numbers in the lesson's words: iterations, epochs, weight updates.

Every count comes from `engine.training_math`, so the page, the lesson and the quizzes can
never disagree.
"""
from __future__ import annotations

from typing import Any

from engine import training_math

from . import budget
from .config import SimConfig
from .train import History


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
    elif full == 0:
        lines.append(f"The batch size ({b:,}) is larger than the {_plural(n, 'training sample')}: "
                     f"one batch of {n:,} per epoch.")
    else:
        last = training_math.last_batch_size(n, b)
        lines.append(f"{full:,} full batches of {b:,}, then a last batch of {last:,}: "
                     f"ceil({n:,} ÷ {b:,}) = {full + 1:,}.")
    return lines


def run_readout(history: History) -> str:
    """The headline for a finished run: the plan, and what actually ran when that differs
    (the update cap, early stopping or a divergence cut it short), so the counts on screen
    are the counts the charts show."""
    config = history.config
    ran_epochs = history.epochs_run
    ran_updates = history.total_iterations
    per_epoch = history.iterations_per_epoch
    full_plan = training_math.total_iterations(config.n_train, config.batch_size, config.epochs, config.drop_last)
    if ran_epochs == config.epochs and ran_updates == full_plan:
        return iterations_readout(config)
    reasons = []
    if history.epochs_planned < config.epochs and per_epoch:
        reasons.append(budget.cap_reason(config) or "capped")
    if history.stopped_early:
        reasons.append("early stopping")
    if history.diverged:
        reasons.append("diverged")
    if per_epoch == 0:
        reasons.append("no batch to train on")
    why = f" ({', '.join(reasons)})" if reasons else ""
    n, b = config.n_train, config.batch_size
    return (f"{n:,} training samples ÷ batch {b:,} → {_plural(per_epoch, 'iteration')} per epoch; "
            f"planned: {_plural(config.epochs, 'epoch')} → {_plural(full_plan, 'weight update')}; "
            f"ran: {_plural(ran_epochs, 'epoch')} → {_plural(ran_updates, 'weight update')}{why}")


def _epochs(count: int) -> str:
    return _plural(count, "epoch")


def early_stop_text(history: History) -> str | None:
    """Why early stopping ended the run, following Keras's rule (None if it did not fire).

    Keras counts every epoch in `wait` and resets it only on an improvement that also beats
    `baseline`, so with a baseline that is never beaten the run stops after `patience`
    epochs (or at the first epoch without improvement after that), whatever the best epoch.
    """
    if not history.stopped_early or history.stopped_epoch is None or history.best_epoch is None:
        return None
    config = history.config
    monitor, stop, best = config.monitor, history.stopped_epoch, history.best_epoch
    series = history.val_loss if monitor == "val_loss" else history.val_accuracy
    best_value = series[best - 1]
    restored = (f" The weights of epoch {best} (the best) were restored."
                if history.restored_best_weights else "")
    shown = f"{best_value:.3f}" if monitor == "val_loss" else f"{best_value:.1%}"
    if config.baseline is not None:
        if monitor == "val_loss":
            beaten = best_value + config.min_delta < config.baseline
        else:
            beaten = best_value - config.min_delta > config.baseline
        if not beaten:
            side = "below" if monitor == "val_loss" else "above"
            return (f"Early stopping ended training after epoch {stop}: {monitor} never got {side} the "
                    f"baseline of {config.baseline:g} in {_epochs(stop)} (its best was {shown}, at epoch "
                    f"{best}). Until the baseline is beaten, Keras never restarts the patience count, "
                    f"so patience {config.patience} counted every epoch from epoch 1 and training stopped at "
                    f"the first epoch after that which did not improve.{restored}")
    without = stop - best
    if config.patience == 0:
        return (f"Early stopping ended training after epoch {stop}: {monitor} did not improve in epoch "
                f"{stop} (best: {shown} at epoch {best}), and patience 0 stops at the first epoch "
                f"without improvement.{restored}")
    rule = ""
    if config.min_delta > 0:
        rule = f" by more than min_delta {config.min_delta:g}"
    return (f"Early stopping ended training after epoch {stop}: {monitor} had not improved{rule} for "
            f"{_epochs(without)} since its best ({shown}, at epoch {best}); patience is "
            f"{config.patience}.{restored}")


def best_epoch_help(config: SimConfig) -> str:
    """What "best epoch" means for this run, in the rule that picked it."""
    lowest = config.monitor == "val_loss"
    if not config.early_stopping:
        return f"The epoch with the {'lowest' if lowest else 'highest'} {config.monitor}."
    if config.min_delta == 0:
        return (f"The last epoch that set a new {'lowest' if lowest else 'highest'} {config.monitor} "
                "(early stopping's rule).")
    direction = "lower" if lowest else "higher"
    return (f"Early stopping's rule (Keras): the last epoch whose {config.monitor} was {direction} than "
            f"the best so far by more than min_delta ({config.min_delta:g}). A later epoch that was "
            "better by less than that does not count, so this need not be the very best value.")


def instability_note(history: History) -> str | None:
    """A run that did not overflow but went wrong: the loss ended far above where it started,
    or validation accuracy stayed near chance. Worded from the figures shown next to it: "did
    not learn" only when validation accuracy is near chance; a run whose loss climbed while its
    accuracy is well above chance is called unstable, with that accuracy named."""
    if history.diverged or not history.epochs_run or not history.iteration_loss:
        return None
    config = history.config
    start = history.iteration_loss[0]
    at = _shown_epoch(history) - 1  # the epoch whose figures the page shows
    end = history.loss[at]
    accuracy = history.val_accuracy[at]
    chance = 1.0 / config.classes
    at_chance = accuracy <= chance + 0.05 and history.epochs_run >= 3
    grew = end > 1.5 * start
    if not (grew or at_chance):
        return None
    smaller = f"a learning rate about 10× smaller ({config.learning_rate / 10:g})"
    if at_chance:
        what = [f"validation accuracy is {accuracy:.1%}, about what guessing gives with {config.classes} "
                f"classes ({chance:.0%})"]
        if grew:
            what.insert(0, f"the training loss ended at {end:.3f}, far above the {start:.3f} it started from")
            why = f"Each update is so large that it overshoots and the loss climbs instead of falling: try {smaller}."
        else:
            why = (f"The network is guessing. Either the updates are too large to settle (try {smaller}), "
                   "or the network cannot draw this shape (add a hidden layer or more units).")
        return f"This run did not learn: {' and '.join(what)}. {why}"
    return (f"This run is unstable: the training loss ended at {end:.3f}, far above the {start:.3f} it "
            f"started from, although validation accuracy reached {accuracy:.1%}. The updates are so large "
            f"that they overshoot: the network found a boundary, but its loss keeps jumping. Try {smaller}.")


def _shown_epoch(history: History) -> int:
    """The epoch whose weights the run ends with: the restored best epoch, or the last one."""
    if history.restored_best_weights and history.best_epoch:
        return history.best_epoch
    return history.epochs_run


def facts_line(history: History) -> str | None:
    """The run's figures in one line, for the epoch whose weights are on screen (the best
    epoch's when they were restored): validation accuracy and loss, training loss, best epoch."""
    if not history.epochs_run:
        return None
    restored = history.restored_best_weights and history.best_epoch
    shown = _shown_epoch(history)
    at = shown - 1
    where = f"Epoch {shown} (restored)" if restored and shown != history.epochs_run else f"Epoch {shown}"
    return (f"{where}: validation accuracy **{history.val_accuracy[at]:.1%}** · validation loss "
            f"**{history.val_loss[at]:.3f}** · training loss **{history.loss[at]:.3f}** · "
            f"best epoch **{history.best_epoch}** · epochs run **{history.epochs_run}/{history.epochs_planned}**")


def loss_caption(config: SimConfig) -> str:
    """What the loss figures are, exactly (the L2 part only when L2 is on)."""
    l2 = (f" With L2 {config.l2:g}, both losses include the penalty l2/2 × the sum of the squared weights "
          "(biases left out), as Keras adds its regularisation losses to `loss` and `val_loss`."
          if config.l2 else "")
    return ("Loss is the cross-entropy. Training loss and accuracy are averaged over each epoch's batches, weighted "
            "by batch size, while the weights are still changing (as Keras reports them); validation uses the "
            "weights at the end of the epoch. So early on, training loss can be higher than validation loss." + l2)


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
