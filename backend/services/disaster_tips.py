"""随手拍: a resident (or a village agent) tells the bureau what they saw, where, with
photos; county or township staff verify it (linking it to an event and a region) or
dismiss it with a reason, and the tipper is told the outcome in the inbox."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, Forbidden, NotFound, ValidationFailed
from backend.models import Attachment, User
from backend.models.attachment import Variant
from backend.models.disaster import DisasterTip, TipStatus
from backend.services import (
    audit,
    clock,
    disaster_access,
    disaster_events,
    disaster_photos,
    notifications,
    regions,
)
from backend.services.storage import Storage


@dataclass(frozen=True)
class NewTip:
    description: str
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    photo_ids: list[int] = field(default_factory=list)


def visible(user: User) -> Select:
    return select(DisasterTip).where(disaster_access.tip_condition(user))


def get(session: Session, user: User, tip_id: int) -> DisasterTip:
    tip = session.scalar(visible(user).where(DisasterTip.id == tip_id))
    if tip is None:
        raise NotFound("找不到该随手拍")
    return tip


def send(
    session: Session,
    user: User,
    new: NewTip,
    photos: list[Attachment] | None = None,
    ip: str | None = None,
) -> DisasterTip:
    """Record a tip with the caller's staged photos (`photo_ids`) and any uploaded with
    it (`photos`, already stored)."""
    if user.role not in disaster_access.TIPPERS:
        raise Forbidden("只有居民或代办员可以提交随手拍")
    if (new.latitude is None) != (new.longitude is None):
        missing = "lon" if new.longitude is None else "lat"
        raise ValidationFailed.field(missing, "经度和纬度须同时提供")
    county = regions.county_for(session, user.region.code if user.region else None)
    staged = disaster_photos.claim(session, user, new.photo_ids)
    tip = DisasterTip(
        county_id=county.id,
        region_id=user.region_id if user.region_id != county.id else None,
        submitted_by_id=user.id,
        description=new.description,
        latitude=new.latitude,
        longitude=new.longitude,
    )
    session.add(tip)
    session.flush()
    disaster_photos.bind(session, staged + list(photos or []), tip)
    audit.record(session, user, "disaster_tip.send", tip, ip=ip, after=TipStatus.PENDING)
    return tip


def verify(
    session: Session, user: User, tip_id: int, event_id: int, region_code: str, ip=None
) -> DisasterTip:
    """The tip is true: it belongs to this event and region."""
    tip = _pending(session, user, tip_id)
    event = disaster_events.get(session, user, event_id)
    region = disaster_events.region_of_event(session, user, event, region_code)
    tip.event_id, tip.region_id = event.id, region.id
    _decide(session, user, tip, TipStatus.VERIFIED, "", ip)
    _tell_tipper(
        session,
        tip,
        "tip_verified",
        event_name=event.name,
        region_name=region.name,
        disaster_event_id=event.id,
    )
    return tip


def dismiss(session: Session, user: User, tip_id: int, reason: str, ip=None) -> DisasterTip:
    tip = _pending(session, user, tip_id)
    if not reason:
        raise ValidationFailed.field("reason", "请说明不采纳的原因")
    _decide(session, user, tip, TipStatus.DISMISSED, reason, ip)
    _tell_tipper(session, tip, "tip_dismissed", reason=reason)
    return tip


def _pending(session: Session, user: User, tip_id: int) -> DisasterTip:
    tip = get(session, user, tip_id)
    if user.role not in disaster_access.TIP_REVIEWERS:
        raise Forbidden("只有乡镇或县级工作人员可以核实随手拍")
    if tip.status != TipStatus.PENDING:
        raise ActionNotAllowed("该随手拍已处理")
    return tip


def _decide(session: Session, user: User, tip: DisasterTip, status: TipStatus, reason, ip):
    tip.status = status
    tip.review_reason = reason
    tip.reviewed_by_id = user.id
    tip.reviewed_at = clock.now()
    audit.record(
        session,
        user,
        f"disaster_tip.{'verify' if status == TipStatus.VERIFIED else 'dismiss'}",
        tip,
        ip=ip,
        before=TipStatus.PENDING,
        after=status,
        subject_user_id=tip.submitted_by_id,
        note=reason,
    )
    session.flush()


def _tell_tipper(session: Session, tip: DisasterTip, event: str, **data) -> None:
    tipper = session.get(User, tip.submitted_by_id)
    notifications.notify(session, tipper, event, {"disaster_tip_id": tip.id, **data})


def send_with_files(
    session: Session,
    user: User,
    new: NewTip,
    files: list[tuple[BinaryIO, str]],
    store: Storage,
    ip: str | None = None,
) -> DisasterTip:
    """A tip sent in one multipart request with its photos: they are stored first,
    and removed again if the tip is refused."""
    staged: list[Attachment] = []
    try:
        for stream, filename in files:
            staged.append(disaster_photos.stage(session, user, stream, filename, store))
        return send(session, user, new, staged, ip)
    except BaseException:
        for photo in staged:
            store.delete(photo.file_key(Variant.ORIGINAL))
        raise
