"""Who is paid what, from which month to which month, and why it started and stopped:
one row per period at one amount, for every programme (what a payment roll reads)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow
from backend.models.region import Region
from backend.models.standard import Money


class EntitlementReason(StrEnum):
    """Why a period starts or ends."""

    APPROVAL = "approval"  # 审批
    ROSTER = "roster"  # 免申即享: enrolled from the hukou roster
    BAND_CHANGE = "band_change"  # 高龄津贴 next age band, or the band's amount changed
    ADJUSTMENT = "adjustment"  # 低保 re-review adjusted the amount
    GRADUAL_EXIT = "gradual_exit"  # 渐退
    LIVENESS_STOP = "liveness_stop"  # 生存认证 missed
    LIVENESS_RESTORED = "liveness_restored"  # a later 生存认证
    REREVIEW_CONTINUED = "rereview_continued"  # 复核维持 after a gradual exit had passed
    DEATH = "death"
    TERMINATION = "termination"  # 终止


REASON_LABELS = {
    EntitlementReason.APPROVAL: "审批通过",
    EntitlementReason.ROSTER: "免申即享",
    EntitlementReason.BAND_CHANGE: "档次变化",
    EntitlementReason.ADJUSTMENT: "复核调整",
    EntitlementReason.GRADUAL_EXIT: "渐退期满",
    EntitlementReason.LIVENESS_STOP: "未按期生存认证",
    EntitlementReason.LIVENESS_RESTORED: "生存认证恢复",
    EntitlementReason.REREVIEW_CONTINUED: "复核维持",
    EntitlementReason.DEATH: "死亡",
    EntitlementReason.TERMINATION: "终止",
}


class Entitlement(db.Model):
    """Paid `monthly_amount` for every month from `from_month` to `to_month` (both
    YYYY-MM, included; `to_month` None: still running). A period closed before its
    first month (`to_month` < `from_month`) was never paid and stays as history."""

    __tablename__ = "entitlement"
    __table_args__ = (
        # One running period per person and programme, whatever the concurrency.
        Index(
            "ux_entitlement_running",
            "program",
            "person_id_index",
            unique=True,
            postgresql_where=text("to_month IS NULL"),
            sqlite_where=text("to_month IS NULL"),
        ),
        Index("ix_entitlement_program_from_month", "program", "from_month"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    program: Mapped[str] = mapped_column(String(20))
    # The case it came from; none for a person enrolled from the roster before any case.
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)  # the village
    person_name: Mapped[str] = mapped_column(String(30))
    person_id_cipher: Mapped[bytes] = mapped_column(LargeBinary)
    person_id_index: Mapped[str] = mapped_column(String(64), index=True)
    # 高龄津贴: year and month of birth (which month each band is reached) and the band.
    birth_month: Mapped[str | None] = mapped_column(String(7))
    band_min_age: Mapped[int | None] = mapped_column(Integer)
    monthly_amount: Mapped[Decimal] = mapped_column(Money)
    from_month: Mapped[str] = mapped_column(String(7))
    to_month: Mapped[str | None] = mapped_column(String(7))
    start_reason: Mapped[str] = mapped_column(String(20))
    end_reason: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    region: Mapped[Region] = relationship()


class BackPay(db.Model):
    """A month not paid while payment was stopped, owed with the restarted period (补发)."""

    __tablename__ = "entitlement_back_pay"
    __table_args__ = (UniqueConstraint("entitlement_id", "month"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # The restarted period the arrears are paid with.
    entitlement_id: Mapped[int] = mapped_column(ForeignKey("entitlement.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    amount: Mapped[Decimal] = mapped_column(Money)
