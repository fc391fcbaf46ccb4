"""Processes as the README's scale-out recipe runs them: gunicorn web servers and RQ
workers, each its own process, on the test's one database, one Redis and one file
store (a folder every process shares, as a shared file system or object store)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from backend.config import PROJECT_ROOT
from tests.jobs.workers import wait_for, worker_environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Processes:
    """The processes one test started; each is stopped by its own process group."""

    def __init__(self, app, logs: Path):
        self.env = worker_environment(app)
        self.logs = logs
        self.started: list[subprocess.Popen] = []

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command,
            env=self.env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: the worker with its work horse
        )
        log.close()
        self.started.append(process)
        return process

    def web(self, name: str) -> str:
        port = free_port()
        self.start(
            name,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers=1",
                f"--bind=127.0.0.1:{port}",
                "backend.wsgi:app",
            ],
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(f"{base}/api/v1/health"), what=f"{name} answering")
        return base

    def worker(self, name: str) -> subprocess.Popen:
        return self.start(name, [sys.executable, "-m", "flask", "worker"])

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def processes(demo, tmp_path) -> Iterator[Processes]:
    demo.config["STORAGE_DIR"] = str(tmp_path / "shared-files")
    started = Processes(demo, tmp_path)
    yield started
    started.stop_all()
