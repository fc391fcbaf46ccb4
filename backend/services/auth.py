"""Signing in: staff and agents by username and password, residents by SMS code or
WeChat; signing out. Every attempt is audited (real names: `real_name`).

Lockout (等保): `LOGIN_LOCK_THRESHOLD` wrong passwords within
`LOGIN_LOCK_WINDOW_MINUTES` lock the name for `LOGIN_LOCK_MINUTES` — from the address
they came from. The count is kept in Redis per login name and client address, so a
stranger who knows a staff member's username locks only themself out, never the
staff member at their desk; guessing from many addresses is bounded by the
per-account rate limit (`LOGIN_RATE_LIMIT_ACCOUNT`) instead. It is kept whether or
not an account has that name, and an unknown name costs the same argon2 work as a
known one: neither the answers nor their timing tell anyone which usernames exist.

A refused attempt leaves rows behind (audit, spent codes, the account's failure
count): the caller commits them before answering.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NoReturn

from argon2.exceptions import VerificationError
from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import DomainError, ServiceUnavailable, Unauthorized
from backend.models import AuditResult, Role, User
from backend.redis_connection import get_redis
from backend.services import audit, otp, tokens, users, wechat
from backend.services.crypto import current_cipher

FAILURES_PREFIX = "auth:failures:"
LOCK_PREFIX = "auth:lock:"
BAD_CREDENTIALS = "用户名或密码错误"
LOGIN_ENDPOINT = audit.Target("endpoint", "auth.login")


class AccountLocked(DomainError):
    status, code = 429, "rate_limited"


def login_key(login_name: str) -> str:
    """Keys for counters and limits: a keyed hash, so Redis holds no phone or username."""
    return current_cipher().blind_index(f"login:{login_name}")


def lockout_key(login_name: str, ip: str | None) -> str:
    """Failures and locks count per login name and client address (see above)."""
    address = current_cipher().blind_index(f"address:{ip or ''}")[:16]
    return f"{login_key(login_name)}:{address}"


def normalise_login(raw: str) -> str:
    """Usernames are lowercase by rule; phones are digits: both compare stripped."""
    return raw.strip().lower()


@contextmanager
def _redis_or_503() -> Iterator[None]:
    try:
        yield
    except RedisError as error:
        raise ServiceUnavailable("登录服务暂不可用,请稍后再试") from error


@dataclass
class _Attempt:
    method: str
    account: User | None = None  # once known: the audit row names it


@contextmanager
def _attempt(session: Session, method: str, ip: str | None) -> Iterator[_Attempt]:
    attempt = _Attempt(method)
    try:
        yield attempt
    except DomainError as refusal:
        audit.record(
            session,
            None,
            "auth.login",
            attempt.account or LOGIN_ENDPOINT,
            result=AuditResult.FAILED,
            ip=ip,
            note=f"{method}:{refusal.message}",
        )
        raise
    audit.record(session, attempt.account, "auth.login", attempt.account, ip=ip, note=method)


# --- username and password ------------------------------------------------------------


def login_with_password(
    session: Session, username: str, password: str, *, ip: str | None = None
) -> User:
    """The account, or Unauthorized / AccountLocked."""
    username = normalise_login(username)
    key = lockout_key(username, ip)
    with _attempt(session, "password", ip) as attempt:
        user = attempt.account = users.find_by_username(session, username)
        _refuse_if_locked(key)
        if user is None:
            _burn_password_check(password)
            _count_failure(session, key, None, ip)
        if not users.verify_password(user, password):
            _count_failure(session, key, user, ip)
        _check_can_sign_in(user)
        _clear_failures(key, user)
    return user


def _refuse_if_locked(key: str) -> None:
    with _redis_or_503():
        seconds = get_redis().ttl(LOCK_PREFIX + key)
    if seconds > 0:
        minutes = math.ceil(seconds / 60)
        raise AccountLocked(f"密码错误次数过多,账号已锁定,请{minutes}分钟后再试")


def _count_failure(session: Session, key: str, user: User | None, ip: str | None) -> NoReturn:
    config = current_app.config
    threshold = config["LOGIN_LOCK_THRESHOLD"]
    window = config["LOGIN_LOCK_WINDOW_MINUTES"] * 60
    lock = config["LOGIN_LOCK_MINUTES"] * 60
    with _redis_or_503(), get_redis().pipeline() as pipe:
        # SET NX EX then INCR, in one transaction: the window starts at the first failure.
        pipe.set(FAILURES_PREFIX + key, 0, ex=window, nx=True)
        pipe.incr(FAILURES_PREFIX + key)
        failures = pipe.execute()[1]
        if failures >= threshold:
            pipe.set(LOCK_PREFIX + key, 1, ex=lock)
            pipe.delete(FAILURES_PREFIX + key)
            pipe.execute()
    if user is not None:
        user.failed_login_count = failures
    if failures < threshold:
        raise Unauthorized(BAD_CREDENTIALS)
    audit.record(
        session,
        None,
        "auth.lockout",
        user or LOGIN_ENDPOINT,
        result=AuditResult.FAILED,
        ip=ip,
        note=f"连续{failures}次密码错误,锁定该地址{lock // 60}分钟"
        + ("" if user else "(未知用户名)"),
    )
    raise AccountLocked(f"密码错误次数过多,账号已锁定,请{lock // 60}分钟后再试")


def _clear_failures(key: str, user: User) -> None:
    with _redis_or_503():
        get_redis().delete(FAILURES_PREFIX + key)
    user.failed_login_count = 0
    user.locked_until = None


def unlock_account(user: User) -> None:
    """For administrators: lift the account's lockouts, from every address, before
    they run out."""
    pattern = f"{LOCK_PREFIX}{login_key(user.username or '')}:*"
    with _redis_or_503():
        redis = get_redis()
        keys = list(redis.scan_iter(match=pattern, count=500))
        if keys:
            redis.delete(*keys)
    user.locked_until = None
    user.failed_login_count = 0


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int) -> str:
    return users.password_hasher().hash("unknown-account-placeholder")


def _burn_password_check(password: str) -> None:
    config = current_app.config
    digest = _dummy_hash(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"])
    with suppress(VerificationError):
        users.password_hasher().verify(digest, password)


def _check_can_sign_in(user: User) -> None:
    if not user.is_active:
        raise Unauthorized("账号已停用,请联系民政部门")


# --- residents: SMS code, WeChat -------------------------------------------------------


def login_with_code(
    session: Session, phone: str, request_id: str | None, code: str, *, ip: str | None = None
) -> User:
    """A resident's SMS login; the first one creates the citizen account."""
    with _attempt(session, "sms", ip) as attempt:
        phone = users.normalise_phone(phone)
        otp.spend_code(session, phone, request_id, code)
        user = attempt.account = users.find_by_phone(session, phone)
        if user is None:
            user = attempt.account = users.create_user(
                session, role=Role.CITIZEN, name=f"用户{phone[-4:]}", phone=phone
            )
        elif user.role != Role.CITIZEN:
            raise Unauthorized("工作人员和代办员请使用用户名和密码登录")
        _check_can_sign_in(user)
    return user


def login_with_wechat(session: Session, code: str, *, ip: str | None = None) -> User:
    """The mini program's login; the first one creates the citizen account."""
    with _attempt(session, "wechat", ip) as attempt:
        openid = wechat.code_to_session(code).openid
        user = attempt.account = session.scalar(select(User).where(User.wechat_openid == openid))
        if user is None:
            user = attempt.account = User(role=Role.CITIZEN, name="微信用户", wechat_openid=openid)
            session.add(user)
            session.flush()
        _check_can_sign_in(user)
    return user


# --- signing out ------------------------------------------------------------


def logout(session: Session, user: User, token: dict[str, Any], *, ip: str | None = None) -> None:
    """Revoke the token's whole session (see `tokens.revoke_session`)."""
    tokens.revoke_session(session, token)
    audit.record(session, user, "auth.logout", user, ip=ip)
