"""How much arithmetic a run costs, and how many epochs fit in one run's budget.

A cap on weight updates alone let the costly runs through: batch 2000 on a 4 × 64 network
does few updates but pushes every sample through 12,737 weights each time, and a 4 × 64
network at batch 1 costs five times what a 16 × 16 one does per update. So a run is measured in
*work units*, one unit being about one multiply-add of one sample with one weight:

- each weight update costs batch × parameters × `SAMPLE_UNITS` (the forward pass and the two
  products of the backward pass; BLAS does about two of them per unit of time), plus the optimizer's step over every parameter (`STEP_UNITS_PER_PARAM`
  elementwise operations each), plus a fixed cost per update and per layer: at small batches
  most of the time is NumPy's per-call overhead, not arithmetic;
- each epoch adds its evaluation pass (the validation samples through the network), the
  shuffle and the per-epoch bookkeeping.

The constants are fitted to timings on the project's 2-core machine (one thread, subnormals
flushed; see `bench/bench_simulator.py --budget`, which prints the prediction next to the
measured CPU time for the costliest configurations). `WORK_BUDGET` keeps every configuration,
valid or clamped from a link, near 2 s of CPU there, under the ~3 s the page promises.
"""
from __future__ import annotations

from engine import training_math

from .config import SimConfig

# One unit ≈ 0.1 ns of CPU on the project's machine (float32 products through OpenBLAS).
NS_PER_UNIT = 0.1
UPDATE_UNITS = 90_000          # fixed NumPy call overhead of one update (≈ 9 µs)
LAYER_UNITS = 15_000           # … and per layer of the network (≈ 1.5 µs)
STEP_UNITS_PER_PARAM = 35      # the optimizer's elementwise passes over the parameters
SAMPLE_UNITS = 1.5             # per sample and parameter of a batch (three products)
EPOCH_UNITS = 1_000_000        # shuffle, copies and the epoch's loss and accuracy (≈ 100 µs)
SAMPLE_EPOCH_UNITS = 20        # … per training and validation sample
WORK_BUDGET = 20_000_000_000   # ≈ 2 s of CPU per run
# However cheap each update, a run keeps at most this many (the per-iteration chart and the
# stored result grow with it).
MAX_UPDATES = 100_000


def n_params(config: SimConfig) -> int:
    """Weights and biases of the network the config describes."""
    outputs = 1 if config.output == "sigmoid" else config.classes
    sizes = [2, *config.hidden_layers, outputs]
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def epoch_work(config: SimConfig) -> int:
    """Work units of one epoch of this configuration (the evaluation pass: one forward product)."""
    params = n_params(config)
    layers = len(config.hidden_layers) + 1
    sizes = training_math.batch_sizes(config.n_train, config.batch_size, config.drop_last)
    per_update = UPDATE_UNITS + LAYER_UNITS * layers + STEP_UNITS_PER_PARAM * params
    samples = sum(sizes)
    return int(len(sizes) * per_update + SAMPLE_UNITS * samples * params + config.n_val * params / 2
               + EPOCH_UNITS + SAMPLE_EPOCH_UNITS * (config.n_train + config.n_val))


def run_work(config: SimConfig, epochs: int | None = None) -> int:
    """Work units of `epochs` epochs (default: all the config asks for)."""
    return epoch_work(config) * (config.epochs if epochs is None else epochs)


def seconds(work: int) -> float:
    """The CPU seconds `work` units take on the project's machine (an estimate)."""
    return work * NS_PER_UNIT / 1e9


def cap(config: SimConfig) -> tuple[int, str | None]:
    """Epochs that will run, and what limited them: None, "updates" or "work"."""
    per_epoch = training_math.iterations_per_epoch(config.n_train, config.batch_size, config.drop_last)
    if per_epoch == 0:
        return config.epochs, None
    by_work = max(1, WORK_BUDGET // epoch_work(config))
    by_updates = max(1, MAX_UPDATES // per_epoch)
    epochs = min(config.epochs, by_work, by_updates)
    if epochs == config.epochs:
        return epochs, None
    return epochs, "updates" if by_updates <= by_work else "work"


def cap_reason(config: SimConfig) -> str | None:
    """A few words for the headline when the run was shortened ("capped at 100,000 updates")."""
    limit = cap(config)[1]
    if limit == "updates":
        return f"capped at {MAX_UPDATES:,} updates"
    if limit == "work":
        return "capped by the work budget"
    return None


def planned_epochs(config: SimConfig) -> tuple[int, str | None]:
    """Epochs that will run, and a note in the page's words when the budget shortened the run."""
    epochs, limit = cap(config)
    if limit is None:
        return epochs, None
    per_epoch = training_math.iterations_per_epoch(config.n_train, config.batch_size, config.drop_last)
    updates = config.epochs * per_epoch
    if limit == "updates":
        return epochs, (
            f"{config.epochs} epochs × {per_epoch:,} iterations would be {updates:,} weight updates; "
            f"this simulator stops at {MAX_UPDATES:,}, so only {epochs} epochs run. "
            "A bigger batch needs fewer updates per epoch.")
    work = run_work(config)
    return epochs, (
        f"{config.epochs} epochs of this run would be about {_millions(work)} calculations "
        f"({updates:,} weight updates, each one passing the batch through {n_params(config):,} weights "
        f"and back, about {seconds(work):.0f} s); this simulator stops each run at "
        f"{_millions(WORK_BUDGET)} (about {seconds(WORK_BUDGET):.0f} s), so only {epochs} epochs run. "
        "A bigger batch needs fewer updates per epoch; a smaller network fewer calculations per update.")


def _millions(units: int) -> str:
    if units >= 1e9:
        return f"{units / 1e9:,.0f} billion"
    return f"{units / 1e6:,.0f} million"
