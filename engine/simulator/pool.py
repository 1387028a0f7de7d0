"""Simulator runs in worker processes: shared results, cancellation, progress.

Why: a run is seconds of NumPy. On the server's script threads it holds the GIL in thousands
of small calls, so one student's batch-1 run slows every other session of that process. Here
runs go to a `ProcessPoolExecutor` (one worker per core, started with `forkserver`, each
worker limited to one BLAS thread), and the server only waits for a result.

- **Shared results.** A finished History is kept in a bounded LRU under its canonical key
  (`SimConfig.model_dump_json()`, which normalises -0.0 and orders the fields), so thirty
  students opening the same preset train it once.
- **One run per owner.** `submit(config, owner)` replaces the owner's (a session's) previous
  unfinished run: if no other owner waits for it, it is cancelled — taken off the queue if it
  has not started, or stopped within ~256 weight updates through a shared cancel flag that the
  training loop reads, so the worker is free for the new run at once.
- **Progress.** Each running job has a slot in a shared array of doubles that the worker sets
  after every epoch; `progress(key)` reads it without asking the worker anything.

- **Prepared views.** With `prepare`, the worker also builds what the page shows of a finished
  run (the charts, ready to send) while it is still off the server's GIL; `prepared(key)`
  hands them over with the run.

The pool knows nothing about Streamlit: ui/ holds one per server process (st.cache_resource).
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections import OrderedDict
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable

from .config import SimConfig
from .train import Cancelled, History, simulate

# Shared arrays, one entry per slot, and what to prepare after a run; set in every worker by
# `_start_worker`.
_CANCEL: Any = None
_PROGRESS: Any = None
_PREPARE: "Prepare | None" = None

# After training, a worker can also prepare what the page will show of the run (charts ready to
# send): `(function, args)`, called as function(history, *args) -> dict. It runs in the worker,
# off the server's GIL; the function must be importable by name (module level).
Prepare = tuple[Callable[..., dict], tuple]


def _start_worker(cancel: Any, progress: Any, prepare: "Prepare | None" = None) -> None:
    global _CANCEL, _PROGRESS, _PREPARE
    _CANCEL, _PROGRESS, _PREPARE = cancel, progress, prepare
    try:  # one BLAS thread per worker: the pool already uses every core
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except Exception:  # pragma: no cover - a missing or odd BLAS only costs speed
        pass


def _run_in_worker(config_json: str, slot: int) -> tuple[History, dict]:
    config = SimConfig.model_validate_json(config_json)

    def progress(done: int, total: int) -> None:
        _PROGRESS[slot] = done / max(total, 1)

    history = simulate(config, progress=progress, cancelled=lambda: _CANCEL[slot] != 0)
    prepared: dict = {}
    if _PREPARE is not None:
        try:
            prepared = _PREPARE[0](history, *_PREPARE[1])
        except Exception:  # noqa: BLE001 - the page builds what is missing itself
            prepared = {}
    return history, prepared


def _ready() -> bool:
    return True


def run_key(config: SimConfig) -> str:
    """The canonical key of a run: same settings (seed included) → same key → same History."""
    return config.model_dump_json()


def default_workers() -> int:
    """One worker per core this process may use (BATCHWISE_SIM_WORKERS overrides it)."""
    wanted = os.environ.get("BATCHWISE_SIM_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _size(history: History, prepared: dict | None = None) -> int:
    """Rough bytes a History and what was prepared for it hold (Python floats in lists cost
    ~32 bytes each; prepared charts are mostly their Arrow bytes)."""
    floats = len(history.iteration_loss) + 5 * history.epochs_run + len(history.weights)
    frames = history.frame_weights.nbytes if history.frame_weights is not None else 0
    extra = sum(len(data) for spec in (prepared or {}).values() if isinstance(spec, dict)
                for data in spec.get("datasets", {}).values() if isinstance(data, bytes))
    return 32 * floats + frames + extra + 2_000


@dataclass
class _Job:
    key: str
    future: Future
    slot: int
    owners: set = field(default_factory=set)
    cancelled: bool = False


class RunPool:
    """Runs simulations in worker processes; see the module docstring."""

    def __init__(self, workers: int | None = None, cache_entries: int = 64,
                 cache_bytes: int = 256 * 2**20, slots: int = 256, start_method: str = "forkserver",
                 prepare: Prepare | None = None):
        self.workers = workers or default_workers()
        self._ctx = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            # Workers fork from a server that has NumPy and the engine imported already.
            self._ctx.set_forkserver_preload(["engine.simulator.pool"])
        self._cancel = self._ctx.RawArray("b", slots)
        self._progress = self._ctx.RawArray("d", slots)
        self._free = list(range(slots - 1, -1, -1))
        self._lock = threading.RLock()
        self._cache: OrderedDict[str, History] = OrderedDict()
        self._prepared: dict[str, dict] = {}  # same keys as _cache
        self._prepare = prepare
        self._cache_used = 0
        self.cache_entries, self.cache_bytes = cache_entries, cache_bytes
        self._jobs: dict[str, _Job] = {}
        self._owned: dict[str, str] = {}  # owner → key of its current run
        self.trained = 0  # runs finished by the workers (not served from the cache)
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=self._ctx,
                                       initializer=_start_worker,
                                       initargs=(self._cancel, self._progress, self._prepare))
        # Start the workers now (they start on demand): the first student's first run should
        # not wait for the fork server and the workers' imports.
        for _ in range(self.workers):
            executor.submit(_ready)
        return executor

    # -- asking for a run --------------------------------------------------------------
    def cached(self, config: SimConfig) -> History | None:
        """The finished run for `config` if it is in the cache (and mark it recently used)."""
        key = run_key(config)
        with self._lock:
            history = self._cache.get(key)
            if history is not None:
                self._cache.move_to_end(key)
            return history

    def submit(self, config: SimConfig, owner: str | None = None) -> str:
        """Make sure `config` is trained (or being trained); return its key.

        With an `owner`, the owner's previous run is released: cancelled if nobody else waits
        for it. Runs without an owner (a kept run for a comparison) are never cancelled.
        """
        key = run_key(config)
        with self._lock:
            if owner is not None:
                previous = self._owned.get(owner)
                self._owned[owner] = key
                if previous is not None and previous != key:
                    self._release(previous, owner)
            if key in self._cache:
                self._cache.move_to_end(key)
                return key
            job = self._jobs.get(key)
            if job is None or job.cancelled:  # a cancelled run still stopping: start afresh
                job = self._start(key)
            if owner is not None:
                job.owners.add(owner)
            else:
                job.owners.add(None)  # someone who never cancels
        return key

    def _start(self, key: str) -> _Job:
        slot = self._free.pop() if self._free else -1
        if slot >= 0:
            self._cancel[slot] = 0
            self._progress[slot] = 0.0
        try:
            future = self._executor.submit(_run_in_worker, key, slot)
        except (BrokenProcessPool, RuntimeError):
            # A worker died (killed, out of memory): start a fresh pool and try once more.
            self._executor = self._new_executor()
            future = self._executor.submit(_run_in_worker, key, slot)
        job = _Job(key, future, slot)
        self._jobs[key] = job
        future.add_done_callback(lambda f, job=job: self._finished(job, f))
        return job

    def _release(self, key: str, owner: str) -> None:
        job = self._jobs.get(key)
        if job is None:
            return
        job.owners.discard(owner)
        if not job.owners:
            self.cancel(key)

    def cancel(self, key: str) -> None:
        """Stop the run for `key`: off the queue if it has not started, else at its next check."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                return
            job.cancelled = True
            if not job.future.cancel() and job.slot >= 0:
                self._cancel[job.slot] = 1

    def _finished(self, job: _Job, future: Future) -> None:
        with self._lock:
            if self._jobs.get(job.key) is job:
                del self._jobs[job.key]
            if job.slot >= 0:
                self._free.append(job.slot)
            if future.cancelled() or future.exception() is not None:
                return
            history, prepared = future.result()
            self.trained += 1
            self._cache[job.key] = history
            self._prepared[job.key] = prepared
            self._cache_used += _size(history, prepared)
            while self._cache and (len(self._cache) > self.cache_entries or self._cache_used > self.cache_bytes):
                key, dropped = self._cache.popitem(last=False)
                self._cache_used -= _size(dropped, self._prepared.pop(key, None))

    # -- reading a run -----------------------------------------------------------------
    def progress(self, key: str) -> float | None:
        """Share of the run's epochs done (0 to 1); 1.0 when finished, None if unknown."""
        with self._lock:
            if key in self._cache:
                return 1.0
            job = self._jobs.get(key)
            if job is None:
                return None
            return self._progress[job.slot] if job.slot >= 0 else 0.0

    def running(self, key: str) -> bool:
        with self._lock:
            return key in self._jobs

    def wait(self, key: str, timeout: float | None = None) -> History | None:
        """The History for `key` once it is finished, waiting at most `timeout` seconds
        (None: until it is). None if it is not finished by then or was cancelled. A run that
        failed in its worker raises its error here."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            job = self._jobs.get(key)
        if job is None:
            return None
        try:
            history, _ = job.future.result(timeout=timeout)
        except TimeoutError:
            return None
        except (CancelledError, Cancelled):
            return None
        return history

    def prepared(self, key: str) -> dict:
        """What the worker prepared for the finished run `key` (see `prepare`); {} if nothing."""
        with self._lock:
            return self._prepared.get(key, {})

    def run(self, config: SimConfig, owner: str | None = None) -> History:
        """Train `config` in a worker (or take it from the cache) and wait for it."""
        key = self.submit(config, owner)
        history = self.wait(key)
        if history is None:  # cancelled meanwhile by another submit of the same owner
            raise Cancelled()
        return history

    def shutdown(self) -> None:
        with self._lock:
            for key in list(self._jobs):
                self.cancel(key)
        self._executor.shutdown(wait=True, cancel_futures=True)
