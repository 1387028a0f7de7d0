"""The school command's pieces: the HAProxy configuration it writes, the shared cookie secret,
the database it points every process at, its error messages, supervision and shutdown."""
from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from deploy import proxy, school
from deploy.proxy import Worker, check_config, haproxy_config
from school_box_support import alive, children, require_haproxy, start_school

ROOT = Path(__file__).resolve().parents[1]


def _checked(tmp_path: Path, text: str) -> None:
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(text)
    assert check_config(require_haproxy(), cfg) is None


@pytest.mark.parametrize("count", [1, 2, 8])
def test_proxy_configuration_is_accepted_by_haproxy(tmp_path, count):
    workers = school.plan_workers(count, 9101)
    _checked(tmp_path, haproxy_config(workers, address="0.0.0.0", port=9100, stats_port=9099))


def test_proxy_pins_browsers_with_a_cookie_and_checks_every_process():
    text = haproxy_config([Worker("w1", 9101), Worker("w2", 9102)], address="0.0.0.0", port=9100)
    assert "cookie bw_route insert indirect nocache httponly" in text
    assert "option httpchk GET /_stcore/health" in text
    assert "server w1 127.0.0.1:9101 cookie w1 check" in text
    assert "server w2 127.0.0.1:9102 cookie w2 check" in text
    assert "option redispatch" in text and "timeout tunnel" in text
    assert "bind 0.0.0.0:9100" in text
    assert "listen stats" not in text  # no status page unless asked for


def test_https_with_a_certificate_marks_the_cookie_secure(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    key, crt = tmp_path / "key.pem", tmp_path / "crt.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=batchwise.school.example", "-keyout", str(key), "-out", str(crt)],
                   check=True, capture_output=True, timeout=60)
    pem = tmp_path / "site.pem"
    pem.write_text(crt.read_text() + key.read_text())
    text = haproxy_config([Worker("w1", 9101)], address="::", port=9443, tls_cert=pem)
    assert f"bind [::]:9443 ssl crt {pem}" in text
    assert "httponly secure" in text
    _checked(tmp_path, text)


def test_a_broken_configuration_is_reported_with_haproxys_words(tmp_path):
    cfg = tmp_path / "bad.cfg"
    cfg.write_text(haproxy_config([Worker("w1", 9101)], address="0.0.0.0", port=9100)
                   .replace("balance leastconn", "balance sideways"))
    problem = check_config(require_haproxy(), cfg)
    assert problem is not None
    assert "balance only supports" in problem and "NOTICE" not in problem


def test_missing_haproxy_says_how_to_install_it(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(proxy, "HAPROXY_PATHS", (str(tmp_path / "nowhere"),))
    with pytest.raises(proxy.ProxyMissing, match="apt-get install haproxy"):
        proxy.find_haproxy()
    assert school.main(["--data", str(tmp_path / "data"), "--check"]) == 1
    assert "sudo apt-get install haproxy" in capsys.readouterr().err


def test_cookie_secret_is_made_once_kept_private_and_never_printed(tmp_path, capsys):
    require_haproxy()
    layout = school.Layout(tmp_path)
    first = school.cookie_secret(layout)
    assert len(first) >= 40
    assert school.cookie_secret(layout) == first
    assert stat.S_IMODE(layout.cookie_secret.stat().st_mode) == 0o600
    assert school.main(["--data", str(tmp_path), "--check"]) == 0
    out = capsys.readouterr()
    assert first not in out.out + out.err
    assert "is valid" in out.out


def test_every_process_gets_the_same_database_and_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("BATCHWISE_DATABASE_URL", raising=False)
    built = school.build(school.parse_args(["--data", str(tmp_path), "--workers", "3"]))
    assert built.db_url == f"sqlite:///{tmp_path.resolve() / 'batchwise.sqlite3'}"
    env = built.worker_env("s3cret")
    assert env["BATCHWISE_DATABASE_URL"] == built.db_url
    assert env["STREAMLIT_SERVER_COOKIE_SECRET"] == "s3cret"
    monkeypatch.delenv("BATCHWISE_SIM_WORKERS", raising=False)
    monkeypatch.setattr(school.os, "cpu_count", lambda: 4)
    two = school.build(school.parse_args(["--data", str(tmp_path), "--workers", "2"]))
    assert two.worker_env("s")["BATCHWISE_SIM_WORKERS"] == "2"  # 4 cores shared by 2 processes
    assert built.worker_env("s")["BATCHWISE_SIM_WORKERS"] == "1"  # 3 processes: one each
    monkeypatch.setenv("BATCHWISE_SIM_WORKERS", "3")
    assert two.worker_env("s")["BATCHWISE_SIM_WORKERS"] == "3"  # the operator's choice stands
    argvs = [built.worker_argv(w) for w in built.workers]
    assert [a[a.index("run") + 1:][1] for a in argvs] == ["--server.port=8601", "--server.port=8602", "--server.port=8603"]
    assert all("--server.address=127.0.0.1" in a for a in argvs)
    assert not any("s3cret" in " ".join(a) for a in argvs)  # not on the command line (ps shows it)

    url = "postgresql+psycopg://batchwise@db.internal/batchwise"
    monkeypatch.setenv("BATCHWISE_DATABASE_URL", url)
    assert school.build(school.parse_args(["--data", str(tmp_path)])).db_url == url
    assert school.build(school.parse_args(["--database-url", "sqlite:///x.db"])).db_url == "sqlite:///x.db"


def test_the_database_in_secrets_is_used_when_nothing_else_is_given(tmp_path, monkeypatch):
    monkeypatch.delenv("BATCHWISE_DATABASE_URL", raising=False)
    (tmp_path / ".streamlit").mkdir()
    secrets_file = tmp_path / ".streamlit" / "secrets.toml"
    secrets_file.write_text('[database]\nurl = "postgresql+psycopg://batchwise@db/batchwise"\n')
    assert school.database_url(None, tmp_path, root=tmp_path) == "postgresql+psycopg://batchwise@db/batchwise"
    secrets_file.write_text("[database\n")
    with pytest.raises(school.SchoolError, match="not valid TOML"):
        school.database_url(None, tmp_path, root=tmp_path)


@pytest.mark.parametrize("argv, message", [
    (["--workers", "0"], "between 1 and 64"),
    (["--port", "8602"], "one of the app processes' ports"),
    (["--stats-port", "8501"], "must differ"),
    (["--tls-cert", "/nonexistent.pem"], "no such file"),
])
def test_wrong_settings_get_a_clear_message(tmp_path, capsys, argv, message):
    assert school.main(["--data", str(tmp_path), "--check", *argv]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_unreachable_database_is_named_without_its_password(tmp_path, capsys):
    url = "postgresql+psycopg://batchwise:hunter2@127.0.0.1:1/batchwise"
    assert school.main(["--data", str(tmp_path), "--check", "--database-url", url]) == 1
    err = capsys.readouterr().err
    assert "Cannot open the database" in err and "hunter2" not in err


def test_a_process_that_dies_is_restarted_with_a_growing_pause(tmp_path):
    said = []
    s = school.School(workers=[Worker("w1", 9101)], address="127.0.0.1", port=9100,
                      layout=school.Layout(tmp_path), db_url="sqlite://", say=said.append)
    child = school.Supervised("w1", lambda: subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"]))
    s.children.append(child)
    child.launch()
    child.proc.wait(timeout=30)
    s.supervise_once()
    assert "w1: stopped (exit code 3)" in said[-1] and "restarting in 1 s" in said[-1]
    child.restart_at = time.monotonic()  # don't wait out the pause in a test
    s.supervise_once()
    assert "w1: restarted (restart #1)" in said[-1]
    child.proc.wait(timeout=30)
    s.supervise_once()
    assert "restarting in 2 s" in said[-1]  # died again at once: it waits longer
    s.stop()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


def test_with_its_only_process_down_students_see_a_page_that_retries_then_the_app(tmp_path):
    require_haproxy()
    running = start_school(tmp_path / "data", workers=1)
    try:
        assert _get(running.base + "/_school/health")[0] == 200
        # A hung process first (a killed one comes back within a second or two on a quiet
        # machine, before anyone could see the page): HAProxy's checks take it out.
        pid = running.worker_pids()["w1"]
        os.kill(pid, signal.SIGSTOP)
        deadline = time.monotonic() + 30
        while _get(running.base + "/")[0] != 503 and time.monotonic() < deadline:
            time.sleep(0.1)
        status, body = _get(running.base + "/")
        assert status == 503 and "Batchwise is starting" in body and 'http-equiv="refresh"' in body
        assert _get(running.base + "/_school/health")[0] == 503
        os.kill(pid, signal.SIGKILL)  # ... then it dies: the command restarts it
        running.wait_for_output("w1: restarted", timeout=30)
        deadline = time.monotonic() + 60
        while _get(running.base + "/_stcore/health") != (200, "ok") and time.monotonic() < deadline:
            time.sleep(0.3)
        assert _get(running.base + "/_stcore/health") == (200, "ok")
        assert "stopped (killed by signal 9)" in running.output()
    finally:
        running.stop()


def test_stopping_the_command_stops_everything_it_started(tmp_path):
    require_haproxy()
    running = start_school(tmp_path / "data", workers=1)
    kids = running.worker_pids()
    all_pids = [pid for pid, _ in children(running.proc.pid)]
    assert len(kids) == 1 and len(all_pids) == 2  # one app process and HAProxy
    assert running.stop() == 0
    assert "Stopped." in running.output()
    deadline = time.monotonic() + 10
    while any(alive(p) for p in all_pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(p) for p in all_pids)
