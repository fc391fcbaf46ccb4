"""SMS login codes (ASVS 6.5/6.6): six digits from a CSPRNG, valid 10 minutes, single
use, bound to the phone and to the request that asked for them, stored as a keyed
hash, dead after `OTP_MAX_ATTEMPTS` wrong tries or when a newer code is sent.

State changes are conditional UPDATEs, so two concurrent logins can never both
spend one code, on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import case, select, update
from sqlalchemy.orm import Session

from backend.errors import Unauthorized
from backend.models import OtpCode, OtpStatus
from backend.services import clock, sms
from backend.services.crypto import current_cipher

CODE_DIGITS = 6
LOGIN_PURPOSE = "login"


@dataclass(frozen=True)
class IssuedCode:
    request_id: str
    code: str
    expires_at: datetime


def _code_hash(request_id: str, code: str) -> str:
    # Keyed, and salted by the request: a leaked table cannot be brute-forced offline.
    return current_cipher().blind_index(f"otp:{request_id}:{code}")


def _phone_index(phone: str) -> str:
    return current_cipher().blind_index(phone)


def issue_code(session: Session, phone: str) -> IssuedCode:
    """Send a fresh login code to `phone` (already normalised); older codes die."""
    session.execute(
        update(OtpCode)
        .where(OtpCode.phone_index == _phone_index(phone), OtpCode.status == OtpStatus.LIVE)
        .values(status=OtpStatus.SUPERSEDED)
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    request_id = secrets.token_urlsafe(16)
    minutes = current_app.config["OTP_TTL_MINUTES"]
    expires_at = clock.now() + timedelta(minutes=minutes)
    session.add(
        OtpCode(
            request_id=request_id,
            phone_index=_phone_index(phone),
            code_hash=_code_hash(request_id, code),
            expires_at=expires_at,
        )
    )
    text = f"{sms.SIGNATURE}您的登录验证码为{code},{minutes}分钟内有效。请勿告诉他人。"
    sms.sender().send(session, phone, text, purpose=LOGIN_PURPOSE)
    session.flush()
    return IssuedCode(request_id=request_id, code=code, expires_at=expires_at)


def _code_row(session: Session, phone: str, request_id: str | None) -> OtpCode | None:
    """The code of that request, or without one the phone's live code (a body of just
    `{phone, code}`): a newer request supersedes older codes, so there is one at most."""
    if request_id is not None:
        row = session.scalar(select(OtpCode).where(OtpCode.request_id == request_id))
        return row if row and hmac.compare_digest(row.phone_index, _phone_index(phone)) else None
    return session.scalar(
        select(OtpCode)
        .where(OtpCode.phone_index == _phone_index(phone), OtpCode.status == OtpStatus.LIVE)
        .order_by(OtpCode.id.desc())
        .limit(1)
    )


def spend_code(session: Session, phone: str, request_id: str | None, code: str) -> None:
    """Accept `code` once, or raise Unauthorized; a wrong try is counted (commit it).

    With a `request_id` the code must be the one sent for that request."""
    row = _code_row(session, phone, request_id)
    if row is None:
        raise Unauthorized("验证码错误或已失效,请重新获取")
    if row.status != OtpStatus.LIVE or row.expires_at <= clock.now():
        raise Unauthorized("验证码已失效,请重新获取")
    if not hmac.compare_digest(row.code_hash, _code_hash(row.request_id, code)):
        _count_wrong_try(session, row)
    spent = session.execute(
        update(OtpCode)
        .where(OtpCode.id == row.id, OtpCode.status == OtpStatus.LIVE)
        .values(status=OtpStatus.USED, used_at=clock.now())
    )
    if spent.rowcount != 1:  # a concurrent login spent it first
        raise Unauthorized("验证码已失效,请重新获取")


def _count_wrong_try(session: Session, row: OtpCode) -> None:
    limit = current_app.config["OTP_MAX_ATTEMPTS"]
    session.execute(
        update(OtpCode)
        .where(OtpCode.id == row.id, OtpCode.status == OtpStatus.LIVE)
        .values(
            attempts=OtpCode.attempts + 1,
            status=case(
                (OtpCode.attempts + 1 >= limit, OtpStatus.EXHAUSTED.value),
                else_=OtpCode.status,
            ),
        )
    )
    session.refresh(row)
    if row.status == OtpStatus.EXHAUSTED:
        raise Unauthorized("验证码错误次数过多,请重新获取")
    raise Unauthorized(f"验证码错误,还可尝试{limit - row.attempts}次")


def purge_expired(session: Session, day: date) -> dict[str, int]:
    """Daily rule: codes that expired before `day` began are of no use to anyone."""
    cutoff = datetime.combine(day, time(), tzinfo=clock.SHANGHAI)
    result = session.execute(OtpCode.__table__.delete().where(OtpCode.expires_at < cutoff))
    return {"deleted": result.rowcount}
