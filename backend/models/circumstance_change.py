"""A change of circumstances a 低保 household reports itself (主动报告家庭情况变化)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow


class ChangeKind(StrEnum):
    INCOME = "income"  # 收入变化
    MEMBERS = "members"  # 家庭成员变化
    RESIDENCE = "residence"  # 户籍或居住地变化
    OTHER = "other"


CHANGE_KIND_LABELS = {
    ChangeKind.INCOME: "收入变化",
    ChangeKind.MEMBERS: "家庭成员变化",
    ChangeKind.RESIDENCE: "户籍或居住地变化",
    ChangeKind.OTHER: "其他变化",
}


class CircumstanceChange(db.Model):
    __tablename__ = "circumstance_change"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(String(500))
    happened_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
