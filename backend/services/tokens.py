"""Access and refresh tokens, and their revocation list in Redis (RELIABILITY rows 30–31).

Every access token names the refresh token of its session (`rjti`), so logging out
with the access token alone revokes the whole session: that access token, the
refresh token, and every access token refreshed from it. Revocations live in Redis
exactly as long as the revoked tokens could still be presented. When Redis does not
answer, nothing is let through: the check raises ServiceUnavailable (503).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from redis.exceptions import RedisError

from backend.errors import ServiceUnavailable
from backend.models import User
from backend.redis_connection import get_redis
from backend.services import clock

REVOKED_PREFIX = "auth:revoked:"
SESSION_CLAIM = "rjti"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str


def issue_pair(user: User) -> TokenPair:
    """After a full login: a fresh access token and the refresh token of a new session."""
    refresh_token = create_refresh_token(user)
    session_id = decode_token(refresh_token)["jti"]
    access_token = create_access_token(
        user, fresh=True, additional_claims={SESSION_CLAIM: session_id}
    )
    return TokenPair(access_token=access_token, refresh_token=refresh_token)


def refreshed_access_token(user: User, refresh_payload: dict[str, Any]) -> str:
    """A new access token from a refresh token: never fresh, same session."""
    return create_access_token(
        user, fresh=False, additional_claims={SESSION_CLAIM: refresh_payload["jti"]}
    )


def revoke_session(payload: dict[str, Any]) -> None:
    """Revoke the token with `payload` and, for an access token, its session."""
    now = int(clock.now().timestamp())
    refresh_seconds = int(current_app.config["JWT_REFRESH_TOKEN_EXPIRES"].total_seconds())
    entries = {payload["jti"]: max(int(payload["exp"]) - now, 1)}
    if payload.get(SESSION_CLAIM):
        entries[payload[SESSION_CLAIM]] = refresh_seconds
    try:
        with get_redis().pipeline() as pipe:
            for jti, seconds in entries.items():
                pipe.set(REVOKED_PREFIX + jti, 1, ex=seconds)
            pipe.execute()
    except RedisError as error:
        raise ServiceUnavailable("退出登录暂不可用,请稍后再试") from error


def is_revoked(payload: dict[str, Any]) -> bool:
    """True when the token or its session was revoked; 503 when Redis cannot say."""
    keys = [REVOKED_PREFIX + payload["jti"]]
    if payload.get(SESSION_CLAIM):
        keys.append(REVOKED_PREFIX + payload[SESSION_CLAIM])
    try:
        return bool(get_redis().exists(*keys))
    except RedisError as error:
        raise ServiceUnavailable("登录状态暂时无法核验,请稍后再试") from error
