"""Each page's cost on the server: a rerun, and a first load by a new session.

    .venv/bin/python bench/bench_pages.py [--runs 15] [--loads 8] [--no-server] [--watcher auto]

- rerun: AppTest, the page opened once to warm caches, then rerun --runs times (median): what a
  student waits for on the server whenever they touch a widget.
- first load (AppTest): a new AppTest per sample (median of --loads): the script's own cost of
  a fresh session (empty session state).
- first load (server): one `streamlit run` process with the shipped .streamlit/config.toml;
  --loads new WebSocket sessions each open the page, one after another (p50 / p95), measured by
  shared/tools/load_driver.py from request to the run's end. This includes what AppTest skips:
  creating the session (with a file watcher on, walking every loaded module) and sending it.
  `--watcher auto` measures with the development file watcher instead.

Flashcards, quiz, progress and assignments are measured with a signed-in learner (an empty
history). The machine's load average is printed, since other work may share it.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SIGNED_IN = {"pages/flashcards.py", "pages/progress.py", "pages/assignments.py", "pages/quiz.py"}


def apptest_costs(path: str, learner_code: str, runs: int, loads: int) -> tuple[float, float] | str:
    """(median rerun ms, median first-load ms) under AppTest, or the page's error."""
    from streamlit.testing.v1 import AppTest

    def fresh():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if path != "app.py":
            at.switch_page(path)
        if path in SIGNED_IN:
            at.query_params["learner"] = learner_code
        return at

    at = fresh().run()
    if at.exception:
        return f"error: {at.exception[0].message}"
    reruns = []
    for _ in range(runs):
        t0 = time.perf_counter()
        at.run()
        reruns.append((time.perf_counter() - t0) * 1000)
    first = []
    for _ in range(loads):
        at = fresh()
        t0 = time.perf_counter()
        at.run()
        first.append((time.perf_counter() - t0) * 1000)
    return statistics.median(reruns), statistics.median(first)


def server_first_loads(driver: Path, server, page: str, query: str, loads: int) -> tuple[float, float] | str:
    """(p50 ms, p95 ms) of `loads` new sessions opening `page`, one every half second."""
    step = page + (f"?{query}" if query else "")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "loads.json"
        # Warm: the page's first run on this server imports its modules.
        subprocess.run([sys.executable, str(driver), "--url", server.url, "--step", step, "-n", "1",
                        "--duration", "1", "--think", "30", "--interactions", "0", "--max-seconds", "60"], capture_output=True)
        subprocess.run([sys.executable, str(driver), "--url", server.url, "--step", step, "-n", str(loads),
                        "--connect-spread", str(loads * 0.5), "--duration", "1", "--think", "30", "--interactions", "0",
                        "--max-seconds", "90", "--json", str(out)], capture_output=True)
        if not out.exists():
            return "driver failed"
        res = json.loads(out.read_text())["results"][0]
    if res["errors"]:
        return f"errors: {res['errors']}"
    return res["load_p50"] * 1000, res["load_p95"] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15, help="reruns per page (AppTest)")
    parser.add_argument("--loads", type=int, default=8, help="first loads per page")
    parser.add_argument("--no-server", action="store_true", help="AppTest only")
    parser.add_argument("--watcher", help="server.fileWatcherType for the server (default: config.toml's)")
    parser.add_argument("--driver", help="path of shared/tools/load_driver.py")
    args = parser.parse_args()
    db_url = os.environ.get("BATCHWISE_DATABASE_URL") or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    os.environ["BATCHWISE_DATABASE_URL"] = db_url

    from engine import db
    from engine.learners import QUERY_KEY, create_learner
    from ui.setup import menu_entries

    learner = create_learner(db.connect(), "Bench student")
    entries = list(menu_entries())
    print(f"host: {os.cpu_count()} cores, load average {'/'.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)

    apptest = {}
    for path, _label, _icon in entries:
        apptest[path] = apptest_costs(path, learner.code, args.runs, args.loads)

    server_loads: dict[str, tuple[float, float] | str] = {}
    if not args.no_server:
        from bench_capacity import Server, find_driver

        driver = find_driver(args.driver)
        extra = (f"--server.fileWatcherType={args.watcher}",) if args.watcher else ()
        server = Server("one", Path(tempfile.mkdtemp(prefix="bench-pages-")), db_url, extra=extra)
        try:
            for path, _label, _icon in entries:
                page = "" if path == "app.py" else Path(path).stem
                query = f"{QUERY_KEY}={learner.code}" if path in SIGNED_IN else ""
                server_loads[path] = server_first_loads(driver, server, page, query, args.loads)
        finally:
            server.stop()

    watcher = args.watcher or "config.toml's"
    print(f"\n| page | rerun (AppTest, median of {args.runs}) | first load (AppTest, median of {args.loads}) "
          f"| first load on a server, {watcher} file watcher (p50 / p95 of {args.loads}) |")
    print("| --- | --- | --- | --- |")
    for path, label, _icon in entries:
        a = apptest[path]
        cells = [f"{a[0]:.1f} ms", f"{a[1]:.1f} ms"] if isinstance(a, tuple) else [a, ""]
        s = server_loads.get(path, "-")
        cells.append(f"{s[0]:.0f} / {s[1]:.0f} ms" if isinstance(s, tuple) else s)
        print(f"| {label} | " + " | ".join(cells) + " |")
    print(f"\nload average at the end: {'/'.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
