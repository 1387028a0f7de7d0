"""The simulator's settings: one bar of the controls a student changes most, the rest one click away.

Like TensorFlow Playground's top bar, the preset, optimizer, learning rate, batch size and
epochs sit in one row above the charts (on a laptop, one line; on a phone the row wraps into
three short lines, so the headline and the first chart still start on the first screen). Every
other setting is in the "More settings" panel (a popover, so opening it does not push the
charts away), grouped in tabs.
"""
from __future__ import annotations

import streamlit as st

from engine.simulator import PRESETS
from engine.simulator.config import ACTIVATIONS, DATASETS, MULTICLASS_DATASETS, OPTIMIZERS
from ui import simulator as sim

ss = st.session_state


def main_bar() -> None:
    """Preset, optimizer, learning rate, batch size, epochs and the "More settings" button."""
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom", key="sim_bar"):
        st.selectbox("Preset", list(PRESETS), index=None, key="sim_preset_pick", on_change=sim.pick_preset,
                     placeholder="Choose a preset…", width=190,
                     help="Ready-made runs, each showing one point of the lesson.")
        st.selectbox("Optimizer", OPTIMIZERS, key="sim_optimizer", format_func=sim.OPTIMIZER_NAMES.get,
                     on_change=sim.settings_changed, width=130)
        st.select_slider("Learning rate", sorted(set(sim.LEARNING_RATES + [ss.sim_learning_rate])),
                         key="sim_learning_rate", format_func=lambda v: f"{v:g}", on_change=sim.settings_changed,
                         width=180)
        st.number_input("Batch size", step=1, key="sim_batch_size", on_change=sim.settings_changed,
                        help=sim.range_help("sim_batch_size"), width=100)
        st.number_input("Epochs", step=1, key="sim_epochs", on_change=sim.settings_changed,
                        help=sim.range_help("sim_epochs"), width=100)
        # Its two dozen widgets are built only while it is open: most reruns never show them.
        # Their values live on in the last configuration (ui/simulator.py restores them).
        more = st.popover("More settings", icon=":material/tune:", key="sim_more", on_change="rerun")
        if more.open:
            with more:
                more_settings()


def more_settings() -> None:
    data, network, training, stopping = st.tabs(["Data", "Network", "Training", "Early stopping"])
    with data:
        st.selectbox("Dataset", DATASETS, key="sim_dataset", format_func=sim.DATASET_NAMES.get,
                     on_change=sim.settings_changed)
        if ss.sim_dataset in MULTICLASS_DATASETS:
            st.segmented_control("Classes", [2, 3], key="sim_n_classes", on_change=sim.settings_changed)
        st.number_input("Samples (before the split)", step=50, key="sim_n_samples", on_change=sim.settings_changed,
                        help=sim.range_help("sim_n_samples"))
        st.slider("Input noise", 0.0, 1.0, step=0.05, key="sim_noise", on_change=sim.settings_changed)
        st.slider("Label noise (share of wrong labels)", 0.0, 0.5, step=0.05, key="sim_label_noise",
                  on_change=sim.settings_changed)
        st.slider("Validation share", 0.1, 0.5, step=0.05, key="sim_val_fraction", on_change=sim.settings_changed)
        st.number_input("Seed", step=1, key="sim_seed", on_change=sim.settings_changed,
                        help=sim.range_help("sim_seed"))
    with network:
        st.slider("Hidden layers", 0, 4, key="sim_layers", on_change=sim.settings_changed)
        if ss.sim_layers:
            # Fixed-width boxes in a row that wraps: four layers never squeeze a label mid-word.
            with st.container(horizontal=True, gap="small"):
                for i in range(int(ss.sim_layers)):
                    st.number_input(f"Layer {i + 1} units", step=1, key=f"sim_units_{i}",
                                    on_change=sim.settings_changed, help=sim.range_help(f"sim_units_{i}"),
                                    width=120)
        st.selectbox("Activation", ACTIVATIONS, key="sim_activation", on_change=sim.settings_changed)
        three = ss.sim_dataset in MULTICLASS_DATASETS and ss.sim_n_classes == 3
        if three:
            ss.sim_output = "softmax"
        st.segmented_control("Output", ["sigmoid", "softmax"], key="sim_output", disabled=three,
                             help="Sigmoid: one unit, two classes. Softmax: one unit per class. "
                                  "Both are trained with cross-entropy.", on_change=sim.settings_changed)
    with training:
        if ss.sim_optimizer == "momentum":
            st.slider("Momentum", 0.0, 0.99, step=0.01, key="sim_momentum", on_change=sim.settings_changed)
        st.select_slider("L2 weight decay", sorted(set(sim.L2_STEPS + [ss.sim_l2])), key="sim_l2",
                         format_func=lambda v: f"{v:g}", on_change=sim.settings_changed,
                         help="Adds l2/2 × the sum of the squared weights (not the biases) to the loss; "
                              "the losses shown include it, as Keras's do.")
        st.toggle("Drop the last, smaller batch (drop_last)", key="sim_drop_last", on_change=sim.settings_changed)
    with stopping:
        st.toggle("Stop early", key="sim_early_stopping", on_change=sim.settings_changed,
                  help="Keras's EarlyStopping: stop when the monitored value has not improved for "
                       "`patience` epochs.")
        on = ss.sim_early_stopping
        st.segmented_control("Monitor", ["val_loss", "val_accuracy"], key="sim_monitor", disabled=not on,
                             on_change=sim.settings_changed)
        st.number_input("Patience (epochs)", step=1, key="sim_patience", disabled=not on,
                        on_change=sim.settings_changed, help=sim.range_help("sim_patience"))
        st.number_input("min_delta", step=0.001, format="%.4f", key="sim_min_delta", disabled=not on,
                        on_change=sim.settings_changed, help=sim.range_help("sim_min_delta"))
        st.number_input("Baseline (optional)", step=0.01, key="sim_baseline", disabled=not on,
                        placeholder="none", on_change=sim.settings_changed,
                        help=sim.range_help("sim_baseline") + " Empty: no baseline.")
        st.toggle("Restore the best weights", key="sim_restore_best_weights", disabled=not on,
                  on_change=sim.settings_changed)
