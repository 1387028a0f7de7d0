"""Training simulator: change batch size, learning rate or epochs and see what training does."""
import streamlit as st

from engine.simulator import (PRESETS, best_epoch_help, early_stop_text, instability_note, iterations_readout,
                              readout_details, run_readout)
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
# A row that wraps, so every preset keeps its whole name on a narrow screen.
with st.container(horizontal=True):
    for name in PRESETS:
        st.button(name, key=f"sim_preset_{name}", on_click=sim.apply_preset, args=(name,), width="content")

for note in ss.sim_url_notes:
    st.warning(f"The link had a value this simulator cannot use. {sim.plain(note)}", icon=":material/build:")

with st.expander("Settings", expanded=True):
    sim.controls()
for note in ss.sim_input_notes:
    st.warning(note, icon=":material/build:")

config = sim.current_config()
if config is None:
    st.stop()
ss.sim_config = config
sim.sync_url(config)

preset = sim.preset_for(config)
if preset is not None:
    st.info(f"**{preset.name}.** {preset.lesson}", icon=":material/lightbulb:")

headline = st.empty()  # the plan now; after the run, what actually ran
headline.markdown(f"#### {iterations_readout(config)}")
st.caption(" ".join(readout_details(config)))

history = sim.run(config)
headline.markdown(f"#### {run_readout(history)}")
for note in history.notes:
    st.info(note, icon=":material/info:")
if history.diverged:
    st.error(history.divergence, icon=":material/trending_up:")
unstable = instability_note(history)
if unstable:
    st.warning(unstable, icon=":material/warning:")

if history.epochs_run:
    # With restored weights the network on screen is the best epoch's: the cards show that
    # epoch too, so the figures, the boundary and the weights agree.
    shown = history.best_epoch if history.restored_best_weights and history.best_epoch else history.epochs_run
    at = shown - 1
    summary = st.columns(5)
    summary[0].metric("Epochs run", f"{history.epochs_run}/{history.epochs_planned}",
                      help="Fewer than planned when early stopping fired or the run diverged.")
    which = f"At epoch {shown}, " + ("whose weights were restored." if shown != history.epochs_run
                                      else "the last epoch run.")
    summary[1].metric("Training loss", f"{history.loss[at]:.3f}", help=which)
    summary[2].metric("Validation loss", f"{history.val_loss[at]:.3f}", help=which)
    summary[3].metric("Validation accuracy", f"{history.val_accuracy[at]:.1%}", help=which)
    summary[4].metric("Best epoch", str(history.best_epoch), help=best_epoch_help(config))
    if history.restored_best_weights:
        st.caption(f"Weights restored from epoch {history.best_epoch}: the figures above and the decision "
                   f"boundary are epoch {history.best_epoch}'s, although training ran to epoch "
                   f"{history.epochs_run}.")
    stop_text = early_stop_text(history)
    if stop_text:
        st.success(stop_text, icon=":material/front_hand:")

actions = st.columns([1, 1, 1, 2])
actions[0].button("Animate", key="sim_animate_button", icon=":material/play_arrow:", on_click=sim.start_animation,
                  disabled=not history.epochs_run, width="stretch")
actions[1].button("Keep to compare", key="sim_keep", icon=":material/push_pin:", on_click=sim.keep_run,
                  width="stretch")
actions[2].button(f"Clear ({len(ss.sim_kept)} kept)", key="sim_clear", help="Forget the runs kept for comparison.", icon=":material/clear_all:",
                  on_click=sim.clear_kept, disabled=not ss.sim_kept, width="stretch")
actions[3].slider("Smoothing of the per-iteration loss (TensorBoard's)", 0.0, 0.99, step=0.01, key="sim_smoothing")

runs = sim.labelled_runs(config, history)
status = st.empty()
left, right = st.columns(2)
holders = {"status": status, "loss": left.empty(), "accuracy": right.empty()}
left2, right2 = st.columns(2)
holders["iterations"] = left2.empty()
left2.segmented_control("Per-iteration x-axis", ["iteration", "epoch"], key="sim_iter_axis",
                        format_func={"iteration": "Iterations", "epoch": "Epochs"}.get,
                        help="Epochs line up runs with different batch sizes: batch 800 makes 1 update per "
                             "epoch where batch 4 makes 200.")
x_axis = ss.sim_iter_axis or "iteration"

boundary = charts.boundary_chart(history)
if boundary is None:
    right2.info("No decision boundary: the network's weights are not usable after the run diverged.")
else:
    sim.draw(right2, boundary)
if ss.pop("sim_animate", False) and history.epochs_run:
    sim.animate(runs, ss.sim_smoothing, holders, x_axis)
if history.epochs_run:
    sim.draw(holders["loss"], charts.metric_chart(runs, "loss"))
    sim.draw(holders["accuracy"], charts.metric_chart(runs, "accuracy"))
else:
    holders["loss"].info("No epoch finished, so there is nothing to plot per epoch.")
sim.draw(holders["iterations"], charts.iteration_chart(runs, ss.sim_smoothing, x_axis=x_axis))
st.caption("Training loss and accuracy are averaged over each epoch's batches, weighted by batch size, while the "
           "weights are still changing (as Keras reports them); validation uses the weights at the end of the "
           "epoch. So early on, training loss can be higher than validation loss.")
