"""Real RQ workers for tests: a burst worker process that runs the app's jobs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from backend.config import PROJECT_ROOT

STORAGE_SETTINGS = (
    "STORAGE_URL",
    "STORAGE_S3_ENDPOINT",
    "STORAGE_S3_REGION",
    "STORAGE_S3_ACCESS_KEY",
    "STORAGE_S3_SECRET_KEY",
)


def worker_environment(app: Flask) -> dict[str, str]:
    config = app.config
    return dict(
        os.environ,
        FLASK_APP="backend:create_app",
        APP_ENV="test",
        DATABASE_URL=config["SQLALCHEMY_DATABASE_URI"],
        REDIS_URL=config["REDIS_URL"],
        INSTANCE_DIR=config["INSTANCE_DIR"],
        STORAGE_DIR=config["STORAGE_DIR"],
        SECRET_KEY=config["SECRET_KEY"],
        JWT_SECRET_KEY=config["JWT_SECRET_KEY"],
        FIELD_ENCRYPTION_KEY=config["FIELD_ENCRYPTION_KEY"],
        **{name: config.get(name) or "" for name in STORAGE_SETTINGS},
    )


def run_burst_worker(app: Flask, queues: list[str], timeout: float = 120) -> None:
    """Run `flask worker --burst` in its own process until the queues are empty."""
    command = [sys.executable, "-m", "flask", "worker", "--burst"]
    for queue in queues:
        command += ["--queues", queue]
    subprocess.run(
        command,
        env=worker_environment(app),
        cwd=PROJECT_ROOT,
        check=True,
        timeout=timeout,
        capture_output=True,
    )


@contextmanager
def running_worker(app: Flask, queues: list[str]) -> Iterator[subprocess.Popen]:
    """A `flask worker` in its own process for the duration of the block: for pages
    that wait on background work while the test drives them."""
    command = [sys.executable, "-m", "flask", "worker"]
    for queue in queues:
        command += ["--queues", queue]
    worker = subprocess.Popen(
        command,
        env=worker_environment(app),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def wait_for(condition, timeout: float = 120, what: str = "condition"):
    """Poll `condition` until it returns something true, and return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what} not met in time")
