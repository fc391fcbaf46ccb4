"""近亲属备案: close relatives registered by staff and village cadres, so that a case of
theirs is seen for what it is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow


class RegisteredRelative(db.Model):
    __tablename__ = "registered_relative"
    __table_args__ = (UniqueConstraint("registrant_id", "id_number_index"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    registrant_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(30))
    id_number_cipher: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_index: Mapped[str] = mapped_column(String(64), index=True)
    relation: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
