"""Benchmark: the simulator engine against what a learner would otherwise use, and the page.

Identical work for every contender, in the same run, interleaved (so a busy neighbour slows
all of them alike): a 2-16-16-1 tanh network, 1,000 training + 250 validation samples (two
moons), 100 epochs, batch 32 (32 iterations per epoch, the last of 8), Adam (lr 0.01), the
loss of every iteration, and per epoch the training loss and accuracy and the validation
loss and accuracy.

- ours: `simulate(config)`.
- scikit-learn: `MLPClassifier.partial_fit` once per epoch (one pass, batch 32, reshuffled),
  then `predict_proba` on the training and validation samples together for the four epoch
  metrics. scikit-learn does not report per-iteration losses, so it does a little less work.
- PyTorch (if installed): the usual loop on the CPU (`randperm` each epoch, `loss.item()`
  each iteration, evaluation under `no_grad`).
- the page: AppTest, one whole interaction = change the batch size to a value not seen
  before → new run → all four charts redrawn (server time, the median over many
  interactions); and the same with the run already cached.

Every figure is given twice: wall-clock time, and the CPU time of this process
(`time.process_time`). On a shared machine the wall clock also counts the time other
programs held the cores; CPU time does not, so it is the steadier figure when the load
average is above the number of cores (the conditions are printed with the figures).

- the budget (`--budget`): the costliest configurations a student or a hand-edited link can
  ask for (largest network, batch 1 and full batch, most samples, most epochs, every optimizer
  and activation, and a link clamped from batch 0 / 99,999 epochs), each trained once in a
  worker-like setting (one BLAS thread): the work units the budget counted, its estimate of the
  seconds, the CPU seconds measured, and how many epochs the budget let run.

Run: .venv/bin/python bench/bench_simulator.py [--repeats 9] [--page-interactions 24] [--budget]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from engine.simulator import SimConfig, simulate  # noqa: E402
from engine.simulator.datasets import make_dataset  # noqa: E402

CONFIG = SimConfig(dataset="moons", n_samples=1250, val_fraction=0.2, hidden_layers=(16, 16), activation="tanh",
                   output="sigmoid", optimizer="adam", learning_rate=0.01, batch_size=32, epochs=100)


def ours() -> float:
    h = simulate(CONFIG)
    assert len(h.iteration_loss) == 3200 and h.epochs_run == 100
    return h.val_accuracy[-1]


def sklearn_job():
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    data = make_dataset(CONFIG)
    x_all = np.r_[data.x_train, data.x_val]
    y_all = np.r_[data.y_train, data.y_val]
    n = len(data.x_train)

    def run() -> float:
        model = MLPClassifier(hidden_layer_sizes=(16, 16), activation="tanh", solver="adam", batch_size=32,
                              learning_rate_init=0.01, random_state=0)
        history = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for _ in range(CONFIG.epochs):
                model.partial_fit(data.x_train, data.y_train, classes=[0, 1])
                # The four epoch metrics from one predict_proba over both splits, computed with
                # NumPy as ours are (sklearn.metrics.log_loss would add its input checks).
                p = np.clip(model.predict_proba(x_all)[np.arange(len(y_all)), y_all], 1e-15, 1.0)
                losses, correct = -np.log(p), p > 0.5
                history.append((losses[:n].mean(), correct[:n].mean(), losses[n:].mean(), correct[n:].mean()))
        return history[-1][3]

    return run


def torch_job():
    try:
        import torch
    except ImportError:
        return None
    data = make_dataset(CONFIG)
    x_train = torch.tensor(data.x_train, dtype=torch.float32)
    y_train = torch.tensor(data.y_train, dtype=torch.float32)[:, None]
    x_all = torch.tensor(np.r_[data.x_train, data.x_val], dtype=torch.float32)
    y_all = torch.tensor(np.r_[data.y_train, data.y_val], dtype=torch.float32)[:, None]
    n = len(x_train)

    def run() -> float:
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
                                    torch.nn.Linear(16, 1))
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        per_iteration, per_epoch = [], []
        for _ in range(CONFIG.epochs):
            order = torch.randperm(n)
            for start in range(0, n, 32):
                idx = order[start:start + 32]
                opt.zero_grad()
                loss = loss_fn(model(x_train[idx]), y_train[idx])
                loss.backward()
                opt.step()
                per_iteration.append(loss.item())
            with torch.no_grad():
                z = model(x_all)
                losses = torch.nn.functional.binary_cross_entropy_with_logits(z, y_all, reduction="none")
                correct = ((z > 0).float() == y_all).float()
                per_epoch.append((losses[:n].mean().item(), correct[:n].mean().item(),
                                  losses[n:].mean().item(), correct[n:].mean().item()))
        return per_epoch[-1][3]

    return run


def timed(fn) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process) for one call."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def bench_engines(repeats: int) -> dict[str, list[tuple[float, float]]]:
    contenders = {"ours (NumPy)": ours, "scikit-learn MLPClassifier": sklearn_job()}
    torch_run = torch_job()
    if torch_run is not None:
        contenders["PyTorch (CPU)"] = torch_run
    for fn in contenders.values():  # warm up: imports, caches, first-call costs
        fn()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            times[name].append(timed(fn))
    return times


def bench_page(interactions: int) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    from streamlit.testing.v1 import AppTest

    os.environ.setdefault("BATCHWISE_DATABASE_URL", "sqlite:///" + str(Path("/tmp") / "bench_simulator.sqlite3"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/simulator.py")
    at.run()
    sizes = [s for s in range(9, 400) if s != 32][:interactions]
    fresh, cached = [], []
    for size in sizes:
        at.number_input(key="sim_batch_size").set_value(size)
        fresh.append(timed(at.run))
        assert not at.exception and len(at.get("vega_lite_chart")) == 4
    for size in sizes:
        at.number_input(key="sim_batch_size").set_value(size)
        cached.append(timed(at.run))
    return fresh, cached


def worst_configs() -> dict[str, SimConfig]:
    big = dict(hidden_layers=(64, 64, 64, 64), n_samples=2000, val_fraction=0.1, epochs=500)
    linked, _ = SimConfig.from_query_params({"batch_size": "0", "epochs": "99999", "hidden_layers": "64,64,64,64"})
    return {
        "batch 1, 4×64 relu, adam, 1,800 samples, 500 epochs": SimConfig(batch_size=1, activation="relu", **big),
        "batch 1, 4×64 tanh, sgd, 1,800 samples, 500 epochs": SimConfig(batch_size=1, optimizer="sgd", **big),
        "batch 2, 4×64 sigmoid, momentum, 1,800 samples": SimConfig(batch_size=2, activation="sigmoid",
                                                                     optimizer="momentum", **big),
        "batch 2000, 4×64 tanh, 1,800 samples, 500 epochs": SimConfig(batch_size=2000, **big),
        "batch 2000, 4×64, spiral 3 classes softmax, val 50%": SimConfig(
            batch_size=2000, dataset="spiral", n_classes=3, output="softmax",
            **{**big, "val_fraction": 0.5}),
        "batch 64, 4×64 relu, 1,800 samples, 500 epochs": SimConfig(batch_size=64, activation="relu", **big),
        "link: batch 0, 99,999 epochs, 4×64 (clamped)": linked,
        "batch 1, 2×16 (default net), 500 epochs": SimConfig(batch_size=1, epochs=500),
    }


def bench_budget() -> None:
    from threadpoolctl import threadpool_limits

    from engine.simulator import budget

    print(f"Budget: {budget.WORK_BUDGET:,} work units ≈ {budget.seconds(budget.WORK_BUDGET):.1f} s; one BLAS "
          f"thread, as in a worker")
    with threadpool_limits(1):
        simulate(SimConfig(epochs=2))  # warm up
        for name, config in worst_configs().items():
            epochs, _ = budget.planned_epochs(config)
            work = budget.run_work(config, epochs)
            start, cpu = time.perf_counter(), time.process_time()
            h = simulate(config)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"  {name:55s} {h.epochs_run:3d}/{config.epochs} epochs, {h.total_iterations:7,} updates; "
                  f"work {work / 1e9:5.1f} G ≈ {budget.seconds(work):4.2f} s; measured CPU {cpu:4.2f} s "
                  f"(wall {wall:4.2f} s)")


def conditions() -> str:
    import sklearn

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    load = os.getloadavg()
    torch_version = "not installed"
    try:
        import torch

        torch_version = torch.__version__
    except ImportError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, load average {load[0]:.2f}/{load[1]:.2f}; Python "
            f"{platform.python_version()}, NumPy {np.__version__}, scikit-learn {sklearn.__version__}, "
            f"PyTorch {torch_version}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--page-interactions", type=int, default=24)
    parser.add_argument("--budget", action="store_true", help="only the worst configurations under the budget")
    parser.add_argument("--engine-only", action="store_true", help="skip the page")
    args = parser.parse_args()
    print(f"Conditions: {conditions()}")
    if args.budget:
        bench_budget()
        return
    print(f"Work: {CONFIG.n_train} train + {CONFIG.n_val} val samples, 2-16-16-1 tanh, Adam, batch 32, "
          f"{CONFIG.epochs} epochs = 3,200 iterations; median of {args.repeats} interleaved runs")
    times = bench_engines(args.repeats)
    ours = [statistics.median(v[i] for v in times["ours (NumPy)"]) for i in (0, 1)]
    for name, values in times.items():
        wall = [w for w, _ in values]
        cpu = [c for _, c in values]
        ratio = ""
        if not name.startswith("ours"):
            ratio = (f"  → ours is {statistics.median(wall) / ours[0]:.1f}× faster (wall), "
                     f"{statistics.median(cpu) / ours[1]:.1f}× (CPU)")
        print(f"  {name:28s} wall median {statistics.median(wall) * 1000:7.1f} ms (min {min(wall) * 1000:7.1f}); "
              f"CPU median {statistics.median(cpu) * 1000:7.1f} ms{ratio}")
    if "PyTorch (CPU)" not in times:
        print("  PyTorch (CPU)                not installed")
    if args.engine_only:
        return
    fresh, cached = bench_page(args.page_interactions)
    print(f"Page (AppTest server time, change batch size → run → 4 charts), {len(fresh)} interactions:")
    for label, values in (("new run", fresh), ("cached run", cached)):
        wall = [w for w, _ in values]
        cpu = [c for _, c in values]
        print(f"  {label:10s}  wall median {statistics.median(wall) * 1000:6.1f} ms (min {min(wall) * 1000:6.1f}); "
              f"CPU median {statistics.median(cpu) * 1000:6.1f} ms")
    print(f"Conditions at the end: {conditions().split(';')[0]}")


if __name__ == "__main__":
    main()
