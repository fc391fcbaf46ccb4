"""Idempotency keys: the first request with a key claims it; retries get its response."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow


class IdempotencyState(StrEnum):
    IN_PROGRESS = "in_progress"
    DONE = "done"


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_key"
    # The claim: `INSERT … ON CONFLICT (scope, key) DO NOTHING` lets exactly one win.
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Whose key: "user:<id>", or "anonymous" for public endpoints. A column of its
    # own rather than a nullable user id, because NULLs never conflict.
    scope: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12), default=IdempotencyState.IN_PROGRESS)
    response_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<IdempotencyKey {self.scope} {self.state}>"
