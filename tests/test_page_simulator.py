"""The simulator page as a learner uses it (AppTest): readout, charts, presets, links."""
from __future__ import annotations

import json
import time

import pyarrow as pa
import pytest

PAGE = "pages/simulator.py"


def charts(at) -> dict[str, dict]:
    """Every chart on the page by title: its spec and its datasets as DataFrames."""
    out = {}
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        data = {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in element.proto.datasets}
        title = spec["title"]["text"] if isinstance(spec["title"], dict) else spec["title"]
        out[title] = {"spec": spec, "data": data}
    return out


def open_more_settings(at, is_open: bool = True):
    """Open (or close) the "More settings" popover as the browser does: its widgets are built
    only while it is open."""
    at.session_state["sim_more"] = is_open
    return at.run()


def readout(at) -> str:
    return next(m.value for m in at.markdown if "÷" in m.value)


def test_default_run_shows_the_lessons_arithmetic_and_four_charts(app_test):
    at = app_test(PAGE)
    assert not at.exception
    assert readout(at) == "##### 800 training samples ÷ batch 32 → 25 iterations per epoch; 20 epochs → 500 weight updates"
    drawn = charts(at)
    assert set(drawn) == {"Loss per epoch", "Accuracy per epoch", "Loss per iteration", "Decision boundary (weights after epoch 20)"}
    assert len(drawn["Loss per iteration"]["data"]["iterations"]) == 500
    assert len(drawn["Loss per epoch"]["data"]["loss_per_epoch"]) == 40  # 20 epochs × training/validation
    assert at.query_params["batch_size"] == "32"


def test_changing_the_batch_size_updates_readout_charts_and_link(app_test):
    at = app_test(PAGE)
    before = charts(at)["Loss per epoch"]["data"]["loss_per_epoch"]
    at.number_input(key="sim_batch_size").set_value(8).run()
    assert not at.exception
    assert "batch 8 → 100 iterations per epoch; 20 epochs → 2,000 weight updates" in readout(at)
    after = charts(at)
    assert len(after["Loss per iteration"]["data"]["iterations"]) == 2000
    assert not after["Loss per epoch"]["data"]["loss_per_epoch"]["loss"].equals(before["loss"])
    assert at.query_params["batch_size"] == "8"


def test_a_remainder_is_explained(app_test):
    at = app_test(PAGE)
    at.number_input(key="sim_batch_size").set_value(30).run()
    assert "27 iterations per epoch" in readout(at)
    assert any("a last batch of 20" in c.value for c in at.caption)
    open_more_settings(at)
    at.toggle(key="sim_drop_last").set_value(True).run()
    assert "26 iterations per epoch" in readout(at)


def test_a_link_reproduces_a_run(app_test):
    at = app_test(PAGE, query={"batch_size": "8", "epochs": "5", "learning_rate": "0.03", "hidden_layers": "8"})
    assert not at.exception and not at.warning
    assert "batch 8 → 100 iterations per epoch; 5 epochs → 500 weight updates" in readout(at)
    open_more_settings(at)
    assert at.number_input(key="sim_units_0").value == 8 and at.slider(key="sim_layers").value == 1
    assert at.select_slider(key="sim_learning_rate").value == 0.03


def test_a_link_followed_inside_the_app_replaces_the_settings(app_test):
    at = app_test(PAGE)
    at.number_input(key="sim_epochs").set_value(7).run()
    at.query_params["batch_size"] = "64"  # the address changes under the page, as a link would
    at.run()
    assert "÷ batch 64 → 13 iterations per epoch; 7 epochs → 91 weight updates" in readout(at)
    assert at.number_input(key="sim_batch_size").value == 64
    at.number_input(key="sim_epochs").set_value(3).run()  # …and the widgets lead again
    assert "÷ batch 64 → 13 iterations per epoch; 3 epochs → 39 weight updates" in readout(at)


def test_tampered_link_values_are_clamped_with_a_visible_note(app_test):
    at = app_test(PAGE, query={"batch_size": "99999", "learning_rate": "abc", "dataset": "<b>mnist</b>",
                               "hidden_layers": "16,16,16,16,16"})
    assert not at.exception
    notes = [w.value.replace("\\", "") for w in at.warning]  # shown with Markdown escapes
    assert len(notes) == 4
    assert any("batch_size" in n and "2000" in n for n in notes)
    assert any("learning_rate" in n and "could not read" in n for n in notes)
    assert any("dataset" in n for n in notes) and any("hidden_layers" in n for n in notes)
    assert "÷ batch 2,000 → 1 iteration per epoch" in readout(at)
    assert at.query_params["batch_size"] == "2000" and at.query_params["dataset"] == "moons"
    # The note goes away once the learner changes a setting.
    at.number_input(key="sim_batch_size").set_value(64).run()
    assert not at.warning


def test_a_tampered_value_is_shown_as_typed_never_as_markup(app_test):
    at = app_test(PAGE, query={"dataset": "[prize](http://evil.example) **now** $x$"})
    (note,) = [w.value for w in at.warning]
    assert r"\[prize\]\(http\:" + "\u2060" + r"//evil\.example\) \*\*now\*\* \$x\$" in note
    assert "http://" not in note  # a bare address would still become a live link


def test_overfitting_preset_explains_itself_and_marks_the_best_epoch(app_test):
    at = app_test(PAGE)
    at.selectbox(key="sim_preset_pick").set_value("Overfitting").run()
    assert not at.exception
    assert any(i.value.startswith("**Overfitting.**") for i in at.info)
    open_more_settings(at)
    assert at.number_input(key="sim_n_samples").value == 160
    marks = charts(at)["Loss per epoch"]["data"]["marks"]["mark"].tolist()
    assert marks and marks[0].startswith("best epoch")
    at.number_input(key="sim_epochs").set_value(100).run()
    assert not any(i.value.startswith("**Overfitting.**") for i in at.info)  # no longer the preset


def test_learning_rate_too_high_preset_explains_the_divergence(app_test):
    at = app_test(PAGE)
    at.selectbox(key="sim_preset_pick").set_value("Learning rate too high").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "diverged" in errors[0] and "learning rate 3 is too high" in errors[0]
    drawn = charts(at)
    assert set(drawn) == {"Loss per iteration"}  # no broken per-epoch charts, no boundary
    assert drawn["Loss per iteration"]["spec"]["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    assert any("No decision boundary" in i.value for i in at.info)


def test_tiny_vs_huge_batch_preset_overlays_both_runs(app_test):
    at = app_test(PAGE)
    at.selectbox(key="sim_preset_pick").set_value("Tiny vs huge batch").run()
    runs = set(charts(at)["Loss per epoch"]["data"]["loss_per_epoch"]["run"])
    assert runs == {"batch 4 (this run)", "batch 800"}
    assert at.button(key="sim_clear").label == "Clear (1 kept)"


def test_early_stopping_preset_reports_where_it_stopped(app_test):
    at = app_test(PAGE)
    at.selectbox(key="sim_preset_pick").set_value("Early stopping").run()
    assert any("Early stopping ended training after epoch" in s.value for s in at.success)
    marks = charts(at)["Loss per epoch"]["data"]["marks"]["mark"].tolist()
    assert any(m.startswith("early stop after epoch") for m in marks)


def test_just_right_preset_returns_to_the_defaults(app_test):
    at = app_test(PAGE, query={"batch_size": "8"})
    at.selectbox(key="sim_preset_pick").set_value("Just right").run()
    assert "batch 32 → 25 iterations" in readout(at)


def test_compare_keeps_a_run_and_the_legend_says_what_differs(app_test):
    at = app_test(PAGE)
    at.button(key="sim_keep").click().run()
    at.number_input(key="sim_batch_size").set_value(256).run()
    frame = charts(at)["Loss per epoch"]["data"]["loss_per_epoch"]
    assert set(frame["run"]) == {"batch 256 (this run)", "batch 32"}
    at.button(key="sim_clear").click().run()
    assert set(charts(at)["Loss per epoch"]["data"]["loss_per_epoch"]["run"]) == {"this run"}


def test_animate_replays_the_run_with_a_progress_readout(app_test):
    at = app_test(PAGE, query={"epochs": "4"})
    at.button(key="sim_animate_button").click().run()
    assert not at.exception
    assert any(m.value == "✓ epoch 4/4 · iteration 100/100 (25 per epoch)" for m in at.markdown)
    assert len(charts(at)) == 4


def test_three_blobs_switch_the_output_to_softmax(app_test):
    at = open_more_settings(app_test(PAGE))
    at.selectbox(key="sim_dataset").set_value("blobs").run()
    at.segmented_control(key="sim_n_classes").set_value(3).run()
    assert not at.exception and not at.error
    assert at.query_params["output"] == "softmax" and at.query_params["n_classes"] == "3"
    classes = set(charts(at)["Decision boundary (weights after epoch 20)"]["data"]["points"]["label"])
    assert classes == {"0", "1", "2"}


def test_a_capped_run_says_so(app_test):
    from engine.simulator import SimConfig, budget

    # The costly link: 4 × 64 units at batch 1 for 500 epochs on 1,800 samples.
    query = {"batch_size": "1", "hidden_layers": "64,64,64,64", "epochs": "500", "n_samples": "2000",
             "val_fraction": "0.1", "seed": "77"}
    epochs, note = budget.planned_epochs(SimConfig.from_query_params(query)[0])
    at = app_test(PAGE, query=query, timeout=90)
    assert not at.exception
    assert any(f"so only {epochs} epochs run" in i.value for i in at.info)
    assert readout(at).endswith(f"ran: {epochs} epochs → {epochs * 1800:,} weight updates (capped by the work budget)")


@pytest.mark.parametrize("name", ["Overfitting", "Early stopping", "Just right"])
def test_presets_survive_a_round_trip_through_the_link(app_test, name):
    from engine.simulator import PRESETS

    at = app_test(PAGE, query=PRESETS[name].config.to_query_params())
    assert not at.exception and not at.warning
    assert at.number_input(key="sim_epochs").value == PRESETS[name].config.epochs


def test_batch_size_1_trains_with_a_progress_bar_and_stays_usable(app_test):
    at = app_test(PAGE, query={"batch_size": "1", "epochs": "32", "seed": "5"})
    assert not at.exception
    assert "÷ batch 1 → 800 iterations per epoch; 32 epochs → 25,600 weight updates" in readout(at)
    frame = charts(at)["Loss per iteration"]["data"]["iterations"]
    assert 1000 < len(frame) <= 2001 and frame["iteration"].max() == 25_600  # thinned for the browser
    at.number_input(key="sim_batch_size").set_value(2).run()
    at.number_input(key="sim_batch_size").set_value(1).run()  # back again: from the cache
    assert not at.exception and len(charts(at)) == 4


# -- after the new-user trial --------------------------------------------------------------

def test_a_baseline_stop_gives_the_true_reason(app_test):
    at = app_test(PAGE, query={"early_stopping": "1", "baseline": "0.01", "patience": "5"})
    (stop,) = [s.value for s in at.success]
    assert "never got below the baseline of 0.01" in stop and "had not improved" not in stop


def test_the_headline_shows_what_ran_after_early_stopping(app_test):
    at = app_test(PAGE)
    at.selectbox(key="sim_preset_pick").set_value("Early stopping").run()
    head = readout(at)
    assert "planned: 150 epochs → 1,500 weight updates; ran: 20 epochs → 200 weight updates (early stopping)" in head


def test_restored_weights_show_the_best_epochs_figures_and_say_so(app_test):
    from engine.simulator import PRESETS, simulate

    h = simulate(PRESETS["Early stopping"].config)
    at = app_test(PAGE)
    at.selectbox(key="sim_preset_pick").set_value("Early stopping").run()
    assert h.epochs_run != h.best_epoch
    facts = next(m for m in at.markdown if m.value.startswith(f"Epoch {h.best_epoch} (restored):"))
    at_best = h.best_epoch - 1
    assert (f"validation accuracy **{h.val_accuracy[at_best]:.1%}** · validation loss **{h.val_loss[at_best]:.3f}** · "
            f"training loss **{h.loss[at_best]:.3f}**") in facts.value
    assert f"Decision boundary (weights restored from epoch {h.best_epoch})" in charts(at)
    assert any(f"Weights restored from epoch {h.best_epoch}" in c.value for c in at.caption)


def test_comparing_batch_sizes_lines_the_iterations_up_by_epoch(app_test):
    at = app_test(PAGE)
    at.selectbox(key="sim_preset_pick").set_value("Tiny vs huge batch").run()
    assert at.segmented_control(key="sim_iter_axis").value == "epoch"
    chart = charts(at)["Loss per iteration"]
    assert chart["spec"]["layer"][0]["encoding"]["x"]["field"] == "epochs_done"
    at.segmented_control(key="sim_iter_axis").set_value("iteration").run()
    assert charts(at)["Loss per iteration"]["spec"]["layer"][0]["encoding"]["x"]["field"] == "iteration"
    at.button(key="sim_clear").click().run()
    assert at.segmented_control(key="sim_iter_axis").value == "iteration"


def test_a_preset_link_brings_back_the_lesson_and_the_comparison(app_test):
    at = app_test(PAGE)
    at.selectbox(key="sim_preset_pick").set_value("Tiny vs huge batch").run()
    link = dict(at.query_params)
    assert link["preset"] == "tiny-vs-huge-batch"
    fresh = app_test(PAGE, query={k: v[-1] if isinstance(v, list) else v for k, v in link.items()})
    assert any(i.value.startswith("**Tiny vs huge batch.**") for i in fresh.info)
    assert set(charts(fresh)["Loss per epoch"]["data"]["loss_per_epoch"]["run"]) == {"batch 4 (this run)", "batch 800"}
    fresh.number_input(key="sim_epochs").set_value(5).run()  # no longer the preset: the link says so
    assert "preset" not in fresh.query_params


def test_a_preset_name_with_other_settings_shows_no_lesson(app_test):
    at = app_test(PAGE, query={"preset": "tiny-vs-huge-batch", "batch_size": "16"})
    assert not any("Tiny vs huge batch" in i.value for i in at.info) and "preset" not in at.query_params


def test_typed_out_of_range_numbers_are_clamped_with_the_allowed_range(app_test):
    at = app_test(PAGE)
    assert at.number_input(key="sim_epochs").help == "From 1 to 500."
    at.number_input(key="sim_epochs").set_value(9999).run()
    assert not at.exception
    assert at.number_input(key="sim_epochs").value == 500
    notes = [w.value for w in at.warning]
    assert notes == ["Epochs: 9,999 is above the largest allowed value; using 500 (allowed: 1 to 500)."]
    at.number_input(key="sim_batch_size").set_value(0).run()
    assert at.number_input(key="sim_batch_size").value == 1
    assert [w.value for w in at.warning] == [
        "Batch size: 0 is below the smallest allowed value; using 1 (allowed: 1 to 2,000)."]


def test_an_unstable_run_that_does_not_overflow_is_explained(app_test):
    at = app_test(PAGE, query={"learning_rate": "10.0"})
    assert not at.error
    (warning,) = [w.value for w in at.warning]
    facts = next(m.value for m in at.markdown if m.value.startswith("Epoch 20:"))
    accuracy = facts.split("validation accuracy **")[1].split("**")[0]
    # 82.5 % validation accuracy is not "did not learn": the warning names what the figures show.
    assert float(accuracy.rstrip("%")) > 70 and "did not learn" not in warning
    assert "This run is unstable" in warning and "far above" in warning and accuracy in warning


def test_a_run_at_chance_is_said_not_to_learn(app_test):
    at = app_test(PAGE, query={"hidden_layers": "none", "dataset": "circles", "epochs": "10"})  # no hidden layer
    assert any("This run did not learn" in w.value and "guessing" in w.value for w in at.warning)


def test_animation_skips_frames_when_drawing_is_slow_but_ends_on_the_last_epoch(monkeypatch):
    import ui.simulator_runs as sim
    from engine.simulator import History, SimConfig

    drawn, status = [], []

    class Holder:
        def markdown(self, text):
            status.append(text)

    def slow_draw(holder, chart):
        time.sleep(0.05)  # a big chart: 3 charts a frame make 0.15 s, so 40 frames would take 6 s
        drawn.append(chart)

    monkeypatch.setattr(sim, "draw", slow_draw)
    monkeypatch.setattr(sim, "ready_spec", lambda figure: figure)
    monkeypatch.setattr(sim.charts, "metric_chart", lambda runs, metric, upto, height: upto)
    monkeypatch.setattr(sim.charts, "iteration_chart", lambda runs, smoothing, upto, x_axis: upto)
    history = History(config=SimConfig(), epochs_run=200, iterations_per_epoch=10)
    holders = {name: Holder() for name in ("status", "loss", "accuracy", "iterations")}
    sim.animate([("this run", history)], 0.0, holders)
    frames = drawn[::3]
    assert len(sim.animate_frames(200)) == 40
    assert 5 <= len(frames) < 40          # frames were skipped to keep to the time budget
    assert frames[-1] == 200               # the replay still ends on the last epoch
    assert status[-1].startswith("✓ epoch 200/200")


# -- #11, #13, #14 -------------------------------------------------------------------------------

def test_an_unknown_preset_in_a_link_gets_a_note(app_test):
    at = app_test(PAGE, query={"preset": "magic-mode", "batch_size": "16"})
    assert not at.exception
    (note,) = [w.value.replace("\\", "") for w in at.warning]
    assert "'magic-mode' is not one of this simulator's presets" in note and "early-stopping" in note
    assert "÷ batch 16 →" in readout(at)


def test_negative_zero_and_float_edges_in_a_link_never_break_the_page(app_test):
    at = app_test(PAGE, query={"noise": "-0.0", "l2": "-0", "learning_rate": "1e-320", "momentum": "nan",
                               "min_delta": "inf", "epochs": "2"})
    assert not at.exception and not at.error
    notes = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "learning_rate: 1e-320 is below the smallest allowed value" in notes
    assert "momentum: could not read 'nan'" in notes and "min_delta: could not read 'inf'" in notes
    assert at.query_params["noise"] == "0.0"


def test_the_oldest_kept_run_is_dropped_with_a_note_and_one_legend_names_every_run(app_test):
    at = app_test(PAGE, query={"epochs": "2"})
    for batch in (8, 16, 64, 128, 256):
        at.number_input(key="sim_batch_size").set_value(batch).run()
        at.button(key="sim_keep").click().run()
    assert at.button(key="sim_clear").label == "Clear (4 kept)"
    assert any("At most 4 runs are kept for comparison: the oldest one (batch 8) was dropped" in c.value
               for c in at.caption)
    at.number_input(key="sim_batch_size").set_value(32).run()
    legend = next(m.value for m in at.markdown if "solid line: training, dashed: validation" in m.value)
    for label in ("batch 32 (this run)", "batch 16", "batch 64", "batch 128", "batch 256"):
        assert label in legend
    assert "batch 8<" not in legend
    assert set(charts(at)["Loss per epoch"]["data"]["loss_per_epoch"]["run"]) == {
        "batch 32 (this run)", "batch 16", "batch 64", "batch 128", "batch 256"}


def test_the_caption_says_exactly_what_the_loss_includes(app_test):
    at = app_test(PAGE, query={"l2": "0.01", "epochs": "2"})
    text = " ".join(c.value for c in at.caption)
    assert "Loss is the cross-entropy" in text and "both losses include the penalty l2/2" in text
    plain = app_test(PAGE, query={"epochs": "2"})
    assert "penalty" not in " ".join(c.value for c in plain.caption)


def test_a_chart_shown_again_is_sent_from_the_cache_with_the_same_data():
    """A rerun showing the same run (a page visit, a change elsewhere) reuses the chart, and the
    Arrow bytes it sends decode to the very table the chart was built from."""
    import pyarrow as pa

    import ui.simulator_runs as sim
    from engine.simulator import SimConfig, charts, simulate

    history = simulate(SimConfig(epochs=3, seed=11))
    built = []

    def loss_or_accuracy(shown, **settings):
        built.append(settings)
        return charts.metric_chart(shown, **settings)

    shown = [("this run", history)]
    first = sim.chart_spec(loss_or_accuracy, shown, metric="loss")
    again = sim.chart_spec(loss_or_accuracy, shown, metric="loss")
    sim.chart_spec(loss_or_accuracy, shown, metric="accuracy")
    sim.chart_spec(loss_or_accuracy, [("kept", history)], metric="loss")  # labels are part of the chart
    assert again is first
    assert built == [{"metric": "loss"}, {"metric": "accuracy"}, {"metric": "loss"}]
    expected = charts.metric_chart(shown, metric="loss").datasets["loss_per_epoch"]
    sent = pa.ipc.open_stream(first["datasets"]["loss_per_epoch"]).read_all().to_pandas()
    assert sent.equals(expected)


def test_more_settings_keep_their_values_while_the_panel_is_closed(app_test):
    # Closed, the panel's widgets are not built at all; what was set in it must still count.
    at = open_more_settings(app_test(PAGE))
    assert at.slider(key="sim_noise")
    at.slider(key="sim_noise").set_value(0.5).run()
    at.toggle(key="sim_drop_last").set_value(True).run()
    open_more_settings(at, False)
    assert not at.get("slider") or all(s.key != "sim_noise" for s in at.slider)
    at.number_input(key="sim_batch_size").set_value(30).run()
    at.number_input(key="sim_epochs").set_value(4).run()
    assert not at.exception
    assert at.query_params["noise"] == "0.5" and at.query_params["drop_last"] in ("1", "true", "True")
    assert "26 iterations per epoch" in readout(at)  # drop_last: 800 samples, batch 30
    open_more_settings(at)
    assert at.slider(key="sim_noise").value == 0.5 and at.toggle(key="sim_drop_last").value is True


def test_momentum_set_then_hidden_by_another_optimizer_comes_back_as_set(app_test):
    at = app_test(PAGE)
    at.selectbox(key="sim_optimizer").set_value("momentum").run()
    open_more_settings(at)
    at.slider(key="sim_momentum").set_value(0.5).run()
    at.selectbox(key="sim_optimizer").set_value("adam").run()  # momentum's slider is not drawn
    at.selectbox(key="sim_optimizer").set_value("momentum").run()
    assert at.slider(key="sim_momentum").value == 0.5
    assert at.query_params["momentum"] == "0.5"


def test_the_charts_of_a_new_run_come_ready_from_its_worker(app_test, monkeypatch):
    """The server sends the run's charts as the worker built them: with the charts' builders
    broken on the server, the page still shows all four (for a run it has not seen before)."""
    import ui.simulator_runs as runs

    at = app_test(PAGE, query={"seed": "4242", "epochs": "3"})
    assert len(charts(at)) == 4

    def no_building_here(*args, **kwargs):
        raise AssertionError("built on the server")

    monkeypatch.setattr(runs, "ready_spec", no_building_here)
    at.number_input(key="sim_epochs").set_value(4).run()
    assert not at.exception
    assert "Loss per epoch" in charts(at) and len(charts(at)) == 4
