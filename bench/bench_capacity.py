"""How many students one box serves: the app under load over Streamlit's own WebSocket.

    .venv/bin/python bench/bench_capacity.py --quick      # about 5 minutes
    .venv/bin/python bench/bench_capacity.py              # about 10 minutes, levels up to 300
    options: --target one|school|both  --workers N  --levels 20,50,100  --class-size 60

For each target (one `streamlit run` process; then `python -m deploy.school`, N processes behind
HAProxy), on a fresh database of its own:

1. A class opens one assignment link within --arrival seconds (default 60 students in 10 s),
   each signed in with their own resume code, as after the teacher says "open the link now":
   how many first loads finished, and their p50/p95.
2. The mixed journey (lesson summary level -> quiz -> simulator batch size -> glossary), each
   student acting every --think seconds (5 s ±50 %), ramped through --levels (students stay
   connected from one level to the next) until p95 passes 1 s. A widget change inside a
   fragment reruns only that fragment, as a browser's does (bench/browser_driver.py);
   --whole-page-reruns reruns the whole page for every change, as the shared driver alone does.

Then it prints the largest class with p95 < 1 s and the first-load p95, as a README table.
The load comes from shared/tools/load_driver.py (loopback only; --driver PATH to point at it)
on this same machine, which it shares with whatever else runs here: the host's load average is
printed with every figure.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MIXED_JOURNEY = ["lesson#summary_level=Quick|Standard|Detailed", "quiz",
                 "simulator#sim_batch_size=1..256", "glossary"]
P95_LIMIT_S = 1.0

# Runs load_driver with each student on their own resume link (the driver alone gives every
# student the same steps).
CLASS_DRIVER = """
import json, sys
sys.path.insert(0, {driver_dir!r})
import load_driver as ld
queries = json.load(open({queries!r}))
class ClassStudent(ld.Student):
    def __init__(self, idx, cfg, steps, stats):
        super().__init__(idx, cfg, [ld.Step(page="assignments", query=queries[idx % len(queries)])], stats)
ld.Student = ClassStudent
sys.exit(ld.main(sys.argv[1:]))
"""


def find_driver(explicit: str | None) -> Path:
    candidates = [Path(explicit)] if explicit else [
        ROOT.parent / "shared" / "tools" / "load_driver.py",
        ROOT.parent.parent / "shared" / "tools" / "load_driver.py",
        Path("/work/shared/tools/load_driver.py"),
    ]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    sys.exit("bench_capacity: load_driver.py not found; pass --driver PATH")


def free_port(span: int = 1) -> int:
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + span < 65000 and all(_free(p) for p in range(first, first + span)):
            return first
    raise RuntimeError("no free ports")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def load_avg() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


# --- the bench's own class ------------------------------------------------------------------

def make_class(db_url: str, size: int) -> list[str]:
    """A class of `size` students who joined it, and one quiz assignment; returns each
    student's query string for the assignment link (with their resume code)."""
    from engine import db
    from engine.learners import QUERY_KEY, create_learner
    from engine.teachers import assignments as asg
    from engine.teachers import classes as cls
    from engine.teachers.links import ASSIGNMENT_KEY

    engine = db.connect(db_url)
    c = cls.create_class(engine, "Bench class")
    a = asg.create_quiz(engine, c, "Training phases check", ["iterations-per-epoch", "total-iterations"], 5,
                        tries_allowed=3)
    queries = []
    for i in range(size):
        learner = create_learner(engine, f"Student {i + 1}")
        cls.join_class(engine, c, learner.id)
        queries.append(f"{ASSIGNMENT_KEY}={a.code}&{QUERY_KEY}={learner.code}")
    engine.dispose()
    return queries


def class_in(root: Path, db_url: str, size: int) -> list[str]:
    """make_class, with the served checkout's own code (its database, its links)."""
    if root == ROOT:
        return make_class(db_url, size)
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import bench_capacity as b; "
            f"sys.path.insert(0, {str(root)!r}); print(json.dumps(b.make_class({db_url!r}, {size})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- servers --------------------------------------------------------------------------------

class Server:
    def __init__(self, kind: str, workdir: Path, db_url: str, workers: int = 1, extra: tuple[str, ...] = (),
                 root: Path = ROOT):
        """`root`: the checkout to serve (another one, e.g. a worktree of an older commit, to
        compare two versions side by side)."""
        self.kind, self.workdir, self.db_url, self.workers = kind, workdir, db_url, workers
        self.port = free_port(1 if kind == "one" else workers + 1)
        self.log = open(workdir / f"server-{kind}.log", "w")
        env = {**os.environ, "BATCHWISE_DATABASE_URL": db_url}
        if kind == "one":
            argv = [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), f"--server.port={self.port}",
                    "--server.address=127.0.0.1", "--server.headless=true", "--browser.gatherUsageStats=false",
                    *extra]
        else:
            argv = [sys.executable, "-m", "deploy.school", "--workers", str(workers), "--port", str(self.port),
                    "--address", "127.0.0.1", "--worker-port", str(self.port + 1), "--stats-port", "0",
                    "--data", str(workdir / "school-data"), "--database-url", db_url]
        self.proc = subprocess.Popen(argv, cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while not self._healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"bench_capacity: the {kind} server did not start; see {self.log.name}")
            time.sleep(0.3)

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                return r.read() == b"ok"
        except OSError:
            return False

    @property
    def pid_for_cpu(self) -> int | None:
        return self.proc.pid if self.kind == "one" else None  # several processes: host CPU instead

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log.close()


# --- driving --------------------------------------------------------------------------------

# Widget changes inside a fragment rerun only that fragment, as in a browser
# (bench/browser_driver.py); --whole-page-reruns uses the shared driver as it is.
BROWSER_LIKE = True


def drive(driver: Path, args: list[str], out_json: Path, queries: Path | None = None,
          quiet: bool = False) -> list[dict]:
    if queries is None and BROWSER_LIKE:
        argv = [sys.executable, str(ROOT / "bench" / "browser_driver.py"), "--driver", str(driver), *args,
                "--json", str(out_json)]
    elif queries is None:
        argv = [sys.executable, str(driver), *args, "--json", str(out_json)]
    else:
        code = CLASS_DRIVER.format(driver_dir=str(driver.parent), queries=str(queries))
        argv = [sys.executable, "-c", code, *args, "--json", str(out_json)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=quiet, text=True)
    if done.returncode != 0 or not out_json.exists():
        print(f"(driver exited with {done.returncode})")
        return []
    return json.loads(out_json.read_text())["results"]


def warm_up(driver: Path, server: Server, workdir: Path, queries_file: Path) -> None:
    # A server that has just started imports pages on their first run; a class arrives at a
    # server that has been up for a while. Each process sees a few sessions of every page.
    # Pages only, no widget changes: a simulator run with a tiny batch can hold a process for
    # many seconds, and the class would then measure the warm-up instead of its own arrival.
    n = 3 * server.workers
    for step in MIXED_JOURNEY:
        drive(driver, ["--url", server.url, "--step", step.split("#")[0], "-n", str(n), "--duration", "1",
                       "--think", "0.3", "--max-seconds", "60"], workdir / "warm.json", quiet=True)
    drive(driver, ["--url", server.url, "-n", str(n), "--duration", "1", "--think", "30", "--interactions", "0", "--max-seconds", "60"],
          workdir / "warm.json", queries=queries_file, quiet=True)


def class_arrival(driver: Path, server: Server, workdir: Path, queries_file: Path, size: int,
                  arrival: float) -> dict:
    res = drive(driver, ["--url", server.url, "-n", str(size), "--connect-spread", str(arrival),
                         "--duration", "2", "--think", "60", "--interactions", "0", "--timeout", "30", "--max-seconds", "150",
                         *(["--server-pid", str(server.pid_for_cpu)] if server.pid_for_cpu else [])],
                workdir / f"arrival-{server.kind}.json", queries=queries_file)
    return res[0] if res else {}


def mixed_ramp(driver: Path, server: Server, workdir: Path, levels: str, think: float, duration: float) -> list[dict]:
    n_levels = len(levels.split(","))
    budget = n_levels * (duration + 2 + 2 + 15) + 60
    args = ["--url", server.url, *sum((["--step", s] for s in MIXED_JOURNEY), []), "--ramp",
            "--ramp-levels", levels, "--think", str(think), "--duration", str(duration),
            "--p95-limit", str(P95_LIMIT_S), "--max-seconds", str(budget)]
    if server.pid_for_cpu:
        args += ["--server-pid", str(server.pid_for_cpu)]
    return drive(driver, args, workdir / f"ramp-{server.kind}.json")


# --- report ---------------------------------------------------------------------------------

def ms(x) -> str:
    return "-" if x is None or x != x else f"{x * 1000:,.0f}"


def largest_ok(levels: list[dict]) -> dict | None:
    ok = [r for r in levels if r["p95"] <= P95_LIMIT_S and not r["errors"]]
    return max(ok, key=lambda r: r["students"]) if ok else None


def report(results: dict[str, dict], class_size: int, arrival: float, think: float) -> None:
    print("\n### Summary (README-ready)\n")
    print(f"| setup | largest class with p95 < 1 s (mixed journey, think {think:g} s) | first level over | "
          f"class of {class_size} opening an assignment in {arrival:g} s: loaded, p50 / p95 | host load (1/5/15 min) |")
    print("| --- | --- | --- | --- | --- |")
    for kind, r in results.items():
        best = largest_ok(r["ramp"])
        over = next((x for x in r["ramp"] if x["p95"] > P95_LIMIT_S or x["errors"]), None)
        best_s = (f"**{best['students']}** ({best['ips']:.1f} interactions/s, p50 {ms(best['p50'])} / "
                  f"p95 {ms(best['p95'])} ms)") if best else "none"
        over_s = (f"{over['students']}: p95 {ms(over['p95'])} ms"
                  + (f", errors {sum(over['errors'].values())}" if over["errors"] else "")) if over else "none reached"
        a = r["arrival"]
        arr_s = (f"{a.get('load_n', 0)}/{class_size}, {ms(a.get('load_p50'))} / **{ms(a.get('load_p95'))} ms**"
                 + (f" (errors: {a['errors']})" if a.get("errors") else "")) if a else "failed"
        print(f"| {r['label']} | {best_s} | {over_s} | {arr_s} | {r['load']} |")
    print("\n### Every level\n")
    print("| setup | students | interactions/s | p50 ms | p95 ms | first load p95 ms | errors | host CPU (cores) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for kind, r in results.items():
        for x in r["ramp"]:
            host = x.get("host_cpu")
            print(f"| {r['label']} | {x['students']} | {x['ips']:.1f} | {ms(x['p50'])} | {ms(x['p95'])} | "
                  f"{ms(x['load_p95'])} | {sum(x['errors'].values())} | {'-' if host is None else f'{host:.2f}'} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", choices=["one", "school", "both"], default="both")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="school command's processes")
    ap.add_argument("--levels", help="students per ramp level (default 20,50,100,150,200,250,300)")
    ap.add_argument("--think", type=float, default=5.0)
    ap.add_argument("--duration", type=float, help="measured seconds per level (default 20; --quick 12)")
    ap.add_argument("--class-size", type=int, default=60)
    ap.add_argument("--arrival", type=float, default=10.0, help="the class opens the link within this many s")
    ap.add_argument("--quick", action="store_true", help="shorter levels, up to 250 students")
    ap.add_argument("--driver", help="path of shared/tools/load_driver.py")
    ap.add_argument("--root", help="the checkout to serve (default: this one), e.g. a `git worktree` of an "
                                   "older commit, to measure it with this benchmark")
    ap.add_argument("--whole-page-reruns", action="store_true",
                    help="every widget change reruns the whole page (the shared driver as it is), "
                         "instead of only its fragment as a browser does")
    args = ap.parse_args(argv)
    global BROWSER_LIKE
    BROWSER_LIKE = not args.whole_page_reruns
    levels = args.levels or ("20,50,100,150,200,250" if args.quick else "20,50,100,150,200,250,300")
    duration = args.duration or (12.0 if args.quick else 20.0)
    driver = find_driver(args.driver)
    targets = ["one", "school"] if args.target == "both" else [args.target]
    root = Path(args.root).resolve() if args.root else ROOT

    print(f"host: {os.cpu_count()} cores, load average {load_avg()} at start; serving {root}; driver {driver}"
          + (" (widget changes in a fragment rerun the fragment, as in a browser)" if BROWSER_LIKE
             else " (every widget change reruns the whole page)"))
    results: dict[str, dict] = {}
    for kind in targets:
        with tempfile.TemporaryDirectory(prefix=f"bench-capacity-{kind}-") as tmp:
            workdir = Path(tmp)
            db_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            queries_file = workdir / "queries.json"
            queries_file.write_text(json.dumps(class_in(root, db_url, args.class_size)))
            workers = 1 if kind == "one" else args.workers
            label = "one process" if kind == "one" else f"school command, {workers} processes"
            print(f"\n== {label} ==", flush=True)
            server = Server(kind, workdir, db_url, workers, root=root)
            try:
                warm_up(driver, server, workdir, queries_file)
                load_before = load_avg()
                print(f"-- a class of {args.class_size} opens one assignment link within {args.arrival:g} s "
                      f"(load average {load_before})", flush=True)
                arrival = class_arrival(driver, server, workdir, queries_file, args.class_size, args.arrival)
                time.sleep(3)
                print(f"-- mixed journey ramp, think {args.think:g} s ±50 %", flush=True)
                ramp = mixed_ramp(driver, server, workdir, levels, args.think, duration)
                results[kind] = {"label": label, "arrival": arrival, "ramp": ramp,
                                 "load": f"{load_before} → {load_avg()}"}
            finally:
                server.stop()
    report(results, args.class_size, args.arrival, args.think)
    return 0


if __name__ == "__main__":
    sys.exit(main())
