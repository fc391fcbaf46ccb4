"""Jobs run inside the app: one app per worker process, reused by every job."""

from __future__ import annotations

import os
from functools import wraps

from flask import Flask

_state: dict[str, object] = {"app": None, "pid": None}


def use_app(app: Flask) -> None:
    """Let jobs run in `app` (the worker command hands over the app it already built)."""
    _state["app"], _state["pid"] = app, os.getpid()


def job_app() -> Flask:
    app = _state["app"]
    if app is None:
        from backend import create_app

        app = create_app()
        use_app(app)
    elif _state["pid"] != os.getpid():
        # A forked work horse must not share the parent's database connections.
        from backend.extensions import db

        with app.app_context():
            db.engine.dispose(close=False)
        _state["pid"] = os.getpid()
    return app


def app_job(func):
    """Run the job function inside an app context, with a fresh session."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        from backend.extensions import db

        with job_app().app_context():
            try:
                return func(*args, **kwargs)
            finally:
                db.session.remove()

    return wrapper
