"""Training simulator: change batch size, learning rate or epochs and see what training does."""
import streamlit as st

from engine.simulator import PRESETS, iterations_readout, readout_details
from engine.simulator import charts
from ui import simulator as sim
from ui.setup import page

page("Simulator", ":material/monitoring:")
ss = st.session_state
sim.init_state()

st.title("Training simulator")
st.caption("A small neural network learns to separate two-dimensional points. Change a setting and it "
           "trains again at once: watch the loss and accuracy per epoch, for the training data and the "
           "held-out validation data.")

st.markdown("**Presets**: each shows one point of the lesson.")
for col, name in zip(st.columns(len(PRESETS)), PRESETS):
    col.button(name, key=f"sim_preset_{name}", on_click=sim.apply_preset, args=(name,), width="stretch")

for note in ss.sim_url_notes:
    st.warning(f"The link had a value this simulator cannot use. {sim.plain(note)}", icon=":material/build:")

with st.expander("Settings", expanded=True):
    sim.controls()

config = sim.current_config()
if config is None:
    st.stop()
ss.sim_config = config
sim.sync_url(config)

preset = PRESETS.get(ss.sim_preset) if ss.sim_preset else None
if preset is not None and preset.config == config:
    st.info(f"**{preset.name}.** {preset.lesson}", icon=":material/lightbulb:")

st.markdown(f"#### {iterations_readout(config)}")
st.caption(" ".join(readout_details(config)))

history = sim.run(config)
for note in history.notes:
    st.info(note, icon=":material/info:")
if history.diverged:
    st.error(history.divergence, icon=":material/trending_up:")

if history.epochs_run:
    last = history.epochs_run - 1
    summary = st.columns(5)
    summary[0].metric("Epochs run", f"{history.epochs_run}/{history.epochs_planned}",
                      help="Fewer than planned when early stopping fired or the run diverged.")
    summary[1].metric("Training loss", f"{history.loss[last]:.3f}")
    summary[2].metric("Validation loss", f"{history.val_loss[last]:.3f}")
    summary[3].metric("Validation accuracy", f"{history.val_accuracy[last]:.1%}")
    summary[4].metric("Best epoch", str(history.best_epoch), help=f"Lowest {config.monitor}" if config.monitor == "val_loss"
                      else f"Highest {config.monitor}")
    if history.stopped_early:
        restored = " and restored the weights of epoch " + str(history.best_epoch) if history.restored_best_weights else ""
        st.success(f"Early stopping ended training after epoch {history.stopped_epoch}: {config.monitor} had not "
                   f"improved for {config.patience} epochs (best: epoch {history.best_epoch}){restored}.",
                   icon=":material/front_hand:")

actions = st.columns([1, 1, 1, 2])
actions[0].button("Animate", key="sim_animate_button", icon=":material/play_arrow:", on_click=sim.start_animation,
                  disabled=not history.epochs_run, width="stretch")
actions[1].button("Keep to compare", key="sim_keep", icon=":material/push_pin:", on_click=sim.keep_run,
                  width="stretch")
actions[2].button(f"Clear kept runs ({len(ss.sim_kept)})", key="sim_clear", icon=":material/clear_all:",
                  on_click=sim.clear_kept, disabled=not ss.sim_kept, width="stretch")
actions[3].slider("Smoothing of the per-iteration loss (TensorBoard's)", 0.0, 0.99, step=0.01, key="sim_smoothing")

runs = sim.labelled_runs(config, history)
status = st.empty()
left, right = st.columns(2)
holders = {"status": status, "loss": left.empty(), "accuracy": right.empty()}
left2, right2 = st.columns(2)
holders["iterations"] = left2.empty()

boundary = charts.boundary_chart(history)
if boundary is None:
    right2.info("No decision boundary: the network's weights are not usable after the run diverged.")
else:
    sim.draw(right2, boundary)
if ss.pop("sim_animate", False) and history.epochs_run:
    sim.animate(runs, ss.sim_smoothing, holders)
if history.epochs_run:
    sim.draw(holders["loss"], charts.metric_chart(runs, "loss"))
    sim.draw(holders["accuracy"], charts.metric_chart(runs, "accuracy"))
else:
    holders["loss"].info("No epoch finished, so there is nothing to plot per epoch.")
sim.draw(holders["iterations"], charts.iteration_chart(runs, ss.sim_smoothing))
st.caption("Training loss and accuracy are averaged over each epoch's batches, weighted by batch size, while the "
           "weights are still changing (as Keras reports them); validation uses the weights at the end of the "
           "epoch. So early on, training loss can be higher than validation loss.")
