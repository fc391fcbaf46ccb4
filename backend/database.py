"""Per-backend connection settings that the ORM cannot express, and a commit that
keeps what the request has loaded."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from backend.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL lets the web process read while a worker writes; waits instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def init_app(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        from pathlib import Path

        path = uri.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)


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
