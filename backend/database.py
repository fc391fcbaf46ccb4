"""Per-backend connection settings that the ORM cannot express, and a commit that
keeps what the request has loaded."""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session

from backend.extensions import db

# A pooled connection idle this long is pinged before use (one round trip), so that
# one the server or a firewall dropped meanwhile is replaced, not failed. Under load
# connections are never idle that long, and requests pay no ping.
PING_AFTER_IDLE_SECONDS = 10
_CHECKED_IN = "checked_in_at"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the web process read while a worker writes; waits instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _note_checkin(_dbapi_connection, record) -> None:
    record.info[_CHECKED_IN] = time.monotonic()


def _ping_after_idle(engine: Engine):
    def ping(dbapi_connection, record, _proxy) -> None:
        checked_in = record.info.get(_CHECKED_IN)
        if checked_in is None or time.monotonic() - checked_in < PING_AFTER_IDLE_SECONDS:
            return  # new, or in use a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("connection lost while idle") from error
        if not alive:
            raise DisconnectionError("connection lost while idle")

    return ping


def init_app(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        engine = db.engine
    # The pool retries a checkout refused with DisconnectionError on a new connection.
    event.listen(engine.pool, "checkin", _note_checkin)
    event.listen(engine.pool, "checkout", _ping_after_idle(engine))
    if uri.startswith("sqlite"):
        from pathlib import Path

        path = uri.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas)


def commit_keeping_loaded(session: Session) -> None:
    """Commit without expiring loaded objects, so that the answer is built from memory.

    Only for a transaction that wrote everything it will show through the ORM itself:
    a Core UPDATE (a slot's counter, say) changes rows behind the ORM's back, and
    the plain `commit()` that reloads them is the right one there.
    """
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit
