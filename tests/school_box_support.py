"""Start and inspect `python -m deploy.school` in tests: free ports, its own data folder."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def require_haproxy() -> str:
    path = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("haproxy not found: .ci/run should have installed it")
        pytest.skip("HAProxy is not installed (apt-get install haproxy)")
    return path


def free_ports(n: int) -> list[int]:
    """n free loopback ports, consecutive (the school command numbers its processes upwards)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + n > 65000:
            continue
        socks = []
        try:
            for p in range(first, first + n):
                s = socket.socket()
                s.bind(("127.0.0.1", p))
                socks.append(s)
            return list(range(first, first + n))
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no run of free ports")


@dataclass
class RunningSchool:
    proc: subprocess.Popen
    port: int
    data: Path
    out: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.out.read_text()

    def worker_pids(self) -> dict[str, int]:
        """{"w1": pid, …}: the app processes the command started, from their command lines."""
        ports = {}
        for pid, cmd in children(self.proc.pid):
            m = re.search(r"--server\.port=(\d+)", cmd)
            if m:
                ports[int(m.group(1))] = pid
        return {f"w{i + 1}": ports[p] for i, p in enumerate(sorted(ports))}

    def proxy_log(self) -> str:
        path = self.data / "school" / "logs" / "haproxy.log"
        return path.read_text() if path.exists() else ""

    def wait_for_output(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if self.proc.poll() is not None:
                raise AssertionError(f"school command exited ({self.proc.returncode}):\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not printed in {timeout} s:\n{self.output()}")
            time.sleep(0.2)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            for pid, _ in children(self.proc.pid):
                os.kill(pid, signal.SIGKILL)
            self.proc.kill()
            return self.proc.wait(timeout=10)


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the direct children of `pid`, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found.append((int(entry.name), cmd))
        except (OSError, IndexError, ValueError):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def start_school(data: Path, workers: int = 2, timeout: float = 120) -> RunningSchool:
    ports = free_ports(workers + 1)
    out = data / "school-command.out"
    data.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "BATCHWISE_DATABASE_URL"}
    with open(out, "w") as f:
        proc = subprocess.Popen(
            [sys.executable, "-m", "deploy.school", "--workers", str(workers), "--port", str(ports[0]),
             "--address", "127.0.0.1", "--worker-port", str(ports[1]), "--stats-port", "0",
             "--data", str(data)],
            cwd=ROOT, env=env, stdout=f, stderr=subprocess.STDOUT)
    school = RunningSchool(proc, ports[0], data, out)
    try:
        school.wait_for_output("is running at", timeout)
    except AssertionError:
        school.stop()
        raise
    return school
