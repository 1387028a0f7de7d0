"""Altair charts of a run (engine side: builds charts, never draws them).

Long-form data (`epoch, split, value`) with the split as colour, as TensorBoard overlays its
train/ and validation/ runs. When several runs are compared the run becomes the colour and the
split the dash; the page draws one legend for all charts (`run_colours`), naming what
differs between the runs, so no chart gives half its width to a legend.

Each function returns a `Figure`: the data as named datasets, and the Altair chart that shows
them (`Figure.chart`). `Figure.spec()` is the Vega-Lite spec with the data attached, ready for
`st.vega_lite_chart(spec=...)`.

Why the detour: building an Altair chart and turning it into a spec costs 10–20 ms here (deep
copies and schema checks), and `st.altair_chart` validates the whole spec again on every draw.
But a chart's spec depends only on a few shape parameters (which metric, how many runs, the
axis range), never on the numbers plotted, which live in the datasets. So each spec is built
by Altair once per shape and reused (`_template`); the tests validate every shape against the
Vega-Lite schema (`Figure.validate()`).
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from typing import Any, Callable

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa

from .boundary import decision_grid
from .datasets import make_dataset
from .train import History

TRAIN, VAL = "training", "validation"
SPLIT_DOMAIN, SPLIT_RANGE = [TRAIN, VAL], ["#4f46e5", "#f97316"]
CLASS_RANGE = ["#2563eb", "#f97316", "#16a34a"]
# Compared runs need colours that stay apart (the default scheme gives two blues).
RUN_RANGE = ["#4f46e5", "#f97316", "#16a34a", "#db2777", "#0891b2"]
SPLIT_DASHES = [[1, 0], [6, 3]]
MAX_ITERATION_POINTS = 2000
HEIGHT = 260


@dataclass
class Figure:
    """A chart's data (`datasets`, by name) and the shape of the chart that shows them."""

    kind: str
    shape: tuple
    datasets: dict[str, pd.DataFrame]

    @property
    def chart(self) -> alt.LayerChart:
        """The Altair chart (its data are the named datasets)."""
        return _BUILDERS[self.kind](*self.shape)

    def spec(self) -> dict[str, Any]:
        """Vega-Lite spec with its datasets attached (DataFrames; Streamlit sends them as Arrow)."""
        spec = json.loads(_template(self.kind, self.shape))
        spec["datasets"] = dict(self.datasets)
        return spec

    def validate(self) -> dict[str, Any]:
        """The spec, checked against the Vega-Lite schema (raises if the chart is malformed)."""
        return self.chart.to_dict(validate=True)


@functools.lru_cache(maxsize=256)
def _template(kind: str, shape: tuple) -> str:
    spec = _BUILDERS[kind](*shape).to_dict(validate=False)
    # Altair's default theme fixes every view at 300 × 300; Streamlit sizes charts itself
    # (st.altair_chart drops that theme too).
    spec.pop("config", None)
    # Fit the width only: `height` is the plot's own height. With Streamlit's default ("fit"
    # both ways) the title, axes and legend are taken out of that height, and a short chart
    # lost its title and most of its plot.
    spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return json.dumps(spec)


# -- charts ready to send, and the keys they are kept under --------------------------------

def _arrow(frame: pd.DataFrame) -> bytes:
    # The Arrow IPC stream Streamlit itself makes from a DataFrame; st.vega_lite_chart sends
    # bytes as they are.
    table = pa.Table.from_pandas(frame)
    sink = pa.BufferOutputStream()
    with pa.RecordBatchStreamWriter(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def ready_spec(figure: Figure | None) -> dict[str, Any] | None:
    """The figure as a Vega-Lite spec whose datasets are already Arrow bytes (None stays None)."""
    if figure is None:
        return None
    spec = figure.spec()
    spec["datasets"] = {name: _arrow(frame) for name, frame in spec["datasets"].items()}
    return spec


def chart_key(build: Callable, shown: list[tuple[str, History]] | History, **settings: Any) -> tuple:
    """What a chart shows, as a key: the builder, the runs (label and settings of each) and
    the builder's other settings. The same key always means the same chart."""
    from .pool import run_key  # the pool imports this module's neighbours; import late

    runs = ((run_key(shown.config),) if isinstance(shown, History)
            else tuple((label, run_key(history.config)) for label, history in shown))
    return (build.__name__, runs, tuple(sorted(settings.items())))


def first_view(history: History, top_height: int, smoothing: float, x_axis: str) -> dict[tuple, dict | None]:
    """The charts the simulator page shows of a run on its own, with the page's default chart
    settings, ready to send and keyed by `chart_key`. A worker builds them right after the run
    (see pool.RunPool's `prepare`), so the server only sends them."""
    shown = [("this run", history)]
    views: list[tuple[Callable, Any, dict]] = [(boundary_chart, history, {}),
                                               (iteration_chart, shown, {"smoothing": smoothing, "x_axis": x_axis})]
    if history.epochs_run:
        views += [(metric_chart, shown, {"metric": metric, "height": top_height}) for metric in ("loss", "accuracy")]
    return {chart_key(build, runs, **settings): ready_spec(build(runs, **settings)) for build, runs, settings in views}


def _data(name: str) -> alt.NamedData:
    return alt.NamedData(name=name)


# -- smoothing ----------------------------------------------------------------------------

_BLOCK = 128


def tensorboard_smooth(values: list[float] | np.ndarray, weight: float) -> np.ndarray:
    """TensorBoard's smoothing: a debiased exponential moving average.

    last = w·last + (1−w)·y, then divide by (1 − wⁿ) so the start is not pulled toward 0;
    non-finite points pass through unchanged (and do not count); a constant series is
    returned as it is. Computed a block of 128 points at a time with one matrix product, so a
    100,000-iteration run smooths in milliseconds.
    """
    y = np.asarray(values, dtype=float)
    w = min(max(float(weight), 0.0), 1.0)
    out = y.copy()
    finite = np.isfinite(y)
    if w == 0.0 or not finite.any() or np.all(y[finite] == y[finite][0]):
        return out
    ys = y[finite]
    if w == 1.0:  # TensorBoard does not debias at w = 1: the value stays at (1−w)·… = 0
        out[finite] = 0.0
        return out
    lag = np.subtract.outer(np.arange(_BLOCK), np.arange(_BLOCK))
    with np.errstate(under="ignore"):
        decay = np.where(lag >= 0, w ** np.maximum(lag, 0), 0.0) * (1.0 - w)
        carry_decay = w ** np.arange(1, _BLOCK + 1)
    smoothed = np.empty_like(ys)
    last = 0.0
    for start in range(0, len(ys), _BLOCK):
        block = ys[start:start + _BLOCK]
        k = len(block)
        ema = decay[:k, :k] @ block + carry_decay[:k] * last
        smoothed[start:start + k] = ema
        last = ema[-1]
    with np.errstate(under="ignore"):
        out[finite] = smoothed / (1.0 - w ** np.arange(1, len(ys) + 1))
    return out


# -- per-epoch charts ---------------------------------------------------------------------

def epoch_frame(runs: list[tuple[str, History]]) -> pd.DataFrame:
    """One row per run × epoch × split: loss and accuracy."""
    columns: dict[str, list] = {"run": [], "order": [], "epoch": [], "split": [], "loss": [], "accuracy": []}
    for order, (label, h) in enumerate(runs):
        n = h.epochs_run
        for split, loss, acc in ((TRAIN, h.loss, h.accuracy), (VAL, h.val_loss, h.val_accuracy)):
            columns["run"] += [label] * n
            columns["order"] += [order] * n
            columns["epoch"] += range(1, n + 1)
            columns["split"] += [split] * n
            columns["loss"] += loss[:n]
            columns["accuracy"] += acc[:n]
    return pd.DataFrame(columns)


def _marks(history: History, upto: int | None) -> pd.DataFrame:
    rows = []
    last = history.epochs_run if upto is None else min(upto, history.epochs_run)
    if history.best_epoch and history.best_epoch <= last:
        rows.append({"epoch": history.best_epoch, "mark": f"best epoch {history.best_epoch}", "kind": "best"})
    if history.stopped_early and history.stopped_epoch and history.stopped_epoch <= last:
        rows.append({"epoch": history.stopped_epoch, "mark": f"early stop after epoch {history.stopped_epoch}",
                     "kind": "stop"})
    return pd.DataFrame(rows, columns=["epoch", "mark", "kind"])


def run_colours(runs: list[tuple[str, History]]) -> list[tuple[str, str]]:
    """(label, colour) of each compared run, in the colours the charts draw them: the page
    shows this once, as one legend for all the charts, so no chart gives up width to a legend."""
    return [(label, RUN_RANGE[i % len(RUN_RANGE)]) for i, (label, _) in enumerate(runs)]


def metric_chart(runs: list[tuple[str, History]], metric: str = "loss", upto: int | None = None,
                 height: int = HEIGHT) -> Figure:
    """Loss (or accuracy) per epoch, training vs validation. The first run is the current one:
    its best epoch and early-stop point are marked. `upto` cuts the epochs (animation).
    With several runs, the colour is the run (see `run_colours`) and the dash the split; the
    chart itself carries no legend then."""
    if metric not in ("loss", "accuracy"):
        raise ValueError(f"metric is loss or accuracy, not {metric!r}")
    df = epoch_frame(runs)
    if upto is not None:
        df = df[df["epoch"] <= upto]
    max_epoch = max((h.epochs_run for _, h in runs), default=1)
    datasets = {f"{metric}_per_epoch": df}
    marks = _marks(runs[0][1], upto) if runs else pd.DataFrame(columns=["epoch", "mark", "kind"])
    # A label reads away from the right edge when its epoch is near it, so it stays inside.
    labels = tuple((kind, "right" if kind == "stop" or epoch > 0.6 * max_epoch else "left")
                   for kind, epoch in zip(marks["kind"], marks["epoch"]))
    for kind, _ in labels:
        datasets[f"{kind}_mark"] = marks[marks["kind"] == kind]
    if labels:
        datasets["marks"] = marks
    compare = len(runs) if len(runs) > 1 else 0
    return Figure("metric", (metric, compare, labels, max(max_epoch, 2), height), datasets)


def _run_colour(runs: int) -> alt.Color:
    """Colour by the run's position (0 = this run), the same colours as `run_colours`, no legend."""
    return alt.Color("order:N", scale=alt.Scale(domain=list(range(runs)), range=RUN_RANGE[:runs]), legend=None)


def _metric_chart(metric: str, compare: int, labels: tuple[tuple[str, str], ...], max_epoch: int,
                  height: int = HEIGHT) -> alt.LayerChart:
    x = alt.X("epoch:Q", title="epoch", scale=alt.Scale(domain=[1, max_epoch]), axis=alt.Axis(tickMinStep=1))
    title = "loss (cross-entropy)" if metric == "loss" else "accuracy"
    y = alt.Y(f"{metric}:Q", title=title,
              scale=alt.Scale(domain=[0, 1]) if metric == "accuracy" else alt.Scale(zero=True))
    tooltip = [alt.Tooltip("run:N"), alt.Tooltip("split:N"), alt.Tooltip("epoch:Q"),
               alt.Tooltip(f"{metric}:Q", format=".3f" if metric == "loss" else ".1%")]
    if compare:
        # The legend lists runs in the order given (this run first), and shows the split as a
        # short solid or dashed line: with dots on the lines Vega-Lite would draw both splits
        # as the same black dot.
        enc = dict(color=_run_colour(compare),
                   strokeDash=alt.StrokeDash("split:N", title="split", sort=SPLIT_DOMAIN,
                                             scale=alt.Scale(domain=SPLIT_DOMAIN, range=SPLIT_DASHES),
                                             legend=None))
    else:
        enc = dict(color=alt.Color("split:N", title=None, scale=alt.Scale(domain=SPLIT_DOMAIN, range=SPLIT_RANGE),
                                   legend=alt.Legend(orient="bottom", labelLimit=0)))
    if compare:
        # Dots in their own layer: on the line itself they would turn the split legend into two
        # identical dots instead of a solid and a dashed line.
        layers = [alt.Chart(_data(f"{metric}_per_epoch")).mark_line().encode(x=x, y=y, tooltip=tooltip, **enc),
                  alt.Chart(_data(f"{metric}_per_epoch")).mark_circle(size=25, opacity=1).encode(
                      x=x, y=y, tooltip=tooltip, color=enc["color"], detail=alt.Detail("split:N"))]
    else:
        layers = [alt.Chart(_data(f"{metric}_per_epoch")).mark_line(point=alt.OverlayMarkDef(size=25, filled=True))
                  .encode(x=x, y=y, tooltip=tooltip, **enc)]
    if labels:
        layers.append(alt.Chart(_data("marks")).mark_rule(strokeDash=[4, 4], color="#6b7280").encode(
            x=alt.X("epoch:Q"), tooltip=[alt.Tooltip("mark:N", title="marked")]))
    for kind, align in labels:
        # Loss curves end low and accuracy curves end high: labels go where the curves are not,
        # one above the other so the best-epoch and early-stop labels never overlap.
        if metric == "loss":
            label_y = alt.YValue(10 if kind == "best" else 24)
        else:
            label_y = alt.YDatum(0.06 if kind == "best" else 0.18)
        dx = 4 if align == "left" else -4
        layers.append(alt.Chart(_data(f"{kind}_mark")).mark_text(align=align, dx=dx, color="#374151", fontSize=11)
                      .encode(x=alt.X("epoch:Q"), y=label_y, text=alt.Text("mark:N")))
    return alt.LayerChart(layer=layers, height=height, title=f"{title.split(' ')[0].capitalize()} per epoch")


# -- per-iteration chart ------------------------------------------------------------------

def iteration_frame(runs: list[tuple[str, History]], smoothing: float, upto: int | None = None) -> pd.DataFrame:
    """Per-iteration loss and its smoothed value, thinned to at most MAX_ITERATION_POINTS a run
    (every k-th iteration, so the noise stays visible; smoothing uses all iterations)."""
    parts: dict[str, list] = {"run": [], "order": [], "iteration": [], "epoch": [], "epochs_done": [],
                              "loss": [], "smoothed": []}
    for order, (label, h) in enumerate(runs):
        raw = np.asarray(h.iteration_loss, dtype=float)
        if upto is not None:
            raw = raw[:upto]
        smooth = tensorboard_smooth(raw, smoothing)
        idx = np.arange(len(raw))
        if len(raw) > MAX_ITERATION_POINTS:
            stride = math.ceil(len(raw) / MAX_ITERATION_POINTS)
            idx = np.unique(np.r_[np.arange(0, len(raw), stride), len(raw) - 1])
        parts["run"].append(np.full(len(idx), label, dtype=object))
        parts["order"].append(np.full(len(idx), order))
        parts["iteration"].append(idx + 1)
        parts["epoch"].append(idx // max(h.iterations_per_epoch, 1) + 1)
        # Where the iteration falls in training, in epochs (iteration 25 of 25 per epoch = 1.0):
        # runs with different batch sizes line up on this axis.
        parts["epochs_done"].append((idx + 1) / max(h.iterations_per_epoch, 1))
        parts["loss"].append(raw[idx])
        parts["smoothed"].append(smooth[idx])
    if not runs:
        return pd.DataFrame({k: [] for k in parts})
    return pd.DataFrame({k: np.concatenate(v) for k, v in parts.items()})


def needs_log_axis(runs: list[tuple[str, History]]) -> bool:
    """A log axis only for a run that blew up: it diverged, or some batch loss climbed more
    than 100× above where that run started. Ordinary runs stay linear (a small batch can reach
    a loss of 0.0001, and a log axis would make that tiny wobble look like the whole story)."""
    for _, h in runs:
        if h.diverged:
            return True
        if h.iteration_loss and max(h.iteration_loss) > 100 * max(h.iteration_loss[0], 1e-12):
            return True
    return False


def iteration_chart(runs: list[tuple[str, History]], smoothing: float = 0.6, upto: int | None = None,
                    x_axis: str = "iteration", height: int = HEIGHT) -> Figure:
    """Loss of every batch (one point per weight update), raw and TensorBoard-smoothed.
    `x_axis` is "iteration" (weight updates) or "epoch" (iteration ÷ iterations per epoch,
    which lines up runs of different batch sizes)."""
    if x_axis not in ("iteration", "epoch"):
        raise ValueError(f"x_axis is iteration or epoch, not {x_axis!r}")
    df = iteration_frame(runs, smoothing, upto)
    compare = len(runs) if len(runs) > 1 else 0
    return Figure("iterations", (needs_log_axis(runs), compare, smoothing > 0, x_axis, height), {"iterations": df})


def _iteration_chart(log: bool, compare: int, smoothed: bool, x_axis: str = "iteration",
                     height: int = HEIGHT) -> alt.LayerChart:
    y_scale = alt.Scale(type="log") if log else alt.Scale(zero=True)
    colour = _run_colour(compare) if compare else alt.ColorValue("#4f46e5")
    if x_axis == "epoch":
        x = alt.X("epochs_done:Q", title="epoch (iteration ÷ iterations per epoch)")
    else:
        x = alt.X("iteration:Q", title="iteration (weight update)")
    tooltip = [alt.Tooltip("run:N"), alt.Tooltip("iteration:Q"), alt.Tooltip("epoch:Q"),
               alt.Tooltip("loss:Q", format=".3f"), alt.Tooltip("smoothed:Q", format=".3f")]
    data = _data("iterations")
    # Both layers share one y axis and its title; a log axis says so in the title.
    y_title = "batch loss (log scale: it grew a lot)" if log else "batch loss"
    layers = [alt.Chart(data).mark_line(opacity=0.3 if smoothed else 0.9, strokeWidth=1).encode(
        x=x, y=alt.Y("loss:Q", title=y_title, scale=y_scale),
        color=colour, detail=alt.Detail("run:N"), tooltip=tooltip)]
    if smoothed:
        layers.append(alt.Chart(data).mark_line(strokeWidth=2).encode(
            x=x, y=alt.Y("smoothed:Q", title=y_title, scale=y_scale), color=colour, detail=alt.Detail("run:N"),
            tooltip=tooltip))
    return alt.LayerChart(layer=layers, height=height, title=alt.Title("Loss per iteration", anchor="start"))


# -- decision boundary --------------------------------------------------------------------

def boundary_chart(history: History, resolution: int = 40, epoch: int | None = None,
                   height: int = 360) -> Figure | None:
    """The decision boundary of the final network, with training (circles) and validation
    (crosses) points coloured by their label. None if the run has no usable weights.
    `epoch`: the network as it was after that epoch (from the weights the run recorded for the
    replay), so Animate moves the boundary with the curves."""
    data = make_dataset(history.config)
    weights = None if epoch is None or epoch >= history.epochs_run else history.weights_at(epoch)
    grid = decision_grid(history, resolution, data, weights=weights)
    if grid is None:
        return None
    cells = pd.DataFrame({"x": grid.x - grid.step_x / 2, "x2": grid.x + grid.step_x / 2,
                          "y": grid.y - grid.step_y / 2, "y2": grid.y + grid.step_y / 2,
                          "predicted": grid.predicted.astype(str), "confidence": grid.confidence})
    n_train = len(data.y_train)
    points = pd.DataFrame({"x": np.r_[data.x_train[:, 0], data.x_val[:, 0]],
                           "y": np.r_[data.x_train[:, 1], data.x_val[:, 1]],
                           "label": np.r_[data.y_train, data.y_val].astype(str),
                           "split": np.where(np.arange(n_train + len(data.y_val)) < n_train, TRAIN, VAL)})
    frame = (round(float(cells["x"].min()), 6), round(float(cells["x2"].max()), 6),
             round(float(cells["y"].min()), 6), round(float(cells["y2"].max()), 6))
    if weights is not None:
        shown = max(e for e in history.frame_epochs if e <= epoch)
        title = f"Decision boundary (weights after epoch {shown})"
    elif history.restored_best_weights and history.best_epoch:
        title = f"Decision boundary (weights restored from epoch {history.best_epoch})"
    else:
        title = f"Decision boundary (weights after epoch {history.epochs_run})"
    return Figure("boundary", (*frame, data.classes, title, height), {"grid": cells, "points": points})


def _boundary_chart(x0: float, x1: float, y0: float, y1: float, classes: int,
                    title: str = "Decision boundary", height: int = 360) -> alt.LayerChart:
    xs = alt.Scale(domain=[x0, x1], nice=False, zero=False)
    ys = alt.Scale(domain=[y0, y1], nice=False, zero=False)
    class_colours = alt.Scale(domain=[str(c) for c in range(classes)], range=CLASS_RANGE[:classes])
    background = alt.Chart(_data("grid")).mark_rect().encode(
        x=alt.X("x:Q", scale=xs, title="x₁"), x2=alt.X2("x2:Q"), y=alt.Y("y:Q", scale=ys, title="x₂"),
        y2=alt.Y2("y2:Q"),
        color=alt.Color("predicted:N", scale=class_colours, title="class"),
        opacity=alt.Opacity("confidence:Q", scale=alt.Scale(domain=[1.0 / classes, 1.0], range=[0.05, 0.45]),
                            legend=None),
        tooltip=[alt.Tooltip("predicted:N", title="network says class"),
                 alt.Tooltip("confidence:Q", format=".0%", title="probability")])
    dots = alt.Chart(_data("points")).mark_point(size=22, filled=True, strokeWidth=1).encode(
        x=alt.X("x:Q", scale=xs), y=alt.Y("y:Q", scale=ys),
        color=alt.Color("label:N", scale=class_colours, title="class"),
        shape=alt.Shape("split:N", scale=alt.Scale(domain=SPLIT_DOMAIN, range=["circle", "cross"]), title="points"),
        tooltip=[alt.Tooltip("split:N"), alt.Tooltip("label:N", title="true class"),
                 alt.Tooltip("x:Q", format=".2f"), alt.Tooltip("y:Q", format=".2f")])
    return alt.LayerChart(layer=[background, dots], height=height, title=title)


_BUILDERS: dict[str, Callable[..., alt.LayerChart]] = {
    "metric": _metric_chart, "iterations": _iteration_chart, "boundary": _boundary_chart}
