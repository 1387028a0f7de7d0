"""One command for a school's box: several app processes behind HAProxy, supervised.

    .venv/bin/python -m deploy.school [--workers N] [--port 8501] [--address 0.0.0.0]

Starts N `streamlit run app.py` processes (default: one per CPU core) on loopback ports, all
on one database and with one cookie secret, and HAProxy in front of them on --port. A process
that dies is restarted (its browsers reconnect to another process meanwhile); Ctrl-C or
SIGTERM stops everything this command started. See README, "Running it for a school".
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from deploy.proxy import (UNAVAILABLE_PAGE, ProxyMissing, Worker, check_config, find_haproxy,
                          haproxy_config)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "data"
MAX_WORKERS = 64
START_TIMEOUT_S = 90
STOP_TIMEOUT_S = 10
# A process that dies again within this long of its start is restarted after a growing pause
# (1, 2, 4 … 30 s), so a broken installation does not spin the CPU.
QUICK_DEATH_S = 30
MAX_BACKOFF_S = 30


class SchoolError(RuntimeError):
    """A problem the IT person can fix; `str(error)` says what and how."""


# --- settings -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """Where the command keeps its files (all under the data folder, outside git)."""
    data: Path

    @property
    def school(self) -> Path:
        return self.data / "school"

    @property
    def logs(self) -> Path:
        return self.school / "logs"

    @property
    def cookie_secret(self) -> Path:
        return self.school / "cookie_secret"

    @property
    def haproxy_cfg(self) -> Path:
        return self.school / "haproxy.cfg"

    @property
    def unavailable_page(self) -> Path:
        return self.school / "503.http"


def cookie_secret(layout: Layout) -> str:
    """The cookie secret every process shares (so a browser's signed cookies, e.g. the XSRF
    token, are valid on whichever process answers). Made once, kept readable by its owner
    only, never printed."""
    path = layout.cookie_secret
    if path.exists():
        value = path.read_text().strip()
        if value:
            return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return value


def database_url(explicit: str | None, data: Path = DEFAULT_DATA, root: Path = ROOT) -> str:
    """The one database every process uses: --database-url, else BATCHWISE_DATABASE_URL, else
    `[database] url` in .streamlit/secrets.toml, else SQLite in the data folder (by default the
    same file a plain `streamlit run app.py` uses)."""
    if explicit:
        return explicit
    if os.environ.get("BATCHWISE_DATABASE_URL"):
        return os.environ["BATCHWISE_DATABASE_URL"]
    secrets_file = root / ".streamlit" / "secrets.toml"
    if secrets_file.exists():
        try:
            url = tomllib.loads(secrets_file.read_text()).get("database", {}).get("url")
        except tomllib.TOMLDecodeError as exc:
            raise SchoolError(f".streamlit/secrets.toml is not valid TOML: {exc}") from None
        if url:
            return url
    return f"sqlite:///{data.resolve() / 'batchwise.sqlite3'}"


def prepare_database(url: str) -> str:
    """Create or upgrade the schema once, before the processes start; returns a printable
    description of the database (no password)."""
    from engine import db

    try:
        engine = db.connect(url)
    except Exception as exc:  # any driver error: say which database and why, no traceback
        raise SchoolError(f"Cannot open the database {db.describe(url)}: {exc.__class__.__name__}: "
                          f"{str(exc).splitlines()[0] if str(exc) else ''}") from None
    engine.dispose()
    return db.describe(url)


def port_is_free(port: int, address: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


def plan_workers(count: int, first_port: int) -> list[Worker]:
    if not 1 <= count <= MAX_WORKERS:
        raise SchoolError(f"--workers must be between 1 and {MAX_WORKERS}")
    if not 1024 <= first_port <= 65535 - count:
        raise SchoolError("--worker-port must leave room for every process between 1024 and 65535")
    return [Worker(f"w{i + 1}", first_port + i) for i in range(count)]


def check_port_plan(workers: list[Worker], port: int, stats_port: int | None) -> None:
    taken = {w.port for w in workers}
    for name, p in (("--port", port), ("--stats-port", stats_port)):
        if p and p in taken:
            raise SchoolError(f"{name} {p} is one of the app processes' ports "
                              f"({workers[0].port}-{workers[-1].port}): choose another, or move --worker-port.")
    if stats_port and stats_port == port:
        raise SchoolError("--stats-port must differ from --port")


# --- processes ------------------------------------------------------------------------------

def _die_with_parent() -> None:
    # Runs in the child before exec: if this command is killed outright (SIGKILL), the kernel
    # stops its children too, instead of leaving orphans holding the ports.
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _spawn(argv: list[str], log_path: Path, env: dict[str, str]) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "a") as log:
        log.write(f"\n--- started {_stamp()} ---\n")
        log.flush()
        # Own session: Ctrl-C in the terminal reaches only this command, which then stops the
        # children in order (proxy first, so no new request lands on a stopping process).
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=_die_with_parent)


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def healthy(port: int, path: str = "/_stcore/health", timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class Supervised:
    """One child this command keeps alive."""
    name: str
    start: Callable[[], subprocess.Popen]
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff: float = 1.0
    restart_at: float | None = None

    def launch(self) -> None:
        self.proc = self.start()
        self.started_at = time.monotonic()
        self.restart_at = None


@dataclass
class School:
    workers: list[Worker]
    address: str
    port: int
    layout: Layout
    db_url: str
    stats_port: int | None = None
    tls_cert: Path | None = None
    python: str = sys.executable
    say: Callable[[str], None] = print
    children: list[Supervised] = field(default_factory=list)
    stopping: bool = False

    # -- start
    def worker_env(self, secret: str) -> dict[str, str]:
        # Passed in the environment, not on the command line: `ps` shows argv to every user.
        # Each process has its own pool of simulator workers: share the cores between them
        # instead of starting one worker per core in every process (unless the operator chose).
        sim_workers = os.environ.get("BATCHWISE_SIM_WORKERS") or str(
            max(1, (os.cpu_count() or 1) // max(1, len(self.workers))))
        return {**os.environ, "BATCHWISE_DATABASE_URL": self.db_url,
                "STREAMLIT_SERVER_COOKIE_SECRET": secret, "PYTHONUNBUFFERED": "1",
                "BATCHWISE_SIM_WORKERS": sim_workers}

    def worker_argv(self, w: Worker) -> list[str]:
        return [self.python, "-m", "streamlit", "run", str(ROOT / "app.py"),
                f"--server.port={w.port}", "--server.address=127.0.0.1", "--server.headless=true",
                "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"]

    def write_proxy_config(self, haproxy: str) -> None:
        self.layout.haproxy_cfg.parent.mkdir(parents=True, exist_ok=True)
        self.layout.unavailable_page.write_text(UNAVAILABLE_PAGE)
        cfg = haproxy_config(self.workers, address=self.address, port=self.port, stats_port=self.stats_port,
                             tls_cert=self.tls_cert, unavailable_page=self.layout.unavailable_page)
        self.layout.haproxy_cfg.write_text(cfg)
        problem = check_config(haproxy, self.layout.haproxy_cfg)
        if problem:
            raise SchoolError(f"HAProxy rejected {self.layout.haproxy_cfg}:\n{problem}")

    def check_ports(self) -> None:
        for w in self.workers:
            if not port_is_free(w.port):
                raise SchoolError(f"Port {w.port} (app process {w.name}) is in use: is Batchwise already "
                                  f"running? Stop it, or choose other ports with --worker-port.")
        if not port_is_free(self.port, self.address):
            raise SchoolError(f"Port {self.port} on {self.address} is in use (or needs root below 1024): "
                              f"choose another with --port.")
        if self.stats_port and not port_is_free(self.stats_port):
            raise SchoolError(f"Port {self.stats_port} (proxy statistics) is in use: choose another "
                              f"with --stats-port, or 0 for none.")

    def start(self) -> None:
        haproxy = find_haproxy()
        self.check_ports()
        secret = cookie_secret(self.layout)
        self.write_proxy_config(haproxy)
        env = self.worker_env(secret)
        logs = self.layout.logs
        for w in self.workers:
            self.children.append(Supervised(
                w.name, lambda w=w: _spawn(self.worker_argv(w), logs / f"worker-{w.name}.log", env)))
        for child in self.children:
            child.launch()
        self.wait_until_healthy()
        proxy = Supervised("haproxy", lambda: _spawn(
            [haproxy, "-db", "-f", str(self.layout.haproxy_cfg)], logs / "haproxy.log", dict(os.environ)))
        proxy.launch()
        self.children.append(proxy)
        self.wait_for_proxy(proxy)

    def wait_for_proxy(self, proxy: Supervised) -> None:
        log = self.layout.logs / "haproxy.log"
        host = "127.0.0.1" if self.address in ("0.0.0.0", "::") else self.address
        deadline = time.monotonic() + 15
        while True:
            if proxy.proc.poll() is not None:
                raise SchoolError(f"HAProxy stopped at start; see {log}")
            try:
                socket.create_connection((host, self.port), timeout=1).close()
                return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SchoolError(f"HAProxy did not answer on port {self.port}; see {log}")
            time.sleep(0.2)

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        waiting = {c.name: w for c, w in zip(self.children, self.workers)}
        while waiting:
            for child in self.children:
                if child.name in waiting and child.proc.poll() is not None:
                    raise SchoolError(f"App process {child.name} stopped at start (exit code "
                                      f"{child.proc.returncode}); see {self.layout.logs / f'worker-{child.name}.log'}")
            for name, w in list(waiting.items()):
                if healthy(w.port):
                    del waiting[name]
            if waiting and time.monotonic() > deadline:
                raise SchoolError(f"App processes {', '.join(sorted(waiting))} did not become healthy in "
                                  f"{START_TIMEOUT_S} s; see their logs in {self.layout.logs}")
            time.sleep(0.3)

    # -- run
    def supervise_once(self) -> None:
        """Restart any child that exited (with a growing pause if it keeps dying)."""
        now = time.monotonic()
        for child in self.children:
            if self.stopping:
                return
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    child.launch()
                    self.say(f"{_stamp()}  {child.name}: restarted (restart #{child.restarts})")
                continue
            code = child.proc.poll()
            if code is None:
                if now - child.started_at > QUICK_DEATH_S:
                    child.backoff = 1.0
                continue
            quick = now - child.started_at < QUICK_DEATH_S
            pause = child.backoff if quick else 1.0
            child.backoff = min(MAX_BACKOFF_S, child.backoff * 2) if quick else 1.0
            child.restart_at = now + pause
            how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
            where = "to another process" if len(self.workers) > 1 else "once it is back"
            if child.name == "haproxy":
                where = "once the proxy is back"
            self.say(f"{_stamp()}  {child.name}: stopped ({how}); its students reconnect {where}; "
                     f"restarting in {pause:.0f} s")

    def run_forever(self, poll_s: float = 0.5) -> None:
        while not self.stopping:
            self.supervise_once()
            time.sleep(poll_s)

    # -- stop
    def stop(self) -> None:
        """Stop everything this command started: the proxy first, then the app processes."""
        self.stopping = True
        ordered = sorted(self.children, key=lambda c: c.name != "haproxy")
        for child in ordered:
            if child.proc is not None and child.proc.poll() is None:
                child.proc.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for child in ordered:
            if child.proc is None:
                continue
            try:
                child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.proc.kill()
                child.proc.wait(timeout=5)


# --- command line ---------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m deploy.school",
        description="Run Batchwise for a school: several app processes behind HAProxy on one database.")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="app processes (default: one per CPU core, here %(default)s)")
    ap.add_argument("--port", type=int, default=8501, help="port students open (default 8501)")
    ap.add_argument("--address", default="0.0.0.0",
                    help="address the proxy listens on (default 0.0.0.0: every network card)")
    ap.add_argument("--worker-port", type=int, default=8601,
                    help="first loopback port of the app processes (default 8601, then 8602…)")
    ap.add_argument("--stats-port", type=int, default=8404,
                    help="HAProxy's status page on 127.0.0.1 (default 8404; 0: none)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="data folder: SQLite database (default), cookie secret, proxy config, logs")
    ap.add_argument("--database-url", help="SQLAlchemy URL (default: BATCHWISE_DATABASE_URL, "
                    "[database] url in .streamlit/secrets.toml, else SQLite in the data folder)")
    ap.add_argument("--tls-cert", type=Path,
                    help="PEM file with certificate and private key: the proxy serves HTTPS itself")
    ap.add_argument("--check", action="store_true",
                    help="write and check the proxy configuration, open the database, then exit")
    return ap.parse_args(argv)


def build(args: argparse.Namespace, say: Callable[[str], None] = print) -> School:
    workers = plan_workers(args.workers, args.worker_port)
    layout = Layout(args.data.resolve())
    if args.tls_cert is not None and not args.tls_cert.is_file():
        raise SchoolError(f"--tls-cert {args.tls_cert}: no such file")
    check_port_plan(workers, args.port, args.stats_port or None)
    return School(workers=workers, address=args.address, port=args.port, layout=layout,
                  db_url=database_url(args.database_url, layout.data), stats_port=args.stats_port or None,
                  tls_cert=args.tls_cert.resolve() if args.tls_cert else None, say=say)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    school = None
    try:
        find_haproxy()  # before anything else: the most likely thing missing on a new machine
        school = build(args)
        described = prepare_database(school.db_url)
        if args.check:
            school.write_proxy_config(find_haproxy())
            print(f"OK: database {described}; proxy configuration {school.layout.haproxy_cfg} is valid.")
            return 0

        def on_signal(signum, _frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, on_signal)
        n = len(school.workers)
        print(f"Starting {n} app process{'es' if n > 1 else ''} on database {described} …", flush=True)
        school.start()
        scheme = "https" if school.tls_cert else "http"
        host = socket.gethostname() if args.address in ("0.0.0.0", "::") else args.address
        ports = f"{school.workers[0].port}" + (f"-{school.workers[-1].port}" if n > 1 else "")
        print(f"Batchwise is running at {scheme}://{host}:{args.port}/ "
              f"({n} app process{'es' if n > 1 else ''} on 127.0.0.1:{ports}).")
        if school.stats_port:
            print(f"Proxy status page: http://127.0.0.1:{school.stats_port}/ (this machine only).")
        print(f"Logs: {school.layout.logs}/. Press Ctrl-C to stop.", flush=True)
        school.run_forever()
    except KeyboardInterrupt:
        print("Stopping Batchwise …", flush=True)
    except (SchoolError, ProxyMissing) as exc:
        print(f"batchwise school: {exc}", file=sys.stderr)
        return 1
    finally:
        if school is not None:
            school.stop()
    print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
