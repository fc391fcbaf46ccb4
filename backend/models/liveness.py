"""生存认证: a person (a selfie) or their village agent (a visit) confirms they are alive."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow


class LivenessMethod(StrEnum):
    SELFIE = "selfie"  # 本人自拍
    VISIT = "visit"  # 代办员上门


class LivenessStatus(StrEnum):
    PENDING = "pending"  # the selfie is being checked
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class LivenessCheck(db.Model):
    __tablename__ = "liveness_check"
    __table_args__ = (Index("ix_liveness_check_person_month", "person_id_index", "month"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id_index: Mapped[str] = mapped_column(String(64))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM the confirmation counts for
    method: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=LivenessStatus.PENDING)
    reason: Mapped[str | None] = mapped_column(String(200))  # why a selfie was refused
    selfie_key: Mapped[str | None] = mapped_column(String(64))
    visited_on: Mapped[date | None] = mapped_column(Date)
    visit_note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
