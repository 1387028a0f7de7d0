"""The simulator's results, first things first: the headline, the run's figures, the loss and
accuracy charts (or the progress of the run that is training), then what to do and what it
means, then the per-iteration loss and the decision boundary."""
from __future__ import annotations

import html

import streamlit as st

from engine.simulator import (History, SimConfig, best_epoch_help, early_stop_text, facts_line, instability_note,
                              iterations_readout, loss_caption, readout_details, run_readout)
from engine.simulator import charts
from ui import simulator as sim
from ui import simulator_runs as runs

ss = st.session_state


def show(config: SimConfig) -> None:
    headline = st.empty()  # the plan now; after the run, what actually ran
    headline.markdown(f"##### {iterations_readout(config)}")
    facts = st.empty()
    top = st.empty()  # the run's progress while it trains, then the two per-epoch charts
    history = runs.fetch(config, top)
    headline.markdown(f"##### {run_readout(history)}")
    line = facts_line(history)
    if line:
        facts.markdown(line, help=best_epoch_help(config))
    labelled = runs.labelled_runs(config, history)
    holders = top_charts(top, history)
    legend(labelled)
    status = actions(history)
    holders["status"] = status
    notes(history)
    preset = sim.preset_for(config)
    if preset is not None:
        st.info(f"**{preset.name}.** {preset.lesson}", icon=":material/lightbulb:")
    lower = lower_charts(history, holders)
    if ss.pop("sim_animate", False) and history.epochs_run:
        runs.animate(labelled, ss.sim_smoothing, holders, ss.sim_iter_axis or "iteration")
    draw_all(labelled, history, holders, lower)
    st.caption(" ".join(readout_details(config)) + " " + loss_caption(config))


def top_charts(top, history: History) -> dict:
    with top.container():
        left, right = st.columns(2)
        holders = {"loss": left.empty(), "accuracy": right.empty()}
        if not history.epochs_run:
            if history.diverged:
                holders["loss"].error(history.divergence, icon=":material/trending_up:")
            else:
                holders["loss"].info("No epoch finished, so there is nothing to plot per epoch.")
    return holders


def legend(labelled: list[tuple[str, History]]) -> None:
    """One legend for every chart, naming what differs between the compared runs."""
    if len(labelled) < 2:
        return
    items = " &nbsp; ".join(f'<span style="color:{colour}">&#9632;</span>&nbsp;{html.escape(label)}'
                            for label, colour in charts.run_colours(labelled))
    st.markdown(f"{items} &nbsp;·&nbsp; solid line: training, dashed: validation", unsafe_allow_html=True)
    if ss.get("sim_dropped"):
        st.caption(f"At most {sim.MAX_KEPT} runs are kept for comparison: the oldest one "
                   f"({ss.sim_dropped}) was dropped to keep this one.")


def actions(history: History):
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.button("Animate", key="sim_animate_button", icon=":material/play_arrow:", on_click=sim.start_animation,
                  disabled=not history.epochs_run, help="Replay the run epoch by epoch: curves and boundary.")
        st.button("Keep to compare", key="sim_keep", icon=":material/push_pin:", on_click=sim.keep_run,
                  help=f"Keep this run on the charts while you change settings (up to {sim.MAX_KEPT}).")
        st.button(f"Clear ({len(ss.sim_kept)} kept)", key="sim_clear", help="Forget the runs kept for comparison.",
                  icon=":material/clear_all:", on_click=sim.clear_kept, disabled=not ss.sim_kept)
        status = st.empty()
    return status


def notes(history: History) -> None:
    for note in history.notes:
        st.info(note, icon=":material/info:")
    if history.diverged and history.epochs_run:
        st.error(history.divergence, icon=":material/trending_up:")
    unstable = instability_note(history)
    if unstable:
        st.warning(unstable, icon=":material/warning:")
    if history.restored_best_weights and history.best_epoch:
        st.caption(f"Weights restored from epoch {history.best_epoch}: the figures above and the decision "
                   f"boundary are epoch {history.best_epoch}'s, although training ran to epoch "
                   f"{history.epochs_run}.")
    stop_text = early_stop_text(history)
    if stop_text:
        st.success(stop_text, icon=":material/front_hand:")


def lower_charts(history: History, holders: dict):
    left, right = st.columns(2)
    holders["iterations"] = left.empty()
    with left.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        st.segmented_control("Per-iteration x-axis", ["iteration", "epoch"], key="sim_iter_axis",
                             format_func={"iteration": "Iterations", "epoch": "Epochs"}.get,
                             help="Epochs line up runs with different batch sizes: batch 800 makes 1 update "
                                  "per epoch where batch 4 makes 200.")
        st.slider("Smoothing (TensorBoard's)", 0.0, 0.99, step=0.01, key="sim_smoothing", width=220)
    holders["boundary"] = right.empty()
    return right


def draw_all(labelled: list[tuple[str, History]], history: History, holders: dict, right) -> None:
    x_axis = ss.sim_iter_axis or "iteration"
    if history.epochs_run:
        runs.draw(holders["loss"], runs.chart_spec(charts.metric_chart, labelled, metric="loss",
                                                   height=runs.TOP_CHART_HEIGHT))
        runs.draw(holders["accuracy"], runs.chart_spec(charts.metric_chart, labelled, metric="accuracy",
                                                       height=runs.TOP_CHART_HEIGHT))
    runs.draw(holders["iterations"], runs.chart_spec(charts.iteration_chart, labelled,
                                                     smoothing=ss.sim_smoothing, x_axis=x_axis))
    boundary = runs.chart_spec(charts.boundary_chart, history)
    if boundary is None:
        holders["boundary"].info("No decision boundary: the network's weights are not usable after the run diverged.")
    else:
        runs.draw(holders["boundary"], boundary)
