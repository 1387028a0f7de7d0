"""Altair charts of a run (engine side: builds chart objects, never draws them).

Long-form data (`epoch, split, value`) with the split as colour, as TensorBoard overlays its
train/ and validation/ runs. When several runs are compared the run becomes the colour and the
split the dash, and the legend names what differs between the runs.

Each function returns a `Figure`: the Altair chart, whose data are *named* datasets, plus those
datasets. `Figure.spec()` is the Vega-Lite spec with the data attached, ready for
`st.vega_lite_chart(spec=...)`. Why not `st.altair_chart`: it re-validates every spec against
the whole Vega-Lite JSON schema on every draw (20–40 ms a chart here); the tests validate each
chart once instead (`Figure.validate()`), and the page draws in a few milliseconds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from .boundary import decision_grid
from .datasets import make_dataset
from .train import History

TRAIN, VAL = "training", "validation"
SPLIT_COLOURS = alt.Scale(domain=[TRAIN, VAL], range=["#4f46e5", "#f97316"])
CLASS_COLOURS = alt.Scale(domain=["0", "1", "2"], range=["#2563eb", "#f97316", "#16a34a"])
MAX_ITERATION_POINTS = 2000
HEIGHT = 260


@dataclass
class Figure:
    chart: alt.TopLevelMixin
    datasets: dict[str, pd.DataFrame]

    def spec(self) -> dict[str, Any]:
        """Vega-Lite spec with its datasets attached (DataFrames; Streamlit sends them as Arrow)."""
        spec = self.chart.to_dict(validate=False)
        spec["datasets"] = dict(self.datasets)
        return spec

    def validate(self) -> dict[str, Any]:
        """The spec, checked against the Vega-Lite schema (raises if the chart is malformed)."""
        return self.chart.to_dict(validate=True)


def _data(name: str) -> alt.NamedData:
    return alt.NamedData(name=name)


def tensorboard_smooth(values: list[float] | np.ndarray, weight: float) -> np.ndarray:
    """TensorBoard's smoothing: a debiased exponential moving average.

    last = w·last + (1−w)·y, then divide by (1 − wⁿ) so the start is not pulled toward 0;
    non-finite points pass through unchanged; w = 1 keeps the plain moving value.
    """
    y = np.asarray(values, dtype=float)
    w = min(max(float(weight), 0.0), 1.0)
    out = y.copy()
    if len(y) == 0 or w == 0.0:
        return out
    if np.all(y[np.isfinite(y)] == y[np.isfinite(y)][0]) if np.isfinite(y).any() else True:
        return out  # a constant series is returned as it is, as TensorBoard does
    last, n = 0.0, 0
    for i, v in enumerate(y):
        if not math.isfinite(v):
            continue
        last = w * last + (1.0 - w) * v
        n += 1
        out[i] = last if w == 1.0 else last / (1.0 - w ** n)
    return out


def epoch_frame(runs: list[tuple[str, History]]) -> pd.DataFrame:
    """One row per run × epoch × split: loss and accuracy."""
    frames = []
    for label, h in runs:
        epochs = np.arange(1, h.epochs_run + 1)
        for split, loss, acc in ((TRAIN, h.loss, h.accuracy), (VAL, h.val_loss, h.val_accuracy)):
            frames.append(pd.DataFrame({"run": label, "epoch": epochs, "split": split,
                                        "loss": loss[:h.epochs_run], "accuracy": acc[:h.epochs_run]}))
    if not frames:
        return pd.DataFrame(columns=["run", "epoch", "split", "loss", "accuracy"])
    return pd.concat(frames, ignore_index=True)


def _marks(history: History, upto: int | None) -> pd.DataFrame:
    rows = []
    last = history.epochs_run if upto is None else min(upto, history.epochs_run)
    if history.best_epoch and history.best_epoch <= last:
        rows.append({"epoch": history.best_epoch, "mark": f"best epoch {history.best_epoch}"})
    if history.stopped_early and history.stopped_epoch and history.stopped_epoch <= last:
        rows.append({"epoch": history.stopped_epoch, "mark": f"early stop after epoch {history.stopped_epoch}"})
    return pd.DataFrame(rows, columns=["epoch", "mark"])


def metric_chart(runs: list[tuple[str, History]], metric: str = "loss", upto: int | None = None) -> Figure:
    """Loss (or accuracy) per epoch, training vs validation. The first run is the current one:
    its best epoch and early-stop point are marked. `upto` cuts the epochs (animation)."""
    df = epoch_frame(runs)
    if upto is not None:
        df = df[df["epoch"] <= upto]
    max_epoch = max((h.epochs_run for _, h in runs), default=1)
    x = alt.X("epoch:Q", title="epoch", scale=alt.Scale(domain=[1, max(max_epoch, 2)]),
              axis=alt.Axis(tickMinStep=1))
    title = "loss (cross-entropy)" if metric == "loss" else "accuracy"
    y = alt.Y(f"{metric}:Q", title=title,
              scale=alt.Scale(domain=[0, 1]) if metric == "accuracy" else alt.Scale(zero=True))
    tooltip = [alt.Tooltip("run:N"), alt.Tooltip("split:N"), alt.Tooltip("epoch:Q"),
               alt.Tooltip(f"{metric}:Q", format=".3f" if metric == "loss" else ".1%")]
    if len(runs) > 1:
        enc = dict(color=alt.Color("run:N", title="run"),
                   strokeDash=alt.StrokeDash("split:N", title="split", sort=[TRAIN, VAL]))
    else:
        enc = dict(color=alt.Color("split:N", title=None, scale=SPLIT_COLOURS))
    name = f"{metric}_per_epoch"
    datasets = {name: df}
    layers = [alt.Chart(_data(name)).mark_line(point=alt.OverlayMarkDef(size=25, filled=True)).encode(
        x=x, y=y, tooltip=tooltip, **enc)]
    marks = _marks(runs[0][1], upto) if runs else pd.DataFrame()
    if not marks.empty:
        datasets["marks"] = marks
        layers.append(alt.Chart(_data("marks")).mark_rule(strokeDash=[4, 4], color="#6b7280").encode(
            x=alt.X("epoch:Q"), tooltip=[alt.Tooltip("mark:N", title="marked")]))
        layers.append(alt.Chart(_data("marks")).mark_text(align="left", dx=4, color="#374151", fontSize=11).encode(
            x=alt.X("epoch:Q"), y=alt.YValue(10), text=alt.Text("mark:N")))
    chart = alt.LayerChart(layer=layers, height=HEIGHT, title=f"{title.split(' ')[0].capitalize()} per epoch")
    return Figure(chart, datasets)


def iteration_frame(runs: list[tuple[str, History]], smoothing: float, upto: int | None = None) -> pd.DataFrame:
    """Per-iteration loss and its smoothed value, thinned to at most MAX_ITERATION_POINTS a run
    (every k-th iteration, so the noise stays visible; smoothing uses all iterations)."""
    frames = []
    for label, h in runs:
        raw = np.asarray(h.iteration_loss, dtype=float)
        if upto is not None:
            raw = raw[:upto]
        smooth = tensorboard_smooth(raw, smoothing)
        idx = np.arange(len(raw))
        if len(raw) > MAX_ITERATION_POINTS:
            stride = math.ceil(len(raw) / MAX_ITERATION_POINTS)
            idx = np.unique(np.r_[np.arange(0, len(raw), stride), len(raw) - 1])
        per_epoch = max(h.iterations_per_epoch, 1)
        frames.append(pd.DataFrame({"run": label, "iteration": idx + 1, "epoch": idx // per_epoch + 1,
                                    "loss": raw[idx], "smoothed": smooth[idx]}))
    if not frames:
        return pd.DataFrame(columns=["run", "iteration", "epoch", "loss", "smoothed"])
    return pd.concat(frames, ignore_index=True)


def iteration_chart(runs: list[tuple[str, History]], smoothing: float = 0.6, upto: int | None = None) -> Figure:
    """Loss of every batch (one point per weight update), raw and TensorBoard-smoothed."""
    df = iteration_frame(runs, smoothing, upto)
    values = df["loss"].to_numpy(dtype=float) if len(df) else np.array([1.0])
    positive = values[values > 0]
    # A diverging run spans many orders of magnitude: a log axis keeps it readable.
    log = len(positive) > 0 and positive.max() / max(positive.min(), 1e-12) > 1e3
    y_scale = alt.Scale(type="log") if log else alt.Scale(zero=True)
    colour = alt.Color("run:N", title="run") if len(runs) > 1 else alt.ColorValue("#4f46e5")
    x = alt.X("iteration:Q", title="iteration (weight update)")
    tooltip = [alt.Tooltip("run:N"), alt.Tooltip("iteration:Q"), alt.Tooltip("epoch:Q"),
               alt.Tooltip("loss:Q", format=".3f"), alt.Tooltip("smoothed:Q", format=".3f")]
    data = _data("iterations")
    raw = alt.Chart(data).mark_line(opacity=0.3 if smoothing > 0 else 0.9, strokeWidth=1).encode(
        x=x, y=alt.Y("loss:Q", title="batch loss" + (" (log scale)" if log else ""), scale=y_scale),
        color=colour, detail=alt.Detail("run:N"), tooltip=tooltip)
    layers = [raw]
    if smoothing > 0:
        layers.append(alt.Chart(data).mark_line(strokeWidth=2).encode(
            x=x, y=alt.Y("smoothed:Q", scale=y_scale), color=colour, detail=alt.Detail("run:N"),
            tooltip=tooltip))
    chart = alt.LayerChart(layer=layers, height=HEIGHT, title="Loss per iteration")
    return Figure(chart, {"iterations": df})


def boundary_chart(history: History, resolution: int = 40) -> Figure | None:
    """The decision boundary of the final network, with training (circles) and validation
    (crosses) points coloured by their label. None if the run has no usable weights."""
    data = make_dataset(history.config)
    grid = decision_grid(history, resolution, data)
    if grid is None:
        return None
    cells = pd.DataFrame({"x": grid.x - grid.step_x / 2, "x2": grid.x + grid.step_x / 2,
                          "y": grid.y - grid.step_y / 2, "y2": grid.y + grid.step_y / 2,
                          "predicted": grid.predicted.astype(str), "confidence": grid.confidence})
    points = pd.concat([
        pd.DataFrame({"x": data.x_train[:, 0], "y": data.x_train[:, 1], "label": data.y_train.astype(str),
                      "split": TRAIN}),
        pd.DataFrame({"x": data.x_val[:, 0], "y": data.x_val[:, 1], "label": data.y_val.astype(str),
                      "split": VAL}),
    ], ignore_index=True)
    x0, x1 = float(cells["x"].min()), float(cells["x2"].max())
    y0, y1 = float(cells["y"].min()), float(cells["y2"].max())
    xs = alt.Scale(domain=[x0, x1], nice=False, zero=False)
    ys = alt.Scale(domain=[y0, y1], nice=False, zero=False)
    background = alt.Chart(_data("grid")).mark_rect().encode(
        x=alt.X("x:Q", scale=xs, title="x₁"), x2=alt.X2("x2:Q"), y=alt.Y("y:Q", scale=ys, title="x₂"),
        y2=alt.Y2("y2:Q"),
        color=alt.Color("predicted:N", scale=CLASS_COLOURS, title="class"),
        opacity=alt.Opacity("confidence:Q", scale=alt.Scale(domain=[0.3, 1.0], range=[0.05, 0.45]), legend=None),
        tooltip=[alt.Tooltip("predicted:N", title="network says class"),
                 alt.Tooltip("confidence:Q", format=".0%", title="probability")])
    dots = alt.Chart(_data("points")).mark_point(size=22, filled=True, strokeWidth=1).encode(
        x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys),
        color=alt.Color("label:N", scale=CLASS_COLOURS, title="class"),
        shape=alt.Shape("split:N", scale=alt.Scale(domain=[TRAIN, VAL], range=["circle", "cross"]), title="points"),
        tooltip=[alt.Tooltip("split:N"), alt.Tooltip("label:N", title="true class"),
                 alt.Tooltip("x:Q", format=".2f"), alt.Tooltip("y:Q", format=".2f")])
    chart = alt.LayerChart(layer=[background, dots], height=360, title="Decision boundary (final weights)")
    return Figure(chart, {"grid": cells, "points": points})
