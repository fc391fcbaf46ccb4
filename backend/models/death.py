"""A recorded death: payment of every programme stops after `last_paid_month`."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow


class DeathSource(StrEnum):
    STAFF = "staff"
    ROSTER = "roster"


class DeathRecord(db.Model):
    __tablename__ = "death_record"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_name: Mapped[str] = mapped_column(String(30))
    person_id_cipher: Mapped[bytes] = mapped_column(LargeBinary)
    # One record per person: a second report of the same death changes nothing.
    person_id_index: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    died_on: Mapped[date | None] = mapped_column(Date)  # unknown from a roster row
    last_paid_month: Mapped[str] = mapped_column(String(7))
    source: Mapped[str] = mapped_column(String(10))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    roster_import_id: Mapped[int | None] = mapped_column(ForeignKey("roster_import.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
