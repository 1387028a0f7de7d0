"""The run pool (#12): runs in worker processes, shared across sessions, cancelled, with progress."""
from __future__ import annotations

import time

import pytest

from engine.simulator import SimConfig, simulate
from engine.simulator.pool import RunPool, run_key

# About 2 s of training (the budget's ceiling): long enough to be cancelled in the middle.
LONG = SimConfig(batch_size=1, hidden_layers=(64, 64, 64, 64), epochs=500, seed=11)
SHORT = SimConfig(epochs=3, seed=12)


@pytest.fixture(scope="module")
def pool():
    p = RunPool(workers=1)
    yield p
    p.shutdown()


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the pool did not get there"
        time.sleep(0.02)


def test_a_run_from_the_pool_is_the_run_simulate_gives(pool):
    history = pool.run(SHORT, owner="ana")
    assert history == simulate(SHORT)


def test_results_are_shared_across_sessions(pool):
    config = SimConfig(epochs=2, seed=13)
    first = pool.run(config, owner="ana")
    trained = pool.trained
    key = pool.submit(config, owner="ben")  # another session, same settings
    assert pool.wait(key, timeout=0) is first and pool.trained == trained
    assert pool.cached(SimConfig(epochs=2, seed=13, l2=-0.0, noise=0.2)) is first  # one canonical key


def test_a_new_setting_cancels_the_sessions_unfinished_run_and_frees_the_worker(pool):
    long_key = pool.submit(LONG, owner="cara")
    wait_until(lambda: (pool.progress(long_key) or 0) > 0)  # it is training in the only worker
    short_key = pool.submit(SHORT.model_copy(update={"seed": 14}), owner="cara")
    assert pool.wait(short_key, timeout=60) is not None
    # The short run could only finish because the long one gave up the worker: it is neither
    # finished (not cached) nor still running.
    assert pool.cached(LONG) is None and not pool.running(long_key)


def test_a_run_another_session_still_waits_for_is_not_cancelled(pool):
    config = SimConfig(batch_size=2, epochs=30, seed=15)
    key = pool.submit(config, owner="dan")
    pool.submit(config, owner="eve")
    pool.submit(SHORT, owner="dan")  # dan moves on; eve still wants the first run
    assert pool.wait(key, timeout=60) is not None and pool.cached(config) is not None


def test_progress_is_reported_while_it_runs(pool):
    key = pool.submit(LONG.model_copy(update={"seed": 16}), owner="fay")
    seen = set()
    wait_until(lambda: seen.add(round(pool.progress(key) or 0, 3)) or 0 < max(seen) < 1 and len(seen) > 2)
    pool.cancel(key)
    wait_until(lambda: not pool.running(key))
    assert run_key(LONG.model_copy(update={"seed": 16})) == key


def test_the_cache_is_bounded():
    small = RunPool(workers=1, cache_entries=2)
    try:
        for seed in (1, 2, 3):
            small.run(SimConfig(epochs=1, seed=seed))
        assert small.cached(SimConfig(epochs=1, seed=1)) is None
        assert small.cached(SimConfig(epochs=1, seed=3)) is not None
    finally:
        small.shutdown()


def test_a_worker_prepares_the_charts_the_page_shows_first():
    """The charts come from the worker as the page would build them itself (same key, same
    spec, same Arrow bytes), so the server only sends them."""
    from engine.simulator import charts

    prepare = (charts.first_view, (150, 0.6, "iteration"))
    p = RunPool(workers=1, prepare=prepare)
    try:
        config = SimConfig(epochs=3, seed=21)
        key = p.submit(config, owner="ana")
        history = p.wait(key, timeout=60)
        prepared = p.prepared(key)
    finally:
        p.shutdown()
    shown = [("this run", history)]
    expected = {
        charts.chart_key(charts.metric_chart, shown, metric="loss", height=150):
            charts.ready_spec(charts.metric_chart(shown, metric="loss", height=150)),
        charts.chart_key(charts.metric_chart, shown, metric="accuracy", height=150):
            charts.ready_spec(charts.metric_chart(shown, metric="accuracy", height=150)),
        charts.chart_key(charts.iteration_chart, shown, smoothing=0.6, x_axis="iteration"):
            charts.ready_spec(charts.iteration_chart(shown, smoothing=0.6, x_axis="iteration")),
        charts.chart_key(charts.boundary_chart, history): charts.ready_spec(charts.boundary_chart(history)),
    }
    assert prepared == expected


def test_a_failing_preparation_still_gives_the_run():
    p = RunPool(workers=1, prepare=(len, ()))  # len(history) raises TypeError in the worker
    try:
        history = p.run(SHORT, owner="ana")
        assert history == simulate(SHORT)
        assert p.prepared(run_key(SHORT)) == {}
    finally:
        p.shutdown()
