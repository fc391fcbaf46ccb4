"""`make run`'s supervisor: migrate, seed, serve, and stop every child on Ctrl-C."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from backend.config import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, deadline: float) -> dict:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.load(response)
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in time")


@pytest.fixture
def running_product(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "APP_ENV")
    }
    env.update(INSTANCE_DIR=str(tmp_path), PORT=str(port), WEB_WORKERS="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.supervisor"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    yield process, port
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)


def test_make_run_serves_on_the_embedded_defaults_and_stops_on_ctrl_c(running_product, tmp_path):
    process, port = running_product
    health = wait_for(f"http://127.0.0.1:{port}/api/v1/health", time.monotonic() + 90)
    assert health == {"status": "ok", "database": "ok", "redis": "ok"}
    assert (tmp_path / "minzheng.sqlite3").exists()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        assert "民政掌上办" in response.read().decode()
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "demo accounts, password Demo@2026" in output
    assert "county01" in output
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
