"""A material uploaded for an application, or a photo of a disaster report or tip: the
stored file, what the review pipeline found in it, and what staff decided about it.

It has at most one owner. A disaster photo is uploaded before the report or tip it
belongs to exists (a phone sends one file per request), so until then it has none
and only its uploader sees it.

The row is the source of truth for the pipeline (`pending → processing → ready |
rejected`); Redis only carries the job. A re-upload is a new row that `replaces` the
old one, which stays as history (`superseded_at`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.application import Application
from backend.models.base import BigId, UTCDateTime, utcnow


class AttachmentKind(StrEnum):
    ID_CARD = "id_card"
    HUKOU = "hukou"
    INCOME_PROOF = "income_proof"
    AUTHORIZATION = "authorization"  # 授权核对书
    MANDATE = "mandate"  # 委托书
    DISABILITY_CERT = "disability_cert"
    PHOTO = "photo"
    OTHER = "other"


KIND_LABELS = {
    AttachmentKind.ID_CARD: "身份证",
    AttachmentKind.HUKOU: "户口簿",
    AttachmentKind.INCOME_PROOF: "收入证明",
    AttachmentKind.AUTHORIZATION: "授权核对书",
    AttachmentKind.MANDATE: "委托书",
    AttachmentKind.DISABILITY_CERT: "残疾证",
    AttachmentKind.PHOTO: "现场照片",
    AttachmentKind.OTHER: "其他材料",
}


class AttachmentStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    READY = "ready"
    REJECTED = "rejected"


PIPELINE_DONE = frozenset({AttachmentStatus.READY, AttachmentStatus.REJECTED})


class ReviewStatus(StrEnum):
    UNREVIEWED = "unreviewed"
    ACCEPTED = "accepted"
    NEEDS_REUPLOAD = "needs_reupload"


class Variant(StrEnum):
    THUMB = "thumb"  # ≤ 320 px JPEG, for lists
    REVIEW = "review"  # ≤ 1600 px JPEG (or the rewritten PDF), for reading
    ORIGINAL = "original"  # the bytes as uploaded; staff only


class Attachment(db.Model):
    __tablename__ = "attachment"
    __table_args__ = (
        Index("ix_attachment_status_updated_at", "status", "updated_at"),  # the sweeper
        CheckConstraint(
            "(CASE WHEN application_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN disaster_report_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN disaster_tip_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name="one_owner",
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    disaster_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("disaster_report.id"), index=True
    )
    disaster_tip_id: Mapped[int | None] = mapped_column(ForeignKey("disaster_tip.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The client's file name, cleaned, only ever used in Content-Disposition.
    original_name: Mapped[str] = mapped_column(String(120))
    # Server-generated (uuid4 hex): the client's name never reaches a path.
    storage_key: Mapped[str] = mapped_column(String(32), unique=True)
    size: Mapped[int] = mapped_column(Integer)

    status: Mapped[str] = mapped_column(String(20), default=AttachmentStatus.PENDING)
    reason: Mapped[str | None] = mapped_column(String(200))  # why rejected, for the resident
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    content_type: Mapped[str | None] = mapped_column(String(40))  # decided by content
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    # Restricted: kept only for kinds that need where a photo was taken; never served.
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    # The same file was seen in another household's application (or, for a disaster
    # photo, under another region's report or another tip).
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    review_status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.UNREVIEWED)
    review_comment: Mapped[str] = mapped_column(String(500), default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    application: Mapped[Application | None] = relationship()
    duplicate_of: Mapped[Attachment | None] = relationship(
        remote_side=[id], foreign_keys=[duplicate_of_id]
    )

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    def file_key(self, variant: Variant) -> str:
        """Where each variant lives in storage; fixed, so a re-run overwrites, never adds."""
        if variant == Variant.ORIGINAL:
            return f"{self.storage_key}.original"
        extension = "pdf" if self.content_type == "application/pdf" else "jpg"
        return f"{self.storage_key}.{variant}.{extension}"

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.kind} {self.status}>"
