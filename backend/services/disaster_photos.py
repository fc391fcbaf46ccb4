"""Photos of disaster reports and tips, through the attachments pipeline.

A phone sends one file per request, so a photo is uploaded first (`stage`: a
`pending` attachment with no owner yet, seen by its uploader alone) and then named
in the report or tip it belongs to (`bind`). The pipeline checks it like any
material; the GPS position of a photo (kind `photo`) is kept in the restricted
columns. The same picture sent for two regions' reports or two tips is marked a
duplicate for staff (`seen_elsewhere`). A photo never sent within
`UNSENT_PHOTO_DAYS` is removed with its files by the daily rule `forget_unsent`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import BinaryIO

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.errors import Forbidden, ValidationFailed
from backend.models import Attachment, Role, User
from backend.models.attachment import AttachmentKind, AttachmentStatus, Variant
from backend.models.disaster import DisasterReport, DisasterTip
from backend.services import after_commit, attachments, clock, notifications, storage
from backend.services.storage import Storage

UPLOADERS = frozenset({Role.CITIZEN, Role.AGENT, Role.DISASTER_OFFICER})


# Staged and not yet named in a report or tip (nor, like every photo, in a case).
UNSENT = (
    Attachment.application_id.is_(None)
    & Attachment.disaster_report_id.is_(None)
    & Attachment.disaster_tip_id.is_(None)
)


def _unbound(user: User):
    return (Attachment.uploaded_by_id == user.id) & UNSENT


def stage(session: Session, user: User, stream: BinaryIO, filename: str, store: Storage):
    """Store a photo not yet sent with a report or tip. The caller commits, then
    calls `attachment_pipeline.request_processing`."""
    if user.role not in UPLOADERS:
        raise Forbidden("该角色不能上传灾情照片")
    limit = current_app.config["ATTACHMENT_MAX_PER_APPLICATION"]
    waiting = session.scalar(select(func.count()).where(_unbound(user)))
    if waiting >= limit:
        raise ValidationFailed.field("file", f"未提交的照片最多 {limit} 张,请先提交报告或随手拍")
    attachment = Attachment(
        kind=AttachmentKind.PHOTO,
        uploaded_by_id=user.id,
        original_name=attachments.clean_filename(filename),
        storage_key=uuid.uuid4().hex,
    )
    original = attachment.file_key(Variant.ORIGINAL)
    attachment.size = store.save(original, stream, current_app.config["ATTACHMENT_MAX_BYTES"])
    try:
        if attachment.size == 0:
            raise ValidationFailed.field("file", attachments.EMPTY)
        session.add(attachment)
        session.flush()
    except BaseException:
        store.delete(original)
        raise
    return attachment


def claim(session: Session, user: User, photo_ids: list[int]) -> list[Attachment]:
    """The caller's own unsent photos with these ids; 422 naming `photo_ids` otherwise."""
    wanted = sorted(set(photo_ids))
    limit = current_app.config["ATTACHMENT_MAX_PER_APPLICATION"]
    if len(wanted) > limit:
        raise ValidationFailed.field("photo_ids", f"每次最多 {limit} 张照片")
    photos = list(
        session.scalars(
            select(Attachment)
            .where(Attachment.id.in_(wanted), _unbound(user))
            .order_by(Attachment.id)
            .with_for_update()
        )
    )
    if len(photos) != len(wanted):
        raise ValidationFailed.field("photo_ids", "照片不存在,或已随其他报告提交")
    if any(p.status == AttachmentStatus.REJECTED for p in photos):
        raise ValidationFailed.field("photo_ids", "有照片未通过检查,请重新拍摄上传")
    return photos


def bind(session: Session, photos: list[Attachment], owner: DisasterReport | DisasterTip) -> None:
    for photo in photos:
        if isinstance(owner, DisasterReport):
            photo.disaster_report_id = owner.id
        else:
            photo.disaster_tip_id = owner.id
    session.flush()
    for photo in photos:
        if photo.status == AttachmentStatus.READY:
            photo.duplicate_of = seen_elsewhere(session, photo)


def photos_of(session: Session, owner: DisasterReport | DisasterTip) -> list[Attachment]:
    column = (
        Attachment.disaster_report_id
        if isinstance(owner, DisasterReport)
        else Attachment.disaster_tip_id
    )
    return list(
        session.scalars(select(Attachment).where(column == owner.id).order_by(Attachment.id))
    )


def seen_elsewhere(session: Session, photo: Attachment) -> Attachment | None:
    """The first disaster photo with the same content under another owner: another
    region's report (or another event's), or another tip. None until it has one."""
    same = select(Attachment).where(Attachment.sha256 == photo.sha256, Attachment.id != photo.id)
    if photo.disaster_report_id is not None:
        report = session.get(DisasterReport, photo.disaster_report_id)
        same_place = select(DisasterReport.id).where(
            DisasterReport.event_id == report.event_id,
            DisasterReport.region_id == report.region_id,
        )
        same = same.where(
            Attachment.disaster_tip_id.is_not(None)
            | (
                Attachment.disaster_report_id.is_not(None)
                & Attachment.disaster_report_id.not_in(same_place)
            )
        )
    elif photo.disaster_tip_id is not None:
        same = same.where(
            Attachment.disaster_report_id.is_not(None)
            | (
                Attachment.disaster_tip_id.is_not(None)
                & (Attachment.disaster_tip_id != photo.disaster_tip_id)
            )
        )
    else:
        return None
    return session.scalar(same.order_by(Attachment.id).limit(1))


def notify_rejected(session: Session, photo: Attachment, reason: str) -> None:
    """The pipeline refused a disaster photo: its uploader is told why."""
    uploader = session.get(User, photo.uploaded_by_id)
    notifications.notify(
        session,
        uploader,
        "disaster_photo_rejected",
        {
            "attachment_id": photo.id,
            "disaster_report_id": photo.disaster_report_id,
            "disaster_tip_id": photo.disaster_tip_id,
            "reason": reason,
        },
    )


# Rows removed per daily run: the rest wait for the next day, so one run stays short.
FORGET_BATCH = 1000


def forget_unsent(session: Session, day: date) -> dict[str, int]:
    """Daily rule: photos staged and never sent with a report or tip (a phone that gave
    up, a stranger's uploads) are deleted after `UNSENT_PHOTO_DAYS`, files once the
    rows are gone."""
    days = current_app.config["UNSENT_PHOTO_DAYS"]
    cutoff = datetime.combine(day - timedelta(days=days), time(), tzinfo=clock.SHANGHAI)
    photos = session.scalars(
        select(Attachment).where(UNSENT, Attachment.created_at < cutoff).limit(FORGET_BATCH)
    ).all()
    keys = [photo.file_key(variant) for photo in photos for variant in Variant]
    for photo in photos:
        session.delete(photo)
    after_commit.call(session, _delete_files, keys)
    return {"deleted": len(photos)}


def _delete_files(keys: list[str]) -> None:
    store = storage.storage()
    for key in keys:
        store.delete(key)
