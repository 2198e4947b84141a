"""``oncotrial serve``: waitress in one process, or gunicorn with --workers N processes."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oncotrial.cli.serve_cmd import check_workers, gunicorn_options
from oncotrial.core.errors import DomainError


def _env(**extra: str) -> dict[str, str]:
    drop = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ONCOTRIAL_CACHE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(ONCOTRIAL_SECRET_KEY=secrets.token_urlsafe(50), COLUMNS="200", **extra)
    return env


def _serve(folder: Path, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    command = [
        str(Path(sys.executable).with_name("oncotrial")),
        "serve",
        "--database",
        str(folder / "db.sqlite3"),
    ]
    return subprocess.Popen(
        [*command, *args],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_one_worker_needs_no_shared_cache() -> None:
    check_workers(1, "")  # waitress, one process: nothing to share


def test_several_workers_without_a_shared_cache_are_refused_naming_the_option() -> None:
    with pytest.raises(DomainError) as caught:
        check_workers(3, "")
    assert caught.value.field == "--workers"
    assert caught.value.value == 3
    assert "ONCOTRIAL_CACHE_URL" in str(caught.value)
    check_workers(3, "redis://127.0.0.1:6379/0")


def test_gunicorn_runs_the_asked_processes_and_threads_with_the_app_loaded_once() -> None:
    options = gunicorn_options("127.0.0.1:8123", 3, 7)
    assert options["bind"] == ["127.0.0.1:8123"]
    assert (options["workers"], options["threads"], options["worker_class"]) == (3, 7, "gthread")
    assert options["preload_app"] is True


def test_the_command_refuses_several_workers_without_a_cache_and_creates_nothing(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("oncotrial")),
            "serve",
            "--database",
            str(tmp_path / "db.sqlite3"),
            "--workers",
            "2",
        ],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--workers: got 2" in done.stdout + done.stderr
    assert not (tmp_path / "db.sqlite3").exists()


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="gunicorn forks: POSIX only")
def test_two_workers_serve_requests_from_two_processes(tmp_path: Path) -> None:
    port = _free_port()
    server = _serve(
        tmp_path,
        "--port",
        str(port),
        "--workers",
        "2",
        "--threads",
        "2",
        env=_env(ONCOTRIAL_CACHE_URL="redis://127.0.0.1:6379/9"),
    )
    try:
        status, deadline = None, time.monotonic() + 90
        while status != 200 and time.monotonic() < deadline and server.poll() is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                status = conn.getresponse().status
            except OSError:
                time.sleep(0.3)
        assert status == 200
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(children) == 2  # the master forked two workers
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "2 processes × 2 threads" in output
    assert "Booting worker" in output
