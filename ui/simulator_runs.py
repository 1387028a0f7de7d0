"""Runs for the simulator page: from the server's worker pool, with progress where the charts go.

One `RunPool` per server process (st.cache_resource): its workers train, its cache serves every
session. Each browser session is one owner, so a new setting replaces (and cancels) the
session's unfinished run. While a run trains, the page polls its progress a few times a second
and shows it in the chart area; the script thread only waits, it holds no GIL while it does.
A new change interrupts that wait (Streamlit stops the script at its next call), and the new
run's submit cancels the old one.
"""
from __future__ import annotations

import math
import threading
import time
import uuid
from collections import OrderedDict

import streamlit as st

from engine.simulator import History, SimConfig, describe_differences, simulate
from engine.simulator import charts
from engine.simulator.budget import planned_epochs
from engine.simulator.pool import RunPool
from ui.simulator import DEFAULT_SMOOTHING, DEFAULT_X_AXIS

ss = st.session_state
POLL_SECONDS = 0.15
# Most runs finish within this: they replace the charts directly, without a progress bar
# flashing in between; a longer run shows its progress from then on.
FIRST_WAIT_SECONDS = 0.5
ANIMATION_SECONDS = 3.0
# Results first: the two per-epoch plots are this tall (plus title, axis and legend), so they
# share the first screen with the control bar on a 1280 × 800 laptop.
TOP_CHART_HEIGHT = 150


@st.cache_resource(show_spinner=False)
def run_pool() -> RunPool:
    """The worker pool shared by every session of this server process."""
    return RunPool(prepare=(charts.first_view, (TOP_CHART_HEIGHT, DEFAULT_SMOOTHING, DEFAULT_X_AXIS)))


def owner() -> str:
    """This browser session's name in the pool (a new setting replaces its previous run)."""
    return ss.setdefault("sim_owner", uuid.uuid4().hex)


def fetch(config: SimConfig, area) -> History:
    """The finished run for `config`: from the shared cache, or trained in a worker while a
    progress bar in `area` (the chart area) says how far it got."""
    try:
        return _from_pool(config, area)
    except Exception:  # a worker that died twice, a pool that cannot start: train here instead
        area.progress(0.0, text="Training…")
        history = simulate(config)
        area.empty()
        return history


def _from_pool(config: SimConfig, area) -> History:
    pool = run_pool()
    key = pool.submit(config, owner=owner())
    history = pool.wait(key, timeout=FIRST_WAIT_SECONDS)
    if history is not None:
        _take_prepared(pool, key)
        return history
    epochs, _ = planned_epochs(config)
    while history is None:
        done = pool.progress(key) or 0.0
        area.progress(done, text=f"Training: epoch {math.floor(done * epochs)}/{epochs}… "
                                 "(change a setting any time: this run is then dropped)")
        history = pool.wait(key, timeout=POLL_SECONDS)
        if history is None and not pool.running(key):
            key = pool.submit(config, owner=owner())  # evicted or dropped meanwhile: ask again
    area.empty()
    _take_prepared(pool, key)
    return history


def _take_prepared(pool: RunPool, key: str) -> None:
    """The charts the worker built for this run join the chart cache (if not there yet)."""
    with _SPECS_LOCK:
        fresh = [(k, spec) for k, spec in pool.prepared(key).items() if k not in _SPECS]
    for k, spec in fresh:
        _keep(k, spec)


def labelled_runs(config: SimConfig, history: History) -> list[tuple[str, History]]:
    """This run first, then the kept runs, each labelled with what differs between them."""
    kept = [c for c in ss.sim_kept if c != config]
    if not kept:
        return [("this run", history)]
    labels = describe_differences([config, *kept])
    runs = [(f"{labels[0]} (this run)", history)]
    pool = run_pool()
    runs += [(label, pool.run(c)) for label, c in zip(labels[1:], kept)]
    return runs


# Chart specs ready to send, per chart, runs and settings. A page visit or a change elsewhere
# on the page shows the same runs again, and a class on one preset shows the same run thirty
# times: the DataFrames, the decision grid (a forward pass over 1,600 points) and their Arrow
# encoding are then built once per server process instead of on every rerun. A new run's
# charts with the page's default settings come ready from the worker that trained it.
MAX_CHART_SPECS = 128
ready_spec = charts.ready_spec
_SPECS: OrderedDict[tuple, dict | None] = OrderedDict()
_SPECS_LOCK = threading.Lock()


def _keep(key: tuple, spec: dict | None) -> None:
    with _SPECS_LOCK:
        _SPECS[key] = spec
        _SPECS.move_to_end(key)
        while len(_SPECS) > MAX_CHART_SPECS:
            _SPECS.popitem(last=False)


def chart_spec(build, shown: list[tuple[str, History]] | History, **settings) -> dict | None:
    """`build(shown, **settings)`'s chart as a spec to draw, from the cache when these runs
    were drawn with these settings before; None when `build` has no chart to show."""
    key = charts.chart_key(build, shown, **settings)
    with _SPECS_LOCK:
        if key in _SPECS:
            _SPECS.move_to_end(key)
            return _SPECS[key]
    spec = ready_spec(build(shown, **settings))
    _keep(key, spec)
    return spec


def draw(target, spec: dict | None) -> None:
    if spec is not None:
        # Streamlit copies the spec's top level before taking the datasets out: the cached
        # dict is never changed.
        target.vega_lite_chart(spec=spec, width="stretch")


def readout_line(history: History, epoch: int) -> str:
    k = history.iterations_per_epoch
    return (f"epoch {epoch}/{history.epochs_run} · iteration {epoch * k:,}/{history.epochs_run * k:,} "
            f"({k:,} per epoch)")


def animate_frames(epochs: int, max_frames: int = 40) -> list[int]:
    """The epochs to show, evenly spaced, always ending on the last one."""
    from engine.simulator.train import frame_epochs

    return frame_epochs(epochs, max_frames)


def animate(runs: list[tuple[str, History]], smoothing: float, holders: dict, x_axis: str = "iteration") -> None:
    """Replay the finished run epoch by epoch in about ANIMATION_SECONDS: the curves and the
    decision boundary (from the weights the run recorded) move together. At most 40 frames,
    and frames are skipped when drawing them is slow (a 100,000-update run redraws big charts)."""
    history = runs[0][1]
    epochs = history.epochs_run
    frames = animate_frames(epochs)
    pause = min(0.25, ANIMATION_SECONDS / len(frames))
    start, shown, i = time.monotonic(), 0, 0
    while i < len(frames):
        epoch = frames[i]
        holders["status"].markdown(f"▶ {readout_line(history, epoch)}")
        # Frames are drawn once each: built directly, not kept in the chart cache.
        draw(holders["loss"], ready_spec(charts.metric_chart(runs, "loss", upto=epoch, height=TOP_CHART_HEIGHT)))
        draw(holders["accuracy"], ready_spec(charts.metric_chart(runs, "accuracy", upto=epoch,
                                                                 height=TOP_CHART_HEIGHT)))
        draw(holders["iterations"], ready_spec(charts.iteration_chart(
            runs, smoothing, upto=epoch * history.iterations_per_epoch, x_axis=x_axis)))
        if "boundary" in holders:
            draw(holders["boundary"], ready_spec(charts.boundary_chart(history, epoch=epoch)))
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
