"""An application for a benefit (低保, 高龄津贴): who, where, and where it stands."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow
from backend.models.region import Region

if TYPE_CHECKING:
    from backend.models.household import HouseholdMember
    from backend.models.investigation import Investigation


class ApplicationType(StrEnum):
    DIBAO = "dibao"  # 最低生活保障
    ELDERLY_ALLOWANCE = "elderly_allowance"  # 高龄津贴


class Application(db.Model):
    __tablename__ = "application"
    __table_args__ = (
        # The staff queue: newest first within a status, scoped by region.
        Index("ix_application_status_id", "status", "id"),
        # The queue's first part: running deadlines, the nearest first (QUEUE_ORDER).
        Index("ix_application_deadline_id", "deadline", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), default="draft")
    # Optimistic concurrency: a stale version is a 409, two staff cannot both decide.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Files ever uploaded to the case, history included: raised only by a conditional
    # UPDATE (`upload_quota.take`), so concurrent uploads never pass the limit.
    attachment_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)  # the village
    # The resident the case belongs to. An agent may apply before the resident has an
    # account: the case is then found through the identity number's blind index.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    applicant_name: Mapped[str] = mapped_column(String(30))
    applicant_id_cipher: Mapped[bytes] = mapped_column(LargeBinary)
    applicant_id_index: Mapped[str] = mapped_column(String(64), index=True)
    applicant_phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    # 低保 only: urban or rural hukou, which decides the standard.
    area_type: Mapped[str | None] = mapped_column(String(10))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # 受理: the day the township took the case on; every deadline counts from it.
    accepted_on: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    deadline_extended: Mapped[bool] = mapped_column(Boolean, default=False)
    # 公示: the last day the case is on the village's public notice.
    publicity_ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    # 补差 per month: proposed at the township's approval, fixed by the county's.
    monthly_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    start_month: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM, payment from
    # YYYY-MM from which `monthly_amount` is paid: the start month, or the month after
    # the re-review that adjusted it (调整).
    amount_from: Mapped[str | None] = mapped_column(String(7))
    # 动态管理: the day the approved household is next re-reviewed (复核).
    rereview_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    # YYYY-MM, the last month paid: the end of a gradual exit (渐退), or of a terminated case.
    exit_month: Mapped[str | None] = mapped_column(String(7))
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    region: Mapped[Region] = relationship()
    events: Mapped[list[ApplicationEvent]] = relationship(
        back_populates="application", order_by="ApplicationEvent.id"
    )
    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="application", order_by="HouseholdMember.id"
    )
    investigations: Mapped[list[Investigation]] = relationship(
        back_populates="application", order_by="Investigation.id"
    )

    # Versioned by hand (`bump_version`): bookkeeping writes such as assigning the
    # number must not make a client's version stale; the WHERE check still applies.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    def bump_version(self) -> None:
        self.version += 1

    @property
    def investigation(self) -> Investigation | None:
        """The latest home visit (入户调查); a case sent back may be visited again."""
        return self.investigations[-1] if self.investigations else None


class ApplicationEvent(db.Model):
    """One step of the case's timeline: who did what, when, and why."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    # No actor: the daily rule moved the case (e.g. publicity ended).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="events")
