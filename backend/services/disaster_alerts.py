"""Who is told, and when: county staff at once when the dead and missing reach the
threshold (inbox and the configured channels) and when a township's initial report
goes past due (`notify_overdue`, every few minutes by rq cron); officers on the
morning an update is due (`remind_updates`, a daily rule)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Region, RegionLevel, Role, User
from backend.models.disaster import DisasterEvent, DisasterEventRegion, EventStatus
from backend.services import clock, disaster_deadlines, notifications
from backend.services.disaster_rollup import county_totals, standings


def county_staff(session: Session, event: DisasterEvent) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(
                User.role == Role.COUNTY_STAFF,
                User.region_id == event.county_id,
                User.is_active.is_(True),
            )
            .order_by(User.id)
        )
    )


def escalate_if_needed(session: Session, event: DisasterEvent) -> bool:
    """Ten or more dead or missing: flag the event and tell county staff at once."""
    if event.escalated_at is not None:
        return False
    totals = county_totals(session, event)
    threshold = current_app.config["DISASTER_ESCALATION_THRESHOLD"]
    if totals["deaths"] + totals["missing"] < threshold:
        return False
    event.escalated_at = clock.now()
    data = {
        "disaster_event_id": event.id,
        "event_name": event.name,
        "threshold": threshold,
        "deaths": totals["deaths"],
        "missing": totals["missing"],
    }
    for user in county_staff(session, event):
        notifications.notify(session, user, "disaster_escalated", data)
    session.flush()
    return True


def notify_overdue(session: Session, now: datetime | None = None) -> list[int]:
    """Tell county staff, once per township, of every initial report gone past due."""
    now = now or clock.now()
    told = []
    open_events = session.scalars(
        select(DisasterEvent).where(DisasterEvent.status == EventStatus.OPEN)
    )
    for event in open_events:
        if now <= disaster_deadlines.township_initial_due(event):
            continue
        _, by_region = standings(session, event)
        for row in _untold_townships(session, event):
            standing = by_region.get(row.region_id)
            if standing is None or not disaster_deadlines.initial_overdue(event, standing, now):
                continue
            row.overdue_notified_at = now
            data = {
                "disaster_event_id": event.id,
                "event_name": event.name,
                "region_code": row.region.code,
                "region_name": row.region.name,
                "due_at": _shanghai_time(disaster_deadlines.township_initial_due(event)),
            }
            for user in county_staff(session, event):
                notifications.notify(session, user, "disaster_initial_overdue", data)
            told.append(row.id)
    session.flush()
    return told


def _untold_townships(session: Session, event: DisasterEvent) -> list[DisasterEventRegion]:
    rows = session.scalars(
        select(DisasterEventRegion).where(
            DisasterEventRegion.event_id == event.id,
            DisasterEventRegion.overdue_notified_at.is_(None),
        )
    )
    return [r for r in rows if r.region.level == RegionLevel.TOWNSHIP]


def _shanghai_time(moment: datetime) -> str:
    return moment.astimezone(clock.SHANGHAI).strftime("%m月%d日 %H:%M")


def remind_updates(session: Session, day: date) -> dict[str, Any]:
    """Daily rule: on a day an update is due, remind the officers of every affected
    region of open events that have not sent their final report."""
    hour = time(current_app.config["DISASTER_UPDATE_HOUR"], tzinfo=clock.SHANGHAI)
    due = datetime.combine(day, hour)
    reminded = 0
    open_events = session.scalars(
        select(DisasterEvent).where(DisasterEvent.status == EventStatus.OPEN)
    )
    for event in open_events:
        if due not in disaster_deadlines.update_due_times(event, due):
            continue
        officers = {o.id: o for row in event.regions for o in _officers_of(session, row)}
        for officer in officers.values():
            data = {
                "disaster_event_id": event.id,
                "event_name": event.name,
                "region_code": officer.region.code,
                "region_name": officer.region.name,
                "due_at": hour.strftime("%H:%M"),
            }
            notifications.notify(session, officer, "disaster_update_due", data)
            reminded += 1
    return {"reminded": reminded}


def _officers_of(session: Session, row: DisasterEventRegion) -> list[User]:
    """The officers of the region itself (and, for a named region, below it)."""
    query = select(User).join(User.region).where(User.role == Role.DISASTER_OFFICER)
    if row.named:
        query = query.where(Region.path.startswith(row.region.path, autoescape=True))
    else:
        query = query.where(User.region_id == row.region_id)
    return list(session.scalars(query.order_by(User.id)))
