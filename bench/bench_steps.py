"""What each step of the capacity benchmark's mixed journey costs the server, per interaction.

    .venv/bin/python bench/bench_steps.py [--rounds 2] [--students 10] [--seconds 15]
                                          [--root PATH ...] [--whole-page-reruns]

For each code checkout given with --root (default: this one; give two, e.g. a `git worktree`
of an older commit and this one, to compare them side by side in one sitting), one
`streamlit run` process with that checkout's shipped settings, and for each step a few students
(--students, acting every second) for --seconds: the server process's CPU seconds per
interaction (CPU time from /proc over the interactions answered; the simulator's worker
processes are not counted), and p50 latency. Checkouts alternate round by round (--rounds), so
a change in the machine's load hits both; the table gives the median over rounds.

CPU per interaction is what limits a class: a process serves at most about one core of it
(one GIL), so at ~30 ms per interaction one process tops out near 30 interactions/s, while
latency under a light load mostly shows how busy the machine is.
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
sys.path.insert(0, str(ROOT / "bench"))

from bench_capacity import MIXED_JOURNEY, Server, find_driver, load_avg  # noqa: E402

# Each widget step alone (the driver moves to the page once, then changes the widget each
# time) and each page visit alone (a rerun of the page, as a page switch runs it).
STEPS = ["lesson", "lesson#summary_level=Quick|Standard|Detailed", "quiz", "simulator",
         "simulator#sim_batch_size=1..256", "glossary"]


def measure(server: Server, driver: Path, step: str, students: int, seconds: float, browser_like: bool,
            workdir: Path) -> tuple[float, float]:
    """(server CPU ms per interaction, p50 ms) for one step."""
    out = workdir / "step.json"
    head = ([sys.executable, str(ROOT / "bench" / "browser_driver.py"), "--driver", str(driver)]
            if browser_like else [sys.executable, str(driver)])
    subprocess.run([*head, "--url", server.url, "--step", step, "-n", str(students), "--think", "1",
                    "--duration", str(seconds), "--server-pid", str(server.proc.pid), "--max-seconds", "120",
                    "--json", str(out)], cwd=ROOT, capture_output=True, text=True)
    r = json.loads(out.read_text())["results"][0]
    cpu = r.get("server_cpu")
    per = 1000 * cpu / r["ips"] if cpu and r["ips"] else float("nan")
    return per, 1000 * r["p50"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", action="append", help="a checkout of the app (repeatable; default: this one)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--students", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--whole-page-reruns", action="store_true", help="the shared driver as it is")
    ap.add_argument("--driver", help="path of shared/tools/load_driver.py")
    args = ap.parse_args(argv)
    roots = [Path(r).resolve() for r in (args.root or [ROOT])]
    driver = find_driver(args.driver)
    results: dict[tuple[Path, str], list[tuple[float, float]]] = {}
    print(f"host: {os.cpu_count()} cores, load average {load_avg()} at start; steps {MIXED_JOURNEY}")
    for round_ in range(args.rounds):
        for root in roots:
            with tempfile.TemporaryDirectory(prefix="bench-steps-") as tmp:
                workdir = Path(tmp)
                server = Server("one", workdir, f"sqlite:///{workdir / 'bench.sqlite3'}", root=root)
                try:
                    for step in STEPS:
                        results.setdefault((root, step), []).append(
                            measure(server, driver, step, args.students, args.seconds,
                                    not args.whole_page_reruns, workdir))
                finally:
                    server.stop()
            print(f"round {round_ + 1}, {root}: done (load average {load_avg()})", flush=True)
    print(f"\n| step | {' | '.join(f'{r.name}: CPU ms per interaction (p50 latency ms)' for r in roots)} |")
    print("| --- |" + " --- |" * len(roots))
    for step in STEPS:
        cells = []
        for root in roots:
            runs = results[(root, step)]
            cpu = statistics.median(c for c, _ in runs)
            p50 = statistics.median(p for _, p in runs)
            cells.append(f"{cpu:.1f} ({p50:.0f})")
        shown = step.replace("|", "\\|")  # a table cell
        print(f"| `{shown}` | {' | '.join(cells)} |")
    print(f"\nload average at the end {load_avg()}; medians of {args.rounds} rounds, "
          f"{args.students} students acting every 1 s for {args.seconds:g} s per step")
    return 0


if __name__ == "__main__":
    sys.exit(main())
