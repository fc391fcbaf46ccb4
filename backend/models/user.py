"""People who sign in: residents, village agents, staff, administrators."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow
from backend.models.region import Region


class Role(StrEnum):
    CITIZEN = "citizen"
    AGENT = "agent"  # 村级代办员
    TOWNSHIP_STAFF = "township_staff"  # 乡镇民政办
    COUNTY_STAFF = "county_staff"  # 县民政局业务股室
    REGISTRAR = "registrar"  # 婚姻登记员
    DISASTER_OFFICER = "disaster_officer"  # 灾害信息员
    ADMIN = "admin"


STAFF_ROLES = frozenset(
    {Role.TOWNSHIP_STAFF, Role.COUNTY_STAFF, Role.REGISTRAR, Role.DISASTER_OFFICER, Role.ADMIN}
)


# One verified resident account per identity number, held by the database itself: two
# binds of one number racing past the service's check cannot both commit.
ONE_ACCOUNT_PER_PERSON = text("role = 'citizen' AND real_name_verified")


class User(db.Model):
    __tablename__ = "user_account"
    __table_args__ = (
        Index(
            "uq_user_account_citizen_id_number",
            "id_number_index",
            unique=True,
            postgresql_where=ONE_ACCOUNT_PER_PERSON,
            sqlite_where=ONE_ACCOUNT_PER_PERSON,
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # Personal data is stored encrypted, found through a keyed blind index (PIPL).
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_number_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_index: Mapped[str | None] = mapped_column(String(64), index=True)
    # True only once an authority confirmed the number (`services.real_name`): what a
    # resident merely typed never grants anything.
    real_name_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    wechat_openid: Mapped[str | None] = mapped_column(String(64), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Tokens issued before this instant are void (disabling, demotion, password change).
    tokens_valid_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region: Mapped[Region | None] = relationship()

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role} {self.username or ''}>"
