"""Settings, links, the readout and the charts: what the page builds on."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from engine.simulator import SimConfig, describe_differences, iterations_readout, readout_details, simulate
from engine.simulator import charts
from engine.simulator.presets import PRESETS


# -- validation -----------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [dict(batch_size=0), dict(hidden_layers=(16,) * 5), dict(hidden_layers=(65,)),
                                 dict(learning_rate=float("nan")), dict(dataset="mnist"), dict(epochs=501),
                                 dict(dataset="blobs", n_classes=3, output="sigmoid"), dict(surprise=1)])
def test_invalid_settings_are_refused(bad):
    with pytest.raises(ValidationError):
        SimConfig(**bad)


def test_three_classes_only_for_blobs_and_spiral():
    assert SimConfig(dataset="moons", n_classes=3).classes == 2
    assert SimConfig(dataset="spiral", n_classes=3, output="softmax").classes == 3


def test_split_sizes():
    assert (SimConfig().n_train, SimConfig().n_val) == (800, 200)
    assert SimConfig(n_samples=41, val_fraction=0.1).n_val == 4


# -- links ----------------------------------------------------------------------------------

configs = st.builds(
    SimConfig,
    dataset=st.sampled_from(["moons", "circles", "spiral", "blobs", "xor"]),
    n_samples=st.integers(40, 2000), noise=st.floats(0, 1), label_noise=st.floats(0, 0.5),
    val_fraction=st.floats(0.1, 0.5), seed=st.integers(0, 2**31 - 1),
    hidden_layers=st.lists(st.integers(1, 64), max_size=4).map(tuple),
    activation=st.sampled_from(["relu", "tanh", "sigmoid"]), output=st.just("softmax"),
    optimizer=st.sampled_from(["sgd", "momentum", "adam"]), learning_rate=st.floats(1e-5, 10),
    momentum=st.floats(0, 0.99), batch_size=st.integers(1, 2000), epochs=st.integers(1, 500),
    l2=st.floats(0, 1), drop_last=st.booleans(), early_stopping=st.booleans(),
    monitor=st.sampled_from(["val_loss", "val_accuracy"]), min_delta=st.floats(0, 1),
    patience=st.integers(0, 100), restore_best_weights=st.booleans(),
    baseline=st.none() | st.floats(0, 100), n_classes=st.integers(2, 3),
)


@settings(max_examples=200, deadline=None)
@given(configs)
def test_a_link_reproduces_the_config_exactly(config):
    params = config.to_query_params()
    assert all(isinstance(v, str) for v in params.values())
    again, notes = SimConfig.from_query_params(params)
    assert again == config and notes == []


def test_a_partial_link_fills_in_defaults():
    config, notes = SimConfig.from_query_params({"batch_size": "8", "lesson": "training-phases"})
    assert config == SimConfig(batch_size=8) and notes == []


@pytest.mark.parametrize("params,field,expected,note_contains", [
    ({"batch_size": "5000"}, "batch_size", 2000, "largest allowed"),
    ({"batch_size": "-3"}, "batch_size", 1, "smallest allowed"),
    ({"learning_rate": "100"}, "learning_rate", 10.0, "largest allowed"),
    ({"learning_rate": "abc"}, "learning_rate", 0.01, "could not read"),
    ({"learning_rate": "nan"}, "learning_rate", 0.01, "could not read"),
    ({"epochs": "2.6"}, "epochs", 3, "whole number"),
    ({"epochs": "1e9"}, "epochs", 500, "largest allowed"),
    ({"dataset": "<script>"}, "dataset", "moons", "not one of"),
    ({"drop_last": "maybe"}, "drop_last", False, "could not read"),
    ({"hidden_layers": "100,0,5,5,5"}, "hidden_layers", (64, 1, 5, 5), "at most 4"),
    ({"hidden_layers": "x,y"}, "hidden_layers", (16, 16), "could not read"),
    ({"dataset": "blobs", "n_classes": "3", "output": "sigmoid"}, "output", "softmax", "softmax"),
    ({"val_fraction": "0.99"}, "val_fraction", 0.5, "largest allowed"),
    ({"noise": "-inf"}, "noise", 0.2, "could not read"),
])
def test_tampered_values_are_clamped_with_a_note(params, field, expected, note_contains):
    config, notes = SimConfig.from_query_params(params)
    assert getattr(config, field) == expected
    assert len(notes) == 1 and field in notes[0] and note_contains in notes[0]


def test_three_classes_without_an_output_choose_softmax_quietly():
    config, notes = SimConfig.from_query_params({"dataset": "spiral", "n_classes": "3"})
    assert config.output == "softmax" and notes == []


def test_the_fixed_values_are_valid_and_named():
    config, notes = SimConfig.from_query_params({"batch_size": "0", "epochs": "-1", "seed": "-5", "momentum": "7"})
    assert (config.batch_size, config.epochs, config.seed, config.momentum) == (1, 1, 0, 0.99)
    assert [n.split(":")[0] for n in notes] == ["seed", "momentum", "batch_size", "epochs"]


def test_empty_hidden_layers_mean_no_hidden_layer():
    config = SimConfig(hidden_layers=())
    assert config.to_query_params()["hidden_layers"] == "none"
    assert SimConfig.from_query_params({"hidden_layers": "none"})[0].hidden_layers == ()
    assert simulate(config.model_copy(update={"epochs": 2})).epochs_run == 2


# -- readout --------------------------------------------------------------------------------

def test_readout_says_it_in_the_lessons_words():
    assert iterations_readout(SimConfig()) == (
        "800 training samples ÷ batch 32 → 25 iterations per epoch; 20 epochs → 500 weight updates")
    assert iterations_readout(SimConfig(batch_size=800, epochs=1)) == (
        "800 training samples ÷ batch 800 → 1 iteration per epoch; 1 epoch → 1 weight update")
    assert iterations_readout(SimConfig(n_samples=1250, batch_size=30, drop_last=True)) == (
        "1,000 training samples ÷ batch 30 → 33 iterations per epoch; 20 epochs → 660 weight updates")


def test_readout_details_explain_the_last_batch():
    assert "a last batch of 20" in readout_details(SimConfig(batch_size=30))[1]
    assert "20 are dropped" in readout_details(SimConfig(batch_size=30, drop_last=True))[1]
    assert "every batch is full" in readout_details(SimConfig())[1]
    assert "nothing left" in readout_details(SimConfig(batch_size=900, drop_last=True))[1]


def test_legend_names_only_what_differs():
    assert describe_differences([SimConfig(batch_size=8), SimConfig(batch_size=256)]) == ["batch 8", "batch 256"]
    assert describe_differences([SimConfig(), SimConfig(learning_rate=0.1, optimizer="sgd")]) == [
        "adam, lr 0.01", "sgd, lr 0.1"]
    assert describe_differences([SimConfig(), SimConfig()]) == ["run 1", "run 2"]
    assert describe_differences([SimConfig(batch_size=8), SimConfig(batch_size=8), SimConfig(batch_size=256)]) == [
        "batch 8", "batch 8 (#2)", "batch 256"]


# -- smoothing and charts -------------------------------------------------------------------

def reference_smooth(values, weight):
    out, last, n = [], 0.0, 0
    for v in values:
        if not math.isfinite(v):
            out.append(v)
            continue
        last = last * weight + (1 - weight) * v
        n += 1
        out.append(last / (1 - weight ** n))
    return out


def test_tensorboard_smoothing_is_the_debiased_moving_average():
    values = [1.0, 0.5, float("nan"), 0.8, 0.2, 0.4]
    np.testing.assert_allclose(charts.tensorboard_smooth(values, 0.6), reference_smooth(values, 0.6))
    assert charts.tensorboard_smooth([2.0, 1.0], 0.9)[0] == 2.0  # debiased: no pull toward 0
    np.testing.assert_array_equal(charts.tensorboard_smooth([3.0] * 5, 0.6), [3.0] * 5)
    np.testing.assert_array_equal(charts.tensorboard_smooth([1.0, 2.0], 0.0), [1.0, 2.0])


def spec_layers(figure):
    return figure.validate()["layer"]


def test_charts_are_valid_vega_lite_and_mark_best_and_stop():
    h = simulate(PRESETS["Early stopping"].config)
    loss = charts.metric_chart([("now", h)], "loss")
    marks = loss.datasets["marks"]["mark"].tolist()
    assert marks == [f"best epoch {h.best_epoch}", f"early stop after epoch {h.stopped_epoch}"]
    assert len(spec_layers(loss)) == 4  # the curves, the marking rules, one label per mark
    acc = charts.metric_chart([("now", h)], "accuracy")
    assert acc.datasets["accuracy_per_epoch"]["accuracy"].between(0, 1).all()
    spec_layers(charts.iteration_chart([("now", h)], 0.6))
    spec_layers(charts.boundary_chart(h))
    spec = loss.spec()
    assert set(spec["datasets"]) == {"loss_per_epoch", "marks", "best_mark", "stop_mark"}


def test_compare_overlays_runs_with_their_differences_in_the_legend():
    runs = [SimConfig(batch_size=8, epochs=3), SimConfig(batch_size=256, epochs=3)]
    histories = [simulate(c) for c in runs]
    figure = charts.metric_chart(list(zip(describe_differences(runs), histories)))
    frame = figure.datasets["loss_per_epoch"]
    assert set(frame["run"]) == {"batch 8", "batch 256"} and len(frame) == 12
    layer = spec_layers(figure)[0]
    assert layer["encoding"]["color"]["field"] == "order" and layer["encoding"]["strokeDash"]["field"] == "split"
    assert any(t["field"] == "run" for t in layer["encoding"]["tooltip"])  # hovering names the run


def test_iteration_chart_thins_long_runs_but_keeps_the_last_point():
    h = simulate(SimConfig(batch_size=4, epochs=40))  # 8,000 iterations
    frame = charts.iteration_chart([("now", h)], 0.6).datasets["iterations"]
    assert len(frame) <= charts.MAX_ITERATION_POINTS + 1 and frame["iteration"].iloc[-1] == 8000
    assert frame["loss"].iloc[-1] == pytest.approx(h.iteration_loss[-1])


def test_a_diverged_run_draws_on_a_log_axis_and_has_no_boundary():
    h = simulate(PRESETS["Learning rate too high"].config)
    layer = spec_layers(charts.iteration_chart([("now", h)], 0.6))[0]
    assert layer["encoding"]["y"]["scale"]["type"] == "log"
    assert charts.boundary_chart(h) is None


def test_a_batch_larger_than_the_training_set_is_worded_naturally():
    lines = readout_details(SimConfig(n_samples=40, val_fraction=0.5, batch_size=32))
    assert lines[1] == "The batch size (32) is larger than the 20 training samples: one batch of 20 per epoch."


def test_ordinary_small_batch_runs_keep_a_linear_loss_axis():
    from engine.simulator import charts

    small = simulate(SimConfig(batch_size=4))
    assert min(small.iteration_loss) < 1e-3  # the case that used to switch to a log axis
    spec = charts.iteration_chart([("this run", small)]).spec()
    assert spec["layer"][0]["encoding"]["y"]["scale"] == {"zero": True}


def test_compare_legend_shows_line_styles_and_this_run_first():
    from engine.simulator import charts

    runs = [("batch 8 (this run)", simulate(SimConfig(batch_size=8, epochs=2))),
            ("batch 256", simulate(SimConfig(batch_size=256, epochs=2)))]
    figure = charts.metric_chart(runs, "loss")
    figure.validate()
    enc = figure.spec()["layer"][0]["encoding"]
    # No legend inside the chart: the page shows one legend for all charts (run_colours), so
    # the plot keeps its whole width.
    assert enc["strokeDash"]["legend"] is None and enc["color"]["legend"] is None
    assert enc["strokeDash"]["scale"]["range"][0] != enc["strokeDash"]["scale"]["range"][1]
    # The shared legend's colours are the chart's: run i (0 = this run) gets colour i.
    assert enc["color"]["scale"]["domain"] == [0, 1]
    assert enc["color"]["scale"]["range"] == [colour for _, colour in charts.run_colours(runs)]
    frame = figure.datasets["loss_per_epoch"]
    assert frame.loc[frame["order"] == 0, "run"].unique().tolist() == ["batch 8 (this run)"]


def test_iteration_chart_can_line_runs_up_by_epoch():
    from engine.simulator import charts

    runs = [("batch 4 (this run)", simulate(SimConfig(batch_size=4, epochs=3))),
            ("batch 800", simulate(SimConfig(batch_size=800, epochs=3)))]
    figure = charts.iteration_chart(runs, x_axis="epoch")
    figure.validate()
    assert figure.spec()["layer"][0]["encoding"]["x"]["field"] == "epochs_done"
    frame = figure.datasets["iterations"]
    ends = frame.groupby("run")["epochs_done"].max().to_dict()
    assert ends == {"batch 4 (this run)": 3.0, "batch 800": 3.0}  # both span the same 3 epochs
