"""入户调查: the township's home visit of a 低保 household, recorded before approval."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.application import Application
from backend.models.base import BigId, UTCDateTime, utcnow


class Investigation(db.Model):
    __tablename__ = "investigation"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    # Two or more named staff: one person alone cannot vouch for a household.
    investigators: Mapped[list[str]] = mapped_column(JSON)
    visited_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="investigations")
