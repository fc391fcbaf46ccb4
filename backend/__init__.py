"""民政掌上办 · Minzheng Online: the application factory, which only wires parts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from backend.config import check_settings, from_environment


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, then `config` on top (tests pass theirs)."""
    app = Flask(__name__)
    app.json.ensure_ascii = False  # Chinese stays readable in responses
    app.config.from_mapping(from_environment())
    if config:
        app.config.from_mapping(config)
    check_settings(app.config)
    _derive_settings(app)

    from backend import cli, database, errors, extensions, models  # noqa: F401 (tables)
    from backend.api import init_app as init_api
    from backend.redis_connection import redis_url
    from portal import init_app as init_portal

    app.config["REDIS_URL"] = redis_url(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", _limits_uri(app.config["REDIS_URL"]))

    extensions.db.init_app(app)
    database.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=_migrations_dir())
    extensions.jwt.init_app(app)
    extensions.limiter.init_app(app)
    errors.register_error_handlers(app)
    init_api(app)
    init_portal(app)
    cli.init_app(app)
    if app.config["PROXY_HOPS"]:
        # Behind a reverse proxy every request comes from the proxy; trust its
        # X-Forwarded-For so per-IP limits and the audit log see the real caller.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=1)
    return app


def _derive_settings(app: Flask) -> None:
    config = app.config
    config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=config["JWT_ACCESS_TOKEN_MINUTES"])
    config["JWT_REFRESH_TOKEN_EXPIRES"] = timedelta(days=config["JWT_REFRESH_TOKEN_DAYS"])
    config.update(
        API_TITLE="民政掌上办 API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/api/v1/docs-assets/",
    )


def _limits_uri(redis_url: str) -> str:
    # The `limits` library spells unix sockets "redis+unix://".
    return "redis+" + redis_url if redis_url.startswith("unix://") else redis_url


def _migrations_dir() -> str:
    from backend.config import PROJECT_ROOT

    return str(PROJECT_ROOT / "migrations")
