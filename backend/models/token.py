"""Revoked tokens: the `jti` of every token signed out before it expired.

A row is needed only while its token could still be presented (`expires_at`); the
daily purge drops it after that.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import UTCDateTime


class RevokedToken(db.Model):
    __tablename__ = "revoked_token"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    def __repr__(self) -> str:
        return f"<RevokedToken {self.jti}>"
