"""Who is calling: JWT (Bearer header for the mini program, httpOnly cookies plus CSRF
double-submit for the portal) → the `User` row, checked on every request.

`@auth_required(roles...)` is the one gate views use; `current_user()` the one way
they learn who is calling. The gate asks only the database (revoked tokens, then the
account), so a Redis outage leaves signed-in people working; a database outage is a
503 (see `backend.errors`). What truly needs Redis, the rate limiter of login and SMS
codes, fails closed with 503: never a 500, never let through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from flask import Flask, g, request
from flask_jwt_extended import current_user as jwt_current_user
from flask_jwt_extended import verify_jwt_in_request
from redis.exceptions import RedisError

from backend.errors import Forbidden, error_response
from backend.extensions import db, jwt
from backend.models import Role, User
from backend.services import audit, tokens

log = logging.getLogger(__name__)


def current_user() -> User:
    """The signed-in user; only valid inside an `@auth_required` view."""
    return jwt_current_user


def acting() -> audit.Acting:
    """The signed-in user and the address they act from, as the audit log records them."""
    return audit.Acting(current_user(), request.remote_addr)


def auth_required(*roles: Role, fresh: bool = False, refresh: bool = False) -> Callable:
    """Require a valid token (a fresh one for approvals and payments) and one of `roles`.

    `refresh=True` is for /auth/refresh alone: it wants the refresh token instead.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request(fresh=fresh, refresh=refresh)
            if roles and current_user().role not in roles:
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _check_revoked(_header: dict, payload: dict) -> bool:
    """Asked first: the same query finds the token's account for `_load_user`."""
    g.token_bearer = tokens.bearer(db.session, payload)
    return g.token_bearer.revoked


def _load_user(_header: dict, payload: dict) -> User | None:
    """None (→ 401) when the account is gone, disabled, or its tokens were voided."""
    user = g.token_bearer.user
    if user is None or not user.is_active:
        return None
    if payload.get("iat", 0) < int(user.tokens_valid_after.timestamp()):
        return None
    if payload.get("role") != user.role:  # demoted or promoted since the token was issued
        return None
    return user


# The code stays `unauthorized` (the contract's 401); clients tell a decision that wants
# the password again from a lapsed sign-in by this reason, never by the message's words.
FRESH_TOKEN_REQUIRED = {"reason": "fresh_token_required"}


def _unauthorized(message: str = "请先登录", details=None):
    return error_response(401, "unauthorized", message, details)


def _redis_down(_error: RedisError):
    log.error("Redis unavailable: request refused with 503")
    return error_response(503, "service_unavailable", "服务暂不可用,请稍后再试")


def init_app(app: Flask) -> None:
    jwt.user_lookup_loader(_load_user)
    jwt.token_in_blocklist_loader(_check_revoked)
    jwt.user_identity_loader(lambda user: str(user.id))
    jwt.additional_claims_loader(lambda user: {"role": user.role})
    jwt.unauthorized_loader(lambda _reason: _unauthorized())
    jwt.invalid_token_loader(lambda _reason: _unauthorized("登录凭证无效,请重新登录"))
    jwt.expired_token_loader(lambda _h, _p: _unauthorized("登录已过期,请重新登录"))
    jwt.revoked_token_loader(lambda _h, _p: _unauthorized("登录已退出,请重新登录"))
    jwt.user_lookup_error_loader(lambda _h, _p: _unauthorized("账号不可用,请重新登录"))
    jwt.needs_fresh_token_loader(
        lambda _h, _p: _unauthorized("请重新输入密码确认此操作", FRESH_TOKEN_REQUIRED)
    )
    # The rate limiter's store is Redis: login and SMS codes fail closed.
    app.register_error_handler(RedisError, _redis_down)
