"""Marriage registry offices (婚姻登记处), their booking settings and calendar exceptions."""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.base import BigId
from backend.models.region import Region


class RegistryOffice(db.Model):
    """An office and the rules it books by; every number here is the office's own setting."""

    __tablename__ = "registry_office"
    __table_args__ = (
        CheckConstraint("min_days_ahead >= 0 AND max_days_ahead >= min_days_ahead", "window"),
        CheckConstraint("am_capacity >= 0 AND pm_capacity >= 0", "capacities"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    address: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")

    # Default places per half-day when slots are generated.
    am_capacity: Mapped[int] = mapped_column(Integer, default=20)
    pm_capacity: Mapped[int] = mapped_column(Integer, default=20)
    # Opening hours of each half-day (Shanghai time), for calendar files and notices.
    am_start: Mapped[time] = mapped_column(Time, default=time(9, 0))
    am_end: Mapped[time] = mapped_column(Time, default=time(12, 0))
    pm_start: Mapped[time] = mapped_column(Time, default=time(13, 30))
    pm_end: Mapped[time] = mapped_column(Time, default=time(17, 0))

    # Booking window: from `max_days_ahead` days before (at `release_time`) until
    # `min_days_ahead` days before the slot date.
    min_days_ahead: Mapped[int] = mapped_column(Integer, default=1)
    max_days_ahead: Mapped[int] = mapped_column(Integer, default=30)
    release_time: Mapped[time] = mapped_column(Time, default=time(8, 0))
    # Cancelling is possible until this many days before the slot date.
    cancel_days_before: Mapped[int] = mapped_column(Integer, default=1)

    # `no_show_limit` no-shows within `no_show_lookback_days` block online booking
    # for `no_show_block_days` from the last one.
    no_show_limit: Mapped[int] = mapped_column(Integer, default=2)
    no_show_lookback_days: Mapped[int] = mapped_column(Integer, default=180)
    no_show_block_days: Mapped[int] = mapped_column(Integer, default=180)
    # The same for cancellations (a reschedule is one too): places taken and let go
    # again and again keep them from everyone else.
    cancel_limit: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    cancel_lookback_days: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    cancel_block_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")

    # How long a place freed for the waitlist is held for the person it is offered to.
    waitlist_hold_minutes: Mapped[int] = mapped_column(Integer, default=30)

    region: Mapped[Region] = relationship()

    def hours(self, period: str) -> tuple[time, time]:
        return (self.am_start, self.am_end) if period == "am" else (self.pm_start, self.pm_end)


class OfficeDayKind(StrEnum):
    OPEN = "open"  # a weekend or holiday the office opens (5月20日, 七夕, 2月14日)
    CLOSED = "closed"  # a working day it does not (training, inspection)


class OfficeDay(db.Model):
    """An exception to the official calendar for one office."""

    __tablename__ = "registry_office_day"
    __table_args__ = (UniqueConstraint("office_id", "day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("registry_office.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(100), default="")
