"""Disaster events: the county opens one (type, name, start, affected regions,
emergency response), may change its response level, and closes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from backend.errors import ActionNotAllowed, Forbidden, NotFound, ValidationFailed
from backend.models import Region, RegionLevel, Role, User
from backend.models.disaster import (
    DisasterEvent,
    DisasterEventRegion,
    DisasterType,
    EventStatus,
    ResponseLevel,
)
from backend.services import audit, clock, disaster_access

OPENERS = frozenset({Role.COUNTY_STAFF})
REPORTING_LEVELS = (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)
# A phone's clock may run a little ahead; beyond this a time is "in the future".
CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class NewEvent:
    type: DisasterType
    name: str
    started_at: datetime
    region_codes: list[str]
    response_level: ResponseLevel = ResponseLevel.NONE


def visible(user: User) -> Select:
    return select(DisasterEvent).where(disaster_access.event_condition(user))


def get(session: Session, user: User, event_id: int) -> DisasterEvent:
    event = session.scalar(visible(user).where(DisasterEvent.id == event_id))
    if event is None:
        raise NotFound("找不到该灾情")
    return event


def open_event(session: Session, user: User, new: NewEvent, ip: str | None = None):
    if user.role not in OPENERS or user.region is None:
        raise Forbidden("只有县级工作人员可以启动灾情报告")
    if new.started_at > clock.now() + CLOCK_SKEW:
        raise ValidationFailed.field("started_at", "灾害发生时间不能晚于现在")
    named = _named_regions(session, user, new.region_codes)
    county = next(r for r in _ancestors(session, named[0]) if r.level == RegionLevel.COUNTY)
    event = DisasterEvent(
        county_id=county.id,
        type=new.type,
        name=new.name,
        started_at=new.started_at,
        response_level=new.response_level,
        created_by_id=user.id,
    )
    session.add(event)
    session.flush()
    for region in _with_townships(session, named):
        session.add(
            DisasterEventRegion(event_id=event.id, region_id=region.id, named=region in named)
        )
    audit.record(session, user, "disaster_event.open", event, ip=ip, after=EventStatus.OPEN)
    session.flush()
    return event


def _named_regions(session: Session, user: User, codes: list[str]) -> list[Region]:
    """The regions the county named, each a township or village of the caller's county."""
    found = {r.code: r for r in session.scalars(select(Region).where(Region.code.in_(codes)))}
    regions, errors = [], {}
    for index, code in enumerate(codes):
        region = found.get(code)
        if region in regions:
            continue  # named twice
        if region is None or not user.region.contains(region):
            errors[f"region_codes.{index}"] = ["找不到该地区,或不在本县"]
        elif region.level not in REPORTING_LEVELS:
            errors[f"region_codes.{index}"] = ["受灾地区应为乡镇或村(社区)"]
        else:
            regions.append(region)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors)
    return regions


def _ancestors(session: Session, region: Region) -> list[Region]:
    codes = disaster_access.ancestor_codes(region)
    return list(session.scalars(select(Region).where(Region.code.in_(codes))))


def _with_townships(session: Session, named: list[Region]) -> list[Region]:
    """The named regions and the township of each named village."""
    regions = list(named)
    for region in named:
        if region.level == RegionLevel.VILLAGE and region.parent not in regions:
            regions.append(region.parent)
    return regions


def set_response_level(
    session: Session, user: User, event_id: int, level: ResponseLevel, ip: str | None = None
) -> DisasterEvent:
    event = _own_open_event(session, user, event_id)
    before = event.response_level
    event.response_level = level
    audit.record(
        session, user, "disaster_event.response_level", event, ip=ip, before=before, after=level
    )
    session.flush()
    return event


def close(session: Session, user: User, event_id: int, ip: str | None = None) -> DisasterEvent:
    """The disaster has stabilised: no more updates are due; final reports still are."""
    event = _own_open_event(session, user, event_id)
    event.status = EventStatus.CLOSED
    event.closed_at = clock.now()
    audit.record(session, user, "disaster_event.close", event, ip=ip, before="open", after="closed")
    session.flush()
    return event


def _own_open_event(session: Session, user: User, event_id: int) -> DisasterEvent:
    event = get(session, user, event_id)
    if user.role not in OPENERS:
        raise Forbidden("只有县级工作人员可以调整灾情")
    if event.status != EventStatus.OPEN:
        raise ActionNotAllowed("该灾情已结束")
    return event


def affected_regions(session: Session, event: DisasterEvent) -> list[DisasterEventRegion]:
    return list(
        session.scalars(
            select(DisasterEventRegion)
            .options(joinedload(DisasterEventRegion.region))
            .where(DisasterEventRegion.event_id == event.id)
            .order_by(DisasterEventRegion.id)
        )
    )


def in_area(session: Session, event: DisasterEvent, region: Region) -> bool:
    """Whether `region` may report for the event: a named region or one below it, or
    the township of a named village."""
    return any(
        row.region_id == region.id or (row.named and row.region.contains(region))
        for row in affected_regions(session, event)
    )


def region_of_event(
    session: Session,
    user: User,
    event: DisasterEvent,
    code: str,
    levels: tuple[RegionLevel, ...] = REPORTING_LEVELS,
    level_rule: str = "请按乡镇或村(社区)报送",
) -> Region:
    """The region `code` names, for work on the event: in the caller's own subtree
    (else 404: another township's region does not exist for them), of one of `levels`
    and inside the event's area (else 422 on `region_code`)."""
    region = session.scalar(select(Region).where(Region.code == code))
    if region is None or user.region is None or not user.region.contains(region):
        raise NotFound("找不到该地区")
    if region.level not in levels:
        raise ValidationFailed.field("region_code", level_rule)
    if not in_area(session, event, region):
        raise ValidationFailed.field("region_code", "该地区不在本次灾情的受灾范围内")
    return region
