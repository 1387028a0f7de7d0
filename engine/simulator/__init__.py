"""The training simulator: a small NumPy network trained on a toy 2-D dataset.

Public API (the page, teacher exercises and external checks use it):

    from engine.simulator import SimConfig, simulate
    history = simulate(SimConfig(batch_size=8, epochs=30))
    history.val_accuracy[-1], history.iterations_per_epoch, history.to_dict()

- `SimConfig`: every setting, validated (pydantic); `to_query_params` / `from_query_params`
  carry it through a URL, clamping hand-edited values with notes.
- `simulate(config) -> History`: deterministic for a given config (seed included).
- `History`: per-epoch loss/accuracy/val_loss/val_accuracy, iteration_loss, counts,
  early-stopping and divergence facts, final weights; `to_dict()` / `from_dict()`.
- `decision_grid(history)`: the trained network evaluated on a grid (decision boundary).
- `PRESETS`: named runs that each show one point of the lesson.
- `engine.simulator.pool.RunPool`: runs in worker processes with a shared cache, cancellation
  and progress (the page uses it; `simulate` itself stays a plain in-process call).
- `engine.simulator.budget`: the work a run costs and the epochs that fit in one run.
"""
from .boundary import Grid, decision_grid
from .config import SimConfig
from .early_stopping import EarlyStopping
from .presets import PRESETS, Preset
from .readout import (best_epoch_help, describe_differences, early_stop_text, facts_line, instability_note,
                      iterations_readout, loss_caption, readout_details, run_readout)
from .train import MAX_UPDATES, History, simulate

__all__ = ["SimConfig", "simulate", "History", "decision_grid", "Grid", "PRESETS", "Preset",
           "EarlyStopping", "iterations_readout", "readout_details", "describe_differences",
           "run_readout", "early_stop_text", "best_epoch_help", "instability_note",
           "MAX_UPDATES", "facts_line", "loss_caption"]
