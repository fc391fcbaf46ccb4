"""倒房重建: each household whose house collapsed, followed from planned through
building to rebuilt, with counts in the event's summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, Forbidden, ValidationFailed
from backend.models import Region, RegionLevel, Role, User
from backend.models.disaster import CollapsedHouse, DisasterEvent, RebuildStatus
from backend.services import audit, clock, disaster_events, scope

KEEPERS = frozenset({Role.TOWNSHIP_STAFF, Role.COUNTY_STAFF, Role.DISASTER_OFFICER})
HOUSE_SCOPE = scope.Scope(region_id=CollapsedHouse.region_id, roles=KEEPERS | {Role.ADMIN})
# Each status may only move to the next; the date recorded with it.
TRANSITIONS = {
    RebuildStatus.PLANNED: (RebuildStatus.BUILDING, "started_on"),
    RebuildStatus.BUILDING: (RebuildStatus.REBUILT, "completed_on"),
}


@dataclass(frozen=True)
class NewHouse:
    region_code: str
    household_head: str
    rooms: int
    note: str = ""


def visible(session: Session, user: User, event_id: int) -> Select:
    event = disaster_events.get(session, user, event_id)
    return select(CollapsedHouse).where(
        CollapsedHouse.event_id == event.id, scope.condition(HOUSE_SCOPE, user)
    )


def record(session: Session, user: User, event_id: int, new: NewHouse, ip=None) -> CollapsedHouse:
    event = disaster_events.get(session, user, event_id)
    if user.role not in KEEPERS:
        raise Forbidden("只有乡镇、县级工作人员或灾害信息员可以登记倒房户")
    region = disaster_events.region_of_event(
        session, user, event, new.region_code, (RegionLevel.VILLAGE,), "倒房户应登记到村(社区)"
    )
    house = CollapsedHouse(
        event_id=event.id,
        region_id=region.id,
        household_head=new.household_head,
        rooms=new.rooms,
        note=new.note,
    )
    session.add(house)
    session.flush()
    audit.record(session, user, "collapsed_house.record", house, ip=ip, after=house.status)
    return house


def advance(
    session: Session, user: User, house_id: int, status: RebuildStatus, on: date, ip=None
) -> CollapsedHouse:
    """planned → building (started on) → rebuilt (completed on)."""
    house = scope.get_visible(session, CollapsedHouse, house_id, HOUSE_SCOPE, user)
    if user.role not in KEEPERS:
        raise Forbidden("只有乡镇、县级工作人员或灾害信息员可以更新重建进度")
    following = TRANSITIONS.get(RebuildStatus(house.status))
    if following is None or following[0] != status:
        raise ActionNotAllowed("重建进度只能依次更新:计划重建 → 在建 → 已建成")
    if on > clock.today():
        raise ValidationFailed.field("on", "日期不能晚于今天")
    if house.started_on and on < house.started_on:
        raise ValidationFailed.field("on", "建成日期不能早于开工日期")
    before = house.status
    house.status = status
    setattr(house, following[1], on)
    audit.record(
        session, user, "collapsed_house.advance", house, ip=ip, before=before, after=status
    )
    session.flush()
    return house


def counts(session: Session, event: DisasterEvent, root: Region) -> dict[str, int]:
    """Households by status, and rooms, of the collapsed houses under `root`."""
    rows = session.execute(
        select(
            CollapsedHouse.status, func.count(), func.coalesce(func.sum(CollapsedHouse.rooms), 0)
        )
        .join(CollapsedHouse.region)
        .where(
            CollapsedHouse.event_id == event.id,
            Region.path.startswith(root.path, autoescape=True),
        )
        .group_by(CollapsedHouse.status)
    )
    result = {str(status): 0 for status in RebuildStatus} | {"households": 0, "rooms": 0}
    for status, households, rooms in rows:
        result[status] = households
        result["households"] += households
        result["rooms"] += int(rooms)
    return result
