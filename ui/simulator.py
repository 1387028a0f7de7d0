"""Streamlit glue for the simulator page: settings ↔ widgets ↔ URL, and the buttons' actions.

Every widget is keyed `sim_<SimConfig field>`; `ss.sim_config` is the last complete
configuration, so a setting whose widget is hidden (momentum when the optimizer is Adam, the
settings inside the closed "More settings" panel) or was cleared by a page switch keeps its
value. The controls are drawn by ui/simulator_controls.py, runs and charts by
ui/simulator_runs.py and ui/simulator_results.py.
"""
from __future__ import annotations

import math

import streamlit as st
from pydantic import ValidationError

from engine.simulator import PRESETS, Preset, SimConfig, describe_differences
from engine.simulator.config import MAX_UNITS, MULTICLASS_DATASETS, allowed_range
from ui.text import md_escape

ss = st.session_state

SIMPLE_FIELDS = ["dataset", "n_samples", "noise", "label_noise", "n_classes", "val_fraction", "seed",
                 "activation", "output", "optimizer", "learning_rate", "momentum", "batch_size", "epochs",
                 "l2", "drop_last", "early_stopping", "monitor", "min_delta", "patience",
                 "restore_best_weights", "baseline"]
LEARNING_RATES = [1e-5, 3e-5, 1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
L2_STEPS = [0.0, 1e-4, 3e-4, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]
MAX_KEPT = 4
# The chart settings a session starts with (a new run's charts with these come ready from the
# worker that trained it: ui/simulator_runs.py).
DEFAULT_SMOOTHING = 0.6
DEFAULT_X_AXIS = "iteration"
# Number boxes accept anything typed; a value outside these ranges is clamped with a note
# (a box that only turned red said nothing about what is allowed).
NUMBER_BOXES = {"sim_n_samples": ("Samples", "n_samples"), "sim_seed": ("Seed", "seed"),
                "sim_batch_size": ("Batch size", "batch_size"), "sim_epochs": ("Epochs", "epochs"),
                "sim_patience": ("Patience", "patience"), "sim_min_delta": ("min_delta", "min_delta"),
                "sim_baseline": ("Baseline", "baseline")}
UNITS_RANGE = (1, MAX_UNITS)
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
        slug = str(st.query_params.get("preset", "")).strip()
        preset = next((p for p in PRESETS.values() if p.slug == slug.lower()), None)
        if slug and preset is None:
            shown = slug if len(slug) <= 40 else f"{slug[:40]}… ({len(slug):,} characters)"
            ss.sim_url_notes = notes + [
                f"preset: {shown!r} is not one of this simulator's presets "
                f"({', '.join(p.slug for p in PRESETS.values())}); showing the link's own settings."]
        elif preset is not None and preset.config == config:
            ss.sim_preset = preset.name
            ss.sim_kept = list(preset.compare)
            ss.sim_iter_axis = "epoch" if preset.compare else "iteration"
        elif preset is not None:
            ss.sim_url_notes = notes + [
                f"preset: the link's settings are not the {preset.name} preset's any more, so its "
                "explanation is not shown; choose the preset to see it."]
        ss.sim_preset_pick = ss.sim_preset
    config: SimConfig = ss.sim_config
    for name in SIMPLE_FIELDS:
        ss.setdefault(f"sim_{name}", getattr(config, name))
    ss.setdefault("sim_layers", len(config.hidden_layers))
    for i in range(4):
        ss.setdefault(f"sim_units_{i}", config.hidden_layers[i] if i < len(config.hidden_layers) else 16)
    ss.setdefault("sim_smoothing", DEFAULT_SMOOTHING)
    ss.setdefault("sim_iter_axis", DEFAULT_X_AXIS)
    ss.setdefault("sim_input_notes", [])
    ss.setdefault("sim_preset_pick", None)
    ss.setdefault("sim_dropped", None)
    for name in ("monitor", "output", "n_classes"):
        if ss.get(f"sim_{name}") is None:  # a segmented control clicked off: keep the last choice
            ss[f"sim_{name}"] = getattr(config, name)


SETTING_KEYS = [f"sim_{name}" for name in SIMPLE_FIELDS] + ["sim_layers"] + [f"sim_units_{i}" for i in range(4)]


def keep_hidden_settings() -> None:
    """Call at the start of every run of the settings. A widget not drawn in a run (the closed
    "More settings" panel, momentum under Adam) loses its state when the run ends, and an
    older value once written to its key would then come back in place of the student's.
    Writing each setting's current value to its key first keeps the newest one (Streamlit's
    documented way to keep a widget's value while it is not shown)."""
    for key in SETTING_KEYS:
        if key in ss:
            ss[key] = ss[key]


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
    ss.sim_dropped = None
    notes = []
    keys = list(NUMBER_BOXES) + [f"sim_units_{i}" for i in range(4)]
    for key in keys:
        value = ss.get(key)
        if value is None:
            continue
        lo, hi = allowed(key)
        label = NUMBER_BOXES[key][0] if key in NUMBER_BOXES else f"Units in layer {int(key[-1]) + 1}"
        if not math.isfinite(value):  # NaN or ±infinity from a box: the nearest end of the range
            fixed = hi if value > 0 else lo
            ss[key] = type(value)(fixed)
            notes.append(f"{label}: {value} is not a number this setting can use; using {_number(fixed)} "
                         f"(allowed: {_number(lo)} to {_number(hi)}).")
            continue
        fixed = min(max(value, lo), hi) + 0  # + 0 turns -0.0 into 0.0
        if fixed != value:
            side = "below the smallest" if value < lo else "above the largest"
            notes.append(f"{label}: {_number(value)} is {side} allowed value; using {_number(fixed)} "
                         f"(allowed: {_number(lo)} to {_number(hi)}).")
        if fixed != value or math.copysign(1, value) != math.copysign(1, fixed):
            ss[key] = type(value)(fixed)
    ss.sim_input_notes = notes
    if preset_for(config_or_none()) is None:
        ss.sim_preset_pick = None


def preset_for(config: SimConfig) -> "Preset | None":
    """The preset chosen last, while the settings are still exactly that preset's."""
    preset = PRESETS.get(ss.get("sim_preset") or "")
    return preset if preset is not None and preset.config == config else None


def config_or_none() -> SimConfig | None:
    try:
        return config_from_widgets()
    except (ValidationError, ValueError, TypeError):
        return None


def pick_preset() -> None:
    """The preset box changed: load that preset (clearing it keeps the current settings)."""
    if ss.get("sim_preset_pick") in PRESETS:
        apply_preset(ss.sim_preset_pick)
    else:  # cleared: the settings stay, the preset's explanation goes
        ss.sim_preset = None


def apply_preset(name: str) -> None:
    preset = PRESETS[name]
    ss.sim_preset_pick = name
    ss.sim_dropped = None
    write_widgets(preset.config)
    ss.sim_kept = list(preset.compare)
    ss.sim_preset = name
    ss.sim_url_notes = []
    ss.sim_input_notes = []
    ss.sim_iter_axis = "epoch" if preset.compare else "iteration"


def keep_run() -> None:
    """Keep the run on screen for comparison; beyond MAX_KEPT the oldest kept run is dropped,
    and the page says which (`ss.sim_dropped`)."""
    config = ss.sim_config
    kept = [c for c in ss.sim_kept if c != config] + [config]
    ss.sim_dropped = None
    if len(kept) > MAX_KEPT:
        labels = describe_differences(kept)
        ss.sim_dropped = labels[0]
    ss.sim_kept = kept[-MAX_KEPT:]
    # Compared runs may have different batch sizes: epochs line them up.
    ss.sim_iter_axis = "epoch"


def clear_kept() -> None:
    ss.sim_kept = []
    ss.sim_dropped = None
    ss.sim_iter_axis = "iteration"


def start_animation() -> None:
    ss.sim_animate = True


def current_config() -> SimConfig | None:
    """The configuration the widgets describe, or None (with a message) if it is not valid."""
    try:
        return config_from_widgets()
    except ValidationError as error:
        st.error("These settings cannot be trained: " + "; ".join(e["msg"] for e in error.errors()))
        return None
