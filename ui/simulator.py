"""Streamlit glue for the simulator page: settings ↔ widgets ↔ URL, cached runs, drawing.

Every widget is keyed `sim_<SimConfig field>`; `ss.sim_config` is the last complete
configuration, so a setting whose widget is hidden (momentum when the optimizer is Adam) or
was cleared by a page switch keeps its value.
"""
from __future__ import annotations

import math
import time

import streamlit as st
from pydantic import ValidationError

from engine import training_math
from engine.simulator import PRESETS, History, Preset, SimConfig, describe_differences, simulate
from engine.simulator import charts
from engine.simulator.config import (ACTIVATIONS, DATASETS, MAX_UNITS, MULTICLASS_DATASETS, OPTIMIZERS,
                                     allowed_range)
from engine.simulator.train import planned_epochs
from ui.text import md_escape

ss = st.session_state

SIMPLE_FIELDS = ["dataset", "n_samples", "noise", "label_noise", "n_classes", "val_fraction", "seed",
                 "activation", "output", "optimizer", "learning_rate", "momentum", "batch_size", "epochs",
                 "l2", "drop_last", "early_stopping", "monitor", "min_delta", "patience",
                 "restore_best_weights", "baseline"]
LEARNING_RATES = [1e-5, 3e-5, 1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
L2_STEPS = [0.0, 1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]
MAX_KEPT = 4
# Number boxes accept anything typed; a value outside these ranges is clamped with a note
# (a box that only turned red said nothing about what is allowed).
NUMBER_BOXES = {"sim_n_samples": ("Samples", "n_samples"), "sim_seed": ("Seed", "seed"),
                "sim_batch_size": ("Batch size", "batch_size"), "sim_epochs": ("Epochs", "epochs"),
                "sim_patience": ("Patience", "patience"), "sim_min_delta": ("min_delta", "min_delta"),
                "sim_baseline": ("Baseline", "baseline")}
UNITS_RANGE = (1, MAX_UNITS)
# Runs longer than this show a progress bar (about a second of training here).
LONG_RUN = 25_000
DATASET_NAMES = {"moons": "Two moons", "circles": "Circles", "spiral": "Spiral", "blobs": "Gaussian blobs",
                 "xor": "XOR"}
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD with momentum", "adam": "Adam"}


def plain(text: str) -> str:
    """Text for a Markdown element (st.warning, …) shown exactly as typed: a hand-edited link
    can carry [links](…), **markup**, $maths$ or a bare web address, which must not render."""
    return md_escape(text)


# -- state ---------------------------------------------------------------------------------

def write_widgets(config: SimConfig) -> None:
    for name in SIMPLE_FIELDS:
        ss[f"sim_{name}"] = getattr(config, name)
    ss.sim_layers = len(config.hidden_layers)
    for i in range(4):
        ss[f"sim_units_{i}"] = config.hidden_layers[i] if i < len(config.hidden_layers) else 16


def init_state() -> None:
    """The URL decides on the first visit in this session, and whenever it carries settings
    this page did not write itself (a link followed inside the app): clamped, with notes.
    Otherwise the widgets decide; widget keys Streamlit dropped are restored from the last
    configuration."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k in SimConfig.model_fields}
    if "sim_config" not in ss or (params and params != ss.get("sim_synced_params")):
        config, notes = SimConfig.from_query_params(params)
        ss.sim_config = config
        ss.sim_url_notes = notes
        ss.sim_kept = ss.get("sim_kept", [])
        ss.sim_preset = None
        write_widgets(config)
        # A preset's link brings back its lesson box and comparison run, as long as the link's
        # settings are still that preset's.
        slug = str(st.query_params.get("preset", ""))
        preset = next((p for p in PRESETS.values() if p.slug == slug), None)
        if preset is not None and preset.config == config:
            ss.sim_preset = preset.name
            ss.sim_kept = list(preset.compare)
            ss.sim_iter_axis = "epoch" if preset.compare else "iteration"
    config: SimConfig = ss.sim_config
    for name in SIMPLE_FIELDS:
        ss.setdefault(f"sim_{name}", getattr(config, name))
    ss.setdefault("sim_layers", len(config.hidden_layers))
    for i in range(4):
        ss.setdefault(f"sim_units_{i}", config.hidden_layers[i] if i < len(config.hidden_layers) else 16)
    ss.setdefault("sim_smoothing", 0.6)
    ss.setdefault("sim_iter_axis", "iteration")
    ss.setdefault("sim_input_notes", [])
    for name in ("monitor", "output", "n_classes"):
        if ss.get(f"sim_{name}") is None:  # a segmented control clicked off: keep the last choice
            ss[f"sim_{name}"] = getattr(config, name)


def config_from_widgets() -> SimConfig:
    values = {name: ss[f"sim_{name}"] for name in SIMPLE_FIELDS}
    values["hidden_layers"] = tuple(int(ss[f"sim_units_{i}"]) for i in range(int(ss.sim_layers)))
    if values["dataset"] in MULTICLASS_DATASETS and values["n_classes"] > 2:
        values["output"] = "softmax"
    return SimConfig(**values)


def sync_url(config: SimConfig) -> None:
    """Keep the link in the address bar equal to the run on screen."""
    wanted = config.to_query_params()
    current = st.query_params.to_dict()
    if any(current.get(k) != v for k, v in wanted.items()):
        st.query_params.update(wanted)
    if "baseline" in current and config.baseline is None:
        del st.query_params["baseline"]
    preset = preset_for(config)
    if preset is not None:
        if current.get("preset") != preset.slug:
            st.query_params["preset"] = preset.slug
    elif "preset" in current:
        del st.query_params["preset"]
    ss.sim_synced_params = wanted


def _number(value: float) -> str:
    return f"{value:,}" if float(value).is_integer() else f"{value:g}"


def allowed(key: str) -> tuple[float, float]:
    """The range a number box accepts (from SimConfig's own limits)."""
    if key.startswith("sim_units_"):
        return UNITS_RANGE
    return allowed_range(NUMBER_BOXES[key][1])


def range_help(key: str) -> str:
    lo, hi = allowed(key)
    return f"From {_number(lo)} to {_number(hi)}."


def settings_changed() -> None:
    """Runs before the page after any setting changes: drops old notes and brings every
    number box back into its range, saying what was changed."""
    ss.sim_url_notes = []
    notes = []
    keys = list(NUMBER_BOXES) + [f"sim_units_{i}" for i in range(4)]
    for key in keys:
        value = ss.get(key)
        if value is None:
            continue
        lo, hi = allowed(key)
        label = NUMBER_BOXES[key][0] if key in NUMBER_BOXES else f"Units in layer {int(key[-1]) + 1}"
        fixed = min(max(value, lo), hi)
        if fixed != value:
            side = "below the smallest" if value < lo else "above the largest"
            ss[key] = type(value)(fixed)
            notes.append(f"{label}: {_number(value)} is {side} allowed value; using {_number(fixed)} "
                         f"(allowed: {_number(lo)} to {_number(hi)}).")
    ss.sim_input_notes = notes


def preset_for(config: SimConfig) -> "Preset | None":
    """The preset chosen last, while the settings are still exactly that preset's."""
    preset = PRESETS.get(ss.get("sim_preset") or "")
    return preset if preset is not None and preset.config == config else None


def apply_preset(name: str) -> None:
    preset = PRESETS[name]
    write_widgets(preset.config)
    ss.sim_kept = list(preset.compare)
    ss.sim_preset = name
    ss.sim_url_notes = []
    ss.sim_input_notes = []
    ss.sim_iter_axis = "epoch" if preset.compare else "iteration"


def keep_run() -> None:
    config = ss.sim_config
    kept = [c for c in ss.sim_kept if c != config] + [config]
    ss.sim_kept = kept[-MAX_KEPT:]
    # Compared runs may have different batch sizes: epochs line them up.
    ss.sim_iter_axis = "epoch"


def clear_kept() -> None:
    ss.sim_kept = []
    ss.sim_iter_axis = "iteration"


def start_animation() -> None:
    ss.sim_animate = True


# -- runs ----------------------------------------------------------------------------------

@st.cache_data(max_entries=32, show_spinner=False)
def _cached_run(config_json: str, _finished: History | None = None) -> History:
    # `_finished` (not part of the cache key) lets a long run that was trained with a progress
    # bar be stored under its config, so coming back to it is instant.
    return _finished if _finished is not None else simulate(SimConfig.model_validate_json(config_json))


def run(config: SimConfig, show_progress: bool = True) -> History:
    """The run for `config`, from the cache when it was trained before."""
    key = config.model_dump_json()
    per_epoch = training_math.iterations_per_epoch(config.n_train, config.batch_size, config.drop_last)
    epochs, _ = planned_epochs(config)
    long_runs = ss.setdefault("sim_long_runs", set())
    if show_progress and per_epoch * epochs > LONG_RUN and key not in long_runs:
        bar = st.progress(0.0, text=f"Training: {per_epoch * epochs:,} weight updates…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"Training: epoch {done}/{total} · "
                                            f"iteration {done * per_epoch:,}/{total * per_epoch:,}")

        finished = simulate(config, progress=progress)
        bar.empty()
        long_runs.add(key)
        return _cached_run(key, finished)
    return _cached_run(key)


# -- drawing -------------------------------------------------------------------------------

def draw(target, figure: charts.Figure | None) -> None:
    if figure is not None:
        target.vega_lite_chart(spec=figure.spec(), width="stretch")


def labelled_runs(config: SimConfig, history: History) -> list[tuple[str, History]]:
    kept = [c for c in ss.sim_kept if c != config]
    if not kept:
        return [("this run", history)]
    labels = describe_differences([config, *kept])
    runs = [(f"{labels[0]} (this run)", history)]
    runs += [(label, run(c, show_progress=False)) for label, c in zip(labels[1:], kept)]
    return runs


def readout_line(history: History, epoch: int) -> str:
    k = history.iterations_per_epoch
    return (f"epoch {epoch}/{history.epochs_run} · iteration {epoch * k:,}/{history.epochs_run * k:,} "
            f"({k:,} per epoch)")


ANIMATION_SECONDS = 3.0


def animate_frames(epochs: int, max_frames: int = 40) -> list[int]:
    """The epochs to show, evenly spaced, always ending on the last one."""
    step = max(1, math.ceil(epochs / max_frames))
    return list(range(step, epochs, step)) + [epochs]


def animate(runs: list[tuple[str, History]], smoothing: float, holders: dict, x_axis: str = "iteration") -> None:
    """Replay the finished run epoch by epoch in about ANIMATION_SECONDS: at most 40 frames, and
    frames are skipped when drawing them is slow (a 100,000-update run redraws big charts)."""
    history = runs[0][1]
    epochs = history.epochs_run
    frames = animate_frames(epochs)
    pause = min(0.25, ANIMATION_SECONDS / len(frames))
    start, shown, i = time.monotonic(), 0, 0
    while i < len(frames):
        epoch = frames[i]
        holders["status"].markdown(f"▶ {readout_line(history, epoch)}")
        draw(holders["loss"], charts.metric_chart(runs, "loss", upto=epoch))
        draw(holders["accuracy"], charts.metric_chart(runs, "accuracy", upto=epoch))
        draw(holders["iterations"], charts.iteration_chart(runs, smoothing, upto=epoch * history.iterations_per_epoch,
                                                           x_axis=x_axis))
        shown += 1
        elapsed = time.monotonic() - start
        per_frame = elapsed / shown
        left = len(frames) - 1 - i
        budget = ANIMATION_SECONDS - elapsed
        if left and per_frame * left > budget:
            # Drawing alone would overrun: keep every k-th remaining frame, and the last one.
            i = min(len(frames) - 1, i + math.ceil(per_frame * left / max(budget, per_frame)))
        else:
            time.sleep(pause)
            i += 1
    holders["status"].markdown(f"✓ {readout_line(history, epochs)}")


# -- controls ------------------------------------------------------------------------------

def controls() -> None:
    data, network, training, stopping = st.columns(4)
    with data.container(border=True):
        st.markdown("**Dataset**")
        st.selectbox("Dataset", DATASETS, key="sim_dataset", format_func=DATASET_NAMES.get, on_change=settings_changed)
        if ss.sim_dataset in MULTICLASS_DATASETS:
            st.segmented_control("Classes", [2, 3], key="sim_n_classes", on_change=settings_changed)
        st.number_input("Samples (before the split)", step=50, key="sim_n_samples", on_change=settings_changed,
                        help=range_help("sim_n_samples"))
        st.slider("Input noise", 0.0, 1.0, step=0.05, key="sim_noise", on_change=settings_changed)
        st.slider("Label noise (share of wrong labels)", 0.0, 0.5, step=0.05, key="sim_label_noise",
                  on_change=settings_changed)
        st.slider("Validation share", 0.1, 0.5, step=0.05, key="sim_val_fraction", on_change=settings_changed)
        st.number_input("Seed", step=1, key="sim_seed", on_change=settings_changed, help=range_help("sim_seed"))
    with network.container(border=True):
        st.markdown("**Network**")
        st.slider("Hidden layers", 0, 4, key="sim_layers", on_change=settings_changed)
        if ss.sim_layers:
            cols = st.columns(int(ss.sim_layers))
            for i, col in enumerate(cols):
                col.number_input(f"Units {i + 1}", step=1, key=f"sim_units_{i}", on_change=settings_changed,
                                 help=range_help(f"sim_units_{i}"))
        st.selectbox("Activation", ACTIVATIONS, key="sim_activation", on_change=settings_changed)
        three = ss.sim_dataset in MULTICLASS_DATASETS and ss.sim_n_classes == 3
        if three:
            ss.sim_output = "softmax"
        st.segmented_control("Output", ["sigmoid", "softmax"], key="sim_output", disabled=three,
                             help="Sigmoid: one unit, two classes. Softmax: one unit per class. "
                                  "Both are trained with cross-entropy.", on_change=settings_changed)
    with training.container(border=True):
        st.markdown("**Training**")
        st.selectbox("Optimizer", OPTIMIZERS, key="sim_optimizer", format_func=OPTIMIZER_NAMES.get,
                     on_change=settings_changed)
        st.select_slider("Learning rate", sorted(set(LEARNING_RATES + [ss.sim_learning_rate])), key="sim_learning_rate",
                         format_func=lambda v: f"{v:g}", on_change=settings_changed)
        if ss.sim_optimizer == "momentum":
            st.slider("Momentum", 0.0, 0.99, step=0.01, key="sim_momentum", on_change=settings_changed)
        st.number_input("Batch size", step=1, key="sim_batch_size", on_change=settings_changed,
                        help=range_help("sim_batch_size"))
        st.number_input("Epochs", step=1, key="sim_epochs", on_change=settings_changed, help=range_help("sim_epochs"))
        st.select_slider("L2 weight decay", sorted(set(L2_STEPS + [ss.sim_l2])), key="sim_l2",
                         format_func=lambda v: f"{v:g}", on_change=settings_changed)
        st.toggle("Drop the last, smaller batch (drop_last)", key="sim_drop_last", on_change=settings_changed)
    with stopping.container(border=True):
        st.markdown("**Early stopping**")
        st.toggle("Stop early", key="sim_early_stopping", on_change=settings_changed,
                  help="Keras's EarlyStopping: stop when the monitored value has not improved for "
                       "`patience` epochs.")
        on = ss.sim_early_stopping
        st.segmented_control("Monitor", ["val_loss", "val_accuracy"], key="sim_monitor", disabled=not on,
                             on_change=settings_changed)
        st.number_input("Patience (epochs)", step=1, key="sim_patience", disabled=not on,
                        on_change=settings_changed, help=range_help("sim_patience"))
        st.number_input("min_delta", step=0.001, format="%.4f", key="sim_min_delta", disabled=not on,
                        on_change=settings_changed, help=range_help("sim_min_delta"))
        st.number_input("Baseline (optional)", step=0.01, key="sim_baseline", disabled=not on,
                        placeholder="none", on_change=settings_changed,
                        help=range_help("sim_baseline") + " Empty: no baseline.")
        st.toggle("Restore the best weights", key="sim_restore_best_weights", disabled=not on,
                  on_change=settings_changed)


def current_config() -> SimConfig | None:
    """The configuration the widgets describe, or None (with a message) if it is not valid."""
    try:
        return config_from_widgets()
    except ValidationError as error:
        st.error("These settings cannot be trained: " + "; ".join(e["msg"] for e in error.errors()))
        return None
