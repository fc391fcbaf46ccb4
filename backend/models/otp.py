"""One-time SMS codes: stored only as a keyed hash, bound to a phone and to the request
that asked for them, single use, short-lived, dead after too many wrong tries."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow


class OtpStatus(StrEnum):
    LIVE = "live"
    USED = "used"
    EXHAUSTED = "exhausted"  # too many wrong tries
    SUPERSEDED = "superseded"  # a newer code was sent to the same phone


class OtpCode(db.Model):
    __tablename__ = "otp_code"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Handed to the client with 202; the code is valid only together with it.
    request_id: Mapped[str] = mapped_column(String(32), unique=True)
    phone_index: Mapped[str] = mapped_column(String(64), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default=OtpStatus.LIVE)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<OtpCode {self.id} {self.status}>"
