"""Materials of an application: upload, the review pipeline, staff review, and what is
still missing (一次性告知).

`process(path)` is the pipeline itself, a plain function of one file (the bench
calls it). The rest keeps the `Attachment` row, the source of truth, in step with
it: `upload` stores the file and the `pending` row; a job runs `begin` → `finish`
(or `give_up` once its retries are spent); `sweep` re-enqueues rows Redis lost.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import Select, false, func, or_, select, update
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, Conflict, Forbidden, NotFound, ValidationFailed
from backend.jobs.queue import enqueue
from backend.models import Application, ApplicationType, Role, User
from backend.models.attachment import (
    KIND_LABELS,
    PIPELINE_DONE,
    Attachment,
    AttachmentKind,
    AttachmentStatus,
    ReviewStatus,
    Variant,
)
from backend.services import applications, clock, notifications, scope, workflow
from backend.services.images import CONTENT_TYPES, ImageLimits, Rejected, process_image
from backend.services.pdfs import PdfLimits, process_pdf
from backend.services.storage import Storage

log = logging.getLogger(__name__)

# What each programme needs before it can be decided; an agent also needs the mandate.
REQUIRED_MATERIALS: dict[str, tuple[AttachmentKind, ...]] = {
    ApplicationType.DIBAO: (
        AttachmentKind.ID_CARD,
        AttachmentKind.HUKOU,
        AttachmentKind.INCOME_PROOF,
        AttachmentKind.AUTHORIZATION,
    ),
    ApplicationType.ELDERLY_ALLOWANCE: (AttachmentKind.ID_CARD, AttachmentKind.HUKOU),
}
ON_BEHALF_MATERIALS = (AttachmentKind.MANDATE,)
# Kinds whose place matters (photos of a house or a site): their GPS position is kept
# in the restricted columns. Every other kind loses it with the rest of the metadata.
KEEPS_LOCATION = frozenset({AttachmentKind.PHOTO})

UPLOADERS = frozenset({Role.CITIZEN, Role.AGENT, Role.TOWNSHIP_STAFF})
REVIEWERS = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_STAFF})
STAFF_VIEWERS = REVIEWERS | {Role.ADMIN}  # may also open originals

PDF = "application/pdf"
PDF_FORMAT = "PDF"
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    PDF: "pdf",
}
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")

EMPTY = "文件是空的,请重新选择"
UNSUPPORTED = "只能上传照片(JPG、PNG、WebP、HEIC)或 PDF 文件"
SYSTEM_FAILURE = "系统未能处理该文件,请重新上传"

VERDICT_TEXTS = {
    ReviewStatus.ACCEPTED: "已通过审核",
    ReviewStatus.NEEDS_REUPLOAD: "需要重新上传",
}
MISSING_STATES = {
    "missing": "未上传",
    "processing": "处理中",
    "under_review": "待审核",
    "needs_reupload": "需重新上传",
    "rejected": "未通过检查,需重新上传",
}


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
        return Result(sha256, size, rejection=EMPTY)
    file_format = detect_format(head)
    if file_format is None:
        return Result(sha256, size, rejection=UNSUPPORTED)
    content_type = PDF if file_format == PDF_FORMAT else CONTENT_TYPES[file_format]
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


# ---- who may see and handle materials --------------------------------------------


def _visible(query: Select, user: User) -> Select:
    """Materials are narrower than cases: the owner, the agent who submitted the case
    (or uploaded the file), and reviewing staff in their region; nobody else."""
    query = query.join(Attachment.application)
    if user.role == Role.AGENT:
        return query.where(
            or_(Application.submitted_by_id == user.id, Attachment.uploaded_by_id == user.id)
        )
    if user.role == Role.CITIZEN or user.role in STAFF_VIEWERS:
        return scope.visible(query, applications.APPLICATION_SCOPE, user)
    return query.where(false())


def get(session: Session, user: User, attachment_id: int) -> Attachment:
    attachment = session.scalar(
        _visible(select(Attachment), user).where(Attachment.id == attachment_id)
    )
    if attachment is None:
        raise NotFound()
    return attachment


def current_for(session: Session, application: Application, user: User) -> list[Attachment]:
    """The application's current materials that `user` may see (history left out)."""
    query = _visible(select(Attachment), user).where(
        Attachment.application_id == application.id, Attachment.superseded_at.is_(None)
    )
    return list(session.scalars(query.order_by(Attachment.id)))


# ---- upload ------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    kind: AttachmentKind
    stream: BinaryIO
    filename: str
    replaces_id: int | None = None


def upload(
    session: Session, user: User, application_id: int, incoming: Upload, store: Storage
) -> Attachment:
    """Store the file under a server-made name and add its `pending` row.

    The caller commits, then calls `request_processing`: the job must find the row.
    """
    application = applications.get(session, user, application_id)
    _check_may_upload(session, user, application)
    replaced = _replaced(session, application, incoming) if incoming.replaces_id else None
    key = uuid.uuid4().hex
    attachment = Attachment(
        application=application,
        kind=incoming.kind,
        uploaded_by_id=user.id,
        original_name=clean_filename(incoming.filename),
        storage_key=key,
        replaces_id=replaced.id if replaced else None,
    )
    original = attachment.file_key(Variant.ORIGINAL)
    attachment.size = store.save(
        original, incoming.stream, current_app.config["ATTACHMENT_MAX_BYTES"]
    )
    try:
        if attachment.size == 0:
            raise ValidationFailed.field("file", EMPTY)
        if replaced:
            _supersede(session, replaced)
        session.add(attachment)
        session.flush()
    except BaseException:
        store.delete(original)
        raise
    return attachment


def _check_may_upload(session: Session, user: User, application: Application) -> None:
    if user.role not in UPLOADERS:
        raise Forbidden("该角色不能上传申请材料")
    if user.role == Role.AGENT and application.submitted_by_id != user.id:
        raise Forbidden("只有提交该申请的代办员可以为其上传材料")
    if application.status in workflow.FINAL_STATUSES:
        raise ActionNotAllowed("该申请已办结,不能再上传材料")
    limit = current_app.config["ATTACHMENT_MAX_PER_APPLICATION"]
    count = session.scalar(select(func.count()).where(Attachment.application_id == application.id))
    if count >= limit:
        raise ValidationFailed.field("file", f"每个申请最多上传 {limit} 个文件")


def _replaced(session: Session, application: Application, incoming: Upload) -> Attachment:
    replaced = session.get(Attachment, incoming.replaces_id)
    if replaced is None or replaced.application_id != application.id:
        raise ValidationFailed.field("replaces", "要替换的材料不属于该申请")
    if replaced.kind != incoming.kind:
        raise ValidationFailed.field("replaces", "只能用同类材料替换")
    return replaced


def _supersede(session: Session, replaced: Attachment) -> None:
    # Conditional: of two re-uploads racing to replace one file, only one wins.
    claimed = session.execute(
        update(Attachment)
        .where(Attachment.id == replaced.id, Attachment.superseded_at.is_(None))
        .values(superseded_at=clock.now())
        .execution_options(synchronize_session="fetch")
    )
    if claimed.rowcount != 1:
        raise Conflict("该材料已被替换,请刷新后重试")


UNSAFE_NAME_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_filename(raw: str | None) -> str:
    """The client's file name as text to show, never as a path: the last path part
    only, without control, zero-width or direction-changing characters."""
    name = unicodedata.normalize("NFC", raw or "")
    name = UNSAFE_NAME_CHARACTERS.sub("", name)
    name = re.split(r"[\\/]", name)[-1].strip().lstrip(".")
    return name[:100] or "file"


def request_processing(attachment_id: int) -> bool:
    """Queue the review job; with Redis down the row stays `pending` for the sweeper."""
    try:
        enqueue("attachments.process", attachment_id)
    except RedisError:
        log.warning("attachment %s not queued (Redis unavailable); the sweeper will", attachment_id)
        return False
    return True


# ---- the job's steps ---------------------------------------------------------------


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
    attachment.duplicate_of = _seen_in_another_household(session, attachment)
    attachment.status = AttachmentStatus.READY
    attachment.reason = None


def give_up(session: Session, attachment: Attachment) -> None:
    """The last try failed for reasons of ours: tell the resident to upload again."""
    log.error("attachment %s failed after %s attempts", attachment.id, attachment.attempts)
    _reject(session, attachment, SYSTEM_FAILURE)


def _reject(session: Session, attachment: Attachment, reason: str) -> None:
    attachment.status = AttachmentStatus.REJECTED
    attachment.reason = reason
    application = attachment.application
    for user in _recipients(session, application, attachment.uploaded_by_id):
        notifications.notify(
            session,
            user,
            "material_rejected",
            _message_data(attachment, reason=reason),
        )


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


# ---- staff review and what is missing ---------------------------------------------


def review(
    session: Session, user: User, attachment_id: int, verdict: ReviewStatus, comment: str
) -> Attachment:
    """Accept a material or ask for it again; the applicant side is told, with
    everything still missing listed in the same message."""
    attachment = get(session, user, attachment_id)
    if user.role not in REVIEWERS:
        raise Forbidden("只有乡镇或县级工作人员可以审核材料")
    if attachment.status != AttachmentStatus.READY:
        raise ActionNotAllowed("该文件还未通过系统检查,不能审核")
    if not attachment.is_current:
        raise ActionNotAllowed("该材料已被重新上传的文件替换")
    comment = comment.strip()
    if verdict == ReviewStatus.NEEDS_REUPLOAD and not comment:
        raise ValidationFailed.field("comment", "请说明需要重新上传的原因")
    attachment.review_status = verdict
    attachment.review_comment = comment
    attachment.reviewed_by_id = user.id
    attachment.reviewed_at = clock.now()
    session.flush()
    application = attachment.application
    outstanding = materials_notice(missing_materials(session, application))
    for recipient in _recipients(session, application, attachment.uploaded_by_id):
        notifications.notify(
            session,
            recipient,
            "material_reviewed",
            _message_data(
                attachment,
                verdict=str(verdict),
                verdict_text=VERDICT_TEXTS[verdict],
                comment_text=f"(审核意见:{comment})" if comment else "",
                outstanding=outstanding,
            ),
        )
    return attachment


@dataclass(frozen=True)
class MissingMaterial:
    kind: str
    label: str
    state: str  # a key of MISSING_STATES
    state_label: str


def required_kinds(application: Application) -> tuple[AttachmentKind, ...]:
    required = REQUIRED_MATERIALS.get(application.type, ())
    return required + ON_BEHALF_MATERIALS if application.on_behalf else required


def missing_materials(session: Session, application: Application) -> list[MissingMaterial]:
    """Every required kind without an accepted current file, and where it stands."""
    current = list(
        session.scalars(
            select(Attachment).where(
                Attachment.application_id == application.id, Attachment.superseded_at.is_(None)
            )
        )
    )
    missing = []
    for kind in required_kinds(application):
        files = [a for a in current if a.kind == kind]
        if any(a.review_status == ReviewStatus.ACCEPTED for a in files):
            continue
        state = _material_state(files)
        missing.append(MissingMaterial(kind, KIND_LABELS[kind], state, MISSING_STATES[state]))
    return missing


def materials_complete(session: Session, application: Application) -> bool:
    """Every required material is uploaded and accepted by staff."""
    return not missing_materials(session, application)


def materials_notice(missing: list[MissingMaterial]) -> str:
    """一次性告知: every outstanding material in one sentence."""
    if not missing:
        return "申请材料已齐全。"
    return "还需补齐的材料:" + "、".join(f"{m.label}({m.state_label})" for m in missing) + "。"


def _material_state(files: list[Attachment]) -> str:
    statuses = {a.status for a in files}
    reviews = {a.review_status for a in files if a.status == AttachmentStatus.READY}
    if ReviewStatus.UNREVIEWED in reviews:
        return "under_review"
    if statuses & {AttachmentStatus.PENDING, AttachmentStatus.PROCESSING}:
        return "processing"
    if ReviewStatus.NEEDS_REUPLOAD in reviews:
        return "needs_reupload"
    if AttachmentStatus.REJECTED in statuses:
        return "rejected"
    return "missing"


def _recipients(session: Session, application: Application, uploader_id: int) -> list[User]:
    """The applicant side: the resident (once they have an account), the agent who
    submitted, and whoever uploaded the file, each once; staff are not notified."""
    ids = {application.owner_id, application.submitted_by_id, uploader_id} - {None}
    users = session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id))
    return [u for u in users if u.role in (Role.CITIZEN, Role.AGENT)]


def _message_data(attachment: Attachment, **extra: Any) -> dict[str, Any]:
    application = attachment.application
    return {
        "application_id": application.id,
        "application_number": application.number,
        "attachment_id": attachment.id,
        "kind": attachment.kind,
        "kind_label": KIND_LABELS[AttachmentKind(attachment.kind)],
        **extra,
    }


# ---- serving -----------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    key: str
    content_type: str
    filename: str


def variants_for(attachment: Attachment, user: User) -> list[Variant]:
    """What `user` may open of this file now."""
    available = []
    if attachment.status == AttachmentStatus.READY:
        if attachment.content_type != PDF:
            available.append(Variant.THUMB)
        available.append(Variant.REVIEW)
    if user.role in STAFF_VIEWERS:
        available.append(Variant.ORIGINAL)
    return available


def download(session: Session, user: User, attachment_id: int, variant: Variant) -> Download:
    attachment = get(session, user, attachment_id)
    if variant not in variants_for(attachment, user):
        if variant == Variant.ORIGINAL:
            raise Forbidden("原件仅供工作人员查看")
        if attachment.status in (AttachmentStatus.PENDING, AttachmentStatus.PROCESSING):
            raise Conflict("文件正在检查中,请稍后再看")
        raise NotFound("该文件没有可查看的版本")
    stem = attachment.original_name.rsplit(".", 1)[0] or "file"
    if variant == Variant.ORIGINAL:
        # Whatever the client claimed, only a type we recognised is ever announced.
        content_type = attachment.content_type or "application/octet-stream"
        extension = EXTENSIONS.get(attachment.content_type, "bin")
        filename = f"{stem}.{extension}"
    else:
        content_type = PDF if attachment.content_type == PDF else "image/jpeg"
        filename = f"{stem}-{variant}.{EXTENSIONS[content_type]}"
    return Download(attachment.file_key(variant), content_type, filename)
