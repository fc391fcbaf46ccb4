"""Official-calendar overrides that staff load when the State Council publishes a year."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow


class CalendarOverride(db.Model):
    __tablename__ = "calendar_override"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    # True: a make-up working day (调休上班); False: an extra day off.
    is_working_day: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
