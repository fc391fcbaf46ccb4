"""How an uploaded material is checked (the library traps: docs/reliability.md).

- `process(path)` is the pipeline itself: one file in, a result out. A plain
  function of the file, with no database or app.
- What the worker does with the `Attachment` row, the source of truth: `upload`
  (in `attachments`) leaves it `pending`; a job runs `begin` → `finish` (or
  `give_up` once its retries are spent); `request_processing` queues that job.
- `sweep` re-enqueues rows Redis or a killed worker lost.

What it shares with upload, review and serving (who is told, the empty-file message,
the PDF content type) stays in `attachments`, which never imports this module.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.jobs.queue import enqueue
from backend.models import Application
from backend.models.attachment import (
    PIPELINE_DONE,
    Attachment,
    AttachmentKind,
    AttachmentStatus,
    Variant,
)
from backend.services import attachments, clock, disaster_photos
from backend.services.images import CONTENT_TYPES, ImageLimits, Rejected, process_image
from backend.services.pdfs import PdfLimits, process_pdf
from backend.services.storage import Storage

log = logging.getLogger(__name__)

# Kinds whose place matters (photos of a house or a site): their GPS position is kept
# in the restricted columns. Every other kind loses it with the rest of the metadata.
KEEPS_LOCATION = frozenset({AttachmentKind.PHOTO})

PDF_FORMAT = "PDF"
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")

UNSUPPORTED = "只能上传照片(JPG、PNG、WebP、HEIC)或 PDF 文件"
SYSTEM_FAILURE = "系统未能处理该文件,请重新上传"


# ---- the pipeline: one file in, a result out -------------------------------------


@dataclass(frozen=True)
class Limits:
    image: ImageLimits = field(default_factory=ImageLimits)
    pdf: PdfLimits = field(default_factory=PdfLimits)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        return cls(
            image=ImageLimits(
                max_pixels=config["ATTACHMENT_MAX_PIXELS"],
                min_side=config["ATTACHMENT_MIN_SIDE"],
                min_brightness=config["ATTACHMENT_MIN_BRIGHTNESS"],
                min_sharpness=config["ATTACHMENT_MIN_SHARPNESS"],
            ),
            pdf=PdfLimits(max_pages=config["ATTACHMENT_MAX_PDF_PAGES"]),
        )


@dataclass(frozen=True)
class Result:
    """What the pipeline found: `rejection` (Chinese, for the resident) or derivatives."""

    sha256: str
    size: int
    content_type: str | None = None
    width: int | None = None
    height: int | None = None
    location: tuple[Decimal, Decimal] | None = None
    derivatives: dict[Variant, bytes] = field(default_factory=dict)
    rejection: str | None = None


def process(
    path: str | Path, limits: Limits | None = None, *, keep_location: bool = False
) -> Result:
    """Decide what the file at `path` is by its content, check it, and derive clean
    copies: for a photo an upright thumbnail and review image with no metadata, for a
    PDF its pages rewritten. Never raises for a bad file: the result says why."""
    limits = limits or Limits()
    sha256, size, head = _fingerprint(path)
    if size == 0:
        return Result(sha256, size, rejection=attachments.EMPTY)
    file_format = detect_format(head)
    if file_format is None:
        return Result(sha256, size, rejection=UNSUPPORTED)
    content_type = attachments.PDF if file_format == PDF_FORMAT else CONTENT_TYPES[file_format]
    try:
        if file_format == PDF_FORMAT:
            pdf = process_pdf(path, limits.pdf)
            return Result(sha256, size, content_type, derivatives={Variant.REVIEW: pdf.review})
        image = process_image(path, file_format, limits.image, keep_location=keep_location)
    except Rejected as rejected:
        return Result(sha256, size, content_type, rejection=rejected.reason)
    return Result(
        sha256,
        size,
        content_type,
        image.width,
        image.height,
        image.location,
        {Variant.THUMB: image.thumb, Variant.REVIEW: image.review},
    )


def detect_format(head: bytes) -> str | None:
    """The format named by the file's first bytes, among those we accept; never by
    its name or the type the client declared."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS and "HEIF" in CONTENT_TYPES:
        return "HEIF"
    if head.startswith(b"%PDF-"):
        return PDF_FORMAT
    return None


def _fingerprint(path: str | Path) -> tuple[str, int, bytes]:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        head = file.read(32)
        digest.update(head)
        size = len(head)
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size, head


# ---- the job's steps ---------------------------------------------------------------


def request_processing(attachment_id: int) -> bool:
    """Queue the review job; with Redis down the row stays `pending` for the sweeper."""
    try:
        enqueue("attachments.process", attachment_id)
    except RedisError:
        log.warning("attachment %s not queued (Redis unavailable); the sweeper will", attachment_id)
        return False
    return True


def begin(session: Session, attachment_id: int, max_attempts: int) -> Attachment | None:
    """Claim the row for one run; None when there is nothing (more) to do."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.status in PIPELINE_DONE:
        return None  # a second run of a finished job changes nothing
    if attachment.attempts >= max_attempts:
        give_up(session, attachment)  # a file that keeps killing workers
        return None
    attachment.status = AttachmentStatus.PROCESSING
    attachment.attempts += 1
    return attachment


def finish(session: Session, attachment: Attachment, store: Storage, limits: Limits) -> None:
    """Run the pipeline on the stored original and record what it found."""
    keep_location = attachment.kind in KEEPS_LOCATION
    with store.local_path(attachment.file_key(Variant.ORIGINAL)) as path:
        result = process(path, limits, keep_location=keep_location)
    attachment.sha256, attachment.size = result.sha256, result.size
    attachment.content_type = result.content_type
    attachment.processed_at = clock.now()
    if result.rejection:
        _reject(session, attachment, result.rejection)
        return
    for variant, data in result.derivatives.items():
        store.write(attachment.file_key(variant), data)
    attachment.width, attachment.height = result.width, result.height
    if result.location:
        attachment.latitude, attachment.longitude = result.location
    attachment.duplicate_of = _seen_elsewhere(session, attachment)
    attachment.status = AttachmentStatus.READY
    attachment.reason = None


def give_up(session: Session, attachment: Attachment) -> None:
    """The last try failed for reasons of ours: tell the resident to upload again."""
    log.error("attachment %s failed after %s attempts", attachment.id, attachment.attempts)
    _reject(session, attachment, SYSTEM_FAILURE)


def _reject(session: Session, attachment: Attachment, reason: str) -> None:
    attachment.status = AttachmentStatus.REJECTED
    attachment.reason = reason
    if attachment.application_id is None:
        disaster_photos.notify_rejected(session, attachment, reason)
        return
    attachments.notify_applicant_side(session, attachment, "material_rejected", reason=reason)


def _seen_elsewhere(session: Session, attachment: Attachment) -> Attachment | None:
    """Duplicates follow the owner: another household's case, or another disaster
    report or tip."""
    if attachment.application_id is None:
        return disaster_photos.seen_elsewhere(session, attachment)
    return _seen_in_another_household(session, attachment)


def _seen_in_another_household(session: Session, attachment: Attachment) -> Attachment | None:
    household = attachment.application.applicant_id_index
    return session.scalar(
        select(Attachment)
        .join(Attachment.application)
        .where(
            Attachment.sha256 == attachment.sha256,
            Attachment.id != attachment.id,
            Application.applicant_id_index != household,
        )
        .order_by(Attachment.id)
        .limit(1)
    )


def sweep(session: Session, now: datetime | None = None) -> list[int]:
    """Re-enqueue rows left `pending` or `processing` (Redis down, a worker killed).

    Safe to run often: a job still queued or running under the same id is left be.
    """
    stale_before = (now or clock.now()) - timedelta(
        minutes=current_app.config["SWEEP_AFTER_MINUTES"]
    )
    stuck = list(
        session.scalars(
            select(Attachment.id)
            .where(
                Attachment.status.in_([AttachmentStatus.PENDING, AttachmentStatus.PROCESSING]),
                Attachment.updated_at < stale_before,
            )
            .order_by(Attachment.id)
            .limit(1000)
        )
    )
    return [attachment_id for attachment_id in stuck if request_processing(attachment_id)]
