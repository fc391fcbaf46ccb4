"""抽查: a reproducible random sample of a township's approved cases, re-visited by the county."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow
from backend.models.region import Region


class SpotCheck(db.Model):
    __tablename__ = "spot_check"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    ratio: Mapped[Decimal] = mapped_column(Numeric(4, 3))
    # Recorded so that anyone can draw the same sample again from the same cases.
    seed: Mapped[str] = mapped_column(String(64))
    population: Mapped[int] = mapped_column(Integer)
    drawn_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    township: Mapped[Region] = relationship()
    cases: Mapped[list[SpotCheckCase]] = relationship(
        back_populates="spot_check", order_by="SpotCheckCase.application_id"
    )


class SpotCheckCase(db.Model):
    __tablename__ = "spot_check_case"
    __table_args__ = (UniqueConstraint("spot_check_id", "application_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    spot_check_id: Mapped[int] = mapped_column(ForeignKey("spot_check.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    result: Mapped[str | None] = mapped_column(String(12))  # confirmed | discrepancy
    note: Mapped[str] = mapped_column(String(500), default="")
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    spot_check: Mapped[SpotCheck] = relationship(back_populates="cases")
