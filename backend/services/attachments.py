"""Materials of an application: who may see them, upload, staff review, what is
still missing (一次性告知), and serving the files.

`upload` stores the file and its `pending` row; how the file is then checked, by a
job, is `attachment_pipeline`.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import Select, false, or_, select, update
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, Conflict, Forbidden, NotFound, ValidationFailed
from backend.models import Application, Role, User
from backend.models.attachment import (
    KIND_LABELS,
    Attachment,
    AttachmentKind,
    AttachmentStatus,
    ReviewStatus,
    Variant,
)
from backend.services import (
    agent_mandate,
    attachment_serving,
    case_access,
    clock,
    disaster_access,
    notifications,
    roles,
    scope,
    upload_quota,
    workflow,
)
from backend.services.case_states import FINAL
from backend.services.storage import Storage

UPLOADERS = roles.CASE_OPENERS
REVIEWERS = roles.CASE_REVIEWERS
STAFF_VIEWERS = REVIEWERS | {Role.ADMIN}  # may also open originals

PDF = "application/pdf"
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    PDF: "pdf",
}

EMPTY = "文件是空的,请重新选择"  # also the pipeline's verdict on an empty file

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


# ---- who may see and handle materials --------------------------------------------


def _visible(query: Select, user: User) -> Select:
    """A case's materials, or disaster photos (`disaster_access.photo_condition`)."""
    query = query.outerjoin(Attachment.application)
    return query.where(or_(_case_material_visible(user), disaster_access.photo_condition(user)))


def _case_material_visible(user: User):
    """Materials are narrower than cases: the owner, the agent who submitted the case
    (or uploaded the file), and reviewing staff in their region; nobody else."""
    if user.role == Role.AGENT:
        return or_(Application.submitted_by_id == user.id, Attachment.uploaded_by_id == user.id)
    if user.role == Role.CITIZEN or user.role in STAFF_VIEWERS:
        return scope.condition(case_access.APPLICATION_SCOPE, user)
    return false()


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

    The caller commits, then calls `attachment_pipeline.request_processing`: the job
    must find the row.
    """
    application = case_access.get(session, user, application_id)
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
    agent_mandate.check(user, application)
    if application.status in FINAL:
        raise ActionNotAllowed("该申请已办结,不能再上传材料")
    upload_quota.take(session, application.id)


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


# ---- staff review and what is missing ---------------------------------------------


def review(
    session: Session, user: User, attachment_id: int, verdict: ReviewStatus, comment: str
) -> Attachment:
    """Accept a material or ask for it again; the applicant side is told, with
    everything still missing listed in the same message."""
    attachment = get(session, user, attachment_id)
    if user.role not in REVIEWERS:
        raise Forbidden("只有乡镇或县级工作人员可以审核材料")
    if attachment.application_id is None:
        raise ActionNotAllowed("灾情照片不需要审核")
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
    notify_applicant_side(
        session,
        attachment,
        "material_reviewed",
        verdict=str(verdict),
        verdict_text=VERDICT_TEXTS[verdict],
        comment_text=f"(审核意见:{comment})" if comment else "",
        outstanding=materials_notice(missing_materials(session, attachment.application)),
    )
    return attachment


@dataclass(frozen=True)
class MissingMaterial:
    kind: str
    label: str
    state: str  # a key of MISSING_STATES
    state_label: str


def required_kinds(application: Application) -> tuple[AttachmentKind, ...]:
    """What the case's programme needs before a decision (the mandate too, on behalf)."""
    programme = workflow.programme_of(application.type)
    return programme.required_materials(application.on_behalf)


def _current_files(session: Session, application: Application) -> list[Attachment]:
    return list(
        session.scalars(
            select(Attachment).where(
                Attachment.application_id == application.id, Attachment.superseded_at.is_(None)
            )
        )
    )


def mandate_ready(session: Session, application: Application) -> bool:
    """A current mandate (委托书) has passed the system's check and is not sent back."""
    return any(
        a.kind == AttachmentKind.MANDATE
        and a.status == AttachmentStatus.READY
        and a.review_status != ReviewStatus.NEEDS_REUPLOAD
        for a in _current_files(session, application)
    )


def missing_materials(session: Session, application: Application) -> list[MissingMaterial]:
    """Every required kind without an accepted current file, and where it stands."""
    current = _current_files(session, application)
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


def notify_applicant_side(
    session: Session, attachment: Attachment, event: str, **data: Any
) -> None:
    """Tell the applicant side about one material: staff's verdict here, the pipeline's
    rejection in `attachment_pipeline`."""
    for user in _recipients(session, attachment.application, attachment.uploaded_by_id):
        notifications.notify(session, user, event, _message_data(attachment, **data))


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
        # Whatever the client claimed, only a type we recognised in a file we accepted
        # is announced: a rejected original (a PDF with script) is bytes to save.
        content_type = attachment_serving.original_type(attachment)
        extension = EXTENSIONS.get(content_type, "bin")
        filename = f"{stem}.{extension}"
    else:
        content_type = PDF if attachment.content_type == PDF else "image/jpeg"
        filename = f"{stem}-{variant}.{EXTENSIONS[content_type]}"
    return Download(attachment.file_key(variant), content_type, filename)
