"""What the mini program's Node suite needs around the live server: WeChat's login
answered by a local stand-in, a real RQ worker checking uploads, a phone photo."""

from __future__ import annotations

import subprocess
import sys

import pytest

from backend.config import PROJECT_ROOT
from tests.attachments import files
from tests.jobs.workers import worker_environment
from tests.miniprogram import wechat_standin


@pytest.fixture
def wechat(app):
    with wechat_standin.running() as base:
        app.config.update(
            WECHAT_API_BASE=base,
            WECHAT_APPID=wechat_standin.APPID,
            WECHAT_SECRET=wechat_standin.SECRET,
        )
        yield base


@pytest.fixture
def sign_in_limits(app):
    """The suite is dozens of residents and a few demo accounts signing in within a
    minute, all from 127.0.0.1: limits that high are for it alone."""
    app.config.update(LOGIN_RATE_LIMIT_ACCOUNT="600/minute", LOGIN_RATE_LIMIT_IP="600/minute")


@pytest.fixture
def rq_worker(app, tmp_path):
    """A long-running worker (with its scheduler) serving the app's queues, as `make run`
    starts one; stopped with SIGTERM, its warm shutdown, at the end."""
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "worker"],
        env=worker_environment(app),
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=60)
    log.close()


@pytest.fixture
def phone_photo(tmp_path):
    """A photo as a cheap phone takes it (EXIF, GPS, sideways), written to a file."""
    path = tmp_path / "IMG_20261204_101500.jpg"
    path.write_bytes(files.phone_jpeg())
    return path
