"""`simulate(config) -> History`: train the network a SimConfig describes and record every step.

How one run goes (the same rules as Keras's `fit`, so the numbers match what students meet):
- each epoch reshuffles the training samples, then walks through them batch by batch; every
  batch is one iteration, i.e. one weight update. Iterations per epoch come from
  `engine.training_math` (ceil(N/B), or floor(N/B) with `drop_last`);
- the epoch's `loss`/`accuracy` are the mean over that epoch's batches weighted by batch size,
  each batch measured with the weights *before* its update (Keras's running mean), so they
  mix early and late weights; `val_loss`/`val_accuracy` use the end-of-epoch weights;
- losses are reported as Keras reports them: the cross-entropy plus the L2 penalty
  (l2/2 · Σ weights², biases left out), for training (each batch at the weights before its
  update) and for validation (at the end-of-epoch weights) alike; `History.penalty` keeps the
  penalty's share of each epoch's training loss so a page can say how much of it is the L2 term;
- a non-finite loss or exploding weights end the run with an explanation (`diverged`);
  nothing non-finite is ever stored.

Speed: one shuffle per epoch into preallocated buffers whose batches are views made once;
every batch writes its logits into its rows of one epoch buffer, the validation pass writes
below them, and one pass over that buffer after the epoch gives the per-iteration losses, the
epoch's loss and accuracy and the validation loss and accuracy.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import numpy as np

from engine import training_math

from . import budget
from .config import SimConfig
from .datasets import INIT_STREAM, SHUFFLE_STREAM, Dataset, make_dataset, rngs
from .early_stopping import EarlyStopping
from .network import Network, augment_t, run
from .optimizers import make_optimizer

# Kept for callers that read it here; the run budget itself lives in budget.py.
MAX_UPDATES = budget.MAX_UPDATES
# How often (in weight updates) a run checks whether it was cancelled: about every 10 ms.
CHECK_EVERY = 256
# Most epochs whose weights a run records for the Animate replay (evenly spaced, last included).
MAX_FRAMES = 40
# A weight this large on inputs of size ~1 means the updates are running away.
WEIGHT_LIMIT = 1e4


@dataclass
class History:
    """What a run produced. Per-epoch lists have one entry per completed epoch (epoch 1 first).

    - `loss`, `accuracy`: training cross-entropy and accuracy of each epoch, the batch-size-
      weighted mean over that epoch's batches (as Keras reports them).
    - `val_loss`, `val_accuracy`: on the validation samples, with the end-of-epoch weights.
    - `iteration_loss`: the loss of every batch, in order (epochs_run × iterations_per_epoch
      values, plus the finite part of the epoch in which a run diverged).
    - `iterations_per_epoch`: weight updates per epoch; `epochs_planned`: epochs the run was
      set to do (config.epochs, unless capped at MAX_UPDATES weight updates; see `notes`);
      `epochs_run`: epochs completed.
    - `stopped_early` / `stopped_epoch`: early stopping fired after epoch `stopped_epoch`.
    - `best_epoch`: the epoch with the best monitored value (`config.monitor`; with early
      stopping on, by its min_delta rule); `restored_best_weights`: the final weights are
      that epoch's.
    - `diverged`, `diverged_epoch`, `diverged_iteration` (1-based, counted over the whole run),
      `divergence`: the explanation to show.
    - `updates_run`: weight updates that ran, including the whole epoch in which a run diverged
      (`iteration_loss` keeps only its finite part).
    - `penalty`: the L2 penalty included in each epoch's training loss (all 0 without L2).
    - `notes`: anything the learner should know (epochs capped, nothing to train).
    - `weights`: the final flat parameter vector (see `Network.views`), for `decision_grid`.
    - `frame_epochs`, `frame_weights`: the weights after each of up to MAX_FRAMES evenly spaced
      epochs (the last one included), for the Animate replay of the decision boundary.
    Epochs are numbered from 1 here, as Keras prints them ("Epoch 1/20").
    """

    config: SimConfig
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    iteration_loss: list[float] = field(default_factory=list)
    iterations_per_epoch: int = 0
    epochs_planned: int = 0
    epochs_run: int = 0
    stopped_early: bool = False
    stopped_epoch: int | None = None
    best_epoch: int | None = None
    restored_best_weights: bool = False
    diverged: bool = False
    diverged_epoch: int | None = None
    diverged_iteration: int | None = None
    divergence: str | None = None
    updates_run: int = 0
    penalty: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    frame_epochs: list[int] = field(default_factory=list)
    # float32, one row per recorded epoch: 40 × 12,737 weights stay 2 MB (as floats, 16 MB).
    # (Left out of ==: an array has no single truth value; the epochs and `weights` compare.)
    frame_weights: np.ndarray | None = field(default=None, compare=False)

    @property
    def total_iterations(self) -> int:
        """Weight updates that ran (all of them, also in the epoch where a run diverged)."""
        return self.updates_run or len(self.iteration_loss)

    def weights_at(self, epoch: int) -> list[float] | None:
        """The weights after `epoch` as recorded for the replay: the latest recorded epoch not
        after it (None before the first)."""
        best = None
        for row, e in enumerate(self.frame_epochs):
            if e <= epoch and self.frame_weights is not None:
                best = self.frame_weights[row].astype(np.float64).tolist()
        return best

    @property
    def final_val_accuracy(self) -> float | None:
        return self.val_accuracy[-1] if self.val_accuracy else None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the config as its own dict); `from_dict` reads it back."""
        data = asdict(self)
        data["config"] = self.config.model_dump(mode="json")
        frames = self.frame_weights
        data["frame_weights"] = [] if frames is None else frames.astype(np.float64).tolist()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "History":
        data = dict(data)
        data["config"] = SimConfig.model_validate(data["config"])
        frames = data.get("frame_weights")
        data["frame_weights"] = np.asarray(frames, dtype=np.float32) if frames else None
        return cls(**data)


planned_epochs = budget.planned_epochs


class Cancelled(Exception):
    """The run was cancelled (a newer setting replaced it) before it finished."""


def frame_epochs(epochs: int, max_frames: int = MAX_FRAMES) -> list[int]:
    """The epochs a replay shows, evenly spaced, always ending on the last one."""
    if epochs <= 0:
        return []
    step = max(1, math.ceil(epochs / max_frames))
    return list(range(step, epochs, step)) + [epochs]


def divergence_message(config: SimConfig, epoch: int, iteration: int, reason: str) -> str:
    lr = config.learning_rate
    advice = f"Try a learning rate about 10× smaller ({lr / 10:g})"
    if config.optimizer != "adam":
        advice += (", or switch the optimizer to Adam: each Adam step is about the size of the "
                   "learning rate, however steep the loss")
    return (f"Training diverged in epoch {epoch} (iteration {iteration:,}): {reason}. "
            f"The learning rate {lr:g} is too high for this problem: each update overshoots the "
            f"minimum, so the loss grows instead of shrinking. {advice}.")


def simulate(config: SimConfig, progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> History:
    """Train the network described by `config` and return its History.

    Deterministic: the same config (seed included) gives the same History. `progress`, if
    given, is called as progress(epochs_done, epochs_planned) after every epoch (the page uses
    it to show a progress bar on long runs). `cancelled`, if given, is asked every CHECK_EVERY
    weight updates and after every epoch; when it answers True the run stops at once by
    raising `Cancelled`, so a replaced run frees its worker within milliseconds.
    """
    data = make_dataset(config)
    net = Network.for_config(config)
    streams = rngs(config.seed)
    theta = net.init(streams[INIT_STREAM])
    history = History(config=config)
    n = config.n_train
    sizes = training_math.batch_sizes(n, config.batch_size, config.drop_last)
    per_epoch = training_math.iterations_per_epoch(n, config.batch_size, config.drop_last)
    history.iterations_per_epoch = per_epoch
    epochs, cap_note = planned_epochs(config)
    history.epochs_planned = epochs
    if cap_note:
        history.notes.append(cap_note)
    if per_epoch == 0:
        history.notes.append(
            f"Batch size {config.batch_size} is larger than the {n} training samples and the last "
            "partial batch is dropped, so an epoch has no batch at all: nothing is trained.")
        history.epochs_planned = 0
        history.weights = theta.tolist()
        return history
    _train(config, net, data, theta, sizes, epochs, streams[SHUFFLE_STREAM], history, progress, cancelled)
    return history


def _train(config: SimConfig, net: Network, data: Dataset, theta: np.ndarray, sizes: list[int],
           epochs: int, shuffle_rng: np.random.Generator, history: History,
           progress: Callable[[int, int], None] | None, cancelled: Callable[[], bool] | None) -> None:
    n, n_val = config.n_train, len(data.y_val)
    used = sum(sizes)
    # Where each batch starts in the epoch, and where the validation samples start after them.
    bounds = np.cumsum([0] + sizes)
    sizes_arr = np.asarray(sizes, dtype=float)
    dtype = net.dtype
    outputs = net.sizes[-1]

    # Each epoch's shuffled inputs, twice: sample by sample (n × 3, the first layer's gradient
    # reads batches from it) and as one contiguous inputs × batch block per batch (the forward
    # pass reads those). Contiguous operands make NumPy's small products ~30% faster.
    x_rows_all = np.ascontiguousarray(augment_t(data.x_train, dtype).T)
    x_rows = np.empty_like(x_rows_all)
    x_blocks = [np.empty((x_rows_all.shape[1], s), dtype=dtype) for s in sizes]
    full = sizes[0]  # every batch but possibly the last
    n_full = sum(1 for s in sizes if s == full)
    # The full batches' blocks live in one array, so one copy per epoch fills them all.
    full_blocks = np.empty((n_full, x_rows_all.shape[1], full), dtype=dtype)
    x_blocks[:n_full] = list(full_blocks)
    rows_as_blocks = x_rows[:n_full * full].reshape(n_full, full, -1).transpose(0, 2, 1)
    # One logits buffer and one label buffer for the whole epoch: the batches' rows in the
    # order they were trained, then the validation samples. A single pass over it gives every
    # iteration's loss, the epoch's loss and accuracy, and the validation loss and accuracy.
    logits = np.empty((used + n_val, outputs), dtype=dtype)
    labels = np.empty(used + n_val, dtype=np.int64)
    labels[used:] = data.y_val
    # The output gradient's per-sample part (see Network.train_plan).
    target = net.targets(data.y_train)
    target_shuf = np.empty_like(target)

    # The L2 penalty of each batch at the weights before its update (Keras adds it to the loss).
    penalties = np.zeros(len(sizes), dtype=dtype)
    opt = make_optimizer(config.optimizer, net.n_params, config.learning_rate, config.momentum, dtype,
                         grad_scale=net.grad_scale(full))
    workspaces = {s: net.workspace(s) for s in set(sizes)}
    # One compiled plan per batch, over views of the epoch buffers: they stay valid all run.
    plans = [net.train_plan(theta, opt.grad, block, target_shuf[a:a + s], logits[a:a + s], workspaces[s],
                            config.l2, full_batch=full, x_rows=x_rows[a:a + s], penalty=penalties[i:i + 1])
             for i, (a, s, block) in enumerate(zip(bounds[:-1].tolist(), sizes, x_blocks))]
    # The batches in groups of CHECK_EVERY: a cancelled run is noticed between two groups.
    groups = [plans[i:i + CHECK_EVERY] for i in range(0, len(plans), CHECK_EVERY)]
    weight_mask = net.weight_mask.astype(np.float64)
    # κ·l2·Σw² comes out of the plan (see Network.train_plan): this brings it to l2/2·Σw².
    penalty_scale = 0.5 / net.grad_scale(full)
    frames = frame_epochs(epochs)
    history.frame_weights = np.empty((len(frames), net.n_params), dtype=np.float32)
    frames = set(frames)
    last_rows = x_rows[n_full * full:used].T if len(sizes) > n_full else None
    step = opt.step
    val_plan = net.forward_plan(theta, augment_t(data.x_val, dtype), logits[used:], net.workspace(n_val))

    stopper = None
    if config.early_stopping:
        stopper = EarlyStopping(config.monitor, config.min_delta, config.patience,
                                config.baseline, config.restore_best_weights)

    for epoch in range(epochs):
        order = shuffle_rng.permutation(n)
        np.take(x_rows_all, order, axis=0, out=x_rows)
        np.copyto(full_blocks, rows_as_blocks)
        if last_rows is not None:
            np.copyto(x_blocks[-1], last_rows)
        np.take(data.y_train, order[:used], out=labels[:used])
        np.take(target, order, axis=0, out=target_shuf)
        with np.errstate(all="ignore"):  # overflow is detected below, after the epoch
            for group in groups:
                if cancelled is not None and cancelled():
                    raise Cancelled()
                for plan in group:
                    for f, args in plan:
                        f(*args)
                    step(theta)
            run(val_plan)
            # Measured in float64 so that sums over an epoch lose nothing.
            all_logits = logits.astype(np.float64)
            sums = np.add.reduceat(net.per_sample_loss(all_logits, labels), bounds)
            correct = np.add.reduceat(net.predict(all_logits) == labels, bounds, dtype=np.int64)
            largest = float(np.max(np.abs(theta)))  # NaN if any weight is NaN
            batch_penalty = penalties.astype(np.float64) * penalty_scale
            batch_loss = sums[:-1] / sizes_arr + batch_penalty
            end_penalty = 0.5 * config.l2 * float(np.dot(theta * weight_mask, theta)) if config.l2 else 0.0
            val_loss = float(sums[-1] / n_val) + end_penalty
        finite = np.isfinite(batch_loss)
        history.updates_run += len(sizes)
        if not (finite.all() and largest <= WEIGHT_LIMIT and math.isfinite(val_loss)):
            _record_divergence(config, history, epoch, batch_loss, finite, largest)
            break
        history.iteration_loss.extend(batch_loss.tolist())
        mean_penalty = float(np.dot(batch_penalty, sizes_arr) / used)
        history.penalty.append(mean_penalty)
        history.loss.append(float(sums[:-1].sum() / used) + mean_penalty)
        history.accuracy.append(float(correct[:-1].sum() / used))
        history.val_loss.append(val_loss)
        history.val_accuracy.append(float(correct[-1] / n_val))
        history.epochs_run = epoch + 1
        if epoch + 1 in frames:
            history.frame_epochs.append(epoch + 1)
            history.frame_weights[len(history.frame_epochs) - 1] = theta
        if progress is not None:
            progress(epoch + 1, epochs)
        if cancelled is not None and cancelled():
            raise Cancelled()
        if stopper is not None:
            value = val_loss if config.monitor == "val_loss" else history.val_accuracy[-1]
            if stopper.on_epoch_end(epoch, value, theta):
                history.stopped_early = True
                history.stopped_epoch = epoch + 1
                break

    if stopper is not None:
        if history.epochs_run:
            history.best_epoch = stopper.best_epoch + 1
        if stopper.restore_best_weights and stopper.best_weights is not None:
            theta[:] = stopper.best_weights
            history.restored_best_weights = True
    elif history.epochs_run:
        series = history.val_loss if config.monitor == "val_loss" else history.val_accuracy
        pick = np.argmin if config.monitor == "val_loss" else np.argmax
        history.best_epoch = int(pick(series)) + 1
    history.frame_weights = history.frame_weights[:len(history.frame_epochs)]
    if history.diverged and not history.restored_best_weights:
        history.weights = []  # the last weights are not finite or meaningless; nothing to plot
    else:
        history.weights = theta.astype(np.float64).tolist()


def _record_divergence(config: SimConfig, history: History, epoch: int, batch_loss: np.ndarray,
                       finite: np.ndarray, largest: float) -> None:
    before = epoch * history.iterations_per_epoch
    if not finite.all():
        first_bad = int(np.argmin(finite))
        history.iteration_loss.extend(batch_loss[:first_bad].tolist())
        iteration = before + first_bad + 1
        reason = "the loss stopped being a finite number (it overflowed)"
    else:
        history.iteration_loss.extend(batch_loss.tolist())
        iteration = before + len(batch_loss)
        if math.isfinite(largest):
            reason = f"the weights exploded (the largest reached {largest:.3g})"
        else:
            reason = "the weights overflowed"
    history.diverged = True
    history.diverged_epoch = epoch + 1
    history.diverged_iteration = iteration
    history.divergence = divergence_message(config, epoch + 1, iteration, reason)
